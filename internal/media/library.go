package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/media/blob"
	"github.com/kiosque/kiosque/internal/textproc"
)

// URLPrefix is where the public site serves stored media files.
const URLPrefix = "/media/"

// Text limits of the library's fields, in characters.
const (
	MaxAltLen     = 500
	MaxCaptionLen = 1000
)

// Item is one image of the media library: its original and its resized
// variants, stored as blobs, and what the newsroom wrote about it.
type Item struct {
	ID     int64
	SHA256 string
	// Filename is the name the file had on the uploader's computer,
	// shown in the library; it never names a stored file.
	Filename    string
	Alt         string
	Caption     string
	ContentType string
	Width       int
	Height      int
	Bytes       int64
	// Path is the blob name of the original ("2026/11/3f2a9c1e07b4-quai.jpg").
	Path string
	// Variants are the smaller copies, in ascending width.
	Variants  []Variant
	UserID    int64
	UserName  string
	CreatedAt time.Time
}

// Variant is a resized copy of an Item.
type Variant struct {
	Width  int    `json:"w"`
	Height int    `json:"h"`
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
}

// URL returns the site-relative address of the original.
func (it *Item) URL() string { return URLPrefix + it.Path }

// Thumbnail returns the address of the smallest copy at least minWidth
// wide, or of the original.
func (it *Item) Thumbnail(minWidth int) string {
	for _, v := range it.Variants {
		if v.Width >= minWidth {
			return URLPrefix + v.Path
		}
	}
	return it.URL()
}

// Srcset returns the srcset attribute value listing every variant and the
// original, so browsers pick the smallest file that fills the layout.
func (it *Item) Srcset() string {
	var b strings.Builder
	for _, v := range it.Variants {
		b.WriteString(URLPrefix + v.Path + " " + strconv.Itoa(v.Width) + "w, ")
	}
	b.WriteString(it.URL() + " " + strconv.Itoa(it.Width) + "w")
	return b.String()
}

// Markdown returns the snippet that inserts the image in an article: a
// figure when it has a caption.
func (it *Item) Markdown() string {
	alt := strings.NewReplacer("[", "", "]", "", "\n", " ").Replace(it.Alt)
	if it.Caption == "" {
		return "![" + alt + "](" + it.URL() + ")"
	}
	return "![" + alt + "](" + it.URL() + ` "` + strings.ReplaceAll(it.Caption, `"`, "”") + `")`
}

// Query selects library items, newest first.
type Query struct {
	// Search matches file name, alternative text and caption.
	Search string
	// MissingAlt keeps only items without alternative text.
	MissingAlt    bool
	Page, PerPage int
}

// Store keeps the library's rows; blobs are the Library's business.
type Store interface {
	// CreateMedia inserts it, setting its ID, and records e with it.
	CreateMedia(ctx context.Context, it *Item, e audit.Entry) error
	// Media returns the item id; NotFound when missing.
	Media(ctx context.Context, id int64) (*Item, error)
	// MediaBySHA256 returns the item uploaded with these bytes; NotFound
	// when none.
	MediaBySHA256(ctx context.Context, sum string) (*Item, error)
	// MediaByPath returns the item whose original or variant has blob name
	// p; NotFound when none.
	MediaByPath(ctx context.Context, p string) (*Item, error)
	// ListMedia returns a page of items and the total matching q.
	ListMedia(ctx context.Context, q Query) ([]*Item, int, error)
	// UpdateMedia changes the texts of item id.
	UpdateMedia(ctx context.Context, id int64, alt, caption string) error
	// DeleteMedia removes item id and records e with it.
	DeleteMedia(ctx context.Context, id int64, e audit.Entry) error
	// MediaUsage returns the articles whose body or main image uses path p.
	MediaUsage(ctx context.Context, p string) ([]Usage, error)
}

// Usage is an article that shows a library image.
type Usage struct {
	ArticleID int64
	Title     string
}

// Library is the newsroom's media library: uploads are checked and
// resized by a Processor, stored as blobs, and described in the Store.
type Library struct {
	store Store
	blobs *blob.Dir
	proc  *Processor
	clock clock.Clock
	// slots bounds how many uploads are decoded at once: each may take
	// hundreds of megabytes.
	slots chan struct{}
}

// NewLibrary returns a Library processing at most concurrent uploads at a
// time (at least one).
func NewLibrary(store Store, blobs *blob.Dir, proc *Processor, clk clock.Clock, concurrent int) *Library {
	return &Library{store: store, blobs: blobs, proc: proc, clock: clk, slots: make(chan struct{}, max(1, concurrent))}
}

// Limits returns the upload limits, to show them next to the picker.
func (l *Library) Limits() Limits { return l.proc.Limits() }

// Blobs returns where the files are stored, for the public file server.
func (l *Library) Blobs() *blob.Dir { return l.blobs }

// Upload adds the image read from r to the library. The same bytes
// uploaded twice give the existing item back (with its texts filled in if
// they were empty), so a double drop does not fill the library with
// copies.
func (l *Library) Upload(ctx context.Context, actor access.Actor, filename string, r io.Reader, alt, caption string) (*Item, error) {
	if !actor.Can(access.UploadMedia) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	alt, caption, err := checkTexts(alt, caption)
	if err != nil {
		return nil, err
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("upload %q: %w", filename, ctx.Err())
	}
	res, err := l.proc.Process(ctx, r)
	<-l.slots
	if err != nil {
		return nil, fmt.Errorf("upload %q: %w", filename, err)
	}
	if old, err := l.store.MediaBySHA256(ctx, res.SHA256); err == nil {
		if old.Alt == "" && alt != "" || old.Caption == "" && caption != "" {
			old.Alt, old.Caption = cmpOr(old.Alt, alt), cmpOr(old.Caption, caption)
			if err := l.store.UpdateMedia(ctx, old.ID, old.Alt, old.Caption); err != nil {
				return nil, fmt.Errorf("upload %q: %w", filename, err)
			}
		}
		return old, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, fmt.Errorf("upload %q: %w", filename, err)
	}

	now := l.clock.Now()
	base := blobBase(now, res.SHA256, filename)
	it := &Item{SHA256: res.SHA256, Filename: cleanFilename(filename), Alt: alt, Caption: caption,
		ContentType: res.Original.ContentType, Width: res.Width, Height: res.Height,
		Bytes: int64(len(res.Original.Data)), Path: base + res.Original.Ext, UserID: actor.UserID, CreatedAt: now}
	written := make([]string, 0, 1+len(res.Variants))
	fail := func(err error) (*Item, error) {
		// Nothing refers to these files yet: remove them, best effort.
		for _, name := range written {
			_ = l.blobs.Delete(context.WithoutCancel(ctx), name)
		}
		return nil, fmt.Errorf("upload %q: %w", filename, err)
	}
	if err := l.blobs.Put(ctx, it.Path, res.Original.Data); err != nil {
		return fail(err)
	}
	written = append(written, it.Path)
	for _, v := range res.Variants {
		name := base + "-" + strconv.Itoa(v.Width) + "w" + v.Ext
		if err := l.blobs.Put(ctx, name, v.Data); err != nil {
			return fail(err)
		}
		written = append(written, name)
		it.Variants = append(it.Variants, Variant{Width: v.Width, Height: v.Height, Path: name, Bytes: int64(len(v.Data))})
	}
	e := audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: audit.ActionMediaUpload,
		TargetType: "media", Summary: it.Filename, IP: actor.IP}
	if err := l.store.CreateMedia(ctx, it, e); err != nil {
		return fail(err)
	}
	return it, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkTexts trims and bounds the alternative text and caption.
func checkTexts(alt, caption string) (string, string, error) {
	alt, caption = strings.TrimSpace(alt), strings.TrimSpace(caption)
	if utf8.RuneCountInString(alt) > MaxAltLen {
		return "", "", apperr.New(apperr.Invalid, "error.media.alt_too_long", MaxAltLen).InField("alt")
	}
	if utf8.RuneCountInString(caption) > MaxCaptionLen {
		return "", "", apperr.New(apperr.Invalid, "error.media.caption_too_long", MaxCaptionLen).InField("caption")
	}
	return alt, caption, nil
}

// blobBase names an upload's files: by month, then a prefix of the
// content's hash (unique, and stable across retries), then a readable slug
// of the uploaded name.
func blobBase(at time.Time, sum, filename string) string {
	name := strings.TrimSuffix(path.Base(strings.ReplaceAll(filename, `\`, "/")), path.Ext(filename))
	slug := textproc.Slugify(name)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "image"
	}
	return at.UTC().Format("2006/01") + "/" + sum[:12] + "-" + slug
}

// cleanFilename keeps the last element of an uploaded name, bounded.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.ToValidUTF8(name, "")
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "." || name == "/" || name == "" {
		return "image"
	}
	return name
}

// Get returns item id.
func (l *Library) Get(ctx context.Context, id int64) (*Item, error) {
	it, err := l.store.Media(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get media %d: %w", id, err)
	}
	return it, nil
}

// List returns a page of the library, newest first.
func (l *Library) List(ctx context.Context, q Query) ([]*Item, int, error) {
	q.Search = strings.TrimSpace(q.Search)
	q.Page = max(q.Page, 1)
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 48
	}
	items, total, err := l.store.ListMedia(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	return items, total, nil
}

// Describe changes the alternative text and caption of item id: anyone
// who may upload may describe, since a missing alt text is everyone's
// problem.
func (l *Library) Describe(ctx context.Context, actor access.Actor, id int64, alt, caption string) error {
	if !actor.Can(access.UploadMedia) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	alt, caption, err := checkTexts(alt, caption)
	if err != nil {
		return err
	}
	if err := l.store.UpdateMedia(ctx, id, alt, caption); err != nil {
		return fmt.Errorf("describe media %d: %w", id, err)
	}
	return nil
}

// Usage returns the articles showing item it.
func (l *Library) Usage(ctx context.Context, it *Item) ([]Usage, error) {
	u, err := l.store.MediaUsage(ctx, it.Path)
	if err != nil {
		return nil, fmt.Errorf("media %d usage: %w", it.ID, err)
	}
	return u, nil
}

// Delete removes item id and its files. Editors may delete any image,
// others only their own. Articles still showing it lose the picture, as in
// WordPress; the library page lists them before the button.
func (l *Library) Delete(ctx context.Context, actor access.Actor, id int64) error {
	it, err := l.store.Media(ctx, id)
	if err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	if !actor.Can(access.ManageMedia) && (it.UserID != actor.UserID || !actor.Can(access.UploadMedia)) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	e := audit.Entry{At: l.clock.Now(), UserID: actor.UserID, UserName: actor.Name, Action: audit.ActionMediaDelete,
		TargetType: "media", TargetID: id, Summary: it.Filename, IP: actor.IP}
	if err := l.store.DeleteMedia(ctx, id, e); err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	// The row is gone: the files are unreachable. A failure here leaves
	// orphans on disk, not broken pages.
	var errs []error
	for _, name := range it.blobNames() {
		if err := l.blobs.Delete(ctx, name); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("delete media %d files: %w", id, errors.Join(errs...))
	}
	return nil
}

func (it *Item) blobNames() []string {
	names := []string{it.Path}
	for _, v := range it.Variants {
		names = append(names, v.Path)
	}
	return names
}

// ImageInfo tells the Markdown renderer about an image of the library, so
// that it gets its size and a srcset; other images are left as written.
func (l *Library) ImageInfo(ctx context.Context, src string) (textproc.ImageInfo, bool) {
	p, ok := strings.CutPrefix(src, URLPrefix)
	if !ok || p == "" || strings.ContainsAny(p, "?#") {
		return textproc.ImageInfo{}, false
	}
	it, err := l.store.MediaByPath(ctx, p)
	if err != nil {
		return textproc.ImageInfo{}, false
	}
	w, h := it.Width, it.Height
	for _, v := range it.Variants {
		if v.Path == p {
			w, h = v.Width, v.Height
		}
	}
	return textproc.ImageInfo{Width: w, Height: h, Srcset: it.Srcset()}, true
}

// ContentType returns the Content-Type of the stored blob name: files are
// only ever written by Upload, as JPEG or PNG.
func ContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	}
	return "application/octet-stream"
}
