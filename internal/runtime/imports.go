package runtime

import "strings"

// goja compiles scripts, not modules, so `import name from 'module'` (cloudfront-js-2.0) is
// taken out of the source before parsing: the statement's bytes are replaced by spaces (line
// breaks kept), which leaves every other token at its original line and column, and the name
// becomes a parameter of the function that wraps the program (see wrap.go), bound to the
// module when the function runs. Like njs, only default imports of built-in modules exist.

// importBinding is one `import name from 'module'` statement.
type importBinding struct {
	Name, Module string
	start, end   int // byte range of the statement in the source
}

// importModules lists the modules `import` accepts in cloudfront-js-2.0 (spec §10.4).
var importModules = map[string]bool{"cloudfront": true, "crypto": true, "querystring": true, "buffer": true}

// syntaxProblem is a syntax error found before or while parsing: an njs-style text and the
// byte offset it refers to.
type syntaxProblem struct {
	msg    string
	offset int
}

// leadingImports finds the import statements at the head of src (after comments and white
// space), the place CloudFront's documentation puts them.
func leadingImports(src string) ([]importBinding, *syntaxProblem) {
	var out []importBinding
	i := 0
	for {
		i = skipSpaceAndComments(src, i)
		if !wordAt(src, i, "import") {
			return out, nil
		}
		b, err := parseImportAt(src, i)
		if err != nil {
			return out, err
		}
		out = append(out, b)
		i = b.end
	}
}

// parseImportAt parses `import name from 'module' [;]` starting at src[i:] == "import".
func parseImportAt(src string, i int) (importBinding, *syntaxProblem) {
	b := importBinding{start: i}
	j := skipSpace(src, i+len("import"))
	if j < len(src) && (src[j] == '{' || src[j] == '*' || src[j] == '\'' || src[j] == '"' || src[j] == '(') {
		return b, &syntaxProblem{msg: "Non-default import is not supported", offset: i}
	}
	name, k := identifierAt(src, j)
	if name == "" {
		return b, unexpectedTokenAt(src, j)
	}
	b.Name = name
	j = skipSpace(src, k)
	if j < len(src) && src[j] == ',' {
		return b, &syntaxProblem{msg: "Non-default import is not supported", offset: i}
	}
	if !wordAt(src, j, "from") {
		return b, unexpectedTokenAt(src, j)
	}
	j = skipSpace(src, j+len("from"))
	if j >= len(src) || (src[j] != '\'' && src[j] != '"') {
		return b, unexpectedTokenAt(src, j)
	}
	quote := src[j]
	end := strings.IndexByte(src[j+1:], quote)
	if end < 0 || strings.ContainsAny(src[j+1:j+1+end], "\n\r\\") {
		return b, unexpectedTokenAt(src, j)
	}
	b.Module = src[j+1 : j+1+end]
	j += end + 2
	if k := skipInlineSpace(src, j); k < len(src) && src[k] == ';' {
		j = k + 1
	}
	b.end = j
	if !importModules[b.Module] {
		return b, &syntaxProblem{msg: `Cannot find module "` + b.Module + `"`, offset: i}
	}
	return b, nil
}

// blankRange replaces src[start:end] by spaces, keeping line breaks.
func blankRange(src []byte, start, end int) {
	for k := start; k < end; k++ {
		if src[k] != '\n' && src[k] != '\r' {
			src[k] = ' '
		}
	}
}

func skipSpaceAndComments(src string, i int) int {
	for {
		i = skipSpace(src, i)
		switch {
		case strings.HasPrefix(src[i:], "//"):
			nl := strings.IndexAny(src[i:], "\n\r")
			if nl < 0 {
				return len(src)
			}
			i += nl
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return len(src)
			}
			i += end + 4
		default:
			return i
		}
	}
}

func skipSpace(src string, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			i++
		default:
			switch {
			case strings.HasPrefix(src[i:], "\u00a0"):
				i += len("\u00a0")
			case strings.HasPrefix(src[i:], "\ufeff"):
				i += len("\ufeff")
			default:
				return i
			}
		}
	}
	return i
}

func skipInlineSpace(src string, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// wordAt reports whether src has the keyword w at i, not followed by an identifier character.
func wordAt(src string, i int, w string) bool {
	if !strings.HasPrefix(src[i:], w) {
		return false
	}
	k := i + len(w)
	return k >= len(src) || !isIdentChar(src[k])
}

func identifierAt(src string, i int) (string, int) {
	k := i
	for k < len(src) && isIdentChar(src[k]) {
		k++
	}
	if k == i || (src[i] >= '0' && src[i] <= '9') {
		return "", i
	}
	return src[i:k], k
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// unexpectedTokenAt builds njs's `Unexpected token "x"` (or `Unexpected end of input`) for the
// token starting at src[i:].
func unexpectedTokenAt(src string, i int) *syntaxProblem {
	tok := tokenAt(src, i)
	if tok == "" {
		return &syntaxProblem{msg: "Unexpected end of input", offset: i}
	}
	return &syntaxProblem{msg: `Unexpected token "` + tok + `"`, offset: i}
}

// tokenAt returns a readable approximation of the token starting at src[i:]: a word or number,
// a string up to the end of the line, or one character.
func tokenAt(src string, i int) string {
	if i >= len(src) {
		return ""
	}
	if isIdentChar(src[i]) {
		k := i
		for k < len(src) && isIdentChar(src[k]) {
			k++
		}
		return src[i:k]
	}
	for _, r := range src[i:] {
		return string(r)
	}
	return ""
}
