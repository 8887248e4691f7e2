package textproc

import (
	"net"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// The addresses comments may link to: bare URLs found in text, and the
// checks and normalization every href goes through.

// bareURLLen returns the length of the URL that starts s: up to a space, a
// control character, an invisible format character (a right-to-left
// override would let the text show another address than the link's), or a
// character that is not typed in URLs (< > " ` [ ] { } | \ ^ and
// typographic quotes), less the punctuation
// that ends a sentence (. , : ; ! ? * _ ~ ' …) and a ")" whose "(" is not
// in the URL, as in "(voir https://exemple.fr)".
func bareURLLen(s string) int {
	end, opened := 0, 0
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if URLStop(r) {
			break
		}
		switch r {
		case '(':
			opened++
		case ')':
			opened--
		}
		end += n
	}
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		switch {
		case strings.ContainsRune(".,:;!?*_~'…", r):
		case r == ')' && opened < 0:
			opened++
		default:
			return end
		}
		end -= n
	}
	return end
}

// URLStop reports whether a bare URL in a comment ends before c: a
// space, a control or format character, or a character that is not typed
// in URLs (< > " ` [ ] { } | \ ^ and typographic quotes).
func URLStop(c rune) bool {
	return unicode.IsSpace(c) || unicode.IsControl(c) || unicode.Is(unicode.Cf, c) ||
		strings.ContainsRune("<>\"`[]{}|\\^«»“”‘’„‹›", c)
}

// BareURLLen returns the length of the bare URL that starts s as a
// comment reads it: what a converter writing comments (the WordPress
// import) must leave unescaped for the link to survive.
func BareURLLen(s string) int { return bareURLLen(s) }

// CommentLinkAllowed reports whether a comment may link to raw: an http
// or https URL with a host and no user name.
func CommentLinkAllowed(raw string) bool {
	_, ok := commentHref(raw)
	return ok
}

// commentLink is a link target allowed in a comment.
type commentLink struct {
	href string // normalized absolute URL
	host string // normalized host name, without port
}

// defaultPorts are left out of normalized URLs.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// commentHref checks that raw is an absolute http or https URL with a host
// and no user name (https://www.banque.fr@evil.example is a phishing trick),
// and returns it normalized, its default port left out.
func commentHref(raw string) (commentLink, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" || u.User != nil {
		return commentLink{}, false
	}
	host, ok := commentHost(u.Hostname())
	if !ok {
		return commentLink{}, false
	}
	switch port := u.Port(); {
	case port != "" && port != defaultPorts[u.Scheme]:
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // IPv6
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}
	u.RawQuery = escapeQuery(u.RawQuery)
	return commentLink{href: u.String(), host: host}, true
}

// commentHost returns the normalized form of a URL's host name: an IP
// address in canonical form, or a lower-case ASCII name, an international
// one in punycode. It reports false for a name no browser would resolve.
func commentHost(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		if ip.Zone() != "" {
			return "", false
		}
		return ip.String(), true
	}
	h = strings.ToLower(h)
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			a, err := idna.Lookup.ToASCII(h)
			if err != nil {
				return "", false
			}
			h = a
			break
		}
	}
	alnum := false
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			alnum = true
		case c == '.' || c == '-' || c == '_':
		default:
			return "", false
		}
	}
	return h, alnum
}

// escapeQuery percent-encodes the bytes of a raw query that url.URL.String
// leaves as they are but a URL may not hold: non-ASCII, spaces and
// < > " ` { | } \ ^. So "?q=é" and "?q=%C3%A9" are listed as one link.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > ' ' && c < utf8.RuneSelf && !strings.ContainsRune("<>\"`{|}\\^", rune(c)) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(q)+16), q[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return q
	}
	return string(b)
}
