package kvsxml

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/kvs"
)

// sdkServer records the request bodies the real Go SDK sends and answers every request
// with status and the bytes reply returns, so the SDK's own deserializer reads our output.
type sdkServer struct {
	client *cloudfront.Client
	bodies chan []byte
	reply  func(r *http.Request) (int, []byte)
}

func newSDKServer(t *testing.T) *sdkServer {
	t.Helper()
	s := &sdkServer{bodies: make(chan []byte, 10)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.bodies <- body
		status, out := s.reply(r)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("ETag", "E2QWRUHEXAMPLE")
		w.Header().Set("Location", "https://cloudfront.amazonaws.com/2020-05-31/key-value-store/x")
		w.WriteHeader(status)
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	s.client = cloudfront.New(cloudfront.Options{
		BaseEndpoint:     aws.String(srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	return s
}

var sampleStore = kvs.Store{
	Name:         "store-1",
	ID:           "8aa76c93-3198-462c-aaf6-0123456789ab",
	Comment:      `quotes " & <angles>`,
	ARN:          "arn:aws:cloudfront::123456789012:key-value-store/8aa76c93-3198-462c-aaf6-0123456789ab",
	Status:       kvs.StatusReady,
	LastModified: time.Date(2024, 8, 6, 22, 19, 10, 813e6, time.UTC),
}

func checkSDKStore(t *testing.T, got *types.KeyValueStore, want kvs.Store) {
	t.Helper()
	if got == nil {
		t.Fatal("no KeyValueStore in the output")
	}
	if aws.ToString(got.Name) != want.Name || aws.ToString(got.Id) != want.ID || aws.ToString(got.Comment) != want.Comment ||
		aws.ToString(got.ARN) != want.ARN || aws.ToString(got.Status) != want.Status {
		t.Errorf("SDK read %+v, want %+v", got, want)
	}
	if got.LastModifiedTime == nil || !got.LastModifiedTime.Equal(want.LastModified) {
		t.Errorf("LastModifiedTime %v, want %v", got.LastModifiedTime, want.LastModified)
	}
}

// The SDK's CreateKeyValueStore body (alphabetical order, every member set) decodes to
// what the caller passed, and the SDK reads our KeyValueStore answer back field for field.
func TestSDKCreateRoundTrip(t *testing.T) {
	s := newSDKServer(t)
	s.reply = func(*http.Request) (int, []byte) { return 201, EncodeStore(sampleStore) }
	out, err := s.client.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{
		Name:    aws.String("store-1"),
		Comment: aws.String("c & d"),
		ImportSource: &types.ImportSource{
			SourceType: types.ImportSourceTypeS3,
			SourceARN:  aws.String("file:///tmp/data.json"),
		},
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}, {Key: aws.String("bare")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkSDKStore(t, out.KeyValueStore, sampleStore)
	if aws.ToString(out.ETag) != "E2QWRUHEXAMPLE" {
		t.Errorf("ETag %v", out.ETag)
	}

	body := <-s.bodies
	got, err := DecodeCreate(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	in := got.Input
	if in.Name != "store-1" || in.Comment != "c & d" || in.ImportSource == nil ||
		in.ImportSource.SourceType != "S3" || in.ImportSource.SourceARN != "file:///tmp/data.json" {
		t.Errorf("decoded %+v from\n%s", in, body)
	}
	if len(got.Tags) != 2 || got.Tags[0] != (Tag{"team", "edge"}) || got.Tags[1] != (Tag{"bare", ""}) {
		t.Errorf("tags %+v from\n%s", got.Tags, body)
	}
}

// The SDK's minimal CreateKeyValueStore body (name only) decodes with an empty comment.
func TestSDKCreateMinimal(t *testing.T) {
	s := newSDKServer(t)
	s.reply = func(*http.Request) (int, []byte) { return 201, EncodeStore(sampleStore) }
	if _, err := s.client.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{Name: aws.String("n")}); err != nil {
		t.Fatal(err)
	}
	body := <-s.bodies
	got, err := DecodeCreate(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if in := got.Input; in.Name != "n" || in.Comment != "" || in.ImportSource != nil || in.Tags != nil || got.Tags != nil {
		t.Errorf("decoded %+v from\n%s", got, body)
	}
}

func TestSDKUpdateRoundTrip(t *testing.T) {
	for _, comment := range []string{"new comment", ""} {
		s := newSDKServer(t)
		s.reply = func(*http.Request) (int, []byte) { return 200, EncodeStore(sampleStore) }
		out, err := s.client.UpdateKeyValueStore(context.Background(), &cloudfront.UpdateKeyValueStoreInput{
			Name: aws.String("store-1"), IfMatch: aws.String("ETVPDKIKX0DER"), Comment: aws.String(comment),
		})
		if err != nil {
			t.Fatal(err)
		}
		checkSDKStore(t, out.KeyValueStore, sampleStore)
		body := <-s.bodies
		got, err := DecodeUpdate(body)
		if err != nil || got != comment {
			t.Errorf("decoded %q, %v from\n%s; want %q", got, err, body, comment)
		}
	}
}

// A store without a Status (the model makes it optional) and one PROVISIONING both parse.
func TestSDKDescribeReadsStore(t *testing.T) {
	for _, st := range []kvs.Store{sampleStore, {Name: "p", ID: "i", ARN: "a", Status: kvs.StatusProvisioning, LastModified: sampleStore.LastModified}} {
		s := newSDKServer(t)
		s.reply = func(*http.Request) (int, []byte) { return 200, EncodeStore(st) }
		out, err := s.client.DescribeKeyValueStore(context.Background(), &cloudfront.DescribeKeyValueStoreInput{Name: aws.String(st.Name)})
		if err != nil {
			t.Fatal(err)
		}
		checkSDKStore(t, out.KeyValueStore, st)
	}
}

func TestSDKListReadsPages(t *testing.T) {
	second := sampleStore
	second.Name, second.Comment, second.Status = "store-2", "", kvs.StatusImportFailed
	pages := []kvs.ListOutput{
		{Items: []kvs.Store{sampleStore, second}, MaxItems: 2, NextMarker: "store-2"},
		{Items: []kvs.Store{}, MaxItems: 2},
	}
	s := newSDKServer(t)
	var markers []string
	s.reply = func(r *http.Request) (int, []byte) {
		markers = append(markers, r.URL.Query().Get("Marker"))
		return 200, EncodeList(pages[len(markers)-1])
	}
	p := cloudfront.NewListKeyValueStoresPaginator(s.client, &cloudfront.ListKeyValueStoresInput{MaxItems: aws.Int32(2)})
	var got []types.KeyValueStore
	var quantities []int32
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		l := out.KeyValueStoreList
		if aws.ToInt32(l.MaxItems) != 2 {
			t.Errorf("MaxItems %v", l.MaxItems)
		}
		quantities = append(quantities, aws.ToInt32(l.Quantity))
		got = append(got, l.Items...)
	}
	if len(markers) != 2 || markers[0] != "" || markers[1] != "store-2" {
		t.Errorf("markers sent %q", markers)
	}
	if len(quantities) != 2 || quantities[0] != 2 || quantities[1] != 0 {
		t.Errorf("quantities %v", quantities)
	}
	if len(got) != 2 {
		t.Fatalf("got %d stores", len(got))
	}
	checkSDKStore(t, &got[0], sampleStore)
	checkSDKStore(t, &got[1], second)
}
