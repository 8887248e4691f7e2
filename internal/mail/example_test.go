package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/kiosque/kiosque/internal/mail"
)

// Sender is what a job worker declares it needs; *mail.SMTP and *mail.Log
// both provide it.
type Sender interface {
	Send(ctx context.Context, m mail.Message) error
}

// This example picks a sender the way the application does (SMTP when a
// server is configured, the log otherwise), sends a password-reset message
// from inside a job, and tells the job queue whether to retry.
func Example() {
	cfg := mail.Config{ // from deploy-time configuration; no host here
		Port: 587,
		From: "Le Veilleur <redaction@le-veilleur.example>",
		TLS:  mail.TLSStartTLS,
	}
	// The example logger drops the time so that the output is stable.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))

	var sender Sender = mail.NewLog(logger)
	if cfg.Host != "" {
		s, err := mail.NewSMTP(cfg)
		if err != nil {
			fmt.Println("configuration:", err)
			return
		}
		sender = s
	}

	err := sender.Send(context.Background(), mail.Message{
		To:      []string{"ines@example.org"},
		Subject: "Réinitialisez votre mot de passe",
		Text:    "Bonjour Inès, voici votre lien : https://le-veilleur.example/r/abc",
		// The job's own id, so that a retry sends the same message.
		MessageID: "password-reset.42",
	})
	switch {
	case err == nil:
		fmt.Println("sent")
	case errors.Is(err, mail.ErrPermanent):
		fmt.Println("give up:", err)
	default:
		fmt.Println("retry later:", err)
	}
	// Output:
	// level=INFO msg="mail not sent: no SMTP server configured" to=ines@example.org subject="Réinitialisez votre mot de passe" message_id=password-reset.42 text="Bonjour Inès, voici votre lien : https://le-veilleur.example/r/abc"
	// sent
}
