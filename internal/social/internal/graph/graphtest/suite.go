package graphtest

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// ErrCase is a post a container client must refuse, or a failure it
// must classify.
type ErrCase struct {
	Name  string
	Setup func(*Server, *syndication.Attempt)
	// Timeout is the client's, 2 s when zero.
	Timeout time.Duration
	Want    socialtest.Want
	// Requests is whether the client may call the API at all.
	Requests bool
}

// Suite is the tests of publishing that the container clients
// (Instagram, Threads) share, run against their fakes: resuming from a
// saved container, a retry after publishing, a lost answer, an expired
// container, and the failures the shared fake offers, then the network's
// own.
type Suite struct {
	// Start starts the network's fake.
	Start func(t *testing.T) *Server
	// Client returns the network's client pointed at s, giving up on a
	// request after timeout.
	Client func(t *testing.T, s *Server, timeout time.Duration) syndication.Publisher
	// Attempt returns a post the network accepts.
	Attempt func() syndication.Attempt
	// ErrorReason is why a container fails, in the network's words.
	ErrorReason string
	// RateLimitWait is the wait the fake's RateLimit fault asks for.
	RateLimitWait time.Duration
	// Refused are the network's own failures.
	Refused []ErrCase
}

// Run runs the suite as subtests of t.
func (s Suite) Run(t *testing.T) {
	t.Helper()
	t.Run("OK resumes from a saved container", s.resumes)
	t.Run("OK a retry after publishing finds the post", s.retryFinds)
	t.Run("OK the answer to publishing is lost", func(t *testing.T) { s.lost(t, Hang) })
	t.Run("OK the answer to publishing is malformed", func(t *testing.T) { s.lost(t, Malformed) })
	t.Run("OK an expired container is made again", s.expired)
	for _, tt := range append(s.shared(), s.Refused...) {
		t.Run(tt.Name, func(t *testing.T) { s.refused(t, tt) })
	}
}

// start starts the fake and returns it, its client and an attempt that
// saves its checkpoints in cp.
func (s Suite) start(t *testing.T, timeout time.Duration, fail error) (*Server, syndication.Publisher, *Checkpoints, syndication.Attempt) {
	t.Helper()
	srv := s.Start(t)
	cp := &Checkpoints{Containers: srv.Containers, Fail: fail}
	a := s.Attempt()
	a.Checkpoint = cp.Save
	return srv, s.Client(t, srv, timeout), cp, a
}

func (s Suite) resumes(t *testing.T) {
	srv, c, cp, a := s.start(t, 2*time.Second, errors.New("database is locked"))
	// The first attempt could not save its container: it must not
	// publish it.
	_, err := c.Publish(context.Background(), srv.Credentials(), a)
	if e := socialtest.ErrOf(t, err); e.Class != syndication.Transient || srv.PublishCalls() != 0 {
		t.Fatalf("err = %v after %d publications, want transient before any", err, srv.PublishCalls())
	}
	// As after a crash once the id was saved: the next attempt starts
	// from it.
	cp.Fail = nil
	a.State = srv.LastContainer()
	got, err := c.Publish(context.Background(), srv.Credentials(), a)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Created() != 1 || len(srv.Posts()) != 1 || srv.Posts()[0].ContainerID != a.State || got.ID != srv.Posts()[0].ID {
		t.Errorf("%d containers, posts %+v, remote %+v: want the saved container published", srv.Created(), srv.Posts(), got)
	}
}

func (s Suite) retryFinds(t *testing.T) {
	srv, c, cp, a := s.start(t, 2*time.Second, nil)
	first, err := c.Publish(context.Background(), srv.Credentials(), a)
	if err != nil {
		t.Fatal(err)
	}
	a.State = cp.States[0]
	again, err := c.Publish(context.Background(), srv.Credentials(), a)
	if err != nil {
		t.Fatal(err)
	}
	if again != first || srv.PublishCalls() != 1 || srv.Created() != 1 || len(srv.Posts()) != 1 {
		t.Errorf("retry gave %+v (first %+v) after %d publications of %d containers", again, first, srv.PublishCalls(), srv.Created())
	}
}

// lost loses the answer to publishing with f: the container's status
// tells the post is out, and the client finds it.
func (s Suite) lost(t *testing.T, f Fault) {
	srv, c, _, a := s.start(t, 300*time.Millisecond, nil)
	srv.FailOn(http.MethodPost, "/"+srv.PublishEdge, f, 1)
	got, err := c.Publish(context.Background(), srv.Credentials(), a)
	if err != nil {
		t.Fatal(err)
	}
	if posts := srv.Posts(); len(posts) != 1 || got.ID != posts[0].ID || got.URL != posts[0].Permalink || srv.PublishCalls() != 1 {
		t.Errorf("remote %+v, posts %+v after %d publications", got, posts, srv.PublishCalls())
	}
}

func (s Suite) expired(t *testing.T) {
	srv, c, cp, a := s.start(t, 2*time.Second, errors.New("stop"))
	_, _ = c.Publish(context.Background(), srv.Credentials(), a)
	a.State = srv.LastContainer()
	srv.Expire(a.State)
	cp.Fail = nil
	if _, err := c.Publish(context.Background(), srv.Credentials(), a); err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if srv.Created() != 2 || len(posts) != 1 || posts[0].ContainerID == a.State || cp.States[len(cp.States)-1] != posts[0].ContainerID {
		t.Errorf("%d containers, posts %+v, checkpoints %v", srv.Created(), posts, cp.States)
	}
}

// shared are the failures of the shared fake.
func (s Suite) shared() []ErrCase {
	return []ErrCase{
		{Name: "ErrContainerError", Setup: func(srv *Server, _ *syndication.Attempt) { srv.FailNext(s.ErrorReason) },
			Want: socialtest.Want{Class: syndication.Permanent, Message: s.ErrorReason}, Requests: true},
		{Name: "ErrStillProcessing", Setup: func(srv *Server, _ *syndication.Attempt) { srv.FinishAfter = 100 },
			Want: socialtest.Want{Class: syndication.Transient, Message: "still processing"}, Requests: true},
		{Name: "ErrPublishingLimit", Setup: func(srv *Server, _ *syndication.Attempt) { srv.UseQuota(srv.Quota) },
			Want: socialtest.Want{Class: syndication.RateLimited, Message: "publishing limit", RetryAfter: time.Hour}, Requests: true},
		{Name: "ErrRateLimit", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(RateLimit, 1) },
			Want: socialtest.Want{Class: syndication.RateLimited, RetryAfter: s.RateLimitWait}, Requests: true},
		{Name: "ErrExpiredToken", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(Unauthorized, 1) },
			Want: socialtest.Want{Class: syndication.Auth, Message: "Session has expired"}, Requests: true},
		{Name: "ErrServer", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(ServerError, 1) },
			Want: socialtest.Want{Class: syndication.Transient}, Requests: true},
		{Name: "ErrHangCreating", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(Hang, 1) },
			Timeout: 200 * time.Millisecond, Want: socialtest.Want{Class: syndication.Transient}, Requests: true},
		{Name: "ErrMalformed", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(Malformed, 1) },
			Want: socialtest.Want{Class: syndication.Transient, Message: "malformed"}, Requests: true},
		{Name: "ErrRedirectLoop", Setup: func(srv *Server, _ *syndication.Attempt) { srv.Fail(RedirectLoop, 10) },
			Want: socialtest.Want{Class: syndication.Transient, Message: "redirect loop"}, Requests: true},
	}
}

func (s Suite) refused(t *testing.T, tt ErrCase) {
	srv, c, _, a := s.start(t, cmp.Or(tt.Timeout, 2*time.Second), nil)
	tt.Setup(srv, &a)
	_, err := c.Publish(context.Background(), srv.Credentials(), a)
	socialtest.Check(t, err, tt.Want, srv.Token)
	if n := len(srv.Posts()); n != 0 {
		t.Errorf("%d posts, want none", n)
	}
	if !tt.Requests && srv.Created() != 0 {
		t.Errorf("%d containers for a post refused before sending", srv.Created())
	}
}
