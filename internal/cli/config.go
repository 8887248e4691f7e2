package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/kiosque/kiosque/internal/config"
)

func runConfig(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "dump" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stderr, "Usage: kiosque config dump [flags]\n\nPrints the effective configuration (file, environment and flags merged), secrets masked.")
			return nil
		}
		return fmt.Errorf("%w: want 'kiosque config dump'", errUsage)
	}
	fs := newFlags(env, "config dump", "config dump [flags]", "Prints the effective configuration, secrets masked.")
	cfg, err := parse(fs, env, args[1:], "db", "serve")
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, config.Dump(cfg))
	return nil
}

func runVersion(_ context.Context, env Env, _ []string) error {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		v = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(env.Stdout, "kiosque %s\n", v)
	return nil
}

func mkdirFor(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	return nil
}
