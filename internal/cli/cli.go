// Package cli is kiosque's command line: one file per subcommand, each with
// its own flags, all errors reported as one line on stderr with a non-zero
// exit status.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/config"
)

// Env is what a command may touch of the outside world, so tests can run
// commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the site (add --demo for a demo newsroom)", runServe},
		{"migrate", "create or update the database schema, then exit", runMigrate},
		{"user", "manage staff accounts: create, list, reset-password", runUser},
		{"import", "import the bookshop's catalogue (onix|csv FILE) or a WordPress site (wordpress EXPORT.xml)", runImport},
		{"backup", "write a consistent copy of the database", runBackup},
		{"config", "show the effective configuration (config dump)", runConfig},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks errors caused by how the command was called (exit 2).
var errUsage = errors.New("usage")

// Run runs the command named by args[0] and returns the process exit
// status: 0 on success, 1 on failure, 2 on a usage error.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return Run(ctx, []string{args[1], "--help"}, env)
		}
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(env.Stderr, "kiosque %s: %s\n", c.name, oneLine(strings.TrimPrefix(err.Error(), "usage: ")))
			return 2
		default:
			fmt.Fprintf(env.Stderr, "kiosque %s: %s\n", c.name, oneLine(describe(err)))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "kiosque: unknown command %q; run 'kiosque --help' for the list\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `kiosque runs a reader-funded newsroom's website from one binary.

Usage:
  kiosque <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command that touches the database takes --data DIR (the embedded
SQLite database, default ./kiosque-data) or --database-url postgres://...,
and the same settings as KIOSQUE_* environment variables or in a TOML file
given with --config. Run 'kiosque <command> --help' for its flags.
`)
}

// describe returns what to tell a person about err: kiosque's own errors
// carry their detail; everything is kept to one line.
func describe(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Err == nil && ae.Key != "" {
		return err.Error()
	}
	return err.Error()
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// newFlags returns a flag set that reports errors instead of exiting and
// prints its usage with the command's description.
func newFlags(env Env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: kiosque %s\n\n%s\n\nFlags:\n", synopsis, description)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and loads the configuration of the given scopes.
func parse(fs *flag.FlagSet, env Env, args []string, scopes ...string) (config.Config, error) {
	loader := config.NewLoader(fs, env.Getenv, scopes...)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config.Config{}, err
		}
		return config.Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return config.Config{}, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	cfg, err := loader.Load()
	if err != nil {
		return config.Config{}, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// withApp opens and migrates the database cfg names, runs fn, and closes
// it: the frame of every command that is not serve.
func withApp(ctx context.Context, env Env, cfg config.Config, fn func(a *app.App) error) error {
	a, err := app.New(ctx, cfg, app.Options{Logger: newLogger(cfg, env.Stderr)})
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	return fn(a)
}

// newLogger returns the logger the configuration asks for, on stderr.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
