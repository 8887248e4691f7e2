package mail

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Log "sends" by logging the message with slog: it is the sender when no
// SMTP server is configured, so that a fresh install or the demo shows
// password-reset links in the server log. The log then holds those links,
// which are secrets: configure SMTP before real people use the site.
type Log struct {
	log *slog.Logger
}

// NewLog returns a Log sender writing to log, or to slog.Default() when log
// is nil.
func NewLog(log *slog.Logger) *Log {
	if log == nil {
		log = slog.Default()
	}
	return &Log{log: log}
}

// Send validates m as SMTP.Send does, with the same ErrPermanent, then logs
// its recipients, subject, Message-ID and text body at level Info.
func (l *Log) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("log mail: %w: %w", ErrPermanent, err)
	}
	attrs := []slog.Attr{
		slog.String("to", strings.Join(m.To, ", ")),
		slog.String("subject", m.Subject),
		slog.String("message_id", m.MessageID),
		slog.String("text", m.Text),
	}
	for _, a := range m.Attachments {
		attrs = append(attrs, slog.String("attachment", a.Name))
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "mail not sent: no SMTP server configured", attrs...)
	return nil
}
