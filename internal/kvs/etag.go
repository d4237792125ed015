package kvs

import "github.com/localfront/localfront/internal/etag"

// A store's control-plane ETag is the shared scheme's "E" form, so a store and a function
// at the same version carry the same ETag, as CloudFront's resources do; the data plane
// puts "KV" before the same suffix (spec §1.4).

func controlETag(version int64) string { return etag.ForVersion(version) }
func dataETag(version int64) string    { return "KV" + etag.Suffix(version) }
