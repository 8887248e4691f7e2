package wpcontent

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/textproc"
	xhtml "golang.org/x/net/html"
)

// CommentText turns a WordPress comment's content into the text kiosque
// stores as a comment's body: the small Markdown subset that
// textproc.RenderComment reads, so that an imported comment renders like
// one written on kiosque, now and each time moderation renders it again.
//
// WordPress stores a comment as text with a few HTML tags, and wpautop
// makes its paragraphs and line breaks when it shows it. CommentText reads
// it with an HTML tokenizer: <strong> and <b> become **strong**, <em> and
// <i> *emphasis*, <blockquote> "> " quotes (three levels at most, as in
// textproc), <code> `…` (shown as typed, as textproc shows code), <q> "…".
// <a> becomes a [link](…) when textproc would make one of its href: an
// http or https URL with a host; otherwise (mailto: too, which textproc
// does not link) only its text is kept, as it is when the text shows a
// URL, which textproc links by itself. <p>, other block elements and blank
// lines make paragraphs, <br> and single newlines line breaks. Other tags
// are dropped and their text kept (<del> and <s> too: the subset has no
// strikethrough), except the content of script, style and the like.
// Emphasis that Markdown cannot express where it stands (inside a word,
// say) is left out, its text kept.
//
// Entities are decoded. What RenderComment would read as syntax in the
// text (* _ [ ] \, an "!" before a link, a ">" starting a line) is escaped
// with a backslash, so that it shows as written, except in URLs, which
// textproc links as WordPress does. Control characters are removed and
// invalid UTF-8 replaced with U+FFFD, since RenderComment refuses both.
// The result has no white space around its lines and is empty for a
// comment without visible text. CommentText never fails: malformed HTML
// gives its text.
func CommentText(content string) string {
	return readComment(content).markdown()
}

// readComment reads the HTML of a comment into paragraphs.
func readComment(content string) *commentReader {
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content = strings.ReplaceAll(content, "\r", "\n")
	r := new(commentReader)
	r.read(content)
	return r
}

// commentQuoteDepth is how deeply textproc.RenderComment nests quotes: the
// paragraphs of deeper WordPress quotes join the third level.
const commentQuoteDepth = 3

// The formats of comment text, as bits.
const (
	fmtEm uint8 = 1 << iota
	fmtStrong
)

// The kinds of commentItem.
const (
	itemText  uint8 = iota // a run of text without white space
	itemSpace              // white space between two runs of text
	itemBreak              // a line break
)

// commentItem is a piece of a comment paragraph, as read from the HTML.
type commentItem struct {
	kind uint8
	fmt  uint8  // text: fmtEm, fmtStrong
	s    string // text: the run; space: the space to write
	href string // text: the destination of the link it is in, "" for none
}

// commentPara is a paragraph of a comment: a run of lines in the same
// quotes.
type commentPara struct {
	quotes []int // ids of the quotes it is in, outermost first
	items  []commentItem
}

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

// markdown writes the paragraphs read. Paragraphs are separated by a line
// holding the quote markers they share, so that two quotes in a row stay
// two and a quote's paragraphs stay in it.
func (r *commentReader) markdown() string {
	var out strings.Builder
	var prev []int
	first := true
	for i := range r.paras {
		p := &r.paras[i]
		body := writeCommentPara(p.items)
		if body == "" {
			continue
		}
		if !first {
			shared := 0
			for shared < min(len(prev), len(p.quotes)) && prev[shared] == p.quotes[shared] {
				shared++
			}
			out.WriteString("\n")
			out.WriteString(strings.TrimSuffix(strings.Repeat("> ", shared), " "))
			out.WriteString("\n")
		}
		prefix := strings.Repeat("> ", len(p.quotes))
		for j, line := range strings.Split(body, "\n") {
			if j > 0 {
				out.WriteString("\n")
			}
			out.WriteString(prefix)
			out.WriteString(line)
		}
		prev, first = p.quotes, false
	}
	return out.String()
}

// The kinds of commentPiece.
const (
	pieceText      uint8 = iota // text, escaped when written
	pieceSpace                  // white space
	pieceBreak                  // a newline
	pieceMark                   // "*" or "**" opening or closing emphasis
	pieceLinkOpen               // "["
	pieceLinkClose              // "](destination)"
)

// commentPiece is a piece of the Markdown of a paragraph.
type commentPiece struct {
	kind uint8
	s    string // text, space; link close: the destination
	span int    // marks: index of their commentSpan
	open bool   // marks: opening rather than closing
}

// commentSpan is a run of text items that one pair of marks emphasises.
type commentSpan struct {
	bit      uint8
	from, to int // indexes of its first and last text items
}

// maxEmphasisPasses bounds the passes of writeCommentPara that take out
// emphasis Markdown cannot express; the next pass writes none.
const maxEmphasisPasses = 8

// writeCommentPara writes the Markdown of a paragraph. Emphasis marks are
// checked as textproc's parser will read them (CommonMark's flanking
// rules): a run of marks must only open (before text) or only close (after
// text), or it would be shown as asterisks or pair up wrongly. The spans
// of a run that does not are taken out and the paragraph written again.
func writeCommentPara(items []commentItem) string {
	unlinkURLText(items)
	for pass := 0; ; pass++ {
		if pass == maxEmphasisPasses {
			for i := range items {
				items[i].fmt = 0
			}
		}
		pieces, spans := layoutCommentPara(items)
		md, bad := writeCommentPieces(pieces, spans)
		if len(bad) == 0 {
			return md
		}
		for _, k := range bad {
			sp := spans[k]
			for i := sp.from; i <= sp.to; i++ {
				items[i].fmt &^= sp.bit
			}
		}
	}
}

// unlinkURLText takes out the links whose text holds a URL: textproc
// refuses a link whose text shows the URL of another host than its own,
// and links a bare URL by itself.
func unlinkURLText(items []commentItem) {
	for i := 0; i < len(items); {
		if items[i].kind != itemText || items[i].href == "" {
			i++
			continue
		}
		// The text as it will be if its emphasis is taken out.
		var text strings.Builder
		href, j := items[i].href, i
		for ; j < len(items) && (items[j].kind != itemText || items[j].href == href); j++ {
			text.WriteString(items[j].s)
		}
		lower := strings.ToLower(text.String())
		if strings.Contains(lower, "http://") || strings.Contains(lower, "https://") {
			for k := i; k < j; k++ {
				items[k].href = ""
			}
		}
		i = j
	}
}

// layoutCommentPara turns a paragraph's items into pieces: text, spaces,
// breaks, and the marks and brackets that open and close emphasis and
// links, properly nested. A link is opened outside the emphasis that
// starts with it; emphasis that goes on past a link's end is closed and
// opened again around it, since textproc matches the emphasis of a link's
// text on its own. Marks are put next to the text, spaces and breaks
// outside them.
func layoutCommentPara(items []commentItem) ([]commentPiece, []commentSpan) {
	type frame struct {
		bit  uint8 // 0 for a link
		href string
		span int
	}
	var (
		pieces   []commentPiece
		spans    []commentSpan
		stack    []frame
		space    string
		brk      bool
		lastText = -1
		text     []string // the runs of the text piece being made
	)
	add := func(p commentPiece) {
		if len(text) > 0 {
			pieces = append(pieces, commentPiece{kind: pieceText, s: strings.Join(text, "")})
			text = text[:0]
		}
		pieces = append(pieces, p)
	}
	pop := func() {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.bit == 0 {
			add(commentPiece{kind: pieceLinkClose, s: f.href})
			return
		}
		spans[f.span].to = lastText
		add(commentPiece{kind: pieceMark, span: f.span})
	}
	for i, it := range items {
		switch it.kind {
		case itemSpace:
			if space == "" || space == " " {
				space = it.s
			}
			continue
		case itemBreak:
			brk = true
			continue
		}
		keep := 0
		for keep < len(stack) {
			f := stack[keep]
			if f.bit == 0 && f.href != it.href || f.bit != 0 && it.fmt&f.bit == 0 {
				break
			}
			keep++
		}
		for len(stack) > keep {
			pop()
		}
		switch {
		case lastText < 0:
		case brk:
			add(commentPiece{kind: pieceBreak})
		case space != "":
			add(commentPiece{kind: pieceSpace, s: space})
		}
		space, brk = "", false
		hasLink, f := false, uint8(0)
		for _, fr := range stack {
			hasLink = hasLink || fr.bit == 0
			f |= fr.bit
		}
		if it.href != "" && !hasLink {
			stack = append(stack, frame{href: it.href})
			add(commentPiece{kind: pieceLinkOpen})
		}
		for _, bit := range []uint8{fmtStrong, fmtEm} {
			if it.fmt&bit != 0 && f&bit == 0 {
				stack = append(stack, frame{bit: bit, span: len(spans)})
				add(commentPiece{kind: pieceMark, span: len(spans), open: true})
				spans = append(spans, commentSpan{bit: bit, from: i})
			}
		}
		text = append(text, it.s)
		lastText = i
	}
	for len(stack) > 0 {
		pop()
	}
	if len(text) > 0 {
		pieces = append(pieces, commentPiece{kind: pieceText, s: strings.Join(text, "")})
	}
	return pieces, spans
}

// writeCommentPieces writes pieces as Markdown and returns the spans whose
// marks textproc would not read as emphasis.
func writeCommentPieces(pieces []commentPiece, spans []commentSpan) (md string, bad []int) {
	var b strings.Builder
	ends := make([]int, len(pieces))   // where each piece ends in b
	inURL := make([]bool, len(pieces)) // text: ends inside a bare URL
	for i, p := range pieces {
		switch p.kind {
		case pieceText:
			beforeLink := i+1 < len(pieces) && pieces[i+1].kind == pieceLinkOpen
			inURL[i] = writeCommentText(&b, p.s, beforeLink)
		case pieceSpace:
			b.WriteString(p.s)
		case pieceBreak:
			b.WriteByte('\n')
		case pieceMark:
			b.WriteString("*")
			if spans[p.span].bit == fmtStrong {
				b.WriteString("*")
			}
		case pieceLinkOpen:
			b.WriteByte('[')
		case pieceLinkClose:
			b.WriteString("](" + p.s + ")")
		}
		ends[i] = b.Len()
	}
	md = b.String()
	for i := 0; i < len(pieces); {
		if pieces[i].kind != pieceMark {
			i++
			continue
		}
		j := i
		opens, closes := 0, 0
		for ; j < len(pieces) && pieces[j].kind == pieceMark; j++ {
			if pieces[j].open {
				opens++
			} else {
				closes++
			}
		}
		before, after := ' ', ' '
		if i > 0 {
			before, _ = utf8.DecodeLastRuneInString(md[:ends[i-1]])
		}
		if j < len(pieces) {
			after, _ = utf8.DecodeRuneInString(md[ends[j-1]:])
		}
		left, right := flanking(before, after)
		ok := opens == 0 && right && !left || closes == 0 && left && !right
		// A bare URL runs on through '*' up to a space or a character
		// such as '[' or '\\': marks after one, then text, would be in it.
		if i > 0 && inURL[i-1] && j < len(pieces) && pieces[j].kind == pieceText {
			ok = false
		}
		if !ok {
			for k := i; k < j; k++ {
				bad = append(bad, pieces[k].span)
			}
		}
		i = j
	}
	return md, bad
}

// flanking reports whether a run of '*' between before and after (a space
// at either end of the paragraph) is left-flanking, which lets it open
// emphasis, and right-flanking, which lets it close it, by CommonMark's
// rules, which textproc follows.
func flanking(before, after rune) (left, right bool) {
	beforeSpace, afterSpace := unicode.IsSpace(before), unicode.IsSpace(after)
	beforePunct, afterPunct := isPunctOrSymbol(before), isPunctOrSymbol(after)
	left = !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right = !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	return left, right
}

func isPunctOrSymbol(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// isWordRune reports whether r is a letter or a digit: a bare URL does not
// start after one, and an '_' between two is not emphasis.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// writeCommentText writes text to b, escaping what textproc would read as
// Markdown (beforeLink says that a link's "[" follows), and reports whether it ends inside a bare URL (see
// writeCommentPieces). URLs that textproc links (those starting with
// http:// or https:// after neither a letter nor a digit) are written as
// they are, since an escape would cut them: textproc reads them whole,
// '*' and '_' included.
func writeCommentText(b *strings.Builder, s string, beforeLink bool) (inURL bool) {
	prev := ' '
	if b.Len() > 0 {
		prev, _ = utf8.DecodeLastRuneInString(b.String())
	}
	lineStart := b.Len() == 0 || prev == '\n'
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if (c == 'h' || c == 'H') && !isWordRune(prev) && !unicode.IsMark(prev) &&
			(hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://")) {
			m := textproc.BareURLLen(s[i:])
			b.WriteString(s[i : i+m])
			prev, _ = utf8.DecodeLastRuneInString(s[i : i+m])
			i += m
			inURL = true
			continue
		}
		var escape bool
		switch c {
		case '\\', '*', '[', ']':
			escape = true
		case '_':
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			escape = !isWordRune(prev) || !isWordRune(next)
		case '>':
			escape = i == 0 && lineStart
		case '!':
			escape = beforeLink && i+n == len(s) // "![" would make an image of the link
		}
		if escape {
			b.WriteByte('\\')
		}
		b.WriteString(s[i : i+n])
		if escape || textproc.URLStop(c) {
			inURL = false
		}
		prev = c
		i += n
	}
	return inURL
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
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
