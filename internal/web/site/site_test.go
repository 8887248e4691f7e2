package site_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

const palmyra = "/2016/12/11/l-etat-islamique-reprend-palmyre/"

func doc(t testing.TB, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sites boots the demo on each database.
func sites(t *testing.T, fn func(t *testing.T, s *apptest.Site)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, apptest.New(t, apptest.Options{})) })
	t.Run("postgres", func(t *testing.T) {
		fn(t, apptest.New(t, apptest.Options{PostgresURL: storagetest.PostgresDSN(t)}))
	})
}

func TestArticlePage(t *testing.T) {
	sites(t, func(t *testing.T, s *apptest.Site) {
		resp, body := s.Get(t, palmyra, "Accept-Encoding", "identity")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		d := doc(t, body)
		checks := []struct {
			name, selector, want string
		}{
			{"Title", "h1.article-title", "L’État islamique reprend Palmyre"},
			{"Date", ".article-header time", "dimanche 11 décembre 2016"},
			{"Author", ".article-header .authors a", "Claire Morel"},
			{"Category", ".article-header .kicker a", "International"},
			{"DocumentTitle", "title", "L’État islamique reprend Palmyre – Le Veilleur"},
			{"AppealHeading", ".appeal h2", "Soutenez-nous"},
			{"BookshopHeading", ".bookshop h2", "Notre librairie"},
			{"RelatedHeading", ".related h2", "À lire aussi"},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				if got := strings.TrimSpace(d.Find(c.selector).First().Text()); got != c.want {
					t.Errorf("%s = %q, want %q", c.selector, got, c.want)
				}
			})
		}
		if got := d.Find(".appeal").Text(); !strings.Contains(got, "ne subsiste que par la générosité de ses lecteurs") || !strings.Contains(got, "Merci de votre soutien\u202f!") {
			t.Errorf("appeal = %q", got)
		}
		var tags []string
		d.Find(".tags a").Each(func(_ int, s *goquery.Selection) { tags = append(tags, s.Text()) })
		if strings.Join(tags, ",") != "Syrie,État islamique,Palmyre,Russie" {
			t.Errorf("tags = %v", tags)
		}
		if n := d.Find(".related li").Length(); n == 0 || n > 4 {
			t.Errorf("related articles: %d", n)
		}
		bodyText := d.Find(".article-body").Text()
		for _, want := range []string{"«\u202fIls sont arrivés", "l’anonymat", "l’Unesco\u00a0:"} {
			if !strings.Contains(bodyText, want) {
				t.Errorf("body lacks %q", want)
			}
		}
		if href, _ := d.Find(`.article-body a[href^="https://whc.unesco.org"]`).Attr("href"); href != "https://whc.unesco.org/fr/list/23/" {
			t.Errorf("URL inside the body was altered: %q", href)
		}
		meta := func(attr, name string) string {
			v, _ := d.Find(`meta[` + attr + `="` + name + `"]`).Attr("content")
			return v
		}
		if meta("property", "og:type") != "article" || meta("property", "og:url") != s.URL+palmyra || meta("property", "og:locale") != "fr_FR" {
			t.Errorf("open graph: type %q url %q locale %q", meta("property", "og:type"), meta("property", "og:url"), meta("property", "og:locale"))
		}
		if meta("property", "article:published_time") != "2016-12-11T18:42:00Z" {
			t.Errorf("article:published_time = %q", meta("property", "article:published_time"))
		}
		if meta("name", "twitter:card") == "" || meta("name", "description") == "" {
			t.Error("twitter card or description missing")
		}
		if href, _ := d.Find(`link[rel="canonical"]`).Attr("href"); href != s.URL+palmyra {
			t.Errorf("canonical = %q", href)
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(d.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
			t.Fatalf("JSON-LD: %v", err)
		}
		if ld["@type"] != "NewsArticle" || ld["headline"] != "L'État islamique reprend Palmyre" || ld["datePublished"] != "2016-12-11T19:42:00+01:00" {
			t.Errorf("JSON-LD = %v", ld)
		}
		// One script only, and no inline one: the comment form's, which
		// renews its stamp (the form works without it).
		if d.Find("script:not([type]):not([src])").Length() != 0 || d.Find("script[src]").Length() != 1 ||
			!strings.Contains(d.Find("script[src]").AttrOr("src", ""), "/static/comments.") {
			t.Error("the page carries a script other than the comment form's")
		}
		if v, _ := d.Find(`meta[name="referrer"]`).Attr("content"); v != "strict-origin-when-cross-origin" {
			t.Errorf("referrer policy = %q", v)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Etag", "Last-Modified", "Cache-Control", "Vary"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("header %s missing", h)
			}
		}
		if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Error("CSP allows inline code")
		}
	})
}

func TestArticleRedirectsToCanonicalDate(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	resp, _ := s.Get(t, "/2016/01/01/l-etat-islamique-reprend-palmyre/")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != palmyra {
		t.Errorf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestHomePage(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	d := doc(t, s.MustGet(t, "/", http.StatusOK))
	if n := d.Find(".featured-grid .card").Length(); n != 3 {
		t.Errorf("featured cards = %d, want 3", n)
	}
	if n := d.Find("#latest-heading ~ .grid .card").Length(); n != 10 {
		t.Errorf("latest cards = %d, want 10", n)
	}
	// Featured articles are not repeated in the latest list.
	seen := map[string]bool{}
	dups := 0
	d.Find(".card-title a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if seen[href] {
			dups++
		}
		seen[href] = true
	})
	if dups > 0 {
		t.Errorf("%d articles shown twice", dups)
	}
	if href, _ := d.Find(`.pagination a[rel="next"]`).Attr("href"); href != "/page/2/" {
		t.Errorf("next page = %q", href)
	}
	if d.Find(`nav.sections a[href="/category/international/"]`).Length() != 1 {
		t.Error("menu lacks the International category")
	}
	if d.Find("html[lang=fr]").Length() != 1 {
		t.Error("html lang is not fr")
	}
	// The scheduled and draft demo articles are not shown.
	if strings.Contains(d.Text(), "Livre Paris 2017") || strings.Contains(d.Text(), "Nos coups de cœur") {
		t.Error("home shows a scheduled or draft article")
	}
	d2 := doc(t, s.MustGet(t, "/page/2/", http.StatusOK))
	if d2.Find(".featured-grid").Length() != 0 || d2.Find(".card").Length() == 0 {
		t.Error("page 2: featured block shown or no cards")
	}
}

func TestListPages(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		path, heading, count string
	}{
		{"/category/international/", "International", "12 articles"},
		{"/category/livres/", "Livres", "7 articles"},
		{"/tag/syrie/", "Étiquette\u00a0: Syrie", "5 articles"},
		{"/author/claire-morel/", "Articles de Claire Morel", "11 articles"},
		{"/2016/12/", "Archives\u00a0: décembre 2016", "7 articles"},
		{"/category/international/page/2/", "International", "12 articles"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			d := doc(t, s.MustGet(t, tt.path, http.StatusOK))
			if got := d.Find("h1").Text(); got != tt.heading {
				t.Errorf("h1 = %q, want %q", got, tt.heading)
			}
			if got := d.Find(".list-header .count").Text(); !strings.HasPrefix(got, tt.count) {
				t.Errorf("count = %q, want %q", got, tt.count)
			}
			if d.Find(".card").Length() == 0 {
				t.Error("no cards")
			}
		})
	}
	d := doc(t, s.MustGet(t, "/archives/", http.StatusOK))
	if d.Find(`a[href="/2016/12/"]`).Text() != "Décembre" {
		t.Errorf("archives month link = %q", d.Find(`a[href="/2016/12/"]`).Text())
	}
	if d.Find(`a[href="/tag/syrie/"]`).Length() != 1 || d.Find(`a[href="/author/ines-lambert/"]`).Length() != 1 {
		t.Error("archives lack tags or authors")
	}
	about := doc(t, s.MustGet(t, "/a-propos/", http.StatusOK))
	if !strings.Contains(about.Find(".article-body").Text(), "association loi 1901") {
		t.Error("about page lacks the association text")
	}
}

func TestNotFoundAndBadInput(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		path string
		want int
	}{
		{"/2016/12/11/nope/", 404},
		{"/category/nope/", 404},
		{"/tag/nope/", 404},
		{"/author/nope/", 404},
		{"/2016/13/", 404},
		{"/2016/1/", 404},
		{"/0000/12/", 404},
		{"/page/0/", 404},
		{"/page/abc/", 404},
		{"/page/99/", 404},
		{"/page/99999999999999999999/", 404},
		{"/category/international/page/-1/", 404},
		{"/feed/nope/", 404},
		{"/sitemaps/articles-0.xml", 404},
		{"/sitemaps/articles-9.xml", 404},
		{"/sitemaps/other.xml", 404},
		{"/static/nope.css", 404},
		{"/wp-admin/", 404},
		{"/%ff/", 404},
		{"/search?q=%ff%fe", 400},
		{"/search?q=syrie&page=-1", 400},
		{"/search?q=syrie&page=abc", 400},
		{"/search?q=syrie&page=50", 404},
		{"/page/1/", 301},
		{"/2016/", 302},
		{"/category/international", 307},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := s.Get(t, tt.path)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 404 || tt.want == 400 {
				if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
					t.Errorf("content type %q", resp.Header.Get("Content-Type"))
				}
				d := doc(t, body)
				if d.Find(".error-page h1").Length() != 1 || d.Find(`meta[name="robots"][content*="noindex"]`).Length() != 1 {
					t.Errorf("no error page: %.300s", body)
				}
				if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
					t.Error("error page leaks internals")
				}
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader("x=1"))
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", resp.StatusCode)
	}
}

func TestSearch(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		name, q   string
		wantFirst string
		min       int
	}{
		{"Elision", "l%27%C3%89tat+islamique+Palmyre", palmyra, 1},
		{"NoAccentsLowercase", "etat+islamique+palmyre", palmyra, 1},
		{"TypographicApostrophe", "l%E2%80%99%C3%A9tat+palmyre", palmyra, 1},
		{"Plural", "palmyres", palmyra, 1},
		{"Capitals", "PALMYRE", palmyra, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.Get(t, "/search?q="+tt.q)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			d := doc(t, body)
			cards := d.Find(".card-title a")
			if cards.Length() < tt.min {
				t.Fatalf("%d results", cards.Length())
			}
			if href, _ := cards.First().Attr("href"); href != tt.wantFirst {
				t.Errorf("first result %q, want %q", href, tt.wantFirst)
			}
			if d.Find(`meta[name="robots"][content*="noindex"]`).Length() != 1 {
				t.Error("search results are indexable")
			}
			if resp.Header.Get("Cache-Control") != "private, max-age=60" {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
	t.Run("NoResults", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/search?q=zzzyyyxxx", http.StatusOK))
		if d.Find(".empty").Length() != 1 {
			t.Error("no 'no results' message")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/search?q=", http.StatusOK))
		if d.Find(".card").Length() != 0 {
			t.Error("empty query shows results")
		}
	})
	t.Run("TooLong", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/search?q="+strings.Repeat("palmyre+", 60), http.StatusOK))
		if !strings.Contains(d.Find(".count").Text(), "trop longue") {
			t.Errorf("count = %q", d.Find(".count").Text())
		}
	})
	t.Run("Hostile", func(t *testing.T) {
		for _, q := range []string{"%22", "%27%29%3B+DROP+TABLE+articles%3B--", "NEAR%28a+b%29", "a%26b%7Cc%21d", "%5C%5C", "*"} {
			resp, _ := s.Get(t, "/search?q="+q)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("q=%s: status %d", q, resp.StatusCode)
			}
		}
	})
}
