package textproc

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Renderer turns Markdown into sanitized HTML. Build it once with NewRenderer
// and share it: it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer returns a Renderer for CommonMark with GFM tables,
// strikethrough, autolinked bare URLs and footnotes. Raw HTML in the source is
// kept by the Markdown step and then, like everything else, filtered by the
// allow-list described on Render. Goldmark's typographer is deliberately off:
// it produces English quotes, and Render applies French rules instead.
func NewRenderer() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.NewFootnote(),
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(articleTransformer{}, 500)),
		),
		goldmark.WithRendererOptions(
			html.WithUnsafe(), // raw HTML reaches the sanitizer, which decides
			renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, 500)),
		),
	)
	return &Renderer{md: md, policy: newPolicy()}
}

// Render converts the Markdown src to HTML that is safe to put in a page, with
// style's typography applied to its text.
//
// The output keeps only p, br, h2–h6 (an h1 becomes h2: the page title is the
// only h1), blockquote (cite), ul, ol (start), li, a (href, title), img (src,
// alt, title, width, height), figure, figcaption, em, strong, del, s, code,
// pre, hr, table, thead, tbody, tr, th and td (align), sup, sub, abbr (title),
// cite, q (cite), small, mark, and the ids, classes and roles of goldmark's
// footnotes. Everything else is removed: scripts, styles, frames, media,
// forms, style and event attributes. Links may only point to http, https,
// mailto or relative URLs, images to http, https or relative ones (never
// data:). An image alone in its paragraph with a title becomes a figure whose
// caption is the title. Images get loading="lazy" decoding="async", and links
// to absolute http(s) URLs rel="noopener".
//
// Render is idempotent on its own output: rendering the HTML it returned gives
// the same HTML. (The exception is raw HTML at the top level of the source
// whose tags were all removed: its bare text gains a paragraph the second
// time.) The error is non-nil only for an unknown style or a failure of the
// underlying libraries.
func (r *Renderer) Render(src string, style Style) (string, error) {
	return r.RenderWith(src, style, nil)
}

// ImageInfo is what the site knows about an image it stores: its
// intrinsic size and the srcset listing its resized copies.
type ImageInfo struct {
	Width, Height int
	Srcset        string
}

// ImageResolver returns what is known about the image at src; false for
// an image the site does not store (left as written).
type ImageResolver func(src string) (ImageInfo, bool)

// ArticleImageSizes is the sizes attribute of article images: the full
// width of a phone, the text column (42rem) beyond.
const ArticleImageSizes = "(max-width: 44rem) 100vw, 42rem"

// RenderWith is Render, giving the images that images knows their width,
// height, srcset and sizes.
func (r *Renderer) RenderWith(src string, style Style, images ImageResolver) (string, error) {
	if !style.valid() {
		return "", fmt.Errorf("render markdown: %w", ErrUnknownStyle)
	}
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	clean := r.policy.SanitizeReader(&buf)
	out, err := decorate(clean.String(), images)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	out, err = TypographyHTML(out, style)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return out, nil
}
