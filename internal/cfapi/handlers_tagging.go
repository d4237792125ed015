package cfapi

import (
	"net/http"

	"github.com/localfront/localfront/internal/apierror"
)

// resourceParam reads the required Resource query parameter of the tagging operations.
func resourceParam(r *http.Request) (string, error) {
	arn := r.URL.Query().Get("Resource")
	if arn == "" {
		return "", apierror.InvalidArgument("The query parameter Resource (the ARN of the resource) is required.")
	}
	return arn, nil
}

func (a *API) tagResource(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	arn, err := resourceParam(r)
	if err != nil {
		return err
	}
	tags, err := decodeTags(info.body)
	if err != nil {
		return err
	}
	if err := a.taggerFor(arn).TagResource(r.Context(), info.account, arn, tags); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) untagResource(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	arn, err := resourceParam(r)
	if err != nil {
		return err
	}
	keys, err := decodeTagKeys(info.body)
	if err != nil {
		return err
	}
	if err := a.taggerFor(arn).UntagResource(r.Context(), info.account, arn, keys); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listTagsForResource(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	arn, err := resourceParam(r)
	if err != nil {
		return err
	}
	tags, err := a.taggerFor(arn).ListTags(r.Context(), info.account, arn)
	if err != nil {
		return err
	}
	return a.writeXML(w, http.StatusOK, tagsXML(tags))
}
