package distxml

import (
	"slices"
	"strconv"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// The document-wide checks, run over every element whether the domain models it or not.

// quantityMismatch records the first list whose Quantity does not count its Items.
type quantityMismatch struct {
	path            string
	quantity, items int
}

// checker walks a parsed document once. A schema error (wrong shape or an unparsable
// value) stops the walk; constraint violations and Quantity mismatches are collected.
type checker struct {
	v        *violations
	mismatch *quantityMismatch
}

func (c *checker) walk(n *node, path string) *apierror.Error {
	if len(n.children) == 0 {
		return c.leaf(n, path)
	}
	if _, isLeaf := leafTypes[n.name]; isLeaf {
		return errMalformed("element <" + n.name + "> must hold a value, not elements")
	}
	if n.name == "Items" {
		// One member element name per list.
		for _, ch := range n.children[1:] {
			if ch.name != n.children[0].name {
				return errMalformed("the <Items> at '" + path + "' mixes <" + n.children[0].name + "> and <" + ch.name + "> elements")
			}
		}
	} else {
		// A structure holds each member at most once; only lists repeat elements.
		names := map[string]bool{}
		for _, ch := range n.children {
			if names[ch.name] && ch.name != "member" {
				return errMalformed("element <" + ch.name + "> appears more than once in <" + n.name + ">")
			}
			names[ch.name] = true
		}
		if err := c.quantity(n, path); err != nil {
			return err
		}
	}
	for i, ch := range n.children {
		p := memberPath(path, ch.name)
		if n.name == "Items" {
			p = itemPath(path, i)
		}
		if err := c.walk(ch, p); err != nil {
			return err
		}
	}
	return nil
}

// quantity applies CloudFront's list idiom to a wrapper with an <Items> or <Quantity>:
// Quantity is required and counts the entries of Items.
func (c *checker) quantity(n *node, path string) *apierror.Error {
	q, items := n.child("Quantity"), n.child("Items")
	if q == nil {
		if items != nil {
			c.v.null(memberPath(path, "Quantity"))
		}
		return nil
	}
	want, err := parseInt(q.text, 32)
	if err != nil || len(q.children) > 0 {
		return nil // the leaf check reports it
	}
	got := 0
	if items != nil {
		got = len(items.children)
	}
	if int64(got) != want && c.mismatch == nil {
		c.mismatch = &quantityMismatch{path: path, quantity: int(want), items: got}
	}
	return nil
}

// leaf checks a value against the model type of its element name.
func (c *checker) leaf(n *node, path string) *apierror.Error {
	if structureNames[n.name] && strings.TrimSpace(n.text) != "" {
		return errMalformed("element <" + n.name + "> must hold elements, not a value")
	}
	t, ok := leafTypes[n.name]
	if !ok {
		return nil
	}
	switch t.kind {
	case leafBool:
		if _, err := parseBool(n.text); err != nil {
			return errMalformed("the value '" + n.text + "' of <" + n.name + "> is not a boolean (true or false)")
		}
	case leafInt, leafLong:
		bits := 32
		if t.kind == leafLong {
			bits = 64
		}
		if _, err := parseInt(n.text, bits); err != nil {
			return errMalformed("the value '" + n.text + "' of <" + n.name + "> is not an integer")
		}
	case leafEnum:
		if !slices.Contains(t.values, n.text) {
			c.v.valueSet(n.text, path, t.values)
		}
	}
	return nil
}

// parseBool accepts the XML Schema spellings the AWS SDKs write.
func parseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, strconv.ErrSyntax
}

func parseInt(s string, bits int) (int64, error) {
	return strconv.ParseInt(strings.TrimSpace(s), 10, bits)
}
