package kvs

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestDataPlaneLifecycle(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	st := mustCreate(t, s, "data")
	arn := st.ARN

	d, err := s.DescribeData(ctx, acct, arn)
	noErr(t, err)
	if d.ARN != arn || d.ItemCount != 0 || d.TotalSizeInBytes != 0 || d.Status != StatusReady || d.ETag != "KVTVPDKIKX0DER" || !d.Created.Equal(st.LastModified) {
		t.Fatalf("fresh: %+v", d)
	}

	w, err := s.PutKey(ctx, acct, arn, d.ETag, "k1", "v1")
	noErr(t, err)
	if w.ETag != "KV3UN6WX5RRO2AG" || w.ItemCount != 1 || w.TotalSizeInBytes != 4 {
		t.Fatalf("put: %+v", w)
	}
	// Replacing a value keeps the count and adjusts the size.
	w, err = s.PutKey(ctx, acct, arn, w.ETag, "k1", "longer")
	noErr(t, err)
	if w.ItemCount != 1 || w.TotalSizeInBytes != 8 {
		t.Fatalf("replace: %+v", w)
	}
	g, err := s.GetKey(ctx, acct, arn, "k1")
	noErr(t, err)
	if g != (GetKeyOutput{Key: "k1", Value: "longer", ItemCount: 1, TotalSizeInBytes: 8}) {
		t.Fatalf("get: %+v", g)
	}
	d2, err := s.DescribeData(ctx, acct, arn)
	noErr(t, err)
	if d2.ETag != w.ETag || !d2.LastModified.After(d.LastModified) || !d2.Created.Equal(d.Created) {
		t.Fatalf("describe after writes: %+v", d2)
	}

	w, err = s.UpdateKeys(ctx, acct, arn, w.ETag, UpdateKeysInput{
		Puts:    []KeyValue{{"a", "1"}, {"dir/a b", "x"}, {"empty", ""}},
		Deletes: []string{"k1", "never-existed"},
	})
	noErr(t, err)
	if w.ItemCount != 3 || w.TotalSizeInBytes != 2+8+5 {
		t.Fatalf("update keys: %+v", w)
	}
	w, err = s.DeleteKey(ctx, acct, arn, w.ETag, "a")
	noErr(t, err)
	if w.ItemCount != 2 || w.TotalSizeInBytes != 13 {
		t.Fatalf("delete: %+v", w)
	}
	_, err = s.DeleteKey(ctx, acct, arn, w.ETag, "a")
	wantCode(t, err, "ResourceNotFoundException", 404)
	_, err = s.GetKey(ctx, acct, arn, "a")
	wantCode(t, err, "ResourceNotFoundException", 404)
	g, err = s.GetKey(ctx, acct, arn, "empty")
	noErr(t, err)
	if g.Value != "" {
		t.Fatalf("empty value: %+v", g)
	}
}

func TestDataPlaneETagChecks(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "etags").ARN
	_, err := s.PutKey(ctx, acct, arn, "", "k", "v")
	wantCode(t, err, "ValidationException", 400)
	_, err = s.PutKey(ctx, acct, arn, "KVBAD", "k", "v")
	wantCode(t, err, "ConflictException", 409)
	w, err := s.PutKey(ctx, acct, arn, "KVTVPDKIKX0DER", "k", "v")
	noErr(t, err)
	// The ETag moved on: the old one is stale for every write.
	_, err = s.PutKey(ctx, acct, arn, "KVTVPDKIKX0DER", "k", "v")
	wantCode(t, err, "ConflictException", 409)
	_, err = s.DeleteKey(ctx, acct, arn, "KVTVPDKIKX0DER", "k")
	wantCode(t, err, "ConflictException", 409)
	_, err = s.UpdateKeys(ctx, acct, arn, "KVTVPDKIKX0DER", UpdateKeysInput{Deletes: []string{"k"}})
	wantCode(t, err, "ConflictException", 409)
	// The control-plane ETag is not a data-plane ETag.
	_, err = s.PutKey(ctx, acct, arn, "ETVPDKIKX0DER", "k", "v")
	wantCode(t, err, "ConflictException", 409)
	// An empty batch changes nothing and keeps the ETag, but still checks it.
	e, err := s.UpdateKeys(ctx, acct, arn, w.ETag, UpdateKeysInput{})
	noErr(t, err)
	if e != w {
		t.Fatalf("empty batch: %+v, want %+v", e, w)
	}
	_, err = s.UpdateKeys(ctx, acct, arn, "KVBAD", UpdateKeysInput{})
	wantCode(t, err, "ConflictException", 409)
}

func TestDataPlaneAddressing(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "addr").ARN
	other, err := s.Create(ctx, "210987654321", CreateInput{Name: "addr"})
	noErr(t, err)

	for _, bad := range []string{"", "arn", "arn:aws:s3:::bucket/key", "arn:aws:cloudfront:us-east-1:123456789012:key-value-store/x",
		"arn:aws:cloudfront::12345:key-value-store/x", "arn:aws:cloudfront::123456789012:function/x", "arn:aws:cloudfront::123456789012:key-value-store/"} {
		_, err := s.DescribeData(ctx, acct, bad)
		wantCode(t, err, "ValidationException", 400)
	}
	_, err = s.DescribeData(ctx, acct, other.ARN)
	wantCode(t, err, "AccessDeniedException", 403)
	_, err = s.PutKey(ctx, acct, other.ARN, "KVTVPDKIKX0DER", "k", "v")
	wantCode(t, err, "AccessDeniedException", 403)
	_, err = s.DescribeData(ctx, acct, strings.Replace(arn, "0001", "0009", 1))
	wantCode(t, err, "ResourceNotFoundException", 404)
	_, err = s.DescribeData(ctx, acct, strings.Replace(arn, "arn:aws:", "arn:aws-cn:", 1))
	wantCode(t, err, "ResourceNotFoundException", 404)
	_, err = s.ListKeys(ctx, acct, strings.Replace(arn, "0001", "0009", 1), ListKeysInput{})
	wantCode(t, err, "ResourceNotFoundException", 404)
	_, err = s.PutKey(ctx, acct, strings.Replace(arn, "0001", "0009", 1), "KVTVPDKIKX0DER", "k", "v")
	wantCode(t, err, "ResourceNotFoundException", 404)
}

func TestDataPlaneLimits(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "limits").ARN
	etag := "KVTVPDKIKX0DER"
	put := func(k, v string) error {
		w, err := s.PutKey(ctx, acct, arn, etag, k, v)
		if err == nil {
			etag = w.ETag
		}
		return err
	}
	noErr(t, put(strings.Repeat("k", 512), strings.Repeat("v", 1024)))
	noErr(t, put(strings.Repeat("é", 256), "x")) // 512 bytes
	wantCode(t, put(strings.Repeat("k", 513), "v"), "ValidationException", 400)
	wantCode(t, put(strings.Repeat("é", 257), "v"), "ValidationException", 400)
	wantCode(t, put("", "v"), "ValidationException", 400)
	wantCode(t, put("k", strings.Repeat("v", 1025)), "ValidationException", 400)
	wantCode(t, put("k\xff", "v"), "ValidationException", 400)
	wantCode(t, put("k", "v\xff"), "ValidationException", 400)
	_, err := s.GetKey(ctx, acct, arn, strings.Repeat("k", 513))
	wantCode(t, err, "ValidationException", 400)

	// Batch limits: 50 keys, 3 MB.
	var puts []KeyValue
	for i := 0; i < 51; i++ {
		puts = append(puts, KeyValue{fmt.Sprintf("b%02d", i), "v"})
	}
	_, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts})
	wantCode(t, err, "ServiceQuotaExceededException", 402)
	_, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts[:50], Deletes: []string{"x"}})
	wantCode(t, err, "ServiceQuotaExceededException", 402)
	_, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: []KeyValue{{"a", "1"}, {"a", "2"}}})
	wantCode(t, err, "ValidationException", 400)
	_, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: []KeyValue{{"a", "1"}}, Deletes: []string{"a"}})
	wantCode(t, err, "ValidationException", 400)
	_, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Deletes: []string{""}})
	wantCode(t, err, "ValidationException", 400)
	w, err := s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts[:50]})
	noErr(t, err)
	etag = w.ETag
	if w.ItemCount != 52 {
		t.Fatalf("count %d", w.ItemCount)
	}
}

func TestStoreSizeLimitIsAtomic(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "big").ARN
	etag := "KVTVPDKIKX0DER"
	value := strings.Repeat("v", 1024)
	// Fill to just under 5 MB: batches of 50 pairs of 1024+8 bytes.
	i := 0
	for {
		var puts []KeyValue
		for j := 0; j < 50; j++ {
			puts = append(puts, KeyValue{fmt.Sprintf("key%05d", i), value})
			i++
		}
		w, err := s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts})
		if err != nil {
			wantCode(t, err, "ServiceQuotaExceededException", 402)
			break
		}
		etag = w.ETag
	}
	before, err := s.DescribeData(ctx, acct, arn)
	noErr(t, err)
	if before.ETag != etag || before.TotalSizeInBytes > MaxStoreBytes || before.TotalSizeInBytes+50*1032 <= MaxStoreBytes {
		t.Fatalf("after fill: %+v", before)
	}
	// Nothing of the rejected batch was written.
	_, err = s.GetKey(ctx, acct, arn, fmt.Sprintf("key%05d", i-1))
	wantCode(t, err, "ResourceNotFoundException", 404)
	// Single puts until the next one no longer fits, then fill exactly to the limit.
	for n := 0; ; n++ {
		w, err := s.PutKey(ctx, acct, arn, etag, fmt.Sprintf("s%05d", n), value)
		if err != nil {
			wantCode(t, err, "ServiceQuotaExceededException", 402)
			break
		}
		etag = w.ETag
	}
	d, err := s.DescribeData(ctx, acct, arn)
	noErr(t, err)
	room := int(MaxStoreBytes - d.TotalSizeInBytes)
	kl := max(1, room-1024)
	w, err := s.PutKey(ctx, acct, arn, etag, strings.Repeat("z", kl), strings.Repeat("x", room-kl))
	noErr(t, err)
	if w.TotalSizeInBytes != MaxStoreBytes || w.ItemCount != d.ItemCount+1 {
		t.Fatalf("exact fill: %+v", w)
	}
	_, err = s.PutKey(ctx, acct, arn, w.ETag, "q", "")
	wantCode(t, err, "ServiceQuotaExceededException", 402)
	// Replacing a value with a shorter one still works at the limit.
	_, err = s.PutKey(ctx, acct, arn, w.ETag, strings.Repeat("z", kl), "")
	noErr(t, err)
}

func TestListKeysPagination(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "list").ARN
	var puts []KeyValue
	for i := 0; i < 23; i++ {
		puts = append(puts, KeyValue{fmt.Sprintf("k%02d", i), fmt.Sprint(i)})
	}
	w, err := s.UpdateKeys(ctx, acct, arn, "KVTVPDKIKX0DER", UpdateKeysInput{Puts: puts})
	noErr(t, err)

	out, err := s.ListKeys(ctx, acct, arn, ListKeysInput{})
	noErr(t, err)
	if len(out.Items) != 10 || out.NextToken == "" {
		t.Fatalf("default page: %+v", out)
	}
	var got []string
	token := ""
	for page := 0; ; page++ {
		out, err := s.ListKeys(ctx, acct, arn, ListKeysInput{NextToken: token, MaxResults: 5})
		noErr(t, err)
		for _, it := range out.Items {
			got = append(got, it.Key+"="+it.Value)
		}
		if page == 0 { // a concurrent delete of the page's last key changes nothing
			w, err = s.DeleteKey(ctx, acct, arn, w.ETag, out.Items[4].Key)
			noErr(t, err)
			w, err = s.PutKey(ctx, acct, arn, w.ETag, out.Items[4].Key, "4")
			noErr(t, err)
		}
		if out.NextToken == "" {
			break
		}
		token = out.NextToken
	}
	if len(got) != 23 || got[0] != "k00=0" || got[22] != "k22=22" {
		t.Fatalf("listed %v", got)
	}
	for _, in := range []ListKeysInput{{MaxResults: -1}, {MaxResults: 51}, {NextToken: "!!"}, {NextToken: "="}} {
		_, err := s.ListKeys(ctx, acct, arn, in)
		wantCode(t, err, "ValidationException", 400)
	}
	out, err = s.ListKeys(ctx, acct, arn, ListKeysInput{MaxResults: 50})
	noErr(t, err)
	if len(out.Items) != 23 || out.NextToken != "" {
		t.Fatalf("one page: %d %q", len(out.Items), out.NextToken)
	}
	empty := mustCreate(t, s, "empty").ARN
	out, err = s.ListKeys(ctx, acct, empty, ListKeysInput{})
	noErr(t, err)
	if out.Items == nil || len(out.Items) != 0 || out.NextToken != "" {
		t.Fatalf("empty store: %+v", out)
	}
}

func TestExistsAndCheckAssociation(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "assoc").ARN
	for arnIn, want := range map[string]bool{arn: true, strings.Replace(arn, "0001", "0002", 1): false, "junk": false} {
		got, err := s.Exists(ctx, acct, arnIn)
		noErr(t, err)
		if got != want {
			t.Errorf("Exists(%s) = %v", arnIn, got)
		}
		got2, _ := s.KeyValueStoreExists(ctx, acct, arnIn)
		if got2 != want {
			t.Errorf("KeyValueStoreExists(%s) = %v", arnIn, got2)
		}
	}
	if ok, _ := s.Exists(ctx, "210987654321", arn); ok {
		t.Error("another account sees the store")
	}
	noErr(t, s.CheckAssociation(ctx, acct, arn))
	wantCode(t, s.CheckAssociation(ctx, acct, "junk"), "InvalidArgument", 400)
	wantCode(t, s.CheckAssociation(ctx, acct, strings.Replace(arn, "0001", "0002", 1)), "InvalidArgument", 400)
	wantCode(t, s.CheckAssociation(ctx, "210987654321", arn), "InvalidArgument", 400)
}

func TestKeysSurviveRestart(t *testing.T) {
	path := t.TempDir() + "/kvs.db"
	ctx := context.Background()
	db := openFile(t, path)
	s := New(db, Options{})
	st, err := s.Create(ctx, acct, CreateInput{Name: "persist"})
	noErr(t, err)
	w, err := s.UpdateKeys(ctx, acct, st.ARN, "KVTVPDKIKX0DER", UpdateKeysInput{Puts: []KeyValue{{"a", "1"}, {"b/c", "2"}}})
	noErr(t, err)
	s.Close()
	noErr(t, db.Close())

	db = openFile(t, path)
	defer db.Close()
	s = New(db, Options{})
	defer s.Close()
	d, err := s.DescribeData(ctx, acct, st.ARN)
	noErr(t, err)
	if d.ETag != w.ETag || d.ItemCount != 2 || d.TotalSizeInBytes != w.TotalSizeInBytes {
		t.Fatalf("after restart: %+v", d)
	}
	sn, err := s.Snapshot(ctx, st.ARN)
	noErr(t, err)
	if v, ok := sn.Get("b/c"); !ok || v != "2" {
		t.Fatalf("snapshot after restart: %q %v", v, ok)
	}
}
