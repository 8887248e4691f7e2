package wpimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/wpcontent"
	"github.com/kiosque/kiosque/internal/wxr"
)

// attachment is what the first pass learns of an attachment.
type attachment struct {
	// URL is where the file was on the old site; File its path in the
	// uploads folder (_wp_attached_file).
	URL, File string
	// Alt is its alternative text, Caption its caption (HTML).
	Alt, Caption string
}

// attachments are the export's attachments, by post id.
type attachments struct {
	byID map[int64]*attachment
	// byFile are the attachments by File.
	byFile map[string]*attachment
	// base is the uploads folder's address, without its scheme
	// ("//example.com/wp-content/uploads/"), learnt from the attachments.
	base string
}

// scan reads the export once for its attachments. A file that cannot be
// read is refused here, before anything is written; one that breaks off
// later is reported by the second pass.
func (im *Importer) scan(ctx context.Context, open func() (io.ReadCloser, error), opts Options) (*attachments, error) {
	f, err := open()
	if err != nil {
		return nil, fmt.Errorf("open the export: %w", err)
	}
	defer func() { _ = f.Close() }()
	var src io.Reader = f
	if opts.Wrap != nil {
		src = opts.Wrap(1, f)
	}
	rd, err := wxr.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	atts := &attachments{byID: map[int64]*attachment{}, byFile: map[string]*attachment{}}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		it, err := rd.Next()
		var ie *wxr.ItemError
		switch {
		case errors.Is(err, io.EOF):
			return atts, nil
		case errors.As(err, &ie):
			continue
		case err != nil:
			return atts, nil
		}
		if it.Type != wxr.TypeAttachment {
			continue
		}
		a := &attachment{URL: strings.TrimSpace(it.AttachmentURL), Caption: it.Excerpt}
		a.File, _ = it.Meta.Get("_wp_attached_file")
		a.File = strings.TrimPrefix(path.Clean("/"+strings.TrimSpace(a.File)), "/")
		a.Alt, _ = it.Meta.Get("_wp_attachment_image_alt")
		a.Alt = plainText(a.Alt)
		atts.byID[it.PostID] = a
		if a.File != "" && a.File != "." {
			atts.byFile[a.File] = a
			if atts.base == "" && strings.HasSuffix(a.URL, "/"+a.File) {
				atts.base = schemeless(strings.TrimSuffix(a.URL, a.File))
			}
		}
	}
}

// schemeless drops the scheme of an address: "//example.com/…".
func schemeless(u string) string {
	if i := strings.Index(u, "//"); i >= 0 {
		return u[i:]
	}
	return u
}

// uploadsBase returns the uploads folder's address: learnt from the
// attachments, else WordPress's default under the site.
func (r *run) uploadsBase() string {
	if r.atts.base != "" {
		return "https:" + r.atts.base
	}
	return strings.TrimRight(cmpOr(r.rd.Site.BaseSiteURL, r.source), "/") + "/wp-content/uploads/"
}

// convertOptions are the options of wpcontent.Convert for this import.
func (r *run) convertOptions(ctx context.Context) wpcontent.Options {
	o := wpcontent.Options{
		UploadsBase: r.uploadsBase(),
		Attachments: func(id int64) (wpcontent.Attachment, bool) {
			a, ok := r.attachment(ctx, id)
			return wpcontent.Attachment{URL: a.URL, Alt: a.Alt, Caption: a.Caption}, ok
		},
	}
	if r.uploads != nil {
		o.RewriteURL = func(u string) (string, bool) { return r.uploads.rewrite(ctx, u) }
	}
	return o
}

// attachment returns the attachment id with its address in kiosque when
// its file was imported.
func (r *run) attachment(ctx context.Context, id int64) (attachment, bool) {
	a := r.atts.byID[id]
	if a == nil {
		return attachment{}, false
	}
	out := *a
	if r.uploads != nil {
		if u, ok := r.uploads.rewrite(ctx, a.URL); ok {
			out.URL = u
		}
	}
	return out, true
}

// uploads brings the files of a copy of wp-content/uploads into the media
// library, each once, as the content meets them.
type uploads struct {
	root *os.Root
	r    *run
	// done maps a file's path in the folder to its address in kiosque,
	// "" when it could not be imported.
	done map[string]string
}

// openUploads opens the uploads folder; the files are read through an
// os.Root, so no path in the export can reach outside it.
func openUploads(dir string, r *run) (*uploads, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open the uploads folder: %w", err)
	}
	return &uploads{root: root, r: r, done: map[string]string{}}, nil
}

func (u *uploads) close() { _ = u.root.Close() }

// attachment imports the file of an attachment item, so that files no
// post links to arrive too.
func (u *uploads) attachment(ctx context.Context, it *wxr.Item) {
	if a := u.r.atts.byID[it.PostID]; a != nil && a.File != "" {
		u.file(ctx, a.File, a)
	}
}

// sizeSuffix matches the size WordPress adds to the name of an image's
// smaller copies ("photo-300x200.jpg") and the "-scaled" of large ones.
var sizeSuffix = regexp.MustCompile(`-(\d+x\d+|scaled)(\.[A-Za-z0-9]+)$`)

// rewrite returns the address in kiosque of a link to the uploads folder,
// importing its file on first sight. A link to a smaller copy of an image
// leads to the image itself: the media library makes its own sizes.
func (u *uploads) rewrite(ctx context.Context, link string) (string, bool) {
	base := u.r.atts.base
	if base == "" {
		base = schemeless(u.r.uploadsBase())
	}
	s := schemeless(strings.TrimSpace(link))
	if !strings.HasPrefix(strings.ToLower(s), strings.ToLower(base)) {
		return "", false
	}
	rel := s[len(base):]
	if i := strings.IndexAny(rel, "?#"); i >= 0 {
		rel = rel[:i]
	}
	if d, err := url.PathUnescape(rel); err == nil {
		rel = d
	}
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if rel == "" || rel == "." {
		return "", false
	}
	att := u.r.atts.byFile[rel]
	if att == nil {
		if orig := sizeSuffix.ReplaceAllString(rel, "$2"); orig != rel && u.r.atts.byFile[orig] != nil {
			rel, att = orig, u.r.atts.byFile[orig]
		}
	}
	got := u.file(ctx, rel, att)
	return got, got != ""
}

// file imports one file of the folder and returns its address in
// kiosque, "" when it stays on the old site (missing, not an image,
// a dry run).
func (u *uploads) file(ctx context.Context, rel string, att *attachment) string {
	if got, ok := u.done[rel]; ok {
		return got
	}
	u.done[rel] = ""
	r := u.r
	key := Key{KindAttachment, rel}
	if id := r.mapping[key]; id != 0 && !r.opts.DryRun {
		if it, err := r.im.d.Media.Get(ctx, id); err == nil {
			r.rep.Attachments.Unchanged++
			u.done[rel] = media.URLPrefix + it.Path
			return u.done[rel]
		}
	}
	f, err := u.root.Open(rel)
	if err != nil {
		reason := "cannot be read"
		if errors.Is(err, fs.ErrNotExist) {
			reason = "not in the uploads folder"
		}
		r.rep.note("file "+rel, reason+": links to it still lead to the old site")
		return ""
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		r.rep.note("file "+rel, "not a file: links to it still lead to the old site")
		return ""
	}
	if r.opts.DryRun {
		r.rep.Attachments.Created++
		return ""
	}
	var alt, caption string
	if att != nil {
		alt, caption = clipRunes(att.Alt, media.MaxAltLen), clipRunes(plainText(att.Caption), media.MaxCaptionLen)
	}
	it, err := r.im.d.Media.Upload(ctx, access.System, path.Base(rel), f, alt, caption)
	if err != nil {
		if apperr.Is(err, apperr.Internal) || apperr.Is(err, apperr.Unavailable) || ctx.Err() != nil {
			r.rep.note("file "+rel, "not imported ("+err.Error()+"): links to it still lead to the old site")
			r.im.d.Log.Warn("wordpress import: file not imported", "file", rel, "err", err)
			return ""
		}
		r.rep.note("file "+rel, "not imported ("+r.describe(err)+"): links to it still lead to the old site")
		return ""
	}
	if it.CreatedAt.Before(r.now) {
		r.rep.Attachments.Matched++
	} else {
		r.rep.Attachments.Created++
	}
	if err := r.remember(ctx, key, it.ID); err != nil {
		r.im.d.Log.Warn("wordpress import: file imported but not recorded", "file", rel, "err", err)
	}
	u.done[rel] = media.URLPrefix + it.Path
	return u.done[rel]
}
