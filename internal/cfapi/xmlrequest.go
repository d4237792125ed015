package cfapi

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
)

// Request bodies. encoding/xml matches child elements by local name in any order, which
// covers both botocore (model order) and the Go SDK (alphabetical order) — wire.md.

type xmlFunctionConfig struct {
	Comment                   string                  `xml:"Comment"`
	Runtime                   string                  `xml:"Runtime"`
	KeyValueStoreAssociations *xmlKVSAssociationsList `xml:"KeyValueStoreAssociations"`
}

type xmlKVSAssociationsList struct {
	Quantity *int `xml:"Quantity"`
	Items    *struct {
		Associations []struct {
			ARN string `xml:"KeyValueStoreARN"`
		} `xml:"KeyValueStoreAssociation"`
	} `xml:"Items"`
}

type xmlTagList struct {
	Items *struct {
		Tags []struct {
			Key   string `xml:"Key"`
			Value string `xml:"Value"`
		} `xml:"Tag"`
	} `xml:"Items"`
}

type xmlCreateFunctionRequest struct {
	XMLName        xml.Name
	Name           string            `xml:"Name"`
	FunctionConfig xmlFunctionConfig `xml:"FunctionConfig"`
	FunctionCode   string            `xml:"FunctionCode"`
	Tags           *xmlTagList       `xml:"Tags"`
}

type xmlUpdateFunctionRequest struct {
	XMLName        xml.Name
	FunctionConfig xmlFunctionConfig `xml:"FunctionConfig"`
	FunctionCode   string            `xml:"FunctionCode"`
}

type xmlTestFunctionRequest struct {
	XMLName     xml.Name
	Stage       string `xml:"Stage"`
	EventObject string `xml:"EventObject"`
}

type xmlTagKeys struct {
	XMLName xml.Name
	Items   *struct {
		Keys []string `xml:"Key"`
	} `xml:"Items"`
}

type xmlTags struct {
	XMLName xml.Name
	xmlTagList
}

// decodeXML parses body into v, whose XMLName must come out as root. It accepts an optional
// XML declaration, the CloudFront namespace or none, and any element order; it rejects
// anything that is not exactly one well-formed root element.
func decodeXML(body []byte, root string, v any, name *xml.Name) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apierror.MalformedXML("The request body is empty; expected a <%s> document.", root)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return apierror.MalformedXML("The XML you provided was not well-formed or did not validate against our published schema: %v.", err)
	}
	if name.Local != root {
		return apierror.MalformedXML("The root element must be <%s>, not <%s>.", root, name.Local)
	}
	if name.Space != "" && name.Space != Namespace {
		return apierror.MalformedXML("The root element <%s> must be in the namespace %s, not %s.", root, Namespace, name.Space)
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return apierror.MalformedXML("The XML you provided was not well-formed: %v.", err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return apierror.MalformedXML("Unexpected text after the <%s> element.", root)
			}
		default:
			return apierror.MalformedXML("Unexpected content after the <%s> element.", root)
		}
	}
}

// decodeBlob decodes a blob member: standard base64 with padding, for every client (wire.md).
func decodeBlob(member, text string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, apierror.InvalidArgument("%s must be standard base64 with padding: %v.", member, err)
	}
	return b, nil
}

func (c xmlFunctionConfig) domain() (functions.Config, error) {
	cfg := functions.Config{Comment: c.Comment, Runtime: c.Runtime}
	if a := c.KeyValueStoreAssociations; a != nil {
		var arns []string
		if a.Items != nil {
			for _, item := range a.Items.Associations {
				arns = append(arns, item.ARN)
			}
		}
		if err := checkQuantity("KeyValueStoreAssociations", a.Quantity, len(arns)); err != nil {
			return functions.Config{}, err
		}
		cfg.KeyValueStoreARNs = arns
	}
	return cfg, nil
}

// checkQuantity enforces the CloudFront list idiom: Quantity is required and counts Items.
func checkQuantity(list string, quantity *int, items int) error {
	if quantity == nil {
		return apierror.MalformedXML("%s must have a Quantity element.", list)
	}
	if *quantity != items {
		return apierror.InvalidArgument("%s Quantity is %d but Items holds %d entries.", list, *quantity, items)
	}
	return nil
}

func (l *xmlTagList) domain() []functions.Tag {
	if l == nil || l.Items == nil {
		return nil
	}
	tags := make([]functions.Tag, 0, len(l.Items.Tags))
	for _, t := range l.Items.Tags {
		tags = append(tags, functions.Tag{Key: t.Key, Value: t.Value})
	}
	return tags
}

// decodeCreateFunction turns a CreateFunctionRequest body into the service's input.
func decodeCreateFunction(body []byte) (functions.CreateInput, error) {
	var req xmlCreateFunctionRequest
	if err := decodeXML(body, "CreateFunctionRequest", &req, &req.XMLName); err != nil {
		return functions.CreateInput{}, err
	}
	cfg, err := req.FunctionConfig.domain()
	if err != nil {
		return functions.CreateInput{}, err
	}
	code, err := decodeBlob("FunctionCode", req.FunctionCode)
	if err != nil {
		return functions.CreateInput{}, err
	}
	return functions.CreateInput{Name: req.Name, Config: cfg, Code: code, Tags: req.Tags.domain()}, nil
}

// decodeUpdateFunction returns UpdateFunction's config and code.
func decodeUpdateFunction(body []byte) (functions.Config, []byte, error) {
	var req xmlUpdateFunctionRequest
	if err := decodeXML(body, "UpdateFunctionRequest", &req, &req.XMLName); err != nil {
		return functions.Config{}, nil, err
	}
	cfg, err := req.FunctionConfig.domain()
	if err != nil {
		return functions.Config{}, nil, err
	}
	code, err := decodeBlob("FunctionCode", req.FunctionCode)
	if err != nil {
		return functions.Config{}, nil, err
	}
	return cfg, code, nil
}

// decodeTestFunction returns TestFunction's input. Stage is a body element here, unlike
// Describe/Get where it is a query parameter (spec §3.8).
func decodeTestFunction(body []byte) (functions.TestInput, error) {
	var req xmlTestFunctionRequest
	if err := decodeXML(body, "TestFunctionRequest", &req, &req.XMLName); err != nil {
		return functions.TestInput{}, err
	}
	event, err := decodeBlob("EventObject", req.EventObject)
	if err != nil {
		return functions.TestInput{}, err
	}
	return functions.TestInput{Stage: functions.Stage(req.Stage), Event: event}, nil
}

// decodeTags reads TagResource's <Tags> payload.
func decodeTags(body []byte) ([]functions.Tag, error) {
	var req xmlTags
	if err := decodeXML(body, "Tags", &req, &req.XMLName); err != nil {
		return nil, err
	}
	return req.xmlTagList.domain(), nil
}

// decodeTagKeys reads UntagResource's <TagKeys> payload.
func decodeTagKeys(body []byte) ([]string, error) {
	var req xmlTagKeys
	if err := decodeXML(body, "TagKeys", &req, &req.XMLName); err != nil {
		return nil, err
	}
	if req.Items == nil {
		return nil, nil
	}
	return req.Items.Keys, nil
}
