package kvs

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

func TestTagsLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	st, err := s.Create(ctx, acct, CreateInput{Name: "tagged", Tags: []Tag{{"b", "2"}, {"a", "1"}}})
	noErr(t, err)
	got, err := s.ListTags(ctx, acct, st.ARN)
	noErr(t, err)
	if want := []Tag{{"a", "1"}, {"b", "2"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("tags %v, want %v", got, want)
	}
	noErr(t, s.TagResource(ctx, acct, st.ARN, []Tag{{"a", "one"}, {"c", ""}}))
	noErr(t, s.UntagResource(ctx, acct, st.ARN, []string{"b", "missing"}))
	got, _ = s.ListTags(ctx, acct, st.ARN)
	if want := []Tag{{"a", "one"}, {"c", ""}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("tags %v, want %v", got, want)
	}
	// Tags do not version the store, and data-plane writes keep them.
	d, err := s.Describe(ctx, acct, "tagged")
	noErr(t, err)
	if d.ETag != st.ETag {
		t.Errorf("tagging changed the ETag %s -> %s", st.ETag, d.ETag)
	}
	desc, err := s.DescribeData(ctx, acct, st.ARN)
	noErr(t, err)
	_, err = s.PutKey(ctx, acct, st.ARN, desc.ETag, "k", "v")
	noErr(t, err)
	if got, _ = s.ListTags(ctx, acct, st.ARN); len(got) != 2 {
		t.Errorf("tags after a key write: %v", got)
	}
}

func TestTagsLimitsAndMissingStores(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	many := make([]Tag, MaxTagsPerStore+1)
	for i := range many {
		many[i] = Tag{Key: fmt.Sprintf("k%02d", i)}
	}
	_, err := s.Create(ctx, acct, CreateInput{Name: "x", Tags: many})
	wantCode(t, err, "InvalidTagging", 400)

	st, err := s.Create(ctx, acct, CreateInput{Name: "x", Tags: many[:MaxTagsPerStore]})
	noErr(t, err)
	wantCode(t, s.TagResource(ctx, acct, st.ARN, []Tag{{Key: "one-more"}}), "InvalidTagging", 400)
	noErr(t, s.TagResource(ctx, acct, st.ARN, []Tag{{Key: "k00", Value: "replaced"}}))

	missing := FormatARN(acct, "00000000-0000-4000-8000-999999999999")
	for _, arn := range []string{missing, FormatARN("999999999999", st.ID), "not-an-arn"} {
		_, err := s.ListTags(ctx, acct, arn)
		wantCode(t, err, "NoSuchResource", 404)
		wantCode(t, s.TagResource(ctx, acct, arn, []Tag{{Key: "a"}}), "NoSuchResource", 404)
		wantCode(t, s.UntagResource(ctx, acct, arn, []string{"a"}), "NoSuchResource", 404)
	}
}
