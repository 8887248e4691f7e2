package httpsig

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// The algorithm names Mastodon accepts. Both mean RSASSA-PKCS1-v1_5 with
// SHA-256 for an RSA key; hs2019 leaves the algorithm to the key, and is
// what GoToSocial sends.
const (
	algRSASHA256 = "rsa-sha256"
	algHS2019    = "hs2019"
)

// maxSignedHeaders bounds the headers parameter: servers sign four to
// eight.
const maxSignedHeaders = 32

// maxSignatureLen bounds the Signature header: an RSA-8192 signature, a long
// keyId and a long header list fit in a quarter of it.
const maxSignatureLen = 8 << 10

// Signature is a parsed Signature header: what the caller needs to find the
// key (KeyID), and what Check and Verify need to check the request.
type Signature struct {
	// KeyID names the signing key, usually "{actor}#main-key".
	KeyID string
	// Algorithm is the algorithm parameter, or "hs2019" when the header
	// has none, as Mastodon assumes.
	Algorithm string
	// Headers lists the signed header names, lowercased, in signing
	// order. Without a headers parameter it is Mastodon's default:
	// "(created)" for hs2019, "date" otherwise.
	Headers []string
	// Value is the signature, decoded from base64.
	Value []byte

	// created and expires are the raw parameters, as they go into the
	// signing string.
	created, expires string
}

// ParseSignature reads r's Signature header. It returns ErrNoSignature when
// there is none, ErrUnsupported for an RFC 9421 signature (a
// Signature-Input header), and ErrMalformed when the header does not parse
// or lacks keyId or signature. It checks nothing else: see Check and
// Verify. The Authorization header's "Signature" scheme is not read, as
// Mastodon does not read it.
func ParseSignature(r *http.Request) (*Signature, error) {
	if r.Header.Get("Signature-Input") != "" {
		return nil, fmt.Errorf("%w: RFC 9421 signature (Signature-Input)", ErrUnsupported)
	}
	values := r.Header.Values("Signature")
	switch {
	case len(values) == 0 || len(values) == 1 && strings.TrimSpace(values[0]) == "":
		return nil, ErrNoSignature
	case len(values) > 1:
		return nil, fmt.Errorf("%w: %d Signature headers", ErrMalformed, len(values))
	}
	return parseSignature(values[0])
}

// parseSignature parses a Signature header value.
func parseSignature(raw string) (*Signature, error) {
	if len(raw) > maxSignatureLen {
		return nil, fmt.Errorf("%w: Signature header of %d bytes", ErrMalformed, len(raw))
	}
	params, err := parseParams(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	s := &Signature{
		KeyID:     params["keyId"],
		Algorithm: params["algorithm"],
		created:   params["created"],
		expires:   params["expires"],
	}
	if s.KeyID == "" || params["signature"] == "" {
		return nil, fmt.Errorf("%w: keyId and signature are required", ErrMalformed)
	}
	if s.Value, err = decodeBase64(params["signature"]); err != nil || len(s.Value) == 0 {
		return nil, fmt.Errorf("%w: signature is not base64", ErrMalformed)
	}
	if s.Algorithm == "" {
		s.Algorithm = algHS2019
	}
	headers, ok := params["headers"]
	if !ok {
		headers = "date"
		if s.Algorithm == algHS2019 {
			headers = "(created)"
		}
	}
	s.Headers = strings.Fields(strings.ToLower(headers))
	if len(s.Headers) > maxSignedHeaders {
		return nil, fmt.Errorf("%w: %d signed headers", ErrMalformed, len(s.Headers))
	}
	return s, nil
}

// decodeBase64 decodes standard base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// parseParams splits a Signature header into its parameters, with the
// grammar of Mastodon's SignatureParser: name BWS "=" BWS (token |
// quoted-string), comma-separated, with backslash escapes in quoted
// strings, after an optional "Signature " prefix that old versions of
// node-http-signature wrongly add. Unlike Mastodon, which keeps the last, a
// repeated parameter is refused: two keyIds or signatures are a request to
// read one way here and another way elsewhere.
func parseParams(s string) (map[string]string, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "Signature ")
	params := make(map[string]string)
	i := 0
	for {
		start := i
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		if i == start {
			return nil, fmt.Errorf("parameter name expected at byte %d", i)
		}
		name := s[start:i]
		i = skipSpace(s, i)
		if i == len(s) || s[i] != '=' {
			return nil, fmt.Errorf("'=' expected after %q", name)
		}
		i = skipSpace(s, i+1)
		var value string
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			for i++; ; i++ {
				if i == len(s) {
					return nil, fmt.Errorf("unterminated value of %q", name)
				}
				if s[i] == '"' {
					i++
					break
				}
				if s[i] == '\\' {
					if i++; i == len(s) {
						return nil, fmt.Errorf("unterminated value of %q", name)
					}
				}
				b.WriteByte(s[i])
			}
			value = b.String()
		} else {
			start := i
			for i < len(s) && isTokenChar(s[i]) {
				i++
			}
			if i == start {
				return nil, fmt.Errorf("value expected for %q", name)
			}
			value = s[start:i]
		}
		if _, dup := params[name]; dup {
			return nil, fmt.Errorf("parameter %q repeated", name)
		}
		params[name] = value
		i = skipSpace(s, i)
		if i == len(s) {
			return params, nil
		}
		if s[i] != ',' {
			return nil, fmt.Errorf("',' expected after %q", name)
		}
		i = skipSpace(s, i+1)
	}
}

// isTokenChar reports whether c may appear in an RFC 9110 token.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// skipSpace returns the index of the first byte at or after i in s that is
// not a space or a tab.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
