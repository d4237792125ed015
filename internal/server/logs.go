package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/edge"
	"github.com/localfront/localfront/internal/functions"
)

// LogsPathPrefix is where the edge's function logs are served on the API listener:
//
//	GET /_localfront/logs/{FunctionName}[?after=SEQ][&follow=true][&format=json]
//
// Lines are "<time> <request id> <message>", as CloudWatch Logs shows CloudFront function
// logs (spec §9.9); format=json gives one JSON object per line with the sequence number.
// follow=true keeps the response open and streams new lines until the client goes away or
// the server shuts down. A name that is no function of the account and left no lines is 404.
// With credentials configured the request must be SigV4-signed for
// the cloudfront service, like the API; the account is the signer's.
const LogsPathPrefix = "/_localfront/logs/"

var functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// logLineJSON is one line of format=json.
type logLineJSON struct {
	Seq            uint64 `json:"seq"`
	Time           string `json:"time"`
	RequestID      string `json:"requestId"`
	DistributionID string `json:"distributionId"`
	Message        string `json:"message"`
}

func (s *Server) functionLogs(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	account := s.cfg.AccountID
	if s.ew.auth != nil {
		acct, err := s.ew.auth.Authenticate(r, nil)
		if err != nil {
			http.Error(w, "authentication failed: "+err.Error(), http.StatusForbidden)
			return
		}
		account = acct
	}
	name, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), LogsPathPrefix))
	if err != nil || !functionNamePattern.MatchString(name) {
		http.Error(w, "the path must name a function: "+LogsPathPrefix+"{FunctionName}", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	var after uint64
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseUint(v, 10, 64); err != nil {
			http.Error(w, "after must be a line sequence number", http.StatusBadRequest)
			return
		}
	}
	asJSON := q.Get("format") == "json"
	follow, _ := strconv.ParseBool(q.Get("follow"))
	write := func(l edge.LogLine) error {
		var err error
		if asJSON {
			err = json.NewEncoder(w).Encode(logLineJSON{Seq: l.Seq, Time: logTime(l.Time), RequestID: l.RequestID, DistributionID: l.DistributionID, Message: l.Text})
		} else {
			_, err = fmt.Fprintf(w, "%s %s\n", logTime(l.Time), l.Text)
		}
		return err
	}
	if asJSON {
		w.Header().Set("Content-Type", "application/x-ndjson")
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	logs := s.ew.edge.Logs()
	if known, err := s.knownToLogs(r.Context(), account, name); err != nil {
		s.log.Error("logs: looking up the function", "function", name, "error", err)
		http.Error(w, "the function could not be looked up", http.StatusInternalServerError)
		return
	} else if !known {
		http.Error(w, fmt.Sprintf("no function named %q (and no logs of one)", name), http.StatusNotFound)
		return
	}
	if !follow {
		for _, l := range logs.Lines(account, name, after) {
			if write(l) != nil {
				return
			}
		}
		return
	}

	history, sub := logs.Subscribe(account, name)
	defer sub.Close()
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a follow stream outlives the server's write timeout
	w.WriteHeader(http.StatusOK)
	for _, l := range history {
		if l.Seq > after && write(l) != nil {
			return
		}
	}
	rc.Flush()
	var dropped uint64
	for {
		select {
		case l, ok := <-sub.Lines():
			if !ok {
				return
			}
			if d := sub.Dropped(); d > dropped && !asJSON {
				fmt.Fprintf(w, "%s [localfront: %d lines dropped: this reader fell behind]\n", logTime(time.Now()), d-dropped)
				dropped = d
			}
			if write(l) != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.ew.stopping:
			return
		}
	}
}

// knownToLogs reports whether name is a function of the account, or was one and left log
// lines: a deleted function's logs stay readable, as CloudWatch keeps them, but a mistyped
// name is an error rather than an empty answer.
func (s *Server) knownToLogs(ctx context.Context, account, name string) (bool, error) {
	_, err := s.functions.Describe(ctx, account, name, functions.Development)
	if err == nil {
		return true, nil
	}
	if ae := apierror.As(err); ae == nil || ae.Code != "NoSuchFunctionExists" {
		return false, err
	}
	return s.ew.edge.Logs().Logged(account, name), nil
}

func logTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
