package httpclient

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/hang":
			time.Sleep(2 * time.Second)
		default:
			_, _ = w.Write([]byte(r.Header.Get("User-Agent")))
		}
	}))
	defer srv.Close()

	t.Run("private address refused", func(t *testing.T) {
		_, err := New(Options{}).Get(srv.URL)
		if !errors.Is(err, ErrPrivateAddress) {
			t.Fatalf("err = %v, want ErrPrivateAddress", err)
		}
	})
	c := New(Options{AllowPrivate: true, UserAgent: "kiosque-test", Timeout: 500 * time.Millisecond})
	t.Run("user agent", func(t *testing.T) {
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		buf := make([]byte, 64)
		n, _ := resp.Body.Read(buf)
		if got := string(buf[:n]); got != "kiosque-test" {
			t.Errorf("User-Agent = %q", got)
		}
	})
	t.Run("redirect loop", func(t *testing.T) {
		_, err := c.Get(srv.URL + "/loop")
		if !errors.Is(err, ErrTooManyRedirects) {
			t.Fatalf("err = %v, want ErrTooManyRedirects", err)
		}
	})
	t.Run("hung server", func(t *testing.T) {
		start := time.Now()
		_, err := c.Get(srv.URL + "/hang")
		if !IsTimeout(err) {
			t.Fatalf("err = %v, want a timeout", err)
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("gave up after %v", d)
		}
	})
}

func TestPrivate(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1": true, "10.1.2.3": true, "192.168.0.1": true, "169.254.169.254": true,
		"::1": true, "fd00::1": true, "100.64.0.1": true, "0.0.0.0": true, "::ffff:127.0.0.1": true,
		"203.0.113.7": false, "2001:db8::1": false, "8.8.8.8": false} {
		if got := private(mustAddr(t, addr)); got != want {
			t.Errorf("private(%s) = %v, want %v", addr, got, want)
		}
	}
}

func mustAddr(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
