package runtime

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// specEvent is the event of spec §9.1 (from the AWS documentation).
const specEvent = `{
  "version": "1.0",
  "context": {
    "distributionDomainName": "d111111abcdef8.cloudfront.net",
    "distributionId": "EDFDVBD6EXAMPLE",
    "eventType": "viewer-response",
    "requestId": "EXAMPLEntjQpEXAMPLE_SG5Z-EXAMPLEPmPfEXAMPLEu3EqEXAMPLE=="
  },
  "viewer": { "ip": "198.51.100.11" },
  "request": {
    "method": "GET",
    "uri": "/media/index.mpd",
    "querystring": { "ID": { "value": "42" }, "querymv": { "value": "val1", "multiValue": [ { "value": "val1" }, { "value": "val2,val3" } ] } },
    "headers": { "host": { "value": "video.example.com" }, "accept": { "value": "*/*" } },
    "cookies": { "Cookie1": { "value": "value1" } }
  },
  "response": {
    "statusCode": 200,
    "statusDescription": "OK",
    "headers": { "content-type": { "value": "application/json" } },
    "cookies": { "ID": { "value": "id1234", "attributes": "Expires=Wed, 05 Apr 2021 07:28:00 GMT" } }
  }
}`

func TestParseEventJSONSpecExample(t *testing.T) {
	ev, err := ParseEventJSON([]byte(specEvent))
	if err != nil {
		t.Fatal(err)
	}
	want := &Event{
		Version: "1.0",
		Context: Context{DistributionDomainName: "d111111abcdef8.cloudfront.net", DistributionID: "EDFDVBD6EXAMPLE", EventType: EventViewerResponse, RequestID: "EXAMPLEntjQpEXAMPLE_SG5Z-EXAMPLEPmPfEXAMPLEu3EqEXAMPLE=="},
		Viewer:  Viewer{IP: "198.51.100.11"},
		Request: &Request{
			Method: "GET", URI: "/media/index.mpd",
			Querystring: Values{
				{Name: "ID", Value: Value{Value: "42"}},
				{Name: "querymv", Value: Value{Value: "val1", MultiValue: []MultiValueItem{{Value: "val1"}, {Value: "val2,val3"}}}},
			},
			Headers:        Values{{Name: "host", Value: Value{Value: "video.example.com"}}, {Name: "accept", Value: Value{Value: "*/*"}}},
			Cookies:        Values{{Name: "Cookie1", Value: Value{Value: "value1"}}},
			RawQueryString: "ID=42&querymv=val1&querymv=val2,val3", HasQuery: true,
		},
		Response: &Response{
			StatusCode: 200, StatusDescription: "OK",
			Headers: Values{{Name: "content-type", Value: Value{Value: "application/json"}}},
			Cookies: Values{{Name: "ID", Value: Value{Value: "id1234", Attributes: "Expires=Wed, 05 Apr 2021 07:28:00 GMT"}}},
		},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("got  %+v\nwant %+v", ev, want)
	}
}

func TestParseEventJSONDefaults(t *testing.T) {
	ev, err := ParseEventJSON([]byte(`{"request":{"method":"GET","uri":"/","headers":{},"unknown":1,"querystring":{"a":{"value":"1","multivalue":[]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Version != "1.0" || ev.Context.EventType != EventViewerRequest || ev.Response != nil {
		t.Errorf("%+v", ev)
	}
	if v, _ := ev.Request.Querystring.Get("a"); v.MultiValue != nil {
		t.Error("the misspelled multivalue member was kept")
	}
	ev, err = ParseEventJSON([]byte(`{"request":{"method":"GET","uri":"/"},"response":{"statusCode":404}}`))
	if err != nil || ev.Context.EventType != EventViewerResponse {
		t.Errorf("%v %+v", err, ev)
	}
}

func TestParseEventJSONErrors(t *testing.T) {
	req := `"request":{"method":"GET","uri":"/"}`
	tests := []struct{ name, in, want string }{
		{"empty", ``, "not valid JSON: unexpected end of input"},
		{"malformed", `{"request":`, "not valid JSON"},
		{"trailing data", `{` + req + `} {}`, "unexpected data after the top-level value"},
		{"not an object", `[]`, "event must be an object, not an array"},
		{"no request", `{"version":"1.0"}`, "the event object has no request"},
		{"request not an object", `{"request":"x"}`, "event.request must be an object, not a string"},
		{"missing uri", `{"request":{"method":"GET"}}`, "event.request.uri is missing"},
		{"uri without slash", `{"request":{"method":"GET","uri":"x"}}`, `event.request.uri must start with "/"`},
		{"method not a string", `{"request":{"method":1,"uri":"/"}}`, "event.request.method must be a string, not a number"},
		{"uppercase header", `{"request":{"method":"GET","uri":"/","headers":{"Host":{"value":"a"}}}}`, `header name "Host" must be lowercase`},
		{"header value not an object", `{"request":{"method":"GET","uri":"/","headers":{"host":"a"}}}`, `event.request.headers["host"] must be an object, not a string`},
		{"header value missing", `{"request":{"method":"GET","uri":"/","headers":{"host":{}}}}`, `event.request.headers["host"].value is missing`},
		{"value not a string", `{"request":{"method":"GET","uri":"/","cookies":{"a":{"value":1}}}}`, `event.request.cookies["a"].value must be a string, not a number`},
		{"multiValue not an array", `{"request":{"method":"GET","uri":"/","querystring":{"a":{"value":"1","multiValue":{}}}}}`, `multiValue must be an array`},
		{"multiValue item", `{"request":{"method":"GET","uri":"/","querystring":{"a":{"value":"1","multiValue":["x"]}}}}`, `multiValue[0] must be an object, not a string`},
		{"statusCode string", `{` + req + `,"response":{"statusCode":"200"}}`, "event.response.statusCode must be a number, not a string"},
		{"statusCode fraction", `{` + req + `,"response":{"statusCode":200.5}}`, "integer from 100 to 599"},
		{"statusCode missing", `{` + req + `,"response":{}}`, "event.response.statusCode is missing"},
		{"bad event type", `{"context":{"eventType":"origin-request"},` + req + `}`, "must be viewer-request or viewer-response"},
		{"viewer-response without response", `{"context":{"eventType":"viewer-response"},` + req + `}`, "needs a response object"},
		{"context not an object", `{"context":[],` + req + `}`, "event.context must be an object"},
		{"invalid UTF-8", "{\"request\":{\"method\":\"GET\",\"uri\":\"/\xff\"}}", "not valid UTF-8"},
		{"oversized", `{` + req + `,"pad":"` + strings.Repeat("x", MaxEventSize) + `"}`, "the maximum is 40960 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEventJSON([]byte(tc.in))
			var ee *EventError
			if !errors.As(err, &ee) {
				t.Fatalf("want *EventError, got %v", err)
			}
			if !strings.Contains(ee.Message, tc.want) {
				t.Errorf("got %q, want it to contain %q", ee.Message, tc.want)
			}
		})
	}
}

func TestOutputJSON(t *testing.T) {
	res := &Result{Kind: KindRequest, Request: &Request{
		Method: "GET", URI: "/a</b>",
		Headers:     Values{{Name: "x", Value: Value{Value: "a\"b\n\x01é", MultiValue: []MultiValueItem{{Value: "a\"b\n\x01é"}, {Value: "c"}}}}},
		Querystring: Values{{Name: "q", Value: Value{Value: "1"}}},
	}}
	want := `{"request":{"headers":{"x":{"value":"a\"b\n\u0001é","multiValue":[{"value":"a\"b\n\u0001é"},{"value":"c"}]}},"method":"GET","querystring":{"q":{"value":"1"}},"uri":"/a</b>","cookies":{}}}`
	if got := res.OutputJSON(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !json.Valid([]byte(res.OutputJSON())) {
		t.Error("invalid JSON")
	}
	failed := &Result{Kind: KindRequest, Request: &Request{}, Err: &ExecError{Kind: ErrException}}
	if failed.OutputJSON() != "" {
		t.Error("output for a failed run")
	}
	if got := (&Result{Kind: KindResponse, Response: &Response{StatusCode: 204}}).OutputJSON(); got != `{"response":{"headers":{},"cookies":{},"statusCode":204}}` {
		t.Error(got)
	}
}

// FuzzParseEventJSON: any input either fails with an EventError or yields an event whose
// request, written as FunctionOutput and read back, is the same request.
func FuzzParseEventJSON(f *testing.F) {
	f.Add([]byte(specEvent))
	f.Add([]byte(`{"request":{"method":"GET","uri":"/","headers":{"a":{"value":"1","multiValue":[{"value":"1"},{"value":"2"}]}}}}`))
	f.Add([]byte(`{"request":{"method":"GET","uri":"/\u2028\"","cookies":{"":{"value":""}}}}`))
	f.Add([]byte(`{"request":{"method":"GET","uri":"/"},"response":{"statusCode":599,"cookies":{"c":{"value":"v","attributes":"a"}}}}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`{"request":{"method":"GET","uri":"/","querystring":{"a":{"multiValue":[{"value":"x"}]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := ParseEventJSON(data)
		if err != nil {
			var ee *EventError
			if !errors.As(err, &ee) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		out := (&Result{Kind: KindRequest, Request: ev.Request}).OutputJSON()
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid output JSON %s", out)
		}
		back, err := ParseEventJSON([]byte(out))
		if err != nil {
			t.Fatalf("output does not parse back: %v\n%s", err, out)
		}
		if !sameRequest(back.Request, ev.Request) {
			t.Fatalf("round trip changed the request\n got %+v\nwant %+v", back.Request, ev.Request)
		}
		if ev.Response != nil {
			out := (&Result{Kind: KindResponse, Response: ev.Response}).OutputJSON()
			var wrapped struct {
				Response json.RawMessage `json:"response"`
			}
			if err := json.Unmarshal([]byte(out), &wrapped); err != nil {
				t.Fatalf("response output: %v", err)
			}
			back, err := ParseEventJSON([]byte(`{"request":{"method":"GET","uri":"/"},"response":` + string(wrapped.Response) + `}`))
			if err != nil || !sameResponse(back.Response, ev.Response) {
				t.Fatalf("response round trip: %v\n got %+v\nwant %+v", err, back.Response, ev.Response)
			}
		}
	})
}

func sameValues(a, b Values) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func sameRequest(a, b *Request) bool {
	return a.Method == b.Method && a.URI == b.URI && a.RawQueryString == b.RawQueryString && a.HasQuery == b.HasQuery &&
		sameValues(a.Querystring, b.Querystring) && sameValues(a.Headers, b.Headers) && sameValues(a.Cookies, b.Cookies)
}

func sameResponse(a, b *Response) bool {
	return a.StatusCode == b.StatusCode && a.StatusDescription == b.StatusDescription &&
		sameValues(a.Headers, b.Headers) && sameValues(a.Cookies, b.Cookies) && reflect.DeepEqual(a.Body, b.Body)
}
