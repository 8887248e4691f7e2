package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"time"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/demo"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve", "serve [--demo] [--addr HOST:PORT] [--data DIR | --database-url URL] [--base-url URL]",
		"Runs the public site, the content API and the background jobs until interrupted (Ctrl-C or SIGTERM),\n"+
			"then lets in-flight requests finish. The database is created and migrated on first run.\n"+
			"--demo seeds an empty database with a demo newsroom and prints how to log in.")
	demoFlag := fs.Bool("demo", false, "seed an empty database with the demo newsroom « Le Veilleur » (env KIOSQUE_DEMO)")
	cfg, err := parse(fs, env, args, "db", "serve")
	if err != nil {
		return err
	}
	if env.Getenv("KIOSQUE_DEMO") == "true" || env.Getenv("KIOSQUE_DEMO") == "1" {
		*demoFlag = true
	}
	log := newLogger(cfg, env.Stderr)
	tuneGC(env)
	a, err := app.New(ctx, cfg, app.Options{Logger: log, Serve: true})
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	where := "SQLite " + cfg.DatabaseDSN()
	if cfg.DatabaseURL != "" {
		where = "PostgreSQL"
	}
	fmt.Fprintf(env.Stdout, "kiosque is serving %s on http://%s (%s)\n", cfg.PublicBaseURL(), ln.Addr(), where)
	if *demoFlag {
		if err := seedDemo(ctx, env, a, cfg.PublicBaseURL()); err != nil {
			_ = ln.Close()
			return err
		}
	} else if list, err := a.Users.List(ctx); err == nil && len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No account yet: create the first administrator with\n  kiosque user create --email you@example.org --name \"Your Name\" --role admin\nthen log in at "+cfg.PublicBaseURL()+"/admin/")
	}
	fmt.Fprintln(env.Stdout, "Press Ctrl-C to stop.")
	return a.Serve(ctx, ln)
}

// tuneGC sets the collector for a server whose live heap is a few
// megabytes: at the default GOGC=100 it collects many times a second under
// load, and GOGC=200 cut the CPU of uncached pages by about a tenth
// (bench/article.sh). The soft memory limit keeps the total bounded.
// GOGC and GOMEMLIMIT in the environment win.
func tuneGC(env Env) {
	if env.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if env.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
}

func seedDemo(ctx context.Context, env Env, a *app.App, base string) error {
	res, err := demo.Seed(ctx, demo.Services{Content: a.Content, Users: a.Users, Settings: a.Settings, Comments: a.Comments, Redirects: a.Redirects, Federation: a.Federation, Donations: a.Donations, Shop: a.Shop,
		Syndication: a.Syndication, BaseURL: a.Config.PublicBaseURL(), GiftHistory: true})
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintln(env.Stdout, "Demo: the database already holds data, nothing was added. Forgot the password? kiosque user reset-password --email admin@le-veilleur.example")
		return nil
	}
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Demo newsroom « Le Veilleur » created: %d articles, %d comments, %d gifts to its campaign, %d books, %d social accounts.\n",
		res.Articles, res.Comments, res.Gifts, res.Books, res.SocialAccounts)
	fmt.Fprintf(env.Stdout, "Back office: %s/admin/\n", base)
	fmt.Fprintf(env.Stdout, "Administrator: %s  password: %s  (shown once)\n", res.AdminEmail, res.AdminPassword)
	if !res.ScheduledAt.IsZero() {
		fmt.Fprintf(env.Stdout, "A scheduled article will appear on the home page at %s.\n", res.ScheduledAt.Local().Format(time.TimeOnly))
	}
	return nil
}
