package textproc

import (
	"bytes"
	"strings"
	"unicode"
)

// Writing a parsed comment as HTML, and the escaping it relies on.

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
