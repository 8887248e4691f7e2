package wpimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/wxr"
)

// Deps are the services an import writes through.
type Deps struct {
	Store     Store
	Content   *content.Service
	Users     *users.Service
	Media     *media.Library
	Redirects *redirects.Service
	// CommentStyle is the typography of comments (the site's settings).
	CommentStyle func() textproc.Style
	// ArticlePath returns an article's public path, the target of its
	// old addresses' redirects.
	ArticlePath func(*content.Article) string
	Clock       clock.Clock
	Log         *slog.Logger
	// Explain words an error for the report (the message catalogue's
	// text); nil shows err.Error().
	Explain func(error) string
}

// Importer brings WordPress exports over. It is used by one import at a
// time.
type Importer struct {
	d Deps
}

// New returns an Importer writing through d.
func New(d Deps) *Importer {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Importer{d: d}
}

// Options tune one import.
type Options struct {
	// DryRun reads and checks everything and writes nothing.
	DryRun bool
	// Strict stops at the first object that cannot be imported, instead of
	// skipping it and going on.
	Strict bool
	// Uploads is a copy of the site's wp-content/uploads folder: its files
	// go into the media library and the content's links to them are
	// rewritten. Empty keeps the links as they are.
	Uploads string
	// Location is the site's time zone, for the dates WordPress wrote
	// without their UTC twin (drafts); nil is UTC.
	Location *time.Location
	// Wrap, when set, wraps the file of each pass (1: the attachments,
	// 2: the import), for a progress bar.
	Wrap func(pass int, r io.Reader) io.Reader
	// BatchPosts and BatchComments bound a batch (one transaction); zero
	// takes 100 and 2,000.
	BatchPosts, BatchComments int
	// Anonymous names a commenter who left no name.
	Anonymous string
}

// ErrStopped is returned when the import stopped before the end of the
// file: the file broke off, or Strict met an error. What came before is
// imported, and Report.Stopped says why.
var ErrStopped = errors.New("the import stopped before the end of the file")

// Run imports the export that open returns. The file is read twice: a
// first pass learns the attachments (galleries and featured images name
// them by id, often after the posts that use them), the second imports.
// The report is returned even with an error, with what was done.
func (im *Importer) Run(ctx context.Context, open func() (io.ReadCloser, error), opts Options) (*Report, error) {
	start := im.d.Clock.Now()
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.BatchPosts <= 0 {
		opts.BatchPosts = 100
	}
	if opts.BatchComments <= 0 {
		opts.BatchComments = 2000
	}
	if opts.Anonymous == "" {
		opts.Anonymous = "Anonyme"
	}
	rep := &Report{DryRun: opts.DryRun}
	defer func() { rep.Duration = im.d.Clock.Now().Sub(start) }()

	atts, err := im.scan(ctx, open, opts)
	if err != nil {
		return rep, err
	}
	f, err := open()
	if err != nil {
		return rep, fmt.Errorf("open the export: %w", err)
	}
	defer func() { _ = f.Close() }()
	var src io.Reader = f
	if opts.Wrap != nil {
		src = opts.Wrap(2, f)
	}
	rd, err := wxr.NewReader(src)
	if err != nil {
		return rep, fmt.Errorf("read the export: %w", err)
	}
	r := &run{im: im, opts: opts, rep: rep, rd: rd, atts: atts, now: im.d.Clock.Now()}
	err = r.do(ctx)
	rep.Warnings = append(rep.Warnings, rd.Warnings...)
	return rep, err
}

// run is the state of one import.
type run struct {
	im   *Importer
	opts Options
	rep  *Report
	rd   *wxr.Reader
	atts *attachments
	now  time.Time

	source  string
	mapping Mapping
	// authors maps logins, and WordPress user ids, to local users;
	// categories and tags map WordPress slugs to local ones.
	authors    map[string]int64
	authorIDs  map[int64]int64
	categories map[string]content.Category
	tags       map[string]content.Tag
	uploads    *uploads

	batch []*pending
	ncoms int
	// termSlugs maps the local slugs given to terms to the WordPress
	// slugs they were given for.
	termSlugs map[Key]string
	// termRedirects are the redirects of terms, written with the next
	// batch.
	termRedirects []redirects.Redirect
	slugs         map[string]bool
	written       int
	// keptURLs are the report's KeptURLs, as a set.
	keptURLs map[string]bool
}

// pending is a post of the batch being built, with its redirects.
type pending struct {
	ref       string
	post      *Post
	redirects []redirects.Redirect
	counts    *Counts
	// update is set for a post an earlier run imported, kept when it was
	// edited in kiosque since.
	update, kept bool
	comments     int
}

func (r *run) do(ctx context.Context) error {
	site := r.rd.Site
	r.source = sourceOf(site)
	r.rep.Source, r.rep.Version = r.source, site.Version
	for _, e := range r.rd.Skipped {
		if err := r.fail(e.String(), e.Reason); err != nil {
			return err
		}
	}
	var err error
	if r.mapping, err = r.im.d.Store.Mapping(ctx, r.source); err != nil {
		return fmt.Errorf("read earlier imports: %w", err)
	}
	if r.opts.Uploads != "" {
		if r.uploads, err = openUploads(r.opts.Uploads, r); err != nil {
			return err
		}
		defer r.uploads.close()
	}
	if err := r.importAuthors(ctx, r.rd.Authors); err != nil {
		return err
	}
	if err := r.importTerms(ctx, r.rd.Terms); err != nil {
		return err
	}
	if err := r.importItems(ctx); err != nil {
		return err
	}
	if r.opts.DryRun {
		return nil
	}
	r.im.d.Redirects.Invalidate()
	if r.written > 0 {
		if _, err := r.im.d.Content.RefreshAllRelated(ctx); err != nil {
			return fmt.Errorf("refresh related articles: %w", err)
		}
	}
	return nil
}

// sourceOf names the site an export comes from: its address, else its
// title (an export written by hand may have neither, and is then one
// source with all others like it).
func sourceOf(site wxr.Site) string {
	for _, s := range []string{site.BaseBlogURL, site.Link, site.BaseSiteURL} {
		if s = strings.TrimRight(strings.TrimSpace(s), "/"); s != "" {
			return s
		}
	}
	return "wordpress:" + strings.TrimSpace(site.Title)
}

// importItems reads the items and writes them in batches.
func (r *run) importItems(ctx context.Context) error {
	r.slugs = map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := r.rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var ie *wxr.ItemError
		if errors.As(err, &ie) {
			if err := r.fail(ie.String(), ie.Reason); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			// A broken file: what came before it is written.
			if ferr := r.flush(ctx); ferr != nil {
				return ferr
			}
			r.rep.Stopped = err.Error()
			return ErrStopped
		}
		if err := r.item(ctx, it); err != nil {
			return err
		}
		if len(r.batch) >= r.opts.BatchPosts || r.ncoms >= r.opts.BatchComments {
			if err := r.flush(ctx); err != nil {
				return err
			}
		}
	}
	// Terms and authors that came after the items (odd exports).
	if err := r.importAuthors(ctx, r.rd.Authors); err != nil {
		return err
	}
	if err := r.importTerms(ctx, r.rd.Terms); err != nil {
		return err
	}
	return r.flush(ctx)
}

// fail records an object that could not be imported, and stops the import
// under Strict.
func (r *run) fail(ref, reason string) error {
	r.rep.skip(ref, reason)
	if r.opts.Strict {
		r.rep.Stopped = ref + ": " + reason
		return ErrStopped
	}
	return nil
}

// item imports one item of the export.
func (r *run) item(ctx context.Context, it *wxr.Item) error {
	ref := itemRef(it)
	if it.Type == "" {
		// WordPress takes an item without a type for a post.
		it.Type = wxr.TypePost
	}
	switch it.Type {
	case wxr.TypePost, wxr.TypePage:
		p, err := r.post(ctx, it, ref)
		if err != nil {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Kind != apperr.Internal && ae.Kind != apperr.Unavailable {
				return r.fail(ref, r.describe(err))
			}
			return fmt.Errorf("%s: %w", ref, err)
		}
		if p != nil {
			r.batch = append(r.batch, p)
			r.ncoms += p.comments
		}
		return nil
	case wxr.TypeAttachment:
		if r.uploads != nil {
			r.uploads.attachment(ctx, it)
		}
		return nil
	}
	count(&r.rep.OtherTypes, it.Type, 1)
	return nil
}

// flush writes the batch in one transaction. When it fails, each post is
// tried alone, so that one bad post does not cost the others.
func (r *run) flush(ctx context.Context) error {
	batch := r.batch
	r.batch, r.ncoms = nil, 0
	clear(r.slugs)
	if len(batch) == 0 && len(r.termRedirects) == 0 {
		return nil
	}
	if r.opts.DryRun {
		for _, p := range batch {
			r.done(p)
		}
		r.rep.Redirects += len(r.termRedirects)
		r.termRedirects = nil
		return nil
	}
	if len(batch) == 0 {
		return r.save(ctx, nil)
	}
	err := r.save(ctx, batch)
	if err == nil {
		return nil
	}
	if len(batch) == 1 || !recoverable(err) {
		if !recoverable(err) {
			return err
		}
		return r.fail(batch[0].ref, r.describe(err))
	}
	for _, p := range batch {
		if err := r.save(ctx, []*pending{p}); err != nil {
			if !recoverable(err) {
				return err
			}
			if err := r.fail(p.ref, r.describe(err)); err != nil {
				return err
			}
		}
	}
	return nil
}

// save writes posts in one batch and counts them.
func (r *run) save(ctx context.Context, posts []*pending) error {
	b := &Batch{Source: r.source}
	reds := r.termRedirects
	for _, p := range posts {
		b.Posts = append(b.Posts, p.post)
		reds = append(reds, p.redirects...)
	}
	prepared := r.prepareRedirects(reds)
	b.Redirects = prepared
	b.Audit = &audit.Entry{At: r.now, UserName: access.System.Name, Action: ActionImport, TargetType: "wordpress",
		Summary: fmt.Sprintf("%s: %d posts", r.source, len(posts))}
	if err := r.im.d.Store.SaveBatch(ctx, b); err != nil {
		return err
	}
	for _, p := range posts {
		r.mapping[idKey(KindPost, p.post.WPID)] = p.post.Article.ID
		for _, c := range p.post.Comments {
			r.mapping[idKey(KindComment, c.WPID)] = c.Comment.ID
		}
		r.done(p)
		if !p.post.KeepArticle {
			r.written++
		}
	}
	r.rep.Redirects += len(prepared)
	r.termRedirects = nil
	return nil
}

// prepareRedirects validates redirects, leaving out (with a note) those
// the table refuses: an old address too long or not a path. They are
// checked one by one only when the batch holds such a one.
func (r *run) prepareRedirects(in []redirects.Redirect) []*redirects.Redirect {
	if out, err := redirects.Prepare(in, r.now); err == nil {
		return out
	}
	valid := in[:0:0]
	for _, x := range in {
		if _, err := redirects.Prepare([]redirects.Redirect{x}, r.now); err != nil {
			r.rep.note("redirect "+x.From, "left out: "+r.describe(err))
			continue
		}
		valid = append(valid, x)
	}
	out, err := redirects.Prepare(valid, r.now)
	if err != nil {
		return nil // not reached: each was valid
	}
	return out
}

// done counts a post written (or that would be).
func (r *run) done(p *pending) {
	switch {
	case p.kept:
		p.counts.Kept++
	case p.post.KeepArticle:
		p.counts.Unchanged++
	case p.update:
		p.counts.Updated++
	default:
		p.counts.Created++
	}
	r.rep.Comments.Created += p.comments
	if r.opts.DryRun {
		r.rep.Redirects += len(p.redirects)
	}
}

// ActionImport is the audit log's action for an import's batch.
const ActionImport = "wordpress_import"

// recoverable reports whether err is about the data (the next post may
// go through) rather than the database or the context.
func recoverable(err error) bool {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Kind == apperr.Invalid || ae.Kind == apperr.Conflict || ae.Kind == apperr.NotFound
}

// describe turns an error into the reason a report shows.
func (r *run) describe(err error) string {
	if r.im.d.Explain != nil {
		return r.im.d.Explain(err)
	}
	return err.Error()
}

// itemRef names an item in the report as the reader names it.
func itemRef(it *wxr.Item) string {
	return wxr.ItemRef{Element: "item", Index: it.Index, Line: it.Line, ID: it.PostID, Name: it.Title}.String()
}

// idKey is the mapping key of a post or a comment: its WordPress id.
func idKey(kind Kind, id int64) Key { return Key{kind, strconv.FormatInt(id, 10)} }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
