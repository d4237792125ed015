package runtime

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// njs 0.7.9 (Debian's /usr/bin/njs) is the reference engine (architecture.md). These tests
// re-check, against the real binary, the texts and verdicts the other tests hard-code. Where
// njs is not installed they are skipped, with the reason printed.

const njsPath = "/usr/bin/njs"

func requireNJS(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(njsPath); err != nil {
		t.Skipf("njs oracle not available at %s: %v", njsPath, err)
	}
}

// runNJS runs code with njs and returns its combined output.
func runNJS(t *testing.T, code string) string {
	t.Helper()
	out, _ := exec.Command(njsPath, "-c", code).CombinedOutput()
	return string(out)
}

// TestSyntaxMatrixAgainstNJS checks that cloudfront-js-2.0 accepts what njs 0.7.9 parses and
// refuses what it does not, except for the rows where LocalFront deliberately follows the
// CloudFront documentation instead (njs 0.7.9 lacks sticky regexps; import needs a module file).
func TestSyntaxMatrixAgainstNJS(t *testing.T) {
	requireNJS(t)
	deliberate := map[string]bool{"regexp sticky flag": true, "import in 1.0": true}
	for _, row := range syntaxMatrix {
		if deliberate[row.feature] {
			continue
		}
		out := runNJS(t, row.code)
		njsRefuses := strings.Contains(out, " in string:") // compile-time errors carry "in string:N"
		if weRefuse := row.want2 != ""; weRefuse != njsRefuses {
			t.Errorf("%s: njs refuses=%v (%q), cloudfront-js-2.0 refuses=%v", row.feature, njsRefuses, strings.TrimSpace(out), weRefuse)
		}
		if strings.HasPrefix(row.want2, "Token ") && !strings.Contains(out, row.want2) {
			t.Errorf("%s: njs says %q, we say %q", row.feature, strings.TrimSpace(out), row.want2)
		}
	}
}
