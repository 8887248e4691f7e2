package vocab

import (
	"errors"
	"fmt"
)

// Errors returned by the parsers. An inbox answers 413 to ErrTooLarge,
// 202 (and drops the activity) to ErrUnknownType and 400 to the others.
var (
	// ErrTooLarge means the document is bigger than MaxDocumentSize.
	ErrTooLarge = errors.New("document too large")
	// ErrTooDeep means the document nests arrays and objects deeper than MaxDepth.
	ErrTooDeep = errors.New("document nested too deeply")
	// ErrMalformed means the document is not a single well-formed JSON object.
	ErrMalformed = errors.New("malformed document")
	// ErrMissingID means the document has no id.
	ErrMissingID = errors.New("missing id")
	// ErrInvalidID means an id is not an absolute http or https URL.
	ErrInvalidID = errors.New("id is not an absolute http(s) URL")
	// ErrMissingActor means an activity names no actor.
	ErrMissingActor = errors.New("missing actor")
	// ErrMissingObject means an activity has no object.
	ErrMissingObject = errors.New("missing object")
	// ErrMissingInbox means a remote actor has no usable inbox.
	ErrMissingInbox = errors.New("missing inbox")
	// ErrNoKey means a document holds no public key matching the one asked for.
	ErrNoKey = errors.New("no matching public key")
	// ErrNotEmbedded means an activity's object is a bare id, not an embedded document.
	ErrNotEmbedded = errors.New("object is not embedded")
	// ErrUnknownType is matched by errors.Is for every UnknownTypeError.
	ErrUnknownType = errors.New("unknown type")
	// ErrInvalidInput means an emitted document was asked for with missing or bad input.
	ErrInvalidInput = errors.New("invalid input")
)

// UnknownTypeError reports a well-formed document of a type kiosque does not
// handle. errors.Is(err, ErrUnknownType) is true for it, so an inbox can
// acknowledge the activity with 202 and drop it (integrations.md 8.3).
type UnknownTypeError struct {
	// Type is the document's type as received ("" when it had none).
	Type string
}

// Error says which type was refused.
func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown type %q", e.Type)
}

// Is makes errors.Is(err, ErrUnknownType) true.
func (e *UnknownTypeError) Is(target error) bool {
	return target == ErrUnknownType
}

// invalidInput wraps ErrInvalidInput with the name of the bad field.
func invalidInput(field, why string) error {
	return fmt.Errorf("%w: %s %s", ErrInvalidInput, field, why)
}
