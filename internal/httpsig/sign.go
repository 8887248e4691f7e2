package httpsig

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SignRequest signs r as k's actor, the way Mastodon signs: it sets Date to
// now (IMF-fixdate, GMT), fixes r.Host to the host that is signed and sent,
// sets Digest to SHA-256 of body for a POST (or any request with a body),
// and sets Signature over "(request-target) host date digest", or
// "(request-target) host date" for a GET, with algorithm "rsa-sha256" (which
// Misskey needs to see). Mastodon requires Digest to be signed on a POST and
// Host on a GET. body must be the bytes r sends.
//
// Signing replaces the previous Date, Digest and Signature, so a retry signs
// again with a fresh Date: Mastodon refuses a Date more than about an hour
// old.
func SignRequest(r *http.Request, body []byte, k Key, now time.Time) error {
	if k.ID == "" || k.Private == nil {
		return errors.New("httpsig: sign request: key without id or private key")
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	if r.Host == "" {
		return fmt.Errorf("httpsig: sign %s request: no host", r.Method)
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	headers := []string{"(request-target)", "host", "date"}
	if r.Method == http.MethodPost || len(body) > 0 {
		r.Header.Set("Digest", digestOf(body))
		headers = append(headers, "digest")
	}
	return sign(r, k, &Signature{KeyID: k.ID, Algorithm: algRSASHA256, Headers: headers})
}

// sign fills s.Value by signing r with k over s.Headers, and sets r's
// Signature header from s.
func sign(r *http.Request, k Key, s *Signature) error {
	str, err := s.signingString(r, true)
	if err != nil {
		return fmt.Errorf("httpsig: sign %s request: %w", r.Method, err)
	}
	sum := sha256.Sum256([]byte(str))
	if s.Value, err = k.Private.Sign(rand.Reader, sum[:], crypto.SHA256); err != nil {
		return fmt.Errorf("httpsig: sign %s request: %w", r.Method, err)
	}
	r.Header.Set("Signature", s.header())
	return nil
}

// header formats s as a Signature header value, with its parameters in the
// order Mastodon writes them: keyId, algorithm, created and expires when
// set (bare integers, as in draft-cavage-12), headers, signature.
func (s *Signature) header() string {
	var b strings.Builder
	b.WriteString("keyId=" + quote(s.KeyID))
	b.WriteString(",algorithm=" + quote(s.Algorithm))
	if s.created != "" {
		b.WriteString(",created=" + integerOrQuoted(s.created))
	}
	if s.expires != "" {
		b.WriteString(",expires=" + integerOrQuoted(s.expires))
	}
	b.WriteString(",headers=" + quote(strings.Join(s.Headers, " ")))
	b.WriteString(",signature=" + quote(base64.StdEncoding.EncodeToString(s.Value)))
	return b.String()
}

// quote returns v as a quoted-string, escaping '"' and '\'.
func quote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// integerOrQuoted returns v bare when it is a decimal integer, else quoted.
func integerOrQuoted(v string) string {
	if strings.Trim(v, "0123456789") == "" {
		return v
	}
	return quote(v)
}
