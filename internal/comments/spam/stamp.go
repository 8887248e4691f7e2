package spam

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The errors of Stamper.Check. A comment whose stamp fails with
// ErrStampMissing, ErrStampForged or ErrStampOtherArticle did not come from
// a form kiosque rendered for that article; ErrStampExpired is what a reader
// who left the page open for a day gets.
var (
	// ErrStampMissing means the form was posted without a stamp.
	ErrStampMissing = errors.New("form stamp missing")
	// ErrStampForged means the stamp is not one this server signed: garbage,
	// a truncated token, or a modified byte.
	ErrStampForged = errors.New("form stamp forged")
	// ErrStampExpired means the stamp is genuine but older than the
	// Stamper's maximum age.
	ErrStampExpired = errors.New("form stamp expired")
	// ErrStampOtherArticle means the stamp is genuine but was issued for
	// another article's form: a bot replaying a harvested token.
	ErrStampOtherArticle = errors.New("form stamp issued for another article")
)

// DefaultStampMaxAge is how long a stamp stays valid unless
// Stamper.WithMaxAge says otherwise: long enough for a reader who writes a
// comment over an evening, short enough that harvested stamps go stale.
const DefaultStampMaxAge = 24 * time.Hour

// MinSecretLen is the shortest secret NewStamper accepts, in bytes. The
// configuration should provide 32 random bytes.
const MinSecretLen = 16

const (
	// stampVersion is the first byte of every stamp, so that the format can
	// change without old stamps being read the new way.
	stampVersion byte = 1
	// stampMACLen is the length of the truncated HMAC-SHA256 in a stamp:
	// 128 bits, far beyond what a bot can guess online.
	stampMACLen = 16
	// stampMaxLen bounds the decoded stamp: the version, two varints of at
	// most 10 bytes each, and the MAC.
	stampMaxLen = 1 + 2*binary.MaxVarintLen64 + stampMACLen
	// stampKeyLabel separates the stamp key from other uses of the same
	// secret.
	stampKeyLabel = "kiosque/comments/spam/stamp/v1"
)

// Stamper signs and checks the hidden timestamp of the comment form. The
// stamp proves that the form was rendered by this server, for this article,
// and how long ago, so that a post that never loaded the form or comes back
// within a second is told apart from a reader's. It is not a nonce: a stamp
// can be posted several times until it expires, which the rate limits and
// the repeated-text rule cover. Safe for concurrent use.
type Stamper struct {
	key    []byte
	maxAge time.Duration
}

// NewStamper returns a Stamper signing with a key derived from secret, whose
// stamps expire after DefaultStampMaxAge. Changing the secret invalidates
// every form already rendered. It panics if secret is shorter than
// MinSecretLen: an empty or short key would let anyone forge stamps, and the
// configuration is validated before this is called.
func NewStamper(secret []byte) *Stamper {
	if len(secret) < MinSecretLen {
		panic(fmt.Sprintf("spam: stamp secret is %d bytes, need at least %d", len(secret), MinSecretLen))
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(stampKeyLabel))
	return &Stamper{key: mac.Sum(nil), maxAge: DefaultStampMaxAge}
}

// WithMaxAge returns a copy of s whose stamps expire after d; d <= 0 means
// they never expire.
func (s *Stamper) WithMaxAge(d time.Duration) *Stamper {
	c := *s
	c.maxAge = d
	return &c
}

// Stamp returns the stamp for a form about articleID rendered at now: about
// 34 characters of unpadded base64url, safe in a form field and a URL. It
// holds the issue time in milliseconds, the article id and a truncated
// HMAC-SHA256 of both.
func (s *Stamper) Stamp(articleID int64, now time.Time) string {
	b := make([]byte, 0, stampMaxLen)
	b = append(b, stampVersion)
	b = binary.AppendVarint(b, now.UnixMilli())
	b = binary.AppendVarint(b, articleID)
	b = append(b, s.sum(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Check verifies a stamp posted with a comment on articleID and returns how
// long ago its form was rendered. The error wraps ErrStampMissing,
// ErrStampForged, ErrStampOtherArticle or ErrStampExpired; with
// ErrStampExpired the elapsed time is returned too. The MAC is verified,
// in constant time, before anything in the stamp is believed. A stamp from
// the future (clocks of two servers out of step) counts as just issued.
func (s *Stamper) Check(token string, articleID int64, now time.Time) (elapsed time.Duration, err error) {
	if token == "" {
		return 0, fmt.Errorf("check stamp: %w", ErrStampMissing)
	}
	if len(token) > base64.RawURLEncoding.EncodedLen(stampMaxLen) {
		return 0, fmt.Errorf("check stamp: %d characters: %w", len(token), ErrStampForged)
	}
	if i := strings.IndexFunc(token, notBase64URL); i >= 0 {
		// The decoder would skip line breaks: a stamp has one spelling.
		return 0, fmt.Errorf("check stamp: byte %d is not base64url: %w", i, ErrStampForged)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, fmt.Errorf("check stamp: decode: %w: %w", ErrStampForged, err)
	}
	if len(raw) < 1+2+stampMACLen || raw[0] != stampVersion {
		return 0, fmt.Errorf("check stamp: malformed: %w", ErrStampForged)
	}
	body, mac := raw[:len(raw)-stampMACLen], raw[len(raw)-stampMACLen:]
	if !hmac.Equal(mac, s.sum(body)) {
		return 0, fmt.Errorf("check stamp: bad signature: %w", ErrStampForged)
	}
	issuedMilli, n := binary.Varint(body[1:])
	if n <= 0 {
		return 0, fmt.Errorf("check stamp: bad time: %w", ErrStampForged)
	}
	stampArticle, m := binary.Varint(body[1+n:])
	if m <= 0 || 1+n+m != len(body) {
		return 0, fmt.Errorf("check stamp: bad article: %w", ErrStampForged)
	}
	if stampArticle != articleID {
		return 0, fmt.Errorf("check stamp: issued for article %d, posted to %d: %w", stampArticle, articleID, ErrStampOtherArticle)
	}
	elapsed = max(now.Sub(time.UnixMilli(issuedMilli)), 0)
	if s.maxAge > 0 && elapsed > s.maxAge {
		return elapsed, fmt.Errorf("check stamp: issued %s ago, valid for %s: %w", elapsed.Round(time.Second), s.maxAge, ErrStampExpired)
	}
	return elapsed, nil
}

// notBase64URL reports whether r is outside the unpadded base64url alphabet.
func notBase64URL(r rune) bool {
	return (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_'
}

// sum returns the truncated HMAC-SHA256 of b under the stamp key.
func (s *Stamper) sum(b []byte) []byte {
	mac := hmac.New(sha256.New, s.key)
	mac.Write(b)
	return mac.Sum(nil)[:stampMACLen]
}
