package instagram_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/instagram"
	"github.com/kiosque/kiosque/internal/social/instagram/instagramtest"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const image = "https://le-veilleur.example/media/2026/11/palmyre-theatre.jpg"

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:5:1", Post: syndication.Post{
		Text:     "Palmyre, la cité retrouvée 🏛️ Dix ans après, les archéologues reviennent. Lien dans la bio.\n\n#Palmyre #Syrie #Archéologie",
		Link:     "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee",
		ImageURL: image, ImageAlt: "Le théâtre romain de Palmyre au lever du soleil"}}
}

func newClient(t *testing.T, srv *graphtest.Server, timeout time.Duration) *instagram.Client {
	t.Helper()
	c := instagram.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL, c.PollInterval, c.MaxPolls = srv.URL, time.Millisecond, 5
	return c
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := instagramtest.NewServer(t)
		srv.FinishAfter = 3
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
		want := url.Values{"image_url": {image}, "caption": {a.Post.Text}, "alt_text": {a.Post.ImageAlt}}
		if p.Params.Encode() != want.Encode() {
			t.Errorf("container %v, want %v", p.Params, want)
		}
		if got.ID != p.ID || got.URL != p.Permalink || !strings.HasPrefix(got.URL, "https://www.instagram.com/p/") {
			t.Errorf("remote %+v, want %s at %s", got, p.ID, p.Permalink)
		}
		if len(cp.States) != 1 || cp.States[0] != p.ContainerID || cp.Published[0] != 0 {
			t.Errorf("checkpoints %v at %v publications, want the container %s before publishing", cp.States, cp.Published, p.ContainerID)
		}
	})

	suite().Run(t)
}

// suite runs the tests Instagram shares with Threads, then its own
// refusals.
func suite() graphtest.Suite {
	return graphtest.Suite{
		Start: func(t *testing.T) *graphtest.Server { return instagramtest.NewServer(t).Server },
		Client: func(t *testing.T, s *graphtest.Server, timeout time.Duration) syndication.Publisher {
			return newClient(t, s, timeout)
		},
		Attempt: attempt, ErrorReason: "Error: The image could not be processed (2207004)", RateLimitWait: 6 * time.Minute,
		Refused: []graphtest.ErrCase{
			{Name: "ErrNoImage", Setup: func(_ *graphtest.Server, a *syndication.Attempt) { a.Post.ImageURL = "" },
				Want: socialtest.Want{Class: syndication.Permanent, Message: "an image is required"}},
			{Name: "ErrCaptionTooLong", Setup: func(_ *graphtest.Server, a *syndication.Attempt) { a.Post.Text = strings.Repeat("é", 2201) },
				Want: socialtest.Want{Class: syndication.Permanent, Message: "longer than 2200"}},
			{Name: "ErrTooManyHashtags", Setup: func(_ *graphtest.Server, a *syndication.Attempt) {
				a.Post.Text = "Palmyre " + strings.Repeat("#Palmyre ", 31)
			}, Want: socialtest.Want{Class: syndication.Permanent, Message: "30 hashtags"}},
			{Name: "ErrImageNotFetched", Setup: func(_ *graphtest.Server, a *syndication.Attempt) { a.Post.ImageURL = "palmyre.jpg" },
				Want: socialtest.Want{Class: syndication.Permanent, Message: "could not be fetched"}, Requests: true},
		},
	}
}

func TestVerify(t *testing.T) {
	srv := instagramtest.NewServer(t)
	c := newClient(t, srv.Server, 2*time.Second)
	t.Run("OK", func(t *testing.T) {
		got, err := c.Verify(context.Background(), srv.Credentials())
		if err != nil || got.Name != "Le Veilleur (@leveilleur.journal)" || got.URL != "https://www.instagram.com/leveilleur.journal/" {
			t.Errorf("Verify = %+v, %v", got, err)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		creds := srv.Credentials()
		creds.Secrets["access_token"] = "EAAwrong"
		_, err := c.Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Auth || !strings.Contains(e.Message, "Invalid OAuth access token") {
			t.Errorf("err = %v, want auth", err)
		}
	})
	t.Run("ErrNoAccount", func(t *testing.T) {
		creds := srv.Credentials()
		delete(creds.Config, "account_id")
		if e := socialtest.ErrOf(t, func() error { _, err := c.Verify(context.Background(), creds); return err }()); e.Class != syndication.Auth {
			t.Errorf("err = %v, want auth", e)
		}
	})
}

func TestDelete(t *testing.T) {
	srv := instagramtest.NewServer(t)
	err := newClient(t, srv.Server, time.Second).Delete(context.Background(), srv.Credentials(), syndication.Remote{ID: "1801"})
	if !errors.Is(err, syndication.ErrNotSupported) {
		t.Errorf("err = %v, want ErrNotSupported", err)
	}
}
