package cfapi

import (
	"net/http"
	"strconv"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
)

// locationPrefix is where CloudFront says a created function lives: the collection path
// followed by the function's ARN (spec §1.3).
const locationPrefix = "https://cloudfront.amazonaws.com/2020-05-31/function/"

const (
	contentTypeXML  = "text/xml"
	contentTypeCode = "application/octet-stream"
)

// writeXML sends a payload with its status and headers, in one write.
func (a *API) writeXML(w http.ResponseWriter, status int, v any) error {
	body, err := marshalXML(v)
	if err != nil {
		return err
	}
	writeBody(w, status, contentTypeXML, body)
	return nil
}

func stageParam(r *http.Request) functions.Stage {
	return functions.Stage(r.URL.Query().Get("Stage"))
}

func (a *API) createFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	in, err := decodeCreateFunction(info.body)
	if err != nil {
		return err
	}
	s, err := a.svc.Create(r.Context(), info.account, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", s.ETag)
	w.Header().Set("Location", locationPrefix+s.ARN)
	return a.writeXML(w, http.StatusCreated, rootSummaryXML(s))
}

func (a *API) describeFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	s, err := a.svc.Describe(r.Context(), info.account, info.name, stageParam(r))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", s.ETag)
	return a.writeXML(w, http.StatusOK, rootSummaryXML(s))
}

// getFunction answers with the raw code as the whole body (spec §3.3).
func (a *API) getFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	code, etag, err := a.svc.GetCode(r.Context(), info.account, info.name, stageParam(r))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag)
	writeBody(w, http.StatusOK, contentTypeCode, code)
	return nil
}

func (a *API) listFunctions(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	q := r.URL.Query()
	in := functions.ListInput{Stage: functions.Stage(q.Get("Stage")), Marker: q.Get("Marker")}
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return apierror.InvalidArgument("MaxItems must be an integer, not %q.", v)
		}
		in.MaxItems = n
	}
	out, err := a.svc.List(r.Context(), info.account, in)
	if err != nil {
		return err
	}
	return a.writeXML(w, http.StatusOK, functionListXML(out))
}

// updateFunction sends the new ETag twice: the SDK models read it from the misspelled
// "ETtag" header only (spec §1.3), and "ETag" is what a human expects.
func (a *API) updateFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	cfg, code, err := decodeUpdateFunction(info.body)
	if err != nil {
		return err
	}
	s, err := a.svc.Update(r.Context(), info.account, info.name, r.Header.Get("If-Match"), cfg, code)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", s.ETag)
	w.Header().Set("ETtag", s.ETag)
	return a.writeXML(w, http.StatusOK, rootSummaryXML(s))
}

func (a *API) deleteFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	if err := a.svc.Delete(r.Context(), info.account, info.name, r.Header.Get("If-Match")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// publishFunction answers with the LIVE summary; the model has no ETag header here.
func (a *API) publishFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	s, err := a.svc.Publish(r.Context(), info.account, info.name, r.Header.Get("If-Match"))
	if err != nil {
		return err
	}
	return a.writeXML(w, http.StatusOK, rootSummaryXML(s))
}

func (a *API) testFunction(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	in, err := decodeTestFunction(info.body)
	if err != nil {
		return err
	}
	res, err := a.svc.Test(r.Context(), info.account, info.name, r.Header.Get("If-Match"), in)
	if err != nil {
		return err
	}
	return a.writeXML(w, http.StatusOK, testResultXML(res))
}
