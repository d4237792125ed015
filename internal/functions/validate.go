package functions

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/apierror"
)

// Limits from the service model and the quotas page (spec §2.4, §7).
const (
	maxNameLength      = 64
	maxCommentLength   = 128
	maxKVSPerFunction  = 1
	maxKVSARNLength    = 85
	maxEventObjectSize = 40960
	maxTagKeyLength    = 128
	maxTagValueLength  = 256
	maxTagsPerResource = 50
	nameChars          = `a-zA-Z0-9-_`
	namePattern        = `[` + nameChars + `]{1,64}`
)

var (
	nameRE        = regexp.MustCompile(`^` + namePattern + `$`)
	kvsARNRE      = regexp.MustCompile(`^arn:aws:cloudfront::([0-9]{12}):key-value-store/[0-9a-fA-F-]{36}$`)
	functionARNRE = regexp.MustCompile(`^arn:aws:cloudfront::([0-9]{12}):function/(` + namePattern + `)$`)
	// The model's pattern for a taggable resource ARN.
	resourceARNRE = regexp.MustCompile(`^arn:aws(-cn)?:cloudfront::[0-9]+:`)
	tagRE         = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	nameBadCharRE = regexp.MustCompile(`[^` + nameChars + `]`)
)

// NameFrom derives a valid function name from s (a file name, say): characters a name may
// not hold become '-', and the result is cut to the maximum length; "" becomes "function".
func NameFrom(s string) string {
	name := nameBadCharRE.ReplaceAllString(s, "-")
	if len(name) > maxNameLength {
		name = name[:maxNameLength]
	}
	if name == "" {
		name = "function"
	}
	return name
}

// validateName reports a bad function name the way CloudFront's front end does: MalformedXML
// with a Coral-style list of the violated constraints (spec §1.6, §7).
func validateName(name string) error {
	var violations []string
	add := func(constraint string) {
		violations = append(violations, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: %s", name, constraint))
	}
	switch n := utf8.RuneCountInString(name); {
	case n < 1:
		add("Member must have length greater than or equal to 1")
	case n > maxNameLength:
		add("Member must have length less than or equal to 64")
	}
	if !nameRE.MatchString(name) {
		add("Member must satisfy regular expression pattern: " + namePattern)
	}
	switch len(violations) {
	case 0:
		return nil
	case 1:
		return apierror.MalformedXML("1 validation error detected: %s", violations[0])
	default:
		return apierror.MalformedXML("%d validation errors detected: %s", len(violations), strings.Join(violations, "; "))
	}
}

// validateConfig checks a FunctionConfig (spec §2.4). The KVS association's existence is
// checked separately (Service.checkKVS), as it needs the KVS service.
func validateConfig(account string, cfg Config) error {
	if utf8.RuneCountInString(cfg.Comment) > maxCommentLength {
		return apierror.InvalidArgument("The parameter Comment is too big.")
	}
	if cfg.Runtime != RuntimeJS1 && cfg.Runtime != RuntimeJS2 {
		return apierror.InvalidArgument("The parameter Runtime has an invalid value '%s'; valid values are %s and %s.", cfg.Runtime, RuntimeJS1, RuntimeJS2)
	}
	if len(cfg.KeyValueStoreARNs) > maxKVSPerFunction {
		return apierror.InvalidArgument("A function can be associated with at most %d key value store; the request has %d.", maxKVSPerFunction, len(cfg.KeyValueStoreARNs))
	}
	for _, arn := range cfg.KeyValueStoreARNs {
		m := kvsARNRE.FindStringSubmatch(arn)
		if m == nil || len(arn) > maxKVSARNLength {
			return apierror.InvalidArgument("The parameter KeyValueStoreARN has an invalid value '%s'.", arn)
		}
		if m[1] != account {
			return apierror.InvalidArgument("The key value store %s does not belong to this account.", arn)
		}
		if cfg.Runtime != RuntimeJS2 {
			return apierror.InvalidArgument("Key value store associations require runtime %s.", RuntimeJS2)
		}
	}
	return nil
}

// validateCode checks the decoded FunctionCode against the size quota (spec §7).
func validateCode(code []byte, limit int) error {
	if len(code) == 0 {
		return apierror.InvalidArgument("The parameter FunctionCode must not be empty.")
	}
	if len(code) > limit {
		return apierror.FunctionSizeLimitExceeded(len(code), limit)
	}
	return nil
}

// parseStage accepts DEVELOPMENT, LIVE, and "" (which selects def).
func parseStage(stage, def Stage) (Stage, error) {
	switch stage {
	case "":
		return def, nil
	case Development, Live:
		return stage, nil
	}
	return "", apierror.InvalidArgument("The parameter Stage has an invalid value '%s'; valid values are %s and %s.", stage, Development, Live)
}

// ParseFunctionARN splits arn:aws:cloudfront::<account>:function/<name>.
func ParseFunctionARN(arn string) (account, name string, ok bool) {
	m := functionARNRE.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// FunctionARN is the ARN of a function (spec §2.1).
func FunctionARN(account, name string) string {
	return "arn:aws:cloudfront::" + account + ":function/" + name
}

// ValidateTags checks tags for TagResource and CreateFunction (spec §3.1, §7): key 1–128
// and value 0–256 characters of the allowed set, no reserved "aws:" key prefix, no key
// twice in one request.
func ValidateTags(tags []Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if err := validateTagKey(t.Key); err != nil {
			return err
		}
		if !utf8.ValidString(t.Value) || utf8.RuneCountInString(t.Value) > maxTagValueLength {
			return apierror.InvalidTagging("The tag value for key '%s' must be at most %d characters.", t.Key, maxTagValueLength)
		}
		if !tagRE.MatchString(t.Value) {
			return apierror.InvalidTagging("The tag value for key '%s' contains characters that are not allowed; use letters, numbers, spaces and _ . : / = + - @.", t.Key)
		}
		if seen[t.Key] {
			return apierror.InvalidTagging("The tag key '%s' appears more than once.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func validateTagKey(key string) error {
	if !utf8.ValidString(key) {
		return apierror.InvalidTagging("A tag key is not valid UTF-8.")
	}
	if n := utf8.RuneCountInString(key); n < 1 || n > maxTagKeyLength {
		return apierror.InvalidTagging("The tag key '%s' must be 1 to %d characters long.", key, maxTagKeyLength)
	}
	if !tagRE.MatchString(key) {
		return apierror.InvalidTagging("The tag key '%s' contains characters that are not allowed; use letters, numbers, spaces and _ . : / = + - @.", key)
	}
	if strings.HasPrefix(strings.ToLower(key), "aws:") {
		return apierror.InvalidTagging("The tag key '%s' uses the reserved prefix aws:.", key)
	}
	return nil
}
