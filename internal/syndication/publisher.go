package syndication

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Post is what goes out to one account for one article.
type Post struct {
	// Text is the rendered message, already fitted to the network.
	Text string
	// Link is the article's address; Title, Description, ImageURL and
	// ImageAlt fill the link card on networks that do not read the page
	// (Bluesky, LinkedIn) and the picture on those that need one
	// (Instagram, Pinterest).
	Link        string
	Title       string
	Description string
	ImageURL    string
	ImageAlt    string
	// Language is the article's ISO 639-1 code ("fr").
	Language string
	// Tags are the article's tags and categories as hashtags, for
	// networks that take them apart from the text (Tumblr).
	Tags []string
	// LoadImage returns the bytes and media type of the article's image,
	// for networks that want it uploaded (Bluesky's card, X, LinkedIn);
	// nil when the article has none. Networks that fetch it themselves
	// (Instagram, Threads, Pinterest) use ImageURL.
	LoadImage func(ctx context.Context) (data []byte, mediaType string, err error)
}

// Remote is a post as the network knows it.
type Remote struct {
	// ID is the network's id of the post (a status id, an at:// URI, a
	// pin id…), which deleting it needs.
	ID string
	// URL is where readers see it, "" when the network gives none.
	URL string
}

// Credentials are an account's settings and secrets, decrypted for one
// call. Config holds what is not secret (an instance address, a page id,
// a channel), Secrets the tokens and passwords.
type Credentials struct {
	Config  map[string]string
	Secrets map[string]string
	// Rotate stores secrets the network replaced during the call (a
	// refreshed OAuth token, a new session), so that the next call uses
	// them; nil when nothing stores them (a check before saving).
	Rotate func(ctx context.Context, secrets map[string]string) error
}

// Attempt is one try at delivering a post.
type Attempt struct {
	Post Post
	// Key is the delivery's own key, the same at every attempt: Mastodon's
	// Idempotency-Key, the seed of Bluesky's record key.
	Key string
	// State is what an earlier attempt saved with Checkpoint (a Threads
	// or Instagram container id), "" at the first.
	State string
	// Checkpoint saves state before the step that publishes, so that an
	// attempt after a crash resumes from it instead of starting over.
	Checkpoint func(ctx context.Context, state string) error
}

// Profile is the account a set of credentials opens, as the network
// names it.
type Profile struct {
	Name string
	URL  string
}

// Publisher speaks to one network. Each package social/<network>
// implements it over the network's documented HTTP API.
type Publisher interface {
	// Verify checks creds and returns the account they open.
	Verify(ctx context.Context, creds Credentials) (Profile, error)
	// Publish delivers a.Post and returns where it landed. It must not
	// post twice for one a.Key: where the network offers idempotency it
	// uses it, and it reports an ambiguous failure as Ambiguous.
	Publish(ctx context.Context, creds Credentials, a Attempt) (Remote, error)
	// Delete removes a post it made; ErrNotSupported where the network
	// does not allow it.
	Delete(ctx context.Context, creds Credentials, r Remote) error
}

// ErrNotSupported is what Delete returns where a network cannot delete.
var ErrNotSupported = errors.New("not supported by this network")

// Class is what the outbox does after a failed attempt.
type Class int

// The classes of failures (integrations.md §0).
const (
	// Transient failures (5xx, timeouts before the request was sent,
	// malformed answers) are retried with exponential backoff.
	Transient Class = iota
	// RateLimited failures are retried after RetryAfter.
	RateLimited
	// Auth failures (a revoked token) stop the delivery and flag the
	// account until its credentials are fixed.
	Auth
	// Permanent failures (a post the network refuses) stop the delivery.
	Permanent
	// Ambiguous failures may have posted (a timeout after the request was
	// sent, on a network without idempotency): retrying blindly could post
	// twice, so the delivery waits for a person to check.
	Ambiguous
)

// String returns the class's stable name, for logs and the delivery log.
func (c Class) String() string {
	switch c {
	case RateLimited:
		return "rate_limited"
	case Auth:
		return "auth"
	case Permanent:
		return "permanent"
	case Ambiguous:
		return "ambiguous"
	default:
		return "transient"
	}
}

// Error is a network's refusal or failure, classified.
type Error struct {
	Class Class
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// Message is the network's own words, shown in the delivery log.
	Message string
	// RetryAfter is how long the network asked to wait (RateLimited).
	RetryAfter time.Duration
	// Err is the cause, for the logs.
	Err error
}

// Error returns the class, status and message.
func (e *Error) Error() string {
	s := e.Class.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err: an *Error's own, Transient for any
// other (a failure kiosque did not foresee is worth another try).
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Transient
}
