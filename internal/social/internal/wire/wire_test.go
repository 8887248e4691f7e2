package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

func TestNewRequest(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		req, err := NewRequest(t.Context(), http.MethodPost, "https://api.example/v1/posts", []byte(`{"a":1}`), "application/json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(req.Body)
		if string(body) != `{"a":1}` || req.ContentLength != 7 {
			t.Errorf("body %q of length %d", body, req.ContentLength)
		}
		if got := req.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q", got)
		}
		if got := req.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type = %q", got)
		}
	})
	t.Run("OKNoBody", func(t *testing.T) {
		req, err := NewRequest(t.Context(), http.MethodGet, "https://api.example/v1/me", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if req.Body != nil || req.Header.Get("Content-Type") != "" {
			t.Errorf("body %v, Content-Type %q: want none", req.Body, req.Header.Get("Content-Type"))
		}
	})
	t.Run("ErrURL", func(t *testing.T) {
		if _, err := NewRequest(t.Context(), http.MethodGet, "http://[::1", nil, ""); err == nil {
			t.Error("no error for a broken address")
		}
	})
}

func TestSend(t *testing.T) {
	hc := httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 200 * time.Millisecond})
	t.Run("OK", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Test", "1")
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, "short and stout")
		}))
		defer srv.Close()
		rep, lost := Send(hc, mustRequest(t, srv.URL))
		if lost != nil {
			t.Fatal(lost.Err)
		}
		if rep.Status != http.StatusTeapot || string(rep.Body) != "short and stout" || rep.Header.Get("X-Test") != "1" {
			t.Errorf("reply %d %q %v", rep.Status, rep.Body, rep.Header)
		}
	})
	t.Run("OKBodyBounded", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte("a"), MaxBody+10))
		}))
		defer srv.Close()
		rep, lost := Send(hc, mustRequest(t, srv.URL))
		if lost != nil {
			t.Fatal(lost.Err)
		}
		if len(rep.Body) != MaxBody {
			t.Errorf("read %d bytes, want MaxBody", len(rep.Body))
		}
	})
	t.Run("ErrNotSent", func(t *testing.T) {
		_, lost := Send(hc, mustRequest(t, closedServer(t)))
		if lost == nil || lost.Sent || lost.Status != 0 {
			t.Fatalf("lost = %+v, want a request never sent", lost)
		}
	})
	t.Run("ErrSentThenTimeout", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			// With the body read, the server notices the client hanging up.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}))
		defer srv.Close()
		_, lost := Send(hc, mustRequest(t, srv.URL))
		if lost == nil || !lost.Sent || lost.Status != 0 || !httpclient.IsTimeout(lost.Err) {
			t.Fatalf("lost = %+v, want a timeout after sending", lost)
		}
	})
	t.Run("ErrCutOff", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"id": "12`)
		}))
		defer srv.Close()
		_, lost := Send(hc, mustRequest(t, srv.URL))
		if lost == nil || !lost.Sent || lost.Status != http.StatusCreated {
			t.Fatalf("lost = %+v, want a body cut off after a 201", lost)
		}
	})
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := NewRequest(t.Context(), http.MethodPost, url, []byte("{}"), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// closedServer returns the address of a port nothing listens on.
func closedServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// timeoutError is a net.Error that ran out of time.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestPolicyError(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("Post %q: %w", "https://api.example/x", err) }
	var (
		refused  = wrap(errors.New("connection refused"))
		timeout  = wrap(timeoutError{})
		redirect = wrap(httpclient.ErrTooManyRedirects)
		private  = wrap(httpclient.ErrPrivateAddress)
		canceled = wrap(context.Canceled)
	)
	named := Policy{Words: Named("X", "the account")}
	brief := Policy{Words: Brief("lost it"), TellCanceled: true}
	setting := Policy{Words: Named("Mastodon", "the account"), CheckAddress: true, Idempotent: true}
	tests := []struct {
		name    string
		policy  Policy
		lost    NoAnswer
		creates bool
		class   syndication.Class
		message string
	}{
		{"Unreachable", named, NoAnswer{Err: refused}, true, syndication.Transient, "cannot reach X for POST /2/tweets"},
		{"TimeoutBeforeSending", named, NoAnswer{Err: timeout}, true, syndication.Transient, "X did not answer POST /2/tweets in time"},
		{"TimeoutAfterSendingARead", named, NoAnswer{Err: timeout, Sent: true}, false, syndication.Transient, "X did not answer POST /2/tweets in time"},
		{"LostPost", named, NoAnswer{Err: timeout, Sent: true}, true, syndication.Ambiguous,
			"no answer from X after the post was sent: it may have been published, check the account before retrying"},
		{"LostPostCutOff", named, NoAnswer{Err: io.ErrUnexpectedEOF, Sent: true, Status: 201}, true, syndication.Ambiguous,
			"no answer from X after the post was sent: it may have been published, check the account before retrying"},
		{"RedirectLoop", named, NoAnswer{Err: redirect, Sent: true}, true, syndication.Transient, "X answered POST /2/tweets with a redirect loop"},
		{"PrivateAddressUnchecked", named, NoAnswer{Err: private}, true, syndication.Transient, "cannot reach X for POST /2/tweets"},
		{"CanceledUntold", named, NoAnswer{Err: canceled, Sent: true}, true, syndication.Ambiguous,
			"no answer from X after the post was sent: it may have been published, check the account before retrying"},
		// A post sent when the worker stopped may have been made: a blind
		// retry could make it twice, whatever TellCanceled says.
		{"BriefCanceledPost", brief, NoAnswer{Err: canceled, Sent: true}, true, syndication.Ambiguous, "lost it"},
		{"BriefCanceledRead", brief, NoAnswer{Err: canceled, Sent: true}, false, syndication.Transient, "cancelled"},
		{"BriefCanceledBeforeSending", brief, NoAnswer{Err: canceled}, true, syndication.Transient, "cancelled"},
		{"BriefLost", brief, NoAnswer{Err: timeout, Sent: true}, true, syndication.Ambiguous, "lost it"},
		{"BriefTimeout", brief, NoAnswer{Err: timeout}, true, syndication.Transient, "timeout"},
		{"BriefRedirectLoop", brief, NoAnswer{Err: redirect}, false, syndication.Transient, "redirect loop"},
		{"BriefUnreachable", brief, NoAnswer{Err: refused}, false, syndication.Transient, "connection failed"},
		{"SettingRedirectLoop", setting, NoAnswer{Err: redirect}, false, syndication.Permanent, "Mastodon answered POST /2/tweets with a redirect loop"},
		{"SettingPrivateAddress", setting, NoAnswer{Err: private}, false, syndication.Permanent, "cannot reach Mastodon for POST /2/tweets"},
		{"IdempotentLostPost", setting, NoAnswer{Err: timeout, Sent: true}, true, syndication.Transient, "Mastodon did not answer POST /2/tweets in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lost := tt.lost
			got := tt.policy.Error("POST /2/tweets", &lost, tt.creates)
			if got.Class != tt.class || got.Message != tt.message || got.Err != tt.lost.Err || got.Status != 0 {
				t.Errorf("error = %s %q (status %d, cause %v), want %s %q", got.Class, got.Message, got.Status, got.Err, tt.class, tt.message)
			}
		})
	}
}

func TestPolicyErrorCause(t *testing.T) {
	inner := errors.New("connection reset by peer")
	lost := &NoAnswer{Err: &url.Error{Op: "Post", URL: "https://api.example/bot123:secret/sendMessage", Err: inner}}
	t.Run("OKAsIs", func(t *testing.T) {
		err := Policy{Words: Brief("lost")}.Error("sendMessage", lost, false)
		if err.Err != lost.Err {
			t.Errorf("cause %v, want the error itself", err.Err)
		}
	})
	t.Run("OKPrefix", func(t *testing.T) {
		p := Policy{Words: Brief("lost"), Cause: Prefix}
		err := p.Error("sendMessage", lost, false)
		if got, want := err.Error(), "transient: connection failed: sendMessage: connection reset by peer"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
		if !errors.Is(err, inner) {
			t.Errorf("error %q does not wrap its cause", err)
		}
	})
}

func TestBaseURL(t *testing.T) {
	for _, tt := range []struct{ configured, want string }{
		{"", "https://api.example"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	} {
		if got := BaseURL(tt.configured, "https://api.example"); got != tt.want {
			t.Errorf("BaseURL(%q) = %q, want %q", tt.configured, got, tt.want)
		}
	}
}
