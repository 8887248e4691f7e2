package spam

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// RateWindow is the period over which the store counts a client's recent
// comments for CheckRate and Input.RecentFromAddress/RecentFromNetwork.
const RateWindow = time.Hour

// RepeatWindow is the period over which the store counts comments with the
// same Fingerprint for Input.RecentSame.
const RepeatWindow = 24 * time.Hour

// Limit is a rate limit: how many comments from one client the store may
// already have received in RateWindow before the next is held, or refused.
// Zero disables either threshold.
type Limit struct {
	// Hold is the count from which Check holds the next comment ("flood").
	Hold int
	// Refuse is the count from which CheckRate refuses the next comment.
	Refuse int
}

// Rules is the newsroom's spam policy, edited in the settings. Start from
// DefaultRules; zero values disable a rule, except MaxLinks (see there).
//
// The word and address lists come in pairs, as WordPress has them: the
// Banned lists are its "comment moderation" keys and hold a comment for a
// moderator (a word that is often abusive, the name of a person a court
// forbids naming, a reader under watch); the Spam lists are its "disallowed
// comment keys" and send the comment to the spam folder (pharmacy names, a
// spammer's domain, a network that sends nothing else). Keeping both lets a
// newsroom ban a word without making every use of it disappear.
type Rules struct {
	// MaxLinks is how many links a comment may carry before it is held.
	// Zero holds every comment with a link; a negative value disables the
	// rule. WordPress's comment_max_links N (hold at N links or more, 0 to
	// disable) is MaxLinks N-1 (-1 for 0).
	MaxLinks int
	// BannedWords hold a comment that contains one of them, as a whole word
	// or phrase, ignoring case and accents, in its text, author name, e-mail
	// address or website.
	BannedWords []string
	// SpamWords send such a comment to the spam folder.
	SpamWords []string
	// BannedAddresses hold a comment from one of these IP addresses (IPv4
	// or IPv6), CIDR blocks, e-mail addresses or domains (matched in the
	// e-mail address, the website and the links).
	BannedAddresses []string
	// SpamAddresses send such a comment to the spam folder.
	SpamAddresses []string
	// MinElapsed is the shortest time between rendering the form and
	// posting it that a person can manage; faster posts are held.
	MinElapsed time.Duration
	// MinLength and MaxLength bound a comment's length in characters
	// (runes, after Unicode composition and trimming); see CheckLength.
	MinLength, MaxLength int
	// PerAddress limits the comments from one address (see RateKeys).
	PerAddress Limit
	// PerNetwork limits the comments from one network block (see
	// RateKeys), for bots that rotate through neighbouring addresses. It is
	// looser than PerAddress: a university or a mobile carrier puts many
	// readers behind one block.
	PerNetwork Limit
}

// DefaultRules returns the policy of a new site: hold comments with two
// links or more (WordPress's default), posts within 3 seconds of the form,
// more than 10 comments an hour from one address or 30 from one network
// block; refuse beyond 30 and 100; comments of 2 to 5,000 characters; empty
// word and address lists.
func DefaultRules() Rules {
	return Rules{
		MaxLinks:   1,
		MinElapsed: 3 * time.Second,
		MinLength:  2,
		MaxLength:  5000,
		PerAddress: Limit{Hold: 10, Refuse: 30},
		PerNetwork: Limit{Hold: 30, Refuse: 100},
	}
}

// The errors of Rules.Validate, wrapped with the field and entry at fault.
var (
	// ErrBadWord means an entry of a word list has no word that can match:
	// it is empty, or only punctuation and single letters.
	ErrBadWord = errors.New("no word to match")
	// ErrBadLimit means a number of the rules is out of range: a negative
	// length, limit or delay, or a minimum above its maximum.
	ErrBadLimit = errors.New("limit out of range")
)

// Validate reports every problem of r, for the settings form: address
// entries that do not parse (ErrBadAddress), word entries with nothing to
// match (ErrBadWord) and numbers out of range (ErrBadLimit), each wrapped
// with the field's name. Check skips entries that do not validate.
func (r Rules) Validate() error {
	var errs []error
	for _, l := range []struct {
		field string
		list  []string
	}{{"banned_words", r.BannedWords}, {"spam_words", r.SpamWords}} {
		for _, w := range l.list {
			if len(folder.Terms(w)) == 0 {
				errs = append(errs, fmt.Errorf("validate %s %q: %w", l.field, w, ErrBadWord))
			}
		}
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"banned_addresses", r.BannedAddresses}, {"spam_addresses", r.SpamAddresses}} {
		for _, a := range l.list {
			if _, err := parseAddress(a); err != nil {
				errs = append(errs, fmt.Errorf("validate %s: %w", l.field, err))
			}
		}
	}
	bad := func(field string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("validate %s: %s: %w", field, fmt.Sprintf(format, args...), ErrBadLimit))
	}
	if r.MinElapsed < 0 {
		bad("min_elapsed", "%s is negative", r.MinElapsed)
	}
	if r.MinLength < 0 {
		bad("min_length", "%d is negative", r.MinLength)
	}
	if r.MaxLength < 0 {
		bad("max_length", "%d is negative", r.MaxLength)
	}
	if r.MaxLength > 0 && r.MinLength > r.MaxLength {
		bad("min_length", "%d is above max_length %d", r.MinLength, r.MaxLength)
	}
	for _, l := range []struct {
		field string
		limit Limit
	}{{"per_address", r.PerAddress}, {"per_network", r.PerNetwork}} {
		if l.limit.Hold < 0 || l.limit.Refuse < 0 {
			bad(l.field, "%+v has a negative count", l.limit)
		}
	}
	return errors.Join(errs...)
}

// The errors of CheckLength: refusals shown to the reader, who can fix the
// comment, and not signs of spam.
var (
	// ErrEmpty means the comment has no text but spaces.
	ErrEmpty = errors.New("comment is empty")
	// ErrTooShort means the comment is shorter than Rules.MinLength.
	ErrTooShort = errors.New("comment is too short")
	// ErrTooLong means the comment is longer than Rules.MaxLength.
	ErrTooLong = errors.New("comment is too long")
)

// CheckLength returns an error wrapping ErrEmpty, ErrTooShort or ErrTooLong
// when text, trimmed of spaces, breaks r's length bounds, counted in
// characters after Unicode composition (an « é » typed as e plus an accent
// counts once). The comments service calls it before Check and shows the
// refusal with the form still filled in.
func CheckLength(text string, r Rules) error {
	n := runeLen(strings.TrimSpace(text))
	switch {
	case n == 0:
		return fmt.Errorf("check length: %w", ErrEmpty)
	case r.MinLength > 0 && n < r.MinLength:
		return fmt.Errorf("check length: %d characters, at least %d: %w", n, r.MinLength, ErrTooShort)
	case r.MaxLength > 0 && n > r.MaxLength:
		return fmt.Errorf("check length: %d characters, at most %d: %w", n, r.MaxLength, ErrTooLong)
	}
	return nil
}

// runeLen returns the number of runes of s in Unicode normal form C.
func runeLen(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			if norm.NFC.IsNormalString(s) {
				return utf8.RuneCountInString(s)
			}
			return utf8.RuneCountInString(norm.NFC.String(s))
		}
	}
	return len(s)
}

// The errors of CheckRate.
var (
	// ErrTooManyFromAddress means the client's address sent
	// Rules.PerAddress.Refuse comments or more in the last RateWindow.
	ErrTooManyFromAddress = errors.New("too many comments from this address")
	// ErrTooManyFromNetwork means the client's network block sent
	// Rules.PerNetwork.Refuse comments or more in the last RateWindow.
	ErrTooManyFromNetwork = errors.New("too many comments from this network")
)

// CheckRate returns an error wrapping ErrTooManyFromAddress or
// ErrTooManyFromNetwork when the store already holds, for the client's
// RateKeys, as many comments from the last RateWindow as r allows. The
// comments service calls it first, before any other work, and refuses the
// comment with a message to try again later: during a flood of a thousand
// posts, the first are scored, the next held by Check ("flood"), and the
// rest refused here, so the moderation queue stays readable.
func CheckRate(fromAddress, fromNetwork int, r Rules) error {
	if r.PerAddress.Refuse > 0 && fromAddress >= r.PerAddress.Refuse {
		return fmt.Errorf("check rate: %d comments in %s, limit %d: %w", fromAddress, RateWindow, r.PerAddress.Refuse, ErrTooManyFromAddress)
	}
	if r.PerNetwork.Refuse > 0 && fromNetwork >= r.PerNetwork.Refuse {
		return fmt.Errorf("check rate: %d comments in %s, limit %d: %w", fromNetwork, RateWindow, r.PerNetwork.Refuse, ErrTooManyFromNetwork)
	}
	return nil
}
