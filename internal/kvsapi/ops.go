package kvsapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/kvs"
)

// Wire shapes (the model's member names; spec §5.2).
type (
	describeOutput struct {
		ItemCount        int          `json:"ItemCount"`
		TotalSizeInBytes int64        `json:"TotalSizeInBytes"`
		KvsARN           string       `json:"KvsARN"`
		Created          epochSeconds `json:"Created"`
		LastModified     epochSeconds `json:"LastModified"`
		Status           string       `json:"Status,omitempty"`
		FailureReason    string       `json:"FailureReason,omitempty"`
	}
	countsOutput struct {
		ItemCount        int   `json:"ItemCount"`
		TotalSizeInBytes int64 `json:"TotalSizeInBytes"`
	}
	getKeyOutput struct {
		Key              string `json:"Key"`
		Value            string `json:"Value"`
		ItemCount        int    `json:"ItemCount"`
		TotalSizeInBytes int64  `json:"TotalSizeInBytes"`
	}
	keyValue struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}
	listKeysOutput struct {
		NextToken string     `json:"NextToken,omitempty"`
		Items     []keyValue `json:"Items"`
	}
	putKeyInput struct {
		Value *string `json:"Value"`
	}
	updateKeysInput struct {
		Puts []*struct {
			Key   *string `json:"Key"`
			Value *string `json:"Value"`
		} `json:"Puts"`
		Deletes []*struct {
			Key *string `json:"Key"`
		} `json:"Deletes"`
	}
)

func (h *handler) dispatch(w http.ResponseWriter, r *http.Request, rt route, account string, body []byte) error {
	ctx := r.Context()
	ifMatch := r.Header.Get("If-Match")
	switch rt.op {
	case opDescribe:
		d, err := h.svc.DescribeData(ctx, account, rt.arn)
		if err != nil {
			return err
		}
		writeJSON(w, d.ETag, describeOutput{
			ItemCount: d.ItemCount, TotalSizeInBytes: d.TotalSizeInBytes, KvsARN: d.ARN,
			Created: epochSeconds(d.Created), LastModified: epochSeconds(d.LastModified),
			Status: d.Status, FailureReason: d.FailureReason,
		})
	case opGetKey:
		g, err := h.svc.GetKey(ctx, account, rt.arn, rt.key)
		if err != nil {
			return err
		}
		writeJSON(w, "", getKeyOutput(g))
	case opListKeys:
		in, err := listKeysInput(r)
		if err != nil {
			return err
		}
		out, err := h.svc.ListKeys(ctx, account, rt.arn, in)
		if err != nil {
			return err
		}
		items := make([]keyValue, len(out.Items))
		for i, kv := range out.Items {
			items[i] = keyValue(kv)
		}
		writeJSON(w, "", listKeysOutput{NextToken: out.NextToken, Items: items})
	case opPutKey:
		var in putKeyInput
		if err := decodeBody(body, &in); err != nil {
			return err
		}
		if in.Value == nil {
			return apierror.ValidationException("Value is required.")
		}
		res, err := h.svc.PutKey(ctx, account, rt.arn, ifMatch, rt.key, *in.Value)
		return writeCounts(w, res, err)
	case opDeleteKey:
		res, err := h.svc.DeleteKey(ctx, account, rt.arn, ifMatch, rt.key)
		return writeCounts(w, res, err)
	case opUpdateKeys:
		in, err := updateKeys(body)
		if err != nil {
			return err
		}
		res, err := h.svc.UpdateKeys(ctx, account, rt.arn, ifMatch, in)
		return writeCounts(w, res, err)
	}
	return nil
}

func writeCounts(w http.ResponseWriter, res kvs.WriteResult, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, res.ETag, countsOutput{ItemCount: res.ItemCount, TotalSizeInBytes: res.TotalSizeInBytes})
	return nil
}

func listKeysInput(r *http.Request) (kvs.ListKeysInput, error) {
	q := r.URL.Query()
	in := kvs.ListKeysInput{NextToken: q.Get("NextToken")}
	if s, ok := q["MaxResults"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || n > kvs.MaxListKeysResults {
			return in, apierror.ValidationException("MaxResults must be an integer between 1 and %d.", kvs.MaxListKeysResults)
		}
		in.MaxResults = n
	}
	return in, nil
}

// decodeBody parses one JSON object. Invalid UTF-8 is rejected rather than silently
// replaced, so a stored value is always exactly what the client sent.
func decodeBody(body []byte, v any) error {
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		return apierror.ValidationException("The request body must be a JSON object.")
	}
	if !utf8.Valid(body) {
		return apierror.ValidationException("The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return apierror.ValidationException("The request body is not valid JSON for this operation: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apierror.ValidationException("The request body has content after its JSON object.")
	}
	return nil
}

func updateKeys(body []byte) (kvs.UpdateKeysInput, error) {
	var raw updateKeysInput
	if err := decodeBody(body, &raw); err != nil {
		return kvs.UpdateKeysInput{}, err
	}
	var in kvs.UpdateKeysInput
	for i, p := range raw.Puts {
		if p == nil || p.Key == nil || p.Value == nil {
			return in, apierror.ValidationException("Puts[%d] needs both Key and Value.", i)
		}
		in.Puts = append(in.Puts, kvs.KeyValue{Key: *p.Key, Value: *p.Value})
	}
	for i, d := range raw.Deletes {
		if d == nil || d.Key == nil {
			return in, apierror.ValidationException("Deletes[%d] needs a Key.", i)
		}
		in.Deletes = append(in.Deletes, *d.Key)
	}
	return in, nil
}
