package federation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/job"
)

// ProcessJob asks for a received activity to be processed.
type ProcessJob struct {
	InboxID int64 `json:"inbox_id"`
}

// Kind names the worker that processes received activities.
func (ProcessJob) Kind() string { return "federation.process" }

// DeliverJob asks for one delivery to be made.
type DeliverJob struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the worker that delivers activities.
func (DeliverJob) Kind() string { return "federation.deliver" }

// The outcomes of Receive that are not errors: the inbox answers 202 to
// each, and logs it.
const (
	Queued     = "queued"
	Duplicate  = "duplicate"
	Blocked    = "blocked"
	Unknown    = "unknown type"
	NotForUs   = "not for this site"
	NotEnabled = "federation is off"
)

// ErrForged is the cause when an activity claims to come from another
// actor than the signature's, or carries an object in another actor's
// name: refused (400) with the reason logged.
var ErrForged = errors.New("the activity is not its signer's")

// Receive takes an activity posted to local's inbox ("" the publication,
// or the shared inbox) and signed by signer (the owner of the key the
// signature verified with). It checks the activity, drops what blocks or
// types say to drop, and stores it with the job that processes it, so the
// inbox answers at once. It returns what it did (Queued, Duplicate…);
// a malformed or forged activity is an Invalid error.
func (s *Service) Receive(ctx context.Context, body []byte, signer string) (string, error) {
	if !s.Enabled() {
		return NotEnabled, errNotFound()
	}
	act, err := vocab.ParseActivity(body)
	if errors.Is(err, vocab.ErrUnknownType) {
		return Unknown, nil
	}
	if err != nil {
		return "", apperr.Wrap(err, apperr.Invalid, "error.bad_request.text")
	}
	if act.Actor != signer {
		return "", apperr.Wrap(fmt.Errorf("%w: actor %s, signed by %s", ErrForged, act.Actor, signer), apperr.Invalid, "error.bad_request.text")
	}
	if hostOf(act.ID) != hostOf(act.Actor) {
		return "", apperr.Wrap(fmt.Errorf("%w: activity %s from actor %s", ErrForged, act.ID, act.Actor), apperr.Invalid, "error.bad_request.text")
	}
	if err := s.checkEmbedded(act); err != nil {
		return "", apperr.Wrap(err, apperr.Invalid, "error.bad_request.text")
	}
	blocked, err := s.blocked(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	if blocked {
		return Blocked, nil
	}
	it := &InboxItem{ActivityID: act.ID, ActorID: act.Actor, Type: act.Type, Body: body, ReceivedAt: s.d.Clock.Now()}
	fresh, err := s.d.Store.SaveInbox(ctx, it, func(id int64) job.Job {
		return job.Job{Args: ProcessJob{InboxID: id}}
	})
	if err != nil {
		return "", err
	}
	if !fresh {
		return Duplicate, nil
	}
	return Queued, nil
}

// checkEmbedded refuses an embedded object in another actor's name: a
// Create whose Note is attributed to someone else, an Undo of someone
// else's Follow (an actor may only speak for itself).
func (s *Service) checkEmbedded(act *vocab.Activity) error {
	if !act.Object.Embedded() {
		return nil
	}
	switch act.Type {
	case "Undo", "Accept", "Reject":
		// An embedded activity that does not parse is judged when
		// processed.
		if inner, err := act.EmbeddedActivity(); err == nil && act.Type == "Undo" && inner.Actor != act.Actor {
			return fmt.Errorf("%w: %s undoes %s's activity", ErrForged, act.Actor, inner.Actor)
		}
	case "Create", "Update":
		if act.Object.Type == "Person" || act.Object.Type == "Service" || act.Object.Type == "Application" ||
			act.Object.Type == "Group" || act.Object.Type == "Organization" {
			if act.Object.ID != act.Actor {
				return fmt.Errorf("%w: %s updates the actor %s", ErrForged, act.Actor, act.Object.ID)
			}
			return nil
		}
		obj, err := vocab.ParseObject(act.Object.Raw)
		if err != nil {
			return nil //nolint:nilerr // an object that does not parse is judged when processed
		}
		if obj.AttributedTo != "" && obj.AttributedTo != act.Actor {
			return fmt.Errorf("%w: %s sends an object attributed to %s", ErrForged, act.Actor, obj.AttributedTo)
		}
		if hostOf(obj.ID) != hostOf(act.Actor) {
			return fmt.Errorf("%w: %s sends the object %s of another server", ErrForged, act.Actor, obj.ID)
		}
	}
	return nil
}

// blocksMaxAge is how long the blocks are read from memory: every
// activity received and every delivery asks, and a block made on another
// instance of the site applies here within that time.
const blocksMaxAge = 10 * time.Second

// currentBlocks returns the blocks, read from the store at most once per
// blocksMaxAge; a block or unblock made here is seen at once.
func (s *Service) currentBlocks(ctx context.Context) ([]Block, error) {
	now := s.d.Clock.Now()
	s.mu.Lock()
	if s.blocks != nil && now.Sub(s.blocksAt) < blocksMaxAge {
		b := s.blocks
		s.mu.Unlock()
		return b, nil
	}
	s.mu.Unlock()
	blocks, err := s.d.Store.Blocks(ctx)
	if err != nil {
		return nil, err
	}
	if blocks == nil {
		blocks = []Block{}
	}
	s.mu.Lock()
	s.blocks, s.blocksAt = blocks, now
	s.mu.Unlock()
	return blocks, nil
}

// forgetBlocks makes the next currentBlocks read the store.
func (s *Service) forgetBlocks() {
	s.mu.Lock()
	s.blocks = nil
	s.mu.Unlock()
}

// blocked reports whether an actor, or its instance, is blocked.
func (s *Service) blocked(ctx context.Context, actorID string) (bool, error) {
	blocks, err := s.currentBlocks(ctx)
	if err != nil {
		return false, err
	}
	host := hostOf(actorID)
	for _, b := range blocks {
		if b.Kind == BlockActor && b.Value == actorID || b.Kind == BlockDomain && (host == b.Value || hasSuffixDomain(host, b.Value)) {
			return true, nil
		}
	}
	return false, nil
}

// hasSuffixDomain reports whether host is a subdomain of domain: blocking
// an instance blocks its subdomains, as Mastodon's domain blocks do.
func hasSuffixDomain(host, domain string) bool {
	return len(host) > len(domain) && host[len(host)-len(domain)-1] == '.' && host[len(host)-len(domain):] == domain
}

// inboxRef names a received activity in logs.
func inboxRef(it *InboxItem) string {
	return it.Type + " " + it.ActivityID + " (inbox " + strconv.FormatInt(it.ID, 10) + ")"
}

// InboxRetention is how long a received activity is kept: long enough to
// recognise a redelivery of it (servers retry for a few days).
const InboxRetention = 7 * 24 * time.Hour

// PurgeInbox deletes the activities received more than InboxRetention ago.
func (s *Service) PurgeInbox(ctx context.Context) (int64, error) {
	return s.d.Store.PurgeInbox(ctx, s.d.Clock.Now().Add(-InboxRetention))
}
