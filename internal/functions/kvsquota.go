package functions

import (
	"slices"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// MaxFunctionsPerKVS is CloudFront's quota of functions associated with one key value
// store (spec §7, quotas page S9).
const MaxFunctionsPerKVS = 10

// checkFunctionsPerKVS fails when giving function name the config cfg would associate
// a key value store with more than MaxFunctionsPerKVS functions. A function counts when
// either stage uses the store (as for KeyValueStoreInUse); name itself never counts, so
// updating an associated function always passes. It runs inside the write transaction,
// so two concurrent writes cannot both take the last place. CreateFunction and
// UpdateFunction declare no quota error for this, so it is InvalidArgument.
func checkFunctionsPerKVS(tx store.ReadTx, account, name string, cfg Config) error {
	if len(cfg.KeyValueStoreARNs) == 0 {
		return nil
	}
	docs, err := tx.List(kindFunction, account, "", 0)
	if err != nil {
		return err
	}
	for _, arn := range cfg.KeyValueStoreARNs {
		n := 0
		for _, d := range docs {
			if d.Key == name {
				continue
			}
			r, err := decodeRecord(d.Value)
			if err != nil {
				return err
			}
			if slices.Contains(r.Dev.Config.KeyValueStoreARNs, arn) ||
				r.Live != nil && slices.Contains(r.Live.Config.KeyValueStoreARNs, arn) {
				n++
			}
		}
		if n >= MaxFunctionsPerKVS {
			return apierror.InvalidArgument("The key value store %s is already associated with the maximum number of functions (%d).", arn, MaxFunctionsPerKVS)
		}
	}
	return nil
}
