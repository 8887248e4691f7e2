package wpimport

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Counts is what became of the objects of one kind.
type Counts struct {
	// Created were new; Updated were imported before and changed since;
	// Unchanged were imported before and are the same; Matched already
	// existed in kiosque (same email, same slug) and were taken as they
	// are; Kept were imported before and edited in kiosque since, so the
	// export does not overwrite them.
	Created, Updated, Unchanged, Matched, Kept int
}

// Total returns how many objects of the kind the export had and the import
// took in.
func (c Counts) Total() int { return c.Created + c.Updated + c.Unchanged + c.Matched + c.Kept }

// Skip is an object of the export that was not imported, and why.
type Skip struct {
	// Ref names it: element, position, id, title, line.
	Ref    string
	Reason string
}

// Note is something the newsroom should look at about an imported post.
type Note struct {
	Ref  string
	Text string
}

// Report is what an import did: the summary printed at the end and the
// report file.
type Report struct {
	DryRun bool
	// Source is the address of the site the export comes from.
	Source  string
	Version string

	Authors, Categories, Tags, Posts, Pages, Comments Counts
	// Attachments counts the files of the uploads folder brought into
	// the media library (Created) or found there already (Matched).
	Attachments Counts
	// Pingbacks counts the pingbacks and trackbacks left out.
	Pingbacks int
	// OtherTypes counts the items left out by post type (menu items,
	// revisions, custom types), and OtherComments the comments by type
	// (WooCommerce's reviews and order notes).
	OtherTypes, OtherComments map[string]int
	// Redirects counts the old addresses given a redirect.
	Redirects int
	// OrphanReplies counts replies whose parent comment is not in the
	// export: they are shown at the top of their thread.
	OrphanReplies int
	// UnknownShortcodes counts the shortcodes left as text, by name.
	UnknownShortcodes map[string]int
	// KeptURLs are files of the old site's uploads the content still
	// points at (no --uploads, a missing file, not an image), once each.
	KeptURLs []string
	// Skipped are the objects not imported; Notes what to check in those
	// that were; Warnings what the reader found odd about the file.
	Skipped  []Skip
	Notes    []Note
	Warnings []string
	// Stopped is set when the file broke off or --strict stopped at an
	// error: what came before it is imported.
	Stopped  string
	Duration time.Duration
}

// headerRef names an author or term in the report: `wp:tag "paris" (id
// 7, line 40)`; one an item named without listing it has no line.
func headerRef(element string, line int, id int64, name string) string {
	var details []string
	if id != 0 {
		details = append(details, fmt.Sprintf("id %d", id))
	}
	if line != 0 {
		details = append(details, fmt.Sprintf("line %d", line))
	}
	ref := fmt.Sprintf("%s %q", element, name)
	if len(details) > 0 {
		ref += " (" + strings.Join(details, ", ") + ")"
	}
	return ref
}

func (r *Report) skip(ref, reason string) {
	r.Skipped = append(r.Skipped, Skip{Ref: ref, Reason: reason})
}

func (r *Report) note(ref, text string) { r.Notes = append(r.Notes, Note{Ref: ref, Text: text}) }

func count(m *map[string]int, key string, n int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[key] += n
}

// WriteSummary writes the counts, then at most limit skipped objects (all
// when limit < 0): what a terminal shows at the end of an import.
func (r *Report) WriteSummary(w io.Writer, limit int) {
	verb := "imported"
	if r.DryRun {
		verb = "would be imported (dry run: nothing was written)"
	}
	fmt.Fprintf(w, "WordPress export of %s (WXR %s): %s in %s\n", r.Source, r.Version, verb, r.Duration.Round(time.Millisecond))
	line := func(name string, c Counts) {
		if c.Total() == 0 {
			return
		}
		var parts []string
		for _, p := range []struct {
			n    int
			what string
		}{{c.Created, "new"}, {c.Updated, "updated"}, {c.Unchanged, "unchanged"}, {c.Matched, "already there"},
			{c.Kept, "edited in kiosque since, kept"}} {
			if p.n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
			}
		}
		fmt.Fprintf(w, "  %-12s %6d  (%s)\n", name, c.Total(), strings.Join(parts, ", "))
	}
	line("authors", r.Authors)
	line("categories", r.Categories)
	line("tags", r.Tags)
	line("posts", r.Posts)
	line("pages", r.Pages)
	line("comments", r.Comments)
	line("files", r.Attachments)
	if r.Redirects > 0 {
		fmt.Fprintf(w, "  %-12s %6d\n", "redirects", r.Redirects)
	}
	if r.Pingbacks > 0 {
		fmt.Fprintf(w, "  left out: %s\n", plural(r.Pingbacks, "pingback or trackback", "pingbacks and trackbacks"))
	}
	if len(r.OtherTypes) > 0 {
		fmt.Fprintf(w, "  left out: %s\n", countList(r.OtherTypes, " items"))
	}
	if len(r.OtherComments) > 0 {
		fmt.Fprintf(w, "  left out: %s\n", countList(r.OtherComments, " comments"))
	}
	if r.OrphanReplies > 0 {
		fmt.Fprintf(w, "  %s a comment the export does not have: shown at the top of the thread\n", plural(r.OrphanReplies, "reply answers", "replies answer"))
	}
	if len(r.UnknownShortcodes) > 0 {
		fmt.Fprintf(w, "  shortcodes kept as text: %s\n", countList(r.UnknownShortcodes, ""))
	}
	if len(r.KeptURLs) > 0 {
		fmt.Fprintf(w, "  %s still point at the old site's uploads (see the report)\n", plural(len(r.KeptURLs), "link", "links"))
	}
	if len(r.Notes) > 0 {
		fmt.Fprintf(w, "  %s on what was imported (see the report)\n", plural(len(r.Notes), "note", "notes"))
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "  skipped: %d\n", len(r.Skipped))
		for i, s := range r.Skipped {
			if limit >= 0 && i == limit {
				fmt.Fprintf(w, "  … and %d more (see the report)\n", len(r.Skipped)-limit)
				break
			}
			fmt.Fprintf(w, "  - %s: %s\n", s.Ref, s.Reason)
		}
	}
	if r.Stopped != "" {
		fmt.Fprintf(w, "STOPPED: %s\n", r.Stopped)
	}
}

// WriteFile writes the whole report: the summary, then every skipped
// object, note, kept link and warning.
func (r *Report) WriteFile(w io.Writer) error {
	ew := &errWriter{w: w}
	r.WriteSummary(ew, -1)
	if len(r.Notes) > 0 {
		fmt.Fprintf(ew, "\nNotes\n")
		for _, n := range r.Notes {
			fmt.Fprintf(ew, "- %s: %s\n", n.Ref, n.Text)
		}
	}
	if len(r.KeptURLs) > 0 {
		fmt.Fprintf(ew, "\nLinks to the old site's uploads, kept as they were\n")
		for _, u := range r.KeptURLs {
			fmt.Fprintf(ew, "- %s\n", u)
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(ew, "\nWarnings about the file\n")
		for _, s := range r.Warnings {
			fmt.Fprintf(ew, "- %s\n", s)
		}
	}
	return ew.err
}

// plural writes n with the singular or plural words.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countList writes "12 nav_menu_item items, 3 revision items", most
// frequent first.
func countList(m map[string]int, suffix string) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s%s", m[k], k, suffix)
	}
	return strings.Join(parts, ", ")
}

// errWriter keeps the first write error, so a report can be written with
// Fprintf and checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
