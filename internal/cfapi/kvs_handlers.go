package cfapi

import (
	"net/http"
	"strconv"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/cfapi/kvsxml"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/kvs"
)

// kvsLocationPrefix is where CloudFront says a created store lives: the collection path
// followed by the store's ARN (spec §1.3, §4).
const kvsLocationPrefix = "https://cloudfront.amazonaws.com/2020-05-31/key-value-store/"

// writeStore sends a KeyValueStore document with the store's control-plane ETag.
func writeStore(w http.ResponseWriter, status int, st kvs.Store) {
	w.Header().Set("ETag", st.ETag)
	writeBody(w, status, contentTypeXML, kvsxml.EncodeStore(st))
}

func (a *API) createKeyValueStore(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	req, err := kvsxml.DecodeCreate(info.body)
	if err != nil {
		return err
	}
	tags, err := checkStoreTags(req.Tags)
	if err != nil {
		return err
	}
	req.Input.Tags = tags
	st, err := a.opts.KVS.Create(r.Context(), info.account, req.Input)
	if err != nil {
		return err
	}
	w.Header().Set("Location", kvsLocationPrefix+st.ARN)
	writeStore(w, http.StatusCreated, st)
	return nil
}

// checkStoreTags applies the tag rules CloudFront applies to every taggable resource
// (the same as for functions); the KVS service enforces the count.
func checkStoreTags(tags []kvsxml.Tag) ([]kvs.Tag, error) {
	if tags == nil {
		return nil, nil
	}
	ft := make([]functions.Tag, len(tags))
	for i, t := range tags {
		ft[i] = functions.Tag{Key: t.Key, Value: t.Value}
	}
	if err := functions.ValidateTags(ft); err != nil {
		return nil, err
	}
	return toKVSTags(ft), nil
}

func (a *API) describeKeyValueStore(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	st, err := a.opts.KVS.Describe(r.Context(), info.account, info.name)
	if err != nil {
		return err
	}
	writeStore(w, http.StatusOK, st)
	return nil
}

func (a *API) listKeyValueStores(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	q := r.URL.Query()
	in := kvs.ListInput{Marker: q.Get("Marker"), Status: q.Get("Status")}
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return apierror.InvalidArgument("MaxItems must be an integer, not %q.", v)
		}
		in.MaxItems = n
	}
	out, err := a.opts.KVS.List(r.Context(), info.account, in)
	if err != nil {
		return err
	}
	writeBody(w, http.StatusOK, contentTypeXML, kvsxml.EncodeList(out))
	return nil
}

func (a *API) updateKeyValueStore(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	comment, err := kvsxml.DecodeUpdate(info.body)
	if err != nil {
		return err
	}
	st, err := a.opts.KVS.Update(r.Context(), info.account, info.name, r.Header.Get("If-Match"), comment)
	if err != nil {
		return err
	}
	writeStore(w, http.StatusOK, st)
	return nil
}

func (a *API) deleteKeyValueStore(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	if err := a.opts.KVS.Delete(r.Context(), info.account, info.name, r.Header.Get("If-Match")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
