package cfapi

import (
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
)

var created = time.Date(2026, 11, 24, 21, 11, 29, 609_400_000, time.FixedZone("CET", 3600))

// The answer recorded in wire-captures/gosdk-create-function-js1.txt, which every client
// parsed; LocalFront renders the same summary byte for byte.
const capturedSummary = `<?xml version="1.0" encoding="UTF-8"?>
<FunctionSummary xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>cap-fn</Name><Status>UNPUBLISHED</Status><FunctionConfig><Comment>cap-comment</Comment><Runtime>cloudfront-js-1.0</Runtime><KeyValueStoreAssociations><Quantity>0</Quantity></KeyValueStoreAssociations></FunctionConfig><FunctionMetadata><FunctionARN>arn:aws:cloudfront::123456789012:function/cap-fn</FunctionARN><Stage>DEVELOPMENT</Stage><CreatedTime>2026-11-24T20:11:29.609Z</CreatedTime><LastModifiedTime>2026-11-24T20:11:29.609Z</LastModifiedTime></FunctionMetadata></FunctionSummary>`

func sample() functions.Summary {
	return functions.Summary{
		Name: "cap-fn", Status: "UNPUBLISHED",
		Config:      functions.Config{Comment: "cap-comment", Runtime: "cloudfront-js-1.0"},
		ARN:         "arn:aws:cloudfront::123456789012:function/cap-fn",
		Stage:       functions.Development,
		CreatedTime: created, LastModifiedTime: created,
	}
}

func TestSummaryMatchesCapture(t *testing.T) {
	got, err := marshalXML(rootSummaryXML(sample()))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != capturedSummary {
		t.Errorf("got\n%s\nwant\n%s", got, capturedSummary)
	}
}

func TestResponseShapes(t *testing.T) {
	s := sample()
	s.Config.KeyValueStoreARNs = []string{"arn:aws:cloudfront::123456789012:key-value-store/k"}
	body, _ := marshalXML(rootSummaryXML(s))
	if !strings.Contains(string(body), `<KeyValueStoreAssociations><Quantity>1</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/k</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations>`) {
		t.Errorf("KVS association: %s", body)
	}

	list, _ := marshalXML(functionListXML(functions.ListOutput{Items: []functions.Summary{sample()}, MaxItems: 1, NextMarker: "cap-fn"}))
	for _, want := range []string{`<FunctionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><NextMarker>cap-fn</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><FunctionSummary><Name>`} {
		if !strings.Contains(string(list), want) {
			t.Errorf("list %s\nlacks %s", list, want)
		}
	}
	if strings.Count(string(list), "xmlns") != 1 {
		t.Errorf("nested summaries must not repeat the namespace: %s", list)
	}
	empty, _ := marshalXML(functionListXML(functions.ListOutput{MaxItems: 100}))
	if !strings.HasSuffix(string(empty), `<FunctionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><MaxItems>100</MaxItems><Quantity>0</Quantity><Items></Items></FunctionList>`) {
		t.Errorf("empty list: %s", empty)
	}

	res, _ := marshalXML(testResultXML(functions.TestResult{Summary: sample(), ComputeUtilization: 21, Logs: []string{"a", "<b>"}, Output: `{"request":{"uri":"/"}}`}))
	for _, want := range []string{
		`<ComputeUtilization>21</ComputeUtilization><FunctionExecutionLogs><member>a</member><member>&lt;b&gt;</member></FunctionExecutionLogs><FunctionErrorMessage></FunctionErrorMessage><FunctionOutput>{&#34;request&#34;:{&#34;uri&#34;:&#34;/&#34;}}</FunctionOutput></TestResult>`,
		`<TestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><FunctionSummary><Name>cap-fn</Name>`,
	} {
		if !strings.Contains(string(res), want) {
			t.Errorf("test result %s\nlacks %s", res, want)
		}
	}
	noLogs, _ := marshalXML(testResultXML(functions.TestResult{Summary: sample(), ErrorMessage: "boom"}))
	if !strings.Contains(string(noLogs), `<ComputeUtilization>0</ComputeUtilization><FunctionExecutionLogs></FunctionExecutionLogs><FunctionErrorMessage>boom</FunctionErrorMessage><FunctionOutput></FunctionOutput>`) {
		t.Errorf("no logs: %s", noLogs)
	}

	tags, _ := marshalXML(tagsXML([]functions.Tag{{Key: "k", Value: ""}}))
	if !strings.HasSuffix(string(tags), `<Tags xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Items><Tag><Key>k</Key><Value></Value></Tag></Items></Tags>`) {
		t.Errorf("tags: %s", tags)
	}
}

func TestErrorEnvelope(t *testing.T) {
	got := string(errorBody(apierror.New("PreconditionFailed", 412, "a <b> & c"), "rid"))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>a &lt;b&gt; &amp; c</Message></Error><RequestId>rid</RequestId></ErrorResponse>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(string(errorBody(apierror.TestFunctionFailed("x"), "r")), "<Type>Receiver</Type>") {
		t.Error("a 5xx error must be a Receiver fault")
	}
}
