package textproc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/idna"

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

// inodeKind is the kind of an inline node.
type inodeKind uint8

const (
	inText    inodeKind = iota // s[start:end], backslash escapes and all
	inBreak                    // a newline
	inDelim                    // a run of n '*' or '_' not (or not yet) used for emphasis
	inBracket                  // "[" or "![" that did not open a link
	inEm
	inStrong
	inLink // a Markdown link or image; children are its text
	inURL  // a bare URL, s[start:end]
)

// inode is a node of a paragraph's inline tree. Nodes are first appended to
// one flat list, as the text is read; emphasis and links then move runs of
// siblings under a new node, as CommonMark's reference algorithm does.
type inode struct {
	prev, next  *inode
	first, last *inode // children
	dprev       *inode // delimiter runs: neighbours in the delimiter stack
	dnext       *inode
	bk          *inodeBracket // brackets, links and URLs
	start, end  int           // text and URLs: s[start:end]
	n, orig     int           // delimiter runs: length left and at first
	seq         int           // delimiter runs: increases up the stack
	kind        inodeKind
	ch          byte // delimiter runs: '*' or '_'
	canOpen     bool
	canClose    bool
}

// inodeBracket is what a bracket, link or URL node needs beyond an inode.
type inodeBracket struct {
	href       string // links and URLs: the normalized URL
	dest       string // links: the destination as written, shown if the text is blank
	urlHost    string // brackets: host of the bare URLs inside, if any
	urlMixed   bool   // brackets: the bare URLs inside have several hosts
	image      bool   // "![" rather than "["
	delimFloor int    // seq of the delimiter stack top when the bracket opened
}

// inlineParser builds the inline tree of one paragraph in time linear in its
// length. Every scan either consumes what it reads or is looked up in a
// table built once (destEnd): nothing is read twice from two places, which
// is what makes naive Markdown parsers quadratic on "[](" or "_a*" repeated.
type inlineParser struct {
	s          string
	head, tail *inode
	textStart  int // start of the pending text, -1 if none

	top  *inode // delimiter stack top
	seq  int
	brks []*inode // open brackets, innermost last
	// The brackets below brks[inactiveBelow] are inside a link already
	// made: they cannot make another (links do not nest).
	inactiveBelow int

	esc     []bool // esc[i]: s[i] is escaped by a backslash
	destEnd []int  // where a link destination starting at i ends

	slab     []inode // nodes are allocated from here, a block at a time
	slabSize int     // size of the last block, doubled at each one
}

// node returns a new node of kind k. Taking nodes from blocks rather than
// one by one halves the time spent on "a*a*a*…"; the blocks grow, so a
// short comment does not pay for a large one.
func (p *inlineParser) node(k inodeKind) *inode {
	if len(p.slab) == 0 {
		p.slabSize = min(max(2*p.slabSize, 16), 1024)
		p.slab = make([]inode, p.slabSize)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.kind = k
	return n
}

func (p *inlineParser) append(n *inode) {
	if p.tail == nil {
		p.head = n
	} else {
		p.tail.next = n
		n.prev = p.tail
	}
	p.tail = n
}

// text marks s[i] as text, extending the pending run.
func (p *inlineParser) text(i int) {
	if p.textStart < 0 {
		p.textStart = i
	}
}

// flush appends the pending text, which ends at i.
func (p *inlineParser) flush(i int) {
	if p.textStart >= 0 && p.textStart < i {
		n := p.node(inText)
		n.start, n.end = p.textStart, i
		p.append(n)
	}
	p.textStart = -1
}

func (p *inlineParser) parse() {
	s := p.s
	p.textStart = -1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			p.text(i) // the writer drops the backslash
			i += 2
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			p.flush(i) // CommonMark's hard break: the backslash goes
			i++
		case c == '\n':
			p.flush(i)
			p.append(p.node(inBreak))
			i++
		case c == '*' || c == '_':
			p.flush(i)
			i = p.delimiter(i)
		case c == '[' || c == '!' && i+1 < len(s) && s[i+1] == '[':
			p.flush(i)
			b := p.node(inBracket)
			b.bk = &inodeBracket{image: c == '!'}
			if p.top != nil {
				b.bk.delimFloor = p.top.seq
			}
			p.append(b)
			p.inactiveBelow = min(p.inactiveBelow, len(p.brks))
			p.brks = append(p.brks, b)
			i++
			if c == '!' {
				i++
			}
		case c == ']':
			p.flush(i)
			i = p.closeBracket(i)
		case (c == 'h' || c == 'H') && p.urlBoundary(i):
			i = p.bareURL(i)
		default:
			p.text(i)
			i++
		}
	}
	p.flush(len(s))
	p.emphasis(0)
}

// delimiter appends the run of '*' or '_' at s[i] and returns its end. Whether
// it can open or close emphasis follows CommonMark's flanking rules.
func (p *inlineParser) delimiter(i int) int {
	s, c := p.s, p.s[i]
	j := i
	for j < len(s) && s[j] == c {
		j++
	}
	before, after := ' ', ' '
	if i > 0 {
		before, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if j < len(s) {
		after, _ = utf8.DecodeRuneInString(s[j:])
	}
	beforeSpace, afterSpace := unicode.IsSpace(before), unicode.IsSpace(after)
	beforePunct, afterPunct := isPunctRune(before), isPunctRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	d := p.node(inDelim)
	d.ch, d.n, d.orig, d.canOpen, d.canClose = c, j-i, j-i, left, right
	if c == '_' {
		d.canOpen = left && (!right || beforePunct)
		d.canClose = right && (!left || afterPunct)
	}
	p.append(d)
	p.seq++
	d.seq = p.seq
	d.dprev = p.top
	if p.top != nil {
		p.top.dnext = d
	}
	p.top = d
	return j
}

func (p *inlineParser) removeDelim(d *inode) {
	if d.dprev != nil {
		d.dprev.dnext = d.dnext
	}
	if d.dnext != nil {
		d.dnext.dprev = d.dprev
	}
	if p.top == d {
		p.top = d.dprev
	}
	d.dprev, d.dnext = nil, nil
}

// emphasis matches the delimiters above floor (a seq) into em and strong
// nodes, then removes them from the stack: those left over are text. This
// is CommonMark's "process emphasis", with its openers_bottom table, which
// remembers down to where an opener was looked for in vain, so that no
// closer searches the same openers again.
func (p *inlineParser) emphasis(floor int) {
	var first *inode
	for d := p.top; d != nil && d.seq > floor; d = d.dprev {
		first = d
	}
	var bottom [2][2][3]int // by closer char, can open, length mod 3
	for a := range bottom {
		for b := range bottom[a] {
			for c := range bottom[a][b] {
				bottom[a][b][c] = floor
			}
		}
	}
	for closer := first; closer != nil; {
		if !closer.canClose {
			closer = closer.dnext
			continue
		}
		ci, oi := 0, 0
		if closer.ch == '_' {
			ci = 1
		}
		if closer.canOpen {
			oi = 1
		}
		bot := &bottom[ci][oi][closer.orig%3]
		var opener *inode
		for o := closer.dprev; o != nil && o.seq > *bot; o = o.dprev {
			if o.canOpen && o.ch == closer.ch && !oddMatch(o, closer) {
				opener = o
				break
			}
		}
		if opener == nil {
			if closer.dprev != nil {
				*bot = max(*bot, closer.dprev.seq)
			}
			next := closer.dnext
			if !closer.canOpen {
				p.removeDelim(closer)
			}
			closer = next
			continue
		}
		use, kind := 1, inEm
		if opener.n >= 2 && closer.n >= 2 {
			use, kind = 2, inStrong
		}
		opener.n -= use
		closer.n -= use
		em := p.node(kind)
		if opener.next != closer {
			em.first, em.last = opener.next, closer.prev
			em.first.prev, em.last.next = nil, nil
		}
		opener.next, em.prev, em.next, closer.prev = em, opener, closer, em
		opener.dnext, closer.dprev = closer, opener // drops the delimiters between
		if opener.n == 0 {
			p.removeDelim(opener)
		}
		if closer.n == 0 {
			next := closer.dnext
			p.removeDelim(closer)
			closer = next
		}
	}
	for p.top != nil && p.top.seq > floor {
		p.top = p.top.dprev
	}
	if p.top != nil {
		p.top.dnext = nil
	}
}

// oddMatch is CommonMark's "rule of 3": a run that can both open and close
// does not match one whose length adds up with it to a multiple of 3,
// unless both are multiples of 3.
func oddMatch(opener, closer *inode) bool {
	return (opener.canClose || closer.canOpen) &&
		(opener.orig+closer.orig)%3 == 0 &&
		(opener.orig%3 != 0 || closer.orig%3 != 0)
}

// closeBracket handles the ']' at s[i] and returns where reading goes on.
// With the innermost open bracket and a "(destination)" after it, allowed
// and not misleading, it makes a link; otherwise both brackets are text.
func (p *inlineParser) closeBracket(i int) int {
	if len(p.brks) == 0 {
		p.text(i)
		return i + 1
	}
	b := p.brks[len(p.brks)-1]
	p.popBracket()
	if len(p.brks) < p.inactiveBelow {
		p.text(i)
		return i + 1
	}
	dest, end, ok := p.linkTail(i + 1)
	if !ok {
		p.text(i)
		return i + 1
	}
	raw := unescapeMarkdown(dest)
	link, ok := commentHref(raw)
	if !ok || b.bk.urlHost != "" && (b.bk.urlMixed || b.bk.urlHost != link.host) {
		p.text(i)
		return i + 1
	}
	p.emphasis(b.bk.delimFloor)
	b.kind, b.bk.href, b.bk.dest = inLink, link.href, raw
	if b.next != nil {
		b.first, b.last = b.next, p.tail
		b.first.prev = nil
		b.next = nil
	}
	p.tail = b
	if !b.bk.image {
		p.inactiveBelow = len(p.brks)
	}
	return end
}

// popBracket removes the innermost open bracket; the bare URLs it held
// are inside the one around it, if any.
func (p *inlineParser) popBracket() {
	b := p.brks[len(p.brks)-1]
	p.brks = p.brks[:len(p.brks)-1]
	if b.bk.urlHost != "" && len(p.brks) > 0 {
		p.addURLHost(b.bk.urlHost)
		if b.bk.urlMixed {
			p.brks[len(p.brks)-1].bk.urlMixed = true
		}
	}
}

// addURLHost records that the innermost open bracket holds a bare URL of
// host.
func (p *inlineParser) addURLHost(host string) {
	if len(p.brks) == 0 {
		return
	}
	b := p.brks[len(p.brks)-1].bk
	switch b.urlHost {
	case "":
		b.urlHost = host
	case host:
	default:
		b.urlMixed = true
	}
}

// linkTail reads the `(destination "title")` of an inline link at s[i] and
// returns the destination and the end of the tail. The destination has no
// space and balanced parentheses (as CommonMark's); the optional title is
// in single or double quotes, on the same line; it is not shown.
func (p *inlineParser) linkTail(i int) (dest string, end int, ok bool) {
	s := p.s
	if i >= len(s) || s[i] != '(' {
		return "", 0, false
	}
	if p.destEnd == nil {
		p.index()
	}
	i = skipBlanks(s, i+1)
	e := len(s)
	if i < len(s) {
		e = p.destEnd[i]
	}
	dest = s[i:e]
	k := skipBlanks(s, e)
	if k < len(s) && (s[k] == '"' || s[k] == '\'') && k > e {
		q := k + 1
		for q < len(s) && s[q] != '\n' && (s[q] != s[k] || p.esc[q]) {
			q++
		}
		if q == len(s) || s[q] == '\n' {
			return "", 0, false
		}
		k = skipBlanks(s, q+1)
	}
	if dest == "" || k == len(s) || s[k] != ')' {
		return "", 0, false
	}
	return dest, k + 1, true
}

// index builds esc and destEnd, once per paragraph, in two linear passes.
// destEnd[i] is the first space, newline or unbalanced ')' at or after i
// (backslash-escaped characters aside), which is where a link destination
// starting at i ends: looking it up, rather than scanning for it at every
// "](", is what keeps "[](" repeated linear.
func (p *inlineParser) index() {
	s := p.s
	p.esc = make([]bool, len(s))
	for i := 1; i < len(s); i++ {
		p.esc[i] = s[i-1] == '\\' && !p.esc[i-1] && isASCIIPunct(s[i])
	}
	p.destEnd = make([]int, len(s))
	var closers []int // unbalanced ')' to the right, nearest last
	stop := len(s)
	for j := len(s) - 1; j >= 0; j-- {
		switch c := s[j]; {
		case c == ' ' || c == '\t' || c == '\n':
			closers, stop = closers[:0], j
		case c == ')' && !p.esc[j]:
			closers = append(closers, j)
		case c == '(' && !p.esc[j] && len(closers) > 0:
			closers = closers[:len(closers)-1]
		}
		p.destEnd[j] = stop
		if n := len(closers); n > 0 {
			p.destEnd[j] = closers[n-1]
		}
	}
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// urlBoundary reports whether a bare URL may start at s[i]: not after a
// letter, digit or combining mark, so that "xhttp://" stays text.
func (p *inlineParser) urlBoundary(i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(p.s[:i])
	return !isWordRune(r) && !unicode.IsMark(r)
}

// bareURL reads the http(s) URL that may start at s[i] and returns where
// reading goes on. What looks like a URL but is not allowed is text, and is
// consumed all the same: reading it again from a later position would make
// the parse quadratic.
func (p *inlineParser) bareURL(i int) int {
	rest := p.s[i:]
	if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") {
		p.text(i)
		return i + 1
	}
	n := bareURLLen(rest)
	link, ok := commentHref(rest[:n])
	if !ok {
		p.text(i)
		return i + n
	}
	p.flush(i)
	u := p.node(inURL)
	u.start, u.end, u.bk = i, i+n, &inodeBracket{href: link.href}
	p.append(u)
	p.addURLHost(link.host)
	return i + n
}

// bareURLLen returns the length of the URL that starts s: up to a space, a
// control character, an invisible format character (a right-to-left
// override would let the text show another address than the link's), or a
// character that is not typed in URLs (< > " ` [ ] { } | \ ^ and
// typographic quotes), less the punctuation
// that ends a sentence (. , : ; ! ? * _ ~ ' …) and a ")" whose "(" is not
// in the URL, as in "(voir https://exemple.fr)".
func bareURLLen(s string) int {
	end, opened := 0, 0
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
			strings.ContainsRune("<>\"`[]{}|\\^«»“”‘’„‹›", r) {
			break
		}
		switch r {
		case '(':
			opened++
		case ')':
			opened--
		}
		end += n
	}
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		switch {
		case strings.ContainsRune(".,:;!?*_~'…", r):
		case r == ')' && opened < 0:
			opened++
		default:
			return end
		}
		end -= n
	}
	return end
}

// commentLink is a link target allowed in a comment.
type commentLink struct {
	href string // normalized absolute URL
	host string // normalized host name, without port
}

// defaultPorts are left out of normalized URLs.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// commentHref checks that raw is an absolute http or https URL with a host
// and no user name (https://www.banque.fr@evil.example is a phishing trick),
// and returns it normalized, its default port left out.
func commentHref(raw string) (commentLink, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" || u.User != nil {
		return commentLink{}, false
	}
	host, ok := commentHost(u.Hostname())
	if !ok {
		return commentLink{}, false
	}
	switch port := u.Port(); {
	case port != "" && port != defaultPorts[u.Scheme]:
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // IPv6
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}
	u.RawQuery = escapeQuery(u.RawQuery)
	return commentLink{href: u.String(), host: host}, true
}

// commentHost returns the normalized form of a URL's host name: an IP
// address in canonical form, or a lower-case ASCII name, an international
// one in punycode. It reports false for a name no browser would resolve.
func commentHost(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		if ip.Zone() != "" {
			return "", false
		}
		return ip.String(), true
	}
	h = strings.ToLower(h)
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			a, err := idna.Lookup.ToASCII(h)
			if err != nil {
				return "", false
			}
			h = a
			break
		}
	}
	alnum := false
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			alnum = true
		case c == '.' || c == '-' || c == '_':
		default:
			return "", false
		}
	}
	return h, alnum
}

// escapeQuery percent-encodes the bytes of a raw query that url.URL.String
// leaves as they are but a URL may not hold: non-ASCII, spaces and
// < > " ` { | } \ ^. So "?q=é" and "?q=%C3%A9" are listed as one link.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > ' ' && c < utf8.RuneSelf && !strings.ContainsRune("<>\"`{|}\\^", rune(c)) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(q)+16), q[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return q
	}
	return string(b)
}

// nodes writes the inline nodes from n on, and their children.
func (w *commentWriter) nodes(s string, n *inode) {
	for ; n != nil; n = n.next {
		switch n.kind {
		case inText:
			w.text(unescapeMarkdown(s[n.start:n.end]))
		case inBreak:
			w.buf.WriteString("<br>\n")
		case inDelim:
			w.text(strings.Repeat(string(n.ch), n.n))
		case inBracket:
			if n.bk.image {
				w.text("![")
			} else {
				w.text("[")
			}
		case inEm, inStrong:
			tag := "em"
			if n.kind == inStrong {
				tag = "strong"
			}
			w.buf.WriteString("<" + tag + ">")
			w.nodes(s, n.first)
			w.buf.WriteString("</" + tag + ">")
		case inLink:
			if w.inLink { // an image in a link's text, as in a badge: its alt text
				w.nodes(s, n.first)
				continue
			}
			w.openLink(n.bk.href)
			before := w.visible
			w.nodes(s, n.first)
			if w.visible == before {
				w.text(n.bk.dest)
			}
			w.closeLink()
		case inURL:
			if w.inLink {
				w.text(s[n.start:n.end])
				continue
			}
			w.openLink(n.bk.href)
			w.text(s[n.start:n.end])
			w.closeLink()
		}
	}
}

func (w *commentWriter) openLink(href string) {
	w.buf.WriteString(`<a href="`)
	writeEscapedHTML(&w.buf, href)
	w.buf.WriteString(`" rel="` + commentLinkRel + `">`)
	w.links = append(w.links, href)
	w.inLink = true
}

func (w *commentWriter) closeLink() {
	w.buf.WriteString("</a>")
	w.inLink = false
}

// text writes s escaped and counts it as visible unless it is blank.
func (w *commentWriter) text(s string) {
	if strings.TrimFunc(s, unicode.IsSpace) != "" {
		w.visible++
	}
	writeEscapedHTML(&w.buf, s)
}

// writeEscapedHTML writes s to b with & < > " ' escaped.
func writeEscapedHTML(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// unescapeMarkdown returns s with its backslash escapes resolved. Character
// references are left as they are, as in the text.
func unescapeMarkdown(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isASCIIPunct reports whether c is ASCII punctuation, which a backslash
// escapes.
func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !isASCIILetter(c) && (c < '0' || c > '9')
}

// isPunctRune reports whether r counts as punctuation for the flanking
// rules of emphasis: Unicode punctuation or symbol, as in CommonMark 0.31.
func isPunctRune(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
