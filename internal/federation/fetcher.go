package federation

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Fetcher speaks to other servers: it fetches their documents and
// delivers activities to their inboxes, both signed with the site's key
// (servers in "authorized fetch" mode refuse unsigned fetches;
// writefreely#439). package apclient implements it.
type Fetcher interface {
	// Get fetches the ActivityPub document at url. ErrGone reports a 410
	// (a deleted account), ErrNotFound a 404; other failures are a
	// *RemoteError.
	Get(ctx context.Context, url string) ([]byte, error)
	// Post delivers an activity to an inbox, signed afresh (Mastodon
	// accepts a signature for about an hour, so each retry is signed
	// again). Failures are ErrGone, ErrNotFound or a *RemoteError.
	Post(ctx context.Context, inbox string, body []byte) error
}

// The outcomes of a fetch or delivery that are not worth retrying.
var (
	ErrGone     = errors.New("gone (410)")
	ErrNotFound = errors.New("not found (404)")
)

// RemoteError is a failed request to another server.
type RemoteError struct {
	// Status is the HTTP status, 0 when no response came (a timeout, a
	// refused connection).
	Status int
	// Temporary is set when trying again later may work: no response,
	// 408, 429, 5xx.
	Temporary bool
	// RetryAfter is the server's Retry-After, when it gave one.
	RetryAfter time.Duration
	Err        error
}

func (e *RemoteError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("no answer: %v", e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("status %d: %v", e.Status, e.Err)
	}
	return fmt.Sprintf("status %d", e.Status)
}

func (e *RemoteError) Unwrap() error { return e.Err }
