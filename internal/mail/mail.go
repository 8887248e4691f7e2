// Package mail sends email: password-reset links, and later comment
// notifications, donation receipts and order confirmations.
//
// Sending always runs inside a background job, so both senders here are safe
// to retry and say whether a failure is worth retrying: errors matching
// ErrPermanent will fail again, anything else may succeed later. SMTP talks to
// a real server; Log only writes the message to the server log, for fresh
// installs and the demo. Callers declare the interface they need, for example
//
//	type Sender interface {
//		Send(ctx context.Context, m mail.Message) error
//	}
package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
)

// ErrPermanent marks failures that retrying will not fix: an invalid message,
// or one the server refused with a 5xx reply (an unknown recipient, a message
// too large). Match it with errors.Is; every other failure is temporary.
var ErrPermanent = errors.New("permanent failure")

// Message is one email.
type Message struct {
	// To lists the recipients as bare addresses ("ines@example.org"); every
	// recipient sees the others.
	To []string
	// ReplyTo, when set, is the address replies go to; it may carry a
	// display name.
	ReplyTo string
	// Subject is required.
	Subject string
	// Text is the plain-text body, required.
	Text string
	// HTML is an optional HTML alternative to Text.
	HTML string
	// MessageID, when set, is used as the Message-ID, so a retried job sends
	// the same message and receivers can deduplicate it; otherwise one is
	// generated on each Send. It is either a full id ("reset.42@example.org",
	// angle brackets optional) or a key unique to the job ("reset.42"), which
	// SMTP completes with the domain of its From address.
	MessageID string
	// Headers holds extra headers, such as "List-Unsubscribe". Headers the
	// sender sets itself (From, To, Subject, Content-Type…) are refused.
	Headers map[string]string
	// Attachments are files sent with the message (a tax receipt's PDF).
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	// Name is the file name the reader sees ("recu-2026-000042.pdf").
	Name string
	// ContentType is its media type ("application/pdf").
	ContentType string
	Data        []byte
}

// MaxAttachments bounds the total size of a message's attachments: mail
// servers commonly refuse messages over 10 MB once encoded.
const MaxAttachments = 7 << 20

// reservedHeaders are written by the sender from Message and Config fields;
// letting Headers set them too would duplicate or contradict them.
var reservedHeaders = map[string]bool{
	"Bcc": true, "Cc": true, "Content-Transfer-Encoding": true, "Content-Type": true,
	"Date": true, "From": true, "Message-Id": true, "Mime-Version": true,
	"Reply-To": true, "Return-Path": true, "Sender": true, "Subject": true, "To": true,
}

// Validate reports whether m can be sent: at least one recipient, each a valid
// bare address; a subject and a text body; a well-formed Message-ID and extra
// headers; and no control characters (CR, LF…) in any header value, which
// would let a value inject headers of its own.
func (m Message) Validate() error {
	if len(m.To) == 0 {
		return errors.New("validate message: no recipient")
	}
	for i, to := range m.To {
		if err := validateBareAddress(to); err != nil {
			return fmt.Errorf("validate message: to[%d]: %w", i, err)
		}
	}
	if m.ReplyTo != "" {
		if err := validateHeaderValue(m.ReplyTo); err != nil {
			return fmt.Errorf("validate message: reply-to: %w", err)
		}
		if _, err := mail.ParseAddress(m.ReplyTo); err != nil {
			return fmt.Errorf("validate message: reply-to %q: %w", m.ReplyTo, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("validate message: no subject")
	}
	if err := validateHeaderValue(m.Subject); err != nil {
		return fmt.Errorf("validate message: subject: %w", err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("validate message: no text body")
	}
	if m.MessageID != "" {
		if err := validateMessageID(m.MessageID); err != nil {
			return fmt.Errorf("validate message: message id: %w", err)
		}
	}
	for name, value := range m.Headers {
		if err := validateHeader(name, value); err != nil {
			return fmt.Errorf("validate message: header %q: %w", name, err)
		}
	}
	total := 0
	for i, a := range m.Attachments {
		total += len(a.Data)
		switch {
		case strings.TrimSpace(a.Name) == "" || strings.ContainsAny(a.Name, "/\\"):
			return fmt.Errorf("validate message: attachment %d: a plain file name is required", i)
		case validateHeaderValue(a.Name) != nil || validateHeaderValue(a.ContentType) != nil:
			return fmt.Errorf("validate message: attachment %d: control characters", i)
		case !strings.Contains(a.ContentType, "/"):
			return fmt.Errorf("validate message: attachment %q: a media type is required", a.Name)
		case len(a.Data) == 0:
			return fmt.Errorf("validate message: attachment %q is empty", a.Name)
		}
	}
	if total > MaxAttachments {
		return fmt.Errorf("validate message: attachments of %d bytes, over %d", total, MaxAttachments)
	}
	return nil
}

// validateBareAddress accepts "ines@example.org" but not a display name, angle
// brackets or surrounding spaces: recipients come from stored account data,
// and anything else there is a bug upstream.
func validateBareAddress(s string) error {
	if err := validateHeaderValue(s); err != nil {
		return err
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Errorf("%q: %w", s, err)
	}
	if a.Name != "" || a.Address != s {
		return fmt.Errorf("%q: want a bare address such as ines@example.org", s)
	}
	return nil
}

// validateHeaderValue refuses control characters other than tab: CR and LF
// would end the header and start another.
func validateHeaderValue(s string) error {
	for _, r := range s {
		if r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("control character %q in %q", r, s)
		}
	}
	return nil
}

func validateHeader(name, value string) error {
	if name == "" {
		return errors.New("empty name")
	}
	for i := 0; i < len(name); i++ {
		// RFC 5322 field names: printable ASCII except the colon.
		if c := name[i]; c < '!' || c > '~' || c == ':' {
			return fmt.Errorf("invalid character %q in name", c)
		}
	}
	if reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)] {
		return errors.New("set by the sender from the message fields")
	}
	return validateHeaderValue(value)
}

// validateMessageID accepts "left@right", "<left@right>" or a bare "key",
// each part an RFC 5322 dot-atom, which keeps ids ASCII and unambiguous.
func validateMessageID(id string) error {
	s := trimAngles(id)
	left, right, hasAt := strings.Cut(s, "@")
	if !isDotAtom(left) || hasAt && !isDotAtom(right) {
		return fmt.Errorf("%q: want an id such as reset.42@example.org or a key such as reset.42", id)
	}
	return nil
}

func trimAngles(id string) string {
	if strings.HasPrefix(id, "<") && strings.HasSuffix(id, ">") {
		return id[1 : len(id)-1]
	}
	return id
}

// isDotAtom reports whether s is an RFC 5322 dot-atom-text: runs of atext
// separated by single dots.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0:
		default:
			return false
		}
	}
	return true
}
