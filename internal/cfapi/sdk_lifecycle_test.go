package cfapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// TestFunctionLifecycleThroughSDK drives every function operation through the real AWS
// SDK for Go v2 and checks what the SDK reads back: ETags (UpdateFunction's from the
// "ETtag" header), Location, Content-Type, stages and status transitions.
func TestFunctionLifecycleThroughSDK(t *testing.T) {
	s := newStack(t, stackOptions{})
	ctx := context.Background()
	const arn = "arn:aws:cloudfront::123456789012:function/life"

	created, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name:           aws.String("life"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("first"), Runtime: types.FunctionRuntimeCloudfrontJs10},
		FunctionCode:   []byte(sampleCode),
	})
	if err != nil {
		t.Fatal(err)
	}
	resp := rawResponse(t, created.ResultMetadata)
	if resp.StatusCode != 201 {
		t.Errorf("CreateFunction status %d, want 201", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Error("no x-amzn-RequestId")
	}
	if got, want := aws.ToString(created.Location), "https://cloudfront.amazonaws.com/2020-05-31/function/"+arn; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	devETag := aws.ToString(created.ETag)
	if devETag != "ETVPDKIKX0DER" {
		t.Errorf("first ETag %q, want CloudFront's ETVPDKIKX0DER", devETag)
	}
	sum := created.FunctionSummary
	if aws.ToString(sum.Name) != "life" || aws.ToString(sum.Status) != "UNPUBLISHED" ||
		aws.ToString(sum.FunctionConfig.Comment) != "first" || sum.FunctionConfig.Runtime != types.FunctionRuntimeCloudfrontJs10 ||
		aws.ToString(sum.FunctionMetadata.FunctionARN) != arn || sum.FunctionMetadata.Stage != types.FunctionStageDevelopment {
		t.Errorf("CreateFunction summary: %+v / %+v / %+v", sum, sum.FunctionConfig, sum.FunctionMetadata)
	}
	if sum.FunctionMetadata.CreatedTime == nil || !sum.FunctionMetadata.CreatedTime.Equal(aws.ToTime(sum.FunctionMetadata.LastModifiedTime)) {
		t.Errorf("CreatedTime %v, LastModifiedTime %v: want equal", sum.FunctionMetadata.CreatedTime, sum.FunctionMetadata.LastModifiedTime)
	}
	if d := time.Since(aws.ToTime(sum.FunctionMetadata.CreatedTime)); d < -time.Minute || d > time.Minute {
		t.Errorf("CreatedTime %v is not now", sum.FunctionMetadata.CreatedTime)
	}
	if sum.FunctionConfig.KeyValueStoreAssociations == nil || aws.ToInt32(sum.FunctionConfig.KeyValueStoreAssociations.Quantity) != 0 {
		t.Errorf("KeyValueStoreAssociations %+v, want Quantity 0", sum.FunctionConfig.KeyValueStoreAssociations)
	}

	desc, err := s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("life")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.ETag) != devETag || aws.ToString(desc.FunctionSummary.Name) != "life" {
		t.Errorf("DescribeFunction: ETag %q summary %+v", aws.ToString(desc.ETag), desc.FunctionSummary)
	}
	_, err = s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("life"), Stage: types.FunctionStageLive})
	wantAPIError(t, err, "NoSuchFunctionExists", 404)

	got, err := s.CF.GetFunction(ctx, &cloudfront.GetFunctionInput{Name: aws.String("life")})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.FunctionCode) != sampleCode || aws.ToString(got.ContentType) != "application/octet-stream" || aws.ToString(got.ETag) != devETag {
		t.Errorf("GetFunction: code %q, content type %q, ETag %q", got.FunctionCode, aws.ToString(got.ContentType), aws.ToString(got.ETag))
	}

	const newCode = "function handler(event) { return event.request; }"
	updated, err := s.CF.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{
		Name:           aws.String("life"),
		IfMatch:        aws.String(devETag),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(newCode),
	})
	if err != nil {
		t.Fatal(err)
	}
	newETag := aws.ToString(updated.ETag) // the SDK reads it from the ETtag header
	if newETag == "" || newETag == devETag {
		t.Fatalf("UpdateFunction ETag %q (old %q): want a new, non-empty ETag", newETag, devETag)
	}
	if h := rawResponse(t, updated.ResultMetadata).Header; h.Get("ETag") != newETag || h.Get("ETtag") != newETag {
		t.Errorf("UpdateFunction headers ETag %q ETtag %q, want both %q", h.Get("ETag"), h.Get("ETtag"), newETag)
	}
	if aws.ToString(updated.FunctionSummary.FunctionConfig.Comment) != "" || updated.FunctionSummary.FunctionConfig.Runtime != types.FunctionRuntimeCloudfrontJs20 {
		t.Errorf("UpdateFunction config %+v", updated.FunctionSummary.FunctionConfig)
	}

	published, err := s.CF.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String("life"), IfMatch: aws.String(newETag)})
	if err != nil {
		t.Fatal(err)
	}
	if published.FunctionSummary.FunctionMetadata.Stage != types.FunctionStageLive || aws.ToString(published.FunctionSummary.Status) != "UNASSOCIATED" {
		t.Errorf("PublishFunction summary stage %s status %s", published.FunctionSummary.FunctionMetadata.Stage, aws.ToString(published.FunctionSummary.Status))
	}
	live, err := s.CF.GetFunction(ctx, &cloudfront.GetFunctionInput{Name: aws.String("life"), Stage: types.FunctionStageLive})
	if err != nil {
		t.Fatal(err)
	}
	if string(live.FunctionCode) != newCode {
		t.Errorf("LIVE code %q, want the published DEVELOPMENT code", live.FunctionCode)
	}
	liveDesc, err := s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("life"), Stage: types.FunctionStageLive})
	if err != nil {
		t.Fatal(err)
	}
	if liveDesc.FunctionSummary.FunctionMetadata.Stage != types.FunctionStageLive {
		t.Errorf("LIVE describe stage %s", liveDesc.FunctionSummary.FunctionMetadata.Stage)
	}

	all, err := s.CF.ListFunctions(ctx, &cloudfront.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if q := aws.ToInt32(all.FunctionList.Quantity); q != 2 || len(all.FunctionList.Items) != 2 {
		t.Errorf("ListFunctions without Stage: Quantity %d, %d items; want both stages", q, len(all.FunctionList.Items))
	}
	liveOnly, err := s.CF.ListFunctions(ctx, &cloudfront.ListFunctionsInput{Stage: types.FunctionStageLive})
	if err != nil {
		t.Fatal(err)
	}
	if len(liveOnly.FunctionList.Items) != 1 || liveOnly.FunctionList.Items[0].FunctionMetadata.Stage != types.FunctionStageLive {
		t.Errorf("ListFunctions Stage=LIVE: %+v", liveOnly.FunctionList.Items)
	}

	deleted, err := s.CF.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("life"), IfMatch: aws.String(newETag)})
	if err != nil {
		t.Fatal(err)
	}
	if st := rawResponse(t, deleted.ResultMetadata).StatusCode; st != 204 {
		t.Errorf("DeleteFunction status %d, want 204", st)
	}
	_, err = s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("life")})
	wantAPIError(t, err, "NoSuchFunctionExists", 404)
	empty, err := s.CF.ListFunctions(ctx, &cloudfront.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.FunctionList.Items) != 0 || aws.ToInt32(empty.FunctionList.Quantity) != 0 {
		t.Errorf("ListFunctions after delete: %+v", empty.FunctionList)
	}
}

// TestListFunctionsPagination pages with MaxItems and Marker through the SDK and sees
// every function exactly once, in order.
func TestListFunctionsPagination(t *testing.T) {
	s := newStack(t, stackOptions{})
	ctx := context.Background()
	names := []string{"a-1", "a-2", "b-1", "b-2", "c-1", "c-2", "d"}
	for _, n := range names {
		s.create(t, n)
	}
	var seen []string
	var marker *string
	for page := 0; ; page++ {
		if page > len(names) {
			t.Fatal("pagination does not end")
		}
		out, err := s.CF.ListFunctions(ctx, &cloudfront.ListFunctionsInput{MaxItems: aws.Int32(3), Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		l := out.FunctionList
		if aws.ToInt32(l.MaxItems) != 3 || int(aws.ToInt32(l.Quantity)) != len(l.Items) || len(l.Items) > 3 {
			t.Fatalf("page %d: MaxItems %d Quantity %d items %d", page, aws.ToInt32(l.MaxItems), aws.ToInt32(l.Quantity), len(l.Items))
		}
		for _, it := range l.Items {
			seen = append(seen, aws.ToString(it.Name))
		}
		if l.NextMarker == nil {
			break
		}
		marker = l.NextMarker
	}
	if len(seen) != len(names) {
		t.Fatalf("saw %v, want %v", seen, names)
	}
	for i := range names {
		if seen[i] != names[i] {
			t.Fatalf("saw %v, want %v", seen, names)
		}
	}
	_, err := s.CF.ListFunctions(ctx, &cloudfront.ListFunctionsInput{MaxItems: aws.Int32(-1)})
	wantAPIError(t, err, "InvalidArgument", 400)
}

// TestTagsThroughSDK covers tags given at creation, TagResource, UntagResource and
// ListTagsForResource, including the 204s.
func TestTagsThroughSDK(t *testing.T) {
	s := newStack(t, stackOptions{})
	ctx := context.Background()
	out, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name:           aws.String("tagged"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(sampleCode),
		Tags:           &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.FunctionSummary.FunctionMetadata.FunctionARN
	tags := func() map[string]string {
		t.Helper()
		l, err := s.CF.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: arn})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, tag := range l.Tags.Items {
			m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		return m
	}
	if got := tags(); len(got) != 1 || got["team"] != "edge" {
		t.Fatalf("tags after create: %v", got)
	}
	tagged, err := s.CF.TagResource(ctx, &cloudfront.TagResourceInput{Resource: arn, Tags: &types.Tags{Items: []types.Tag{
		{Key: aws.String("env"), Value: aws.String("dev")},
		{Key: aws.String("team"), Value: aws.String("platform")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if st := rawResponse(t, tagged.ResultMetadata).StatusCode; st != 204 {
		t.Errorf("TagResource status %d, want 204", st)
	}
	if got := tags(); len(got) != 2 || got["team"] != "platform" || got["env"] != "dev" {
		t.Fatalf("tags after TagResource: %v", got)
	}
	untagged, err := s.CF.UntagResource(ctx, &cloudfront.UntagResourceInput{Resource: arn, TagKeys: &types.TagKeys{Items: []string{"team"}}})
	if err != nil {
		t.Fatal(err)
	}
	if st := rawResponse(t, untagged.ResultMetadata).StatusCode; st != 204 {
		t.Errorf("UntagResource status %d, want 204", st)
	}
	if got := tags(); len(got) != 1 || got["env"] != "dev" {
		t.Fatalf("tags after UntagResource: %v", got)
	}
	_, err = s.CF.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: aws.String("arn:aws:cloudfront::123456789012:function/missing")})
	wantAPIError(t, err, "NoSuchResource", 404)
	_, err = s.CF.TagResource(ctx, &cloudfront.TagResourceInput{Resource: arn, Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}}})
	wantAPIError(t, err, "InvalidTagging", 400)
}
