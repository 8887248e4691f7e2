// Package apperr is kiosque's error vocabulary: a small set of kinds that every
// layer understands, each error carrying a catalogue key for the message a
// person sees, while internal detail stays in the wrapped cause for the logs.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds, from the most to the least common at the edges.
const (
	// Internal is an unexpected failure: the detail is logged, never shown.
	Internal Kind = iota
	// NotFound means the thing asked for does not exist (or is not visible).
	NotFound
	// Invalid means the input was malformed or broke a rule.
	Invalid
	// Conflict means the input clashes with existing state (a duplicate slug, a stale edit).
	Conflict
	// Unauthorized means the caller must identify first.
	Unauthorized
	// Forbidden means the caller is known but not allowed.
	Forbidden
	// Unavailable means a dependency is down or busy; retrying later may work.
	Unavailable
	// Throttled means too many attempts: the caller must wait.
	Throttled
)

// String returns the kind's stable machine name, used in JSON error codes and logs.
func (k Kind) String() string {
	switch k {
	case NotFound:
		return "not_found"
	case Invalid:
		return "invalid"
	case Conflict:
		return "conflict"
	case Unauthorized:
		return "unauthorized"
	case Forbidden:
		return "forbidden"
	case Unavailable:
		return "unavailable"
	case Throttled:
		return "throttled"
	default:
		return "internal"
	}
}

// Error is an error with a kind, a catalogue key for the person-facing message
// and its arguments, and an optional cause kept for the logs.
type Error struct {
	Kind Kind
	// Key is the message catalogue key shown to people (translated at the edge).
	Key string
	// Args fill the verbs of the catalogue message.
	Args []any
	// Field names the input field at fault, when there is one.
	Field string
	// Err is the underlying cause; it is never shown to people.
	Err error
}

// Error returns a developer-facing description, including the cause.
func (e *Error) Error() string {
	msg := e.Kind.String()
	if e.Key != "" {
		msg += " (" + e.Key + ")"
	}
	if e.Field != "" {
		msg += " field " + e.Field
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k shown to people as the catalogue message key.
func New(k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args}
}

// Wrap returns an error of kind k with cause err, shown as the catalogue message key.
func Wrap(err error, k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args, Err: err}
}

// Errorf returns an error of kind k whose cause is formatted like fmt.Errorf;
// the message people see is the generic one for the kind.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Err: fmt.Errorf(format, args...)}
}

// InField returns a copy of e that names the input field at fault.
func (e *Error) InField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err's kind is k.
func Is(err error, k Kind) bool {
	return err != nil && KindOf(err) == k
}

// Message returns the catalogue key and arguments to show for err: the
// error's own key, or the generic key of its kind.
func Message(err error) (key string, args []any) {
	var e *Error
	if errors.As(err, &e) {
		if e.Key != "" && e.Kind != Internal {
			return e.Key, e.Args
		}
		return DefaultKey(e.Kind), nil
	}
	return DefaultKey(Internal), nil
}

// DefaultKey is the catalogue key of the generic message for kind k.
func DefaultKey(k Kind) string {
	switch k {
	case NotFound:
		return "error.not_found.text"
	case Invalid:
		return "error.bad_request.title"
	case Conflict:
		return "error.conflict"
	case Unauthorized:
		return "error.unauthorized"
	case Forbidden:
		return "error.forbidden.title"
	case Unavailable:
		return "error.unavailable"
	case Throttled:
		return "error.throttled"
	default:
		return "error.internal.text"
	}
}

// Split returns the errors err joins (errors.Join), or err alone: a form
// shows each field's message, whether one field or several were at fault.
func Split(err error) []error {
	if err == nil {
		return nil
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return joined.Unwrap()
	}
	return []error{err}
}
