package stripemock

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"
)

// TestStart starts two stripe-mocks at once, as two test packages may: the
// second must not fail on a port the first holds.
func TestStart(t *testing.T) {
	a, b := Start(t), Start(t)
	if a == b {
		t.Fatalf("both stripe-mocks at %s", a)
	}
	for _, base := range []string{a, b} {
		req, err := http.NewRequest(http.MethodGet, base+"/v1/balance", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(SecretKey, "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s/v1/balance: %v", base, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s/v1/balance: %s", base, resp.Status)
		}
	}
}

// fakeTB records how Start gives up, where a *testing.T would end the test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestStartWithoutBinary(t *testing.T) {
	tests := []struct {
		name, ci  string
		wantFatal bool
	}{
		{"OKSkippedLocally", "", false},
		{"ErrRequiredOnCI", "true", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			t.Setenv("GOBIN", "")
			t.Setenv("GOPATH", t.TempDir())
			t.Setenv("CI", tt.ci)
			tb := &fakeTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Start(tb)
			}()
			<-done
			if tt.wantFatal && tb.failed == "" {
				t.Errorf("Start did not fail under CI=true (skipped: %q)", tb.skipped)
			}
			if !tt.wantFatal && tb.skipped == "" {
				t.Errorf("Start did not skip without CI (failed: %q)", tb.failed)
			}
		})
	}
}
