package httpsig

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSignRequest(t *testing.T) {
	k := testKey(t)
	tests := []struct {
		name        string
		method, url string
		body        []byte
		wantHeaders []string
		wantDigest  string
	}{
		{
			name:        "OK_GET",
			method:      http.MethodGet,
			url:         "https://remote.example/users/bob",
			wantHeaders: []string{"(request-target)", "host", "date"},
		},
		{
			name:        "OK_POST",
			method:      http.MethodPost,
			url:         "https://remote.example/inbox",
			body:        []byte("Hello world"),
			wantHeaders: []string{"(request-target)", "host", "date", "digest"},
			// Mastodon's spec: digest_value('Hello world').
			wantDigest: "SHA-256=ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=",
		},
		{
			name:        "OK_POSTWithQuery",
			method:      http.MethodPost,
			url:         "https://remote.example:8443/users/bob/inbox?page=2",
			body:        []byte(`{"hello": "world"}`),
			wantHeaders: []string{"(request-target)", "host", "date", "digest"},
			// draft-cavage-12 Appendix C.
			wantDigest: "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, tt.method, tt.url, tt.body)
			if err := SignRequest(r, tt.body, k, t0); err != nil {
				t.Fatal(err)
			}
			if got, want := r.Header.Get("Date"), "Sat, 14 Mar 2026 09:26:53 GMT"; got != want {
				t.Errorf("Date = %q, want %q", got, want)
			}
			if got := r.Header.Get("Digest"); got != tt.wantDigest {
				t.Errorf("Digest = %q, want %q", got, tt.wantDigest)
			}
			sig, err := ParseSignature(r)
			if err != nil {
				t.Fatal(err)
			}
			if sig.KeyID != k.ID || sig.Algorithm != "rsa-sha256" {
				t.Errorf("keyId, algorithm = %q, %q", sig.KeyID, sig.Algorithm)
			}
			if diff := cmp.Diff(tt.wantHeaders, sig.Headers); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			srv, body := received(t, r)
			if err := parseAndVerify(srv, body, k, t0.Add(30*time.Second)); err != nil {
				t.Errorf("Verify of the received request: %v", err)
			}
		})
	}
}

// TestSignRequestDate checks the Date format against the draft's example
// and that a local time is written in GMT.
func TestSignRequestDate(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	r := newRequest(t, http.MethodGet, "https://example.com/foo", nil)
	if err := SignRequest(r, nil, testKey(t), time.Date(2014, 1, 5, 22, 31, 40, 0, paris)); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Header.Get("Date"), "Sun, 05 Jan 2014 21:31:40 GMT"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
}

// TestSignRequestRetry checks that signing again, as a retry does, dates
// and signs afresh and leaves one Signature.
func TestSignRequestRetry(t *testing.T) {
	k := testKey(t)
	body := []byte(`{"type":"Follow"}`)
	r := newRequest(t, http.MethodPost, "https://remote.example/inbox", body)
	if err := SignRequest(r, body, k, t0); err != nil {
		t.Fatal(err)
	}
	firstDate, firstSig := r.Header.Get("Date"), r.Header.Get("Signature")

	later := t0.Add(3 * time.Hour)
	if err := SignRequest(r, body, k, later); err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get("Date"); got == firstDate || got != later.Format(http.TimeFormat) {
		t.Errorf("Date after the retry = %q (first %q)", got, firstDate)
	}
	if got := r.Header.Values("Signature"); len(got) != 1 || got[0] == firstSig {
		t.Errorf("Signature after the retry = %q", got)
	}
	if n := len(r.Header.Values("Digest")); n != 1 {
		t.Errorf("%d Digest headers", n)
	}
	r.Body, _ = r.GetBody()
	srv, got := received(t, r)
	if err := parseAndVerify(srv, got, k, later); err != nil {
		t.Errorf("Verify of the retry: %v", err)
	}
}

func TestSignRequestErrors(t *testing.T) {
	k := testKey(t)
	tests := []struct {
		name string
		key  Key
		req  func() *http.Request
	}{
		{"ErrNoKeyID", Key{Private: k.Private}, func() *http.Request {
			return newRequest(t, http.MethodGet, "https://remote.example/", nil)
		}},
		{"ErrNoPrivateKey", Key{ID: k.ID}, func() *http.Request {
			return newRequest(t, http.MethodGet, "https://remote.example/", nil)
		}},
		{"ErrNoHost", k, func() *http.Request {
			return &http.Request{Method: http.MethodGet, URL: newRequest(t, http.MethodGet, "/relative", nil).URL}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req()
			if err := SignRequest(r, nil, tt.key, t0); err == nil {
				t.Fatal("SignRequest succeeded")
			}
			if r.Header.Get("Signature") != "" {
				t.Error("a Signature was set")
			}
		})
	}
}

// TestSignatureHeaderQuoting checks that a keyId with quotes or
// backslashes survives the trip through the header.
func TestSignatureHeaderQuoting(t *testing.T) {
	k := testKey(t)
	k.ID = `https://remote.example/a"b\c#main-key`
	r := newRequest(t, http.MethodGet, "https://remote.example/", nil)
	if err := SignRequest(r, nil, k, t0); err != nil {
		t.Fatal(err)
	}
	sig, err := ParseSignature(r)
	if err != nil {
		t.Fatal(err)
	}
	if sig.KeyID != k.ID {
		t.Errorf("keyId = %q, want %q", sig.KeyID, k.ID)
	}
	if !strings.Contains(r.Header.Get("Signature"), `a\"b\\c`) {
		t.Errorf("Signature = %s", r.Header.Get("Signature"))
	}
	if err := sig.Verify(r, nil, &k.Private.PublicKey, t0); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
