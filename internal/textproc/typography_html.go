package textproc

import (
	"fmt"
	"html"
	"io"
	"strings"

	xhtml "golang.org/x/net/html"
)

// TypographyHTML applies style's rules to the text of an HTML fragment and
// returns the fragment otherwise byte for byte as it came. Text flowing across
// phrasing elements is typeset as one ("<em>Bonjour</em> !" gets its
// U+202F); tags, attribute values, comments and the content of code, pre, kbd,
// samp, script, style and textarea are never changed. Like Typography it is
// idempotent and returns its input as is when there is nothing to do
// (StyleNone included). An unknown style is an error wrapping
// ErrUnknownStyle.
func TypographyHTML(src string, style Style) (string, error) {
	if !style.valid() {
		return "", fmt.Errorf("typography html: %w", ErrUnknownStyle)
	}
	sp, ok := style.spacing()
	if !ok || !hasTypographyMark(src) {
		return src, nil
	}
	t := htmlTypesetter{src: src, sp: sp}
	t.out.Grow(len(src) + len(src)/32)
	z := xhtml.NewTokenizer(strings.NewReader(src))
	var (
		off      int    // offset of the current token in src
		verbatim string // name of the verbatim element we are inside, if any
		depth    int    // nesting of verbatim inside itself
	)
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if err := z.Err(); err != io.EOF {
				return "", fmt.Errorf("typography html: %w", err)
			}
			break
		}
		start := off
		off += len(z.Raw())
		if verbatim != "" {
			if tt == xhtml.StartTagToken || tt == xhtml.EndTagToken {
				if name, _ := z.TagName(); string(name) == verbatim {
					if tt == xhtml.StartTagToken {
						depth++
					} else if depth--; depth == 0 {
						verbatim = ""
					}
				}
			}
			t.raw(start, off)
			continue
		}
		switch tt {
		case xhtml.TextToken:
			t.text(start, off, z.Text())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			bname, _ := z.TagName()
			name := string(bname)
			phrasing := isPhrasing(name)
			if !phrasing {
				t.flush()
			}
			t.raw(start, off)
			switch {
			case tt == xhtml.EndTagToken:
			case isVerbatim(name) && opensElement(tt, name):
				verbatim, depth = name, 1
				if phrasing {
					t.run = append(t.run, string(opaque)...)
				}
			case name == "img":
				t.run = append(t.run, string(opaque)...)
			}
		default: // comments and doctypes do not interrupt the text
			t.raw(start, off)
		}
	}
	t.flush()
	return t.out.String(), nil
}

// htmlTypesetter collects the tokens of one run of text (the text between two
// block boundaries) and writes them out once the run is typeset.
type htmlTypesetter struct {
	src    string
	sp     spacing
	out    strings.Builder
	run    []byte  // decoded text of the run, opaque for code and images
	pieces []piece // tokens of the run, in order
	edits  []edit
}

// piece is a token of src[start:end]; for a text token, text is its decoded
// range in the run.
type piece struct {
	start, end int
	isText     bool
	text       span
}

func (t *htmlTypesetter) raw(start, end int) {
	if len(t.pieces) == 0 {
		t.out.WriteString(t.src[start:end])
		return
	}
	t.pieces = append(t.pieces, piece{start: start, end: end})
}

func (t *htmlTypesetter) text(start, end int, decoded []byte) {
	a := len(t.run)
	t.run = append(t.run, decoded...)
	t.pieces = append(t.pieces, piece{start: start, end: end, isText: true, text: span{a, len(t.run)}})
}

// flush typesets the pending run and writes its tokens: unchanged text tokens
// as they were in src, changed ones re-escaped.
func (t *htmlTypesetter) flush() {
	if len(t.pieces) == 0 {
		return
	}
	t.edits = t.edits[:0]
	var text string
	if hasTypographyMark(t.run) {
		text = string(t.run)
		t.edits = typeset(text, t.sp, t.edits)
	}
	edits := t.edits // the edits not wholly before the current piece
	for _, p := range t.pieces {
		if p.isText && len(edits) > 0 {
			for len(edits) > 0 && edits[0].before(p.text.start) {
				edits = edits[1:]
			}
			if s, changed := applyEdits(text, p.text.start, p.text.end, edits); changed {
				t.out.WriteString(html.EscapeString(s))
				continue
			}
		}
		t.out.WriteString(t.src[p.start:p.end])
	}
	t.run = t.run[:0]
	t.pieces = t.pieces[:0]
}
