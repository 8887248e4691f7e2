package httpsig

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// digestOf returns the Digest header value for body (RFC 3230 with the
// SHA-256 name of RFC 5843), the only algorithm Mastodon accepts.
func digestOf(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// checkDigest checks the Digest header's values against body as Mastodon
// does: the first SHA-256 entry (the name is case-insensitive) must equal
// base64(sha256(body)); entries in other algorithms are ignored.
func checkDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: Digest header missing", ErrDigest)
	}
	for _, entry := range strings.Split(strings.Join(values, ","), ",") {
		alg, got, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok || !strings.EqualFold(alg, "sha-256") {
			continue
		}
		want := strings.TrimPrefix(digestOf(body), "SHA-256=")
		if strings.TrimSpace(got) != want {
			return fmt.Errorf("%w: SHA-256 of the body is %s, Digest says %.64s", ErrDigest, want, got)
		}
		return nil
	}
	return fmt.Errorf("%w: Digest offers no SHA-256", ErrDigest)
}
