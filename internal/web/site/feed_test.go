package site_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
)

func TestFeeds(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		path, ctype, feedType string
		items                 int
		firstTitle            string
	}{
		{"/feed/", "application/rss+xml", "rss", 20, "Irak\u00a0: l’assaut est lancé sur l’ouest de Mossoul"},
		{"/feed/atom/", "application/atom+xml", "atom", 20, "Irak\u00a0: l’assaut est lancé sur l’ouest de Mossoul"},
		{"/category/livres/feed/", "application/rss+xml", "rss", 7, ""},
		{"/category/livres/feed/atom/", "application/atom+xml", "atom", 7, ""},
		{"/tag/syrie/feed/", "application/rss+xml", "rss", 5, ""},
		{"/tag/syrie/feed/atom/", "application/atom+xml", "atom", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := s.Get(t, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("content type %q", resp.Header.Get("Content-Type"))
			}
			if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
				t.Fatalf("not well-formed XML: %v", err)
			}
			f, err := gofeed.NewParser().ParseString(body)
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if f.FeedType != tt.feedType {
				t.Errorf("feed type %q", f.FeedType)
			}
			if len(f.Items) != tt.items {
				t.Errorf("%d items, want %d", len(f.Items), tt.items)
			}
			if tt.firstTitle != "" && f.Items[0].Title != tt.firstTitle {
				t.Errorf("first item %q", f.Items[0].Title)
			}
			if f.Title == "" || f.Link == "" && len(f.Links) == 0 || f.Language != "fr" && tt.feedType == "rss" {
				t.Errorf("feed title %q link %q language %q", f.Title, f.Link, f.Language)
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, s.URL+"/20") || it.PublishedParsed == nil || it.Content == "" || len(it.Authors) == 0 || len(it.Categories) == 0 {
					t.Errorf("item %q: link %q published %v content %d bytes authors %v categories %v",
						it.Title, it.Link, it.PublishedParsed, len(it.Content), it.Authors, it.Categories)
				}
				if strings.Contains(it.Content, `href="/`) || strings.Contains(it.Content, `src="/`) {
					t.Errorf("item %q: relative link in content", it.Title)
				}
			}
			for i := 1; i < len(f.Items); i++ {
				if f.Items[i].PublishedParsed.After(*f.Items[i-1].PublishedParsed) {
					t.Errorf("items not newest first at %d", i)
				}
			}
		})
	}
}

// TestFeedsInFeedparser runs the feeds through Python's feedparser, the
// parser most feed readers' ancestors were tested against, when installed
// (Debian: python3-feedparser).
func TestFeedsInFeedparser(t *testing.T) {
	if err := exec.Command("python3", "-c", "import feedparser").Run(); err != nil {
		t.Skip("skipping: python3-feedparser is not installed")
	}
	s := apptest.New(t, apptest.Options{})
	for _, path := range []string{"/feed/", "/feed/atom/", "/tag/syrie/feed/"} {
		script := `import sys, feedparser
d = feedparser.parse(sys.argv[1])
assert not d.bozo, d.bozo_exception
assert len(d.entries) > 0
for e in d.entries:
    assert e.title and e.link and e.published_parsed and e.content[0].value and e.author, e
print(d.version, len(d.entries))`
		out, err := exec.Command("python3", "-c", script, s.URL+path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: feedparser: %v\n%s", path, err, out)
		}
	}
}

func TestSitemaps(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(s.MustGet(t, "/sitemap.xml", http.StatusOK)), &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Sitemaps) != 3 {
		t.Fatalf("sitemap index lists %d files: %+v", len(idx.Sitemaps), idx)
	}
	type urlset struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
			News    struct {
				Title string `xml:"title"`
				Date  string `xml:"publication_date"`
				Pub   struct {
					Name     string `xml:"name"`
					Language string `xml:"language"`
				} `xml:"publication"`
			} `xml:"news"`
		} `xml:"url"`
	}
	var arts urlset
	if err := xml.Unmarshal([]byte(s.MustGet(t, strings.TrimPrefix(idx.Sitemaps[0].Loc, s.URL), http.StatusOK)), &arts); err != nil {
		t.Fatal(err)
	}
	if len(arts.URLs) != 31 {
		t.Errorf("article sitemap has %d URLs, want the 31 published", len(arts.URLs))
	}
	for _, u := range arts.URLs {
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil || !strings.HasPrefix(u.Loc, s.URL+"/20") {
			t.Errorf("url %+v", u)
		}
	}
	var tax urlset
	if err := xml.Unmarshal([]byte(s.MustGet(t, "/sitemaps/taxonomies.xml", http.StatusOK)), &tax); err != nil {
		t.Fatal(err)
	}
	if len(tax.URLs) < 10 {
		t.Errorf("taxonomy sitemap has %d URLs", len(tax.URLs))
	}

	// The demo is from 2016: the news sitemap is empty until something new is published.
	var news urlset
	if err := xml.Unmarshal([]byte(s.MustGet(t, "/sitemaps/news.xml", http.StatusOK)), &news); err != nil {
		t.Fatal(err)
	}
	if len(news.URLs) != 0 {
		t.Errorf("news sitemap of 2016 articles: %d URLs", len(news.URLs))
	}
	if _, err := s.App.Content.CreateArticle(context.Background(), content.ArticleInput{
		Title: "Dernière minute", Body: "Une dépêche.", Status: content.StatusPublished,
	}); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(s.MustGet(t, "/sitemaps/news.xml", http.StatusOK)), &news); err != nil {
		t.Fatal(err)
	}
	if len(news.URLs) != 1 || news.URLs[0].News.Title != "Dernière minute" || news.URLs[0].News.Pub.Language != "fr" || news.URLs[0].News.Pub.Name != "Association Le Veilleur" {
		t.Errorf("news sitemap = %+v", news.URLs)
	}

	robots := s.MustGet(t, "/robots.txt", http.StatusOK)
	if !strings.Contains(robots, "Sitemap: "+s.URL+"/sitemap.xml") || !strings.Contains(robots, "Disallow: /search") {
		t.Errorf("robots.txt = %q", robots)
	}
}
