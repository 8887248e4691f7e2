package config

import (
	"flag"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		err    string
	}{
		{"OKDefault", func(*Config) {}, ""},
		{"OKPostgres", func(c *Config) { c.DatabaseURL = "postgres://u@h/db" }, ""},
		{"ErrAddr", func(c *Config) { c.Addr = "8080" }, "addr"},
		{"ErrDatabaseURL", func(c *Config) { c.DatabaseURL = "mysql://x" }, "database-url"},
		{"ErrBaseURL", func(c *Config) { c.BaseURL = "example.org" }, "base-url"},
		{"ErrBaseURLQuery", func(c *Config) { c.BaseURL = "https://example.org/?a=b" }, "base-url"},
		{"ErrLogLevel", func(c *Config) { c.LogLevel = "loud" }, "log-level"},
		{"ErrCache", func(c *Config) { c.PageCacheMB = 0 }, "page-cache-mb"},
		{"ErrWorkers", func(c *Config) { c.Workers = 0 }, "workers"},
		{"ErrSeveral", func(c *Config) { c.Workers = 0; c.LogFormat = "xml" }, "log-format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.modify(&c)
			err := c.Validate()
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.err)
			}
		})
	}
}

func TestPrecedence(t *testing.T) {
	files := map[string]string{"k.toml": "addr = \"127.0.0.1:1\"\nlog_level = \"debug\"\n"}
	env := map[string]string{"KIOSQUE_ADDR": "127.0.0.1:2", "KIOSQUE_WORKERS": "7"}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	l := NewLoader(fs, func(k string) string { return env[k] }, "db", "serve")
	l.readF = func(p string) ([]byte, error) { return []byte(files[p]), nil }
	if err := fs.Parse([]string{"--config", "k.toml", "--workers", "3"}); err != nil {
		t.Fatal(err)
	}
	c, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:2" || c.LogLevel != "debug" || c.Workers != 3 {
		t.Errorf("addr %q (env wins over file), log level %q (file), workers %d (flag wins)", c.Addr, c.LogLevel, c.Workers)
	}
	if got := c.PublicBaseURL(); got != "http://127.0.0.1:2" {
		t.Errorf("PublicBaseURL = %q", got)
	}
	if c.DatabaseDSN() != "kiosque-data/kiosque.db" {
		t.Errorf("DatabaseDSN = %q", c.DatabaseDSN())
	}
}

func TestBadValues(t *testing.T) {
	for _, args := range [][]string{{"--workers", "many"}, {"--page-cache", "perhaps"}, {"--shutdown-timeout", "soon"}} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(new(strings.Builder))
		NewLoader(fs, func(string) string { return "" }, "db", "serve")
		if err := fs.Parse(args); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
