package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// ActorMaxAge is how long a cached actor is trusted before it is fetched
// again (its inbox, names and key may change).
const ActorMaxAge = 24 * time.Hour

// refetchEvery bounds how often one key is fetched again after a
// signature failed to verify with the cached one: a key rotation costs
// one fetch, a stream of forged signatures no more than one a minute.
const refetchEvery = time.Minute

// ErrKeyUnavailable is the cause when the key of a signature cannot be
// fetched: the inbox answers 401 and logs why.
var ErrKeyUnavailable = errors.New("the signature's key cannot be fetched")

// PublicKey returns the PEM public key keyID names and the actor that owns
// it, from the cache or fetched (signed: servers in authorized-fetch mode
// refuse unsigned fetches). With refresh, the cached key is fetched again,
// at most once a minute per key, for a key that failed to verify (a
// rotation).
func (s *Service) PublicKey(ctx context.Context, keyID string, refresh bool) (pem, owner string, err error) {
	if keyID == "" || !strings.HasPrefix(keyID, "https://") && !strings.HasPrefix(keyID, "http://") {
		return "", "", fmt.Errorf("%w: keyId %q is not an address", ErrKeyUnavailable, keyID)
	}
	cached, err := s.d.Store.RemoteActorByKey(ctx, keyID)
	switch {
	case err == nil && cached.Gone:
		return "", "", fmt.Errorf("%w: %s was deleted", ErrKeyUnavailable, cached.ID)
	case err == nil && !refresh && s.d.Clock.Now().Sub(cached.FetchedAt) < ActorMaxAge:
		return cached.PublicKeyPEM, cached.ID, nil
	case err == nil && refresh && !s.mayRefetch(keyID):
		return cached.PublicKeyPEM, cached.ID, nil
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return "", "", err
	}
	a, err := s.fetchKeyOwner(ctx, keyID)
	if err != nil {
		if cached != nil && !errors.Is(err, ErrGone) {
			// The server is down: the key it gave before still stands.
			return cached.PublicKeyPEM, cached.ID, nil
		}
		return "", "", fmt.Errorf("%w: %v", ErrKeyUnavailable, err)
	}
	return a.PublicKeyPEM, a.ID, nil
}

// mayRefetch reports whether keyID may be fetched again now, and notes it.
func (s *Service) mayRefetch(keyID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.d.Clock.Now()
	if now.Sub(s.refetched[keyID]) < refetchEvery {
		return false
	}
	if len(s.refetched) > 10000 {
		clear(s.refetched)
	}
	s.refetched[keyID] = now
	return true
}

// fetchKeyOwner fetches the document of keyID and the actor that owns the
// key, and caches the actor with its key. Mastodon's key ids are a
// fragment of the actor ("…#main-key"); GoToSocial's a path ("…/main-key")
// that returns a stub naming the owner, which is then fetched.
func (s *Service) fetchKeyOwner(ctx context.Context, keyID string) (*RemoteActor, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	data, err := s.d.Fetch.Get(ctx, docURL)
	if err != nil {
		return nil, err
	}
	key, err := vocab.ParseKey(data, keyID)
	if err != nil {
		return nil, err
	}
	if hostOf(key.Owner) != hostOf(keyID) {
		return nil, fmt.Errorf("key %s claims an owner on another server (%s)", keyID, key.Owner)
	}
	actorDoc := data
	if key.Owner != docURL {
		if actorDoc, err = s.d.Fetch.Get(ctx, key.Owner); err != nil {
			return nil, err
		}
	}
	a, err := s.cacheActor(ctx, actorDoc)
	if err != nil {
		return nil, err
	}
	if a.ID != key.Owner {
		return nil, fmt.Errorf("key %s: its owner %s is not the actor %s serves", keyID, key.Owner, a.ID)
	}
	a.KeyID, a.PublicKeyPEM = key.ID, key.PublicKeyPEM
	if a.KeyID == "" {
		a.KeyID = keyID
	}
	if err := s.d.Store.SaveRemoteActor(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// remoteActor returns the actor id, cached or fetched.
func (s *Service) remoteActor(ctx context.Context, id string) (*RemoteActor, error) {
	a, err := s.d.Store.RemoteActor(ctx, id)
	if err == nil && (a.Gone || s.d.Clock.Now().Sub(a.FetchedAt) < ActorMaxAge) {
		return a, nil
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	data, err := s.d.Fetch.Get(ctx, id)
	if err != nil {
		if a != nil && !errors.Is(err, ErrGone) {
			return a, nil
		}
		return nil, err
	}
	fresh, err := s.cacheActor(ctx, data)
	if err != nil {
		return nil, err
	}
	if fresh.ID != id {
		return nil, fmt.Errorf("%s serves another actor (%s)", id, fresh.ID)
	}
	if err := s.d.Store.SaveRemoteActor(ctx, fresh); err != nil {
		return nil, err
	}
	return fresh, nil
}

// cacheActor reads an actor document into a RemoteActor (not stored yet).
func (s *Service) cacheActor(_ context.Context, data []byte) (*RemoteActor, error) {
	ra, err := vocab.ParseActor(data)
	if err != nil {
		return nil, err
	}
	a := &RemoteActor{ID: ra.ID, Inbox: ra.Inbox, SharedInbox: ra.SharedInbox, Name: ra.Name, URL: ra.URL,
		IconURL: ra.IconURL, FetchedAt: s.d.Clock.Now()}
	if ra.PreferredUsername != "" {
		a.Handle = "@" + ra.PreferredUsername + "@" + hostOf(ra.ID)
	}
	if len(ra.PublicKeys) > 0 {
		a.KeyID, a.PublicKeyPEM = ra.PublicKeys[0].ID, ra.PublicKeys[0].PublicKeyPEM
	}
	if hostOf(a.Inbox) != hostOf(a.ID) || a.SharedInbox != "" && hostOf(a.SharedInbox) != hostOf(a.ID) {
		// An actor whose inbox is on another server would make the site
		// deliver there: refused.
		return nil, fmt.Errorf("actor %s has its inbox on another server", a.ID)
	}
	return a, nil
}

// decodeOutboxActivity reads a stored activity back for a collection page.
func decodeOutboxActivity(body []byte) (*vocab.OutboxActivity, error) {
	var a vocab.OutboxActivity
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
