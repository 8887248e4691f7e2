package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/kiosque/kiosque/internal/app"
)

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "backup", "backup [--output FILE] [--data DIR | --database-url URL]",
		"Writes a consistent copy of the database while the site keeps running: a SQLite file\n"+
			"(restore by copying it to DATA/kiosque.db while kiosque is stopped), or with PostgreSQL\n"+
			"a pg_dump archive (restore with pg_restore).")
	output := fs.String("output", "", "file to write (default: DATA/backups/kiosque-YYYYMMDD-HHMMSS.db, or .dump for PostgreSQL)")
	cfg, err := parse(fs, env, args, "db")
	if err != nil {
		return err
	}
	path := *output
	if path == "" {
		ext := ".db"
		if cfg.DatabaseURL != "" {
			ext = ".dump"
		}
		path = filepath.Join(cfg.Data, "backups", "kiosque-"+time.Now().Format("20060102-150405")+ext)
	}
	if err := mkdirFor(path); err != nil {
		return err
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		if err := a.DB.Backup(ctx, path); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backup written to %s\n", path)
		return nil
	})
}
