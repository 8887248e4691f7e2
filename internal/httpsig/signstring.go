package httpsig

import (
	"fmt"
	"net/http"
	"strings"
)

// maxSigningString bounds the string a signature covers: the headers
// servers sign are short, and the limit keeps a hostile request from making
// verification copy megabytes.
const maxSigningString = 64 << 10

// signingString builds the string s signs over r (draft-cavage-12 section
// 2.3): one "name: value" line per signed header, joined by "\n". With
// withQuery false, (request-target) leaves out the query string, as Mastodon
// and most implementations sign it.
func (s *Signature) signingString(r *http.Request, withQuery bool) (string, error) {
	lines := make([]string, 0, len(s.Headers))
	size := 0
	for _, h := range s.Headers {
		var value string
		switch h {
		case "(request-target)":
			value = strings.ToLower(r.Method) + " " + requestTarget(r, withQuery)
		case "(created)", "(expires)":
			// Mastodon refuses these with rsa-sha256, as draft-cavage-12
			// section 2.3 says to with any rsa, hmac or ecdsa algorithm.
			if s.Algorithm != algHS2019 {
				return "", fmt.Errorf("%w: %s signed with %s", ErrUnsupported, h, s.Algorithm)
			}
			value = s.created
			if h == "(expires)" {
				value = s.expires
			}
			if value == "" {
				return "", fmt.Errorf("%w: %s signed without its parameter", ErrMalformed, h)
			}
		case "host":
			value = hostOf(r)
		default:
			values := r.Header.Values(h)
			if len(values) == 0 {
				return "", fmt.Errorf("%w: signed header %q is absent", ErrMalformed, h)
			}
			for i, v := range values {
				values[i] = strings.TrimSpace(v)
			}
			value = strings.Join(values, ", ")
		}
		// A header of a megabyte named 32 times would otherwise be copied
		// 32 times before any key is fetched.
		if size += len(h) + len(value) + 3; size > maxSigningString {
			return "", fmt.Errorf("%w: signed headers longer than %d bytes", ErrMalformed, maxSigningString)
		}
		lines = append(lines, h+": "+value)
	}
	return strings.Join(lines, "\n"), nil
}

// requestTarget returns r's path, with its query string when withQuery is
// true, as it appears on the request line.
func requestTarget(r *http.Request, withQuery bool) string {
	if withQuery {
		return r.URL.RequestURI()
	}
	u := *r.URL
	u.RawQuery, u.ForceQuery = "", false
	return u.RequestURI()
}

// hostOf returns the host r is addressed to. Go moves the Host header of a
// received request to r.Host, and sends r.Host (or else the URL's host) as
// the Host header of an outgoing one, so r.Header never holds it.
func hostOf(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}
