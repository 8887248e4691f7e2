package federation

import "time"

// FollowState is where a follow request stands.
type FollowState string

// The states of a follower.
const (
	// FollowPending waits for the newsroom's approval (a locked actor).
	FollowPending FollowState = "pending"
	// FollowAccepted receives the publication's activities.
	FollowAccepted FollowState = "accepted"
)

// Follower is a fediverse account that follows one of the site's actors.
type Follower struct {
	ID int64
	// LocalActor is the actor followed: "" for the publication, else an
	// author's slug.
	LocalActor string
	// ActorID is the follower's actor URL; Handle its "@name@host".
	ActorID string
	Handle  string
	Name    string
	// URL is the follower's profile page.
	URL string
	// Host is the follower's instance (the actor URL's host), the unit
	// of blocks and delivery backoff.
	Host string
	// Inbox and SharedInbox are where activities are delivered: the
	// shared inbox when the instance offers one, once per instance.
	Inbox, SharedInbox string
	// FollowID is the Follow activity's id, and FollowJSON the Follow as
	// received, which the Accept carries back.
	FollowID   string
	FollowJSON []byte
	State      FollowState
	CreatedAt  time.Time
}

// DeliveryInbox returns where an activity for f goes: its instance's
// shared inbox when it has one, else its own inbox.
func (f *Follower) DeliveryInbox() string {
	if f.SharedInbox != "" {
		return f.SharedInbox
	}
	return f.Inbox
}

// RemoteActor is what the site last fetched of a fediverse actor: enough
// to check its signatures and deliver to it.
type RemoteActor struct {
	// ID is the actor's URL; KeyID its key's id and PublicKeyPEM the key.
	ID           string
	KeyID        string
	PublicKeyPEM string
	Inbox        string
	SharedInbox  string
	// Handle is "@preferredUsername@host"; Name the display name; URL the
	// profile page; IconURL the avatar.
	Handle, Name, URL, IconURL string
	// Gone is set when the actor answered 410: its account was deleted.
	Gone      bool
	FetchedAt time.Time
}

// BlockKind tells what a block names.
type BlockKind string

// The kinds of blocks.
const (
	// BlockActor blocks one account, by actor URL.
	BlockActor BlockKind = "actor"
	// BlockDomain blocks a whole instance, by host.
	BlockDomain BlockKind = "domain"
)

// Block is an account or instance whose activities are dropped and which
// receives nothing.
type Block struct {
	Kind      BlockKind
	Value     string
	CreatedAt time.Time
}

// InboxItem is an activity received, kept until processed (and a while
// after, to drop a second delivery of the same id).
type InboxItem struct {
	ID int64
	// ActivityID is the activity's own id; ActorID who sent it (the
	// signature's key owner); Type its type.
	ActivityID string
	ActorID    string
	Type       string
	Body       []byte
	ReceivedAt time.Time
	// Outcome says what processing made of it ("" until processed).
	Outcome     string
	ProcessedAt time.Time
}

// Outgoing is an activity the site sends, stored once and delivered to
// every inbox that should get it.
type Outgoing struct {
	ID int64
	// ActivityID is the activity's id; Type its type (Create, Update,
	// Delete, Accept, Reject).
	ActivityID string
	Type       string
	// ArticleID is the article it is about, 0 for none (an Accept).
	ArticleID int64
	// LocalActor is the actor that sends it ("" the publication).
	LocalActor string
	Body       []byte
	CreatedAt  time.Time
}

// DeliveryState is where a delivery stands.
type DeliveryState string

// The states of a delivery.
const (
	DeliveryPending DeliveryState = "pending"
	DeliverySent    DeliveryState = "sent"
	// DeliveryDropped was given up: the inbox is gone (410, 404) or kept
	// failing for MaxDeliveryAge.
	DeliveryDropped DeliveryState = "dropped"
)

// Delivery is one outgoing activity to one inbox.
type Delivery struct {
	ID         int64
	OutgoingID int64
	Inbox      string
	Host       string
	State      DeliveryState
	Attempts   int
	LastError  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Instance is what the site knows of a remote server's health: after a
// failure, its deliveries wait until RetryAt, so a dead instance costs one
// attempt per backoff step, not one per follower or activity.
type Instance struct {
	Host      string
	Failures  int
	RetryAt   time.Time
	LastOKAt  time.Time
	LastError string
}

// ReactionKind is a like or a boost.
type ReactionKind string

// The kinds of reactions counted on articles.
const (
	ReactionLike     ReactionKind = "like"
	ReactionAnnounce ReactionKind = "announce"
)

// Reaction is a like or boost of an article from the fediverse.
type Reaction struct {
	// ActivityID is the Like or Announce's id, which an Undo names.
	ActivityID string
	Kind       ReactionKind
	ActorID    string
	ArticleID  int64
	CreatedAt  time.Time
}

// Reactions counts an article's likes and boosts.
type Reactions struct {
	Likes, Boosts int
}
