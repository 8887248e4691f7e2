package httpsig

import (
	"bufio"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// vector is a signed request from testdata/vectors.json, written by another
// implementation (see the file's comment and each vector's source).
type vector struct {
	Name          string   `json:"name"`
	Source        string   `json:"source"`
	Key           string   `json:"key"`
	Request       []string `json:"request"`
	Now           string   `json:"now"`
	Signature     string   `json:"signature"`
	SigningString string   `json:"signing_string"`
	SignatureOK   bool     `json:"signature_valid"`
	Reproduce     string   `json:"reproduce"`
	Want          string   `json:"want"`
	Why           string   `json:"why"`
}

// sentinels names the sentinel errors as vectors.json does.
var sentinels = map[string]error{
	"ErrNoSignature":  ErrNoSignature,
	"ErrMalformed":    ErrMalformed,
	"ErrUnsupported":  ErrUnsupported,
	"ErrNotCovered":   ErrNotCovered,
	"ErrExpired":      ErrExpired,
	"ErrDigest":       ErrDigest,
	"ErrBadSignature": ErrBadSignature,
}

// The private keys of testdata, by the names vectors.json uses.
var vectorKeys = map[string]string{
	"cavage12": "testdata/cavage12_private.pem",
	"mastodon": "testdata/mastodon_private.pem",
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parse vectors.json: %v", err)
	}
	return doc.Vectors
}

func loadPrivateKey(t *testing.T, path string) *rsa.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePrivateKeyPEM(string(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return k
}

// readVectorRequest parses v's request the way a server receives it, and
// returns it with its body and the given Signature header.
func readVectorRequest(t *testing.T, v vector, signature string) (*http.Request, []byte) {
	t.Helper()
	raw := strings.Join(v.Request, "\r\n")
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("read request: %v", err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if signature != "" {
		r.Header.Set("Signature", signature)
	}
	return r, body
}

// TestVectors checks this package against requests others signed: that the
// published signature is what the source says it is, that Verify decides
// as Mastodon does, and that the signer writes the very same header.
func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			priv := loadPrivateKey(t, vectorKeys[v.Key])
			now, err := time.Parse(time.RFC3339, v.Now)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := sentinels[v.Want]
			if v.Want != "" && !ok {
				t.Fatalf("unknown error %q", v.Want)
			}
			r, body := readVectorRequest(t, v, v.Signature)
			sig, err := ParseSignature(r)
			if err != nil {
				t.Fatalf("ParseSignature: %v", err)
			}

			sum := sha256.Sum256([]byte(v.SigningString))
			err = rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, sum[:], sig.Value)
			if got := err == nil; got != v.SignatureOK {
				t.Errorf("signature over the published signing string verifies: %t, want %t", got, v.SignatureOK)
			}

			err = sig.Verify(r, body, &priv.PublicKey, now)
			if v.Want == "" && err != nil || v.Want != "" && !errors.Is(err, want) {
				t.Errorf("Verify = %v, want %s (%s)", err, orNil(v.Want), v.Why)
			}

			if v.Reproduce == "" {
				return
			}
			r2, _ := readVectorRequest(t, v, "")
			tmpl := &Signature{KeyID: sig.KeyID, Algorithm: sig.Algorithm, Headers: sig.Headers}
			if err := sign(r2, Key{ID: sig.KeyID, Private: priv}, tmpl); err != nil {
				t.Fatalf("sign: %v", err)
			}
			got := r2.Header.Get("Signature")
			switch v.Reproduce {
			case "header":
				if got != v.Signature {
					t.Errorf("signed\n%s\nwant\n%s", got, v.Signature)
				}
			case "value":
				if again, err := parseSignature(got); err != nil || string(again.Value) != string(sig.Value) {
					t.Errorf("signed %s, want the signature value of %s", got, v.Signature)
				}
			default:
				t.Fatalf("unknown reproduce %q", v.Reproduce)
			}
		})
	}
}

func orNil(name string) string {
	if name == "" {
		return "nil"
	}
	return name
}
