package wire

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Reason is why a request got no answer, as Policy.Error tells them apart.
type Reason int

// The reasons. Policy.Error checks them in the order they are listed
// here after Unreachable, which is what is left.
const (
	// Unreachable is any other failure: a refused or reset connection,
	// an unknown host.
	Unreachable Reason = iota
	// RedirectLoop is an address that redirects for ever
	// (httpclient.ErrTooManyRedirects).
	RedirectLoop
	// PrivateAddress is an address on a private network, which the
	// outbound client refuses (httpclient.ErrPrivateAddress).
	PrivateAddress
	// Canceled is a request whose context was cancelled.
	Canceled
	// Lost is a request that creates a post, sent whole, whose answer did
	// not come: the post may have been made.
	Lost
	// Timeout is a request that ran out of time, when it is not Lost.
	Timeout
)

// Policy is how one network classifies a request that got no answer.
// The networks agree on the order of the rules and differ on a few,
// which its fields choose.
type Policy struct {
	// Words returns the delivery log's message, in the network's voice,
	// for op (the request, as the network's messages name it) that got no
	// answer for why.
	Words func(why Reason, op string) string
	// Cause returns what the error keeps for the logs; the error itself
	// when nil. A network whose addresses carry a secret (a token in the
	// path or the query) drops them here: see Prefix.
	Cause func(op string, err error) error
	// CheckAddress makes a redirect loop and a private address Permanent:
	// the address is the account's own setting (a Mastodon instance, a
	// PDS, a Bot API server), which a person must fix. Without it a
	// redirect loop is the network's passing trouble (Transient) and a
	// private address is Unreachable.
	CheckAddress bool
	// TellCanceled makes a cancelled request Transient (the Graph APIs'
	// and Pinterest's rule), unless it is a post that was sent on a
	// network without idempotency: that one is Lost like any other.
	TellCanceled bool
	// Idempotent is set for a network that takes a retried post as the
	// same post (Mastodon's Idempotency-Key, Bluesky's record key): a post
	// whose answer was lost is then Transient, never Ambiguous.
	Idempotent bool
}

// Error classifies n, the failure of op. creates says the request makes
// a post: on a network without idempotency, once it was sent, its lost
// answer is Ambiguous, since retrying could post twice.
func (p Policy) Error(op string, n *NoAnswer, creates bool) *syndication.Error {
	class, why := syndication.Transient, Unreachable
	switch {
	case errors.Is(n.Err, httpclient.ErrTooManyRedirects):
		why = RedirectLoop
		if p.CheckAddress {
			class = syndication.Permanent
		}
	case p.CheckAddress && errors.Is(n.Err, httpclient.ErrPrivateAddress):
		class, why = syndication.Permanent, PrivateAddress
	case creates && n.Sent && !p.Idempotent:
		// Before TellCanceled: a post sent when the worker was stopped
		// may have been made, and a blind retry would make it twice.
		class, why = syndication.Ambiguous, Lost
	case p.TellCanceled && errors.Is(n.Err, context.Canceled):
		why = Canceled
	case httpclient.IsTimeout(n.Err):
		why = Timeout
	}
	cause := n.Err
	if p.Cause != nil {
		cause = p.Cause(op, n.Err)
	}
	return &syndication.Error{Class: class, Message: p.Words(why, op), Err: cause}
}

// Named returns the words of a network that names itself and the
// request in its messages ("X did not answer GET /2/users/me in time"),
// and says where to look for a post that may have been made (check,
// such as "the account").
func Named(network, check string) func(Reason, string) string {
	return func(why Reason, op string) string {
		switch why {
		case RedirectLoop:
			return network + " answered " + op + " with a redirect loop"
		case Lost:
			return "no answer from " + network + " after the post was sent: it may have been published, check " + check + " before retrying"
		case Timeout:
			return network + " did not answer " + op + " in time"
		}
		return "cannot reach " + network + " for " + op
	}
}

// Brief returns a word or two for each reason ("timeout", "connection
// failed"), the Graph APIs' way, and lost for a post whose answer was
// lost.
func Brief(lost string) func(Reason, string) string {
	return func(why Reason, _ string) string {
		switch why {
		case RedirectLoop:
			return "redirect loop"
		case Canceled:
			return "cancelled"
		case Lost:
			return lost
		case Timeout:
			return "timeout"
		}
		return "connection failed"
	}
}

// Prefix is a Cause that names op before err, err without its
// *url.Error: op says what failed without the address.
func Prefix(op string, err error) error {
	return fmt.Errorf("%s: %w", op, withoutURL(err))
}

// withoutURL drops the *url.Error around err, whose text repeats the
// address (and with it any token in its path or query).
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
