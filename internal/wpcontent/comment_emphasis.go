package wpcontent

// This file lays out a paragraph's emphasis and links as Markdown marks
// and brackets, and takes out the emphasis textproc would not read back.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// isPunctOrSymbol reports whether r counts as punctuation for CommonMark's
// flanking rules, which take in symbols too.
func isPunctOrSymbol(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}
