package distributions

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/store"
)

// Store layout. A distribution is one document; small index documents make the lookups
// the other services and the edge need cheap, and all of them change in the same
// transaction as the distribution.
const (
	// (account, ID) → record JSON.
	kindDistribution store.Kind = "distribution"
	// (account, CallerReference) → ID: CallerReference is unique among an account's
	// distributions.
	kindCallerRef store.Kind = "distribution-caller-ref"
	// (account, function ARN) → JSON list of the IDs of distributions using the function.
	kindFunctionUse store.Kind = "distribution-function-use"
	// ("", ID) → account: every distribution of every account, for the edge.
	kindGlobalID store.Kind = "distribution-id"
	// ("", lower-case alias) → "<account>/<ID>": CNAMEs are unique across accounts, as on
	// CloudFront, because the edge routes on the Host header.
	kindAlias store.Kind = "distribution-alias"
)

// globalAccount is the account under which cross-account indexes are stored.
const globalAccount = ""

// record is the persisted form of a distribution. Its JSON is the storage format.
type record struct {
	ID       string    `json:"id"`
	Version  int64     `json:"version"` // 1 after create, +1 per update; the ETag derives from it
	Modified time.Time `json:"modified"`
	Config   Config    `json:"config"`
}

func (r *record) distribution(account, edgeDomain string) Distribution {
	return Distribution{
		ID:               r.ID,
		ARN:              DistributionARN(account, r.ID),
		Status:           StatusDeployed,
		DomainName:       DomainName(r.ID, edgeDomain),
		LastModifiedTime: r.Modified,
		ETag:             etag.ForVersion(r.Version),
		Config:           r.Config,
	}
}

func getRecord(tx store.ReadTx, account, id string) (*record, error) {
	if !validID(id) {
		return nil, errNoSuchDistribution()
	}
	b, err := tx.Get(kindDistribution, account, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSuchDistribution()
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(b)
}

func decodeRecord(b []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("distributions: corrupt record: %w", err)
	}
	return &r, nil
}

func putRecord(tx store.Tx, account string, r *record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Put(kindDistribution, account, r.ID, b)
}

// functionUsers returns the IDs of the account's distributions that use a function.
func functionUsers(tx store.ReadTx, account, arn string) ([]string, error) {
	b, err := tx.Get(kindFunctionUse, account, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal(b, &ids); err != nil {
		return nil, fmt.Errorf("distributions: corrupt function index for %s: %w", arn, err)
	}
	return ids, nil
}

func putFunctionUsers(tx store.Tx, account, arn string, ids []string) error {
	if len(ids) == 0 {
		return tx.Delete(kindFunctionUse, account, arn)
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return tx.Put(kindFunctionUse, account, arn, b)
}

// reindexFunctions moves distribution id from the function ARNs in oldARNs to those in
// newARNs.
func reindexFunctions(tx store.Tx, account, id string, oldARNs, newARNs []string) error {
	for _, arn := range oldARNs {
		if slices.Contains(newARNs, arn) {
			continue
		}
		ids, err := functionUsers(tx, account, arn)
		if err != nil {
			return err
		}
		if err := putFunctionUsers(tx, account, arn, slices.DeleteFunc(ids, func(s string) bool { return s == id })); err != nil {
			return err
		}
	}
	for _, arn := range newARNs {
		if slices.Contains(oldARNs, arn) {
			continue
		}
		ids, err := functionUsers(tx, account, arn)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
			slices.Sort(ids)
		}
		if err := putFunctionUsers(tx, account, arn, ids); err != nil {
			return err
		}
	}
	return nil
}

func aliasKey(alias string) string { return strings.ToLower(alias) }

func aliasOwner(account, id string) string { return account + "/" + id }

// reindexAliases moves the aliases of distribution id from oldAliases to newAliases,
// failing with CNAMEAlreadyExists when another distribution holds one of the new ones.
func reindexAliases(tx store.Tx, account, id string, oldAliases, newAliases []string) error {
	owner := aliasOwner(account, id)
	keep := map[string]bool{}
	for _, a := range newAliases {
		keep[aliasKey(a)] = true
	}
	for _, a := range oldAliases {
		if !keep[aliasKey(a)] {
			if err := tx.Delete(kindAlias, globalAccount, aliasKey(a)); err != nil {
				return err
			}
		}
	}
	for _, a := range newAliases {
		b, err := tx.Get(kindAlias, globalAccount, aliasKey(a))
		switch {
		case err == nil && string(b) != owner:
			return errCNAMEAlreadyExists(a)
		case err == nil:
			continue
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := tx.Put(kindAlias, globalAccount, aliasKey(a), []byte(owner)); err != nil {
			return err
		}
	}
	return nil
}
