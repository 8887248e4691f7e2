package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// serverOptions tell a testServer how to behave.
type serverOptions struct {
	// Username and Password, when set, make the server require AUTH PLAIN.
	Username, Password string
	// Reject maps a recipient address to the reply code refusing it.
	Reject map[string]int
	// DataCode, when set, is the reply code refusing the message after DATA.
	DataCode int
	// TLS, when set, offers STARTTLS with this certificate (or, with
	// Implicit, speaks TLS from the start).
	TLS      *tls.Certificate
	Implicit bool
}

// received is one message the test server accepted.
type received struct {
	From   string
	To     []string
	Data   []byte
	TLS    bool   // the session was encrypted
	AuthAs string // the user name the session authenticated as
}

// testServer is a real SMTP server on 127.0.0.1 built with go-smtp, which
// records what it accepts and refuses what serverOptions say.
type testServer struct {
	Addr string
	Port int
	opts serverOptions

	mu       sync.Mutex
	accepted []received
	rcpts    []string // every RCPT TO, accepted or refused
}

func newTestServer(t *testing.T, opts serverOptions) *testServer {
	t.Helper()
	ts := &testServer{opts: opts}
	srv := smtp.NewServer(ts)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	// AUTH is offered before STARTTLS only when the test means it to be.
	srv.AllowInsecureAuth = opts.TLS == nil

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.TLS != nil {
		tlsConfig := &tls.Config{Certificates: []tls.Certificate{*opts.TLS}, MinVersion: tls.VersionTLS12}
		if opts.Implicit {
			l = tls.NewListener(l, tlsConfig)
		} else {
			srv.TLSConfig = tlsConfig
		}
	}
	addr := l.Addr().(*net.TCPAddr)
	ts.Addr, ts.Port = addr.IP.String(), addr.Port
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ts
}

// Accepted returns the messages accepted so far.
func (ts *testServer) Accepted() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.accepted...)
}

// Rcpts returns every RCPT TO address seen so far.
func (ts *testServer) Rcpts() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.rcpts...)
}

// NewSession implements smtp.Backend.
func (ts *testServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &testSession{server: ts, conn: c}, nil
}

type testSession struct {
	server *testServer
	conn   *smtp.Conn
	authAs string
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string {
	if s.server.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.server.opts.Username || password != s.server.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Invalid credentials"}
		}
		s.authAs = username
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.opts.Username != "" && s.authAs == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.server.mu.Lock()
	s.server.rcpts = append(s.server.rcpts, to)
	s.server.mu.Unlock()
	if code, ok := s.server.opts.Reject[to]; ok {
		return replyError(code)
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if code := s.server.opts.DataCode; code != 0 {
		return replyError(code)
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	s.server.accepted = append(s.server.accepted, received{
		From: s.from, To: s.to, Data: data, TLS: isTLS, AuthAs: s.authAs,
	})
	return nil
}

func (s *testSession) Reset() { s.from, s.to = "", nil }

func (s *testSession) Logout() error { return nil }

func replyError(code int) *smtp.SMTPError {
	msg := map[int]string{
		450: "Mailbox busy, try again later",
		451: "Local error in processing, try again later",
		550: "No such user here",
		552: "Message too large",
		554: "Message refused as spam",
	}[code]
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: msg}
}

// newSilentServer accepts connections on 127.0.0.1 and never says a word,
// like a firewall that swallows packets after the handshake.
func newSilentServer(t *testing.T) (host string, port int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	addr := l.Addr().(*net.TCPAddr)
	return addr.IP.String(), addr.Port
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// selfSignedCert returns a certificate for 127.0.0.1 and localhost, signed
// by its own ECDSA key.
func selfSignedCert(t *testing.T) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "kiosque test SMTP"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// isASCII reports whether b is 7-bit, as an encoded message must be.
func isASCII(b []byte) bool {
	return !bytes.ContainsFunc(b, func(r rune) bool { return r > 127 })
}
