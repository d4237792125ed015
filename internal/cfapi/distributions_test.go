package cfapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

func TestMatchDistributionRoutes(t *testing.T) {
	checkRoutes(t, []routeCase{
		{"POST", "/2020-05-31/distribution", "", opCreateDistribution, "", ""},
		{"GET", "/2020-05-31/distribution", "Marker=E1&MaxItems=2", opListDistributions, "", ""},
		{"GET", "/2020-05-31/distribution/E1ABCDEFGHIJKL", "", opGetDistribution, "E1ABCDEFGHIJKL", ""},
		{"DELETE", "/2020-05-31/distribution/E1ABCDEFGHIJKL", "", opDeleteDistribution, "E1ABCDEFGHIJKL", ""},
		{"GET", "/2020-05-31/distribution/E1ABCDEFGHIJKL/config", "", opGetDistributionConfig, "E1ABCDEFGHIJKL", ""},
		{"PUT", "/2020-05-31/distribution/E1ABCDEFGHIJKL/config", "", opUpdateDistribution, "E1ABCDEFGHIJKL", ""},
		{"POST", "/2020-05-31/distribution", "WithTags", "", "", "UnsupportedOperation"},
		{"POST", "/2020-05-31/distribution/E1ABCDEFGHIJKL/invalidation", "", "", "", "UnsupportedOperation"},
		{"GET", "/2020-05-31/distribution/E1/config/extra", "", "", "", "UnsupportedOperation"},
		{"PUT", "/2020-05-31/distribution/E1ABCDEFGHIJKL", "", "", "", "MethodNotAllowed"},
		{"POST", "/2020-05-31/distribution/E1/config", "", "", "", "MethodNotAllowed"},
		{"GET", "/2020-05-31/distribution/%zz", "", "", "", "InvalidArgument"},
	})
}

// Without a distributions service the operations answer UnsupportedOperation.
func TestDistributionOpsWithoutService(t *testing.T) {
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	api := New(functions.New(st, runtime.NewEngine(runtime.Options{}), functions.Options{}), Options{})
	for _, target := range []string{"/2020-05-31/distribution", "/2020-05-31/distribution/E1ABCDEFGHIJKL/config"} {
		w := httptest.NewRecorder()
		api.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != 400 || !strings.Contains(w.Body.String(), "<Code>UnsupportedOperation</Code>") {
			t.Errorf("%s: %d %s", target, w.Code, w.Body)
		}
	}
}
