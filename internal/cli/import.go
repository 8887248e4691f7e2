package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/shop"
)

// importFormats are the catalogue formats `kiosque import` reads.
var importFormats = map[string]func(r io.Reader, now time.Time) (shop.BookSource, error){
	"onix": shop.ONIXSource,
	"csv":  shop.CSVSource,
}

func runImport(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return fmt.Errorf("%w: kiosque import onix|csv|wordpress FILE [--dry-run]", errUsage)
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.Stdout, "usage: kiosque import onix FILE [--dry-run]\n       kiosque import csv FILE [--dry-run]\n       kiosque "+wordpressSynopsis)
		return nil
	}
	format := args[0]
	if format == "wordpress" {
		return runImportWordPress(ctx, env, args[1:])
	}
	open, ok := importFormats[format]
	if !ok {
		return fmt.Errorf("%w: unknown format %q: kiosque import onix|csv|wordpress FILE [--dry-run]", errUsage, format)
	}
	fs := newFlags(env, "import "+format, "import "+format+" FILE [--dry-run]",
		"Imports the bookshop's catalogue from an ONIX for Books 3.0 message (reference names or short tags;\n"+
			"ONIX 2.1 is refused) or a CSV file, streaming: a record already imported is updated by its\n"+
			"reference, a deleted or out-of-print one is withdrawn (never erased), a broken one is skipped\n"+
			"and reported with its reference and reason. --dry-run reads and checks without storing.")
	dryRun := fs.Bool("dry-run", false, "read and check the whole file, store nothing")
	// The file comes first, as the documentation writes it, or after
	// the flags.
	rest, file := args[1:], ""
	if len(rest) > 0 && (rest[0] == "-" || !strings.HasPrefix(rest[0], "-")) {
		file, rest = rest[0], rest[1:]
	}
	cfg, err := parse(fs, env, rest, "db")
	if err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if file == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: give one FILE (- reads standard input)", errUsage)
	}
	in, size, err := openInput(file, env)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	var r io.Reader = in
	if bar := progressBar(env, size); bar != nil {
		pr := progressbar.NewReader(in, bar)
		r = &pr
		defer func() { _ = bar.Finish() }()
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		src, err := open(r, time.Now())
		if err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		rep, err := a.Shop.Import(ctx, src, shop.ImportOptions{DryRun: *dryRun})
		if rep != nil {
			printReport(env.Stdout, rep, *dryRun)
		}
		if err != nil {
			return err
		}
		if rep.Stopped != "" {
			return fmt.Errorf("the file broke off (what came before it is imported): %s", rep.Stopped)
		}
		return nil
	})
}

// openInput opens path, or standard input for "-", and returns its size
// when known (-1 otherwise).
func openInput(path string, env Env) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(env.Stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// progressBar returns a bar on stderr when it is a terminal, else nil.
func progressBar(env Env, size int64) *progressbar.ProgressBar {
	f, ok := env.Stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return progressbar.NewOptions64(size, progressbar.OptionSetWriter(f), progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("import"), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
}

// printReport writes what the import did, then each skipped record.
func printReport(w io.Writer, rep *shop.ImportReport, dryRun bool) {
	if dryRun {
		fmt.Fprintf(w, "dry run: %d records read, %d would be stored, %d skipped; nothing was stored\n",
			rep.Read, rep.Valid, rep.SkippedTotal)
	} else {
		fmt.Fprintf(w, "%d records read: %d books added, %d updated, %d unchanged, %d withdrawn, %d skipped (%s)\n",
			rep.Read, rep.Counts.Inserted, rep.Counts.Updated, rep.Counts.Unchanged, rep.Withdrawn, rep.SkippedTotal,
			rep.Duration.Round(time.Millisecond))
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", s.Ref, s.Reason)
	}
	if rep.SkippedTotal > len(rep.Skipped) {
		fmt.Fprintf(w, "… and %d more skipped\n", rep.SkippedTotal-len(rep.Skipped))
	}
}
