package wpcontent

import "strings"

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
