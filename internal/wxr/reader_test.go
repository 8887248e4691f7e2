package wxr_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/wxr"
)

// result is what reading a whole export gave.
type result struct {
	reader  *wxr.Reader
	items   []*wxr.Item
	skipped []*wxr.ItemError
	fatal   error
}

// read reads every item of the export in src, going on after item errors
// as an importer does.
func read(tb testing.TB, src io.Reader) result {
	tb.Helper()
	var res result
	r, err := wxr.NewReader(src)
	if err != nil {
		res.fatal = err
		return res
	}
	res.reader = r
	for {
		it, err := r.Next()
		if err == io.EOF {
			if _, again := r.Next(); again != io.EOF {
				tb.Errorf("Next after io.EOF = %v, want io.EOF", again)
			}
			return res
		}
		var ie *wxr.ItemError
		switch {
		case errors.As(err, &ie):
			res.skipped = append(res.skipped, ie)
		case err != nil:
			res.fatal = err
			if _, again := r.Next(); again != err {
				tb.Errorf("Next after a fatal error = %v, want the same error", again)
			}
			return res
		default:
			res.items = append(res.items, it)
		}
	}
}

func readFile(tb testing.TB, path string) result {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return read(tb, f)
}

func readString(tb testing.TB, s string) result {
	tb.Helper()
	return read(tb, strings.NewReader(s))
}

func postIDs(items []*wxr.Item) []int64 {
	var out []int64
	for _, it := range items {
		out = append(out, it.PostID)
	}
	return out
}

func codes(errs []*wxr.ItemError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Code)
	}
	return out
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

// export wraps items in a WXR 1.2 channel.
func export(items string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
` + items + `
</channel></rss>`
}

func TestRefused(t *testing.T) {
	tests := []struct {
		name     string
		file     string // in testdata, or
		src      string // the file itself
		want     error
		contains string
	}{
		{name: "ErrDoctypeBillionLaughs", file: "billion_laughs.xml", want: wxr.ErrDoctype},
		{name: "ErrDoctypeExternalEntity", file: "external_entity.xml", want: wxr.ErrDoctype},
		{name: "ErrVersionUnknown", file: "unknown_version.xml", want: wxr.ErrVersion, contains: `"1.3"`},
		{name: "ErrVersionNotANumber", src: strings.Replace(export(""), ">1.2<", ">abc<", 1), want: wxr.ErrVersion, contains: `"abc"`},
		{name: "ErrVersionNamespace", src: `<rss xmlns:wp="http://wordpress.org/export/2.0/"><channel/></rss>`, want: wxr.ErrVersion, contains: "2.0"},
		{name: "ErrNotWXRFeed", file: "not_wxr_feed.xml", want: wxr.ErrNotWXR, contains: "wp:wxr_version"},
		{name: "ErrNotWXRFeedWithoutItems", src: `<rss><channel><title>x</title></channel></rss>`, want: wxr.ErrNotWXR, contains: "wp:wxr_version"},
		{name: "ErrNotWXRHTML", file: "not_wxr.html", want: wxr.ErrNotWXR, contains: "<html>"},
		{name: "ErrNotWXRAtom", src: `<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>`, want: wxr.ErrNotWXR, contains: "<feed>"},
		{name: "ErrNotWXRNamespacedRSS", src: `<rss xmlns="http://example.com/rss"><channel/></rss>`, want: wxr.ErrNotWXR, contains: "<rss>"},
		{name: "ErrNotWXRNoChannel", src: `<rss version="2.0"><notachannel/></rss>`, want: wxr.ErrNotWXR, contains: "no <channel>"},
		{name: "ErrNotWXREmpty", src: ``, want: wxr.ErrNotWXR, contains: "empty"},
		{name: "ErrNotWXRBlank", src: "\n\n  \n", want: wxr.ErrNotWXR, contains: "no XML element"},
		{name: "ErrNotWXRJSON", src: `{"posts": []}`, want: wxr.ErrNotWXR, contains: "text"},
		{name: "ErrNotWXRZip", src: "PK\x03\x04\x14\x00\x00\x00", want: wxr.ErrNotWXR, contains: "unzip"},
		{name: "ErrNotWXRGzip", src: "\x1f\x8b\x08\x00\x00\x00", want: wxr.ErrNotWXR, contains: "gzip"},
		{name: "ErrEncodingUTF16", src: "\xff\xfe<\x00r\x00s\x00s\x00", want: wxr.ErrEncoding, contains: "UTF-16"},
		{name: "ErrEncodingUnknownCharset", src: `<?xml version="1.0" encoding="EBCDIC-XYZ"?><rss/>`, want: wxr.ErrEncoding, contains: "EBCDIC-XYZ"},
		{name: "ErrXMLNotWellFormed", src: `<rss><channel></rss>`, want: wxr.ErrXML, contains: "closed by </rss>"},
		{name: "ErrTruncatedHeader", src: `<rss><channel><wp:wxr_version xmlns:wp="http://wordpress.org/export/1.2/">1.2</wp:wxr_version><wp:author`, want: wxr.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			var res result
			if tt.file != "" {
				res = readFile(t, filepath.Join("testdata", tt.file))
			} else {
				res = readString(t, tt.src)
			}
			if !errors.Is(res.fatal, tt.want) {
				t.Fatalf("error = %v, want %v", res.fatal, tt.want)
			}
			var fe *wxr.FatalError
			if !errors.As(res.fatal, &fe) || fe.Line == 0 {
				t.Errorf("error %v has no position", res.fatal)
			}
			if msg := res.fatal.Error(); !strings.HasPrefix(msg, "wxr: line ") || !strings.Contains(msg, tt.contains) {
				t.Errorf("message %q should give the line and mention %q", msg, tt.contains)
			}
			if res.reader != nil || len(res.items) != 0 {
				t.Errorf("read %d items from a refused file", len(res.items))
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
}

// TestFatalErrorsKeepEarlierItems checks that a file broken in its middle
// gives the items before the break, then an error naming the item and
// the line.
func TestFatalErrorsKeepEarlierItems(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		want     error
		items    []int64
		line     int
		contains []string
	}{
		{"ErrTruncated", "truncated.xml", wxr.ErrTruncated, []int64{1, 2}, 18, []string{`item 3 (post 3 "Coupé en plein milieu", line 14)`, "truncated", "inside <content:encoded>"}},
		{"ErrEncodingInvalidUTF8", "invalid_utf8.xml", wxr.ErrEncoding, []int64{1}, 11, []string{"item 2 (line 10)", "invalid UTF-8", "Latin-1"}},
		{"ErrXMLMismatchedTag", "mismatched.xml", wxr.ErrXML, []int64{1}, 13, []string{`item 2 (post 2 "Mal fermé", line 10)`, "<wp:status> closed by </wp:statut>"}},
		{"ErrXMLUndeclaredEntity", "entities.xml", wxr.ErrXML, []int64{1}, 11, []string{"item 2", "&xxe;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readFile(t, filepath.Join("testdata", tt.file))
			if got := postIDs(res.items); !cmp.Equal(got, tt.items) {
				t.Errorf("items before the error = %v, want %v", got, tt.items)
			}
			var fe *wxr.FatalError
			if !errors.As(res.fatal, &fe) || !errors.Is(res.fatal, tt.want) {
				t.Fatalf("error = %v, want a *FatalError wrapping %v", res.fatal, tt.want)
			}
			if fe.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", fe.Line, tt.line, fe)
			}
			for _, s := range tt.contains {
				if !strings.Contains(fe.Error(), s) {
					t.Errorf("message %q should mention %q", fe.Error(), s)
				}
			}
		})
	}
}

// TestItemErrors reads an export whose items are well-formed XML but
// cannot all be read: each is reported with its reason and line, and the
// reading goes on.
func TestItemErrors(t *testing.T) {
	res := readFile(t, "testdata/bad_items.xml")
	if res.fatal != nil {
		t.Fatal(res.fatal)
	}
	if got, want := postIDs(res.items), []int64{1, 7, 11}; !cmp.Equal(got, want) {
		t.Errorf("items = %v, want %v", got, want)
	}
	type skip struct {
		Index  int
		ID     int64
		Name   string
		Code   string
		Reason string
	}
	var got []skip
	for _, e := range res.skipped {
		got = append(got, skip{e.Index, e.ID, e.Name, e.Code, e.Reason})
	}
	want := []skip{
		{2, 2, "Date impossible", wxr.CodeInvalid, `wp:post_date "2021-13-45 25:00:00" (line 19) is not a date (YYYY-MM-DD HH:MM:SS)`},
		{3, 0, "Identifiant en lettres", wxr.CodeInvalid, `wp:post_id "deux" (line 23) is not a whole number`},
		{4, 0, "Sans identifiant", wxr.CodeMissing, `no wp:post_id`},
		{5, 5, "Deux identifiants", wxr.CodeDuplicate, `wp:post_id is given twice: "5" (line 31) and "6" (line 32)`},
		{7, 8, "HTML non échappé", wxr.CodeMarkup, `content:encoded (line 42) holds an element <p>: its HTML is neither escaped nor in CDATA`},
		{8, 9, "Commentaire daté de travers", wxr.CodeInvalid, `comment 1 (line 47): wp:comment_date "hier" (line 49) is not a date (YYYY-MM-DD HH:MM:SS)`},
		{9, 10, "Épinglé peut-être", wxr.CodeInvalid, `wp:menu_order "premier" (line 56) is not a whole number (and 1 more problem)`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skipped items (-want +got):\n%s", diff)
	}
	if msg := res.skipped[0].Error(); msg != `wxr: item 2 (post 2 "Date impossible", line 16) skipped: wp:post_date "2021-13-45 25:00:00" (line 19) is not a date (YYYY-MM-DD HH:MM:SS)` {
		t.Errorf("message = %q", msg)
	}

	t.Run("ErrHeader", func(t *testing.T) {
		r := res.reader
		if len(r.Authors) != 1 || r.Authors[0].Login != "bon" || len(r.Terms) != 1 || r.Terms[0].Slug != "ok" {
			t.Errorf("authors %+v, terms %+v", r.Authors, r.Terms)
		}
		var msgs []string
		for _, e := range r.Skipped {
			msgs = append(msgs, e.Error())
		}
		want := []string{
			`wxr: wp:author 1 ("mauvais-id", line 7) skipped: wp:author_id "un" (line 7) is not a whole number`,
			`wxr: wp:author 3 (id 3, line 9) skipped: no wp:author_login`,
			`wxr: wp:term 1 (id 9 "sans-taxonomie", line 10) skipped: no wp:term_taxonomy`,
		}
		if diff := cmp.Diff(want, msgs); diff != "" {
			t.Errorf("skipped authors and terms (-want +got):\n%s", diff)
		}
	})
}

// TestOddStructure checks what WordPress never writes but a hand-edited
// or third-party export may hold.
func TestOddStructure(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		items    []int64
		fatal    error
		warnings int
	}{
		{"OKNoItems", export(""), nil, nil, 0},
		{"OKSelfClosingChannel", `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>`, nil, nil, 0},
		{"OKBareDoctype", "<!DOCTYPE rss>" + export(`<item><wp:post_id>1</wp:post_id></item>`), []int64{1}, nil, 0},
		{"OKUnknownElementsSkipped", export(`<atom:link xmlns:atom="http://www.w3.org/2005/Atom" href="x"/><item><wp:post_id>1</wp:post_id><wp:unknown><item/></wp:unknown><media:content xmlns:media="http://search.yahoo.com/mrss/"><wp:post_id>9</wp:post_id></media:content></item>`), []int64{1}, nil, 0},
		{"OKHttpsNamespace", strings.ReplaceAll(export(`<item><wp:post_id>1</wp:post_id></item>`), "http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/"), []int64{1}, nil, 0},
		{"OKElementsBeforeChannel", `<rss xmlns:wp="http://wordpress.org/export/1.2/"><foo><channel/></foo><channel><wp:wxr_version>1.2</wp:wxr_version><item><wp:post_id>1</wp:post_id></item></channel></rss>`, []int64{1}, nil, 0},
		{"OKElementAfterChannel", `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><wp:post_id>1</wp:post_id></item></channel><channel><item><wp:post_id>2</wp:post_id></item></channel></rss>`, []int64{1}, nil, 1},
		{"OKLateTerms", export(`<item><wp:post_id>1</wp:post_id></item><wp:tag><wp:tag_slug>a</wp:tag_slug></wp:tag><wp:tag><wp:tag_slug>b</wp:tag_slug></wp:tag><wp:author><wp:author_login>c</wp:author_login></wp:author><item><wp:post_id>2</wp:post_id></item>`), []int64{1, 2}, nil, 2},
		{"ErrXMLSecondRoot", export(`<item><wp:post_id>1</wp:post_id></item>`) + "<rss/>", []int64{1}, wxr.ErrXML, 0},
		{"ErrXMLTextAfterRoot", export(`<item><wp:post_id>1</wp:post_id></item>`) + "garbage", []int64{1}, wxr.ErrXML, 0},
		{"ErrTruncatedAfterChannel", strings.TrimSuffix(export(`<item><wp:post_id>1</wp:post_id></item>`), "</rss>"), []int64{1}, wxr.ErrTruncated, 0},
		{"ErrXMLDirectiveInItem", export(`<item><wp:post_id>1</wp:post_id><!ENTITY x "y"></item>`), nil, wxr.ErrXML, 0},
		{"ErrXMLDirectiveInField", export(`<item><wp:post_id>1</wp:post_id><title>a<!DOCTYPE x></title></item>`), nil, wxr.ErrXML, 0},
		{"ErrXMLNamespaceFlood", export(`<item` + strings.Repeat(` xmlns:a="x"`, 2000) + `><wp:post_id>1</wp:post_id></item>`), nil, wxr.ErrXML, 0},
		{"ErrXMLDeepNesting", export(`<item><wp:post_id>1</wp:post_id>` + strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000) + `</item>`), nil, wxr.ErrXML, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readString(t, tt.src)
			if !errors.Is(res.fatal, tt.fatal) || (res.fatal == nil) != (tt.fatal == nil) {
				t.Fatalf("error = %v, want %v", res.fatal, tt.fatal)
			}
			if got := postIDs(res.items); !cmp.Equal(got, tt.items) {
				t.Errorf("items = %v, want %v (skipped %v)", got, tt.items, res.skipped)
			}
			if res.reader != nil && len(res.reader.Warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", res.reader.Warnings, tt.warnings)
			}
		})
	}
	t.Run("OKLateTermsKept", func(t *testing.T) {
		res := readString(t, export(`<item><wp:post_id>1</wp:post_id></item><wp:tag><wp:tag_slug>a</wp:tag_slug></wp:tag><wp:tag><wp:tag_slug>b</wp:tag_slug></wp:tag><wp:author><wp:author_login>c</wp:author_login></wp:author>`))
		r := res.reader
		if len(r.Terms) != 2 || r.Terms[1].Slug != "b" || len(r.Authors) != 1 || r.Authors[0].Login != "c" {
			t.Errorf("terms %+v, authors %+v", r.Terms, r.Authors)
		}
	})
}

// TestAll ranges over the items as an importer would: item errors are
// given and the loop goes on; a fatal error is the last step.
func TestAll(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f, err := os.Open("testdata/bad_items.xml")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := wxr.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		var items, skipped int
		for it, err := range r.All() {
			if err != nil {
				skipped++
				continue
			}
			if it.PostID == 0 {
				t.Error("an item without PostID")
			}
			items++
		}
		if items != 3 || skipped != 7 {
			t.Errorf("%d items, %d skipped; want 3 and 7", items, skipped)
		}
	})
	t.Run("ErrFatalLast", func(t *testing.T) {
		f, err := os.Open("testdata/truncated.xml")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := wxr.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for it, err := range r.All() {
			if err != nil {
				steps = append(steps, "fatal")
				continue
			}
			steps = append(steps, it.Title)
		}
		if want := []string{"Premier", "Deuxième", "fatal"}; !cmp.Equal(steps, want) {
			t.Errorf("steps = %q, want %q", steps, want)
		}
	})
	t.Run("OKBreak", func(t *testing.T) {
		r, err := wxr.NewReader(strings.NewReader(export(`<item><wp:post_id>1</wp:post_id></item><item><wp:post_id>2</wp:post_id></item>`)))
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range r.All() {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		it, err := r.Next()
		if err != nil || it.PostID != 2 {
			t.Errorf("after break, Next = %v, %v; want item 2", it, err)
		}
	})
}
