package functions

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/store"
)

// Store layout. One "function" document per function holds the metadata of both stages
// and the tags; each stage's code is its own document, so List and Describe never read
// code they do not return.
const (
	kindFunction store.Kind = "function"
	kindCode     store.Kind = "function-code" // key: <name>/<stage>
)

func codeKey(name string, stage Stage) string { return name + "/" + string(stage) }

// record is the persisted form of a function. Its JSON is the storage format: change it
// only compatibly.
type record struct {
	Name string       `json:"name"`
	Dev  stageRecord  `json:"development"`
	Live *stageRecord `json:"live,omitempty"` // nil until the first publish
	Tags []storedTag  `json:"tags,omitempty"` // sorted by key
}

type stageRecord struct {
	// Version counts UpdateFunction calls (1 after create); the ETag derives from it.
	// LIVE carries the DEVELOPMENT version it was published from (spec §2.2).
	Version  int64        `json:"version"`
	Config   storedConfig `json:"config"`
	Created  time.Time    `json:"created"`
	Modified time.Time    `json:"modified"`
}

type storedConfig struct {
	Comment           string   `json:"comment"`
	Runtime           string   `json:"runtime"`
	KeyValueStoreARNs []string `json:"kvsARNs,omitempty"`
}

type storedTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func toStoredConfig(c Config) storedConfig {
	return storedConfig{Comment: c.Comment, Runtime: c.Runtime, KeyValueStoreARNs: slices.Clone(c.KeyValueStoreARNs)}
}

func (c storedConfig) config() Config {
	return Config{Comment: c.Comment, Runtime: c.Runtime, KeyValueStoreARNs: slices.Clone(c.KeyValueStoreARNs)}
}

// stage returns the record of one stage, or nil if that stage does not exist.
func (r *record) stage(s Stage) *stageRecord {
	if s == Live {
		return r.Live
	}
	return &r.Dev
}

// published reports whether LIVE holds exactly the DEVELOPMENT version.
func (r *record) published() bool { return r.Live != nil && r.Live.Version == r.Dev.Version }

// summary builds one stage's FunctionSummary; status is the function-wide Status.
func (r *record) summary(account string, s Stage, status string) Summary {
	st := r.stage(s)
	return Summary{
		Name:             r.Name,
		Status:           status,
		Config:           st.Config.config(),
		ARN:              FunctionARN(account, r.Name),
		Stage:            s,
		CreatedTime:      st.Created,
		LastModifiedTime: st.Modified,
		ETag:             etag.ForVersion(st.Version),
	}
}

func (r *record) tags() []Tag {
	out := make([]Tag, len(r.Tags))
	for i, t := range r.Tags {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// setTags adds or replaces tags, keeping them sorted by key.
func (r *record) setTags(tags []Tag) {
	for _, t := range tags {
		i, found := slices.BinarySearchFunc(r.Tags, t.Key, func(s storedTag, k string) int { return strings.Compare(s.Key, k) })
		if found {
			r.Tags[i].Value = t.Value
		} else {
			r.Tags = slices.Insert(r.Tags, i, storedTag{Key: t.Key, Value: t.Value})
		}
	}
}

func (r *record) removeTags(keys []string) {
	r.Tags = slices.DeleteFunc(r.Tags, func(t storedTag) bool { return slices.Contains(keys, t.Key) })
}

func decodeRecord(b []byte) (*record, error) {
	r := &record{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, apierror.InternalError("A stored function is corrupt: %v", err)
	}
	return r, nil
}

// loadRecord reads a function, or fails with NoSuchFunctionExists.
func loadRecord(tx store.ReadTx, account, name string) (*record, error) {
	b, err := tx.Get(kindFunction, account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierror.NoSuchFunctionExists(name)
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(b)
}

func saveRecord(tx store.Tx, account string, r *record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Put(kindFunction, account, r.Name, b)
}

func loadCode(tx store.ReadTx, account, name string, s Stage) ([]byte, error) {
	code, err := tx.Get(kindCode, account, codeKey(name, s))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierror.InternalError("The code of function %s (%s) is missing from the store.", name, s)
	}
	return code, err
}

// now is the service clock in CloudFront's resolution: UTC milliseconds (spec §1.2).
func (s *Service) now() time.Time {
	return s.opts.Clock().UTC().Truncate(time.Millisecond)
}
