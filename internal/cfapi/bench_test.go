package cfapi_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Benchmarks go through the whole HTTP stack (client, net/http server, middleware, XML,
// service, SQLite) with a plain HTTP client, so the SDK's own signing cost is left out.
// Each reports the median latency as p50-µs besides the mean ns/op.

func benchStack(b *testing.B, durable bool) *stack {
	return newStack(b, stackOptions{durable: durable, quota: 1 << 30})
}

// timeEach runs op b.N times and reports the median latency.
func timeEach(b *testing.B, op func(i int)) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		op(i)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	}
}

func mustStatus(b *testing.B, hc *http.Client, req *http.Request, want int) {
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("status %d, want %d", resp.StatusCode, want)
	}
}

func createBody(name string) string {
	return `<CreateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>` + name +
		`</Name><FunctionConfig><Comment>bench</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>` +
		base64.StdEncoding.EncodeToString([]byte(sampleCode)) + `</FunctionCode></CreateFunctionRequest>`
}

// BenchmarkCreateFunctionDurable: each create commits to a SQLite file (WAL,
// synchronous=FULL) before the 201 is sent.
func BenchmarkCreateFunctionDurable(b *testing.B) {
	s := benchStack(b, true)
	timeEach(b, func(i int) {
		req, _ := http.NewRequest("POST", s.URL+"/2020-05-31/function", strings.NewReader(createBody(fmt.Sprintf("f%d", i))))
		mustStatus(b, s.HTTP, req, 201)
	})
}

func BenchmarkDescribeFunction(b *testing.B) {
	s := benchStack(b, true)
	s.create(b, "described")
	timeEach(b, func(int) {
		req, _ := http.NewRequest("GET", s.URL+"/2020-05-31/function/described/describe", nil)
		mustStatus(b, s.HTTP, req, 200)
	})
}

func BenchmarkListFunctions100(b *testing.B) {
	s := benchStack(b, true)
	for i := range 100 {
		s.create(b, fmt.Sprintf("listed-%03d", i))
	}
	timeEach(b, func(int) {
		req, _ := http.NewRequest("GET", s.URL+"/2020-05-31/function?MaxItems=100", nil)
		mustStatus(b, s.HTTP, req, 200)
	})
}

// BenchmarkDescribeFunctionSDK is DescribeFunction as a Go program sees it: through the
// AWS SDK, with SigV4 signing and response parsing.
func BenchmarkDescribeFunctionSDK(b *testing.B) {
	s := benchStack(b, true)
	s.create(b, "described")
	timeEach(b, func(int) {
		if _, err := s.CF.DescribeFunction(b.Context(), describeInput("described")); err != nil {
			b.Fatal(err)
		}
	})
}
