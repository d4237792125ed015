package distributions

import (
	"context"

	"github.com/localfront/localfront/internal/store"
)

// The hooks the functions service uses: whether a function is associated (its Status,
// and FunctionInUse on delete), and a redeploy when a function is published.

// FunctionInUse reports whether any distribution of the account, enabled or not, has a
// cache behaviour associated with the function. It implements
// functions.AssociationChecker. It opens its own read transaction: never call it from
// inside a store transaction (use FunctionInUseTx there).
func (s *Service) FunctionInUse(ctx context.Context, account, functionARN string) (bool, error) {
	var used bool
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		used, err = FunctionInUseTx(tx, account, functionARN)
		return err
	})
	return used, err
}

// FunctionInUseTx is FunctionInUse inside the caller's transaction on the same store.
func FunctionInUseTx(tx store.ReadTx, account, functionARN string) (bool, error) {
	ids, err := functionUsers(tx, account, functionARN)
	return len(ids) > 0, err
}

// DistributionsUsing returns the IDs of the account's distributions associated with the
// function, in ascending order.
func (s *Service) DistributionsUsing(ctx context.Context, account, functionARN string) ([]string, error) {
	var ids []string
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		ids, err = functionUsers(tx, account, functionARN)
		return err
	})
	return ids, err
}

// FunctionPublished redeploys the distributions that use a function whose LIVE stage
// just changed: CloudFront propagates the new LIVE code to every associated cache
// behaviour (spec §2.2). No config or ETag changes; OnChange listeners are told about
// each distribution so the edge loads the new code.
func (s *Service) FunctionPublished(ctx context.Context, account, functionARN string) error {
	ids, err := s.DistributionsUsing(ctx, account, functionARN)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.notify(account, id)
	}
	return nil
}
