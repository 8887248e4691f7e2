package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Activity is an activity received in an inbox, reduced to what kiosque
// acts on. Raw keeps the document as received: an Accept embeds the Follow
// it answers byte for byte.
type Activity struct {
	// ID is the activity's id, an absolute http(s) URL; inboxes de-duplicate on it.
	ID string
	// Type is one of Follow, Undo, Accept, Reject, Create, Update, Delete, Like, Announce.
	Type string
	// Actor is the id of the actor who sent it; the HTTP signature's key
	// must belong to it.
	Actor string
	// Object is what the activity acts on.
	Object ObjectRef
	// To and Cc are the addressees, the public collection spelled out in full.
	To, Cc []string
	// Published is when the actor says it was sent; zero when absent.
	Published time.Time
	// Raw is the whole document as received.
	Raw json.RawMessage
}

// ObjectRef is an activity's object: an id only, or an embedded document
// (a Follow inside an Undo, a Note inside a Create, a Tombstone inside a Delete).
type ObjectRef struct {
	// ID is the object's id (or a Link's href); it may be empty for an
	// embedded document without one.
	ID string
	// Type is the embedded document's type, "" for a bare id.
	Type string
	// Raw is the embedded document as received; nil for a bare id.
	Raw json.RawMessage
}

// Embedded reports whether the object came as a document rather than an id.
func (r ObjectRef) Embedded() bool { return len(r.Raw) > 0 }

// isActivityType reports whether kiosque handles activities of type t.
func isActivityType(t string) bool {
	switch t {
	case "Follow", "Undo", "Accept", "Reject", "Create", "Update", "Delete", "Like", "Announce":
		return true
	}
	return false
}

// ParseActivity reads an activity posted to an inbox. The document must be
// at most MaxDocumentSize bytes, nested at most MaxDepth levels, and have an
// absolute http(s) id, an actor and an object; the error wraps ErrTooLarge,
// ErrTooDeep, ErrMalformed, ErrMissingID, ErrInvalidID, ErrMissingActor or
// ErrMissingObject. A well-formed activity of another type gives an
// *UnknownTypeError (errors.Is ErrUnknownType): acknowledge it and drop it.
//
// Properties may be written in any of the forms JSON-LD allows: the actor
// and the object as an id, an object with an id, a Link or an array; to and
// cc as a string or an array; @context as anything. Unknown members are ignored.
func ParseActivity(data []byte) (*Activity, error) {
	f, err := decodeFields(data)
	if err != nil {
		return nil, fmt.Errorf("parse activity: %w", err)
	}
	a, err := activityFrom(f)
	if err != nil {
		return nil, fmt.Errorf("parse activity: %w", err)
	}
	a.Raw = bytes.Clone(bytes.TrimSpace(data))
	return a, nil
}

// activityFrom reads an activity from its decoded members.
func activityFrom(f fields) (*Activity, error) {
	id, err := documentID(f)
	if err != nil {
		return nil, err
	}
	typ := f.typ()
	if !isActivityType(typ) {
		return nil, &UnknownTypeError{Type: typ}
	}
	a := &Activity{
		ID:        id,
		Type:      typ,
		Actor:     f.id("actor"),
		To:        f.ids("to"),
		Cc:        f.ids("cc"),
		Published: f.time("published"),
	}
	if a.Actor == "" {
		return nil, fmt.Errorf("%s %s: %w", typ, id, ErrMissingActor)
	}
	if !isAbsoluteURL(a.Actor) {
		return nil, fmt.Errorf("%s %s: actor: %w", typ, id, ErrInvalidID)
	}
	a.Object = objectRefOf(f["object"])
	if a.Object.ID == "" && !a.Object.Embedded() {
		return nil, fmt.Errorf("%s %s: %w", typ, id, ErrMissingObject)
	}
	return a, nil
}

// documentID returns the document's id, which must be an absolute http(s) URL.
func documentID(f fields) (string, error) {
	id := f.str("id")
	if id == "" {
		return "", ErrMissingID
	}
	if !isAbsoluteURL(id) {
		return "", fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return id, nil
}

// objectRefOf reads an object property; of an array, the first element counts.
func objectRefOf(raw json.RawMessage) ObjectRef {
	for _, v := range arrayOf(raw) {
		if s := stringOf(v); s != "" {
			return ObjectRef{ID: s}
		}
		if f, ok := objectOf(v); ok {
			return ObjectRef{ID: idOf(v), Type: f.typ(), Raw: v}
		}
	}
	return ObjectRef{}
}

// EmbeddedActivity parses the activity embedded as a's object, such as the
// Follow or the Like an Undo cancels, or the Follow an Accept answers. It
// returns ErrNotEmbedded when the object is a bare id, and the errors of
// ParseActivity otherwise.
func (a *Activity) EmbeddedActivity() (*Activity, error) {
	if !a.Object.Embedded() {
		return nil, fmt.Errorf("%s %s: %w", a.Type, a.ID, ErrNotEmbedded)
	}
	inner, err := ParseActivity(a.Object.Raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s: object: %w", a.Type, a.ID, err)
	}
	return inner, nil
}

// IsPublic reports whether the activity is addressed to the public collection.
func (a *Activity) IsPublic() bool {
	return slices.Contains(a.To, PublicAddress) || slices.Contains(a.Cc, PublicAddress)
}
