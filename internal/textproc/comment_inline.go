package textproc

import (
	"unicode"
	"unicode/utf8"
)

// The inline parser of comments: emphasis, links and bare URLs, in linear
// time (CommonMark's delimiter algorithm, one bracket stack).

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
