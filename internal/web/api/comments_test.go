package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/web/api"
)

type commentsBody struct {
	Data  []api.Comment     `json:"data"`
	Meta  api.CommentsMeta  `json:"meta"`
	Links api.CommentsLinks `json:"links"`
}

const palmyraComments = "/api/v1/articles/l-etat-islamique-reprend-palmyre/comments"

// addComment stores a comment under the article slug, posted now.
func addComment(t *testing.T, s *apptest.Site, slug string, c *comments.Comment, ip string) *comments.Comment {
	t.Helper()
	a, err := s.App.Content.ArticleBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	c.ArticleID = a.ID
	if c.Status == "" {
		c.Status = comments.StatusApproved
	}
	c.CreatedAt = time.Now().Truncate(time.Second)
	if err := s.App.Comments.Import(context.Background(), c, ip); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestComments(t *testing.T) {
	run := func(t *testing.T, s *apptest.Site) {
		ctx := context.Background()
		secret := addComment(t, s, "l-etat-islamique-reprend-palmyre", &comments.Comment{AuthorName: "Lecteur discret",
			AuthorEmail: "discret@example.org", AuthorURL: "https://example.org/carnet", Body: "Merci pour ce suivi."}, "198.51.100.23")
		for _, slug := range []string{"fresh", "closed"} {
			if _, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: slug, Slug: slug, Body: "Texte.",
				Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute), CommentsOpen: slug == "fresh"}); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("OK", func(t *testing.T) {
			resp, raw := s.Get(t, palmyraComments)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" ||
				resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Etag") == "" {
				t.Fatalf("status %d headers %v", resp.StatusCode, resp.Header)
			}
			var b commentsBody
			if err := json.Unmarshal([]byte(raw), &b); err != nil {
				t.Fatal(err)
			}
			if b.Meta.Total != 4 || len(b.Data) != 4 {
				t.Fatalf("meta %+v, %d comments, want the 3 approved of the demo and ours", b.Meta, len(b.Data))
			}
			if b.Links.Self != s.URL+palmyraComments || b.Links.Article != s.URL+"/api/v1/articles/l-etat-islamique-reprend-palmyre" ||
				b.Links.HTML != s.URL+"/2016/12/11/l-etat-islamique-reprend-palmyre/#comments" ||
				b.Links.Feed != s.URL+"/2016/12/11/l-etat-islamique-reprend-palmyre/feed/" {
				t.Errorf("links = %+v", b.Links)
			}
			// Display order: each thread oldest first, the newsroom's
			// answer right under Sophie's comment.
			want := []struct {
				name          string
				number, depth int
				parent        int // index in want, -1 at the top
				staff, url    bool
			}{
				{"Daniel Daflon", 1, 0, -1, false, false},
				{"Sophie R.", 2, 0, -1, false, true},
				{"La rédaction", 3, 1, 1, true, false},
				{"Lecteur discret", 4, 0, -1, false, true},
			}
			for i, w := range want {
				c := b.Data[i]
				if c.Author.Name != w.name || c.Number != w.number || c.Depth != w.depth || c.Author.Staff != w.staff || (c.Author.URL != nil) != w.url {
					t.Errorf("comment %d = %+v, want %+v", i, c, w)
				}
				switch {
				case w.parent < 0 && c.ParentID != nil:
					t.Errorf("comment %d: parent_id %d, want null", i, *c.ParentID)
				case w.parent >= 0 && (c.ParentID == nil || *c.ParentID != b.Data[w.parent].ID):
					t.Errorf("comment %d: parent_id %v, want %d", i, c.ParentID, b.Data[w.parent].ID)
				}
				if c.ID == 0 || c.HTML == "" || c.Date.IsZero() || !strings.HasPrefix(c.Author.AvatarURL, s.URL+"/avatars/") || !strings.HasSuffix(c.Author.AvatarURL, ".svg") {
					t.Errorf("comment %d = %+v", i, c)
				}
			}
			if u := b.Data[3].Author.URL; u == nil || *u != "https://example.org/carnet" || b.Data[3].ID != secret.ID {
				t.Errorf("our comment = %+v", b.Data[3])
			}
			for _, field := range []string{`"parent_id":null`, `"url":null`, `"date":"`, `"html":"<p>`, `"open":`} {
				if !strings.Contains(raw, field) {
					t.Errorf("body lacks %s", field)
				}
			}
		})

		t.Run("OKNothingPrivate", func(t *testing.T) {
			_, raw := s.Get(t, palmyraComments)
			a, err := s.App.Content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.App.Comments.Discussion(ctx, comments.Target{ID: a.ID, Visible: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			private := []string{"discret@example.org", "198.51.100.23", "email", "status", "approved", "score", "Karim B.", "Meilleur prix"}
			comments.Walk(d.Thread, func(c *comments.Comment) {
				if c.AuthorEmail != "" {
					private = append(private, c.AuthorEmail)
				}
			})
			for _, p := range private {
				if strings.Contains(raw, p) {
					t.Errorf("the response holds %q", p)
				}
			}
		})

		t.Run("OKEmpty", func(t *testing.T) {
			for slug, open := range map[string]bool{"fresh": true, "closed": false} {
				_, raw := s.Get(t, "/api/v1/articles/"+slug+"/comments")
				var b commentsBody
				if err := json.Unmarshal([]byte(raw), &b); err != nil {
					t.Fatal(err)
				}
				if b.Meta.Total != 0 || b.Meta.Open != open || !strings.Contains(raw, `"data":[]`) {
					t.Errorf("%s: %s", slug, raw)
				}
			}
		})

		t.Run("OKPurged", func(t *testing.T) {
			s.Get(t, palmyraComments)
			if s.App.Cache != nil {
				if _, ok := s.App.Cache.Get(palmyraComments); !ok {
					t.Fatal("the response is not cached")
				}
			}
			addComment(t, s, "l-etat-islamique-reprend-palmyre", &comments.Comment{AuthorName: "En attente",
				AuthorEmail: "attente@example.org", Body: "Pas encore.", Status: comments.StatusPending}, "")
			late := addComment(t, s, "l-etat-islamique-reprend-palmyre", &comments.Comment{AuthorName: "Retardataire",
				AuthorEmail: "retard@example.org", Body: "Me voilà.", ParentID: secret.ID}, "")
			var b commentsBody
			getJSON(t, s, palmyraComments, http.StatusOK, &b)
			if b.Meta.Total != 5 || len(b.Data) != 5 {
				t.Fatalf("after a new approved comment: meta %+v", b.Meta)
			}
			c := b.Data[4]
			if c.ID != late.ID || c.Depth != 1 || c.ParentID == nil || *c.ParentID != secret.ID || c.Number != 5 {
				t.Errorf("reply = %+v", c)
			}
		})
	}
	t.Run("sqlite", func(t *testing.T) { run(t, apptest.New(t, apptest.Options{})) })
	t.Run("postgres", func(t *testing.T) { run(t, apptest.New(t, apptest.Options{PostgresURL: storagetest.PostgresDSN(t)})) })
}

func TestCommentsErrors(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		name, path string
	}{
		{"ErrUnknownArticle", "/api/v1/articles/nope/comments"},
		{"ErrDraft", "/api/v1/articles/nos-coups-de-coeur-de-l-hiver/comments"},
		{"ErrStaticPage", "/api/v1/articles/a-propos/comments"},
		{"ErrTrailingPath", palmyraComments + "/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b errBody
			resp := getJSON(t, s, tt.path, http.StatusNotFound, &b)
			if b.Error.Code != "not_found" || b.Error.Message == "" {
				t.Errorf("error = %+v", b.Error)
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}
