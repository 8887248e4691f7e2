// Package mailtest runs a real SMTP server on loopback for tests that
// check what kiosque emails: the message goes through the same SMTP
// conversation as in production, and the test reads what arrived.
package mailtest

import (
	"bytes"
	"io"
	"log"
	"mime"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one email the server accepted.
type Message struct {
	From string
	To   []string
	// Header and Body are the parsed message; Raw is it as sent.
	Header mail.Header
	Body   string
	Raw    []byte
}

// Server is an SMTP server on 127.0.0.1 that accepts every message,
// unless told to fail the next ones.
type Server struct {
	// URL is the server's address as kiosque's --smtp-url reads it.
	URL string

	mu       sync.Mutex
	messages []Message
	fail     int
	arrived  chan struct{}
}

// New starts a server, closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{arrived: make(chan struct{}, 1)}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.URL = "smtp://" + l.Addr().String() + "?tls=none"
	go func() { _ = srv.Serve(l) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return s
}

// FailNext makes the next n messages fail with a temporary error (451),
// as a busy server does, to test retries.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.fail = n
	s.mu.Unlock()
}

// Messages returns what arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until a message matching ok arrives, and returns it; it
// fails the test after timeout.
func (s *Server) WaitFor(tb testing.TB, timeout time.Duration, ok func(Message) bool) Message {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		for _, m := range s.Messages() {
			if ok(m) {
				return m
			}
		}
		select {
		case <-s.arrived:
		case <-deadline:
			var subjects []string
			for _, m := range s.Messages() {
				subjects = append(subjects, strconv.Quote(m.Subject()))
			}
			tb.Fatalf("no matching email within %s; received: %s", timeout, strings.Join(subjects, ", "))
		}
	}
}

// Subject returns the message's decoded subject.
func (m Message) Subject() string {
	d := new(mime.WordDecoder)
	s, err := d.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error { ss.from = from; return nil }

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail > 0 {
		s.fail--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Malformed message"}
	}
	body, err := decodeBody(msg)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Malformed body"}
	}
	s.messages = append(s.messages, Message{From: ss.from, To: ss.to, Header: msg.Header, Body: body, Raw: raw})
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
