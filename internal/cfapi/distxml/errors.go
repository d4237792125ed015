package distxml

import (
	"fmt"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// schemaMessage opens every MalformedXML error that is not a list of constraint
// violations: the XML is broken, or an element is not where or what the schema says.
const schemaMessage = "The XML you provided was not well-formed or did not validate against our published schema"

func errMalformed(detail string) *apierror.Error {
	return apierror.MalformedXML("%s: %s.", schemaMessage, detail)
}

func errMissingBody() *apierror.Error {
	return apierror.New("MissingBody", 400, "This operation requires a body. Ensure that the body is present and the Content-Type header is set.")
}

func errInconsistentQuantities(path string, quantity, items int) *apierror.Error {
	return apierror.New("InconsistentQuantities", 400,
		"The value of Quantity and the size of Items don't match: Quantity is %d but Items holds %d at '%s'.", quantity, items, path)
}

// violations collects constraint violations the way CloudFront's front end reports them
// (spec §1.6): one MalformedXML whose message lists every violation, e.g.
//
//	2 validation errors detected: Value '1' at 'distributionConfig.defaultCacheBehavior.functionAssociations.items.1.member.eventType' failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response]; Value '0' at '…'
//
// CloudFront writes "errors" even for one violation ("1 validation errors detected",
// terraform-aws-modules/terraform-aws-cloudfront #44), and so do we.
type violations struct {
	list []string
	seen map[string]bool // paths already reported: one violation per member
}

func (v *violations) add(path, msg string) {
	if v.seen == nil {
		v.seen = map[string]bool{}
	}
	if v.seen[path] {
		return
	}
	v.seen[path] = true
	v.list = append(v.list, msg)
}

// null reports a required member that is absent.
func (v *violations) null(path string) {
	v.add(path, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path))
}

// constraint reports a value that breaks a constraint.
func (v *violations) constraint(value, path, constraint string) {
	v.add(path, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

func (v *violations) valueSet(value, path string, set []string) {
	v.constraint(value, path, "Member must satisfy value set: ["+strings.Join(set, ", ")+"]")
}

func (v *violations) err() error {
	if len(v.list) == 0 {
		return nil
	}
	return apierror.MalformedXML("%d validation errors detected: %s", len(v.list), strings.Join(v.list, "; "))
}

// memberPath extends a Coral member path: members are lowerCamel ("HTTPPort" →
// "hTTPPort"), list entries are "items.<n>.member" with n from 1.
func memberPath(parent, name string) string {
	if name == "" {
		return parent
	}
	return parent + "." + strings.ToLower(name[:1]) + name[1:]
}

func itemPath(itemsPath string, i int) string {
	return fmt.Sprintf("%s.%d.member", itemsPath, i+1)
}
