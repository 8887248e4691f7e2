package cli

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/app"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate [--data DIR | --database-url URL]",
		"Creates the database if needed and applies every pending migration, then exits.\n"+
			"serve does the same at start; run migrate alone before starting several instances.")
	cfg, err := parse(fs, env, args, "db")
	if err != nil {
		return err
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		v, err := a.DB.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "database is up to date (schema version %d, %s)\n", v, a.DB.Dialect())
		return nil
	})
}
