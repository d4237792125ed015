package jsenv

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/dop251/goja"
)

func benchmarkSetup(b *testing.B, v Version) {
	for b.Loop() {
		vm := goja.New()
		if err := Setup(vm, v, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGojaNew is the baseline the Setup benchmarks include.
func BenchmarkGojaNew(b *testing.B) {
	for b.Loop() {
		_ = goja.New()
	}
}

func BenchmarkSetupV1(b *testing.B) { benchmarkSetup(b, V1) }
func BenchmarkSetupV2(b *testing.B) { benchmarkSetup(b, V2) }

func BenchmarkHmacSHA256Hex(b *testing.B) {
	for _, v := range []Version{V1, V2} {
		b.Run("v"+itoa(int(v)), func(b *testing.B) {
			tv := newTestVM(b, v)
			fn, ok := goja.AssertFunction(tv.run(b, `(function () {
				var c = require('crypto');
				return function (k, s) { return c.createHmac('sha256', k).update(s).digest('hex'); };
			})()`))
			if !ok {
				b.Fatal("not a function")
			}
			k, s := tv.vm.ToValue("secret-key"), tv.vm.ToValue("/images/cat.png?w=100&h=200")
			for b.Loop() {
				if _, err := fn(goja.Undefined(), k, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkQueryStringParse(b *testing.B) {
	tv := newTestVM(b, V2)
	fn, _ := goja.AssertFunction(tv.run(b, `(function () {
		var q = require('querystring');
		return function (s) { return q.parse(s); };
	})()`))
	s := tv.vm.ToValue("utm_source=news&utm_medium=email&id=42&tags=a&tags=b&q=caf%C3%A9+au+lait")
	for b.Loop() {
		if _, err := fn(goja.Undefined(), s); err != nil {
			b.Fatal(err)
		}
	}
}

// VMs are independent: Setup and the built-ins may run on many goroutines at once.
func TestConcurrentVMs(t *testing.T) {
	sum := sha1.Sum([]byte("a=1&b=2"))
	want := hex.EncodeToString(sum[:])
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := V1 + Version(i%2)
			vm := goja.New()
			if err := Setup(vm, v, Limits{}); err != nil {
				errs <- err.Error()
				return
			}
			c, _ := Module(vm, v, "crypto")
			q, _ := Module(vm, v, "querystring")
			_ = vm.Set("c", c)
			_ = vm.Set("q", q)
			for range 50 {
				r, err := vm.RunString(`c.createHash('sha1').update(q.stringify(q.parse('a=1&b=2'))).digest('hex')`)
				if err != nil || r.String() != want {
					errs <- fmt.Sprintf("v%d: got %v, %v", v, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkTypicalOps measures what the guards cost on everyday string/array work:
// "bare" is goja without Setup, "setup" the same code in a prepared 2.0 VM.
func BenchmarkTypicalOps(b *testing.B) {
	const code = `(function () {
		var parts = '/a/b/c/index.html'.split('/');
		var x = parts.map(function (p) { return p.toLowerCase(); }).filter(function (p) { return p.length > 0; }).join('/');
		return x.indexOf('index') >= 0 ? x.replace('index', 'main') : x;
	})`
	for _, setup := range []bool{false, true} {
		name := "bare"
		if setup {
			name = "setup"
		}
		b.Run(name, func(b *testing.B) {
			vm := goja.New()
			if setup {
				if err := Setup(vm, V2, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
			fnV, err := vm.RunString(code)
			if err != nil {
				b.Fatal(err)
			}
			fn, _ := goja.AssertFunction(fnV)
			for b.Loop() {
				if _, err := fn(goja.Undefined()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
