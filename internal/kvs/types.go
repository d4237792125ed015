package kvs

import "time"

// Store status values. PROVISIONING and READY are CloudFront's wire values; the spelling of
// the import-failure state is not published (spec §14 Q9), IMPORT_FAILED is our choice.
const (
	StatusProvisioning = "PROVISIONING"
	StatusReady        = "READY"
	StatusImportFailed = "IMPORT_FAILED"
)

// Limits (spec §7, quotas page S9). Sizes are bytes.
const (
	DefaultStoresPerAccount = 50
	MaxKeyBytes             = 512
	MaxValueBytes           = 1024
	MaxStoreBytes           = 5 * 1024 * 1024 // a store's TotalSizeInBytes; also the import file limit
	MaxBatchKeys            = 50              // Puts + Deletes of one UpdateKeys
	MaxBatchBytes           = 3 * 1024 * 1024 // keys and values of one UpdateKeys
	MaxNameLength           = 64
	MaxCommentLength        = 128
	DefaultListKeysResults  = 10
	MaxListKeysResults      = 50
	DefaultListStoresItems  = 100
	MaxListStoresItems      = 100
)

// Store is a key value store as the control plane reports it (KeyValueStore element).
type Store struct {
	Name         string
	ID           string
	Comment      string
	ARN          string
	Status       string
	LastModified time.Time // LastModifiedTime
	ETag         string    // control-plane ETag ("E…")

	// Not on the control-plane wire; the data plane's DescribeKeyValueStore reports them.
	Created       time.Time
	FailureReason string
}

// ImportSource names the data to import at creation. CloudFront only knows
// SourceType "S3" with an S3 object ARN; LocalFront keeps SourceType "S3" and reads
// SourceARN as a location it can reach: "file:///abs/path", "/abs/path" or an
// http(s):// URL. Real S3 ARNs and s3:// URIs are rejected, since S3 is out of reach.
type ImportSource struct {
	SourceType string
	SourceARN  string
}

// CreateInput is CreateKeyValueStore's input.
type CreateInput struct {
	Name         string
	Comment      string
	ImportSource *ImportSource
	Tags         []Tag // validated by the caller; at most MaxTagsPerStore distinct keys
}

// ListInput is ListKeyValueStores' input. Status "" lists every status.
type ListInput struct {
	Marker   string
	MaxItems int // 0 means the default (100); at most 100
	Status   string
}

// ListOutput is one page of ListKeyValueStores.
type ListOutput struct {
	Items      []Store
	MaxItems   int
	NextMarker string // "" on the last page
}

// Description is the data plane's DescribeKeyValueStore result.
type Description struct {
	ARN              string
	ItemCount        int
	TotalSizeInBytes int64 // sum of len(key)+len(value) in bytes over all keys
	Created          time.Time
	LastModified     time.Time // last change of the keys (creation time before any)
	Status           string
	FailureReason    string
	ETag             string // data-plane ETag ("KV…")
}

// WriteResult is what PutKey, DeleteKey and UpdateKeys return: the store after the write.
type WriteResult struct {
	ETag             string
	ItemCount        int
	TotalSizeInBytes int64
}

// KeyValue is one key and its value.
type KeyValue struct {
	Key   string
	Value string
}

// GetKeyOutput is GetKey's result.
type GetKeyOutput struct {
	Key              string
	Value            string
	ItemCount        int
	TotalSizeInBytes int64
}

// ListKeysInput is ListKeys' input.
type ListKeysInput struct {
	NextToken  string
	MaxResults int // 0 means the default (10); otherwise 1..50
}

// ListKeysOutput is one page of ListKeys, keys in ascending byte order.
type ListKeysOutput struct {
	Items     []KeyValue
	NextToken string // "" on the last page
}

// UpdateKeysInput is UpdateKeys' batch. It applies all or nothing.
type UpdateKeysInput struct {
	Puts    []KeyValue
	Deletes []string
}
