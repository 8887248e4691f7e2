package wxr

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
)

// The limits that keep memory flat whatever the file.
const (
	// MaxFieldBytes is the largest text of one field (a post's content, a
	// meta value…). A larger one makes its item an ItemError with
	// CodeTooLarge, and the stream goes on. WordPress's own content is
	// far smaller; 64 MB leaves room for posts with inline images.
	MaxFieldBytes = 64 << 20
	// MaxItemBytes is the largest size of one item, comments included, in
	// the file. Past it the stream ends with ErrTooLarge: encoding/xml
	// holds a run of text in memory whole (and keeps the buffer of the
	// longest for the rest of the file), so this is what bounds the memory
	// a hostile file can take. A post with 100,000 comments of the usual
	// length takes about 70 MB.
	MaxItemBytes = 128 << 20
	// MaxHeaderBytes is the largest size of what comes before the first
	// item (site, authors, terms), which the reader keeps in memory. A
	// site with 100,000 tags takes about 20 MB.
	MaxHeaderBytes = 64 << 20
)

// limits are the limits in force: the constants, which tests lower to
// check them without writing hundreds of megabytes.
var limits = struct{ field, item, header int }{MaxFieldBytes, MaxItemBytes, MaxHeaderBytes}

// versions are the WXR versions this package reads.
var versions = map[string]bool{"1.0": true, "1.1": true, "1.2": true}

// Reader reads the items of one WordPress export in order. It is not safe
// for concurrent use.
type Reader struct {
	// Site is what the channel says about the site.
	Site Site
	// Authors and Terms are the channel's wp:author, and its wp:category,
	// wp:tag and wp:term, in file order. WordPress writes them all before
	// the first item; any that come later are added as Next meets them
	// (with a warning), so look again after the last item.
	Authors []Author
	Terms   []Term
	// Skipped lists the authors and terms that could not be read; the
	// others were.
	Skipped []*ItemError
	// Warnings lists what is odd about the export but does not stop
	// reading it (control characters read as spaces, elements after the
	// channel…); it grows as the file is read.
	Warnings []string

	budget *budgetReader
	ctl    *controlFilter
	dec    *xml.Decoder
	tok    *tokens

	// pending is the line of the first item's start tag, read by
	// NewReader, or 0.
	pending int
	// inHeader is set while NewReader runs; channelDone once </channel>
	// is read.
	inHeader    bool
	channelDone bool
	// count counts the elements read, per kind, for their Index.
	count map[string]int
	// cur is the element being read, named in fatal errors.
	cur ItemRef
	// headerBytes is the size of the header elements that came after
	// the first item, bounded as the header is.
	headerBytes int
	warned      map[string]bool
	err         error
}

// NewReader reads an export up to its first item: the site, the authors
// and the terms. It refuses, with a *FatalError, what is not a WXR 1.0 to
// 1.2 export (ErrNotWXR, ErrVersion), a DOCTYPE declaring entities
// (ErrDoctype) and a broken file (ErrXML, ErrEncoding, ErrTruncated,
// ErrTooLarge).
func NewReader(src io.Reader) (*Reader, error) {
	r := &Reader{count: map[string]int{}, warned: map[string]bool{}}
	rest, err := sniff(src)
	if err != nil {
		return nil, &FatalError{Line: 1, Column: 1, Err: err}
	}
	r.budget = &budgetReader{r: rest, left: limits.header}
	r.ctl = &controlFilter{r: r.budget}
	r.dec = xml.NewDecoder(bufio.NewReaderSize(r.ctl, 64<<10))
	r.dec.CharsetReader = charsetReader
	// Named HTML entities (&nbsp;, &eacute;) are not XML, but plugins
	// and other exporters write them outside CDATA, and WordPress's
	// importer, falling back to regular expressions, reads them: this
	// fixed table is accepted, declared entities never are.
	r.dec.Entity = xml.HTMLEntity
	r.tok = &tokens{d: r.dec}
	r.inHeader = true
	if err := r.readRoot(); err != nil {
		return nil, r.fatal(err)
	}
	if err := r.readHeader(); err != nil {
		return nil, r.fatal(err)
	}
	r.inHeader = false
	return r, nil
}

// readRoot reads up to the channel's start tag, checking the prolog and
// the root element.
func (r *Reader) readRoot() error {
	for {
		tok, err := r.tok.next()
		if err == io.EOF {
			return detailf(ErrNotWXR, "the file has no XML element")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if err := checkDirective(t); err != nil {
				return err
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				return detailf(ErrNotWXR, "it begins with text (%q), not an XML element", clip(s, 30))
			}
		case xml.StartElement:
			if err := r.checkRoot(t); err != nil {
				return err
			}
			return r.findChannel()
		}
	}
}

// checkDirective refuses a DOCTYPE with an internal subset or entity
// declarations. A bare one (<!DOCTYPE rss>) is harmless.
func checkDirective(d xml.Directive) error {
	if bytes.ContainsRune(d, '[') || bytes.Contains(d, []byte("ENTITY")) {
		return ErrDoctype
	}
	return nil
}

func (r *Reader) checkRoot(root xml.StartElement) error {
	if r.tok.resolve(root.Name) != nsNone || root.Name.Local != "rss" {
		return detailf(ErrNotWXR, "the root element is <%s>, not <rss>", qname(root.Name))
	}
	// A WordPress namespace of another version says which, more clearly
	// than the elements it hides would.
	for _, a := range root.Attr {
		if a.Name.Space != "xmlns" {
			continue
		}
		for _, prefix := range []string{"http://wordpress.org/export/", "https://wordpress.org/export/"} {
			v, ok := strings.CutPrefix(a.Value, prefix)
			if v, ok2 := strings.CutSuffix(v, "/"); ok && ok2 && !strings.Contains(v, "/") && !versions[v] {
				return detailf(ErrVersion, "the namespace %s is WXR %s's; this reader knows 1.0, 1.1 and 1.2", clip(a.Value, 60), clip(v, 20))
			}
		}
	}
	return nil
}

// findChannel reads the root's children up to <channel>.
func (r *Reader) findChannel() error {
	for {
		tok, err := r.tok.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return detailf(ErrXML, "a <!%s> declaration inside <rss>", clip(string(t), 20))
		case xml.EndElement:
			return detailf(ErrNotWXR, "<rss> has no <channel>")
		case xml.StartElement:
			if r.tok.resolve(t.Name) == nsNone && t.Name.Local == "channel" {
				return nil
			}
			if err := r.tok.skip(); err != nil {
				return err
			}
		}
	}
}

// readHeader reads the channel's children up to the first item's start
// tag (kept for Next) or the channel's end.
func (r *Reader) readHeader() error {
	for {
		tok, err := r.tok.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return detailf(ErrXML, "a <!%s> declaration inside <channel>", clip(string(t), 20))
		case xml.EndElement:
			r.channelDone = true
			return r.checkVersion()
		case xml.StartElement:
			n := r.tok.resolve(t.Name)
			if n == nsNone && t.Name.Local == "item" {
				r.pending, _ = r.dec.InputPos()
				r.budget.left = limits.item
				return r.checkVersion()
			}
			if err := r.channelChild(n, t); err != nil {
				return err
			}
		}
	}
}

// checkVersion refuses a channel without wp:wxr_version, as WordPress's
// importer does: an RSS feed is not an export.
func (r *Reader) checkVersion() error {
	if r.Site.Version == "" {
		return detailf(ErrNotWXR, "the channel has no wp:wxr_version before its first item (an RSS feed rather than an export?)")
	}
	return nil
}

// channelChild reads a child of the channel other than an item.
func (r *Reader) channelChild(n ns, start xml.StartElement) error {
	var dst *string
	switch n {
	case nsWP:
		switch start.Name.Local {
		case "author":
			return r.readAuthor()
		case "category", "tag", "term":
			return r.readTerm(start.Name.Local)
		case "wxr_version":
			return r.readVersion()
		case "base_site_url":
			dst = &r.Site.BaseSiteURL
		case "base_blog_url":
			dst = &r.Site.BaseBlogURL
		}
	case nsNone:
		switch start.Name.Local {
		case "title":
			dst = &r.Site.Title
		case "link":
			dst = &r.Site.Link
		case "description":
			dst = &r.Site.Description
		case "language":
			dst = &r.Site.Language
		case "pubDate":
			dst = &r.Site.PubDate
		case "generator":
			dst = &r.Site.Generator
		}
	}
	if dst == nil {
		return r.tok.skip()
	}
	t, err := r.tok.text(limits.field)
	if err != nil {
		return err
	}
	if t.size > limits.field {
		line, _ := r.dec.InputPos()
		r.warn("the channel's <%s> (ending at line %d) is over %s and was left out", qname(start.Name), line, mb(limits.field))
		return nil
	}
	// The first wins: a channel has one of each.
	if *dst == "" {
		*dst = strings.TrimSpace(t.s)
	}
	return nil
}

func (r *Reader) readVersion() error {
	t, err := r.tok.text(64)
	if err != nil {
		return err
	}
	v := strings.TrimSpace(t.s)
	if !versions[v] || t.size > 64 {
		return detailf(ErrVersion, "the export is WXR %q; this reader knows 1.0, 1.1 and 1.2", clip(v, 20))
	}
	if r.Site.Version == "" {
		r.Site.Version = v
	}
	return nil
}

// Next returns the next item. At the end of the export it returns io.EOF.
// An item that cannot be read gives an *ItemError: call Next again for
// the following one. Any other error is a *FatalError that ends the
// stream (Next keeps returning it).
func (r *Reader) Next() (*Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.pending != 0 {
		line := r.pending
		r.pending = 0
		return r.item(line)
	}
	if r.channelDone {
		return nil, r.finish()
	}
	for {
		r.budget.left = limits.item
		tok, err := r.tok.next()
		if err != nil {
			return nil, r.fatal(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, r.fatal(detailf(ErrXML, "a <!%s> declaration inside <channel>", clip(string(t), 20)))
		case xml.EndElement:
			r.channelDone = true
			return nil, r.finish()
		case xml.StartElement:
			n := r.tok.resolve(t.Name)
			if n == nsNone && t.Name.Local == "item" {
				line, _ := r.dec.InputPos()
				return r.item(line)
			}
			if err := r.lateChild(n, t); err != nil {
				return nil, r.fatal(err)
			}
		}
	}
}

// item reads the item whose start tag was just read.
func (r *Reader) item(line int) (*Item, error) {
	it, err := r.readItem(line)
	var ie *ItemError
	if err != nil && !errors.As(err, &ie) {
		return nil, r.fatal(err)
	}
	r.cur = ItemRef{}
	return it, err
}

// lateChild reads a child of the channel met after the first item.
// Authors and terms are kept, and bounded as the header is; the site's
// fields were settled before.
func (r *Reader) lateChild(n ns, start xml.StartElement) error {
	kind := "wp:" + start.Name.Local
	if n != nsWP || (kind != "wp:author" && kind != "wp:category" && kind != "wp:tag" && kind != "wp:term") {
		return r.tok.skip()
	}
	if !r.warned[kind] {
		r.warned[kind] = true
		line, _ := r.dec.InputPos()
		r.warn("%s elements come after the first item (the first at line %d): they are added to Authors and Terms as they are read", kind, line)
	}
	from := r.dec.InputOffset()
	var err error
	if kind == "wp:author" {
		err = r.readAuthor()
	} else {
		err = r.readTerm(start.Name.Local)
	}
	r.headerBytes += int(r.dec.InputOffset() - from)
	if err == nil && r.headerBytes > limits.header {
		err = detailf(ErrTooLarge, "the authors and terms after the first item are over %s (MaxHeaderBytes)", mb(limits.header))
	}
	return err
}

// finish reads what follows the channel, up to the end of the file.
func (r *Reader) finish() error {
	if r.ctl.count > 0 && !r.warned["control"] {
		r.warned["control"] = true
		r.warn("%d control characters, which XML forbids, were read as spaces (the first at line %d)", r.ctl.count, r.ctl.line)
	}
	for {
		r.budget.left = limits.item
		tok, err := r.tok.next()
		if err == io.EOF {
			r.err = io.EOF
			return io.EOF
		}
		if err != nil {
			return r.fatal(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return r.fatal(detailf(ErrXML, "a <!%s> declaration after the channel", clip(string(t), 20)))
		case xml.StartElement:
			if r.tok.depth() == 1 {
				return r.fatal(detailf(ErrXML, "a second root element <%s>", qname(t.Name)))
			}
			if !r.warned["after"] {
				r.warned["after"] = true
				line, _ := r.dec.InputPos()
				r.warn("<%s> after </channel> (line %d) is ignored", qname(t.Name), line)
			}
			if err := r.tok.skip(); err != nil {
				return r.fatal(err)
			}
		case xml.CharData:
			if r.tok.depth() == 0 && len(bytes.TrimSpace(t)) > 0 {
				return r.fatal(detailf(ErrXML, "text after the root element"))
			}
		}
	}
}

// All returns an iterator over the remaining items, for range loops: each
// step gives an item, or an *ItemError (the loop may go on), or a
// *FatalError, which is the last step. The end of the export ends the
// loop.
func (r *Reader) All() iter.Seq2[*Item, error] {
	return func(yield func(*Item, error) bool) {
		for {
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(it, err) {
				return
			}
			var ie *ItemError
			if err != nil && !errors.As(err, &ie) {
				return
			}
		}
	}
}

func (r *Reader) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// fatal records err, with the position and the element being read, as the
// error that ends the stream.
func (r *Reader) fatal(err error) error {
	var fe *FatalError
	if errors.As(err, &fe) {
		r.err = fe
		return fe
	}
	line, col := r.dec.InputPos()
	fe = &FatalError{Line: line, Column: col, Offset: r.dec.InputOffset(), Item: r.cur, Err: r.cause(err)}
	r.err = fe
	return fe
}

// cause turns what encoding/xml and the input return into one of the
// package's sentinels.
func (r *Reader) cause(err error) error {
	var de *detailError
	var se *xml.SyntaxError
	switch {
	case errors.As(err, &de):
		return de
	case errors.Is(err, ErrTooLarge):
		if r.inHeader {
			return detailf(ErrTooLarge, "what comes before the first item is over %s (MaxHeaderBytes)", mb(limits.header))
		}
		if r.cur.Index > 0 {
			return detailf(ErrTooLarge, "the %s is over %s (MaxItemBytes)", r.cur.Element, mb(limits.item))
		}
		return detailf(ErrTooLarge, "an element of the channel is over %s (MaxItemBytes)", mb(limits.item))
	case errors.As(err, &se):
		switch {
		case strings.HasPrefix(se.Msg, "unexpected EOF"):
			detail := "it ends in the middle of a tag or section"
			if r.tok.depth() > 0 {
				detail = fmt.Sprintf("it ends inside <%s>", r.tok.open())
			}
			return &detailError{kind: ErrTruncated, detail: detail, cause: se}
		case se.Msg == "invalid UTF-8":
			return &detailError{kind: ErrEncoding, detail: "invalid UTF-8 (a Latin-1 or Windows-1252 file that says it is UTF-8?)", cause: se}
		}
		return &detailError{kind: ErrXML, detail: se.Msg, cause: se}
	}
	return err
}
