package bluesky

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/bluesky/blueskytest"
	"github.com/kiosque/kiosque/internal/syndication"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// now is the clock of the tests: 10:00 in Paris, 09:00 UTC.
var now = time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// newClient returns a client for the fake, with a short timeout.
func newClient(t *testing.T) *Client {
	t.Helper()
	c := New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 2 * time.Second}))
	c.now = func() time.Time { return now }
	c.log = slog.New(slog.DiscardHandler)
	return c
}

// store keeps an account's secrets as the outbox's store does, with the
// session Rotate saves.
type store struct {
	mu        sync.Mutex
	config    map[string]string
	secrets   map[string]string
	rotations int
	fail      error
}

func newStore(s *blueskytest.Server) *store {
	c := s.Creds()
	return &store{config: c.Config, secrets: c.Secrets}
}

// creds returns the account's credentials as loaded for one call.
func (st *store) creds() syndication.Credentials {
	st.mu.Lock()
	defer st.mu.Unlock()
	return syndication.Credentials{Config: st.config, Secrets: maps.Clone(st.secrets),
		Rotate: func(_ context.Context, secrets map[string]string) error {
			st.mu.Lock()
			defer st.mu.Unlock()
			if st.fail != nil {
				return st.fail
			}
			st.rotations++
			maps.Copy(st.secrets, secrets)
			return nil
		}}
}

func (st *store) secret(name string) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.secrets[name]
}

// pngImage returns a small PNG, the same at every run.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 12, 8))
	for x := range 12 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{uint8(20 * x), uint8(30 * y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func loader(data []byte, mediaType string, err error) func(context.Context) ([]byte, string, error) {
	return func(context.Context) ([]byte, string, error) { return data, mediaType, err }
}

// article is a post with everything Bluesky shows: accented French and
// emoji before the links, a link with accents and a query, one between
// brackets with brackets of its own, hashtags and a number that is none.
const articleText = "Réforme : l’Élysée tranche, les syndicats s’inquiètent 🇫🇷🎉👩‍👩‍👧 — à lire https://exemple.fr/articles/réforme-été?src=bsky&x=1, " +
	"et (voir https://fr.wikipedia.org/wiki/Le_Monde_(journal)). #Politique #ÉtéIndien #2026"

func article(t *testing.T) syndication.Post {
	return syndication.Post{
		Text:        articleText,
		Link:        "https://exemple.fr/articles/réforme-été",
		Title:       "Réforme : l’Élysée tranche",
		Description: "Les syndicats s’inquiètent d’un calendrier « intenable ».",
		ImageURL:    "https://exemple.fr/media/reforme.png",
		Language:    "fr",
		LoadImage:   loader(pngImage(t), "image/png", nil),
	}
}

func TestPublish(t *testing.T) {
	s := blueskytest.NewServer(t)
	c := newClient(t)
	const key = "delivery-42"
	r, err := c.Publish(t.Context(), s.Creds(), syndication.Attempt{Post: article(t), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	rkey := recordKey(key)
	if want := (syndication.Remote{
		ID:  "at://" + blueskytest.DID + "/app.bsky.feed.post/" + rkey,
		URL: "https://bsky.app/profile/" + blueskytest.Handle + "/post/" + rkey,
	}); r != want {
		t.Errorf("remote = %+v, want %+v", r, want)
	}
	posts, blobs := s.Posts(), s.Blobs()
	if len(posts) != 1 || len(blobs) != 1 {
		t.Fatalf("%d posts and %d blobs, want 1 and 1", len(posts), len(blobs))
	}
	p, b := posts[0], blobs[0]
	if p.Rkey != rkey || !blueskytest.ValidTID(p.Rkey) {
		t.Errorf("rkey = %q, want the TID %q", p.Rkey, rkey)
	}
	if p.Text != articleText || p.CreatedAt != "2026-11-28T09:00:00.000Z" || !cmp.Equal(p.Langs, []string{"fr"}) {
		t.Errorf("text, createdAt, langs = %q, %q, %q", p.Text, p.CreatedAt, p.Langs)
	}
	// The offsets are the UTF-8 byte offsets of the links and hashtags.
	link1 := "https://exemple.fr/articles/réforme-été?src=bsky&x=1"
	link2 := "https://fr.wikipedia.org/wiki/Le_Monde_(journal)"
	at := func(s string) int { return strings.Index(articleText, s) }
	want := []blueskytest.Facet{
		{ByteStart: at(link1), ByteEnd: at(link1) + len(link1), Type: "app.bsky.richtext.facet#link", URI: link1},
		{ByteStart: at(link2), ByteEnd: at(link2) + len(link2), Type: "app.bsky.richtext.facet#link", URI: link2},
		{ByteStart: at("#Politique"), ByteEnd: at("#Politique") + len("#Politique"), Type: "app.bsky.richtext.facet#tag", Tag: "Politique"},
		{ByteStart: at("#ÉtéIndien"), ByteEnd: at("#ÉtéIndien") + len("#ÉtéIndien"), Type: "app.bsky.richtext.facet#tag", Tag: "ÉtéIndien"},
	}
	if diff := cmp.Diff(want, p.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	wantCard := &blueskytest.External{URI: "https://exemple.fr/articles/réforme-été", Title: "Réforme : l’Élysée tranche",
		Description: "Les syndicats s’inquiètent d’un calendrier « intenable ».", Thumb: b.CID}
	if diff := cmp.Diff(wantCard, p.External); diff != "" {
		t.Errorf("card (-want +got):\n%s", diff)
	}
	if b.MimeType != "image/png" || b.Size != len(pngImage(t)) {
		t.Errorf("blob = %+v", b)
	}
	golden(t, "post.golden.json", p.Raw)
}

// golden compares got with testdata/name, which -update rewrites.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(bytes.TrimSpace(want)), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestPublishCard(t *testing.T) {
	img := pngImage(t)
	big := append(append([]byte(nil), img...), make([]byte, maxThumbBytes+1-len(img))...)
	tests := []struct {
		name      string
		post      func(p *syndication.Post)
		wantCard  bool
		wantThumb bool
	}{
		{"OK", func(*syndication.Post) {}, true, true},
		{"OKTypeSniffed", func(p *syndication.Post) { p.LoadImage = loader(img, "", nil) }, true, true},
		{"NoImage", func(p *syndication.Post) { p.LoadImage = nil }, true, false},
		{"ImageOverLimit", func(p *syndication.Post) { p.LoadImage = loader(big, "image/png", nil) }, true, false},
		{"ImageUnreadable", func(p *syndication.Post) { p.LoadImage = loader(nil, "", errors.New("no such file")) }, true, false},
		{"NotAnImage", func(p *syndication.Post) { p.LoadImage = loader([]byte("%PDF-1.7"), "application/pdf", nil) }, true, false},
		{"NoLink", func(p *syndication.Post) { p.Link = "" }, false, false},
		{"EmptyTitle", func(p *syndication.Post) { p.Title, p.Description = "", "" }, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := blueskytest.NewServer(t)
			p := article(t)
			tt.post(&p)
			if _, err := newClient(t).Publish(t.Context(), s.Creds(), syndication.Attempt{Post: p, Key: "k"}); err != nil {
				t.Fatal(err)
			}
			got := s.Posts()[0].External
			if (got != nil) != tt.wantCard {
				t.Fatalf("card = %+v, want one: %v", got, tt.wantCard)
			}
			uploads := len(s.Blobs())
			if tt.wantThumb != (uploads == 1) || (got != nil && (got.Thumb != "") != tt.wantThumb) {
				t.Errorf("%d uploads, card %+v; want a thumbnail: %v", uploads, got, tt.wantThumb)
			}
		})
	}
}

func TestPublishErrTooLong(t *testing.T) {
	s := blueskytest.NewServer(t)
	for _, text := range []string{strings.Repeat("é", 301), strings.Repeat("👩‍👩‍👧", 170)} {
		p := syndication.Post{Text: text}
		_, err := newClient(t).Publish(t.Context(), s.Creds(), syndication.Attempt{Post: p, Key: "k"})
		if syndication.ClassOf(err) != syndication.Permanent {
			t.Errorf("%d bytes: err = %v, want Permanent", len(text), err)
		}
	}
	if n := s.Calls("com.atproto.server.createSession"); n != 0 {
		t.Errorf("%d logins for posts that cannot go", n)
	}
}

func TestSession(t *testing.T) {
	post := func(t *testing.T, c *Client, st *store, key string) error {
		t.Helper()
		_, err := c.Publish(t.Context(), st.creds(), syndication.Attempt{Post: syndication.Post{Text: "Bonjour " + key}, Key: key})
		return err
	}
	t.Run("OKReused", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		for _, key := range []string{"a", "b", "c"} {
			if err := post(t, c, st, key); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Verify(t.Context(), st.creds()); err != nil {
			t.Fatal(err)
		}
		if n := s.Calls("com.atproto.server.createSession"); n != 1 {
			t.Errorf("%d logins for three posts and a check, want 1", n)
		}
		if st.rotations != 1 || st.secret("did") != blueskytest.DID || st.secret("access_jwt") == "" || st.secret("refresh_jwt") == "" {
			t.Errorf("stored session: %d rotations, did %q", st.rotations, st.secret("did"))
		}
	})
	t.Run("OKExpiredRefreshed", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		if err := post(t, c, st, "a"); err != nil {
			t.Fatal(err)
		}
		old := st.secret("access_jwt")
		s.ExpireAccessTokens()
		if err := post(t, c, st, "b"); err != nil {
			t.Fatal(err)
		}
		if got := [3]int{s.Calls("com.atproto.server.createSession"), s.Calls("com.atproto.server.refreshSession"), len(s.Posts())}; got != [3]int{1, 1, 2} {
			t.Errorf("logins, refreshes, posts = %v, want [1 1 2]", got)
		}
		if st.secret("access_jwt") == old || st.rotations != 2 {
			t.Errorf("the refreshed session was not stored (%d rotations)", st.rotations)
		}
		if err := post(t, c, st, "c"); err != nil || s.Calls("com.atproto.server.refreshSession") != 1 {
			t.Errorf("after the refresh: %v, %d refreshes", err, s.Calls("com.atproto.server.refreshSession"))
		}
	})
	t.Run("OKRefreshExpiredLogsIn", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		if err := post(t, c, st, "a"); err != nil {
			t.Fatal(err)
		}
		s.ExpireAccessTokens()
		s.ExpireRefreshTokens()
		if err := post(t, c, st, "b"); err != nil {
			t.Fatal(err)
		}
		if got := [2]int{s.Calls("com.atproto.server.createSession"), s.Calls("com.atproto.server.refreshSession")}; got != [2]int{2, 1} {
			t.Errorf("logins, refreshes = %v, want [2 1]", got)
		}
	})
	t.Run("ErrAppPasswordRevoked", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		if err := post(t, c, st, "a"); err != nil {
			t.Fatal(err)
		}
		s.RevokeAppPassword()
		err := post(t, c, st, "b")
		var e *syndication.Error
		if !errors.As(err, &e) || e.Class != syndication.Auth || !strings.Contains(e.Message, "Invalid identifier or password") {
			t.Errorf("err = %v, want Auth with the PDS's message", err)
		}
		if strings.Contains(err.Error(), blueskytest.AppPassword) || strings.Contains(err.Error(), st.secret("access_jwt")) {
			t.Errorf("a secret in the error: %v", err)
		}
	})
	t.Run("OKRotateFails", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		st.fail = errors.New("database is locked")
		if err := post(t, c, st, "a"); err != nil {
			t.Fatalf("a session that could not be stored failed the post: %v", err)
		}
	})
}

func TestVerify(t *testing.T) {
	s := blueskytest.NewServer(t)
	wantProfile := syndication.Profile{Name: blueskytest.DisplayName, URL: "https://bsky.app/profile/" + blueskytest.Handle}
	t.Run("OK", func(t *testing.T) {
		creds := s.Creds()
		creds.Config["handle"] = "@" + blueskytest.Handle // as people type it
		got, err := newClient(t).Verify(t.Context(), creds)
		if err != nil || got != wantProfile {
			t.Errorf("Verify = %+v, %v; want %+v", got, err, wantProfile)
		}
	})
	t.Run("OKStoredSession", func(t *testing.T) {
		st, c := newStore(s), newClient(t)
		if _, err := c.Verify(t.Context(), st.creds()); err != nil {
			t.Fatal(err)
		}
		logins, checks := s.Calls("com.atproto.server.createSession"), s.Calls("com.atproto.server.getSession")
		got, err := c.Verify(t.Context(), st.creds())
		if err != nil || got != wantProfile {
			t.Errorf("Verify = %+v, %v; want %+v", got, err, wantProfile)
		}
		if s.Calls("com.atproto.server.createSession") != logins || s.Calls("com.atproto.server.getSession") != checks+1 {
			t.Error("the stored session was not checked with getSession")
		}
	})
	for _, tt := range []struct {
		name    string
		service string
		secrets map[string]string
		class   syndication.Class
		message string
	}{
		{"ErrBadPassword", s.URL, map[string]string{"app_password": "wrong-pass-word"}, syndication.Auth, "Invalid identifier or password"},
		{"ErrNoPassword", s.URL, map[string]string{}, syndication.Auth, "app password"},
		{"ErrPlainHTTP", "http://bsky.social", map[string]string{"app_password": blueskytest.AppPassword}, syndication.Permanent, "https"},
		{"ErrNotAnAddress", "bsky.social", map[string]string{"app_password": blueskytest.AppPassword}, syndication.Permanent, "https"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			creds := s.Creds()
			creds.Config["service"], creds.Secrets = tt.service, tt.secrets
			_, err := newClient(t).Verify(t.Context(), creds)
			var e *syndication.Error
			if !errors.As(err, &e) || e.Class != tt.class || !strings.Contains(e.Message, tt.message) {
				t.Errorf("err = %v, want %v with %q", err, tt.class, tt.message)
			}
		})
	}
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name  string
		nsid  string
		n     int
		fail  blueskytest.Failure
		class syndication.Class
	}{
		{"ErrRateLimited", "com.atproto.repo.createRecord", 1, blueskytest.RateLimited, syndication.RateLimited},
		{"ErrLoginRateLimited", "com.atproto.server.createSession", 1, blueskytest.RateLimited, syndication.RateLimited},
		{"ErrUnauthorized", "", 10, blueskytest.Unauthorized, syndication.Auth},
		{"ErrServer", "com.atproto.repo.createRecord", 1, blueskytest.ServerError, syndication.Transient},
		{"ErrUploadServer", "com.atproto.repo.uploadBlob", 1, blueskytest.ServerError, syndication.Transient},
		{"ErrHang", "com.atproto.repo.createRecord", 1, blueskytest.Hang, syndication.Transient},
		{"ErrMalformed", "com.atproto.repo.createRecord", 1, blueskytest.Malformed, syndication.Transient},
		{"ErrMalformedLogin", "com.atproto.server.createSession", 1, blueskytest.Malformed, syndication.Transient},
		{"ErrRedirectLoop", "com.atproto.server.createSession", 100, blueskytest.RedirectLoop, syndication.Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := blueskytest.NewServer(t)
			s.FailNext(tt.nsid, tt.n, tt.fail)
			c := newClient(t)
			c.HTTP = httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
			start := time.Now()
			_, err := c.Publish(t.Context(), s.Creds(), syndication.Attempt{Post: article(t), Key: "k"})
			var e *syndication.Error
			if !errors.As(err, &e) || e.Class != tt.class {
				t.Fatalf("err = %v, want %v", err, tt.class)
			}
			if tt.class == syndication.RateLimited && (e.RetryAfter < 25*time.Second || e.RetryAfter > 31*time.Second) {
				t.Errorf("RetryAfter = %v, want RateLimit-Reset's 30 s", e.RetryAfter)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if n := len(s.Posts()); n != 0 {
				t.Errorf("%d posts after a failure", n)
			}
		})
	}
}

func TestIdempotency(t *testing.T) {
	t.Run("OKRetrySameKey", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		a := syndication.Attempt{Post: article(t), Key: "delivery-7"}
		first, err := c.Publish(t.Context(), st.creds(), a)
		if err != nil {
			t.Fatal(err)
		}
		// The outbox lost the answer and tries again from scratch.
		second, err := c.Publish(t.Context(), st.creds(), a)
		if err != nil || second != first {
			t.Errorf("retry = %+v, %v; want %+v", second, err, first)
		}
		if n := len(s.Posts()); n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
		if n := s.Calls("com.atproto.repo.getRecord"); n != 1 {
			t.Errorf("%d getRecord, want 1 (after the refused key)", n)
		}
	})
	t.Run("OKAnswerLost", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		s.FailNext("com.atproto.repo.createRecord", 1, blueskytest.HangAfterWrite)
		c := newClient(t)
		c.HTTP = httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
		r, err := c.Publish(t.Context(), s.Creds(), syndication.Attempt{Post: article(t), Key: "k"})
		if err != nil || r.ID != "at://"+blueskytest.DID+"/app.bsky.feed.post/"+recordKey("k") {
			t.Errorf("Publish = %+v, %v", r, err)
		}
		if n := len(s.Posts()); n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
	})
	t.Run("OKResumeFromState", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		var state string
		a := syndication.Attempt{Post: article(t), Key: "k", Checkpoint: func(_ context.Context, v string) error {
			if n := len(s.Posts()); n != 0 {
				t.Errorf("checkpoint after the post (%d posts)", n)
			}
			state = v
			return nil
		}}
		first, err := c.Publish(t.Context(), st.creds(), a)
		if err != nil {
			t.Fatal(err)
		}
		if state != recordKey("k") {
			t.Fatalf("checkpoint = %q, want the record key", state)
		}
		a.State, a.Checkpoint = state, nil
		second, err := c.Publish(t.Context(), st.creds(), a)
		if err != nil || second != first {
			t.Errorf("resume = %+v, %v; want %+v", second, err, first)
		}
		if up, cr := s.Calls("com.atproto.repo.uploadBlob"), s.Calls("com.atproto.repo.createRecord"); up != 1 || cr != 1 {
			t.Errorf("%d uploads, %d createRecord; the resumed attempt wrote again", up, cr)
		}
	})
	t.Run("OKResumeNotWritten", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		a := syndication.Attempt{Post: article(t), Key: "k", State: recordKey("k")}
		if _, err := newClient(t).Publish(t.Context(), s.Creds(), a); err != nil {
			t.Fatal(err)
		}
		if n := len(s.Posts()); n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
	})
	t.Run("OKKeysApart", func(t *testing.T) {
		s := blueskytest.NewServer(t)
		st, c := newStore(s), newClient(t)
		for _, key := range []string{"k1", "k2"} {
			if _, err := c.Publish(t.Context(), st.creds(), syndication.Attempt{Post: article(t), Key: key}); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(s.Posts()); n != 2 {
			t.Errorf("%d posts, want 2", n)
		}
	})
}

func TestDelete(t *testing.T) {
	s := blueskytest.NewServer(t)
	st, c := newStore(s), newClient(t)
	r, err := c.Publish(t.Context(), st.creds(), syndication.Attempt{Post: article(t), Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(t.Context(), st.creds(), r); err != nil {
			t.Fatal(err)
		}
		if n := len(s.Posts()); n != 0 {
			t.Errorf("%d posts after Delete", n)
		}
		if err := c.Delete(t.Context(), st.creds(), r); err != nil {
			t.Errorf("deleting again: %v", err)
		}
	})
	for _, tt := range []struct{ name, id string }{
		{"ErrOtherAccount", "at://did:plc:someoneelse/app.bsky.feed.post/" + recordKey("k")},
		{"ErrNotAPost", "at://" + blueskytest.DID + "/app.bsky.feed.like/" + recordKey("k")},
		{"ErrNotAnATURI", "https://bsky.app/profile/x/post/y"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Delete(t.Context(), st.creds(), syndication.Remote{ID: tt.id})
			if syndication.ClassOf(err) != syndication.Permanent {
				t.Errorf("err = %v, want Permanent", err)
			}
		})
	}
}
