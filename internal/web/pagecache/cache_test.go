package pagecache

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func page(body string, tags ...string) *Entry {
	e := Build(Page{Status: 200, ContentType: "text/html", Body: []byte(body), Tags: tags})
	e.Compress()
	return e
}

func TestPutGetPurge(t *testing.T) {
	c := New(1 << 20)
	tok := c.Begin()
	c.Put("/a/", tok, page("a", ArticleTag(1), TagLists))
	c.Put("/b/", tok, page("b", ArticleTag(2)))
	c.Put("/", tok, page("home", TagLists))
	if _, ok := c.Get("/a/"); !ok {
		t.Fatal("/a/ not cached")
	}
	c.Purge(ArticleTag(2))
	if _, ok := c.Get("/b/"); ok {
		t.Error("/b/ survived the purge of its tag")
	}
	if _, ok := c.Get("/a/"); !ok {
		t.Error("/a/ purged with another article's tag")
	}
	c.Purge(TagLists)
	if c.Stats().Entries != 0 {
		t.Errorf("%d entries after purging lists", c.Stats().Entries)
	}
	c.Put("/c/", c.Begin(), page("c"))
	c.Purge(TagAll)
	if c.Stats().Entries != 0 || c.Stats().Bytes != 0 {
		t.Errorf("after TagAll: %+v", c.Stats())
	}
}

func TestPutRefusesPagesRenderedDuringAPurge(t *testing.T) {
	tests := []struct {
		name   string
		purge  []string // what commits while the page renders
		tags   []string // the page's tags
		stored bool
	}{
		{"own article", []string{ArticleTag(1)}, []string{ArticleTag(1), TagLists}, false},
		{"one of its tags", []string{TagCampaign}, []string{ArticleTag(1), TagCampaign}, false},
		{"everything", []string{TagAll}, []string{TagLists}, false},
		{"another article", []string{ArticleTag(2)}, []string{ArticleTag(1)}, true},
		{"a sale, on the home page", []string{TagShop}, []string{TagLists}, true},
		{"a gift, on a page without the appeal", []string{TagCampaign}, []string{TagComments}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(1 << 20)
			c.Purge(TagLists) // earlier purges, older than the render, do not count
			tok := c.Begin()  // a render starts, reading the old data
			c.Purge(tt.purge...)
			if got := c.Put("/a/", tok, page("page", tt.tags...)); got != tt.stored {
				t.Errorf("stored = %v, want %v", got, tt.stored)
			}
			if !c.Put("/a/", c.Begin(), page("fresh", tt.tags...)) {
				t.Error("a page rendered after the purge was refused")
			}
		})
	}
}

func TestLimit(t *testing.T) {
	c := New(64 << 10)
	big := strings.Repeat("x", 10<<10)
	for i := range 50 {
		c.Put(string(rune('a'+i)), c.Begin(), page(big))
	}
	if st := c.Stats(); st.Bytes > 64<<10 {
		t.Errorf("cache holds %d bytes over a %d limit", st.Bytes, 64<<10)
	}
	if c.Put("huge", c.Begin(), page(strings.Repeat("y", 40<<10))) {
		t.Error("an entry over a quarter of the cache was stored")
	}
}

func TestExpiry(t *testing.T) {
	c := New(1 << 20)
	e := Build(Page{Status: 200, Body: []byte("news"), MaxAge: time.Millisecond})
	c.Put("/news.xml", c.Begin(), e)
	time.Sleep(5 * time.Millisecond)
	if _, ok := c.Get("/news.xml"); ok {
		t.Error("expired entry served")
	}
}

func TestCompressedFormsDecode(t *testing.T) {
	body := strings.Repeat("Palmyre, « la perle du désert ». ", 100)
	e := page(body)
	g, err := gzip.NewReader(bytes.NewReader(e.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(g)
	if string(got) != body {
		t.Error("gzip form differs")
	}
	got, _ = io.ReadAll(brotli.NewReader(bytes.NewReader(e.Brotli)))
	if string(got) != body {
		t.Error("brotli form differs")
	}
	if small := page("tiny"); small.Gzip != nil {
		t.Error("a tiny body was compressed")
	}
	if e.ETag == page(body+"!").ETag {
		t.Error("different bodies share an ETag")
	}
}
