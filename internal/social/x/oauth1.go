package x

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // OAuth 1.0a's HMAC-SHA1 is what X requires (RFC 5849 §3.4.2).
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// oauth1 signs requests with an OAuth 1.0a user context: the app's
// consumer key and secret and the account's access token and secret.
type oauth1 struct {
	consumerKey, consumerSecret string
	token, tokenSecret          string
}

// authorization returns the Authorization header of a request, signed
// with HMAC-SHA1 (RFC 5849 §3.4). form holds the parameters of a form
// body; a JSON body is not signed, as X documents.
func (o oauth1) authorization(method string, u *url.URL, form url.Values) string {
	return o.authorizationAt(method, u, form, rand.Text(), time.Now().Unix())
}

func (o oauth1) authorizationAt(method string, u *url.URL, form url.Values, nonce string, ts int64) string {
	params := map[string]string{
		"oauth_consumer_key":     o.consumerKey,
		"oauth_nonce":            nonce,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(ts, 10),
		"oauth_token":            o.token,
		"oauth_version":          "1.0",
	}
	params["oauth_signature"] = o.signature(method, u, form, params)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = encode(k) + `="` + encode(params[k]) + `"`
	}
	return "OAuth " + strings.Join(parts, ", ")
}

// signature is base64(HMAC-SHA1(key, base string)) with the key
// enc(consumer secret)&enc(token secret) (RFC 5849 §3.4.2).
func (o oauth1) signature(method string, u *url.URL, form url.Values, oauthParams map[string]string) string {
	mac := hmac.New(sha1.New, []byte(encode(o.consumerSecret)+"&"+encode(o.tokenSecret)))
	mac.Write([]byte(baseString(method, u, form, oauthParams)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// baseString is METHOD&enc(base URI)&enc(normalised parameters), the
// parameters being the query's, the form body's and the oauth_ ones,
// each encoded, sorted by name then value and joined with & (§3.4.1).
func baseString(method string, u *url.URL, form url.Values, oauthParams map[string]string) string {
	var pairs [][2]string
	add := func(k, v string) { pairs = append(pairs, [2]string{encode(k), encode(v)}) }
	for k, vs := range u.Query() {
		for _, v := range vs {
			add(k, v)
		}
	}
	for k, vs := range form {
		for _, v := range vs {
			add(k, v)
		}
	}
	for k, v := range oauthParams {
		add(k, v)
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p[0] + "=" + p[1]
	}
	return strings.ToUpper(method) + "&" + encode(baseURI(u)) + "&" + encode(strings.Join(joined, "&"))
}

// baseURI is scheme://host[:port]/path, lower-case, without the default
// port, the query or the fragment (§3.4.1.2).
func baseURI(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" && (scheme != "http" || p != "80") && (scheme != "https" || p != "443") {
		host += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// encode percent-encodes s as RFC 5849 §3.6 requires: everything but
// ALPHA, DIGIT, '-', '.', '_' and '~', in upper-case hexadecimal.
func encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
