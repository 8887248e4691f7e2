package httpsig

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signWith signs r at t0 with k over headers, with algorithm alg, and the
// created and expires parameters when not zero.
func signWith(t *testing.T, r *http.Request, k Key, alg string, headers []string, created, expires time.Time) {
	t.Helper()
	r.Header.Set("Date", t0.Format(http.TimeFormat))
	s := &Signature{KeyID: k.ID, Algorithm: alg, Headers: headers}
	if !created.IsZero() {
		s.created = strconv.FormatInt(created.Unix(), 10)
	}
	if !expires.IsZero() {
		s.expires = strconv.FormatInt(expires.Unix(), 10)
	}
	if err := sign(r, k, s); err != nil {
		t.Fatal(err)
	}
}

// replaceInSignature rewrites the Signature header, as a sender writing it
// differently (or an attacker) would.
func replaceInSignature(old, new string) func(*http.Request, []byte) []byte {
	return func(r *http.Request, body []byte) []byte {
		r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), old, new, 1))
		return body
	}
}

func TestVerify(t *testing.T) {
	k := testKey(t)
	hs := func(headers ...string) func(*testing.T, *http.Request, []byte) {
		return func(t *testing.T, r *http.Request, body []byte) {
			if r.Method == http.MethodPost {
				r.Header.Set("Digest", digestOf(body))
			}
			signWith(t, r, k, "rsa-sha256", headers, time.Time{}, time.Time{})
		}
	}
	hs2019 := func(created, expires time.Time, headers ...string) func(*testing.T, *http.Request, []byte) {
		return func(t *testing.T, r *http.Request, body []byte) {
			r.Header.Set("Digest", digestOf(body))
			signWith(t, r, k, "hs2019", headers, created, expires)
		}
	}
	tests := []struct {
		name   string
		method string
		url    string
		body   []byte
		// sign signs the outgoing request; SignRequest at t0 when nil.
		sign func(*testing.T, *http.Request, []byte)
		// alter changes the received request and returns its body.
		alter func(*http.Request, []byte) []byte
		// at is when the request is verified, after t0.
		at   time.Duration
		want error
	}{
		{name: "OK_GET", method: "GET", url: "https://blog.example/articles/1"},
		{name: "OK_POST", method: "POST", url: "https://blog.example/inbox", body: []byte(`{"type":"Follow"}`)},
		{name: "OK_EmptyPOST", method: "POST", url: "https://blog.example/inbox", body: []byte{}},

		// Tampering.
		{name: "ErrDigest_TamperedBody", method: "POST", url: "https://blog.example/inbox", body: []byte(`{"type":"Follow"}`),
			alter: func(_ *http.Request, _ []byte) []byte { return []byte(`{"type":"Undo"}`) }, want: ErrDigest},
		{name: "ErrDigest_TamperedDigestToo", method: "POST", url: "https://blog.example/inbox", body: []byte(`{"type":"Follow"}`),
			alter: func(r *http.Request, _ []byte) []byte {
				body := []byte(`{"type":"Undo"}`)
				r.Header.Set("Digest", digestOf(body))
				return body
			}, want: ErrBadSignature},
		{name: "ErrBadSignature_TamperedDate", method: "GET", url: "https://blog.example/articles/1",
			alter: func(r *http.Request, body []byte) []byte {
				r.Header.Set("Date", t0.Add(time.Second).Format(http.TimeFormat))
				return body
			}, want: ErrBadSignature},
		{name: "ErrBadSignature_TamperedHost", method: "GET", url: "https://blog.example/articles/1",
			alter: func(r *http.Request, body []byte) []byte { r.Host = "evil.example"; return body }, want: ErrBadSignature},
		{name: "ErrBadSignature_TamperedMethod", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			alter: func(r *http.Request, body []byte) []byte { r.Method = http.MethodPut; return body }, want: ErrBadSignature},
		{name: "ErrBadSignature_TamperedSignature", method: "GET", url: "https://blog.example/articles/1",
			alter: func(r *http.Request, body []byte) []byte {
				sig, _ := ParseSignature(r)
				sig.Value[10] ^= 1
				r.Header.Set("Signature", sig.header())
				return body
			}, want: ErrBadSignature},

		// Coverage (Mastodon's verify_signature_strength!).
		{name: "ErrNotCovered_DigestNotSignedOnPOST", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs("(request-target)", "host", "date"), want: ErrNotCovered},
		{name: "ErrNotCovered_HostNotSignedOnGET", method: "GET", url: "https://blog.example/articles/1",
			sign: hs("(request-target)", "date"), want: ErrNotCovered},
		{name: "ErrNotCovered_NoDate", method: "GET", url: "https://blog.example/articles/1",
			sign: hs("(request-target)", "host"), want: ErrNotCovered},
		{name: "ErrNotCovered_NoTarget", method: "GET", url: "https://blog.example/articles/1",
			sign: hs("host", "date"), want: ErrNotCovered},
		{name: "OK_DigestInsteadOfTarget", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs("host", "date", "digest")},
		{name: "OK_ExtraHeaders", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Set("Content-Type", "application/activity+json")
				hs("(request-target)", "host", "date", "digest", "content-type")(t, r, body)
			}},
		{name: "ErrMalformed_SignedHeaderAbsent", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Set("Content-Type", "application/activity+json")
				hs("(request-target)", "host", "date", "digest", "content-type")(t, r, body)
			},
			alter: func(r *http.Request, body []byte) []byte { r.Header.Del("Content-Type"); return body }, want: ErrMalformed},
		{name: "ErrMalformed_HugeSignedHeader", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Set("X-Big", "small")
				hs("(request-target)", "host", "date", "digest", "x-big")(t, r, body)
			},
			alter: func(r *http.Request, body []byte) []byte {
				r.Header.Set("X-Big", strings.Repeat("b", maxSigningString))
				return body
			}, want: ErrMalformed},
		{name: "ErrDigest_SignedButAbsent", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			alter: func(r *http.Request, body []byte) []byte { r.Header.Del("Digest"); return body }, want: ErrDigest},
		{name: "ErrDigest_NoSHA256", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, _ []byte) {
				r.Header.Set("Digest", "SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==")
				signWith(t, r, k, "rsa-sha256", []string{"(request-target)", "host", "date", "digest"}, time.Time{}, time.Time{})
			}, want: ErrDigest},
		{name: "OK_DigestAmongOthers", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Set("Digest", "SHA-512=AAAA, sha-256="+strings.TrimPrefix(digestOf(body), "SHA-256="))
				signWith(t, r, k, "rsa-sha256", []string{"(request-target)", "host", "date", "digest"}, time.Time{}, time.Time{})
			}},

		// Algorithms.
		{name: "OK_AlgorithmAbsent", method: "GET", url: "https://blog.example/articles/1",
			alter: replaceInSignature(`algorithm="rsa-sha256",`, "")},
		{name: "OK_HS2019", method: "GET", url: "https://blog.example/articles/1",
			alter: replaceInSignature(`"rsa-sha256"`, `"hs2019"`)},
		{name: "ErrUnsupported_HMAC", method: "GET", url: "https://blog.example/articles/1",
			alter: replaceInSignature(`"rsa-sha256"`, `"hmac-sha256"`), want: ErrUnsupported},
		{name: "ErrUnsupported_Uppercase", method: "GET", url: "https://blog.example/articles/1",
			alter: replaceInSignature(`"rsa-sha256"`, `"RSA-SHA256"`), want: ErrUnsupported},
		{name: "ErrUnsupported_RFC9421", method: "GET", url: "https://blog.example/articles/1",
			alter: func(r *http.Request, body []byte) []byte {
				r.Header.Set("Signature-Input", `sig1=("@method" "@target-uri");created=1`)
				return body
			}, want: ErrUnsupported},

		// Time window: valid from Date - 1 h to Date + 5 min + 1 h.
		{name: "OK_AtExpiryPlusSkew", method: "GET", url: "https://blog.example/articles/1", at: 65 * time.Minute},
		{name: "ErrExpired", method: "GET", url: "https://blog.example/articles/1", at: 65*time.Minute + time.Second, want: ErrExpired},
		{name: "ErrExpired_Day", method: "POST", url: "https://blog.example/inbox", body: []byte("x"), at: 24 * time.Hour, want: ErrExpired},
		{name: "OK_HourAhead", method: "GET", url: "https://blog.example/articles/1", at: -time.Hour},
		{name: "ErrExpired_FarFuture", method: "GET", url: "https://blog.example/articles/1", at: -time.Hour - time.Second, want: ErrExpired},
		{name: "ErrMalformed_BadDate", method: "GET", url: "https://blog.example/articles/1",
			sign: func(t *testing.T, r *http.Request, _ []byte) {
				s := &Signature{KeyID: k.ID, Algorithm: "rsa-sha256", Headers: []string{"(request-target)", "host", "date"}}
				r.Header.Set("Date", "yesterday")
				if err := sign(r, k, s); err != nil {
					t.Fatal(err)
				}
			}, want: ErrMalformed},

		// (created) and (expires).
		{name: "OK_Created", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs2019(t0, time.Time{}, "(request-target)", "(created)", "host", "digest")},
		{name: "OK_CreatedExpires", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs2019(t0, t0.Add(3*time.Hour), "(request-target)", "(created)", "(expires)", "host", "digest"), at: 4 * time.Hour},
		{name: "ErrExpired_Expires", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs2019(t0, t0.Add(time.Minute), "(request-target)", "(created)", "(expires)", "host", "digest"), at: 62 * time.Minute, want: ErrExpired},
		{name: "ErrExpired_ExpiresCappedAt12h", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs2019(t0, t0.Add(48*time.Hour), "(request-target)", "(created)", "(expires)", "host", "digest"), at: 13*time.Hour + time.Second, want: ErrExpired},
		{name: "ErrExpired_CreatedAhead", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: hs2019(t0.Add(2*time.Hour), time.Time{}, "(request-target)", "(created)", "host", "digest"), want: ErrExpired},
		{name: "ErrUnsupported_CreatedWithRSASHA256", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign:  hs2019(t0, time.Time{}, "(request-target)", "(created)", "host", "date", "digest"),
			alter: replaceInSignature(`"hs2019"`, `"rsa-sha256"`), want: ErrUnsupported},
		{name: "ErrMalformed_CreatedParameterMissing", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign:  hs2019(t0, time.Time{}, "(request-target)", "(created)", "host", "digest"),
			alter: replaceInSignature(`created=`+strconv.FormatInt(t0.Unix(), 10)+`,`, ""), want: ErrMalformed},
		{
			// Mastodon would take this expires parameter, unsigned, and
			// accept the request for 12 hours.
			name: "ErrExpired_UnsignedExpiresIgnored", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign:  hs2019(time.Time{}, time.Time{}, "(request-target)", "host", "date", "digest"),
			alter: replaceInSignature(`,headers=`, `,expires=`+strconv.FormatInt(t0.Add(12*time.Hour).Unix(), 10)+`,headers=`),
			at:    2 * time.Hour, want: ErrExpired,
		},
		{
			name: "ErrExpired_UnsignedCreatedIgnored", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign:  hs2019(time.Time{}, time.Time{}, "(request-target)", "host", "date", "digest"),
			alter: replaceInSignature(`,headers=`, `,created=`+strconv.FormatInt(t0.Add(2*time.Hour).Unix(), 10)+`,headers=`),
			at:    2 * time.Hour, want: ErrExpired,
		},

		// Header names and values.
		{name: "OK_HeaderNamesInCapitals", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			alter: replaceInSignature(`"(request-target) host date digest"`, `"(Request-Target) HOST Date DIGEST"`)},
		{name: "OK_RepeatedHeaderJoined", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Add("X-Trace", "a")
				r.Header.Add("X-Trace", " b ")
				hs("(request-target)", "host", "date", "digest", "x-trace")(t, r, body)
				s, err := ParseSignature(r)
				if err != nil {
					t.Fatal(err)
				}
				if str, _ := s.signingString(r, true); !strings.HasSuffix(str, "\nx-trace: a, b") {
					t.Errorf("signing string %q", str)
				}
			}},
		{name: "ErrBadSignature_RepeatedHeaderReordered", method: "POST", url: "https://blog.example/inbox", body: []byte("x"),
			sign: func(t *testing.T, r *http.Request, body []byte) {
				r.Header.Add("X-Trace", "a")
				r.Header.Add("X-Trace", "b")
				hs("(request-target)", "host", "date", "digest", "x-trace")(t, r, body)
			},
			alter: func(r *http.Request, body []byte) []byte {
				r.Header["X-Trace"] = []string{"b", "a"}
				return body
			}, want: ErrBadSignature},

		// The query string in (request-target).
		{name: "OK_QuerySigned", method: "GET", url: "https://blog.example/ap/outbox?page=2"},
		{name: "OK_QueryLeftOutBySigner", method: "GET", url: "https://blog.example/ap/outbox?page=2",
			sign: func(t *testing.T, r *http.Request, _ []byte) {
				// An old Mastodon or GoToSocial: the path alone.
				full := r.URL.RawQuery
				r.URL.RawQuery = ""
				signWith(t, r, k, "rsa-sha256", []string{"(request-target)", "host", "date"}, time.Time{}, time.Time{})
				r.URL.RawQuery = full
			}},
		{name: "ErrBadSignature_QueryTampered", method: "GET", url: "https://blog.example/ap/outbox?page=2",
			alter: func(r *http.Request, body []byte) []byte { r.URL.RawQuery = "page=3"; return body }, want: ErrBadSignature},
		{
			// The price of accepting signatures without the query, as
			// Mastodon does: a query added to such a request goes unnoticed.
			name: "OK_QueryAddedToPathOnlySignature", method: "GET", url: "https://blog.example/ap/outbox",
			alter: func(r *http.Request, body []byte) []byte { r.URL.RawQuery = "page=3"; return body },
		},
		{name: "ErrBadSignature_QueryRemoved", method: "GET", url: "https://blog.example/ap/outbox?page=2",
			alter: func(r *http.Request, body []byte) []byte { r.URL.RawQuery = ""; return body }, want: ErrBadSignature},
		{name: "OK_EscapedPath", method: "GET", url: "https://blog.example/tags/caf%C3%A9%2Fbar?q=a+b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, tt.method, tt.url, tt.body)
			if tt.sign != nil {
				tt.sign(t, r, tt.body)
				if tt.body != nil {
					r.Body, _ = r.GetBody()
				}
			} else if err := SignRequest(r, tt.body, k, t0); err != nil {
				t.Fatal(err)
			}
			srv, body := received(t, r)
			if tt.alter != nil {
				body = tt.alter(srv, body)
			}
			err := parseAndVerify(srv, body, k, t0.Add(tt.at))
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCheckBeforeKey checks that Check refuses what Verify would without a
// key, and passes what only the key can refuse.
func TestCheckBeforeKey(t *testing.T) {
	k := testKey(t)
	body := []byte("x")
	r := newRequest(t, http.MethodPost, "https://blog.example/inbox", body)
	if err := SignRequest(r, body, k, t0); err != nil {
		t.Fatal(err)
	}
	srv, got := received(t, r)
	sig, err := ParseSignature(srv)
	if err != nil {
		t.Fatal(err)
	}
	if err := sig.Check(srv, got, t0); err != nil {
		t.Errorf("Check = %v", err)
	}
	if err := sig.Check(srv, []byte("y"), t0); !errors.Is(err, ErrDigest) {
		t.Errorf("Check of another body = %v, want ErrDigest", err)
	}
	if err := sig.Check(srv, got, t0.Add(2*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("Check two hours later = %v, want ErrExpired", err)
	}
	other := testKey(t)
	other.Private = loadPrivateKey(t, "testdata/cavage12_private.pem")
	if err := sig.Verify(srv, got, &other.Private.PublicKey, t0); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify with another key = %v, want ErrBadSignature", err)
	}
	if err := sig.Verify(srv, got, nil, t0); err == nil {
		t.Error("Verify with a nil key succeeded")
	}
	if !bytes.Equal(got, body) {
		t.Errorf("body %q", got)
	}
}
