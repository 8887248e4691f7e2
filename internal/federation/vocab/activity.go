package vocab

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// OutboxActivity is an activity kiosque sends: Create, Update, Delete,
// Accept or Reject. Object is an *Object, a *Person, a *Tombstone or the
// json.RawMessage of a Follow as it was received.
type OutboxActivity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
	Object    any      `json:"object"`
}

// Tombstone stands for a deleted object: served with 410 Gone at the
// object's id, and carried by Delete activities.
type Tombstone struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	FormerType string `json:"formerType,omitempty"`
	Deleted    string `json:"deleted,omitempty"`
}

// activityID derives an activity's id from its object's id, its verb and
// the time of the version it is about: stable (the same version always
// gives the same id, so a retried delivery is recognised as a duplicate)
// and unique per version (an edit, or a second publication after a
// deletion, is a new activity that receivers do not drop as already seen).
func activityID(objectID, verb string, at time.Time) string {
	return objectID + "#" + verb + "-" + strconv.FormatInt(at.Unix(), 10)
}

// NewCreate wraps an article's object in the Create activity that delivers
// it to followers, addressed like the object (Public, cc followers). Its id
// is "{object}#create-{unix time of the version}".
func NewCreate(obj *Object) (*OutboxActivity, error) {
	if obj == nil || obj.ID == "" {
		return nil, invalidInput("object", "is required")
	}
	at := parseTime(obj.Published)
	if obj.Updated != "" {
		at = parseTime(obj.Updated)
	}
	return &OutboxActivity{
		Context:   objectContext(),
		ID:        activityID(obj.ID, "create", at),
		Type:      "Create",
		Actor:     obj.AttributedTo,
		Published: obj.Published,
		To:        obj.To,
		Cc:        obj.Cc,
		Object:    obj.embedded(),
	}, nil
}

// NewUpdate wraps an edited article's object in an Update activity, which
// Mastodon 3.5+ applies as an edit. The object must carry its updated date,
// which names the version: "{object}#update-{unix time}".
func NewUpdate(obj *Object) (*OutboxActivity, error) {
	if obj == nil || obj.ID == "" {
		return nil, invalidInput("object", "is required")
	}
	if obj.Updated == "" {
		return nil, invalidInput("updated", "is required for an Update")
	}
	return &OutboxActivity{
		Context:   objectContext(),
		ID:        activityID(obj.ID, "update", parseTime(obj.Updated)),
		Type:      "Update",
		Actor:     obj.AttributedTo,
		Published: obj.Updated,
		To:        obj.To,
		Cc:        obj.Cc,
		Object:    obj.embedded(),
	}, nil
}

// NewUpdatePerson announces a change of the actor (name, avatar, key) to
// followers. Sending it after downtime also makes Mastodon servers that
// marked the domain unavailable deliver to it again (integrations.md 8.6).
func NewUpdatePerson(p *Person, at time.Time) (*OutboxActivity, error) {
	if p == nil || p.ID == "" {
		return nil, invalidInput("object", "is required")
	}
	if at.IsZero() {
		return nil, invalidInput("published", "is required")
	}
	obj := *p
	obj.Context = nil
	return &OutboxActivity{
		Context:   actorContext(),
		ID:        activityID(p.ID, "update", at),
		Type:      "Update",
		Actor:     p.ID,
		Published: formatTime(at),
		To:        []string{PublicAddress},
		Cc:        []string{p.Followers},
		Object:    &obj,
	}, nil
}

// DeleteInput names what a Delete removes.
type DeleteInput struct {
	// ObjectID is the deleted object's id.
	ObjectID string
	// FormerType is what it was ("Article", "Note").
	FormerType string
	// ActorID is the publication's actor and FollowersURL its followers.
	ActorID, FollowersURL string
	// Deleted is when it was unpublished.
	Deleted time.Time
}

// NewDelete builds the Delete activity that unpublishes an object, carrying
// its Tombstone; its id is "{object}#delete-{unix time}".
func NewDelete(in DeleteInput) (*OutboxActivity, error) {
	for _, f := range []struct{ name, v string }{
		{"object", in.ObjectID}, {"actor", in.ActorID}, {"followers", in.FollowersURL},
	} {
		if err := checkURL(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if in.Deleted.IsZero() {
		return nil, invalidInput("deleted", "is required")
	}
	return &OutboxActivity{
		Context:   ActivityStreamsContext,
		ID:        activityID(in.ObjectID, "delete", in.Deleted),
		Type:      "Delete",
		Actor:     in.ActorID,
		Published: formatTime(in.Deleted),
		To:        []string{PublicAddress},
		Cc:        []string{in.FollowersURL},
		Object: &Tombstone{
			ID:         in.ObjectID,
			Type:       "Tombstone",
			FormerType: in.FormerType,
			Deleted:    formatTime(in.Deleted),
		},
	}, nil
}

// NewTombstone is the document served with 410 Gone at a deleted object's id.
func NewTombstone(id, formerType string, deleted time.Time) (*Tombstone, error) {
	if err := checkURL("id", id); err != nil {
		return nil, err
	}
	return &Tombstone{
		Context:    ActivityStreamsContext,
		ID:         id,
		Type:       "Tombstone",
		FormerType: formerType,
		Deleted:    formatTime(deleted),
	}, nil
}

// NewAccept answers a Follow: actorID (the publication) accepts it. The
// Follow is embedded exactly as received, which is what Mastodon matches to
// turn "Follow requested" into a follow (integrations.md 8.3). The id is
// derived from the Follow's, so answering the same Follow twice gives the
// same Accept.
func NewAccept(actorID string, follow *Activity) (*OutboxActivity, error) {
	return answerFollow("Accept", actorID, follow)
}

// NewReject refuses a Follow, embedding it as received, like NewAccept.
func NewReject(actorID string, follow *Activity) (*OutboxActivity, error) {
	return answerFollow("Reject", actorID, follow)
}

func answerFollow(verb, actorID string, follow *Activity) (*OutboxActivity, error) {
	if err := checkURL("actor", actorID); err != nil {
		return nil, err
	}
	if follow == nil || follow.Type != "Follow" || len(follow.Raw) == 0 {
		return nil, invalidInput("object", "must be a Follow as received")
	}
	if !json.Valid(follow.Raw) {
		return nil, invalidInput("object", "is not valid JSON")
	}
	sum := sha256.Sum256([]byte(follow.ID))
	return &OutboxActivity{
		Context: ActivityStreamsContext,
		ID:      actorID + "#" + strings.ToLower(verb) + "s/" + hex.EncodeToString(sum[:8]),
		Type:    verb,
		Actor:   actorID,
		To:      []string{follow.Actor},
		Object:  follow.Raw,
	}, nil
}
