package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/cli"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	code := cli.Run(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errb.String()}
}

func oneLine(t *testing.T, r result) {
	t.Helper()
	if n := strings.Count(strings.TrimRight(r.stderr, "\n"), "\n"); n != 0 || r.stderr == "" {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
		t.Errorf("stderr shows a crash: %q", r.stderr)
	}
}

func TestHelpAndUsageErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"NoArgs", nil, 2, "Commands:", ""},
		{"Help", []string{"--help"}, 0, "serve", ""},
		{"HelpCommand", []string{"help", "serve"}, 0, "", "--demo"},
		{"ServeHelp", []string{"serve", "--help"}, 0, "", "KIOSQUE_DATABASE_URL"},
		{"MigrateHelp", []string{"migrate", "-h"}, 0, "", "--data"},
		{"UserHelp", []string{"user", "--help"}, 0, "", "reset-password"},
		{"BackupHelp", []string{"backup", "--help"}, 0, "", "--output"},
		{"ErrUnknownCommand", []string{"frobnicate"}, 2, "", "unknown command"},
		{"ErrUnknownFlag", []string{"migrate", "--nope"}, 2, "", "flag provided but not defined"},
		{"ErrExtraArgument", []string{"migrate", "extra"}, 2, "", "unexpected argument"},
		{"ErrUserNoSubcommand", []string{"user"}, 2, "", "want a subcommand"},
		{"ErrUserCreateMissing", []string{"user", "create", "--data", "x"}, 2, "", "--email and --name are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.inStdout) || !strings.Contains(r.stderr, tt.inStderr) {
				t.Errorf("stdout %q / stderr %q; want %q / %q", r.stdout, r.stderr, tt.inStdout, tt.inStderr)
			}
		})
	}
}

func TestDatabaseErrorsAreOneLine(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "kiosque.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 100), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ErrNotADatabase", []string{"migrate", "--data", filepath.Dir(garbage)}, "open database"},
		{"ErrUnreachablePostgres", []string{"migrate", "--database-url", "postgres://nobody:secret@127.0.0.1:1/x?connect_timeout=2"}, "connect to postgres"},
		{"ErrNotPostgresURL", []string{"migrate", "--database-url", "mysql://x"}, "postgres://"},
		{"ErrBadAddr", []string{"serve", "--addr", "nope", "--data", t.TempDir()}, "addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", tt.args...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
			}
			oneLine(t, r)
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, "secret") {
				t.Errorf("stderr shows the password: %q", r.stderr)
			}
		})
	}
}

func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	r := run(t, nil, "a very long password\n", "user", "create", "--data", data, "--email", "Redac@Example.org", "--name", "Rédaction", "--role", "admin", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "created Rédaction <redac@example.org>, role admin") || strings.Contains(r.stdout, "password:") {
		t.Fatalf("create: %+v", r)
	}
	r = run(t, nil, "", "user", "create", "--data", data, "--email", "redac@example.org", "--name", "Bis", "--role", "editor")
	if r.code != 1 || !strings.Contains(r.stderr, "An account already uses this address.") {
		t.Errorf("duplicate: %+v", r)
	}
	oneLine(t, r)
	r = run(t, nil, "short\n", "user", "create", "--data", data, "--email", "x@example.org", "--name", "X", "--password-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "at least 12 characters") {
		t.Errorf("short password: %+v", r)
	}
	r = run(t, nil, "", "user", "create", "--data", data, "--email", "y@example.org", "--name", "Y", "--role", "editor")
	if r.code != 0 || !regexp.MustCompile(`password: \S{20}  \(shown once\)`).MatchString(r.stdout) {
		t.Errorf("generated password: %+v", r)
	}
	r = run(t, nil, "", "user", "list", "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, "redac@example.org") || !strings.Contains(r.stdout, "y@example.org") {
		t.Errorf("list: %+v", r)
	}
	r = run(t, nil, "", "user", "reset-password", "--data", data, "--email", "REDAC@example.org")
	if r.code != 0 || !strings.Contains(r.stdout, "password:") {
		t.Errorf("reset: %+v", r)
	}
	r = run(t, nil, "", "user", "reset-password", "--data", data, "--email", "ghost@example.org")
	if r.code != 1 {
		t.Errorf("reset unknown: %+v", r)
	}
}

func TestMigrateBackupAndConfig(t *testing.T) {
	data := t.TempDir()
	r := run(t, nil, "", "migrate", "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	r = run(t, map[string]string{"KIOSQUE_DATA": data}, "", "backup", "--output", out)
	if r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
	env := map[string]string{"KIOSQUE_DATABASE_URL": "postgres://u:hunter2@db/k", "KIOSQUE_ADDR": "0.0.0.0:9000"}
	r = run(t, env, "", "config", "dump", "--addr", "127.0.0.1:9999")
	if r.code != 0 || strings.Contains(r.stdout, "hunter2") || !strings.Contains(r.stdout, `database_url = "********"`) || !strings.Contains(r.stdout, `addr = "127.0.0.1:9999"`) {
		t.Errorf("config dump: %+v", r)
	}
	secret := filepath.Join(t.TempDir(), "url")
	if err := os.WriteFile(secret, []byte("postgres://from-file/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "kiosque.toml")
	if err := os.WriteFile(cfgFile, []byte("addr = \"127.0.0.1:7000\"\nworkers = 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, map[string]string{"KIOSQUE_DATABASE_URL_FILE": secret}, "", "config", "dump", "--config", cfgFile)
	if r.code != 0 || !strings.Contains(r.stdout, `addr = "127.0.0.1:7000"`) || !strings.Contains(r.stdout, `workers = "2"`) || !strings.Contains(r.stdout, `database_url = "********"`) {
		t.Errorf("config file and _FILE secret: %+v", r)
	}
	if err := os.WriteFile(cfgFile, []byte("adress = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "", "config", "dump", "--config", cfgFile)
	if r.code != 1 || !strings.Contains(r.stderr, `unknown option "adress"`) {
		t.Errorf("typo in config file: %+v", r)
	}
}

func TestServeDemo(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", data}, cli.Env{
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		})
	}()
	addr := regexp.MustCompile(`on http://(127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %q %q", out.String(), errb.String())
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %q", code, errb.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	m := addr.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "Administrator: admin@le-veilleur.example  password: ") ||
		!strings.Contains(out.String(), ", 3 social accounts.") {
		t.Fatalf("output: %q", out.String())
	}
	resp, err := http.Get("http://" + m[1] + "/2016/12/11/l-etat-islamique-reprend-palmyre/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Palmyre") {
		t.Errorf("article: %d", resp.StatusCode)
	}

	// A second server on the same data directory stops with a clear message.
	r := run(t, nil, "", "serve", "--addr", "127.0.0.1:0", "--data", data)
	if r.code != 1 || !strings.Contains(r.stderr, "already serving") {
		t.Errorf("second serve: %+v", r)
	}
	oneLine(t, r)

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %q", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	// Started again, the demo is not seeded twice.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var out2 syncBuffer
	go func() {
		done <- cli.Run(ctx2, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", data}, cli.Env{
			Stdin: strings.NewReader(""), Stdout: &out2, Stderr: io.Discard, Getenv: func(string) string { return "" },
		})
	}()
	for !strings.Contains(out2.String(), "Press Ctrl-C") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel2()
	<-done
	if !strings.Contains(out2.String(), "already holds data") {
		t.Errorf("restart output: %q", out2.String())
	}
}
