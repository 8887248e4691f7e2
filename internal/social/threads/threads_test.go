package threads_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/threads"
	"github.com/kiosque/kiosque/internal/social/threads/threadstest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const link = "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee"

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:9:1", Post: syndication.Post{
		Text: "Palmyre, la cité retrouvée 🏛️ Dix ans après, les archéologues reviennent.\n\n" + link, Link: link}}
}

func newClient(t *testing.T, srv *graphtest.Server, timeout time.Duration) *threads.Client {
	t.Helper()
	c := threads.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL, c.PollInterval, c.MaxPolls = srv.URL, time.Millisecond, 5
	return c
}

func TestCount(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Bonjour", 7},
		{"élection à Nîmes", 16},
		{"🎉", 4},
		{"❤️", 6},
		{"🇫🇷", 8},
		{"日本", 2},
	}
	for _, tt := range tests {
		if got := threads.Count(tt.text); got != tt.want {
			t.Errorf("Count(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		srv.FinishAfter = 2
		cp := &graphtest.Checkpoints{Containers: srv.Containers}
		a := attempt()
		a.Checkpoint = cp.Save
		got, err := newClient(t, srv.Server, 2*time.Second).Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		posts := srv.Posts()
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]
		want := url.Values{"media_type": {"TEXT"}, "text": {a.Post.Text}, "link_attachment": {link}}
		if p.Params.Encode() != want.Encode() {
			t.Errorf("container %v, want %v", p.Params, want)
		}
		if got.ID != p.ID || got.URL != p.Permalink || !strings.HasPrefix(got.URL, "https://www.threads.com/@leveilleur/post/") {
			t.Errorf("remote %+v, want %s at %s", got, p.ID, p.Permalink)
		}
		if len(cp.States) != 1 || cp.States[0] != p.ContainerID || cp.Published[0] != 0 {
			t.Errorf("checkpoints %v at %v publications, want the container %s before publishing", cp.States, cp.Published, p.ContainerID)
		}
	})

	suite().Run(t)
}

// suite runs the tests Threads shares with Instagram, then its own
// refusals.
func suite() graphtest.Suite {
	return graphtest.Suite{
		Start: func(t *testing.T) *graphtest.Server { return threadstest.NewServer(t).Server },
		Client: func(t *testing.T, s *graphtest.Server, timeout time.Duration) syndication.Publisher {
			return newClient(t, s, timeout)
		},
		Attempt: attempt, ErrorReason: "FAILED_PROCESSING_TEXT", RateLimitWait: 5 * time.Minute,
		Refused: []graphtest.ErrCase{
			{Name: "ErrTooLongAsThreadsCounts", Setup: func(_ *graphtest.Server, a *syndication.Attempt) {
				// 470 code points, but each emoji counts 4: 530.
				a.Post.Text, a.Post.Link = strings.Repeat("a", 450)+strings.Repeat("🎉", 20), ""
			}, Want: socialtest.Want{Class: syndication.Permanent, Message: "530 characters"}},
			{Name: "ErrTooManyLinks", Setup: func(_ *graphtest.Server, a *syndication.Attempt) {
				a.Post.Text = "Lire https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4 https://a.example/5"
			}, Want: socialtest.Want{Class: syndication.Permanent, Message: "THREADS_API__LINK_LIMIT_EXCEEDED"}},
			{Name: "ErrEmpty", Setup: func(_ *graphtest.Server, a *syndication.Attempt) { a.Post.Text = "" },
				Want: socialtest.Want{Class: syndication.Permanent, Message: "needs text"}},
		},
	}
}

func TestFakeRefusesSixLinks(t *testing.T) {
	srv := threadstest.NewServer(t)
	form := url.Values{"media_type": {"TEXT"}, "access_token": {srv.Token},
		"text":            {"https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4 https://a.example/5"},
		"link_attachment": {"https://a.example/6"}}
	resp, err := http.PostForm(srv.URL+"/v1.0/"+srv.UserID+"/threads", form)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	buf := new(strings.Builder)
	_, _ = io.Copy(buf, resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(buf.String(), "THREADS_API__LINK_LIMIT_EXCEEDED") {
		t.Errorf("HTTP %d %s, want 400 THREADS_API__LINK_LIMIT_EXCEEDED", resp.StatusCode, buf)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		creds   func(*threadstest.Server) syndication.Credentials
		class   syndication.Class
		message string
	}{
		{"OK", func(s *threadstest.Server) syndication.Credentials { return s.Credentials() }, 0, ""},
		{"ErrBadToken", func(s *threadstest.Server) syndication.Credentials {
			c := s.Credentials()
			c.Secrets["access_token"] = "THAAwrong"
			return c
		}, syndication.Auth, "Invalid OAuth access token"},
		{"ErrOtherUser", func(s *threadstest.Server) syndication.Credentials {
			c := s.Credentials()
			c.Config["user_id"] = "1"
			return c
		}, syndication.Auth, "not the user id 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := threadstest.NewServer(t)
			got, err := newClient(t, srv.Server, 2*time.Second).Verify(context.Background(), tt.creds(srv))
			if tt.message == "" {
				if err != nil || got.Name != "@leveilleur" || got.URL != "https://www.threads.com/@leveilleur" {
					t.Errorf("Verify = %+v, %v", got, err)
				}
				return
			}
			if e := socialtest.ErrOf(t, err); e.Class != tt.class || !strings.Contains(e.Message, tt.message) {
				t.Errorf("err = %v, want %s with %q", err, tt.class, tt.message)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	srv := threadstest.NewServer(t)
	c := newClient(t, srv.Server, 2*time.Second)
	r, err := c.Publish(context.Background(), srv.Credentials(), attempt())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(context.Background(), srv.Credentials(), r); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Posts()); n != 0 {
		t.Errorf("%d posts left", n)
	}
	if e := socialtest.ErrOf(t, c.Delete(context.Background(), srv.Credentials(), r)); e.Class != syndication.Permanent {
		t.Errorf("deleting again: %v, want permanent", e)
	}
}
