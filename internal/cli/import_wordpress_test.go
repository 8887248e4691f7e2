package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportWordPress runs `kiosque import wordpress` as a newsroom would:
// a dry run, the import, a second run, and the files it must refuse with
// one clear line.
func TestImportWordPress(t *testing.T) {
	data := t.TempDir()
	export := filepath.Join(t.TempDir(), "gazette.xml")
	raw, err := os.ReadFile(filepath.Join("..", "wpimport", "testdata", "newsroom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(export, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	wxr := func(name string) string { return filepath.Join("..", "wxr", "testdata", name) }
	// Reports of the package's own files go to a temporary folder, not
	// next to them.
	reports := t.TempDir()
	reportIn := func(name string) string { return filepath.Join(reports, name+".txt") }

	steps := []struct {
		name     string
		args     []string
		code     int
		inStdout []string
		inStderr string
	}{
		{"DryRun", []string{"import", "wordpress", export, "--dry-run", "--data", data}, 0,
			[]string{"would be imported (dry run: nothing was written)", "posts", "8 new", "report: " + export + ".report.txt"}, ""},
		{"Import", []string{"import", "wordpress", "--data", data, export}, 0,
			[]string{"imported in", "posts", "8 new", "comments", "5 new", "1 pingback or trackback", "contact-form-7"}, ""},
		{"Again", []string{"import", "wordpress", export, "--data", data}, 0, []string{"8 unchanged"}, ""},
		{"NotWXR", []string{"import", "wordpress", wxr("not_wxr.html"), "--data", data, "--report", reportIn("not")}, 1, nil, "not a WordPress export"},
		{"Truncated", []string{"import", "wordpress", wxr("truncated.xml"), "--data", data, "--report", reportIn("truncated")}, 1,
			[]string{"2 new", "STOPPED"}, "what came before is imported"},
		{"Strict", []string{"import", "wordpress", wxr("bad_items.xml"), "--strict", "--data", data, "--report", reportIn("strict")}, 1, nil, "stopped"},
		{"Missing", []string{"import", "wordpress", "/nonexistent/export.xml", "--data", data}, 1, nil, "no such file"},
		{"Stdin", []string{"import", "wordpress", "-", "--data", data}, 2, nil, "must be a file"},
		{"UploadsNotFolder", []string{"import", "wordpress", export, "--uploads", export, "--data", data}, 2, nil, "is not a folder"},
		{"NoFile", []string{"import", "wordpress", "--data", data}, 2, nil, "give the export's file"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := run(t, nil, "", s.args...)
			if r.code != s.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, s.code, r.stdout, r.stderr)
			}
			for _, want := range s.inStdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if s.code != 0 {
				oneLine(t, r)
				if !strings.Contains(strings.ToLower(r.stderr), strings.ToLower(s.inStderr)) {
					t.Errorf("stderr %q lacks %q", r.stderr, s.inStderr)
				}
			}
		})
	}
	report, err := os.ReadFile(export + ".report.txt")
	if err != nil || !strings.Contains(string(report), "Notes") || !strings.Contains(string(report), "programme.pdf") {
		t.Errorf("report file: %v\n%s", err, report)
	}
}
