package wxr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The reasons a whole export is refused or stops being read. NewReader and
// Next return them inside a *FatalError (errors.Is works), so that the
// importer can show a message in the reader's language.
var (
	// ErrNotWXR: the file is not a WordPress export: not XML, compressed,
	// no <rss> root or <channel>, or no wp:wxr_version before the first
	// item.
	ErrNotWXR = errors.New("not a WordPress export (WXR)")
	// ErrVersion: the export declares a WXR version other than 1.0, 1.1
	// and 1.2, whose format this package does not know.
	ErrVersion = errors.New("unsupported WXR version")
	// ErrDoctype: the file declares a DOCTYPE with an internal subset or
	// entities, which WordPress never writes and is how entity-expansion
	// attacks ("billion laughs", external entities) are built.
	ErrDoctype = errors.New("DOCTYPE with entity declarations refused")
	// ErrEncoding: the text is not valid UTF-8 (often a Latin-1 file that
	// declares UTF-8), is UTF-16, or declares an encoding that cannot be
	// read.
	ErrEncoding = errors.New("unreadable text encoding")
	// ErrTruncated: the file ends before the export does (an interrupted
	// download or copy).
	ErrTruncated = errors.New("the file is truncated")
	// ErrXML: the file is not well-formed XML (a tag closed by another, a
	// stray "<" or "&"…).
	ErrXML = errors.New("not well-formed XML")
	// ErrTooLarge: an item, or everything before the first item, is larger
	// in the file than the reader accepts (MaxItemBytes, MaxHeaderBytes),
	// so that a hostile file cannot exhaust memory.
	ErrTooLarge = errors.New("element too large")
)

// detailError gives a sentinel (and the error it comes from, if any) a
// detail, without repeating the underlying error's own position.
type detailError struct {
	kind   error
	detail string
	cause  error
}

// Error returns the sentinel's message and the detail.
func (e *detailError) Error() string {
	if e.detail == "" {
		return e.kind.Error()
	}
	return e.kind.Error() + ": " + e.detail
}

// Unwrap returns the sentinel and the cause.
func (e *detailError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func detailf(kind error, format string, args ...any) error {
	return &detailError{kind: kind, detail: fmt.Sprintf(format, args...)}
}

// FatalError is an error that ends the stream: the file is refused, broken
// or truncated. Line and Column (1-based) and Offset (in bytes) say where
// it was detected; when it happened inside an item, Item says which.
type FatalError struct {
	Line, Column int
	Offset       int64
	// Item is the item, author or term being read, if any (its Index is
	// 0 otherwise).
	Item ItemRef
	// Err is the cause: one of the Err* sentinels (errors.Is), wrapping an
	// *xml.SyntaxError or a read error when there is one.
	Err error
}

// Error returns the cause with its position.
func (e *FatalError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wxr: line %d, column %d", e.Line, e.Column)
	if e.Item.Index > 0 {
		b.WriteString(", in ")
		b.WriteString(e.Item.String())
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *FatalError) Unwrap() error { return e.Err }

// ItemRef names an item (or an author or a term) in messages: where it is
// in the file and what it is known by.
type ItemRef struct {
	// Element is "item", "wp:author", "wp:category", "wp:tag" or
	// "wp:term".
	Element string
	// Index is the element's position among those of its kind, from 1.
	Index int
	// Line is where the element starts in the file.
	Line int
	// ID is its wp:post_id, wp:author_id or wp:term_id, when read.
	ID int64
	// Name is its title, login or slug, when read.
	Name string
}

// String names the element: `item 12 (post 45 "Hello", line 230)`,
// `wp:tag 3 (id 7 "paris", line 40)`.
func (r ItemRef) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d (", r.Element, r.Index)
	if r.ID != 0 {
		switch r.Element {
		case "item":
			fmt.Fprintf(&b, "post %d", r.ID)
		default:
			fmt.Fprintf(&b, "id %d", r.ID)
		}
		if r.Name != "" {
			b.WriteByte(' ')
		}
	}
	if r.Name != "" {
		fmt.Fprintf(&b, "%q", clip(r.Name, 80))
	}
	if r.ID != 0 || r.Name != "" {
		b.WriteString(", ")
	}
	fmt.Fprintf(&b, "line %d)", r.Line)
	return b.String()
}

// ItemError reports an item, author or term that is well-formed XML but
// cannot be read; the stream goes on after it.
type ItemError struct {
	ItemRef
	// Code is a stable machine name of the reason (CodeMissing…), for
	// reports that translate it.
	Code string
	// Reason says what is wrong and on which line, in English, for logs
	// and reports.
	Reason string
}

// Error names the element and the reason.
func (e *ItemError) Error() string {
	return "wxr: " + e.String() + " skipped: " + e.Reason
}

// The codes of ItemError.
const (
	// CodeMissing: a field the element cannot do without is absent or
	// empty (an item's wp:post_id, an author's login, a term's taxonomy
	// or slug and name).
	CodeMissing = "missing_field"
	// CodeInvalid: a number, date or flag does not parse.
	CodeInvalid = "invalid_value"
	// CodeDuplicate: a field is given twice with different values (which
	// one WordPress meant cannot be told).
	CodeDuplicate = "duplicate_field"
	// CodeTooLarge: a field's text is over MaxFieldBytes.
	CodeTooLarge = "field_too_large"
	// CodeMarkup: a text field holds elements (HTML that was not escaped
	// or put in CDATA), which would be lost.
	CodeMarkup = "unexpected_markup"
)

// clip shortens s to at most n bytes, on a rune boundary, for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
