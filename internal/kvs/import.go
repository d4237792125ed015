package kvs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// FailureReason texts of IMPORT_FAILED stores (CloudFront's own are not published, §14 Q9).
const (
	reasonInterrupted = "The import was interrupted because the server stopped. Delete the key value store and create it again."
	reasonShutdown    = "The import was cancelled because the server is shutting down."
	reasonTimeout     = "The import did not finish in time."
	reasonTooLarge    = "The import file is larger than 5 MB."
	reasonStoreFailed = "The imported keys could not be saved."
)

// startImport runs the import of a PROVISIONING store in the background. At most
// MaxConcurrentImports run at once; Close cancels them.
func (s *Service) startImport(account, name, id, location string) {
	s.importsAlive.Add(1)
	go func() {
		defer s.importsAlive.Done()
		select {
		case s.importSlots <- struct{}{}:
			defer func() { <-s.importSlots }()
		case <-s.importCtx.Done():
			s.finishImport(account, name, id, nil, reasonShutdown)
			return
		}
		ctx, cancel := context.WithTimeout(s.importCtx, s.opts.ImportTimeout)
		defer cancel()
		items, reason := s.readImport(ctx, location)
		s.finishImport(account, name, id, items, reason)
	}()
}

// readImport fetches and parses the source; a non-empty reason means it failed.
func (s *Service) readImport(ctx context.Context, location string) ([]KeyValue, string) {
	if e := apierror.As(s.opts.Import.checkLocation(location)); e != nil {
		return nil, e.Message
	}
	data, err := s.opts.Fetch(ctx, location, MaxStoreBytes)
	if err != nil {
		switch {
		case errors.Is(err, ErrImportTooLarge):
			return nil, reasonTooLarge
		case s.importCtx.Err() != nil:
			return nil, reasonShutdown
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return nil, reasonTimeout
		}
		return nil, fmt.Sprintf("The import source could not be read: %v", err)
	}
	items, err := parseImport(data)
	if err != nil {
		return nil, err.Error()
	}
	return items, ""
}

// finishImport commits the imported keys and READY, or IMPORT_FAILED with reason. A store
// deleted (or replaced) meanwhile is left alone.
func (s *Service) finishImport(account, name, id string, items []KeyValue, reason string) {
	// The import context may be cancelled already; the outcome must still be recorded.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var done *record
	commit := func(reason string) error {
		return s.st.Update(ctx, func(tx store.Tx) error {
			rec, err := getByName(tx, account, name)
			if err != nil || rec == nil || rec.ID != id || rec.Status != StatusProvisioning {
				return err
			}
			rec.ImportRunner = ""
			if reason != "" {
				rec.Status, rec.FailureReason = StatusImportFailed, reason
				done = rec
				return putRecord(tx, account, rec)
			}
			kind := keyKind(id)
			for _, kv := range items {
				if err := tx.Put(kind, account, kv.Key, []byte(kv.Value)); err != nil {
					return err
				}
				rec.ItemCount++
				rec.TotalSize += entrySize(kv.Key, kv.Value)
			}
			rec.Status = StatusReady
			rec.DataVersion++
			rec.DataModified = s.now()
			done = rec
			return putRecord(tx, account, rec)
		})
	}
	err := commit(reason)
	if err != nil && reason == "" {
		s.opts.Log.Error("kvs: saving imported keys failed", "store", name, "account", account, "err", err)
		err = commit(reasonStoreFailed)
	}
	if err != nil {
		s.opts.Log.Error("kvs: recording the import outcome failed", "store", name, "account", account, "err", err)
		return
	}
	if done != nil {
		s.committed(done, nil)
	}
}
