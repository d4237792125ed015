package cfapi

import "testing"

func TestMatchKVSRoutes(t *testing.T) {
	checkRoutes(t, []routeCase{
		{"POST", "/2020-05-31/key-value-store", "", opCreateKeyValueStore, "", ""},
		{"GET", "/2020-05-31/key-value-store", "", opListKeyValueStores, "", ""},
		{"GET", "/2020-05-31/key-value-store/kvs-1", "", opDescribeKeyValueStore, "kvs-1", ""},
		{"PUT", "/2020-05-31/key-value-store/kvs-1", "", opUpdateKeyValueStore, "kvs-1", ""},
		{"DELETE", "/2020-05-31/key-value-store/kvs-1", "", opDeleteKeyValueStore, "kvs-1", ""},
		// The name is one escaped segment, decoded once; the service rejects bad names.
		{"GET", "/2020-05-31/key-value-store/a%2Fb%20c", "", opDescribeKeyValueStore, "a/b c", ""},
		{"GET", "/2020-05-31/key-value-store/", "", opDescribeKeyValueStore, "", ""},
		{"GET", "/2020-05-31/key-value-store/a%zz", "", "", "", "InvalidArgument"},
		{"PUT", "/2020-05-31/key-value-store", "", "", "", "MethodNotAllowed"},
		{"POST", "/2020-05-31/key-value-store/kvs-1", "", "", "", "MethodNotAllowed"},
		{"GET", "/2020-05-31/key-value-store/kvs-1/keys", "", "", "", "UnsupportedOperation"},
	})
}
