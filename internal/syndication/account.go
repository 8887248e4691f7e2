package syndication

import "time"

// Account is one of the newsroom's accounts on a network, with the
// message it posts and when.
type Account struct {
	ID      int64
	Network Network
	// Name is the back office's label ("Mastodon du Veilleur").
	Name string
	// Config holds the account's settings that are not secret (see
	// Network.Fields).
	Config map[string]string
	// Template is the message, with placeholders (see Render).
	Template string
	Rules    Rules
	// Enabled accounts receive new articles.
	Enabled bool
	// Failing is set when the network refused the credentials or kept
	// failing: deliveries wait until an admin fixes the account.
	Failing   bool
	LastError string
	// Profile is the account as the network named it at the last check.
	Profile   Profile
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Match says how an account's category and tag filter combines.
type Match string

// The ways a filter matches.
const (
	// MatchAny posts an article in any of the categories or tags.
	MatchAny Match = "any"
	// MatchAll posts an article in all of them.
	MatchAll Match = "all"
)

// Rescheduled says what an account does when an article it posted is
// published again at a later date.
type Rescheduled string

// What a republished article does.
const (
	// RescheduledIgnore posts nothing more: the article went out once.
	RescheduledIgnore Rescheduled = "ignore"
	// RescheduledRepost posts it again at its new date.
	RescheduledRepost Rescheduled = "repost"
)

// Rules decide which articles an account posts, and when.
type Rules struct {
	// OnPublish posts at first publication, immediate or scheduled;
	// OnUpdate again when a published article is changed (once per
	// change, never twice for one version).
	OnPublish bool `json:"on_publish"`
	OnUpdate  bool `json:"on_update"`
	// Rescheduled is what a republication at a later date does.
	Rescheduled Rescheduled `json:"rescheduled"`
	// Categories and Tags filter the articles (none: every article),
	// combined by Match.
	Categories []int64  `json:"categories,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Match      Match    `json:"match"`
	// Pages also posts pages, not only articles.
	Pages bool `json:"pages"`
	// FeaturedOnly posts only the articles marked featured.
	FeaturedOnly bool `json:"featured_only"`
	// Delay waits after publication before posting.
	Delay time.Duration `json:"delay"`
	// QuietFrom and QuietUntil, minutes after midnight in the site's
	// zone, are a window without posts (22:00 to 07:00 is 1320 and
	// 420); equal means none.
	QuietFrom  int `json:"quiet_from"`
	QuietUntil int `json:"quiet_until"`
	// RepostAfter, when set, posts the article once more that long
	// after the first post.
	RepostAfter time.Duration `json:"repost_after"`
	// DeleteOnUnpublish deletes the posts when the article is
	// unpublished or deleted, where the network allows.
	DeleteOnUnpublish bool `json:"delete_on_unpublish"`
}

// DefaultRules are a new account's: every new article, at once.
func DefaultRules() Rules {
	return Rules{OnPublish: true, Rescheduled: RescheduledIgnore, Match: MatchAny}
}

// Kind is what a delivery does.
type Kind string

// The kinds of deliveries.
const (
	KindPost   Kind = "post"
	KindUpdate Kind = "update"
	KindRepost Kind = "repost"
	KindDelete Kind = "delete"
)

// State is where a delivery stands.
type State string

// The states of a delivery, as the delivery log shows them.
const (
	StateQueued State = "queued"
	// StateSending marks an attempt under way: found so by the next
	// attempt, it means the previous one stopped (a crash) before its
	// outcome was known.
	StateSending  State = "sending"
	StateRetrying State = "retrying"
	StateSent     State = "sent"
	StateFailed   State = "failed"
	// StateCheck waits for a person: an attempt may have posted (see
	// Ambiguous), and retrying could post twice.
	StateCheck State = "check"
	// StateSkipped was not sent, for a reason (no image for Instagram,
	// the editor skipped this account).
	StateSkipped State = "skipped"
	StateDeleted State = "deleted"
)

// Delivery is one article's post to one account, and its history.
type Delivery struct {
	ID        int64
	ArticleID int64
	AccountID int64
	Kind      Kind
	// Version is the article's version it posts: one delivery per
	// account, kind and version, whatever the edits and retries.
	Version int
	State   State
	// Key is the delivery's idempotency key (see Attempt.Key), and
	// Checkpoint what an attempt saved (see Attempt.State).
	Key        string
	Checkpoint string
	// Text is the message as sent (or as it will be).
	Text   string
	Remote Remote
	// Error is the network's message of the last failure, Class its
	// class.
	Error    string
	Class    string
	Attempts int
	// NextAttemptAt is when a queued or retrying delivery goes out.
	NextAttemptAt time.Time
	SentAt        time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
