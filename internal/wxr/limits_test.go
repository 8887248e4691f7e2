package wxr_test

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/wxr"
)

// TestLimits checks the limits that keep memory flat, lowered so as not
// to write hundreds of megabytes: a field over MaxFieldBytes is an item
// error and the reading goes on; an item over MaxItemBytes, or a header
// over MaxHeaderBytes, ends it.
func TestLimits(t *testing.T) {
	defer wxr.SetLimits(1<<10, 16<<10, 16<<10)()
	big := strings.Repeat("x", 2<<10)
	huge := strings.Repeat("y", 32<<10)
	item := func(id, content string) string {
		return `<item><title>Titre ` + id + `</title><wp:post_id>` + id + `</wp:post_id><content:encoded><![CDATA[` + content + `]]></content:encoded></item>`
	}
	tests := []struct {
		name     string
		src      string
		items    []int64
		skipped  []string
		fatal    error
		contains string
	}{
		{"OKFieldAtLimit", export(item("1", strings.Repeat("z", 1<<10))), []int64{1}, nil, nil, ""},
		{"ErrFieldTooLarge", export(item("1", "a") + item("2", big) + item("3", "c")), []int64{1, 3}, []string{wxr.CodeTooLarge}, nil, ""},
		{"ErrFieldTooLargeInPieces", export(item("1", strings.Repeat("a]]]]><![CDATA[>", 400))), nil, []string{wxr.CodeTooLarge}, nil, ""},
		{"ErrCommentTooLarge", export(`<item><wp:post_id>1</wp:post_id><wp:comment><wp:comment_content>` + big + `</wp:comment_content></wp:comment></item>`), nil, []string{wxr.CodeTooLarge}, nil, ""},
		{"ErrItemTooLarge", export(item("1", "a") + item("2", huge) + item("3", "c")), []int64{1}, nil, wxr.ErrTooLarge, `item 2 (post 2 "Titre 2"`},
		{"ErrHeaderTooLarge", export(strings.Repeat(`<wp:author><wp:author_login>quelqu'un</wp:author_login></wp:author>`, 400) + item("1", "a")), nil, nil, wxr.ErrTooLarge, "before the first item"},
		{"ErrLateHeaderTooLarge", export(item("1", "a") + strings.Repeat(`<wp:tag><wp:tag_slug>une-etiquette</wp:tag_slug></wp:tag>`, 400)), []int64{1}, nil, wxr.ErrTooLarge, "after the first item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readString(t, tt.src)
			if !errors.Is(res.fatal, tt.fatal) || (res.fatal == nil) != (tt.fatal == nil) {
				t.Fatalf("error = %v, want %v", res.fatal, tt.fatal)
			}
			if tt.fatal != nil && !strings.Contains(res.fatal.Error(), tt.contains) {
				t.Errorf("message %q should mention %q", res.fatal, tt.contains)
			}
			if got := postIDs(res.items); !cmp.Equal(got, tt.items) {
				t.Errorf("items = %v, want %v", got, tt.items)
			}
			if got := codes(res.skipped); !cmp.Equal(got, tt.skipped) {
				t.Errorf("skipped = %v, want %v", res.skipped, tt.skipped)
			}
		})
	}
	t.Run("OKSiteFieldTooLarge", func(t *testing.T) {
		res := readString(t, strings.Replace(export(item("1", "a")), "<channel>", "<channel><title>"+big+"</title>", 1))
		if res.fatal != nil || len(res.items) != 1 || res.reader.Site.Title != "" || len(res.reader.Warnings) != 1 {
			t.Errorf("error %v, items %d, title %.10q, warnings %q", res.fatal, len(res.items), res.reader.Site.Title, res.reader.Warnings)
		}
	})
}

// TestHugeField reads, at the real limits, a post of 50 MB (read) and one
// of 65 MB (skipped as too large, the next post read), and checks that
// the memory left in use afterwards is small.
func TestHugeField(t *testing.T) {
	if testing.Short() {
		t.Skip("115 MB of XML")
	}
	const body = "Un texte sans fin, et encore. "
	part := func(id string, size int64) io.Reader {
		head := `<item><title>Énorme ` + id + `</title><wp:post_id>` + id + `</wp:post_id><content:encoded><![CDATA[`
		return io.MultiReader(strings.NewReader(head), io.LimitReader(repeat(body), size), strings.NewReader("]]></content:encoded></item>"))
	}
	src := io.MultiReader(
		strings.NewReader(strings.TrimSuffix(export(""), "\n</channel></rss>")),
		part("1", 50<<20), part("2", 65<<20), part("3", 100),
		strings.NewReader("</channel></rss>"),
	)
	r, err := wxr.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	it, err := r.Next()
	if err != nil || len(it.Content) != 50<<20 || !strings.HasPrefix(it.Content, body) {
		t.Fatalf("50 MB post: error %v", err)
	}
	it = nil
	_, err = r.Next()
	var ie *wxr.ItemError
	if !errors.As(err, &ie) || ie.Code != wxr.CodeTooLarge || ie.ID != 2 || !strings.Contains(ie.Reason, "65 MB") {
		t.Fatalf("65 MB post: error %v, want %s", err, wxr.CodeTooLarge)
	}
	if it, err = r.Next(); err != nil || it.PostID != 3 {
		t.Fatalf("after the huge post: %v, %v", it, err)
	}
	if _, err = r.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// encoding/xml keeps the buffer it read the longest text into (about
	// 128 MB here); nothing else should be held.
	if ms.HeapAlloc > 200<<20 {
		t.Errorf("heap in use after the huge posts: %d MB", ms.HeapAlloc>>20)
	}
	runtime.KeepAlive(r)
}

type repeater struct {
	s   string
	off int
}

func repeat(s string) io.Reader { return &repeater{s: s} }

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}
