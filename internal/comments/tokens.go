package comments

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Signed values handed to readers: the list of comments a browser posted
// (kept in a cookie, to show them while they wait for a moderator), the
// avatar key of an email, and the unsubscribe link of a notification. Each
// is an HMAC under the site's secret with its own purpose prefix, so one
// can never be replayed as another.

// MaxOwn bounds the comments a browser remembers: the most recent ones.
const MaxOwn = 20

func (s *Service) mac(purpose string, parts ...string) []byte {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte(purpose))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// OwnToken signs the ids of the comments a browser posted, the most
// recent MaxOwn of them, for its cookie.
func (s *Service) OwnToken(ids []int64) string {
	if len(ids) > MaxOwn {
		ids = ids[len(ids)-MaxOwn:]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(parts, ".")
	return list + "~" + base64.RawURLEncoding.EncodeToString(s.mac("own", list)[:16])
}

// OwnIDs returns the ids a cookie made by OwnToken lists, nil when it was
// not signed here.
func (s *Service) OwnIDs(token string) []int64 {
	list, sig, ok := strings.Cut(token, "~")
	if !ok || list == "" || len(token) > 24*MaxOwn {
		return nil
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac("own", list)[:16]) {
		return nil
	}
	parts := strings.Split(list, ".")
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

// AddOwn returns the cookie token listing the ids of token plus id.
func (s *Service) AddOwn(token string, id int64) string {
	ids := s.OwnIDs(token)
	if !slices.Contains(ids, id) {
		ids = append(ids, id)
	}
	return s.OwnToken(ids)
}

// AvatarKey is the key of the identicon of an email: the same commenter
// gets the same picture everywhere, and neither the picture nor its
// address leads back to the email.
func (s *Service) AvatarKey(email string) string {
	return hex.EncodeToString(s.mac("avatar", strings.ToLower(strings.TrimSpace(email)))[:10])
}

// AvatarKeyer returns a function computing AvatarKey for the many emails
// of a page of comments: one HMAC state reused, each email hashed once.
// It is not safe for concurrent use.
func (s *Service) AvatarKeyer() func(email string) string {
	m := hmac.New(sha256.New, s.Secret)
	seen := make(map[string]string)
	var sum []byte
	return func(email string) string {
		email = strings.ToLower(strings.TrimSpace(email))
		if k, ok := seen[email]; ok {
			return k
		}
		m.Reset()
		m.Write([]byte("avatar\x00"))
		m.Write([]byte(email))
		sum = m.Sum(sum[:0])
		k := hex.EncodeToString(sum[:10])
		seen[email] = k
		return k
	}
}
