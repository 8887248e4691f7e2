package wpcontent

// This file reads the HTML of a comment into paragraphs of text runs,
// spaces and breaks, each run with its emphasis and link.

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/textproc"
	xhtml "golang.org/x/net/html"
)

// commentMark is the text an open code or q element puts around its content.
type commentMark struct {
	tag, s string
}

// maxCommentMarks is how many code and q elements may be open at once;
// more are ignored, so that "<q>" repeated does not take quadratic time.
const maxCommentMarks = 16

// commentReader reads the HTML of a comment into paragraphs.
type commentReader struct {
	paras  []commentPara
	em     int // open em and i elements
	strong int // open strong and b elements
	hidden int // open elements whose content is not shown
	href   string
	marks  []commentMark // the open code and q elements
	opened int           // how many of marks (the first ones) have their opening written
	quotes []int         // the open blockquotes
	quote  int           // the id of the last blockquote opened
	gap    commentGap
}

// commentGap is what separates the last run of text read from the next:
// white space, line breaks or a paragraph break. Only the next run tells
// which, so that breaks at the start or end of a paragraph are dropped.
type commentGap struct {
	brs, newlines int    // <br> tags, newlines in the text
	line, para    bool   // a line or a paragraph break is due to an element
	space         string // the space to write, "" for none
}

// hiddenElements are the elements whose content is not text for readers.
// They are among those the tokenizer reads as raw text, up to their end tag
// (or the end of the content when there is none, as browsers do).
var hiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "noembed": true, "noframes": true, "noscript": true,
}

// blockElements separate paragraphs, as their boxes do on a page.
var blockElements = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "dl": true, "table": true, "pre": true, "address": true, "hr": true,
	"figure": true, "figcaption": true, "section": true, "article": true, "aside": true,
	"header": true, "footer": true, "nav": true, "main": true, "details": true, "summary": true,
	"fieldset": true, "form": true, "center": true,
}

// lineElements start on a line of their own, without making a paragraph.
var lineElements = map[string]bool{"li": true, "dt": true, "dd": true, "tr": true, "caption": true}

// read reads the HTML of a comment, its newlines already normalised.
func (r *commentReader) read(content string) {
	z := xhtml.NewTokenizer(strings.NewReader(content))
	for {
		switch tt := z.Next(); tt {
		case xhtml.ErrorToken:
			// The end of the content: the tokenizer reads from a string.
			for i := len(r.marks) - 1; i >= 0; i-- {
				r.closeMark(i)
			}
			return
		case xhtml.TextToken:
			if r.hidden == 0 {
				r.text(string(z.Text()))
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			href := ""
			for hasAttr && string(name) == "a" {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					href = string(v)
				}
			}
			r.startTag(string(name), href, tt == xhtml.SelfClosingTagToken)
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			r.endTag(string(name))
		}
	}
}

// startTag reads a start tag; href is an <a>'s.
func (r *commentReader) startTag(name, href string, selfClosing bool) {
	switch {
	case name == "br":
		r.gap.brs++
	case blockElements[name]:
		r.gap.para = true
	case lineElements[name]:
		r.gap.line = true
	case name == "td" || name == "th":
		r.space(" ")
	case hiddenElements[name]:
		// The tokenizer reads "<script/>" as "<script>" too.
		r.hidden++
	case selfClosing:
		// <em/> and the like open nothing worth showing.
	case name == "blockquote":
		r.quote++
		r.quotes = append(r.quotes, r.quote)
		r.gap.para = true
	case name == "em" || name == "i":
		r.em++
	case name == "strong" || name == "b":
		r.strong++
	case name == "a":
		r.href, _ = commentLinkDest(href)
	case (name == "code" || name == "q") && len(r.marks) < maxCommentMarks:
		m := commentMark{tag: name, s: "`"}
		if name == "q" {
			m.s = `"`
		}
		r.marks = append(r.marks, m)
	}
}

// endTag reads an end tag; one that closes no open element is ignored.
func (r *commentReader) endTag(name string) {
	switch {
	case name == "br": // browsers read </br> as <br>
		r.gap.brs++
	case blockElements[name]:
		r.gap.para = true
	case lineElements[name]:
		r.gap.line = true
	case name == "td" || name == "th":
		r.space(" ")
	case name == "blockquote":
		if len(r.quotes) > 0 {
			r.quotes = r.quotes[:len(r.quotes)-1]
			r.gap.para = true
		}
	case name == "em" || name == "i":
		r.em = max(r.em-1, 0)
	case name == "strong" || name == "b":
		r.strong = max(r.strong-1, 0)
	case name == "a":
		r.href = ""
	case name == "code" || name == "q":
		for i := len(r.marks) - 1; i >= 0; i-- {
			if r.marks[i].tag == name {
				r.closeMark(i)
				break
			}
		}
	case hiddenElements[name]:
		r.hidden = max(r.hidden-1, 0)
	}
}

// closeMark removes r.marks[i] and writes its closing after the last run,
// if its opening was written (the element had visible text); white space
// that came before stays pending.
func (r *commentReader) closeMark(i int) {
	m := r.marks[i]
	r.marks = slices.Delete(r.marks, i, i+1)
	if i >= r.opened {
		return
	}
	r.opened--
	p := &r.paras[len(r.paras)-1]
	last := p.items[len(p.items)-1] // a paragraph ends with text
	p.items = append(p.items, commentItem{kind: itemText, fmt: last.fmt, s: m.s, href: last.href})
}

// text reads the content of a text token: runs of text, spaces and
// newlines.
func (r *commentReader) text(s string) {
	start := -1 // start of the run being read
	for i, c := range s {
		isSpace := unicode.IsSpace(c)
		if start >= 0 && (isSpace || unicode.IsControl(c)) {
			r.run(s[start:i])
			start = -1
		}
		switch {
		case c == '\n':
			r.gap.newlines++
		case isSpace && (c < utf8.RuneSelf || unicode.IsControl(c)):
			r.space(" ") // a tab, a form feed…
		case isSpace:
			r.space(string(c))
		case unicode.IsControl(c):
			// RenderComment refuses control characters.
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		r.run(s[start:])
	}
}

// space records white space in the gap: plain spaces collapse into one,
// other spaces (a no-break space) are kept as they are.
func (r *commentReader) space(s string) {
	if s != " " || r.gap.space == "" {
		r.gap.space = s
	}
}

// run adds a run of text, without white space, to the comment: in a new
// paragraph or line, or after a space, as the gap says.
func (r *commentReader) run(s string) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	quotes := r.quotes[:min(len(r.quotes), commentQuoteDepth)]
	g := r.gap
	r.gap = commentGap{}
	var p *commentPara
	if n := len(r.paras); n > 0 {
		p = &r.paras[n-1]
	}
	switch breaks := max(g.brs, g.newlines); {
	case p == nil || g.para || breaks >= 2 || !slices.Equal(p.quotes, quotes):
		r.paras = append(r.paras, commentPara{quotes: slices.Clone(quotes)})
		p = &r.paras[len(r.paras)-1]
	case breaks == 1 || g.line:
		p.items = append(p.items, commentItem{kind: itemBreak})
	case g.space != "":
		p.items = append(p.items, commentItem{kind: itemSpace, s: g.space})
	}
	if r.opened < len(r.marks) {
		var open strings.Builder
		for _, m := range r.marks[r.opened:] {
			open.WriteString(m.s)
		}
		s = open.String() + s
		r.opened = len(r.marks)
	}
	var f uint8
	if r.em > 0 {
		f |= fmtEm
	}
	if r.strong > 0 {
		f |= fmtStrong
	}
	p.items = append(p.items, commentItem{kind: itemText, fmt: f, s: s, href: r.href})
}

// commentLinkDest returns an <a>'s href as the destination of a Markdown
// link, and false when textproc.RenderComment would not make a link of it:
// only an http or https URL with a host and no user name is a link in a
// comment (textproc.CommentLinkAllowed). Tabs and newlines are
// removed, as browsers do, and spaces percent-encoded, since a destination
// ends at one; '(', ')' and '\' are escaped, so that textproc reads the
// destination back as the URL checked here.
func commentLinkDest(href string) (string, bool) {
	href = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(href))
	href = strings.ReplaceAll(href, " ", "%20")
	if !textproc.CommentLinkAllowed(href) {
		return "", false
	}
	var b strings.Builder
	for _, c := range href {
		if c == '(' || c == ')' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String(), true
}
