package federation

import (
	"context"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/settings"
)

// Articles is what the federation reads of the newsroom's articles.
// package content's Service implements it.
type Articles interface {
	ArticleByID(ctx context.Context, id int64) (*content.Article, error)
	ArticleBySlug(ctx context.Context, slug string) (*content.Article, error)
	PublicList(ctx context.Context, f content.ArticleFilter, page, size int) (content.Page, error)
	AuthorBySlug(ctx context.Context, slug string) (*content.Author, error)
}

// Replies is where replies from the fediverse go: the comments'
// moderation queue. package comments' Service implements it.
type Replies interface {
	ReceiveRemote(ctx context.Context, r comments.RemoteReply) (*comments.Comment, bool, error)
	WithdrawRemote(ctx context.Context, remoteID string) (bool, error)
	RemoteComment(ctx context.Context, remoteID string) (*comments.Comment, error)
}

// Paths are the site's public addresses, which the web layer owns.
type Paths struct {
	// Article returns an article's path ("/2016/12/11/palmyre/").
	Article func(a *content.Article) string
	// ArticleSlug returns the slug of the article a path of the site
	// names, false for any other path.
	ArticleSlug func(path string) (string, bool)
	// Tag and Author return a tag's and an author's page.
	Tag, Author func(slug string) string
}

// Deps are what a Service works with.
type Deps struct {
	Store    Store
	Fetch    Fetcher
	Articles Articles
	Replies  Replies
	Settings func() *settings.Site
	Clock    clock.Clock
	Log      *slog.Logger
	// BaseURL is the site's public address ("https://exemple.fr"); the
	// actor, its collections and the articles' ids live under it.
	BaseURL string
	Paths   Paths
	// PublicKey returns the publication's public key (PEM), which its
	// HTTP signatures verify with; the private one stays with the client.
	PublicKey func(ctx context.Context) (string, error)
	// Version is kiosque's version, shown in NodeInfo.
	Version string
}

// Service is the publication on the fediverse.
type Service struct {
	d Deps
	// refetched remembers when a key was last fetched again after a
	// signature failed, so that a forged signature cannot make the site
	// fetch a key at every request (a loop of fetches).
	mu        sync.Mutex
	refetched map[string]time.Time
	// blocks are the blocks as read at blocksAt (see currentBlocks).
	blocks   []Block
	blocksAt time.Time
}

// New returns a Service on d.
func New(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	return &Service{d: d, refetched: map[string]time.Time{}}
}

// Config returns the fediverse's settings.
func (s *Service) Config() settings.Fediverse { return s.d.Settings().Fediverse }

// Enabled reports whether the site is a fediverse actor.
func (s *Service) Enabled() bool { return s.Config().Enabled }

// errNotFound is what a disabled federation or an unknown actor answers.
func errNotFound() error { return apperr.New(apperr.NotFound, "error.not_found.text") }

// Host is the site's host, the domain part of its handles.
func (s *Service) Host() string {
	u, err := url.Parse(s.d.BaseURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// The actors' addresses. The publication is "" and lives at /ap/actor;
// an author is their slug and lives at /ap/authors/{slug}.

// ActorID returns the id of the local actor local.
func (s *Service) ActorID(local string) string {
	if local == "" {
		return s.d.BaseURL + "/ap/actor"
	}
	return s.d.BaseURL + "/ap/authors/" + url.PathEscape(local)
}

// SharedInbox is the inbox of all the site's actors.
func (s *Service) SharedInbox() string { return s.d.BaseURL + "/ap/inbox" }

func (s *Service) inboxOf(local string) string     { return s.ActorID(local) + "/inbox" }
func (s *Service) outboxOf(local string) string    { return s.ActorID(local) + "/outbox" }
func (s *Service) followersOf(local string) string { return s.ActorID(local) + "/followers" }
func (s *Service) followingOf(local string) string { return s.ActorID(local) + "/following" }
func (s *Service) featuredOf(local string) string  { return s.ActorID(local) + "/featured" }

// RepliesURL is the collection of an article's replies.
func (s *Service) RepliesURL(articleID int64) string {
	return s.d.BaseURL + "/ap/replies/" + strconv.FormatInt(articleID, 10)
}

// ArticleURL is an article's absolute address, its object id.
func (s *Service) ArticleURL(a *content.Article) string { return s.d.BaseURL + s.d.Paths.Article(a) }

// localActorOf returns the local actor an actor id names, false for none
// (another site's, an author's while authors are not actors).
func (s *Service) localActorOf(id string) (string, bool) {
	if id == s.ActorID("") {
		return "", true
	}
	prefix := s.d.BaseURL + "/ap/authors/"
	if !s.Config().AuthorActors || !strings.HasPrefix(id, prefix) {
		return "", false
	}
	slug, err := url.PathUnescape(strings.TrimPrefix(id, prefix))
	if err != nil || slug == "" || strings.Contains(slug, "/") {
		return "", false
	}
	return slug, true
}

// articleOf returns the article an object id of the site names (its
// address), false for another address.
func (s *Service) articleOf(ctx context.Context, id string) (*content.Article, bool, error) {
	u, err := url.Parse(id)
	if err != nil {
		return nil, false, nil //nolint:nilerr // an address that does not parse is not one of the site's
	}
	if s.d.BaseURL+"/" != u.Scheme+"://"+u.Host+"/" {
		return nil, false, nil
	}
	slug, ok := s.d.Paths.ArticleSlug(u.Path)
	if !ok {
		return nil, false, nil
	}
	a, err := s.d.Articles.ArticleBySlug(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return a, true, nil
}

// hostOf returns the host of an address, lower case, "" when it has none.
func hostOf(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
