package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/sdkhttp"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// localfrontBinary builds the command once per test run.
func localfrontBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "localfront-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "localfront")
		goTool := filepath.Join(goruntime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		out, err := exec.Command(goTool, "build", "-buildvcs=false", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// child is a running `localfront serve` process.
type child struct {
	cmd      *exec.Cmd
	endpoint string
	stderr   *lockedWriter
	done     chan struct{} // closed when the process has exited
	waitErr  error
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	cmd := exec.Command(localfrontBinary(t), append([]string{"serve", "--listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "LOCALFRONT_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &lockedWriter{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			cmd.Process.Kill()
			<-c.done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), servingPrefix); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		io.Copy(io.Discard, stdout)
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	select {
	case c.endpoint = <-found:
	case <-c.done:
		t.Fatalf("localfront exited before serving: %v\n%s", c.waitErr, c.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("localfront did not start\n%s", c.stderr)
	}
	return c
}

// lockedWriter collects a child's stderr.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (c *child) client() *cloudfront.Client {
	return cloudfront.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(c.endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkhttp.Client(&http.Client{Timeout: 10 * time.Second}), // see internal/sdkhttp
	})
}

// acked is what a writer saw acknowledged for one function, plus whether a request for
// it was unanswered when the server died.
type acked struct {
	version  int // the comment "v<version>" of the last acknowledged write; 0 = none
	etag     string
	inFlight bool
}

// TestCrashKeepsAcknowledgedWrites streams creates and updates at a real server process,
// SIGKILLs it mid-stream, restarts it on the same data directory and checks that every
// write a client saw acknowledged is there with its ETag. A write that was in flight at
// the kill may or may not have landed, but nothing else may differ.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	dir := t.TempDir()
	srv := startChild(t, "--data-dir", dir)
	cf := srv.client()

	const writers = 4
	state := make([]map[string]*acked, writers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	enough := make(chan struct{}) // closed after 60 acknowledged writes: then kill
	var mu sync.Mutex
	acks := 0
	onAck := func() {
		mu.Lock()
		defer mu.Unlock()
		if acks++; acks == 60 {
			close(enough)
		}
	}
	for w := range writers {
		state[w] = map[string]*acked{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("w%d-f%d", w, i/3)
				a := state[w][name]
				if a == nil {
					a = &acked{}
					state[w][name] = a
				}
				a.inFlight = true
				next := a.version + 1
				cfg := &types.FunctionConfig{Comment: aws.String("v" + strconv.Itoa(next)), Runtime: types.FunctionRuntimeCloudfrontJs20}
				code := []byte(fmt.Sprintf("function handler(e) { return e.request; } // %s v%d", name, next))
				var etag string
				var err error
				if a.version == 0 {
					var out *cloudfront.CreateFunctionOutput
					out, err = cf.CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{Name: aws.String(name), FunctionConfig: cfg, FunctionCode: code})
					if err == nil {
						etag = aws.ToString(out.ETag)
					}
				} else {
					var out *cloudfront.UpdateFunctionOutput
					out, err = cf.UpdateFunction(context.Background(), &cloudfront.UpdateFunctionInput{Name: aws.String(name), IfMatch: aws.String(a.etag), FunctionConfig: cfg, FunctionCode: code})
					if err == nil {
						etag = aws.ToString(out.ETag)
					}
				}
				if err != nil {
					return // the server is gone: this write stays in flight
				}
				a.version, a.etag, a.inFlight = next, etag, false
				onAck()
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		t.Fatalf("fewer than 60 writes acknowledged in 60s\n%s", srv.stderr)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-srv.done
	close(stop)
	wg.Wait()

	restarted := startChild(t, "--data-dir", dir)
	cf = restarted.client()
	total := 0
	for w := range writers {
		for name, a := range state[w] {
			desc, err := cf.DescribeFunction(context.Background(), &cloudfront.DescribeFunctionInput{Name: aws.String(name)})
			if a.version == 0 {
				continue // created but never acknowledged: either outcome is allowed
			}
			total++
			if err != nil {
				t.Errorf("%s (acknowledged v%d) is gone: %v", name, a.version, err)
				continue
			}
			got, _ := strconv.Atoi(strings.TrimPrefix(aws.ToString(desc.FunctionSummary.FunctionConfig.Comment), "v"))
			switch {
			case got == a.version && aws.ToString(desc.ETag) == a.etag:
			case got == a.version+1 && a.inFlight: // the unanswered write landed
			default:
				t.Errorf("%s: after restart v%d ETag %s; acknowledged v%d ETag %s (in flight: %v)",
					name, got, aws.ToString(desc.ETag), a.version, a.etag, a.inFlight)
			}
		}
	}
	if total < 10 {
		t.Fatalf("only %d functions acknowledged; the test did not exercise much", total)
	}
	// The restarted server takes new writes.
	if _, err := cf.CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{
		Name: aws.String("after-restart"), FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20}, FunctionCode: []byte("function handler(e){return e.request}"),
	}); err != nil {
		t.Fatal(err)
	}
}

// TestSIGTERMStopsCleanly: a real process stops with status 0 on SIGTERM and logs it.
func TestSIGTERMStopsCleanly(t *testing.T) {
	srv := startChild(t, "--data-dir", t.TempDir(), "--log-level", "info")
	resp, err := http.Get(srv.endpoint + "/_localfront/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
		if srv.waitErr != nil {
			t.Fatalf("exit: %v\n%s", srv.waitErr, srv.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if !strings.Contains(srv.stderr.String(), "stopped cleanly") {
		t.Errorf("stderr lacks the clean stop:\n%s", srv.stderr)
	}
}
