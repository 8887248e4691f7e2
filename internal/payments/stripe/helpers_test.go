package stripe_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

const webhookSecret = "whsec_test_kiosque"

// newProvider returns a Provider on backendURL that does not retry, so a
// failure shows at once.
func newProvider(tb testing.TB, backendURL string) *stripe.Provider {
	tb.Helper()
	p, err := stripe.New(stripe.Config{
		SecretKey:         stripemock.SecretKey,
		WebhookSecret:     webhookSecret,
		BackendURL:        backendURL,
		MaxNetworkRetries: stripego.Int64(0),
	})
	if err != nil {
		tb.Fatalf("new provider: %v", err)
	}
	return p
}

// recorded is one request the SDK sent.
type recorded struct {
	Method, Path string
	Header       http.Header
	// Form is the form body of a POST, or the query of another method.
	Form url.Values
	// Status and Body are the answer (stripe-mock's or a stub's).
	Status int
	Body   []byte
}

// stub is an answer the recorder gives itself instead of stripe-mock, for
// what the stateless stripe-mock cannot say (a price that exists, an
// error).
type stub struct {
	status int
	body   string
}

// recorder is a reverse proxy between the SDK and stripe-mock that keeps
// every request and its answer, so tests assert on the exact parameters
// the SDK sent while stripe-mock checks them against Stripe's schema.
type recorder struct {
	mu    sync.Mutex
	reqs  []recorded
	stubs map[string]stub // by "METHOD /path"
}

// newRecorder starts a recorder in front of upstream (stripe-mock's URL)
// and returns it with its own URL, for Config.BackendURL.
func newRecorder(tb testing.TB, upstream string, stubs map[string]stub) (*recorder, string) {
	tb.Helper()
	target, err := url.Parse(upstream)
	if err != nil {
		tb.Fatalf("parse upstream: %v", err)
	}
	rec := &recorder{stubs: stubs}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		rec.setAnswer(resp.Request.Context().Value(indexKey{}).(int), resp.StatusCode, body)
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form := r.URL.Query()
		if r.Method == http.MethodPost {
			if form, err = url.ParseQuery(string(body)); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		i := rec.add(recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Form: form})
		if s, ok := rec.stubs[r.Method+" "+r.URL.Path]; ok {
			rec.setAnswer(i, s.status, []byte(s.body))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(s.status)
			_, _ = io.WriteString(w, s.body)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), indexKey{}, i)))
	}))
	tb.Cleanup(srv.Close)
	return rec, srv.URL
}

type indexKey struct{}

func (r *recorder) add(req recorded) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	return len(r.reqs) - 1
}

func (r *recorder) setAnswer(i, status int, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs[i].Status = status
	r.reqs[i].Body = body
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// routes returns "METHOD /path" of each request, in order.
func routes(reqs []recorded) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// jsonError is Stripe's error body.
func jsonError(typ, code, msg string) string {
	return fmt.Sprintf(`{"error":{"type":%q,"code":%q,"message":%q}}`, typ, code, msg)
}
