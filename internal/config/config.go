// Package config is kiosque's deploy-time configuration: one typed struct
// with defaults, read from a TOML file, then KIOSQUE_* environment
// variables, then command-line flags, each later source winning. Settings
// that the newsroom edits live in the database (package site).
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything an operator decides when deploying kiosque.
type Config struct {
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// Data is the directory for the SQLite database, media and the lock file.
	Data string
	// DatabaseURL selects PostgreSQL when it is a postgres:// URL; empty means SQLite in Data.
	DatabaseURL string
	// BaseURL is the public address of the site, for canonical links, feeds and sitemaps.
	BaseURL string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is text or json.
	LogFormat string
	// AccessLog logs every request.
	AccessLog bool
	// PageCache keeps rendered public pages in memory.
	PageCache bool
	// PageCacheMB bounds the memory of the page cache.
	PageCacheMB int
	// Workers is the number of background jobs run at once.
	Workers int
	// ShutdownTimeout is how long in-flight requests and jobs get to finish.
	ShutdownTimeout time.Duration
	// AllowPrivateNetworks lets outbound calls (social networks, the
	// fediverse) reach loopback and private addresses: for tests, or
	// services on a private network on purpose. Off, an address typed in
	// the back office cannot reach the machine's own services.
	AllowPrivateNetworks bool
	// SecretKey encrypts the secrets kept in the database (social
	// networks' tokens): 32 random bytes in base64. Empty: a key made
	// once in the data directory (secret.key), which several instances
	// must then share.
	SecretKey string
	// MetricsToken, when set, is required as a bearer token on /metrics;
	// without it /metrics answers only direct loopback clients.
	MetricsToken string
	// SMTPURL is the mail server, smtp://user:pass@host:587 (STARTTLS) or
	// smtps://host:465; empty means emails are written to the log.
	SMTPURL string
	// MailFrom is the sender of the site's emails.
	MailFrom string
	// AkismetKey, when set, asks an Akismet-compatible service about each
	// new comment (one more opinion among the spam defences), and reports
	// the moderators' spam decisions to it.
	AkismetKey string
	// AkismetEndpoint is that service's API, Akismet's own when empty.
	AkismetEndpoint string
	// StripeSecretKey turns online gifts on: Stripe Checkout takes them.
	StripeSecretKey string
	// StripeWebhookSecret verifies the events Stripe posts to
	// /webhooks/stripe (whsec_…); required with StripeSecretKey.
	StripeWebhookSecret string
	// StripeAPIURL is Stripe's API, its own when empty (stripe-mock in
	// tests).
	StripeAPIURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (comma-separated addresses or CIDR blocks).
	TrustedProxies string
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		Data:            "kiosque-data",
		LogLevel:        "info",
		LogFormat:       "text",
		PageCache:       true,
		PageCacheMB:     64,
		Workers:         4,
		TrustedProxies:  "127.0.0.1,::1",
		ShutdownTimeout: 20 * time.Second,
	}
}

// DatabaseDSN returns what storage.Open takes: the PostgreSQL URL, or the
// path of the SQLite file in the data directory.
func (c *Config) DatabaseDSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.Data, "kiosque.db")
}

// MediaDir returns where uploaded images are stored. With several
// instances on PostgreSQL, it must be a directory they share.
func (c *Config) MediaDir() string { return filepath.Join(c.Data, "media") }

// PublicBaseURL returns BaseURL without a trailing slash, or one made from
// Addr when BaseURL is unset.
func (c *Config) PublicBaseURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Validate checks every option and reports all problems at once.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want host:port", c.Addr))
	}
	if c.DatabaseURL == "" && c.Data == "" {
		errs = append(errs, errors.New("data: a data directory is required with SQLite"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("database-url: want a postgres:// URL (leave it empty for the embedded SQLite database)"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("base-url %q: want an absolute http or https URL such as https://example.org", c.BaseURL))
		}
	}
	if (c.StripeSecretKey == "") != (c.StripeWebhookSecret == "") {
		errs = append(errs, errors.New("stripe-secret-key and stripe-webhook-secret: set both, or neither"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log-format %q: want text or json", c.LogFormat))
	}
	if c.PageCacheMB < 1 || c.PageCacheMB > 16384 {
		errs = append(errs, fmt.Errorf("page-cache-mb %d: want 1 to 16384", c.PageCacheMB))
	}
	if c.Workers < 1 || c.Workers > 1000 {
		errs = append(errs, fmt.Errorf("workers %d: want 1 to 1000", c.Workers))
	}
	if c.SMTPURL != "" {
		if _, err := c.SMTP(); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := c.Proxies(); err != nil {
		errs = append(errs, err)
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("shutdown-timeout: want a positive duration such as 20s"))
	}
	return errors.Join(errs...)
}

// Proxies returns TrustedProxies parsed: addresses and CIDR blocks,
// separated by commas.
func (c *Config) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(c.TrustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("trusted-proxies: %q is not an address or a CIDR block", part)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("trusted-proxies: %q is not an address or a CIDR block", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Secure reports whether the site is served over HTTPS (so HSTS applies).
func (c *Config) Secure() bool {
	return strings.HasPrefix(c.PublicBaseURL(), "https://")
}

// SMTP returns the mail server settings from SMTPURL.
func (c *Config) SMTP() (SMTPSettings, error) {
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return SMTPSettings{}, errors.New("smtp-url: want smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	s := SMTPSettings{Host: u.Hostname(), TLS: "starttls", From: c.MailFrom}
	if u.Scheme == "smtps" {
		s.TLS = "tls"
	}
	if t := u.Query().Get("tls"); t != "" {
		s.TLS = t
	}
	s.Port = 587
	if u.Scheme == "smtps" {
		s.Port = 465
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil {
			return SMTPSettings{}, errors.New("smtp-url: the port is not a number")
		}
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if s.From == "" {
		return SMTPSettings{}, errors.New("mail-from: required with smtp-url, e.g. \"Le Veilleur <redaction@example.org>\"")
	}
	return s, nil
}

// SMTPSettings are the parts of SMTPURL.
type SMTPSettings struct {
	Host               string
	Port               int
	Username, Password string
	From               string
	// TLS is "starttls", "tls" or "none".
	TLS string
}
