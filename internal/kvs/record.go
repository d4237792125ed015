package kvs

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/localfront/localfront/internal/store"
)

// Store kinds (see the package comment).
const (
	kindStore store.Kind = "kvs"
	kindByID  store.Kind = "kvs-arn"
)

func keyKind(id string) store.Kind { return store.Kind("kvs-key:" + id) }

// record is the persisted form of one key value store.
type record struct {
	Name          string    `json:"name"`
	ID            string    `json:"id"`
	ARN           string    `json:"arn"`
	Comment       string    `json:"comment"`
	Status        string    `json:"status"`
	FailureReason string    `json:"failureReason,omitempty"`
	Created       time.Time `json:"created"`
	LastModified  time.Time `json:"lastModified"` // control plane: create / comment update
	Version       int64     `json:"version"`      // control-plane ETag version

	DataVersion  int64     `json:"dataVersion"` // data-plane ETag version
	DataModified time.Time `json:"dataModified"`
	ItemCount    int       `json:"itemCount"`
	TotalSize    int64     `json:"totalSize"`

	Import *ImportSource `json:"import,omitempty"`
	// ImportRunner identifies the Service instance running the import; a PROVISIONING
	// store whose runner is not this instance was interrupted by a restart.
	ImportRunner string `json:"importRunner,omitempty"`

	Tags map[string]string `json:"tags,omitempty"` // not versioned (see tags.go)
}

func (r *record) encode() ([]byte, error) { return json.Marshal(r) }

func decodeRecord(b []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("kvs: corrupt store record: %w", err)
	}
	return &r, nil
}

// getByName returns the record named name, or nil when there is none.
func getByName(tx store.ReadTx, account, name string) (*record, error) {
	b, err := tx.Get(kindStore, account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(b)
}

// getByARN returns the record whose ARN is arn, or nil when there is none.
func getByARN(tx store.ReadTx, arn string) (*record, error) {
	account, id, err := ParseARN(arn)
	if err != nil {
		return nil, nil
	}
	name, err := tx.Get(kindByID, account, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec, err := getByName(tx, account, string(name))
	if err != nil || rec == nil || rec.ARN != arn {
		return nil, err
	}
	return rec, nil
}

func putRecord(tx store.Tx, account string, rec *record) error {
	b, err := rec.encode()
	if err != nil {
		return err
	}
	return tx.Put(kindStore, account, rec.Name, b)
}
