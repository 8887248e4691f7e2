package httpsig

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"
)

// t0 is when the tests' requests are signed.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// testKey returns Mastodon's published spec key (testdata) as a Key, so
// tests sign with a real 2048-bit key without generating one.
func testKey(t *testing.T) Key {
	t.Helper()
	return Key{
		ID:      "https://remote.example/users/alice#main-key",
		Private: loadPrivateKey(t, "testdata/mastodon_private.pem"),
	}
}

// newRequest returns an outgoing request, as a delivery job builds it.
func newRequest(t *testing.T, method, url string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// received writes r to the wire and reads it back as a server receives it,
// with its body.
func received(t *testing.T, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatalf("write request: %v", err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("read request: %v", err)
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return got, body
}

// parseAndVerify runs the inbox's sequence on r: ParseSignature, then
// Verify with pub at now.
func parseAndVerify(r *http.Request, body []byte, k Key, now time.Time) error {
	sig, err := ParseSignature(r)
	if err != nil {
		return err
	}
	return sig.Verify(r, body, &k.Private.PublicKey, now)
}
