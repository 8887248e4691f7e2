package onix

import (
	"encoding/xml"
	"html"
	"strings"
)

// xmlText is a Text element (or any rich-text element) read as HTML, capped
// at MaxDescriptionBytes.
//
// Feeds send rich text three ways: as XHTML markup inside the element
// (textformat 05, the EDItEUR sample), as HTML escaped into character data
// (im_onix's French feeds, with or without textformat 05), or as plain
// text. While reading, the element's children are written back as markup
// and its character data kept both escaped (for markup) and raw (in case
// there is no markup: then the raw text is itself HTML).
type xmlText struct {
	Format string
	// markup is the content with its child elements; raw its character
	// data alone.
	markup, raw []byte
	elements    bool
	// size counts every byte of content seen, including what the cap
	// dropped.
	size int
}

// voidElements are the HTML elements written without an end tag, so that
// XHTML's <br/> does not become "<br></br>" (two line breaks in HTML).
var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "wbr": true}

// richText reads the content of the element whose start tag was just read
// into t, as described on xmlText.
func (tk *tokens) richText(t *xmlText, start xml.StartElement) error {
	t.Format = strings.TrimSpace(attr(start, "textformat"))
	depth := 0
	for {
		tok, err := tk.next()
		if err != nil {
			return err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			t.elements = true
			name := strings.ToLower(tk.Name.Local)
			n := len(name) + 2
			for _, a := range tk.Attr {
				n += len(a.Name.Local) + len(a.Value) + 4
			}
			if t.grow(n) {
				t.markup = append(t.markup, '<')
				t.markup = append(t.markup, name...)
				for _, a := range tk.Attr {
					if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
						continue
					}
					t.markup = append(t.markup, ' ')
					t.markup = append(t.markup, a.Name.Local...)
					t.markup = append(t.markup, `="`...)
					t.markup = appendEscaped(t.markup, []byte(a.Value))
					t.markup = append(t.markup, '"')
				}
				t.markup = append(t.markup, '>')
			}
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
			name := strings.ToLower(tk.Name.Local)
			if !voidElements[name] && t.grow(len(name)+3) {
				t.markup = append(t.markup, "</"...)
				t.markup = append(t.markup, name...)
				t.markup = append(t.markup, '>')
			}
		case xml.CharData:
			if t.grow(len(tk)) {
				t.raw = append(t.raw, tk...)
				t.markup = appendEscaped(t.markup, tk)
			}
		}
	}
}

// appendEscaped appends s to dst with the characters special in HTML
// escaped, as html.EscapeString does, without its allocations.
func appendEscaped(dst, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '"':
			dst = append(dst, "&#34;"...)
		case '\'':
			dst = append(dst, "&#39;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// grow counts n more bytes of content and reports whether they fit under
// the cap (and so should be kept).
func (t *xmlText) grow(n int) bool {
	t.size += n
	return t.size <= MaxDescriptionBytes
}

// tooLong reports whether the text was over MaxDescriptionBytes.
func (t *xmlText) tooLong() bool { return t.size > MaxDescriptionBytes }

// HTML returns the text as an HTML fragment (not sanitized).
func (t *xmlText) HTML() string {
	switch {
	case t.elements:
		return strings.TrimSpace(string(t.markup))
	case t.Format == "06" || t.Format == "07":
		return plainToHTML(string(t.raw))
	}
	return strings.TrimSpace(string(t.raw))
}

// plainToHTML escapes plain text and makes paragraphs of its blocks
// separated by blank lines, with <br> for the line breaks inside a block.
func plainToHTML(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for block := range strings.SplitSeq(s, "\n\n") {
		var lines []string
		for line := range strings.SplitSeq(block, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				lines = append(lines, html.EscapeString(line))
			}
		}
		if len(lines) > 0 {
			b.WriteString("<p>")
			b.WriteString(strings.Join(lines, "<br>"))
			b.WriteString("</p>")
		}
	}
	return b.String()
}
