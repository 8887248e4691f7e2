package config

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// option describes one setting: its names in each source, its help text,
// and how to read and show it. The table below is the single place an
// option is declared.
type option struct {
	name   string // flag and TOML key
	usage  string
	secret bool
	// scope says which commands take it: "db" options are taken by every
	// command that touches the database, "serve" only by serve.
	scope string
	set   func(c *Config, v string) error
	get   func(c *Config) string
}

// Env returns the environment variable of the option.
func (o option) env() string {
	return "KIOSQUE_" + strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
}

// smtpUsage shows the shape of the mail server URL.
//
//nolint:gosec // an example URL, not a credential
const smtpUsage = "mail server, smtp://user:password@host:587 (STARTTLS) or smtps://…:465; empty: emails go to the log"

func options() []option {
	return []option{
		{name: "data", scope: "db", usage: "directory for the embedded database, media and lock file",
			set: func(c *Config, v string) error { c.Data = v; return nil }, get: func(c *Config) string { return c.Data }},
		{name: "database-url", scope: "db", secret: true, usage: //nolint:gosec // the usage text shows the URL's shape, not a credential
		"postgres://user:pass@host/db to use PostgreSQL instead of the embedded SQLite database",
			set: func(c *Config, v string) error { c.DatabaseURL = v; return nil }, get: func(c *Config) string { return c.DatabaseURL }},
		{name: "log-level", scope: "db", usage: "debug, info, warn or error",
			set: func(c *Config, v string) error { c.LogLevel = v; return nil }, get: func(c *Config) string { return c.LogLevel }},
		{name: "log-format", scope: "db", usage: "text or json",
			set: func(c *Config, v string) error { c.LogFormat = v; return nil }, get: func(c *Config) string { return c.LogFormat }},
		{name: "addr", scope: "serve", usage: "host:port to listen on",
			set: func(c *Config, v string) error { c.Addr = v; return nil }, get: func(c *Config) string { return c.Addr }},
		{name: "base-url", scope: "serve", usage: "public address of the site, e.g. https://example.org (default: from addr)",
			set: func(c *Config, v string) error { c.BaseURL = v; return nil }, get: func(c *Config) string { return c.BaseURL }},
		{name: "access-log", scope: "serve", usage: "log every request (true or false)",
			set: boolSetter(func(c *Config) *bool { return &c.AccessLog }), get: func(c *Config) string { return strconv.FormatBool(c.AccessLog) }},
		{name: "page-cache", scope: "serve", usage: "keep rendered public pages in memory (true or false)",
			set: boolSetter(func(c *Config) *bool { return &c.PageCache }), get: func(c *Config) string { return strconv.FormatBool(c.PageCache) }},
		{name: "page-cache-mb", scope: "serve", usage: "memory bound of the page cache, in MB",
			set: intSetter(func(c *Config) *int { return &c.PageCacheMB }), get: func(c *Config) string { return strconv.Itoa(c.PageCacheMB) }},
		{name: "workers", scope: "serve", usage: "background jobs run at once",
			set: intSetter(func(c *Config) *int { return &c.Workers }), get: func(c *Config) string { return strconv.Itoa(c.Workers) }},
		{name: "shutdown-timeout", scope: "serve", usage: "time given to in-flight requests and jobs at shutdown, e.g. 20s",
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil {
					return fmt.Errorf("want a duration such as 20s")
				}
				c.ShutdownTimeout = d
				return nil
			}, get: func(c *Config) string { return c.ShutdownTimeout.String() }},
		{name: "smtp-url", scope: "db", secret: true, usage: smtpUsage,
			set: func(c *Config, v string) error { c.SMTPURL = v; return nil }, get: func(c *Config) string { return c.SMTPURL }},
		{name: "mail-from", scope: "db", usage: "sender of the site's emails, e.g. \"Le Veilleur <redaction@example.org>\"",
			set: func(c *Config, v string) error { c.MailFrom = v; return nil }, get: func(c *Config) string { return c.MailFrom }},
		{name: "akismet-key", scope: "serve", secret: true, usage: "API key of an Akismet-compatible spam service (optional: comments are defended without it)",
			set: func(c *Config, v string) error { c.AkismetKey = v; return nil }, get: func(c *Config) string { return c.AkismetKey }},
		{name: "akismet-endpoint", scope: "serve", usage: "API of an Akismet-compatible service (default: Akismet's)",
			set: func(c *Config, v string) error { c.AkismetEndpoint = v; return nil }, get: func(c *Config) string { return c.AkismetEndpoint }},
		{name: "stripe-secret-key", scope: "serve", secret: true, usage: "Stripe secret key (sk_…): online gifts through Stripe Checkout",
			set: func(c *Config, v string) error { c.StripeSecretKey = v; return nil }, get: func(c *Config) string { return c.StripeSecretKey }},
		{name: "stripe-webhook-secret", scope: "serve", secret: true, usage: "signing secret of the Stripe webhook endpoint /webhooks/stripe (whsec_…)",
			set: func(c *Config, v string) error { c.StripeWebhookSecret = v; return nil }, get: func(c *Config) string { return c.StripeWebhookSecret }},
		{name: "stripe-api-url", scope: "serve", usage: "Stripe's API (default: Stripe's own; stripe-mock in tests)",
			set: func(c *Config, v string) error { c.StripeAPIURL = v; return nil }, get: func(c *Config) string { return c.StripeAPIURL }},
		{name: "trusted-proxies", scope: "serve", usage: "reverse proxies whose X-Forwarded-For names the client (addresses or CIDR blocks, comma-separated)",
			set: func(c *Config, v string) error { c.TrustedProxies = v; return nil }, get: func(c *Config) string { return c.TrustedProxies }},
		{name: "allow-private-networks", scope: "serve", usage: "let calls to social networks and fediverse servers reach loopback and private addresses (true or false; for tests)",
			set: boolSetter(func(c *Config) *bool { return &c.AllowPrivateNetworks }), get: func(c *Config) string { return strconv.FormatBool(c.AllowPrivateNetworks) }},
		{name: "secret-key", scope: "db", secret: true, usage: "key encrypting the social accounts' tokens in the database, 32 bytes in base64 (default: made once as secret.key in the data directory)",
			set: func(c *Config, v string) error { c.SecretKey = v; return nil }, get: func(c *Config) string { return c.SecretKey }},
		{name: "metrics-token", scope: "serve", secret: true, usage: "bearer token required on /metrics (default: loopback clients only)",
			set: func(c *Config, v string) error { c.MetricsToken = v; return nil }, get: func(c *Config) string { return c.MetricsToken }},
	}
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		*field(c) = b
		return nil
	}
}

func intSetter(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		*field(c) = n
		return nil
	}
}

// Loader reads a Config from a TOML file, the environment and flags.
type Loader struct {
	cfg     Config
	file    string
	scopes  map[string]bool
	flagSet map[string]string
	getenv  func(string) string
	readF   func(string) ([]byte, error)
}

// NewLoader registers the options of the given scopes ("db", "serve") as
// flags of fs, plus --config, and returns a Loader to call after fs.Parse.
func NewLoader(fs *flag.FlagSet, getenv func(string) string, scopes ...string) *Loader {
	l := &Loader{cfg: Default(), scopes: map[string]bool{}, flagSet: map[string]string{}, getenv: getenv, readF: os.ReadFile}
	for _, s := range scopes {
		l.scopes[s] = true
	}
	fs.StringVar(&l.file, "config", "", "TOML configuration file (env KIOSQUE_CONFIG)")
	def := Default()
	for _, o := range options() {
		if !l.scopes[o.scope] {
			continue
		}
		o := o
		usage := o.usage + " (env " + o.env() + ")"
		if d := o.get(&def); d != "" && !o.secret {
			usage += " (default " + d + ")"
		}
		fs.Func(o.name, usage, func(v string) error {
			if err := o.set(&Config{}, v); err != nil {
				return err
			}
			l.flagSet[o.name] = v
			return nil
		})
	}
	return l
}

// Load returns the configuration: defaults, then the TOML file, then the
// environment (NAME, or NAME_FILE holding the value, for secrets), then
// flags; and validates it.
func (l *Loader) Load() (Config, error) {
	c := l.cfg
	file := l.file
	if file == "" {
		file = l.getenv("KIOSQUE_CONFIG")
	}
	if file != "" {
		if err := l.loadFile(&c, file); err != nil {
			return Config{}, err
		}
	}
	for _, o := range options() {
		if !l.scopes[o.scope] {
			continue
		}
		v, ok, err := l.fromEnv(o)
		if err != nil {
			return Config{}, err
		}
		if ok {
			if err := o.set(&c, v); err != nil {
				return Config{}, fmt.Errorf("%s: %w", o.env(), err)
			}
		}
		if v, ok := l.flagSet[o.name]; ok {
			if err := o.set(&c, v); err != nil {
				return Config{}, fmt.Errorf("--%s: %w", o.name, err)
			}
		}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (l *Loader) fromEnv(o option) (string, bool, error) {
	if v := l.getenv(o.env()); v != "" {
		return v, true, nil
	}
	if o.secret {
		if path := l.getenv(o.env() + "_FILE"); path != "" {
			b, err := l.readF(path)
			if err != nil {
				return "", false, fmt.Errorf("%s_FILE: %w", o.env(), err)
			}
			return strings.TrimSpace(string(b)), true, nil
		}
	}
	return "", false, nil
}

func (l *Loader) loadFile(c *Config, path string) error {
	b, err := l.readF(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	known := map[string]option{}
	for _, o := range options() {
		known[o.name] = o
		known[strings.ReplaceAll(o.name, "-", "_")] = o
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o, ok := known[k]
		if !ok {
			return fmt.Errorf("config file %s: unknown option %q", path, k)
		}
		if err := o.set(c, fmt.Sprint(raw[k])); err != nil {
			return fmt.Errorf("config file %s: %s: %w", path, k, err)
		}
	}
	return nil
}

// Dump returns the configuration as TOML lines, secrets masked, for
// `kiosque config dump`.
func Dump(c Config) string {
	var b strings.Builder
	for _, o := range options() {
		v := o.get(&c)
		if o.secret && v != "" {
			v = "********"
		}
		fmt.Fprintf(&b, "%s = %q  # env %s\n", strings.ReplaceAll(o.name, "-", "_"), v, o.env())
	}
	return b.String()
}
