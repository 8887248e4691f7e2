// Package fedtest runs a small fediverse server for tests: actors with
// their keys, inboxes that check HTTP signatures the way Mastodon does
// (the key fetched from the sender's actor, Digest signed on POST, the
// date window) and keep what they received, and a client that signs what
// the test sends as one of its actors. GoToSocial and Mastodon cannot run
// here; this peer speaks their wire format on loopback.
package fedtest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpsig"
)

// Received is an activity an inbox received.
type Received struct {
	// Inbox is the path it was posted to ("/inbox", "/users/alice/inbox").
	Inbox string
	// Activity is the document; Body its bytes.
	Activity map[string]any
	Body     []byte
	// KeyID is the signature's key; Err why the signature did not verify
	// (nil when it did).
	KeyID string
	Err   error
}

// Type returns the activity's type.
func (r Received) Type() string { s, _ := r.Activity["type"].(string); return s }

// Object returns the activity's object as a document, nil for an id.
func (r Received) Object() map[string]any { o, _ := r.Activity["object"].(map[string]any); return o }

// Options tune a Peer.
type Options struct {
	// Users are the actors' names (default "alice").
	Users []string
	// NoSharedInbox makes the actors announce no shared inbox.
	NoSharedInbox bool
	// AuthorizedFetch refuses unsigned fetches of the actors (Mastodon's
	// secure mode, GoToSocial always).
	AuthorizedFetch bool
	// Status, when set, gives the status an inbox answers a delivery
	// (0 for the normal 202).
	Status func(inbox string, n int) int
}

// Peer is a running fediverse server.
type Peer struct {
	URL  string
	Key  *rsa.PrivateKey
	opts Options
	srv  *httptest.Server
	hc   *http.Client

	mu       sync.Mutex
	received []Received
	posts    map[string]int
	fetches  int
}

// New starts a peer on loopback, stopped at the end of the test.
func New(tb testing.TB, opts Options) *Peer {
	tb.Helper()
	if len(opts.Users) == 0 {
		opts.Users = []string{"alice"}
	}
	key, err := httpsig.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	p := &Peer{Key: key, opts: opts, posts: map[string]int{}, hc: &http.Client{Timeout: 10 * time.Second}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	tb.Cleanup(p.srv.Close)
	return p
}

// Host is the peer's host (with its port), its instance's name.
func (p *Peer) Host() string { return strings.TrimPrefix(p.URL, "http://") }

// ActorID returns the id of the actor name.
func (p *Peer) ActorID(name string) string { return p.URL + "/users/" + name }

// KeyID returns the id of the actors' key (one key for all, as the peer
// signs with it for any of them).
func (p *Peer) KeyID(name string) string { return p.ActorID(name) + "#main-key" }

func (p *Peer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/users/"):
		p.serveActor(w, r)
	case r.Method == http.MethodPost && (r.URL.Path == "/inbox" || strings.HasSuffix(r.URL.Path, "/inbox")):
		p.serveInbox(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (p *Peer) serveActor(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/users/")
	known := false
	for _, u := range p.opts.Users {
		known = known || u == name
	}
	if !known {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	p.fetches++
	p.mu.Unlock()
	if p.opts.AuthorizedFetch {
		if _, err := httpsig.ParseSignature(r); err != nil {
			http.Error(w, "signature required", http.StatusUnauthorized)
			return
		}
	}
	pem, err := httpsig.PublicKeyPEM(&p.Key.PublicKey)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	id := p.ActorID(name)
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              "Person",
		"preferredUsername": name,
		"name":              strings.ToUpper(name[:1]) + name[1:],
		"url":               p.URL + "/@" + name,
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"followers":         id + "/followers",
		"publicKey":         map[string]any{"id": p.KeyID(name), "owner": id, "publicKeyPem": pem},
	}
	if !p.opts.NoSharedInbox {
		doc["endpoints"] = map[string]any{"sharedInbox": p.URL + "/inbox"}
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(doc)
}

// serveInbox checks a delivery's signature with the key of its sender,
// fetched from the sender's actor as Mastodon does, and keeps it.
func (p *Peer) serveInbox(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	rec := Received{Inbox: r.URL.Path, Body: body}
	_ = json.Unmarshal(body, &rec.Activity)
	sig, err := httpsig.ParseSignature(r)
	if err == nil {
		rec.KeyID = sig.KeyID
		var pub *rsa.PublicKey
		if pub, err = p.fetchKey(r.Context(), sig.KeyID); err == nil {
			err = sig.Verify(r, body, pub, time.Now())
		}
	}
	rec.Err = err
	p.mu.Lock()
	p.received = append(p.received, rec)
	p.posts[r.URL.Path]++
	n := p.posts[r.URL.Path]
	p.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if p.opts.Status != nil {
		if st := p.opts.Status(r.URL.Path, n); st != 0 {
			w.WriteHeader(st)
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// fetchKey fetches the public key keyID names from its actor.
func (p *Peer) fetchKey(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
	actor, _, _ := strings.Cut(keyID, "#")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, actor, nil) //nolint:gosec // G704: a test server fetching its test peers
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	res, err := p.hc.Do(req) //nolint:gosec // G704: a test server fetching its test peers
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var doc struct {
		PublicKey struct {
			ID, Owner    string
			PublicKeyPem string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("actor of key %s: %w", keyID, err)
	}
	if doc.PublicKey.ID != keyID || doc.PublicKey.Owner != actor {
		return nil, fmt.Errorf("key %s: the actor gives key %s of %s", keyID, doc.PublicKey.ID, doc.PublicKey.Owner)
	}
	return httpsig.ParsePublicKeyPEM(doc.PublicKey.PublicKeyPem)
}

// Received returns what the inboxes received so far.
func (p *Peer) Received() []Received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Received(nil), p.received...)
}

// Fetches counts the fetches of the peer's actors.
func (p *Peer) Fetches() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fetches
}

// Wait returns the first activity of type typ received that match
// accepts (nil accepts any), waiting up to timeout.
func (p *Peer) Wait(tb testing.TB, typ string, timeout time.Duration, match func(Received) bool) Received {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, r := range p.Received() {
			if r.Type() == typ && (match == nil || match(r)) {
				return r
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no %s received in %s; got %d activities", typ, timeout, len(p.Received()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Send posts activity to inbox signed as the peer's actor name and
// returns the status.
func (p *Peer) Send(tb testing.TB, inbox, name string, activity any) int {
	tb.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		tb.Fatal(err)
	}
	return p.SendRaw(tb, inbox, httpsig.Key{ID: p.KeyID(name), Private: p.Key}, body)
}

// SendRaw posts body to inbox signed with k (zero k: unsigned) and
// returns the status.
func (p *Peer) SendRaw(tb testing.TB, inbox string, k httpsig.Key, body []byte) int {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if k.Private != nil {
		if err := httpsig.SignRequest(req, body, k, time.Now()); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := p.hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}
