package vocab

import (
	"encoding/json"
	"fmt"
)

// RemoteActor is another server's actor, reduced to what kiosque needs to
// deliver to it, show it and verify its signatures.
type RemoteActor struct {
	// ID is the actor's id, an absolute http(s) URL.
	ID string
	// Type is Person, Service, Application, Group or Organization.
	Type string
	// PreferredUsername and Name are its handle's name part and display name.
	PreferredUsername, Name string
	// URL is its HTML profile page; IconURL its avatar.
	URL, IconURL string
	// Inbox is where to deliver to it; SharedInbox, when set, is preferred
	// (integrations.md 8.6).
	Inbox, SharedInbox string
	// PublicKeys are its signing keys (usually one).
	PublicKeys []PublicKey
	// ManuallyApprovesFollowers is true for a locked account.
	ManuallyApprovesFollowers bool
}

// isActorType reports whether t is an ActivityStreams actor type.
func isActorType(t string) bool {
	switch t {
	case "Person", "Service", "Application", "Group", "Organization":
		return true
	}
	return false
}

// ParseActor reads a remote actor document, fetched to store a follower or
// embedded in an Update. It needs an absolute id and inbox; a document that
// is not an actor gives an *UnknownTypeError. The limits of ParseActivity apply.
func ParseActor(data []byte) (*RemoteActor, error) {
	f, err := decodeFields(data)
	if err != nil {
		return nil, fmt.Errorf("parse actor: %w", err)
	}
	a, err := actorFrom(f)
	if err != nil {
		return nil, fmt.Errorf("parse actor: %w", err)
	}
	return a, nil
}

func actorFrom(f fields) (*RemoteActor, error) {
	id, err := documentID(f)
	if err != nil {
		return nil, err
	}
	typ := f.typ()
	if !isActorType(typ) {
		return nil, &UnknownTypeError{Type: typ}
	}
	a := &RemoteActor{
		ID:                        id,
		Type:                      typ,
		PreferredUsername:         f.str("preferredUsername"),
		Name:                      f.str("name"),
		URL:                       htmlURLOf(f["url"]),
		IconURL:                   imageURLOf(f["icon"]),
		Inbox:                     f.id("inbox"),
		PublicKeys:                publicKeysOf(f["publicKey"], id),
		ManuallyApprovesFollowers: f.boolean("manuallyApprovesFollowers"),
	}
	if !isAbsoluteURL(a.Inbox) {
		return nil, fmt.Errorf("%s %s: %w", typ, id, ErrMissingInbox)
	}
	if ep, ok := objectOf(f["endpoints"]); ok {
		if shared := ep.id("sharedInbox"); isAbsoluteURL(shared) {
			a.SharedInbox = shared
		}
	}
	return a, nil
}

// Key returns the actor's key whose id is keyID, the keyId of a signature.
func (a *RemoteActor) Key(keyID string) (PublicKey, bool) {
	for _, k := range a.PublicKeys {
		if k.ID == keyID {
			return k, true
		}
	}
	return PublicKey{}, false
}

// publicKeysOf reads a publicKey property, one key or an array of keys
// (some servers publish several); references without the key are skipped.
func publicKeysOf(raw json.RawMessage, owner string) []PublicKey {
	var keys []PublicKey
	for _, v := range arrayOf(raw) {
		if f, ok := objectOf(v); ok {
			if k, ok := keyFrom(f, owner); ok {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// keyFrom reads one key; without an owner it belongs to owner (the
// document holding it). A key needs an id and its PEM.
func keyFrom(f fields, owner string) (PublicKey, bool) {
	k := PublicKey{ID: f.str("id"), Owner: f.id("owner"), PublicKeyPEM: f.str("publicKeyPem")}
	if k.PublicKeyPEM == "" || k.ID == "" {
		return PublicKey{}, false
	}
	if k.Owner == "" {
		k.Owner = owner
	}
	return k, true
}

// ParseKey reads the public key keyID from the document its URL returned:
// an actor (Mastodon's "#main-key" is a fragment of the actor), GoToSocial's
// stub of an actor served at ".../main-key" (only id, preferredUsername and
// publicKey), or a bare key document {id, owner, publicKeyPem}. With an
// empty keyID the document's only key is returned. The key's owner must be
// an absolute URL: the signature layer checks it against the activity's
// actor. It returns an error wrapping ErrNoKey when no key matches.
func ParseKey(data []byte, keyID string) (*PublicKey, error) {
	f, err := decodeFields(data)
	if err != nil {
		return nil, fmt.Errorf("parse key: %w", err)
	}
	var keys []PublicKey
	if _, ok := f["publicKey"]; ok {
		keys = publicKeysOf(f["publicKey"], f.str("id"))
	} else {
		if k, ok := keyFrom(f, ""); ok {
			keys = []PublicKey{k}
		}
	}
	var found *PublicKey
	for i := range keys {
		if keys[i].ID == keyID || keyID == "" && len(keys) == 1 {
			found = &keys[i]
			break
		}
	}
	if found == nil {
		return nil, fmt.Errorf("parse key %q: %w", keyID, ErrNoKey)
	}
	if !isAbsoluteURL(found.Owner) {
		return nil, fmt.Errorf("parse key %q: owner: %w", keyID, ErrInvalidID)
	}
	return found, nil
}
