package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/wpimport"
)

const wordpressSynopsis = "import wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--strict] [--report FILE]"

// runImportWordPress imports a WordPress export (WXR).
func runImportWordPress(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "import wordpress", wordpressSynopsis,
		"Brings a WordPress site over from the file of Tools › Export (WXR 1.0 to 1.2): authors (as contributors\n"+
			"without a password), categories, tags, posts, pages, comments, and redirects from the old addresses.\n"+
			"With --uploads pointing at a copy of wp-content/uploads, the files become the media library's and the\n"+
			"links to them are rewritten; without it they keep pointing at the old site. No network access is made.\n"+
			"Running it again updates what the first run wrote (a post edited in kiosque since is left alone).\n"+
			"A summary is printed and the whole report written to --report (EXPORT.xml.report.txt by default).")
	dryRun := fs.Bool("dry-run", false, "read and check everything, write nothing")
	strict := fs.Bool("strict", false, "stop at the first item that cannot be imported")
	uploadsDir := fs.String("uploads", "", "a copy of the site's wp-content/uploads `folder`")
	reportPath := fs.String("report", "", "where to write the report `file` (default EXPORT.xml.report.txt)")
	file, rest := splitFileArg(args, "dry-run", "strict")
	cfg, err := parse(fs, env, rest, "db")
	if err != nil {
		return err
	}
	if file == "" {
		return fmt.Errorf("%w: give the export's file: kiosque %s", errUsage, wordpressSynopsis)
	}
	if file == "-" {
		return fmt.Errorf("%w: the export is read twice, so it must be a file, not standard input", errUsage)
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	if *uploadsDir != "" {
		if d, err := os.Stat(*uploadsDir); err != nil || !d.IsDir() {
			return fmt.Errorf("%w: --uploads %s is not a folder", errUsage, *uploadsDir)
		}
	}
	if *reportPath == "" {
		*reportPath = file + ".report.txt"
	}
	open := func() (io.ReadCloser, error) { return os.Open(file) }
	var bars []*progressbar.ProgressBar
	wrap := func(pass int, r io.Reader) io.Reader {
		bar := progressBar(env, st.Size())
		if bar == nil {
			return r
		}
		bar.Describe([]string{"", "scan", "import"}[pass])
		bars = append(bars, bar)
		pr := progressbar.NewReader(r, bar)
		return &pr
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		rep, err := a.WordPressImporter().Run(ctx, open, wpimport.Options{
			DryRun: *dryRun, Strict: *strict, Uploads: *uploadsDir, Location: a.Settings.Get().Location(), Wrap: wrap,
		})
		for _, b := range bars {
			_ = b.Finish()
		}
		if rep != nil && rep.Source != "" {
			rep.WriteSummary(env.Stdout, 20)
			if werr := writeReport(*reportPath, rep); werr != nil {
				return errors.Join(err, werr)
			}
			fmt.Fprintf(env.Stdout, "report: %s\n", *reportPath)
		}
		if errors.Is(err, wpimport.ErrStopped) {
			return fmt.Errorf("%w (what came before is imported): %s", err, rep.Stopped)
		}
		return err
	})
}

// writeReport writes the whole report to path.
func writeReport(path string, rep *wpimport.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := rep.WriteFile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("write the report: %w", err)
	}
	return f.Close()
}

// splitFileArg takes the one file argument out of args, before or after
// the flags; bools names the flags that take no value, so that the value
// of any other flag is not taken for the file.
func splitFileArg(args []string, bools ...string) (file string, rest []string) {
	if len(args) > 0 && (args[0] == "-" || !strings.HasPrefix(args[0], "-")) {
		return args[0], args[1:]
	}
	if n := len(args); n > 0 && !strings.HasPrefix(args[n-1], "-") {
		if n == 1 {
			return args[0], nil
		}
		prev := args[n-2]
		if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") || slices.Contains(bools, strings.TrimLeft(prev, "-")) {
			return args[n-1], args[:n-1]
		}
	}
	return "", args
}
