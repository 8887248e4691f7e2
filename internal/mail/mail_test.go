package mail

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Message)
		err    string // substring of the error, "" for none
	}{
		{"OKMinimal", func(*Message) {}, ""},
		{"OKEverything", func(m *Message) {
			m.To = []string{"ines@example.org", "paul.durand+kiosque@sub.example.net"}
			m.ReplyTo = "Inès Martin <ines.martin@example.org>"
			m.HTML = "<p>Bonjour</p>"
			m.MessageID = "reset.42@le-veilleur.example"
			m.Headers = map[string]string{"List-Unsubscribe": "<https://le-veilleur.example/u?t=1>", "X-Tag": "a\tb"}
		}, ""},
		{"OKMessageIDAngles", func(m *Message) { m.MessageID = "<reset.42@le-veilleur.example>" }, ""},
		{"OKMessageIDKey", func(m *Message) { m.MessageID = "password-reset.42" }, ""},
		{"OKReplyToBare", func(m *Message) { m.ReplyTo = "ines@example.org" }, ""},
		{"ErrNoRecipient", func(m *Message) { m.To = nil }, "no recipient"},
		{"ErrDisplayName", func(m *Message) { m.To = []string{"Inès <ines@example.org>"} }, "bare address"},
		{"ErrAngleAddress", func(m *Message) { m.To = []string{"<ines@example.org>"} }, "bare address"},
		{"ErrSpaces", func(m *Message) { m.To = []string{" ines@example.org"} }, "bare address"},
		{"ErrNotAnAddress", func(m *Message) { m.To = []string{"ines"} }, "to[0]"},
		{"ErrEmptyAddress", func(m *Message) { m.To = []string{"ines@example.org", ""} }, "to[1]"},
		{"ErrTwoAddressesInOne", func(m *Message) { m.To = []string{"ines@example.org, paul@example.net"} }, "to[0]"},
		{"ErrAddressCRLF", func(m *Message) { m.To = []string{"ines@example.org\r\nBcc: x@example.net"} }, "control character"},
		{"ErrSubjectEmpty", func(m *Message) { m.Subject = "" }, "no subject"},
		{"ErrSubjectBlank", func(m *Message) { m.Subject = " \t" }, "no subject"},
		{"ErrSubjectCRLF", func(m *Message) { m.Subject = "Bonjour\r\nBcc: victime@example.org" }, "subject: control character"},
		{"ErrSubjectLF", func(m *Message) { m.Subject = "Bonjour\nBcc: victime@example.org" }, "subject: control character"},
		{"ErrSubjectCR", func(m *Message) { m.Subject = "Bonjour\rBcc: victime@example.org" }, "subject: control character"},
		{"ErrTextEmpty", func(m *Message) { m.Text = "" }, "no text body"},
		{"ErrTextBlank", func(m *Message) { m.Text = " \n\n" }, "no text body"},
		{"ErrTextOnlyHTML", func(m *Message) { m.Text, m.HTML = "", "<p>Bonjour</p>" }, "no text body"},
		{"ErrReplyToCRLF", func(m *Message) { m.ReplyTo = "ines@example.org\r\nBcc: x@example.net" }, "reply-to"},
		{"ErrReplyToInvalid", func(m *Message) { m.ReplyTo = "ines" }, "reply-to"},
		{"ErrHeaderValueCRLF", func(m *Message) {
			m.Headers = map[string]string{"List-Unsubscribe": "<https://x.example/u>\r\nBcc: victime@example.org"}
		}, "control character"},
		{"ErrHeaderValueLF", func(m *Message) { m.Headers = map[string]string{"X-Tag": "a\nb"} }, "control character"},
		{"ErrHeaderNameColon", func(m *Message) { m.Headers = map[string]string{"X-Tag: a": "b"} }, "invalid character"},
		{"ErrHeaderNameSpace", func(m *Message) { m.Headers = map[string]string{"X Tag": "b"} }, "invalid character"},
		{"ErrHeaderNameCRLF", func(m *Message) { m.Headers = map[string]string{"X-Tag\r\nBcc": "b"} }, "invalid character"},
		{"ErrHeaderNameEmpty", func(m *Message) { m.Headers = map[string]string{"": "b"} }, "empty name"},
		{"ErrHeaderReserved", func(m *Message) { m.Headers = map[string]string{"bcc": "victime@example.org"} }, "set by the sender"},
		{"ErrHeaderReservedMessageID", func(m *Message) { m.Headers = map[string]string{"Message-ID": "<a@b>"} }, "set by the sender"},
		{"ErrMessageIDSpace", func(m *Message) { m.MessageID = "reset 42@le-veilleur.example" }, "message id"},
		{"ErrMessageIDTwoAts", func(m *Message) { m.MessageID = "reset@42@le-veilleur.example" }, "message id"},
		{"ErrMessageIDColon", func(m *Message) { m.MessageID = "reset:42" }, "message id"},
		{"ErrMessageIDEmptyRight", func(m *Message) { m.MessageID = "reset.42@" }, "message id"},
		{"ErrMessageIDCRLF", func(m *Message) { m.MessageID = "reset.42\r\nBcc: x@example.net" }, "message id"},
		{"ErrMessageIDNonASCII", func(m *Message) { m.MessageID = "réinit.42" }, "message id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := resetMessage()
			tt.modify(&m)
			err := m.Validate()
			if tt.err == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.err)
			}
		})
	}
}

func TestLogSend(t *testing.T) {
	tests := []struct {
		name          string
		modify        func(*Message)
		wantLogged    []string // substrings of the log line; nil means nothing logged
		wantPermanent bool
	}{
		{
			name:       "OK",
			modify:     func(m *Message) { m.MessageID = "password-reset.42" },
			wantLogged: []string{"level=INFO", "to=ines@example.org", resetLink, "message_id=password-reset.42", "« Le Veilleur »"},
		},
		{
			name:          "ErrInvalid",
			modify:        func(m *Message) { m.Subject = "a\r\nBcc: victime@example.org" },
			wantPermanent: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
			m := resetMessage()
			tt.modify(&m)
			err := l.Send(t.Context(), m)
			if got := errors.Is(err, ErrPermanent); got != tt.wantPermanent {
				t.Errorf("Send() = %v, permanent %t, want %t", err, got, tt.wantPermanent)
			}
			if !tt.wantPermanent && err != nil {
				t.Fatalf("Send() = %v", err)
			}
			got := buf.String()
			if tt.wantLogged == nil && got != "" {
				t.Errorf("logged %q, want nothing", got)
			}
			for _, want := range tt.wantLogged {
				if !strings.Contains(got, want) {
					t.Errorf("log %q does not contain %q", got, want)
				}
			}
		})
	}
}

func TestConfigLogValue(t *testing.T) {
	var buf bytes.Buffer
	cfg := Config{Host: "smtp.example.org", Port: 587, Username: "veilleur", Password: "hunter2-secret", From: "redaction@le-veilleur.example"}
	slog.New(slog.NewTextHandler(&buf, nil)).Info("mail config", slog.Any("smtp", cfg))
	got := buf.String()
	if strings.Contains(got, "hunter2-secret") {
		t.Errorf("log %q shows the password", got)
	}
	for _, want := range []string{"smtp.host=smtp.example.org", "smtp.username=veilleur", "smtp.password=********", "smtp.tls=starttls"} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q does not contain %q", got, want)
		}
	}
}
