package xtest

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // OAuth 1.0a's HMAC-SHA1, as X checks it.
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file checks OAuth 1.0a signatures as X does, written apart from
// the client's signer so that one mistake cannot pass on both sides.

// oauthParams parses an "Authorization: OAuth k="v", …" header.
func oauthParams(header string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(header, "OAuth ")
	if !ok {
		return nil, errors.New("not an OAuth header")
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("malformed OAuth parameter %q", part)
		}
		key, err1 := url.PathUnescape(k)
		val, err2 := url.PathUnescape(v[1 : len(v)-1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("OAuth parameter %q: %w", part, err)
		}
		if _, dup := params[key]; dup {
			return nil, fmt.Errorf("OAuth parameter %s twice", key)
		}
		params[key] = val
	}
	return params, nil
}

// rfc3986 is RFC 5849 §3.6's percent-encoding.
func rfc3986(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Signature computes the HMAC-SHA1 signature of a request (RFC 5849
// §3.4): base URI without query, the query's and form body's parameters
// and the oauth_ ones but oauth_signature and realm.
func Signature(method, baseURI string, query, form url.Values, oauth map[string]string, consumerSecret, tokenSecret string) string {
	type kv struct{ k, v string }
	var all []kv
	for _, vals := range []url.Values{query, form} {
		for k, vs := range vals {
			for _, v := range vs {
				all = append(all, kv{rfc3986(k), rfc3986(v)})
			}
		}
	}
	for k, v := range oauth {
		if k != "oauth_signature" && k != "realm" {
			all = append(all, kv{rfc3986(k), rfc3986(v)})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].k < all[j].k || all[i].k == all[j].k && all[i].v < all[j].v
	})
	var norm []string
	for _, p := range all {
		norm = append(norm, p.k+"="+p.v)
	}
	base := strings.ToUpper(method) + "&" + rfc3986(baseURI) + "&" + rfc3986(strings.Join(norm, "&"))
	mac := hmac.New(sha1.New, []byte(rfc3986(consumerSecret)+"&"+rfc3986(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// maxSkew is how far an oauth_timestamp may be from the fake's clock.
const maxSkew = 5 * time.Minute

// checkOAuth1 verifies a request's OAuth 1.0a header for the fake's keys
// and records its nonce; it returns why it refuses.
func (s *Server) checkOAuth1(header, method, baseURI string, query, form url.Values) error {
	p, err := oauthParams(header)
	if err != nil {
		return err
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method", "oauth_timestamp", "oauth_token"} {
		if p[k] == "" {
			return fmt.Errorf("missing %s", k)
		}
	}
	switch {
	case p["oauth_signature_method"] != "HMAC-SHA1":
		return fmt.Errorf("signature method %q", p["oauth_signature_method"])
	case p["oauth_version"] != "" && p["oauth_version"] != "1.0":
		return fmt.Errorf("version %q", p["oauth_version"])
	case p["oauth_consumer_key"] != s.ConsumerKey:
		return errors.New("unknown consumer key")
	case p["oauth_token"] != s.AccessToken:
		return errors.New("unknown token")
	}
	ts, err := strconv.ParseInt(p["oauth_timestamp"], 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q", p["oauth_timestamp"])
	}
	if d := time.Since(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return fmt.Errorf("timestamp %d is %v off", ts, d.Round(time.Second))
	}
	want := Signature(method, baseURI, query, form, p, s.ConsumerSecret, s.AccessTokenSecret)
	if !hmac.Equal([]byte(want), []byte(p["oauth_signature"])) {
		return errors.New("signature mismatch")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nonces[p["oauth_nonce"]] {
		return errors.New("nonce replayed")
	}
	s.nonces[p["oauth_nonce"]] = true
	return nil
}
