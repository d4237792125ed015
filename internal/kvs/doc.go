// Package kvs owns CloudFront key value stores: the stores themselves (the control-plane
// operations of the cloudfront API, addressed by name), their keys (the
// cloudfront-keyvaluestore data plane, addressed by ARN), ETags, limits and imports, and
// the in-memory snapshots functions read through cf.kvs(). It knows nothing of HTTP:
// cfapi and kvsapi turn wire requests into calls on Service and map *apierror.Error back.
//
// Persistence (one store.Store):
//
//	kind "kvs"          key = store name   value = JSON record (metadata, counts, versions)
//	kind "kvs-arn"      key = store id     value = store name (index for ARN lookups)
//	kind "kvs-key:<id>" key = the key      value = the raw value bytes
//
// Every write of keys commits in the same transaction as the record carrying the new
// data-plane version, counts and size, so the ETag always describes what is stored.
package kvs
