package comments

import (
	"time"

	"github.com/kiosque/kiosque/internal/settings"
)

// Verdict is what the spam defences concluded about a new comment.
type Verdict int

// The verdicts, from the spam scorer's decision.
const (
	// Clean passed every check.
	Clean Verdict = iota
	// Suspect tripped a rule that asks for a human look (links, held
	// words, a doubtful classifier score).
	Suspect
	// Spam is sure spam (honeypot, forged form, banned word, classifier).
	Spam
)

// Decide returns where a new comment lands. Sure spam goes to the spam
// folder and a suspect comment to the queue, whatever the policy; then the
// policy holds every comment, or only a newcomer's (someone without an
// approved comment yet, as WordPress's "comment author must have a
// previously approved comment"), or none. The newsroom's own replies are
// published at once.
func Decide(m settings.Moderation, v Verdict, known, staff bool) Status {
	switch {
	case staff:
		return StatusApproved
	case v == Spam:
		return StatusSpam
	case v == Suspect:
		return StatusPending
	case m == settings.ModerateAll:
		return StatusPending
	case m == settings.ModerateFirstTime && !known:
		return StatusPending
	}
	return StatusApproved
}

// Closed reports whether new comments are refused on an article that
// allows them (open is its own switch) and was published at published:
// the policy closes discussions CloseAfterDays after publication, as
// WordPress's "automatically close comments on posts older than N days".
func Closed(p settings.CommentPolicy, open bool, published, now time.Time) bool {
	if !open {
		return true
	}
	if p.CloseAfterDays <= 0 || published.IsZero() {
		return false
	}
	return now.After(published.AddDate(0, 0, p.CloseAfterDays))
}
