package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// MaxEventSize is the largest test event TestFunction accepts (EventObject, spec §3.8).
const MaxEventSize = 40960

// EventError is a test event that cannot be used; TestFunction reports it as InvalidArgument.
type EventError struct{ Message string }

func (e *EventError) Error() string { return e.Message }

func eventErrorf(format string, args ...any) error {
	return &EventError{Message: fmt.Sprintf(format, args...)}
}

// ParseEventJSON reads a test event object (spec §9.1) as TestFunction receives it. It keeps
// the order of headers, cookies and query parameters, ignores members CloudFront does not
// know (as the console does), and refuses malformed JSON, wrong types, events over
// MaxEventSize and header names that are not lowercase (spec §8: "header names must be
// lowercase"). context.eventType defaults to viewer-response when the event has a response,
// else viewer-request; version defaults to "1.0".
func ParseEventJSON(data []byte) (*Event, error) {
	if len(data) > MaxEventSize {
		return nil, eventErrorf("the event object is %d bytes; the maximum is %d bytes", len(data), MaxEventSize)
	}
	if !utf8.Valid(data) {
		return nil, eventErrorf("the event object is not valid UTF-8")
	}
	root, err := decodeOrdered(data)
	if err != nil {
		return nil, err
	}
	top, err := root.object("event")
	if err != nil {
		return nil, err
	}
	ev := &Event{Version: "1.0"}
	if v := top.member("version"); v != nil {
		if ev.Version, err = v.string("event.version"); err != nil {
			return nil, err
		}
	}
	if v := top.member("context"); v != nil {
		if err := parseContext(v, &ev.Context); err != nil {
			return nil, err
		}
	}
	if v := top.member("viewer"); v != nil {
		o, err := v.object("event.viewer")
		if err != nil {
			return nil, err
		}
		if ip := o.member("ip"); ip != nil {
			if ev.Viewer.IP, err = ip.string("event.viewer.ip"); err != nil {
				return nil, err
			}
		}
	}
	reqNode := top.member("request")
	if reqNode == nil {
		return nil, eventErrorf("the event object has no request")
	}
	if ev.Request, err = parseRequest(reqNode); err != nil {
		return nil, err
	}
	if v := top.member("response"); v != nil && v.kind != jsonNull {
		if ev.Response, err = parseResponse(v); err != nil {
			return nil, err
		}
	}
	switch ev.Context.EventType {
	case "":
		ev.Context.EventType = EventViewerRequest
		if ev.Response != nil {
			ev.Context.EventType = EventViewerResponse
		}
	case EventViewerRequest:
	case EventViewerResponse:
		if ev.Response == nil {
			return nil, eventErrorf("a viewer-response event needs a response object")
		}
	default:
		return nil, eventErrorf("event.context.eventType must be viewer-request or viewer-response, not %q", ev.Context.EventType)
	}
	return ev, nil
}

func parseContext(n *jsonNode, c *Context) error {
	o, err := n.object("event.context")
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"distributionDomainName", &c.DistributionDomainName},
		{"distributionId", &c.DistributionID},
		{"eventType", &c.EventType},
		{"requestId", &c.RequestID},
		{"endpoint", &c.Endpoint},
	} {
		if v := o.member(f.name); v != nil {
			if *f.dst, err = v.string("event.context." + f.name); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseRequest(n *jsonNode) (*Request, error) {
	o, err := n.object("event.request")
	if err != nil {
		return nil, err
	}
	r := &Request{}
	if r.Method, err = o.requiredString("method", "event.request"); err != nil {
		return nil, err
	}
	if r.URI, err = o.requiredString("uri", "event.request"); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(r.URI, "/") {
		return nil, eventErrorf(`event.request.uri must start with "/"`)
	}
	if r.Querystring, err = parseValues(o.member("querystring"), "event.request.querystring", false, false); err != nil {
		return nil, err
	}
	if r.Headers, err = parseValues(o.member("headers"), "event.request.headers", true, false); err != nil {
		return nil, err
	}
	if r.Cookies, err = parseValues(o.member("cookies"), "event.request.cookies", false, false); err != nil {
		return nil, err
	}
	r.HasQuery = len(r.Querystring) > 0
	r.RawQueryString = buildQuery(r.Querystring)
	return r, nil
}

func parseResponse(n *jsonNode) (*Response, error) {
	o, err := n.object("event.response")
	if err != nil {
		return nil, err
	}
	r := &Response{}
	sc := o.member("statusCode")
	if sc == nil {
		return nil, eventErrorf("event.response.statusCode is missing")
	}
	if r.StatusCode, err = sc.statusCode("event.response.statusCode"); err != nil {
		return nil, err
	}
	if v := o.member("statusDescription"); v != nil {
		if r.StatusDescription, err = v.string("event.response.statusDescription"); err != nil {
			return nil, err
		}
	}
	if r.Headers, err = parseValues(o.member("headers"), "event.response.headers", true, false); err != nil {
		return nil, err
	}
	if r.Cookies, err = parseValues(o.member("cookies"), "event.response.cookies", false, true); err != nil {
		return nil, err
	}
	return r, nil
}

// parseValues reads a headers/cookies/querystring object: name → {value, attributes?, multiValue?}.
func parseValues(n *jsonNode, path string, lowercase, attrs bool) (Values, error) {
	if n == nil || n.kind == jsonNull {
		return nil, nil
	}
	o, err := n.object(path)
	if err != nil {
		return nil, err
	}
	var out Values
	for _, m := range o.members {
		if lowercase && m.name != strings.ToLower(m.name) {
			return nil, eventErrorf("%s: header name %q must be lowercase", path, m.name)
		}
		p := path + "[" + quoteJS(m.name) + "]"
		v, err := parseValue(m.value, p, attrs)
		if err != nil {
			return nil, err
		}
		out.Set(m.name, v)
	}
	return out, nil
}

func parseValue(n *jsonNode, path string, attrs bool) (Value, error) {
	o, err := n.object(path)
	if err != nil {
		return Value{}, err
	}
	var v Value
	mv := o.member("multiValue")
	if mv != nil && mv.kind != jsonNull {
		if mv.kind != jsonArray {
			return v, eventErrorf("%s.multiValue must be an array", path)
		}
		v.MultiValue = make([]MultiValueItem, 0, len(mv.items))
		for i, item := range mv.items {
			ip := fmt.Sprintf("%s.multiValue[%d]", path, i)
			io, err := item.object(ip)
			if err != nil {
				return v, err
			}
			var it MultiValueItem
			if it.Value, err = io.requiredString("value", ip); err != nil {
				return v, err
			}
			if a := io.member("attributes"); attrs && a != nil {
				if it.Attributes, err = a.string(ip + ".attributes"); err != nil {
					return v, err
				}
			}
			v.MultiValue = append(v.MultiValue, it)
		}
	}
	if val := o.member("value"); val != nil || v.MultiValue == nil || len(v.MultiValue) == 0 {
		if v.Value, err = o.requiredString("value", path); err != nil {
			return v, err
		}
	} else {
		v.Value = v.MultiValue[0].Value
	}
	if a := o.member("attributes"); attrs && a != nil {
		if v.Attributes, err = a.string(path + ".attributes"); err != nil {
			return v, err
		}
	}
	return v, nil
}

// --- a small order-keeping JSON tree --------------------------------------------------------

type jsonKind int

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

var jsonKindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

type jsonNode struct {
	kind    jsonKind
	str     string
	num     json.Number
	items   []*jsonNode
	members []jsonMember
}

type jsonMember struct {
	name  string
	value *jsonNode
}

func decodeOrdered(data []byte) (*jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := decodeNode(dec)
	if err != nil {
		return nil, malformed(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, eventErrorf("the event object is not valid JSON: unexpected data after the top-level value")
	}
	return n, nil
}

func malformed(err error) error {
	var ee *EventError
	if errors.As(err, &ee) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return eventErrorf("the event object is not valid JSON: unexpected end of input")
	}
	return eventErrorf("the event object is not valid JSON: %v", err)
}

func decodeNode(dec *json.Decoder) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &jsonNode{kind: jsonNull}, nil
	case bool:
		return &jsonNode{kind: jsonBool}, nil
	case json.Number:
		return &jsonNode{kind: jsonNumber, num: t}, nil
	case string:
		return &jsonNode{kind: jsonString, str: t}, nil
	case json.Delim:
		if t == '[' {
			n := &jsonNode{kind: jsonArray}
			for dec.More() {
				item, err := decodeNode(dec)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, item)
			}
			_, err := dec.Token() // ]
			return n, err
		}
		n := &jsonNode{kind: jsonObject}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := kt.(string)
			val, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.setMember(name, val)
		}
		_, err := dec.Token() // }
		return n, err
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// setMember keeps the first position and the last value of a repeated name, as JSON.parse does.
func (n *jsonNode) setMember(name string, v *jsonNode) {
	for i := range n.members {
		if n.members[i].name == name {
			n.members[i].value = v
			return
		}
	}
	n.members = append(n.members, jsonMember{name: name, value: v})
}

func (n *jsonNode) member(name string) *jsonNode {
	for i := range n.members {
		if n.members[i].name == name {
			return n.members[i].value
		}
	}
	return nil
}

func (n *jsonNode) object(path string) (*jsonNode, error) {
	if n.kind != jsonObject {
		return nil, eventErrorf("%s must be an object, not %s", path, jsonKindNames[n.kind])
	}
	return n, nil
}

func (n *jsonNode) string(path string) (string, error) {
	if n.kind != jsonString {
		return "", eventErrorf("%s must be a string, not %s", path, jsonKindNames[n.kind])
	}
	return n.str, nil
}

func (n *jsonNode) requiredString(name, path string) (string, error) {
	v := n.member(name)
	if v == nil {
		return "", eventErrorf("%s.%s is missing", path, name)
	}
	return v.string(path + "." + name)
}

func (n *jsonNode) statusCode(path string) (int, error) {
	if n.kind != jsonNumber {
		return 0, eventErrorf("%s must be a number, not %s", path, jsonKindNames[n.kind])
	}
	f, err := n.num.Float64()
	if err != nil || f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, eventErrorf("%s must be an integer from 100 to 599, not %s", path, n.num)
	}
	return int(f), nil
}

// quoteJS quotes a property name for error messages.
func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
