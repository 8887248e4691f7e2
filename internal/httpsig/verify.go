package httpsig

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// The time window, Mastodon's (SignedRequest#matches_time_window?): a
// signature is valid from its creation time (Date, or (created)) until
// (expires), or defaultLifetime after creation without one, never longer
// than maxLifetime, with clockSkew of tolerance on both ends. Mastodon's
// documentation still says "12 hours"; its code says this.
const (
	defaultLifetime = 5 * time.Minute
	maxLifetime     = 12 * time.Hour
	clockSkew       = time.Hour
)

// Check applies every rule of Mastodon's that needs no key, so the caller
// can refuse a request before fetching anything: the algorithm is
// rsa-sha256 or hs2019 (ErrUnsupported); the time window holds (ErrExpired);
// the signature covers Date or (created), (request-target) or Digest, Host
// on a GET and Digest on a POST (ErrNotCovered); a signed Digest is SHA-256
// and matches body (ErrDigest); every signed header is present
// (ErrMalformed). body is the request's body as read.
//
// Two rules are stricter than Mastodon's, to close replay holes: the created
// and expires parameters count only when (created) and (expires) are signed
// (Mastodon reads them unsigned, so anyone replaying a request could
// stretch its window to 12 hours), and a signed header that is absent is
// refused rather than signed as empty.
func (s *Signature) Check(r *http.Request, body []byte, now time.Time) error {
	if s.Algorithm != algRSASHA256 && s.Algorithm != algHS2019 {
		return fmt.Errorf("%w: algorithm %q (only rsa-sha256 and hs2019)", ErrUnsupported, s.Algorithm)
	}
	if err := s.checkTime(r, now); err != nil {
		return err
	}
	if err := s.checkCoverage(r.Method); err != nil {
		return err
	}
	if s.signs("digest") {
		if err := checkDigest(r.Header.Values("Digest"), body); err != nil {
			return err
		}
	}
	_, err := s.signingString(r, true)
	return err
}

// Verify checks r with Check, then checks the signature itself with pub,
// the public key KeyID names. It tries (request-target) with the query
// string, then without, as Mastodon (since mastodon/mastodon#28476) and
// GoToSocial (since 0.14, its issue 894) do: most implementations, Mastodon
// among them, sign the path alone. So, as on those servers, a query added
// to a request signed without one goes unnoticed: what a query selects must
// not need the signature's protection. An
// ErrBadSignature after a key came from a cache calls for fetching the key
// again once: the sender may have rotated it.
func (s *Signature) Verify(r *http.Request, body []byte, pub *rsa.PublicKey, now time.Time) error {
	if pub == nil {
		return errors.New("httpsig: verify: nil public key")
	}
	if err := s.Check(r, body, now); err != nil {
		return err
	}
	withQuery := []bool{true}
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		withQuery = append(withQuery, false)
	}
	for _, q := range withQuery {
		str, err := s.signingString(r, q)
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(str))
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], s.Value) == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: keyId %s", ErrBadSignature, s.KeyID)
}

// signs reports whether s covers the header (or pseudo-header) h.
func (s *Signature) signs(h string) bool {
	return slices.Contains(s.Headers, h)
}

// checkCoverage applies Mastodon's verify_signature_strength! rules.
func (s *Signature) checkCoverage(method string) error {
	switch {
	case !s.signs("date") && !s.signs("(created)"):
		return fmt.Errorf("%w: neither Date nor (created) is signed", ErrNotCovered)
	case !s.signs("(request-target)") && !s.signs("digest"):
		return fmt.Errorf("%w: neither (request-target) nor Digest is signed", ErrNotCovered)
	case method == http.MethodGet && !s.signs("host"):
		return fmt.Errorf("%w: Host must be signed on a GET", ErrNotCovered)
	case method == http.MethodPost && !s.signs("digest"):
		return fmt.Errorf("%w: Digest must be signed on a POST", ErrNotCovered)
	}
	return nil
}

// checkTime checks that now falls in the signature's time window.
func (s *Signature) checkTime(r *http.Request, now time.Time) error {
	var created time.Time
	hs2019 := s.Algorithm == algHS2019
	switch date := r.Header.Get("Date"); {
	case hs2019 && s.signs("(created)"):
		t, err := unixTime(s.created)
		if err != nil {
			return fmt.Errorf("%w: created parameter: %w", ErrMalformed, err)
		}
		created = t
	case date != "":
		t, err := http.ParseTime(date)
		if err != nil {
			return fmt.Errorf("%w: Date header %.40q", ErrMalformed, date)
		}
		created = t
	default:
		return fmt.Errorf("%w: no Date header", ErrMalformed)
	}
	expires := created.Add(defaultLifetime)
	if hs2019 && s.signs("(expires)") {
		t, err := unixTime(s.expires)
		if err != nil {
			return fmt.Errorf("%w: expires parameter: %w", ErrMalformed, err)
		}
		expires = t
	}
	if limit := created.Add(maxLifetime); expires.After(limit) {
		expires = limit
	}
	switch {
	case created.After(now.Add(clockSkew)):
		return fmt.Errorf("%w: created %s, more than %s ahead", ErrExpired, created.UTC().Format(time.RFC3339), clockSkew)
	case now.After(expires.Add(clockSkew)):
		return fmt.Errorf("%w: expired %s", ErrExpired, expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// maxUnixTime bounds the created and expires parameters well inside what
// time.Time adds to without overflowing (the year 36812).
const maxUnixTime = 1 << 40

// unixTime parses a created or expires parameter, an integer Unix time.
func unixTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, errors.New("missing")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxUnixTime {
		return time.Time{}, fmt.Errorf("%.20q is not a Unix time", v)
	}
	return time.Unix(n, 0), nil
}
