package wpcontent

import (
	"slices"
	"strings"
)

// Attachment is what the importer knows of a WordPress attachment (a media
// library item), used to build the figures of a [gallery].
type Attachment struct {
	// URL is the image's address, already rewritten for kiosque if the
	// file was imported (plain text, not HTML).
	URL string
	// Alt is the image's alternative text (plain text).
	Alt string
	// Caption is the attachment's caption, HTML as WordPress stores it in
	// post_excerpt; empty for none.
	Caption string
}

// Options tells Convert what the rest of the import knows.
type Options struct {
	// Attachments returns the attachment with a WordPress post id, false
	// when the export has none; nil knows none. Galleries need it.
	Attachments func(id int64) (Attachment, bool)
	// RewriteURL returns the new address for a URL found in a src, href,
	// srcset or poster attribute, and false to keep it as written. The
	// importer maps wp-content/uploads URLs to the media library with it.
	RewriteURL func(url string) (string, bool)
	// UploadsBase is the address of the site's uploads folder, e.g.
	// "https://example.com/wp-content/uploads/": URLs under it that
	// RewriteURL leaves are listed in Report.KeptUploadURLs. Its scheme is
	// ignored, so http and https links both count.
	UploadsBase string
}

// Report is what Convert noticed and could not carry over as is; the
// import's summary and report file show it.
type Report struct {
	// BlockEditor is true for content written with the block editor (it
	// holds "<!-- wp:" comments), which gets no wpautop.
	BlockEditor bool
	// MoreTag is true when the content had a <!--more--> tag: WordPress
	// shows what comes before it as the post's teaser. The tag itself is
	// removed.
	MoreTag bool
	// PageBreaks counts <!--nextpage--> tags, removed: kiosque shows an
	// article on one page.
	PageBreaks int
	// UnknownShortcodes counts, by lower-case name, the shortcodes left as
	// text because only a WordPress plugin knew what they meant.
	UnknownShortcodes map[string]int
	// UnresolvedGalleryIDs lists the attachment ids of [gallery] images
	// that Options.Attachments did not know, in order; those images are
	// left out.
	UnresolvedGalleryIDs []string
	// DynamicBlocks counts, by name, the void blocks that WordPress renders
	// on the server (latest posts, reusable blocks…): nothing of them is in
	// the content.
	DynamicBlocks map[string]int
	// KeptUploadURLs lists, once each and in order, the URLs under
	// Options.UploadsBase that RewriteURL did not rewrite.
	KeptUploadURLs []string
	// Warnings are other things the newsroom should look at, in English,
	// each once.
	Warnings []string
}

// converter holds the state of one Convert call.
type converter struct {
	opts Options
	rep  Report
	seen map[string]bool // KeptUploadURLs already listed
}

// warn adds msg to the report's warnings, once.
func (c *converter) warn(msg string) {
	if !slices.Contains(c.rep.Warnings, msg) {
		c.rep.Warnings = append(c.rep.Warnings, msg)
	}
}

// Convert turns a WordPress post's content (content:encoded) into HTML that
// kiosque stores as an article's Markdown body and that its renderer keeps:
// it does to the content what WordPress does when it shows a post, without
// the network and without plugins.
//
// Classic-editor content gets wpautop (its paragraphs are blank lines);
// block-editor content (it holds "<!-- wp:" comments, WordPress's
// has_blocks) is already HTML and only loses its block comments. URLs alone
// on their line become links (WordPress's auto-embeds); [caption] becomes a
// figure, [gallery] figures of the known attachments, [embed], [audio] and
// [video] links (kiosque's renderer removes iframes and media elements).
// Other shortcodes stay as text and are counted in the report. Every src,
// href, srcset and poster URL goes through opts.RewriteURL.
//
// The result is one HTML block for Markdown: it starts with a block-level
// tag and holds no blank line (blank lines inside <pre> become "&#10;"), so
// the Markdown parser hands it whole to the sanitizer instead of reading
// parts of it as Markdown. HTML comments are removed. Convert never fails:
// malformed HTML is passed on for the sanitizer to mend.
func Convert(content string, opts Options) (html string, rep Report) {
	c := &converter{opts: opts}
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content = strings.ReplaceAll(content, "\r", "\n")
	if strings.Contains(content, "<!--") {
		c.rep.MoreTag = reMore.MatchString(content)
		c.rep.PageBreaks = len(reNextPage.FindAllStringIndex(content, -1))
		if c.rep.PageBreaks > 0 {
			c.warn("the post's page breaks (<!--nextpage-->) were removed")
		}
	}
	c.rep.BlockEditor = hasBlocks(content)
	if c.rep.BlockEditor {
		content = stripBlockDelimiters(content, &c.rep)
	}
	content = autoembed(content, c.rep.BlockEditor)
	if !c.rep.BlockEditor {
		content = wpautop(content)
	}
	content = c.shortcodes(content)
	return c.finish(content), c.rep
}
