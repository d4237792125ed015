package jsenv

import "regexp"

// NJSMessage rewrites the message of an error raised by goja's engine itself (not by the
// built-ins, which already use njs's texts) into njs's wording for the same mistake, so an
// error shown to the user reads as CloudFront's (§8; §10.8 quotes
// `cannot get property "value" of undefined`). Unknown messages come back unchanged.
// goja does not tell null from undefined when reading a property, so both read "undefined".
func NJSMessage(message string) string {
	for _, r := range njsMessageRules {
		if r.re.MatchString(message) {
			return r.re.ReplaceAllString(message, r.repl)
		}
	}
	return message
}

var njsMessageRules = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^Cannot read property '(.*)' of (undefined|null)( or null)?$`), `cannot get property "$1" of $2`},
	{regexp.MustCompile(`^([\p{L}\p{N}_$]+) is not defined$`), `"$1" is not defined`},
	{regexp.MustCompile(`^Object has no member '(.*)'$`), `(intermediate value)["$1"] is not a function`},
	{regexp.MustCompile(`^Cannot assign to read only property '(.*)'.*$`), `Cannot assign to read-only property "$1" of object`},
	{regexp.MustCompile(`^Assignment to constant variable\.$`), `assignment to constant variable`},
	{regexp.MustCompile(`^No initial value$`), `Reduce of empty object with no initial value`},
	{regexp.MustCompile(`^(toFixed|toPrecision|toExponential)\(\) (?:precision|digits|argument) must be between (\d+) and (\d+)$`), `digits argument must be between $2 and $3`},
}
