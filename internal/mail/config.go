package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"strings"
	"time"
)

// DefaultTimeout bounds connecting to the server, and then sending one
// message, when Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// TLSMode says how the connection to the SMTP server is encrypted.
type TLSMode int

// The TLS modes.
const (
	// TLSStartTLS connects in clear text (usually port 587) and requires the
	// server to switch to TLS with STARTTLS before anything else is sent.
	TLSStartTLS TLSMode = iota
	// TLSImplicit speaks TLS from the first byte (usually port 465).
	TLSImplicit
	// TLSNone never encrypts: for relays on the same host and for tests only.
	TLSNone
)

// ParseTLSMode reads a TLS mode from configuration: "starttls", "tls" (or
// "implicit") or "none", in any case.
func ParseTLSMode(s string) (TLSMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "starttls":
		return TLSStartTLS, nil
	case "tls", "implicit":
		return TLSImplicit, nil
	case "none":
		return TLSNone, nil
	}
	return 0, fmt.Errorf("parse tls mode %q: want starttls, tls or none", s)
}

// String returns the mode's configuration name, as ParseTLSMode reads it.
func (t TLSMode) String() string {
	switch t {
	case TLSStartTLS:
		return "starttls"
	case TLSImplicit:
		return "tls"
	case TLSNone:
		return "none"
	}
	return fmt.Sprintf("TLSMode(%d)", int(t))
}

// MarshalText returns the mode's configuration name.
func (t TLSMode) MarshalText() ([]byte, error) {
	if t < TLSStartTLS || t > TLSNone {
		return nil, fmt.Errorf("marshal tls mode: unknown mode %d", int(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads a mode as ParseTLSMode does, so configuration files can
// hold it as text.
func (t *TLSMode) UnmarshalText(b []byte) error {
	m, err := ParseTLSMode(string(b))
	if err != nil {
		return err
	}
	*t = m
	return nil
}

// Config says how to reach the SMTP server; it is deploy-time configuration.
type Config struct {
	// Host is the server's name, e.g. "smtp.example.org"; it is also the
	// name its certificate is checked against.
	Host string
	// Port is the server's port, e.g. 587 with STARTTLS or 465 with TLS.
	Port int
	// Username and Password authenticate with AUTH; both empty means no AUTH.
	Username string
	Password string
	// From is the sender, with an optional display name:
	// "Le Veilleur <redaction@le-veilleur.example>".
	From string
	// TLS is the encryption mode; the zero value requires STARTTLS.
	TLS TLSMode
	// Timeout bounds connecting to the server, and then sending one message;
	// zero means DefaultTimeout. A shorter context deadline wins.
	Timeout time.Duration
	// HelloName is the name sent with EHLO; empty means the host name.
	HelloName string
	// InsecureSkipVerify accepts any server certificate: for tests only.
	InsecureSkipVerify bool
}

// LogValue lets c be logged with slog without its password.
func (c Config) LogValue() slog.Value {
	password := ""
	if c.Password != "" {
		password = "********"
	}
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("username", c.Username),
		slog.String("password", password),
		slog.String("from", c.From),
		slog.String("tls", c.TLS.String()),
		slog.Duration("timeout", c.Timeout),
		slog.String("hello_name", c.HelloName),
		slog.Bool("insecure_skip_verify", c.InsecureSkipVerify),
	)
}

// validate checks c and returns the parsed From address.
func (c Config) validate() (*mail.Address, error) {
	if c.Host == "" {
		return nil, errors.New("no host")
	}
	if strings.ContainsAny(c.Host, " \t\r\n/") {
		return nil, fmt.Errorf("host %q: want a host name or an IP address", c.Host)
	}
	if c.Port < 1 || c.Port > 65535 {
		return nil, fmt.Errorf("port %d: want 1 to 65535", c.Port)
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", c.From, err)
	}
	if c.TLS < TLSStartTLS || c.TLS > TLSNone {
		return nil, fmt.Errorf("tls mode %d: unknown", int(c.TLS))
	}
	if c.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s: want zero (default) or more", c.Timeout)
	}
	if (c.Username == "") != (c.Password == "") {
		return nil, errors.New("username and password: set both or neither")
	}
	if c.Username != "" && c.TLS == TLSNone && !isLoopback(c.Host) {
		return nil, fmt.Errorf("credentials would cross the network in clear text to %q: use starttls or tls", c.Host)
	}
	if err := validateHeaderValue(c.HelloName); err != nil || strings.ContainsAny(c.HelloName, " \t") {
		return nil, fmt.Errorf("hello name %q: want a host name", c.HelloName)
	}
	return from, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
