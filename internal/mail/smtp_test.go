package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Compile-time check that both senders fit the interface callers declare.
var _ interface {
	Send(context.Context, Message) error
} = (*SMTP)(nil)

var _ interface {
	Send(context.Context, Message) error
} = (*Log)(nil)

const (
	testFrom   = "Rédaction du Veilleur <redaction@le-veilleur.example>"
	resetLink  = "https://le-veilleur.example/compte/reinitialiser?jeton=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FybHkgYmFuYW5hcw"
	resetText  = "Bonjour Inès,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure : " + resetLink + "\n\nSi vous n’avez rien demandé, ignorez ce message.\n\n« Le Veilleur », la rédaction\n"
	resetHTML  = `<p>Bonjour Inès,</p><p><a href="` + resetLink + `">Réinitialisez votre mot de passe</a> — « Le Veilleur »</p>`
	resetTitle = "Réinitialisez votre mot de passe"
)

func testConfig(ts *testServer) Config {
	return Config{
		Host:      ts.Addr,
		Port:      ts.Port,
		From:      testFrom,
		TLS:       TLSNone,
		Timeout:   5 * time.Second,
		HelloName: "kiosque.test",
	}
}

func resetMessage() Message {
	return Message{
		To:      []string{"ines@example.org"},
		Subject: resetTitle,
		Text:    resetText,
	}
}

// parsedMail is a received message decoded the way a mail client would.
type parsedMail struct {
	Header    mail.Header
	MediaType string
	Subject   string
	From      *mail.Address
	To        []*mail.Address
	MessageID string
	Text      string
	HTML      string
}

// parseMail decodes data with net/mail and mime only, so that it checks the
// encoding go-mail produced rather than trusting it.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	var p parsedMail
	p.Header = msg.Header
	p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject %q: %v", msg.Header.Get("Subject"), err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("from %q: %v", msg.Header.Get("From"), err)
	}
	p.From = from[0]
	if p.To, err = msg.Header.AddressList("To"); err != nil {
		t.Fatalf("to %q: %v", msg.Header.Get("To"), err)
	}
	p.MessageID = msg.Header.Get("Message-Id")

	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	p.MediaType = mediaType
	switch mediaType {
	case "text/plain":
		p.Text = decodePart(t, textproto.MIMEHeader(msg.Header), msg.Body)
	case "multipart/alternative":
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			// NextRawPart, not NextPart: NextPart would decode
			// quoted-printable itself and hide what was declared.
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("next part: %v", err)
			}
			partType, _, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
			if err != nil {
				t.Fatalf("part content type %q: %v", part.Header.Get("Content-Type"), err)
			}
			switch partType {
			case "text/plain":
				p.Text = decodePart(t, part.Header, part)
			case "text/html":
				p.HTML = decodePart(t, part.Header, part)
			default:
				t.Fatalf("unexpected part %s", partType)
			}
		}
	default:
		t.Fatalf("unexpected content type %s", mediaType)
	}
	return p
}

// decodePart checks that a text part is declared UTF-8, decodes it as its
// Content-Transfer-Encoding says, and turns CRLF into LF.
func decodePart(t *testing.T, h textproto.MIMEHeader, r io.Reader) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type %q: %v", h.Get("Content-Type"), err)
	}
	if cs := strings.ToLower(params["charset"]); cs != "utf-8" {
		t.Errorf("charset = %q, want utf-8", cs)
	}
	switch cte := strings.ToLower(h.Get("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("unexpected transfer encoding %q", cte)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// sendOne sends m through a fresh test server and returns what it received.
func sendOne(t *testing.T, opts serverOptions, configure func(*Config), m Message) (received, parsedMail) {
	t.Helper()
	ts := newTestServer(t, opts)
	cfg := testConfig(ts)
	if configure != nil {
		configure(&cfg)
	}
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("Send() = %v", err)
	}
	accepted := ts.Accepted()
	if len(accepted) != 1 {
		t.Fatalf("server accepted %d messages, want 1", len(accepted))
	}
	got := accepted[0]
	if !isASCII(got.Data) {
		t.Errorf("message is not 7-bit:\n%s", got.Data)
	}
	return got, parseMail(t, got.Data)
}

func TestSMTPSend(t *testing.T) {
	tests := []struct {
		name      string
		server    serverOptions
		configure func(*Config)
		modify    func(*Message)
		check     func(t *testing.T, got received, p parsedMail)
	}{
		{
			name: "OKPlainText",
			check: func(t *testing.T, got received, p parsedMail) {
				if p.MediaType != "text/plain" {
					t.Errorf("media type = %q, want text/plain", p.MediaType)
				}
				if got, want := got.To, []string{"ines@example.org"}; !cmp.Equal(got, want) {
					t.Errorf("RCPT TO = %q, want %q", got, want)
				}
				if got.TLS || got.AuthAs != "" {
					t.Errorf("TLS, AUTH = %t, %q, want neither", got.TLS, got.AuthAs)
				}
			},
		},
		{
			name:   "OKTextAndHTML",
			modify: func(m *Message) { m.HTML = resetHTML },
			check: func(t *testing.T, _ received, p parsedMail) {
				if p.MediaType != "multipart/alternative" {
					t.Errorf("media type = %q, want multipart/alternative", p.MediaType)
				}
				if p.HTML != resetHTML {
					t.Errorf("HTML = %q, want %q", p.HTML, resetHTML)
				}
			},
		},
		{
			name:   "OKAuth",
			server: serverOptions{Username: "veilleur", Password: "mot de passe « sûr »"},
			configure: func(c *Config) {
				c.Username, c.Password = "veilleur", "mot de passe « sûr »"
			},
			check: func(t *testing.T, got received, _ parsedMail) {
				if got.AuthAs != "veilleur" {
					t.Errorf("authenticated as %q, want veilleur", got.AuthAs)
				}
			},
		},
		{
			name: "OKUTF8",
			modify: func(m *Message) {
				m.Subject = "« Réinitialisez votre mot de passe » : un lien valable une heure pour Inès, à Besançon"
				m.Text = strings.Repeat("Ça déménage à l’Hôtel-Dieu, « dit-elle » ; ", 8) + "\n" + resetText
				m.HTML = "<p>" + strings.Repeat("é", 200) + "</p>"
			},
			check: func(t *testing.T, _ received, p parsedMail) {
				if got, want := p.From.Name, "Rédaction du Veilleur"; got != want {
					t.Errorf("From name = %q, want %q", got, want)
				}
				if got, want := p.HTML, "<p>"+strings.Repeat("é", 200)+"</p>"; got != want {
					t.Errorf("HTML = %q, want %q", got, want)
				}
			},
		},
		{
			name: "OKHeaders",
			modify: func(m *Message) {
				m.ReplyTo = "Inès Martin <ines.martin@example.org>"
				m.Headers = map[string]string{
					"List-Unsubscribe": "<https://le-veilleur.example/desabonnement?t=42>",
					"x-kiosque-kind":   "password-reset",
				}
			},
			check: func(t *testing.T, _ received, p parsedMail) {
				want := map[string]string{
					"List-Unsubscribe": "<https://le-veilleur.example/desabonnement?t=42>",
					"X-Kiosque-Kind":   "password-reset",
					"Auto-Submitted":   "auto-generated",
				}
				for name, value := range want {
					if got := p.Header.Get(name); got != value {
						t.Errorf("%s = %q, want %q", name, got, value)
					}
				}
				replyTo, err := p.Header.AddressList("Reply-To")
				if err != nil || len(replyTo) != 1 {
					t.Fatalf("Reply-To %q: %v", p.Header.Get("Reply-To"), err)
				}
				if got, want := *replyTo[0], (mail.Address{Name: "Inès Martin", Address: "ines.martin@example.org"}); got != want {
					t.Errorf("Reply-To = %v, want %v", got, want)
				}
			},
		},
		{
			name:   "OKAutoSubmittedOverride",
			modify: func(m *Message) { m.Headers = map[string]string{"auto-submitted": "auto-replied"} },
			check: func(t *testing.T, _ received, p parsedMail) {
				if got := p.Header["Auto-Submitted"]; !cmp.Equal(got, []string{"auto-replied"}) {
					t.Errorf("Auto-Submitted = %q, want [auto-replied]", got)
				}
			},
		},
		{
			name:   "OKMessageIDGiven",
			modify: func(m *Message) { m.MessageID = "reset.42@le-veilleur.example" },
			check: func(t *testing.T, _ received, p parsedMail) {
				if got, want := p.MessageID, "<reset.42@le-veilleur.example>"; got != want {
					t.Errorf("Message-ID = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "OKMessageIDAngles",
			modify: func(m *Message) { m.MessageID = "<reset.42@le-veilleur.example>" },
			check: func(t *testing.T, _ received, p parsedMail) {
				if got, want := p.MessageID, "<reset.42@le-veilleur.example>"; got != want {
					t.Errorf("Message-ID = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "OKMessageIDKey",
			modify: func(m *Message) { m.MessageID = "password-reset.42" },
			check: func(t *testing.T, _ received, p parsedMail) {
				if got, want := p.MessageID, "<password-reset.42@le-veilleur.example>"; got != want {
					t.Errorf("Message-ID = %q, want %q", got, want)
				}
			},
		},
		{
			name: "OKMessageIDGenerated",
			check: func(t *testing.T, _ received, p parsedMail) {
				if !strings.HasPrefix(p.MessageID, "<") || !strings.HasSuffix(p.MessageID, "@le-veilleur.example>") {
					t.Errorf("Message-ID = %q, want <…@le-veilleur.example>", p.MessageID)
				}
			},
		},
		{
			name:   "OKSeveralRecipients",
			modify: func(m *Message) { m.To = []string{"ines@example.org", "paul@example.net"} },
			check: func(t *testing.T, got received, p parsedMail) {
				if want := []string{"ines@example.org", "paul@example.net"}; !cmp.Equal(got.To, want) {
					t.Errorf("RCPT TO = %q, want %q", got.To, want)
				}
				var to []string
				for _, a := range p.To {
					to = append(to, a.Address)
				}
				if want := []string{"ines@example.org", "paul@example.net"}; !cmp.Equal(to, want) {
					t.Errorf("To = %q, want %q", to, want)
				}
			},
		},
		{
			name:   "OKStartTLS",
			server: serverOptions{TLS: selfSignedCert(t), Username: "veilleur", Password: "secret"},
			configure: func(c *Config) {
				c.TLS, c.InsecureSkipVerify = TLSStartTLS, true
				c.Username, c.Password = "veilleur", "secret"
			},
			check: func(t *testing.T, got received, _ parsedMail) {
				if !got.TLS || got.AuthAs != "veilleur" {
					t.Errorf("TLS, AUTH = %t, %q, want true, veilleur", got.TLS, got.AuthAs)
				}
			},
		},
		{
			name:   "OKImplicitTLS",
			server: serverOptions{TLS: selfSignedCert(t), Implicit: true},
			configure: func(c *Config) {
				c.TLS, c.InsecureSkipVerify = TLSImplicit, true
			},
			check: func(t *testing.T, got received, _ parsedMail) {
				if !got.TLS {
					t.Error("session not encrypted")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := resetMessage()
			if tt.modify != nil {
				tt.modify(&m)
			}
			got, p := sendOne(t, tt.server, tt.configure, m)
			if got.From != "redaction@le-veilleur.example" {
				t.Errorf("MAIL FROM = %q, want redaction@le-veilleur.example", got.From)
			}
			if p.Subject != m.Subject {
				t.Errorf("Subject = %q, want %q", p.Subject, m.Subject)
			}
			if p.Text != m.Text {
				t.Errorf("Text:\n%s", cmp.Diff(m.Text, p.Text))
			}
			tt.check(t, got, p)
		})
	}
}

// TestSMTPSendRetry checks that a retried job sends the same Message-ID, and
// that two messages without one get different ids.
func TestSMTPSendRetry(t *testing.T) {
	ts := newTestServer(t, serverOptions{})
	s, err := NewSMTP(testConfig(ts))
	if err != nil {
		t.Fatal(err)
	}
	given := resetMessage()
	given.MessageID = "password-reset.42"
	for _, m := range []Message{given, given, resetMessage(), resetMessage()} {
		if err := s.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for _, got := range ts.Accepted() {
		ids = append(ids, parseMail(t, got.Data).MessageID)
	}
	if len(ids) != 4 {
		t.Fatalf("accepted %d messages, want 4", len(ids))
	}
	if want := "<password-reset.42@le-veilleur.example>"; ids[0] != want || ids[1] != want {
		t.Errorf("retried ids = %q, %q, want %q twice", ids[0], ids[1], want)
	}
	if ids[2] == ids[3] {
		t.Errorf("generated ids both %q, want different", ids[2])
	}
}

func TestSMTPSendConcurrent(t *testing.T) {
	ts := newTestServer(t, serverOptions{})
	s, err := NewSMTP(testConfig(ts))
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			m := resetMessage()
			m.To = []string{fmt.Sprintf("lecteur%d@example.org", i)}
			errs[i] = s.Send(t.Context(), m)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := len(ts.Accepted()); got != n {
		t.Errorf("accepted %d messages, want %d", got, n)
	}
}

func TestSMTPSendErr(t *testing.T) {
	cert := selfSignedCert(t)
	tests := []struct {
		name   string
		server serverOptions
		// target, when set, replaces the test server's address.
		target    func(t *testing.T) (host string, port int)
		configure func(*Config)
		modify    func(*Message)
		// ctxTimeout, when set, bounds Send's context.
		ctxTimeout    time.Duration
		wantPermanent bool
		wantCode      int    // SMTP reply code in the error chain, 0 for none
		wantErr       string // substring of the error
		wantRcpts     int    // RCPT TO commands the server saw
		check         func(t *testing.T, err error)
	}{
		{
			name:          "ErrRecipientUnknown",
			server:        serverOptions{Reject: map[string]int{"ines@example.org": 550}},
			wantPermanent: true,
			wantCode:      550,
			wantErr:       "rcpt to ines@example.org",
			wantRcpts:     1,
		},
		{
			name:      "ErrRecipientBusy",
			server:    serverOptions{Reject: map[string]int{"ines@example.org": 451}},
			wantCode:  451,
			wantErr:   "rcpt to ines@example.org",
			wantRcpts: 1,
		},
		{
			// One refusal for good fails the message for good, whatever the
			// other recipients got; every refused address is named.
			name:          "ErrRecipientsMixed",
			server:        serverOptions{Reject: map[string]int{"ines@example.org": 451, "paul@example.net": 550}},
			modify:        func(m *Message) { m.To = []string{"ines@example.org", "paul@example.net", "lou@example.com"} },
			wantPermanent: true,
			wantCode:      550,
			wantErr:       "rcpt to paul@example.net",
			wantRcpts:     3,
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "rcpt to ines@example.org") {
					t.Errorf("error %q does not name ines@example.org", err)
				}
			},
		},
		{
			name:          "ErrDataRefused",
			server:        serverOptions{DataCode: 554},
			wantPermanent: true,
			wantCode:      554,
			wantErr:       "end data",
			wantRcpts:     1,
		},
		{
			name:      "ErrDataDeferred",
			server:    serverOptions{DataCode: 451},
			wantCode:  451,
			wantErr:   "end data",
			wantRcpts: 1,
		},
		{
			// Wrong credentials are the operator's to fix; the retry after
			// the fix must still send the message.
			name:      "ErrAuthRefused",
			server:    serverOptions{Username: "veilleur", Password: "secret"},
			configure: func(c *Config) { c.Username, c.Password = "veilleur", "wrong" },
			wantCode:  535,
			wantErr:   "connect to",
		},
		{
			// A server that does not offer STARTTLS is never written to in
			// clear text when STARTTLS is required.
			name:      "ErrStartTLSNotOffered",
			configure: func(c *Config) { c.TLS = TLSStartTLS },
			wantErr:   "STARTTLS",
		},
		{
			name:      "ErrCertificateUntrusted",
			server:    serverOptions{TLS: cert},
			configure: func(c *Config) { c.TLS = TLSStartTLS },
			wantErr:   "certificate",
		},
		{
			name:    "ErrConnectionRefused",
			target:  func(t *testing.T) (string, int) { return "127.0.0.1", closedPort(t) },
			wantErr: "connect to 127.0.0.1",
		},
		{
			name:          "ErrInvalidMessage",
			modify:        func(m *Message) { m.To = []string{"Inès <ines@example.org>"} },
			wantPermanent: true,
			wantErr:       "bare address",
		},
		{
			name:       "ErrSilentServerContext",
			target:     newSilentServer,
			configure:  func(c *Config) { c.Timeout = time.Minute },
			ctxTimeout: 200 * time.Millisecond,
			wantErr:    "connect to",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error %q is not context.DeadlineExceeded", err)
				}
			},
		},
		{
			name:      "ErrSilentServerTimeout",
			target:    newSilentServer,
			configure: func(c *Config) { c.Timeout = 200 * time.Millisecond },
			wantErr:   "timeout",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, tt.server)
			cfg := testConfig(ts)
			if tt.target != nil {
				cfg.Host, cfg.Port = tt.target(t)
			}
			if tt.configure != nil {
				tt.configure(&cfg)
			}
			s, err := NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			m := resetMessage()
			if tt.modify != nil {
				tt.modify(&m)
			}
			ctx := t.Context()
			if tt.ctxTimeout != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
				defer cancel()
			}

			start := time.Now()
			err = s.Send(ctx, m)
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("Send took %s, want it bounded by the deadline", elapsed)
			}

			if err == nil {
				t.Fatal("Send() = nil, want an error")
			}
			t.Logf("Send() = %v", err)
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "send mail") {
				t.Errorf("Send() = %q, want send mail…%s…", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrPermanent); got != tt.wantPermanent {
				t.Errorf("errors.Is(%q, ErrPermanent) = %t, want %t", err, got, tt.wantPermanent)
			}
			var tpErr *textproto.Error
			gotCode := 0
			if errors.As(err, &tpErr) {
				gotCode = tpErr.Code
			}
			if gotCode != tt.wantCode {
				t.Errorf("reply code in %q = %d, want %d", err, gotCode, tt.wantCode)
			}
			if got := len(ts.Accepted()); got != 0 {
				t.Errorf("server accepted %d messages, want 0", got)
			}
			if got := len(ts.Rcpts()); got != tt.wantRcpts {
				t.Errorf("server saw %d RCPT TO, want %d", got, tt.wantRcpts)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestNewSMTP(t *testing.T) {
	valid := Config{Host: "smtp.example.org", Port: 587, From: testFrom}
	tests := []struct {
		name   string
		modify func(*Config)
		err    string
	}{
		{"OKMinimal", func(*Config) {}, ""},
		{"OKCredentials", func(c *Config) { c.Username, c.Password = "u", "p" }, ""},
		{"OKBareFrom", func(c *Config) { c.From = "redaction@le-veilleur.example" }, ""},
		{"OKLocalRelayCredentials", func(c *Config) { c.Host, c.TLS, c.Username, c.Password = "localhost", TLSNone, "u", "p" }, ""},
		{"OKImplicit", func(c *Config) { c.Port, c.TLS = 465, TLSImplicit }, ""},
		{"ErrNoHost", func(c *Config) { c.Host = "" }, "no host"},
		{"ErrHostURL", func(c *Config) { c.Host = "smtp://smtp.example.org" }, "host"},
		{"ErrPortZero", func(c *Config) { c.Port = 0 }, "port 0"},
		{"ErrPortTooLarge", func(c *Config) { c.Port = 65536 }, "port 65536"},
		{"ErrFrom", func(c *Config) { c.From = "la rédaction" }, "from"},
		{"ErrFromEmpty", func(c *Config) { c.From = "" }, "from"},
		{"ErrTLSMode", func(c *Config) { c.TLS = TLSMode(7) }, "tls mode"},
		{"ErrTimeout", func(c *Config) { c.Timeout = -time.Second }, "timeout"},
		{"ErrUsernameOnly", func(c *Config) { c.Username = "u" }, "username and password"},
		{"ErrCredentialsInClear", func(c *Config) { c.TLS, c.Username, c.Password = TLSNone, "u", "p" }, "clear text"},
		{"ErrHelloName", func(c *Config) { c.HelloName = "kiosque\r\nRCPT TO:<x@example.org>" }, "hello name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.modify(&cfg)
			s, err := NewSMTP(cfg)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("NewSMTP() = %v, want nil", err)
				}
				if s.cfg.Timeout != DefaultTimeout && cfg.Timeout == 0 {
					t.Errorf("timeout = %s, want %s", s.cfg.Timeout, DefaultTimeout)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NewSMTP() = %v, want error containing %q", err, tt.err)
			}
		})
	}
}

func TestParseTLSMode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want TLSMode
		err  bool
	}{
		{"OKStartTLS", "starttls", TLSStartTLS, false},
		{"OKStartTLSUpper", " STARTTLS ", TLSStartTLS, false},
		{"OKTLS", "tls", TLSImplicit, false},
		{"OKImplicit", "implicit", TLSImplicit, false},
		{"OKNone", "none", TLSNone, false},
		{"ErrEmpty", "", 0, true},
		{"ErrSSL", "ssl", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTLSMode(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("ParseTLSMode(%q) = %v, want error %t", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ParseTLSMode(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if err != nil {
				return
			}
			text, err := got.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back TLSMode
			if err := back.UnmarshalText(text); err != nil || back != got {
				t.Errorf("round trip %v → %q → %v, %v", got, text, back, err)
			}
		})
	}
}
