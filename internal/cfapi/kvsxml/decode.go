// Package kvsxml is the REST-XML codec of CloudFront key value stores (control plane,
// cloudfront 2020-05-31, spec §4): CreateKeyValueStoreRequest and
// UpdateKeyValueStoreRequest bodies in, KeyValueStore and KeyValueStoreList documents out.
//
// Request decoding accepts the CloudFront namespace or none, an optional XML declaration
// and any element order (botocore and the JS SDK follow the model's order, the Go SDK
// sorts alphabetically; wire.md). Errors are *apierror.Error values ready for the wire.
package kvsxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/kvs"
)

// Namespace is the XML namespace of the CloudFront 2020-05-31 API.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

// Tag is one entry of CreateKeyValueStoreRequest's Tags.
type Tag struct {
	Key   string
	Value string
}

// CreateRequest is a decoded CreateKeyValueStoreRequest.
type CreateRequest struct {
	Input kvs.CreateInput
	Tags  []Tag // nil when the request had no Tags element
}

// Wire shapes of the request bodies. Pointers tell an absent element from an empty one.

type xmlCreateRequest struct {
	XMLName      xml.Name
	Name         *string          `xml:"Name"`
	Comment      *string          `xml:"Comment"`
	ImportSource *xmlImportSource `xml:"ImportSource"`
	Tags         *xmlTags         `xml:"Tags"`
}

type xmlImportSource struct {
	SourceType *string `xml:"SourceType"`
	SourceARN  *string `xml:"SourceARN"`
}

type xmlTags struct {
	Items *struct {
		Tags []struct {
			Key   *string `xml:"Key"`
			Value *string `xml:"Value"`
		} `xml:"Tag"`
	} `xml:"Items"`
}

type xmlUpdateRequest struct {
	XMLName xml.Name
	Comment *string `xml:"Comment"`
}

// DecodeCreate reads a CreateKeyValueStoreRequest body. It checks the document and the
// model's required members (Name; SourceType and SourceARN inside ImportSource; Key inside
// each Tag); the values themselves (name pattern, comment length, import location, tag
// rules) are the services' to check.
func DecodeCreate(body []byte) (CreateRequest, error) {
	var x xmlCreateRequest
	if err := decode(body, "CreateKeyValueStoreRequest", &x, &x.XMLName); err != nil {
		return CreateRequest{}, err
	}
	var v violations
	var out CreateRequest
	if x.Name == nil {
		v.null("name")
	} else {
		out.Input.Name = *x.Name
	}
	if x.Comment != nil {
		out.Input.Comment = *x.Comment
	}
	if src := x.ImportSource; src != nil {
		if src.SourceType == nil {
			v.null("importSource.sourceType")
		}
		if src.SourceARN == nil {
			v.null("importSource.sourceARN")
		}
		out.Input.ImportSource = &kvs.ImportSource{SourceType: deref(src.SourceType), SourceARN: deref(src.SourceARN)}
	}
	if x.Tags != nil {
		out.Tags = []Tag{}
		if x.Tags.Items != nil {
			for i, t := range x.Tags.Items.Tags {
				if t.Key == nil {
					v.null(fmt.Sprintf("tags.items.%d.member.key", i+1))
				}
				out.Tags = append(out.Tags, Tag{Key: deref(t.Key), Value: deref(t.Value)})
			}
		}
	}
	if err := v.err(); err != nil {
		return CreateRequest{}, err
	}
	return out, nil
}

// DecodeUpdate reads an UpdateKeyValueStoreRequest body and returns its Comment, which
// the model requires (an empty <Comment/> is a valid, empty comment).
func DecodeUpdate(body []byte) (string, error) {
	var x xmlUpdateRequest
	if err := decode(body, "UpdateKeyValueStoreRequest", &x, &x.XMLName); err != nil {
		return "", err
	}
	if x.Comment == nil {
		var v violations
		v.null("comment")
		return "", v.err()
	}
	return *x.Comment, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// decode parses body into v, whose XMLName (name) must come out as root. It rejects an
// empty body (the caller caps the size), broken XML, another root element or namespace, and anything
// but comments and white space after the root element.
func decode(body []byte, root string, v any, name *xml.Name) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apierror.New("MissingBody", 400, "This operation requires a body. Ensure that the body is present and the Content-Type header is set.")
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return malformed(err.Error())
	}
	if name.Local != root {
		return malformed(fmt.Sprintf("the root element must be <%s>, not <%s>", root, name.Local))
	}
	if name.Space != "" && name.Space != Namespace {
		return malformed(fmt.Sprintf("the root element <%s> must be in the namespace %s, not %s", root, Namespace, name.Space))
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformed(err.Error())
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return malformed(fmt.Sprintf("unexpected text after the <%s> element", root))
			}
		default:
			return malformed(fmt.Sprintf("unexpected content after the <%s> element", root))
		}
	}
}

func malformed(detail string) *apierror.Error {
	return apierror.MalformedXML("The XML you provided was not well-formed or did not validate against our published schema: %s.", detail)
}

// violations collects missing required members as CloudFront's front end reports them
// (spec §1.6): one MalformedXML listing every violation with its lowerCamel member path.
type violations struct{ list []string }

func (v *violations) null(path string) {
	v.list = append(v.list, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path))
}

func (v *violations) err() error {
	switch len(v.list) {
	case 0:
		return nil
	case 1:
		return apierror.MalformedXML("1 validation error detected: %s", v.list[0])
	}
	return apierror.MalformedXML("%d validation errors detected: %s", len(v.list), strings.Join(v.list, "; "))
}
