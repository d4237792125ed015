package kvsxml

import (
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/kvs"
)

func TestEncodeStoreExact(t *testing.T) {
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<KeyValueStore xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>store-1</Name><Id>8aa76c93-3198-462c-aaf6-0123456789ab</Id>` +
		`<Comment>quotes &#34; &amp; &lt;angles&gt;</Comment><ARN>arn:aws:cloudfront::123456789012:key-value-store/8aa76c93-3198-462c-aaf6-0123456789ab</ARN>` +
		`<Status>READY</Status><LastModifiedTime>2024-08-06T22:19:10.813Z</LastModifiedTime></KeyValueStore>`
	if got := string(EncodeStore(sampleStore)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// An empty comment stays an element (the model requires Comment); an empty list has
// Quantity 0 and no Items.
func TestEncodeEmptyValues(t *testing.T) {
	st := sampleStore
	st.Comment = ""
	if got := string(EncodeStore(st)); !contains(got, "<Comment></Comment>") {
		t.Errorf("empty comment missing:\n%s", got)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<KeyValueStoreList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><MaxItems>100</MaxItems><Quantity>0</Quantity></KeyValueStoreList>`
	if got := string(EncodeList(kvs.ListOutput{MaxItems: 100})); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeListItemsHaveNoNamespace(t *testing.T) {
	got := string(EncodeList(kvs.ListOutput{Items: []kvs.Store{sampleStore}, MaxItems: 1, NextMarker: "store-1"}))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<KeyValueStoreList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><NextMarker>store-1</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity>` +
		`<Items><KeyValueStore><Name>store-1</Name>`
	if !contains(got, want) {
		t.Errorf("got\n%s\nwant prefix\n%s", got, want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
