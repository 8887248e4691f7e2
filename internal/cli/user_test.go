package cli_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// openData opens the kiosque of a data directory the way a command does,
// for fn to look inside between commands.
func openData(t *testing.T, data string, fn func(a *app.App)) {
	t.Helper()
	cfg := config.Default()
	cfg.Data = data
	a, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.Close() }()
	fn(a)
}

func TestUserCommandsAccounts(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	r := run(t, nil, "a very long password\n", "user", "create", "--data", data, "--email", "chef@example.org", "--name", "Chef",
		"--role", "Admin", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "role admin") {
		t.Fatalf("create with a capitalised role: %+v", r)
	}

	// Ten wrong passwords lock the account; a reset from the command line
	// lifts the lock, so an admin locked out can get back in.
	openData(t, data, func(a *app.App) {
		for range users.MaxFailures {
			_, _, _ = a.Users.Login(ctx, "chef@example.org", "wrong wrong wrong", "192.0.2.1", "")
		}
		if _, _, err := a.Users.Login(ctx, "chef@example.org", "a very long password", "192.0.2.2", ""); !apperr.Is(err, apperr.Throttled) {
			t.Fatalf("not locked: %v", err)
		}
	})
	r = run(t, nil, "another long password\n", "user", "reset-password", "--data", data, "--email", "chef@example.org", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "password of chef@example.org changed") || strings.Contains(r.stdout, "password:") {
		t.Fatalf("reset: %+v", r)
	}
	openData(t, data, func(a *app.App) {
		if _, _, err := a.Users.Login(ctx, "chef@example.org", "another long password", "192.0.2.2", ""); err != nil {
			t.Errorf("login after the reset: %v", err)
		}
		entries, err := storage.NewAuditStore(a.DB).AuditEntries(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.UserName == "kiosque" {
				actions = append(actions, e.Action)
			}
		}
		if strings.Join(actions, " ") != users.ActionUserPassword+" "+audit.ActionUserCreate {
			t.Errorf("command line actions recorded: %v", actions)
		}
	})

	r = run(t, nil, "", "user", "list", "--data", data)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID EMAIL NAME ROLE STATUS 2FA CREATED LAST LOGIN" {
		t.Fatalf("list: %+v", r)
	}
	if f := strings.Fields(lines[1]); len(f) < 7 || f[1] != "chef@example.org" || f[3] != "admin" || f[4] != "active" || f[5] != "off" {
		t.Errorf("list row: %q", lines[1])
	}

	for _, tt := range []struct {
		name   string
		stdin  string
		args   []string
		stderr string
	}{
		{"ErrUnknownAccount", "", []string{"user", "reset-password", "--data", data, "--email", "ghost@example.org"}, "No account uses this address."},
		{"ErrBadRole", "", []string{"user", "create", "--data", data, "--email", "x@example.org", "--name", "X", "--role", "owner"}, "This role does not exist."},
		{"ErrNoPassword", "", []string{"user", "create", "--data", data, "--email", "x@example.org", "--name", "X", "--password-stdin"}, "no password on standard input"},
		{"ErrShortReset", "short\n", []string{"user", "reset-password", "--data", data, "--email", "chef@example.org", "--password-stdin"}, "at least 12 characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, tt.stdin, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("got %+v, want exit 1 and %q", r, tt.stderr)
			}
			oneLine(t, r)
		})
	}
}
