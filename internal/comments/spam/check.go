package spam

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Decision is what happens to a comment.
type Decision int8

// The decisions, from the mildest; a Verdict takes the most severe decision
// of its reasons.
const (
	// Accept publishes the comment, unless the site's moderation setting
	// holds it anyway (all comments, or first-time commenters).
	Accept Decision = iota
	// Hold puts the comment in the moderation queue.
	Hold
	// Spam puts the comment in the spam folder, where a moderator can still
	// rescue it; it is never deleted silently.
	Spam
)

// String returns the decision's stable name: "accept", "hold" or "spam".
func (d Decision) String() string {
	switch d {
	case Hold:
		return "hold"
	case Spam:
		return "spam"
	default:
		return "accept"
	}
}

// MarshalText encodes the decision as its name, for JSON and logs.
func (d Decision) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText decodes a decision's name.
func (d *Decision) UnmarshalText(b []byte) error {
	switch string(b) {
	case "accept":
		*d = Accept
	case "hold":
		*d = Hold
	case "spam":
		*d = Spam
	default:
		return fmt.Errorf("decode decision %q: unknown", b)
	}
	return nil
}

// Code identifies why a comment was held or sent to spam. Codes are stable:
// comments store them, and the back office translates them (for instance
// with the catalogue key "comments.reason." + code).
type Code string

// The reason codes, with the decision each leads to.
const (
	// CodeHoneypot (spam): the hidden field people never see was filled.
	CodeHoneypot Code = "honeypot"
	// CodeStampMissing (spam): posted without the form's stamp.
	CodeStampMissing Code = "stamp_missing"
	// CodeStampForged (spam): the stamp is not one this server signed.
	CodeStampForged Code = "stamp_forged"
	// CodeStampOtherArticle (spam): the stamp was issued for another article.
	CodeStampOtherArticle Code = "stamp_other_article"
	// CodeStampExpired (hold): the form was older than the stamp's lifetime.
	CodeStampExpired Code = "stamp_expired"
	// CodeTooFast (hold): posted sooner after the form than Rules.MinElapsed.
	CodeTooFast Code = "too_fast"
	// CodeSpamAddress (spam): an entry of Rules.SpamAddresses matched.
	CodeSpamAddress Code = "spam_address"
	// CodeBannedAddress (hold): an entry of Rules.BannedAddresses matched.
	CodeBannedAddress Code = "banned_address"
	// CodeSpamWord (spam): an entry of Rules.SpamWords matched.
	CodeSpamWord Code = "spam_word"
	// CodeBannedWord (hold): an entry of Rules.BannedWords matched.
	CodeBannedWord Code = "banned_word"
	// CodeLinks (hold): more links than Rules.MaxLinks.
	CodeLinks Code = "links"
	// CodeRepeated (hold, spam from RepeatedSpam copies): the same text was
	// posted in the last RepeatWindow.
	CodeRepeated Code = "repeated"
	// CodeFlood (hold): the address or network block reached its
	// Limit.Hold in the last RateWindow.
	CodeFlood Code = "flood"
	// CodeBayes (hold above BayesHold, spam above BayesSpam): the
	// classifier trained on the moderators' decisions.
	CodeBayes Code = "bayes"
	// CodeAkismet (spam): the Akismet-compatible service said spam.
	CodeAkismet Code = "akismet"
)

// Reason is one rule that a comment tripped.
type Reason struct {
	// Code says which rule.
	Code Code `json:"code"`
	// Detail, when set, says what matched, for the moderator: the words or
	// addresses, the link count, the elapsed time, the probability.
	Detail string `json:"detail,omitempty"`
}

// Verdict is the outcome of Check, stored with the comment.
type Verdict struct {
	// Decision is the most severe decision of the reasons; Accept when
	// there are none.
	Decision Decision `json:"decision"`
	// Score estimates, from 0 to 1, how likely the comment is spam, to sort
	// the moderation queue and the spam folder: each reason has a weight
	// (0.5 to 0.7 for a hold, 0.9 and more for spam, the probability itself
	// for bayes), and the score is 1 − ∏(1 − weight), the chance that at
	// least one of them is right if they were independent. It is 0 without
	// reasons, at least 0.5 for Hold and at least 0.9 for Spam. It never
	// decides: several mild reasons add up to a high score but stay a Hold,
	// because the spam folder is rarely read and a person's comment must not
	// be lost there on circumstantial evidence.
	Score float64 `json:"score"`
	// Reasons are the rules tripped, in the order Check applies them.
	Reasons []Reason `json:"reasons,omitempty"`
}

// The classifier's thresholds. With Robinson's chi-square combining the
// probability clusters near 0 and 1 and the middle means "unsure", so only
// the clear end is sent to spam.
const (
	// BayesHold is the probability above which a comment is held.
	BayesHold = 0.6
	// BayesSpam is the probability above which a comment is spam.
	BayesSpam = 0.9
)

// RepeatedSpam is the number of earlier copies (Input.RecentSame) from which
// a repeated text is spam rather than held: one copy can be a reader's double
// post or a reply pasted under two articles, four in a day is a campaign.
const RepeatedSpam = 3

// minRepeatedWords is how many words a text needs for the repeated rule:
// « Merci pour cet article ! » is written by many readers every day.
const minRepeatedWords = 8

// maxDetailItems bounds the words or addresses listed in a reason's detail.
const maxDetailItems = 5

// Input is what the comments service knows about a posted comment when it
// asks Check for a verdict; the counts and probabilities come from the
// store, the stamp from Stamper.Check.
type Input struct {
	// Text is the comment as the reader wrote it (Markdown source).
	Text string
	// Links are the URLs the text links to.
	Links []string
	// AuthorName, Email and URL are the author's fields; IP is the client
	// address, IPv4 or IPv6.
	AuthorName, Email, URL, IP string
	// Honeypot is the value of the form field hidden from people. Browser
	// autofill is its one false positive: give the field a name autofill
	// does not know (not "email", "url" or "website"), autocomplete="off",
	// tabindex="-1", and hide it with CSS rather than type="hidden".
	Honeypot string
	// Elapsed and StampErr are what Stamper.Check returned.
	Elapsed  time.Duration
	StampErr error
	// NoForm marks a comment that did not come through kiosque's comment
	// form (a fediverse reply, an import): the honeypot, stamp and timing
	// rules do not apply to it.
	NoForm bool
	// RecentSame is how many comments of the last RepeatWindow have this
	// text's Fingerprint, this one excluded.
	RecentSame int
	// RecentFromAddress and RecentFromNetwork are how many comments the
	// store received in the last RateWindow from this client's RateKeys,
	// this one excluded.
	RecentFromAddress, RecentFromNetwork int
	// Bayes is what Probability returned for the comment's Tokens (with
	// Links and URL as links); Unknown (0.5) when the classifier is not
	// trained. Only values above BayesHold count.
	Bayes float64
	// Akismet is the answer of the Akismet-compatible service, nil when no
	// key is configured or the service did not answer.
	Akismet *bool
}

// Check applies the rules to a comment and returns the verdict. It does not
// check the length (see CheckLength) nor refuse floods (see CheckRate),
// which are refusals the reader sees rather than verdicts.
//
// Spam: the honeypot filled; the stamp missing, forged or for another
// article; an entry of SpamAddresses or SpamWords; RepeatedSpam copies of
// the text; Bayes above BayesSpam; Akismet saying spam.
//
// Hold: an entry of BannedAddresses or BannedWords; more than MaxLinks
// links; a copy of the text; the address or network over its Limit.Hold;
// Bayes above BayesHold; a stamp expired; and a post faster than
// MinElapsed. The last is a hold and not spam because a person can be that
// fast when the form comes back after a refusal with the text still in it,
// and a held comment costs a moderator a click while a comment lost in the
// spam folder costs a reader; bots fast enough to trip it also trip the
// stamp, the Bayes or the rate rules.
func Check(in Input, r Rules) Verdict {
	var v verdict
	if !in.NoForm {
		v.checkForm(in, r)
	}

	subj := newSubject(in)
	if hits := matchAddresses(r.SpamAddresses, subj); len(hits) > 0 {
		v.add(Spam, 0.95, CodeSpamAddress, listDetail(hits))
	}
	if hits := matchAddresses(r.BannedAddresses, subj); len(hits) > 0 {
		v.add(Hold, 0.6, CodeBannedAddress, listDetail(hits))
	}

	text := folder.Terms(truncate(in.Text))
	fields := [][]string{text, folder.Terms(in.AuthorName), folder.Terms(in.Email), folder.Terms(in.URL)}
	if hits := matchWords(r.SpamWords, fields); len(hits) > 0 {
		v.add(Spam, 0.95, CodeSpamWord, listDetail(hits))
	}
	if hits := matchWords(r.BannedWords, fields); len(hits) > 0 {
		v.add(Hold, 0.6, CodeBannedWord, listDetail(hits))
	}

	if r.MaxLinks >= 0 && len(in.Links) > r.MaxLinks {
		v.add(Hold, 0.5, CodeLinks, strconv.Itoa(len(in.Links)))
	}

	if in.RecentSame > 0 && len(text) >= minRepeatedWords {
		if in.RecentSame >= RepeatedSpam {
			v.add(Spam, 0.9, CodeRepeated, strconv.Itoa(in.RecentSame))
		} else {
			v.add(Hold, 0.6, CodeRepeated, strconv.Itoa(in.RecentSame))
		}
	}

	if r.PerAddress.Hold > 0 && in.RecentFromAddress >= r.PerAddress.Hold {
		v.add(Hold, 0.6, CodeFlood, "address "+strconv.Itoa(in.RecentFromAddress))
	} else if r.PerNetwork.Hold > 0 && in.RecentFromNetwork >= r.PerNetwork.Hold {
		v.add(Hold, 0.6, CodeFlood, "network "+strconv.Itoa(in.RecentFromNetwork))
	}

	switch p := in.Bayes; {
	case p > BayesSpam:
		v.add(Spam, p, CodeBayes, strconv.FormatFloat(p, 'f', 3, 64))
	case p > BayesHold:
		v.add(Hold, p, CodeBayes, strconv.FormatFloat(p, 'f', 3, 64))
	}

	if in.Akismet != nil && *in.Akismet {
		v.add(Spam, 0.95, CodeAkismet, "")
	}
	return v.Verdict
}

// checkForm applies the rules about the form: honeypot, stamp and timing.
func (v *verdict) checkForm(in Input, r Rules) {
	if strings.TrimSpace(in.Honeypot) != "" {
		v.add(Spam, 0.99, CodeHoneypot, "")
	}
	switch err := in.StampErr; {
	case err == nil:
		if r.MinElapsed > 0 && in.Elapsed < r.MinElapsed {
			v.add(Hold, 0.7, CodeTooFast, in.Elapsed.Round(time.Millisecond).String())
		}
	case errors.Is(err, ErrStampMissing):
		v.add(Spam, 0.95, CodeStampMissing, "")
	case errors.Is(err, ErrStampOtherArticle):
		v.add(Spam, 0.95, CodeStampOtherArticle, "")
	case errors.Is(err, ErrStampExpired):
		v.add(Hold, 0.5, CodeStampExpired, in.Elapsed.Round(time.Minute).String())
	default:
		// Forged, or an error this package does not know: either way the
		// stamp could not be trusted.
		v.add(Spam, 0.99, CodeStampForged, "")
	}
}

// verdict builds a Verdict reason by reason.
type verdict struct {
	Verdict
	// notSpam is ∏(1 − weight) so far.
	notSpam float64
}

// add records a reason with its decision and weight.
func (v *verdict) add(d Decision, weight float64, code Code, detail string) {
	if len(v.Reasons) == 0 {
		v.notSpam = 1
	}
	v.Reasons = append(v.Reasons, Reason{Code: code, Detail: detail})
	v.Decision = max(v.Decision, d)
	v.notSpam *= 1 - clamp01(weight)
	v.Score = clamp01(1 - v.notSpam)
}

// listDetail joins matched entries for a reason's detail, at most
// maxDetailItems of them.
func listDetail(items []string) string {
	if len(items) > maxDetailItems {
		return strings.Join(items[:maxDetailItems], ", ") + ", …"
	}
	return strings.Join(items, ", ")
}

// matchWords returns the entries of list found in any of fields (each the
// folded words of one field), as written. An entry matches as a whole word,
// or a whole phrase of consecutive words within one field, ignoring case and
// accents: "viagra" matches « VIAGRA » and « Viágra » but not « viagras »,
// "argent facile" matches « l'argent, facile ! ».
func matchWords(list []string, fields [][]string) []string {
	if len(list) == 0 {
		return nil
	}
	var hits []string
	for _, entry := range list {
		want := folder.Terms(entry)
		if len(want) == 0 {
			continue
		}
		for _, words := range fields {
			if containsRun(words, want) {
				hits = append(hits, strings.TrimSpace(entry))
				break
			}
		}
	}
	return hits
}

// containsRun reports whether want appears in words as consecutive items.
func containsRun(words, want []string) bool {
	for i := 0; i+len(want) <= len(words); i++ {
		if words[i] != want[0] {
			continue
		}
		match := true
		for j := 1; j < len(want); j++ {
			if words[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
