package functions

import (
	"reflect"
	"testing"
)

func TestTags(t *testing.T) {
	e := newEnv(t, Options{})
	arn := FunctionARN(acct, "fn")
	if _, err := e.svc.Create(ctx, acct, CreateInput{Name: "fn", Config: cfg1(), Code: code1,
		Tags: []Tag{{"team", "edge"}, {"env", "dev"}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.svc.ListTags(ctx, acct, arn)
	if err != nil || !reflect.DeepEqual(tags, []Tag{{"env", "dev"}, {"team", "edge"}}) {
		t.Fatalf("ListTags after create = %v, %v", tags, err)
	}
	if err := e.svc.TagResource(ctx, acct, arn, []Tag{{"env", "prod"}, {"cost", ""}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = e.svc.ListTags(ctx, acct, arn)
	if !reflect.DeepEqual(tags, []Tag{{"cost", ""}, {"env", "prod"}, {"team", "edge"}}) {
		t.Fatalf("after TagResource = %v", tags)
	}
	if err := e.svc.UntagResource(ctx, acct, arn, []string{"team", "never-set"}); err != nil {
		t.Fatal(err)
	}
	tags, _ = e.svc.ListTags(ctx, acct, arn)
	if !reflect.DeepEqual(tags, []Tag{{"cost", ""}, {"env", "prod"}}) {
		t.Fatalf("after UntagResource = %v", tags)
	}
	// Tagging changes neither the version nor the status.
	if d, _ := e.svc.Describe(ctx, acct, "fn", ""); d.ETag != "ETVPDKIKX0DER" {
		t.Fatalf("tagging changed the ETag to %s", d.ETag)
	}

	// Errors.
	wantCode(t, e.svc.TagResource(ctx, acct, arn, []Tag{{"aws:x", "v"}}), "InvalidTagging", 400)
	wantCode(t, e.svc.TagResource(ctx, acct, arn, manyTags(49)), "InvalidTagging", 400) // 2 + 49 > 50
	wantCode(t, e.svc.UntagResource(ctx, acct, arn, []string{""}), "InvalidTagging", 400)
	if tags, _ = e.svc.ListTags(ctx, acct, arn); len(tags) != 2 {
		t.Fatalf("a rejected TagResource changed the tags: %v", tags)
	}
	for _, bad := range []string{
		FunctionARN(acct, "nope"),
		FunctionARN("999999999999", "fn"),
		"arn:aws:cloudfront::" + acct + ":distribution/EDFDVBD6EXAMPLE",
		kvsARN,
	} {
		_, err := e.svc.ListTags(ctx, acct, bad)
		wantCode(t, err, "NoSuchResource", 404)
		wantCode(t, e.svc.TagResource(ctx, acct, bad, []Tag{{"k", "v"}}), "NoSuchResource", 404)
		wantCode(t, e.svc.UntagResource(ctx, acct, bad, []string{"k"}), "NoSuchResource", 404)
	}
	for _, bad := range []string{"", "fn", "arn:aws:s3:::bucket"} {
		_, err := e.svc.ListTags(ctx, acct, bad)
		wantCode(t, err, "InvalidArgument", 400)
	}

	// Deleting the function deletes its tags; a new function of that name starts bare.
	if err := e.svc.Delete(ctx, acct, "fn", "ETVPDKIKX0DER"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ListTags(ctx, acct, arn)
	wantCode(t, err, "NoSuchResource", 404)
	e.create(t, "fn")
	if tags, _ = e.svc.ListTags(ctx, acct, arn); len(tags) != 0 {
		t.Fatalf("re-created function inherited tags %v", tags)
	}
}
