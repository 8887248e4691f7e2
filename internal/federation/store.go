package federation

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// FollowerQuery selects followers for the back office and the followers
// collection.
type FollowerQuery struct {
	// LocalActor is the actor followed ("" the publication).
	LocalActor string
	// State keeps one state; empty keeps both.
	State FollowState
	// Search matches the handle, name or host, ignoring case.
	Search        string
	Limit, Offset int
}

// ArticleState is what the fediverse was last told of an article: the
// version sent, and whether it was deleted since.
type ArticleState struct {
	ArticleID int64
	Version   int
	Deleted   bool
	// ObjectType is the type the article was sent as ("Article" or
	// "Note"): an Update or Delete names the same.
	ObjectType string
	UpdatedAt  time.Time
}

// Send is an activity to store with the deliveries that carry it, in one
// transaction: each inbox gets a delivery row and its job, so the
// activity and its deliveries commit together.
type Send struct {
	Outgoing *Outgoing
	// Inboxes are the delivery addresses with their host, de-duplicated.
	Inboxes []Inbox
	// Article, when not nil, records what the fediverse now knows of the
	// article (see ArticleState).
	Article *ArticleState
	// Jobs returns the job of each delivery once stored (with its ID).
	Jobs func(d *Delivery) job.Job
}

// Inbox is a delivery address and the instance it belongs to.
type Inbox struct {
	URL, Host string
}

// Store keeps the federation's state. Implementations return apperr
// errors: NotFound when a finder matches nothing, Conflict on a
// duplicate, Internal otherwise. Writes are one transaction each.
type Store interface {
	// SaveFollower inserts f, or updates the follower with f's LocalActor
	// and ActorID (its inbox, names, Follow and state), and sets f.ID; in
	// the same transaction it stores send when not nil (the Accept).
	SaveFollower(ctx context.Context, f *Follower, send *Send) error
	// SetFollowerState moves follower id to state (an approval), or
	// deletes it when state is "" (a refusal), storing send (the Accept or
	// Reject) and e in the same transaction.
	SetFollowerState(ctx context.Context, id int64, state FollowState, send *Send, e *audit.Entry) error
	// RemoveFollower deletes the follower of localActor with actorID, and
	// reports whether there was one; followID, when not empty, must match
	// the stored Follow id (an Undo names the Follow it undoes).
	RemoveFollower(ctx context.Context, localActor, actorID, followID string) (bool, error)
	// RemoveActor deletes every follower and reaction of actorID and marks
	// it gone (its account was deleted).
	RemoveActor(ctx context.Context, actorID string) error
	// Follower returns one follower.
	Follower(ctx context.Context, id int64) (*Follower, error)
	// Followers returns the page of followers q selects, newest first, and
	// how many q selects.
	Followers(ctx context.Context, q FollowerQuery) ([]*Follower, int, error)
	// DeliveryInboxes returns the distinct delivery inboxes (shared inbox
	// when known) of the accepted followers of the actors named, leaving
	// out blocked instances and accounts.
	DeliveryInboxes(ctx context.Context, localActors []string) ([]Inbox, error)

	// RemoteActor returns the cached actor with this id; RemoteActorByKey
	// the one whose key has this id.
	RemoteActor(ctx context.Context, id string) (*RemoteActor, error)
	RemoteActorByKey(ctx context.Context, keyID string) (*RemoteActor, error)
	// SaveRemoteActor inserts or replaces a cached actor.
	SaveRemoteActor(ctx context.Context, a *RemoteActor) error

	// Blocks returns every block, newest first.
	Blocks(ctx context.Context) ([]Block, error)
	// SaveBlock adds a block and, in the same transaction, removes the
	// followers it covers (the account, or every account of the instance)
	// and records e.
	SaveBlock(ctx context.Context, b Block, e *audit.Entry) error
	// DeleteBlock lifts a block and records e.
	DeleteBlock(ctx context.Context, kind BlockKind, value string, e *audit.Entry) error

	// SaveInbox stores a received activity with the job that processes
	// it, and reports false (storing nothing) when an activity with the
	// same ActivityID was received before.
	SaveInbox(ctx context.Context, it *InboxItem, process func(id int64) job.Job) (bool, error)
	// InboxItem returns a received activity.
	InboxItem(ctx context.Context, id int64) (*InboxItem, error)
	// FinishInbox records what processing made of a received activity.
	FinishInbox(ctx context.Context, id int64, outcome string, at time.Time) error
	// PurgeInbox deletes the activities received before before, keeping
	// none of their bodies longer than needed to drop a redelivery.
	PurgeInbox(ctx context.Context, before time.Time) (int64, error)

	// SaveSend stores an outgoing activity with its deliveries and their
	// jobs, and the article's state, in one transaction.
	SaveSend(ctx context.Context, s *Send) error
	// ArticleState returns what the fediverse was last told of an
	// article; NotFound when it was never sent.
	ArticleState(ctx context.Context, articleID int64) (*ArticleState, error)
	// Outbox returns the page of Create activities of localActor,
	// newest first, whose article is not deleted since, and how many there
	// are.
	Outbox(ctx context.Context, localActor string, limit, offset int) ([]*Outgoing, int, error)

	// Delivery returns a delivery with its activity.
	Delivery(ctx context.Context, id int64) (*Delivery, *Outgoing, error)
	// FinishAttempt records an attempt at delivery d (its State,
	// Attempts, LastError) and the instance's health after it, in one
	// transaction.
	FinishAttempt(ctx context.Context, d *Delivery, inst *Instance) error
	// Instance returns what is known of a host's health; a host never
	// tried is a zero Instance with that Host, not an error.
	Instance(ctx context.Context, host string) (*Instance, error)

	// SaveReaction stores a like or boost, and reports false when its
	// activity was stored before.
	SaveReaction(ctx context.Context, r *Reaction) (bool, error)
	// DeleteReaction deletes the reaction with this activity id sent by
	// actorID (an Undo), and reports whether there was one.
	DeleteReaction(ctx context.Context, activityID, actorID string) (bool, error)
	// ReactionCounts returns the likes and boosts of the articles ids.
	ReactionCounts(ctx context.Context, ids []int64) (map[int64]Reactions, error)
}
