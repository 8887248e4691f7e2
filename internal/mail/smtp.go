package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
	"golang.org/x/net/idna"
)

// SMTP sends through a server with github.com/wneessen/go-mail. It holds only
// configuration: each Send opens its own connection, so one SMTP is safe for
// concurrent use.
type SMTP struct {
	cfg      Config
	from     *mail.Address
	idDomain string // right-hand side of generated Message-IDs
	addr     string // host:port
}

// NewSMTP returns an SMTP sender for cfg, after checking that cfg is usable:
// a host, a port from 1 to 65535, a From address that parses, credentials
// never sent in clear text over the network.
func NewSMTP(cfg Config) (*SMTP, error) {
	from, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	// A Message-ID must be ASCII; an internationalised From domain is written
	// in its xn-- form.
	if ascii, err := idna.Lookup.ToASCII(domain); err == nil && ascii != "" {
		domain = ascii
	} else {
		domain = "localhost"
	}
	return &SMTP{
		cfg:      cfg,
		from:     from,
		idDomain: domain,
		addr:     net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
	}, nil
}

// Send delivers m in one SMTP transaction, returning once the server has
// accepted it for every recipient, or not at all (one refused recipient
// aborts the transaction before the message is sent).
//
// The error matches ErrPermanent when m is invalid or the server refused it
// with a 5xx reply to MAIL FROM, RCPT TO or DATA: a retry would be refused
// again. Any other failure is temporary: the server could not be reached or
// did not answer in time (the context's deadline and Config.Timeout both
// apply), TLS or AUTH failed (the fix is in the configuration, after which a
// retry succeeds), or the server answered 4xx. A connection lost after the
// message was written but before the server confirmed it is reported as
// temporary too, and the retry may deliver the message twice: set
// Message.MessageID so receivers can tell.
//
// The message is encoded as UTF-8 quoted-printable, with an RFC 2047 subject,
// and carries "Auto-Submitted: auto-generated" (RFC 3834) unless m.Headers
// sets it, so that out-of-office robots do not answer.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("send mail: %w: %w", ErrPermanent, err)
	}
	id := s.messageID(m.MessageID)
	msg, err := s.compose(m, id)
	if err != nil {
		return fmt.Errorf("send mail %s: %w: %w", id, ErrPermanent, err)
	}
	if err := s.deliver(ctx, msg, m.To); err != nil {
		return fmt.Errorf("send mail %s to %s: %w", id, strings.Join(m.To, ", "), err)
	}
	return nil
}

// messageID returns the Message-ID to use, without angle brackets.
func (s *SMTP) messageID(given string) string {
	if given == "" {
		return strings.ToLower(rand.Text()) + "@" + s.idDomain
	}
	id := trimAngles(given)
	if !strings.Contains(id, "@") {
		id += "@" + s.idDomain
	}
	return id
}

func (s *SMTP) compose(m Message, id string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("compose: to: %w", err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("compose: reply-to: %w", err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for name, value := range m.Headers {
		msg.SetGenHeader(gomail.Header(textproto.CanonicalMIMEHeaderKey(name)), value)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("compose: attach %q: %w", a.Name, err)
		}
	}
	return msg, nil
}

// deliver runs one SMTP session: connect (with TLS and AUTH as configured),
// then MAIL FROM, RCPT TO for each recipient, DATA.
func (s *SMTP) deliver(ctx context.Context, msg *gomail.Msg, to []string) error {
	// go-mail consults the context only while dialling; afterwards it relies
	// on connection deadlines from Timeout. Closing the raw connection when
	// ctx ends unblocks whatever read or write is under way, so a cancelled
	// or expired job returns at once. The raw connection is also closed on
	// return, because go-mail leaves it open when the greeting, EHLO,
	// STARTTLS or AUTH fail.
	var raw net.Conn
	var stop func() bool
	defer func() {
		if stop != nil {
			stop()
		}
		if raw != nil {
			_ = raw.Close()
		}
	}()
	dial := func(dctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(dctx, network, s.addr)
		if err != nil {
			return nil, err
		}
		raw = conn
		stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
		if s.cfg.TLS != TLSImplicit {
			return conn, nil
		}
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(dctx); err != nil {
			return nil, fmt.Errorf("tls handshake: %w", err)
		}
		return tc, nil
	}

	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(dial)...)
	if err != nil {
		return fmt.Errorf("configure client: %w", err)
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		// Nothing about this message is at fault yet: the server is down or
		// busy, or TLS or AUTH is misconfigured. Fixing either makes a retry
		// succeed, so even a 5xx here is temporary.
		return wrapTemporary(ctx, "connect to "+s.addr, err)
	}
	// Once the server has accepted the message, a failed QUIT changes
	// nothing; reporting it would only make the job send the message again.
	defer func() { _ = sc.Quit() }()

	// Connecting had its own Timeout; the transaction gets a fresh one.
	if err := sc.UpdateDeadline(s.cfg.Timeout); err != nil {
		return wrapTemporary(ctx, "set deadline", err)
	}
	if err := sc.Mail("<" + s.from.Address + ">"); err != nil {
		return classify(ctx, "mail from", err)
	}
	if err := recipients(ctx, sc, to); err != nil {
		_ = sc.Reset()
		return err
	}
	w, err := sc.Data()
	if err != nil {
		return classify(ctx, "data", err)
	}
	if _, err := msg.WriteTo(w); err != nil {
		return classify(ctx, "write message", err)
	}
	if err := w.Close(); err != nil {
		return classify(ctx, "end data", err)
	}
	return nil
}

// recipients sends RCPT TO for every address, even after a refusal, so that
// the error names every address at fault.
func recipients(ctx context.Context, sc *gosmtp.Client, to []string) error {
	// Refusals for good come first, so that errors.As finds their reply.
	var permanent, temporary []error
	for _, rcpt := range to {
		err := sc.Rcpt("<" + rcpt + ">")
		if err == nil {
			continue
		}
		switch code := replyCode(err); {
		case code == 0:
			// Not a refusal: the connection failed, and no other RCPT can work.
			return wrapTemporary(ctx, "rcpt to "+rcpt, err)
		case code >= 500 && code <= 599:
			permanent = append(permanent, fmt.Errorf("rcpt to %s: %w", rcpt, err))
		default:
			temporary = append(temporary, fmt.Errorf("rcpt to %s: %w", rcpt, err))
		}
	}
	if permanent != nil {
		// One recipient refused for good fails the whole message for good,
		// whatever the others got: a retry sends the same recipient list.
		return fmt.Errorf("%w: %w", ErrPermanent, errors.Join(append(permanent, temporary...)...))
	}
	return errors.Join(temporary...)
}

func (s *SMTP) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(s.tlsConfig()),
	}
	if s.cfg.TLS == TLSStartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		// Implicit TLS is done by dial, before go-mail sees the connection.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.HelloName != "" {
		opts = append(opts, gomail.WithHELO(s.cfg.HelloName))
	}
	if s.cfg.Username != "" {
		// PLAIN and LOGIN are what submission servers offer; go-mail refuses
		// both on a connection that is neither encrypted nor to localhost.
		// When the server offers neither, go-mail picks among the others.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
		)
	}
	return opts
}

func (s *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.cfg.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify, //nolint:gosec // G402: for tests only, documented on Config
	}
}

// classify wraps err from an SMTP command of the transaction: a 5xx reply is
// permanent, anything else temporary.
func classify(ctx context.Context, op string, err error) error {
	if code := replyCode(err); code >= 500 && code <= 599 && ctx.Err() == nil {
		return fmt.Errorf("%s: %w: %w", op, ErrPermanent, err)
	}
	return wrapTemporary(ctx, op, err)
}

// wrapTemporary wraps err, naming the context's error when the context ended:
// the failure is then most likely the connection closed under it.
func wrapTemporary(ctx context.Context, op string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w: %w", op, ctxErr, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// replyCode returns the code of the SMTP reply in err, or 0 when err is not a
// server reply (a network failure, a timeout).
func replyCode(err error) int {
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) {
		return tpErr.Code
	}
	return 0
}
