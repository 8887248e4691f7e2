package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

const palmyra = "/2016/12/11/l-etat-islamique-reprend-palmyre/"

func TestCompressionAndValidators(t *testing.T) {
	for _, cache := range []bool{true, false} {
		name := "cached"
		if !cache {
			name = "uncached"
		}
		t.Run(name, func(t *testing.T) {
			// A stopped clock: the article's comment form carries a stamp
			// of the minute it was rendered, which must not change between
			// the requests compared here.
			s := apptest.New(t, apptest.Options{NoCache: !cache, Clock: clock.NewFixed(time.Now())})
			plainResp, plain := s.Get(t, palmyra, "Accept-Encoding", "identity")
			etag := plainResp.Header.Get("Etag")
			if etag == "" || plainResp.Header.Get("Last-Modified") == "" || plainResp.Header.Get("Content-Encoding") != "" {
				t.Fatalf("plain: etag %q last-modified %q encoding %q", etag, plainResp.Header.Get("Last-Modified"), plainResp.Header.Get("Content-Encoding"))
			}
			encodings := []string{"gzip", "br"}
			if !cache {
				// Pages rendered at every request are gzipped on the fly,
				// at the fastest level; brotli is for cached pages.
				encodings = []string{"gzip"}
			}
			for _, enc := range encodings {
				req, _ := http.NewRequest(http.MethodGet, s.URL+palmyra, nil)
				req.Header.Set("Accept-Encoding", enc)
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.Header.Get("Content-Encoding") != enc || resp.Header.Get("Vary") != "Accept-Encoding" {
					t.Fatalf("%s: encoding %q vary %q", enc, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
				}
				var r io.Reader
				if enc == "gzip" {
					r, err = gzip.NewReader(bytes.NewReader(raw))
					if err != nil {
						t.Fatal(err)
					}
				} else {
					r = brotli.NewReader(bytes.NewReader(raw))
				}
				got, err := io.ReadAll(r)
				if err != nil || string(got) != plain {
					t.Errorf("%s: decoded body differs (%v)", enc, err)
				}
				if len(raw) >= len(plain)/2 {
					t.Errorf("%s: %d bytes for %d", enc, len(raw), len(plain))
				}
			}
			// Refusing gzip with q=0 gets the identity form.
			req, _ := http.NewRequest(http.MethodGet, s.URL+palmyra, nil)
			req.Header.Set("Accept-Encoding", "gzip;q=0, identity")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("q=0: encoding %q", resp.Header.Get("Content-Encoding"))
			}

			tests := []struct {
				name   string
				header []string
				want   int
			}{
				{"IfNoneMatch", []string{"If-None-Match", etag}, http.StatusNotModified},
				{"IfNoneMatchGzipForm", []string{"If-None-Match", strings.TrimSuffix(etag, `"`) + `-gzip"`}, http.StatusNotModified},
				{"IfNoneMatchList", []string{"If-None-Match", `"other", ` + etag}, http.StatusNotModified},
				{"IfNoneMatchStale", []string{"If-None-Match", `"stale"`}, http.StatusOK},
				{"IfModifiedSince", []string{"If-Modified-Since", plainResp.Header.Get("Last-Modified")}, http.StatusNotModified},
				{"IfModifiedSinceGzip", []string{"If-Modified-Since", plainResp.Header.Get("Last-Modified"), "Accept-Encoding", "gzip"}, http.StatusNotModified},
				{"IfModifiedSinceOld", []string{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}, http.StatusOK},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp, body := s.Get(t, palmyra, tt.header...)
					if resp.StatusCode != tt.want {
						t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
					}
					if tt.want == http.StatusNotModified && body != "" {
						t.Error("304 with a body")
					}
				})
			}
			req, _ = http.NewRequest(http.MethodHead, s.URL+palmyra, nil)
			resp, err = s.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || len(b) != 0 || resp.ContentLength != int64(len(plain)) {
				t.Errorf("HEAD: status %d, %d body bytes, length %d", resp.StatusCode, len(b), resp.ContentLength)
			}
		})
	}
}

func TestChangesPurgeTheCache(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	// The demo's orders changed stocks: the bookshop's pages (Palmyra's
	// shows books) are purged once more, at most two seconds later.
	time.Sleep(2500 * time.Millisecond)
	home := s.MustGet(t, "/", http.StatusOK)
	page := s.MustGet(t, palmyra, http.StatusOK)
	if s.App.Cache.Stats().Entries < 2 {
		t.Fatalf("pages not cached: %+v", s.App.Cache.Stats())
	}
	a, err := s.App.Content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	in := inputOf(a)
	in.Title = "Palmyre de nouveau aux mains de l'État islamique"
	if _, err := s.App.Content.UpdateArticle(ctx, a.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := s.MustGet(t, palmyra, http.StatusOK); got == page || !strings.Contains(got, "Palmyre de nouveau") {
		t.Error("article page still cached after the edit")
	}
	if got := s.MustGet(t, "/", http.StatusOK); got == home || !strings.Contains(got, "Palmyre de nouveau") {
		t.Error("home page still cached after the edit")
	}
	// A settings change reaches every page.
	st := *s.App.Settings.Get()
	st.Appeal = "Soutenez-nous, c'est vital !"
	if err := s.App.Settings.Update(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := s.MustGet(t, palmyra, http.StatusOK); !strings.Contains(got, "c’est vital\u202f!") {
		t.Error("article page does not show the new appeal")
	}
}

func inputOf(a *content.Article) content.ArticleInput {
	in := content.ArticleInput{Title: a.Title, Slug: a.Slug, Excerpt: a.Excerpt, Body: a.Body, Status: a.Status,
		PublishedAt: a.PublishedAt, Featured: a.Featured, CommentsOpen: a.CommentsOpen, Version: a.Version}
	for _, au := range a.Authors {
		in.AuthorIDs = append(in.AuthorIDs, au.ID)
	}
	for _, c := range a.Categories {
		in.CategoryIDs = append(in.CategoryIDs, c.ID)
	}
	for _, tg := range a.Tags {
		in.Tags = append(in.Tags, tg.Name)
	}
	return in
}

// waitFor polls fn until it returns true or the timeout passes.
// waitUntil polls fn until it is true or timeout passes.
func waitUntil(timeout time.Duration, fn func() bool) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if fn() {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, timeout time.Duration, what string, fn func() bool) {
	t.Helper()
	if !waitUntil(timeout, fn) {
		t.Fatalf("timed out after %s waiting for %s", timeout, what)
	}
}

func TestScheduledArticleAppearsWithoutRestart(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		opts := apptest.Options{Serve: true}
		if strings.HasPrefix(dsn, "postgres") {
			opts.PostgresURL = dsn
		}
		s := apptest.New(t, opts)
		s.MustGet(t, "/", http.StatusOK) // cache the home page
		a, err := s.App.Content.CreateArticle(context.Background(), content.ArticleInput{
			Title: "Flash programmé", Body: "Il paraîtra tout seul.", Status: content.StatusScheduled,
			PublishedAt: time.Now().Add(2 * time.Second),
		})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != content.StatusScheduled || strings.Contains(s.MustGet(t, "/", http.StatusOK), "Flash programmé") {
			t.Fatal("scheduled article visible before its time")
		}
		waitFor(t, 20*time.Second, "the scheduled article on the home page", func() bool {
			return strings.Contains(s.MustGet(t, "/", http.StatusOK), "Flash programmé")
		})
	})
}

// TestTwoInstancesStayCoherent runs two kiosque instances on one PostgreSQL
// database, as behind a load balancer.
func TestTwoInstancesStayCoherent(t *testing.T) {
	dsn := storagetest.PostgresDSN(t)
	a := apptest.New(t, apptest.Options{PostgresURL: dsn, Serve: true})
	b := apptest.New(t, apptest.Options{PostgresURL: dsn, Serve: true, NoDemo: true})
	ctx := context.Background()

	// A's workers may still be finishing the demo's jobs, whose change
	// notices rightly keep B from caching what it renders meanwhile.
	var before string
	waitFor(t, 20*time.Second, "instance B caching its pages", func() bool {
		before = b.MustGet(t, palmyra, http.StatusOK)
		b.MustGet(t, "/", http.StatusOK)
		return b.App.Cache.Stats().Entries >= 2
	})
	art, err := a.App.Content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	in := inputOf(art)
	in.Title = "Palmyre : le retour de l'État islamique"
	if _, err := a.App.Content.UpdateArticle(ctx, art.ID, in); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "instance B to show the edit made through A", func() bool {
		got := b.MustGet(t, palmyra, http.StatusOK)
		return got != before && strings.Contains(got, "le retour de l’État islamique")
	})
	st := *a.App.Settings.Get()
	st.Title = "Le Veilleur du soir"
	if err := a.App.Settings.Update(ctx, st); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "instance B to show new settings", func() bool {
		return strings.Contains(b.MustGet(t, "/", http.StatusOK), "Le Veilleur du soir")
	})

	// A scheduled article is published once, by one instance.
	jobsBefore, err := a.App.DB.CountJobs(ctx, content.PublishScheduledJob{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	sched, err := b.App.Content.CreateArticle(ctx, content.ArticleInput{
		Title: "Une seule fois", Status: content.StatusScheduled, PublishedAt: time.Now().Add(time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the scheduled article on both instances", func() bool {
		return strings.Contains(a.MustGet(t, "/", http.StatusOK), "Une seule fois") &&
			strings.Contains(b.MustGet(t, "/", http.StatusOK), "Une seule fois")
	})
	got, err := a.App.Content.ArticleByID(ctx, sched.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Created at version 1, published once: version 2.
	if got.Version != 2 {
		t.Errorf("version = %d, want 2 (published exactly once)", got.Version)
	}
	n, err := a.App.DB.CountJobs(ctx, content.PublishScheduledJob{}.Kind())
	if err != nil || n != jobsBefore+1 {
		t.Errorf("publish jobs = %d, %v; want %d", n, err, jobsBefore+1)
	}
}

func TestSecondServeOnSameDataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	apptest.New(t, apptest.Options{Data: dir, NoDemo: true})
	cfg := config.Default()
	cfg.Data = dir
	_, err := app.New(context.Background(), cfg, app.Options{Serve: true})
	if !errors.Is(err, app.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "already serving") {
		t.Errorf("message = %q", err)
	}
	// Commands that only write may still run beside the server.
	other, err := app.New(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatalf("migrate beside a server: %v", err)
	}
	_ = other.Close()
}

func TestEnglishSite(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	st := *s.App.Settings.Get()
	st.Language = "en"
	st.Typography = "none"
	if err := s.App.Settings.Update(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	body := s.MustGet(t, palmyra, http.StatusOK)
	for _, want := range []string{`<html lang="en">`, "Sunday, December 11, 2016", "Support us", "Related", `content="en_US"`} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	if strings.Contains(body, ">dimanche 11 décembre 2016</time>") {
		t.Error("English page shows a French date")
	}
}

func TestOpsEndpoints(t *testing.T) {
	s := apptest.New(t, apptest.Options{NoDemo: true})
	resp, body := s.Get(t, "/healthz")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"database":"sqlite"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
	s.MustGet(t, "/", http.StatusOK)
	resp, body = s.Get(t, "/metrics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "kiosque_http_requests_total") || !strings.Contains(body, `route="cache"`) {
		t.Errorf("metrics: %d %.300s", resp.StatusCode, body)
	}
	resp, _ = s.Get(t, "/metrics", "X-Forwarded-For", "203.0.113.9")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("metrics through a proxy: status %d, want 403", resp.StatusCode)
	}
}

func TestEmptySiteStarts(t *testing.T) {
	s := apptest.New(t, apptest.Options{NoDemo: true})
	body := s.MustGet(t, "/", http.StatusOK)
	if !strings.Contains(body, "Aucun article pour le moment.") {
		t.Error("empty home page lacks its message")
	}
	for _, p := range []string{"/feed/", "/feed/atom/", "/sitemap.xml", "/sitemaps/articles-1.xml", "/archives/", "/api/v1/articles"} {
		s.MustGet(t, p, http.StatusOK)
	}
	if st := s.App.Settings.Get(); st.Title != settings.Defaults().Title {
		t.Errorf("title = %q", st.Title)
	}
}
