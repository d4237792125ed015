package cfapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/cfapi/distxml"
	"github.com/localfront/localfront/internal/distributions"
)

// DistributionService is the part of *distributions.Service the distribution operations
// call (spec §11).
type DistributionService interface {
	Create(ctx context.Context, account string, cfg distributions.Config) (distributions.Distribution, error)
	Get(ctx context.Context, account, id string) (distributions.Distribution, error)
	GetConfig(ctx context.Context, account, id string) (distributions.Config, string, error)
	Update(ctx context.Context, account, id, ifMatch string, cfg distributions.Config) (distributions.Distribution, error)
	Delete(ctx context.Context, account, id, ifMatch string) error
	List(ctx context.Context, account, marker string, maxItems int) (distributions.ListOutput, error)
}

// Distribution operation names, as the SDK model spells them.
const (
	opCreateDistribution    = "CreateDistribution"
	opGetDistribution       = "GetDistribution"
	opGetDistributionConfig = "GetDistributionConfig"
	opUpdateDistribution    = "UpdateDistribution"
	opDeleteDistribution    = "DeleteDistribution"
	opListDistributions     = "ListDistributions"
)

// distributionLocationPrefix is where CloudFront says a created distribution lives.
const distributionLocationPrefix = "https://cloudfront.amazonaws.com/2020-05-31/distribution/"

var (
	distributionCollection = methods{http.MethodGet: opListDistributions, http.MethodPost: opCreateDistribution}
	distributionItem       = methods{http.MethodGet: opGetDistribution, http.MethodDelete: opDeleteDistribution}
	distributionConfig     = methods{http.MethodGet: opGetDistributionConfig, http.MethodPut: opUpdateDistribution}
)

// matchDistributionRoute matches /2020-05-31/distribution[/{Id}[/config]] (segs follow the
// API prefix). ok is false for other paths, which includes the distribution operations
// LocalFront does not serve (CreateDistributionWithTags, invalidations, …): they stay
// UnsupportedOperation.
func matchDistributionRoute(method, escapedPath string, segs []string, query url.Values) (r route, ok bool, err error) {
	if segs[0] != "distribution" {
		return route{}, false, nil
	}
	switch {
	case len(segs) == 1:
		if query.Has("WithTags") {
			return route{}, false, nil
		}
		r, err = pick(method, escapedPath, distributionCollection, "")
		return r, true, err
	case len(segs) == 2 || len(segs) == 3 && segs[2] == "config":
		id, err := decodeSegment(segs[1], "distribution ID")
		if err != nil {
			return route{}, true, err
		}
		m := distributionItem
		if len(segs) == 3 {
			m = distributionConfig
		}
		r, err = pick(method, escapedPath, m, id)
		return r, true, err
	}
	return route{}, false, nil
}

// registerDistributionOps adds the distribution operations. Without a distributions service
// they are answered UnsupportedOperation, like every CloudFront API LocalFront does not serve.
func (a *API) registerDistributionOps() {
	a.registerOps(map[string]operationHandler{
		opCreateDistribution:    a.createDistribution,
		opGetDistribution:       a.getDistribution,
		opGetDistributionConfig: a.getDistributionConfig,
		opUpdateDistribution:    a.updateDistribution,
		opDeleteDistribution:    a.deleteDistribution,
		opListDistributions:     a.listDistributions,
	}, a.opts.Distributions != nil, func(r *http.Request) error {
		return apierror.UnsupportedOperation("LocalFront does not support %s %s.", r.Method, r.URL.EscapedPath())
	})
}

// writeDistribution sends a Distribution document with its ETag.
func writeDistribution(w http.ResponseWriter, status int, d distributions.Distribution) error {
	body, err := distxml.EncodeDistribution(d)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", d.ETag)
	writeBody(w, status, contentTypeXML, body)
	return nil
}

func (a *API) createDistribution(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	cfg, err := distxml.DecodeConfig(info.body)
	if err != nil {
		return err
	}
	d, err := a.opts.Distributions.Create(r.Context(), info.account, cfg)
	if err != nil {
		return err
	}
	w.Header().Set("Location", distributionLocationPrefix+d.ID)
	return writeDistribution(w, http.StatusCreated, d)
}

func (a *API) getDistribution(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	d, err := a.opts.Distributions.Get(r.Context(), info.account, info.name)
	if err != nil {
		return err
	}
	return writeDistribution(w, http.StatusOK, d)
}

func (a *API) getDistributionConfig(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	cfg, etag, err := a.opts.Distributions.GetConfig(r.Context(), info.account, info.name)
	if err != nil {
		return err
	}
	body, err := distxml.EncodeConfig(cfg)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag)
	writeBody(w, http.StatusOK, contentTypeXML, body)
	return nil
}

func (a *API) updateDistribution(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	cfg, err := distxml.DecodeConfig(info.body)
	if err != nil {
		return err
	}
	d, err := a.opts.Distributions.Update(r.Context(), info.account, info.name, r.Header.Get("If-Match"), cfg)
	if err != nil {
		return err
	}
	return writeDistribution(w, http.StatusOK, d)
}

func (a *API) deleteDistribution(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	if err := a.opts.Distributions.Delete(r.Context(), info.account, info.name, r.Header.Get("If-Match")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listDistributions(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	q := r.URL.Query()
	maxItems := 0
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return apierror.InvalidArgument("MaxItems must be an integer, not %q.", v)
		}
		maxItems = n
	}
	out, err := a.opts.Distributions.List(r.Context(), info.account, q.Get("Marker"), maxItems)
	if err != nil {
		return err
	}
	body, err := distxml.EncodeList(out)
	if err != nil {
		return err
	}
	writeBody(w, http.StatusOK, contentTypeXML, body)
	return nil
}
