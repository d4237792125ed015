package functions

import (
	"context"
	"slices"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Get returns one stage's summary and code from one snapshot. stage "" means
// DEVELOPMENT. A LIVE stage that was never published does not exist (spec §3.2).
func (s *Service) Get(ctx context.Context, account, name string, stage Stage) (Summary, []byte, error) {
	sum, code, err := s.get(ctx, account, name, stage, true)
	return sum, code, err
}

// Describe is DescribeFunction. stage "" means DEVELOPMENT.
func (s *Service) Describe(ctx context.Context, account, name string, stage Stage) (Summary, error) {
	sum, _, err := s.get(ctx, account, name, stage, false)
	return sum, err
}

// GetCode is GetFunction: the stage's code and ETag. stage "" means DEVELOPMENT.
func (s *Service) GetCode(ctx context.Context, account, name string, stage Stage) ([]byte, string, error) {
	sum, code, err := s.get(ctx, account, name, stage, true)
	if err != nil {
		return nil, "", err
	}
	return code, sum.ETag, nil
}

func (s *Service) get(ctx context.Context, account, name string, stage Stage, withCode bool) (Summary, []byte, error) {
	if err := validateName(name); err != nil {
		return Summary{}, nil, err
	}
	stage, err := parseStage(stage, Development)
	if err != nil {
		return Summary{}, nil, err
	}
	var r *record
	var code []byte
	err = s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		if r, err = loadRecord(tx, account, name); err != nil {
			return err
		}
		if r.stage(stage) == nil {
			return apierror.NoSuchFunctionExists(name)
		}
		if withCode {
			code, err = loadCode(tx, account, name, stage)
		}
		return err
	})
	if err != nil {
		return Summary{}, nil, apiError(err)
	}
	status, err := s.status(ctx, account, r)
	if err != nil {
		return Summary{}, nil, apiError(err)
	}
	return r.summary(account, stage, status), code, nil
}

// listItem is one (function, stage) entry of ListFunctions.
type listItem struct {
	r     *record
	stage Stage
}

// List is ListFunctions. Items are ordered by name, DEVELOPMENT before LIVE; without a
// Stage filter a published function appears once per stage (spec §3.4). MaxItems 0
// means 100; other values outside 1–100 are rejected (spec §14 Q8). The NextMarker names
// the last item returned, so later pages continue strictly after it: an item is never
// repeated, and one that exists throughout the paging is never skipped, however the
// list changes between pages.
func (s *Service) List(ctx context.Context, account string, in ListInput) (ListOutput, error) {
	maxItems := in.MaxItems
	if maxItems == 0 {
		maxItems = defaultMaxItems
	}
	if maxItems < 1 || maxItems > maxMaxItems {
		return ListOutput{}, apierror.InvalidArgument("The parameter MaxItems must be between 1 and %d.", maxMaxItems)
	}
	filter, err := parseStage(in.Stage, "")
	if err != nil {
		return ListOutput{}, err
	}
	from, err := decodeMarker(in.Marker)
	if err != nil {
		return ListOutput{}, err
	}
	want := func(st Stage) bool { return filter == "" || filter == st }

	// Read one item more than asked to learn whether another page follows.
	var items []listItem
	err = s.st.View(ctx, func(tx store.ReadTx) error {
		after := from.name
		if from.name != "" && from.stage == Development && want(Live) {
			// The marker's function may still have its LIVE entry to come.
			r, err := loadRecord(tx, account, from.name)
			if err != nil && !isNoSuchFunction(err) {
				return err
			}
			if r != nil && r.Live != nil {
				items = append(items, listItem{r, Live})
			}
		}
		for len(items) <= maxItems {
			batch := maxItems + 1 - len(items)
			docs, err := tx.List(kindFunction, account, after, batch)
			if err != nil {
				return err
			}
			for _, d := range docs {
				r, err := decodeRecord(d.Value)
				if err != nil {
					return err
				}
				if want(Development) {
					items = append(items, listItem{r, Development})
				}
				if r.Live != nil && want(Live) {
					items = append(items, listItem{r, Live})
				}
				after = d.Key
			}
			if len(docs) < batch {
				break
			}
		}
		return nil
	})
	if err != nil {
		return ListOutput{}, apiError(err)
	}

	out := ListOutput{MaxItems: maxItems, Items: []Summary{}}
	if len(items) > maxItems {
		items = items[:maxItems]
		last := items[maxItems-1]
		out.NextMarker = encodeMarker(position{last.r.Name, last.stage})
	}
	statuses := map[string]string{}
	for _, it := range items {
		status, ok := statuses[it.r.Name]
		if !ok {
			if status, err = s.status(ctx, account, it.r); err != nil {
				return ListOutput{}, apiError(err)
			}
			statuses[it.r.Name] = status
		}
		out.Items = append(out.Items, it.r.summary(account, it.stage, status))
	}
	return out, nil
}

const (
	defaultMaxItems = 100
	maxMaxItems     = 100
)

func isNoSuchFunction(err error) bool {
	e := apierror.As(err)
	return e != nil && e.Code == "NoSuchFunctionExists"
}

// KeyValueStoreInUse reports whether any function of the account, in either stage, is
// associated with the key value store; the KVS service asks it before a delete.
func (s *Service) KeyValueStoreInUse(ctx context.Context, account, kvsARN string) (bool, error) {
	var inUse bool
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		inUse, err = s.KeyValueStoreInUseTx(tx, account, kvsARN)
		return err
	})
	return inUse, apiError(err)
}

// KeyValueStoreInUseTx is KeyValueStoreInUse inside the caller's transaction of the same
// store: the KVS service's delete asks it there, so no association can slip in between.
func (s *Service) KeyValueStoreInUseTx(tx store.ReadTx, account, kvsARN string) (bool, error) {
	docs, err := tx.List(kindFunction, account, "", 0)
	if err != nil {
		return false, err
	}
	for _, d := range docs {
		r, err := decodeRecord(d.Value)
		if err != nil {
			return false, err
		}
		if slices.Contains(r.Dev.Config.KeyValueStoreARNs, kvsARN) ||
			r.Live != nil && slices.Contains(r.Live.Config.KeyValueStoreARNs, kvsARN) {
			return true, nil
		}
	}
	return false, nil
}

// LiveFunctionExists reports whether arn names a function of account that has a LIVE stage:
// what a distribution may associate (spec §11).
func (s *Service) LiveFunctionExists(ctx context.Context, account, arn string) (bool, error) {
	acct, name, ok := ParseFunctionARN(arn)
	if !ok || acct != account {
		return false, nil
	}
	_, err := s.Describe(ctx, account, name, Live)
	if e := apierror.As(err); e != nil && e.Code == "NoSuchFunctionExists" {
		return false, nil
	}
	return err == nil, err
}
