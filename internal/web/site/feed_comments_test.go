package site_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
)

const palmyraSlug = "l-etat-islamique-reprend-palmyre"

// commentFeeds are the site's comments feed and Palmyra's, as subtests.
var commentFeeds = []struct{ name, path string }{
	{"OKSite", "/feed/comments/"},
	{"OKArticle", palmyra + "feed/"},
}

// parseFeed fetches path, checks it is well-formed RSS 2.0 and parses it.
func parseFeed(t *testing.T, s *apptest.Site, path string) (*gofeed.Feed, string) {
	t.Helper()
	resp, body := s.Get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Fatalf("GET %s: not well-formed XML: %v\n%s", path, err, body)
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v", path, err)
	}
	if f.FeedType != "rss" || f.FeedVersion != "2.0" {
		t.Errorf("GET %s: feed %s %s", path, f.FeedType, f.FeedVersion)
	}
	return f, body
}

// importComment stores an approved comment under the article slug, posted
// now.
func importComment(t *testing.T, s *apptest.Site, slug string, c *comments.Comment) *comments.Comment {
	t.Helper()
	ctx := context.Background()
	a, err := s.App.Content.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	c.ArticleID = a.ID
	if c.Status == "" {
		c.Status = comments.StatusApproved
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().Truncate(time.Second)
	}
	if err := s.App.Comments.Import(ctx, c, "203.0.113.7"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCommentFeeds(t *testing.T) {
	sites(t, func(t *testing.T, s *apptest.Site) {
		ctx := context.Background()
		closed, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{
			Title: "Sans débat", Body: "Un texte.", Status: content.StatusPublished, CommentsOpen: false,
			PublishedAt: time.Now().Add(-time.Hour),
		})
		if err != nil {
			t.Fatal(err)
		}
		closedPath := web.ArticlePath(closed, s.App.Settings.Get().Location())
		const palmyraTitle = "L’État islamique reprend Palmyre"
		tests := []struct {
			name, path, title string
			// creators are the authors of the items, newest first when
			// the feed is of one article.
			creators []string
			// itemTitle and linkPrefix start every item's title and link.
			itemTitle, linkPrefix string
		}{
			{"OK", "/feed/comments/", "Commentaires pour Le Veilleur", nil, "Commentaire sur ", s.URL + "/20"},
			{"OKArticle", palmyra + "feed/", "Commentaires sur «\u202f" + palmyraTitle + "\u202f»",
				[]string{"La rédaction", "Sophie R.", "Daniel Daflon"}, "Commentaire sur " + palmyraTitle + " par ", s.URL + palmyra + "#comment-"},
			{"OKClosedEmpty", closedPath + "feed/", "Commentaires sur «\u202fSans débat\u202f»", []string{}, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f, _ := parseFeed(t, s, tt.path)
				if f.Title != tt.title || f.Language != "fr" || f.Link == "" {
					t.Errorf("feed title %q language %q link %q", f.Title, f.Language, f.Link)
				}
				var creators []string
				for i, it := range f.Items {
					if !strings.HasPrefix(it.Title, tt.itemTitle) || !strings.HasPrefix(it.Link, tt.linkPrefix) || it.GUID != it.Link {
						t.Errorf("item %d: title %q link %q guid %q", i, it.Title, it.Link, it.GUID)
					}
					if _, id, ok := strings.Cut(it.Link, "/#comment-"); !ok {
						t.Errorf("item %d: link %q has no comment anchor", i, it.Link)
					} else if _, err := strconv.ParseInt(id, 10, 64); err != nil {
						t.Errorf("item %d: anchor %q", i, id)
					}
					if it.PublishedParsed == nil || it.Content == "" || it.Description == "" || strings.Contains(it.Description, "<") {
						t.Errorf("item %d: published %v content %q description %q", i, it.PublishedParsed, it.Content, it.Description)
					}
					if it.DublinCoreExt == nil || len(it.DublinCoreExt.Creator) != 1 || !strings.HasSuffix(it.Title, " par "+it.DublinCoreExt.Creator[0]) {
						t.Errorf("item %d: creator %+v, title %q", i, it.DublinCoreExt, it.Title)
						continue
					}
					creators = append(creators, it.DublinCoreExt.Creator[0])
					if i > 0 && it.PublishedParsed.After(*f.Items[i-1].PublishedParsed) {
						t.Errorf("items not newest first at %d", i)
					}
				}
				// Only approved comments: the demo's pending and spam
				// ones under Palmyra stay out of every feed.
				for _, hidden := range []string{"Karim B.", "Meilleur prix", "Claude"} {
					if slices.Contains(creators, hidden) {
						t.Errorf("feed shows %s's unapproved comment", hidden)
					}
				}
				if tt.creators != nil && !slices.Equal(creators, tt.creators) {
					t.Errorf("creators %q, want %q", creators, tt.creators)
				}
				if tt.creators == nil && len(creators) != 6 {
					t.Errorf("%d comments in the site feed, want the demo's 6 approved ones", len(creators))
				}
			})
		}
	})
}

func TestCommentFeedErrors(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		name, path string
		status     int
		location   string
	}{
		{"ErrUnknownArticle", "/2016/12/11/nope/feed/", http.StatusNotFound, ""},
		{"ErrDraft", "/2017/01/01/nos-coups-de-coeur-de-l-hiver/feed/", http.StatusNotFound, ""},
		{"ErrWrongDate", "/2016/01/01/" + palmyraSlug + "/feed/", http.StatusMovedPermanently, palmyra + "feed/"},
		{"ErrNoSlash", "/feed/comments", http.StatusTemporaryRedirect, "/feed/comments/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.Get(t, tt.path)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("status %d location %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
			if tt.status == http.StatusNotFound && doc(t, body).Find(".error-page h1").Length() != 1 {
				t.Errorf("no error page: %.300s", body)
			}
		})
	}
}

// TestCommentFeedEscaping posts what a hostile reader may: markup, the
// end of a CDATA section, control characters in the name.
func TestCommentFeedEscaping(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	c := importComment(t, s, palmyraSlug, &comments.Comment{
		AuthorName: "Mallory\x01\x0b</dc:creator><script>", AuthorEmail: "mallory@example.org",
		Body: "<script>alert(1)</script> ]]> <![CDATA[ & </content:encoded> fin",
	})
	anchor := "#comment-" + strconv.FormatInt(c.ID, 10)
	for _, tt := range commentFeeds {
		t.Run(tt.name, func(t *testing.T) {
			f, body := parseFeed(t, s, tt.path)
			for _, bad := range []string{"<script>", "\x01", "\x0b", "</dc:creator><"} {
				if strings.Contains(body, bad) {
					t.Errorf("raw feed holds %q", bad)
				}
			}
			if len(f.Items) == 0 || !strings.HasSuffix(f.Items[0].Link, anchor) {
				t.Fatalf("the hostile comment is not the first item")
			}
			it := f.Items[0]
			if want := "Mallory\uFFFD\uFFFD</dc:creator><script>"; it.DublinCoreExt == nil || it.DublinCoreExt.Creator[0] != want || !strings.HasSuffix(it.Title, want) {
				t.Errorf("creator %+v title %q, want %q", it.DublinCoreExt, it.Title, want)
			}
			if !strings.Contains(it.Content, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(it.Content, "]]") || !strings.Contains(it.Content, "&lt;/content:encoded&gt; fin") {
				t.Errorf("content = %q", it.Content)
			}
			if !strings.Contains(it.Description, "alert(1)") || !strings.Contains(it.Description, "fin") {
				t.Errorf("description = %q", it.Description)
			}
		})
	}
}

// TestCommentFeedPurge checks that a cached comments feed is dropped when
// a comment is approved, and kept when one only waits for a moderator.
func TestCommentFeedPurge(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	etags := map[string]string{}
	for _, tt := range commentFeeds {
		path := tt.path
		resp, _ := s.Get(t, path)
		etags[path] = resp.Header.Get("Etag")
		if _, ok := s.App.Cache.Get(path); !ok {
			t.Fatalf("%s is not cached", path)
		}
		if resp, _ := s.Get(t, path, "If-None-Match", etags[path]); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: conditional GET status %d", path, resp.StatusCode)
		}
	}
	pending := importComment(t, s, palmyraSlug, &comments.Comment{AuthorName: "Patient", AuthorEmail: "patient@example.org",
		Body: "J’attends.", Status: comments.StatusPending})
	for _, tt := range commentFeeds {
		if _, ok := s.App.Cache.Get(tt.path); !ok {
			t.Errorf("%s was purged by a pending comment", tt.path)
		}
	}
	c := importComment(t, s, palmyraSlug, &comments.Comment{AuthorName: "Nouvelle venue", AuthorEmail: "nv@example.org", Body: "Enfin publié."})
	for _, tt := range commentFeeds {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := parseFeed(t, s, tt.path)
			if len(f.Items) == 0 || f.Items[0].Link != s.URL+palmyra+"#comment-"+strconv.FormatInt(c.ID, 10) {
				t.Fatalf("the new comment is not the first item")
			}
			for _, it := range f.Items {
				if strings.HasSuffix(it.Link, "#comment-"+strconv.FormatInt(pending.ID, 10)) {
					t.Error("the pending comment is in the feed")
				}
			}
			if resp, _ := s.Get(t, tt.path, "If-None-Match", etags[tt.path]); resp.StatusCode != http.StatusOK {
				t.Errorf("conditional GET with the old ETag: status %d", resp.StatusCode)
			}
		})
	}
}

// TestCommentFeedLinks checks that pages advertise the comments feeds in
// their head, as WordPress does: the site's everywhere, an article's on
// its page.
func TestCommentFeedLinks(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		name, page string
		feeds      []string
	}{
		{"OKHome", "/", []string{s.URL + "/feed/comments/"}},
		{"OKCategory", "/category/international/", []string{s.URL + "/feed/comments/"}},
		{"OKArticle", palmyra, []string{s.URL + "/feed/comments/", s.URL + palmyra + "feed/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, s.MustGet(t, tt.page, http.StatusOK))
			for _, href := range tt.feeds {
				link := d.Find(`link[rel="alternate"][type="application/rss+xml"][href="` + href + `"]`)
				if title, _ := link.Attr("title"); link.Length() != 1 || title == "" {
					t.Errorf("%d links to %s, title %q", link.Length(), href, title)
				}
			}
		})
	}
}

// TestCommentFeedsInFeedparser runs the comments feeds through Python's
// feedparser when installed (Debian: python3-feedparser), with a hostile
// comment in them.
func TestCommentFeedsInFeedparser(t *testing.T) {
	if err := exec.Command("python3", "-c", "import feedparser").Run(); err != nil {
		t.Skip("skipping: python3-feedparser is not installed")
	}
	s := apptest.New(t, apptest.Options{})
	importComment(t, s, palmyraSlug, &comments.Comment{AuthorName: "Mallory\x01</title>", AuthorEmail: "mallory@example.org",
		Body: "<script>alert(1)</script> ]]> fin"})
	for _, tt := range commentFeeds {
		script := `import sys, feedparser
d = feedparser.parse(sys.argv[1])
assert not d.bozo, d.bozo_exception
assert d.version == "rss20", d.version
assert len(d.entries) > 0
for e in d.entries:
    assert e.title and "#comment-" in e.link and e.published_parsed and e.content[0].value and e.author and e.summary, e
assert "Mallory" in d.entries[0].author, d.entries[0]
print(d.version, len(d.entries))`
		out, err := exec.Command("python3", "-c", script, s.URL+tt.path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: feedparser: %v\n%s", tt.path, err, out)
		}
	}
}
