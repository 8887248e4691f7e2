package textproc

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy returns the allow-list every rendered article passes through.
//
// It starts from a zero bluemonday.Policy rather than NewPolicy, which
// pre-approves some eighty bare elements (div, button, video…): here an
// element is kept only if it is named below. Anything else loses its tags but
// keeps its text, except script, style, iframe and the like, which vanish with
// their content. No style or event attribute is ever allowed, and URLs must
// parse and be http, https, mailto (links only) or relative.
func newPolicy() *bluemonday.Policy {
	p := new(bluemonday.Policy)
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")

	p.AllowNoAttrs().OnElements(
		"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
		"figure", "figcaption", "em", "strong", "del", "s", "code", "pre", "hr",
		"table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr", "cite",
		"q", "small", "mark",
	)
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("title").OnElements("abbr")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)).OnElements("code")

	// An image source must be http(s) or relative: the first of ":/?#" in a
	// relative URL is not ':' (this is how URL parsers find a scheme).
	p.AllowAttrs("src").Matching(regexp.MustCompile(`^(?:(?i:https?):|[^:/?#]*(?:[/?#]|$))`)).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[0-9]{1,5}$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")

	// Footnotes as goldmark writes them: <sup id="fnref:1"><a href="#fn:1"
	// class="footnote-ref" role="doc-noteref">, <div class="footnotes"
	// role="doc-endnotes">, <li id="fn:1"> and the "footnote-backref" link.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fnref[0-9]*:[0-9]+$`)).OnElements("sup")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn:[0-9]+$`)).OnElements("li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-endnotes$`)).OnElements("div")

	p.SkipElementsContent(
		"script", "style", "iframe", "frame", "frameset", "object", "applet",
		"noscript", "noembed", "noframes", "template", "svg", "math", "audio",
		"video", "canvas", "select", "textarea", "title", "head", "xmp",
	)
	return p
}
