package distxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// node is one element of a CloudFront XML document: a leaf holding text, or a structure
// holding child elements in document order. CloudFront documents have no attributes and
// no mixed content, so this is all the shape there is; keeping order and every element,
// modeled or not, is what lets a DistributionConfig read back as it was sent.
type node struct {
	name     string
	text     string // leaf content, exactly as sent (entities resolved); "" for structures
	children []*node
}

// maxDepth bounds element nesting. The deepest CloudFront path is about ten levels
// (DistributionConfig/CacheBehaviors/Items/CacheBehavior/ForwardedValues/Cookies/...).
const maxDepth = 32

// errSyntax is a document that is not well-formed XML or not a single root element.
type errSyntax struct{ detail string }

func (e *errSyntax) Error() string { return e.detail }

// parse reads a document into a tree. It accepts an XML declaration, comments and
// processing instructions around the root, elements in the CloudFront namespace or in no
// namespace, and any attributes (dropped); it rejects DTDs, mixed content, foreign
// namespaces, trailing content and nesting deeper than maxDepth.
func parse(doc []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*node
	var text strings.Builder
	var root *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &errSyntax{err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, &errSyntax{"unexpected element <" + t.Name.Local + "> after the root element"}
			}
			if t.Name.Space != "" && t.Name.Space != Namespace {
				return nil, &errSyntax{"element <" + t.Name.Local + "> is in the namespace " + t.Name.Space + ", not " + Namespace}
			}
			if len(stack) >= maxDepth {
				return nil, &errSyntax{"elements are nested too deeply"}
			}
			if len(stack) > 0 {
				if strings.TrimSpace(text.String()) != "" {
					return nil, &errSyntax{"element <" + stack[len(stack)-1].name + "> mixes text and elements"}
				}
			}
			text.Reset()
			n := &node{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if len(n.children) == 0 {
				n.text = text.String()
			} else if strings.TrimSpace(text.String()) != "" {
				return nil, &errSyntax{"element <" + n.name + "> mixes text and elements"}
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, &errSyntax{"text outside the root element"}
				}
				continue
			}
			text.Write(t)
		case xml.Directive:
			return nil, &errSyntax{"DTDs and other directives are not allowed"}
		case xml.Comment, xml.ProcInst:
		}
	}
	if root == nil {
		return nil, &errSyntax{"the document has no root element"}
	}
	return root, nil
}

// child returns the first child element with the name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// add appends children and returns n.
func (n *node) add(children ...*node) *node {
	n.children = append(n.children, children...)
	return n
}

func leaf(name, text string) *node { return &node{name: name, text: text} }

func elem(name string, children ...*node) *node { return &node{name: name, children: children} }

// write renders n compactly: no whitespace between elements, text escaped, empty
// elements as <X></X> (as the AWS SDKs write them).
func (n *node) write(b *bytes.Buffer, xmlns string) {
	b.WriteByte('<')
	b.WriteString(n.name)
	if xmlns != "" {
		b.WriteString(` xmlns="`)
		b.WriteString(xmlns)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if len(n.children) > 0 {
		for _, c := range n.children {
			c.write(b, "")
		}
	} else {
		escapeText(b, n.text)
	}
	b.WriteString("</")
	b.WriteString(n.name)
	b.WriteByte('>')
}

// escapeText escapes what must be escaped in element content. Unlike xml.EscapeText it
// leaves newlines and tabs alone, so texts read back byte for byte; '\r' is escaped
// because a parser would otherwise normalise it away. Characters XML cannot carry
// (control characters, invalid UTF-8) become U+FFFD; parsed documents never hold them,
// only configs built in code could.
func escapeText(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// document renders n as a whole document: the XML declaration and n as the root element
// in the CloudFront namespace.
func document(n *node) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDeclaration)
	n.write(&b, Namespace)
	return b.Bytes()
}
