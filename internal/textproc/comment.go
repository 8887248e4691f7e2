package textproc

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"

	"github.com/kiosque/kiosque/internal/apperr"
)

// CommentText is a rendered reader comment.
type CommentText struct {
	// HTML is safe to put in a page as is: it holds only p, br, em,
	// strong, blockquote and a (href, rel) elements.
	HTML string
	// Links lists the href of every link in HTML, in order and with
	// repeats, so that the spam policy can count them. Each is an absolute
	// http or https URL, normalized: lower-case scheme and host, an
	// international host in punycode, path and query percent-encoded.
	Links []string
}

// maxCommentQuoteDepth is how deeply quotes may nest in a comment; a deeper
// '>' is text. A quote of a quote of a quote is already hard to follow.
const maxCommentQuoteDepth = 3

// commentLinkRel is the rel of every link in a comment: the newsroom does not
// vouch for it (nofollow), a reader wrote it (ugc), and the page it opens
// gets no handle on ours (noopener).
const commentLinkRel = "nofollow ugc noopener"

// RenderComment renders a reader's comment, written in a small Markdown
// subset, to safe HTML with style's typography, and lists its links.
//
// The subset is what a comment needs: paragraphs (separated by a blank
// line), line breaks (every newline is kept as <br>), *emphasis* or
// _emphasis_, **strong**, quotes ("> " at the start of lines, nested up to
// three levels), links [text](https://…) and bare http(s) URLs, which become
// links as WordPress makes them (sentence punctuation after them, a ")"
// without its "(" and the » of « https://… » are left out). An image
// ![alt](https://…) becomes a plain link labelled with its alt text: no
// remote image (tracking pixel, layout breaker) is ever loaded. A line that
// follows a quote without "> " is not part of it: a reader who quotes, then
// answers on the next line, means the answer to be theirs.
//
// Links are made only to http and https URLs with a host and no user name.
// Anything else (javascript:, data:, mailto:, relative) and a link whose
// text shows the URL of another host than it goes to stays text, shown as
// written. Every link gets rel="nofollow ugc noopener" and no target; a link
// with a blank text shows its URL.
//
// Everything else is shown literally: raw HTML, headings, lists, code,
// tables and character references, which are not decoded ("&lt;" shows
// "&lt;"), so the reader sees what they typed. A backslash before ASCII
// punctuation escapes it, as in CommonMark ("\*" shows "*").
//
// src that is not valid UTF-8 or holds control characters other than tab,
// newline and carriage return is an apperr.Invalid error with the key
// "error.comment.bad_text"; one with no visible text is an apperr.Invalid
// error with the key "error.comment.empty". An unknown style is an error
// wrapping ErrUnknownStyle. The caller limits the length; the time taken is
// linear in it, whatever the text holds.
func RenderComment(src string, style Style) (CommentText, error) {
	if !style.valid() {
		return CommentText{}, fmt.Errorf("render comment: %w", ErrUnknownStyle)
	}
	if err := checkCommentText(src); err != nil {
		return CommentText{}, err
	}
	var w commentWriter
	w.buf.Grow(len(src) + len(src)/4)
	w.blocks(src)
	if w.visible == 0 {
		return CommentText{}, apperr.Wrap(errors.New("render comment: no visible text"),
			apperr.Invalid, "error.comment.empty")
	}
	clean := commentPolicy().SanitizeBytes(w.buf.Bytes())
	out, err := TypographyHTML(string(clean), style)
	if err != nil {
		return CommentText{}, fmt.Errorf("render comment: %w", err)
	}
	return CommentText{HTML: out, Links: w.links}, nil
}

// checkCommentText returns an Invalid error if s is not valid UTF-8 or holds
// a control character other than tab, newline and carriage return. Both come
// from broken clients or robots, not from people typing, and rendering them
// would mean changing the text behind the reader's back.
func checkCommentText(s string) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return apperr.Wrap(fmt.Errorf("render comment: invalid UTF-8 at byte %d", i),
				apperr.Invalid, "error.comment.bad_text")
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r):
			return apperr.Wrap(fmt.Errorf("render comment: control character %U at byte %d", r, i),
				apperr.Invalid, "error.comment.bad_text")
		}
	}
	return nil
}

// commentPolicy returns the allow-list that comment HTML passes through: a
// second line of defence, since commentWriter only writes these elements
// and attributes. It starts from a zero Policy, as newPolicy does.
var commentPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := new(bluemonday.Policy)
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https")
	p.AllowNoAttrs().OnElements("p", "br", "em", "strong", "blockquote")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + commentLinkRel + `$`)).OnElements("a")
	p.SkipElementsContent("script", "style", "iframe", "object", "noscript", "template", "svg", "math", "textarea", "title")
	return p
})

// commentWriter writes the HTML of a comment.
type commentWriter struct {
	buf     bytes.Buffer
	links   []string
	visible int // count of non-blank text pieces written
	inLink  bool
}

// blocks writes the paragraphs and quotes of src. A line's quote depth is
// the number of '>' that start it (blanks around them ignored), at most
// maxCommentQuoteDepth. A paragraph is a run of non-blank lines of one
// depth; a blank line ends it, and also ends the quotes deeper than its own
// depth, so that two quotes separated by an empty line stay two.
func (w *commentWriter) blocks(src string) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	open := 0       // quotes open in the output
	paraDepth := -1 // depth of the paragraph being collected, -1 if none
	var para strings.Builder
	flush := func() {
		if paraDepth < 0 {
			return
		}
		for ; open > paraDepth; open-- {
			w.buf.WriteString("</blockquote>\n")
		}
		for ; open < paraDepth; open++ {
			w.buf.WriteString("<blockquote>\n")
		}
		w.buf.WriteString("<p>")
		w.inline(para.String())
		w.buf.WriteString("</p>\n")
		para.Reset()
		paraDepth = -1
	}
	for line := range strings.SplitSeq(src, "\n") {
		depth, content := quoteDepth(line)
		content = strings.TrimFunc(content, unicode.IsSpace)
		switch {
		case content == "":
			flush()
			for ; open > depth; open-- {
				w.buf.WriteString("</blockquote>\n")
			}
			continue
		case depth != paraDepth:
			flush()
		default:
			para.WriteByte('\n')
		}
		paraDepth = depth
		para.WriteString(content)
	}
	flush()
	for ; open > 0; open-- {
		w.buf.WriteString("</blockquote>\n")
	}
}

// quoteDepth returns the number of quote markers that start line, at most
// maxCommentQuoteDepth, and what follows them.
func quoteDepth(line string) (int, string) {
	depth, i := 0, 0
	for i < len(line) && depth < maxCommentQuoteDepth {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j == len(line) || line[j] != '>' {
			break
		}
		depth++
		i = j + 1
	}
	return depth, line[i:]
}

// inline writes the inline content of one paragraph, whose lines are
// separated by "\n".
func (w *commentWriter) inline(s string) {
	p := inlineParser{s: s}
	p.parse()
	w.nodes(p.s, p.head)
}
