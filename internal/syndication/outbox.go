package syndication

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
)

// Article is what the outbox needs of an article, gathered by the program
// from the content, the settings and the media.
type Article struct {
	ID      int64
	Version int
	// Page is set for a page rather than a news article.
	Page bool
	// Visible is set when the public can read it now.
	Visible  bool
	Featured bool
	Vars     Vars
	// CategoryIDs are the article's categories, for the rules' filter
	// (Vars.Categories has their names).
	CategoryIDs []int64
	PublishedAt time.Time
	Description string
	ImageURL    string
	ImageAlt    string
	Language    string
	LoadImage   func(ctx context.Context) ([]byte, string, error)
}

// Articles finds the articles the outbox posts.
type Articles interface {
	// Article returns article id as the outbox needs it; NotFound when it
	// was deleted.
	Article(ctx context.Context, id int64) (*Article, error)
}

// DeliverJob asks for one delivery to be attempted. Round tells a retry
// asked by a person apart from the first run, so that it is a new job.
type DeliverJob struct {
	DeliveryID int64 `json:"delivery_id"`
	Round      int   `json:"round,omitempty"`
}

// Kind names the worker that delivers posts.
func (DeliverJob) Kind() string { return "syndication.deliver" }

// Idempotent reports whether a post to n can be retried after an attempt
// cut short without risk of a second post: n takes a key (Mastodon), a
// record key (Bluesky), or a container checked before publishing
// (Threads, Instagram). Elsewhere such a delivery waits for a person.
func (n Network) Idempotent() bool {
	switch n {
	case Mastodon, Bluesky, Threads, Instagram:
		return true
	}
	return false
}

// The outbox's own reasons, stored with a delivery in place of a
// network's message: catalogue keys, which the back office translates
// (a network's own words are shown as they are).
const (
	ReasonEditorSkip      = "syndication.reason.editor_skip"
	ReasonNeedsImage      = "syndication.reason.needs_image"
	ReasonLinksTooLong    = "syndication.reason.links_too_long"
	ReasonBadTemplate     = "syndication.reason.bad_template"
	ReasonCutShort        = "syndication.reason.cut_short"
	ReasonAccountDisabled = "syndication.reason.account_disabled"
	ReasonAccountFailing  = "syndication.reason.account_failing"
	ReasonNoClient        = "syndication.reason.no_client"
	ReasonArticleGone     = "syndication.reason.article_gone"
	ReasonNoDelete        = "syndication.reason.no_delete"
)

// Outbox limits.
const (
	// oldNews is how long before an account was connected an article
	// may have been published and still go out to it.
	oldNews = 24 * time.Hour
	// MaxAttempts is how many times a delivery is tried before it fails.
	MaxAttempts = 8
	// firstBackoff doubles at each attempt, up to maxBackoff: all
	// MaxAttempts fit in 45 minutes, within the hour Mastodon remembers
	// an Idempotency-Key, so a retry after a lost answer finds its post.
	firstBackoff = 30 * time.Second
	maxBackoff   = 15 * time.Minute
)

// ArticleChanged implements the jobs' ArticleObserver: it compares article
// id with what its accounts were sent and enqueues what is missing, each
// delivery once (the store's unique key on article, account, kind and
// version makes a second run a no-op).
func (s *Service) ArticleChanged(ctx context.Context, id int64) error {
	// Accounts first: a site without any (or an import of thousands of
	// articles before any is connected) never loads the article.
	accounts, err := s.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		return nil
	}
	art, err := s.Articles.Article(ctx, id)
	if err != nil && apperr.KindOf(err) != apperr.NotFound {
		return fmt.Errorf("article %d for social accounts: %w", id, err)
	}
	past, err := s.Store.DeliveriesOf(ctx, id)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var todo []*Delivery
	for _, a := range accounts {
		var mine []*Delivery
		for _, d := range past {
			if d.AccountID == a.ID {
				mine = append(mine, d)
			}
		}
		todo = append(todo, s.plan(ctx, a, art, mine, now)...)
	}
	if len(todo) == 0 {
		return nil
	}
	for _, d := range todo {
		d.CreatedAt, d.UpdatedAt = now, now
	}
	return s.Store.Enqueue(ctx, todo)
}

// plan returns the deliveries account a misses for art (nil when deleted),
// given what it was already sent.
func (s *Service) plan(ctx context.Context, a *Account, art *Article, past []*Delivery, now time.Time) []*Delivery {
	if art == nil || !art.Visible {
		if !a.Rules.DeleteOnUnpublish {
			return nil
		}
		var out []*Delivery
		for _, d := range past {
			if d.State == StateSent && d.Kind != KindDelete && d.Remote.ID != "" && !deleted(past, d.ID) {
				// A delete's Version is the delivery whose post it removes.
				out = append(out, &Delivery{ArticleID: d.ArticleID, AccountID: a.ID, Kind: KindDelete,
					Version: int(d.ID), State: StateQueued, Remote: d.Remote, NextAttemptAt: now})
			}
		}
		return out
	}
	if !a.Enabled || !a.Rules.Matches(art) {
		return nil
	}
	var last *Delivery
	for _, d := range past {
		if d.Kind != KindDelete && (last == nil || d.Version > last.Version) {
			last = d
		}
	}
	var kind Kind
	switch {
	case last == nil && art.PublishedAt.Before(a.CreatedAt.Add(-oldNews)):
		// Published well before the account was connected: old news for
		// it, whatever edit, import or pending job brings it up again.
		return nil
	case last == nil && a.Rules.OnPublish:
		kind = KindPost
	case last == nil:
		return nil
	case art.Version <= last.Version:
		return nil
	case last.State == StateQueued || last.State == StateRetrying || last.State == StateSending:
		// Not sent yet: it will send the article as it is then.
		return nil
	case a.Rules.Rescheduled == RescheduledRepost && last.State == StateSent && art.PublishedAt.After(last.SentAt):
		kind = KindRepost
	case a.Rules.OnUpdate:
		kind = KindUpdate
	default:
		return nil
	}
	at := s.sendTime(a.Rules, now.Add(a.Rules.Delay))
	out := []*Delivery{s.delivery(ctx, a, art, kind, art.Version, at)}
	if kind == KindPost && a.Rules.RepostAfter > 0 {
		out = append(out, s.delivery(ctx, a, art, KindRepost, art.Version, s.sendTime(a.Rules, at.Add(a.Rules.RepostAfter))))
	}
	return out
}

// deleted reports whether a delete of delivery id is among past.
func deleted(past []*Delivery, id int64) bool {
	return slices.ContainsFunc(past, func(d *Delivery) bool { return d.Kind == KindDelete && int64(d.Version) == id })
}

// delivery makes one delivery of art to a, its text rendered and fitted,
// or skipped with the reason.
func (s *Service) delivery(ctx context.Context, a *Account, art *Article, kind Kind, version int, at time.Time) *Delivery {
	d := &Delivery{ArticleID: art.ID, AccountID: a.ID, Kind: kind, Version: version, State: StateQueued, NextAttemptAt: at}
	d.Key = "kiosque-" + strconv.FormatInt(art.ID, 10) + "-" + strconv.FormatInt(a.ID, 10) + "-" + string(kind) + "-" + strconv.Itoa(version)
	text, skip := s.compose(ctx, a, art)
	if skip != "" {
		d.State, d.Error = StateSkipped, skip
	}
	d.Text = text
	return d
}

// compose returns the message of art for a, fitted to its network, or
// why nothing is to be sent.
func (s *Service) compose(ctx context.Context, a *Account, art *Article) (text, skip string) {
	tmpl := a.Template
	o, err := s.Store.Override(ctx, art.ID, a.ID)
	if err == nil {
		if o.Skip {
			return "", ReasonEditorSkip
		}
		if strings.TrimSpace(o.Message) != "" {
			tmpl = o.Message
		}
	}
	p, err := fit(a.Limit(), tmpl, art)
	if err != nil {
		return "", ReasonBadTemplate
	}
	return p.Text, p.Skip
}

// fit renders tmpl for art and shortens it to l, saying why it would not
// go out (no image where one is needed, links over the limit): what a
// delivery sends and what the back office's preview shows.
func fit(l Limit, tmpl string, art *Article) (Preview, error) {
	text, err := Render(tmpl, art.Vars)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Max: l.Max}
	fitted, ok := l.Shorten(text)
	switch {
	case l.NeedsImage && art.ImageURL == "":
		p.Skip = ReasonNeedsImage
	case !ok:
		p.Skip = ReasonLinksTooLong
	}
	p.Text, p.Count, p.Shortened = fitted, l.Count(fitted), fitted != text
	return p, nil
}

// Limit returns the account's text limit: its network's, or a Mastodon
// instance's own.
func (a *Account) Limit() Limit {
	l := a.Network.Limit()
	if n, err := strconv.Atoi(a.Config["max_chars"]); err == nil && n > 0 && a.Network == Mastodon {
		l.Max = n
	}
	return l
}

// Matches reports whether r's filters let art through.
func (r Rules) Matches(art *Article) bool {
	if art.Page && !r.Pages || r.FeaturedOnly && !art.Featured {
		return false
	}
	if len(r.Categories) == 0 && len(r.Tags) == 0 {
		return true
	}
	var hits, wanted int
	for _, c := range r.Categories {
		wanted++
		if slices.Contains(art.CategoryIDs, c) {
			hits++
		}
	}
	for _, t := range r.Tags {
		wanted++
		if slices.ContainsFunc(art.Vars.Tags, func(x string) bool { return strings.EqualFold(x, t) }) {
			hits++
		}
	}
	if r.Match == MatchAll {
		return hits == wanted
	}
	return hits > 0
}

// sendTime moves t out of the rules' quiet window, in the site's zone.
func (s *Service) sendTime(r Rules, t time.Time) time.Time {
	if r.QuietFrom == r.QuietUntil {
		return t
	}
	loc := time.UTC
	if s.Location != nil {
		loc = s.Location()
	}
	lt := t.In(loc)
	minute := lt.Hour()*60 + lt.Minute()
	inside := r.QuietFrom < r.QuietUntil && minute >= r.QuietFrom && minute < r.QuietUntil ||
		r.QuietFrom > r.QuietUntil && (minute >= r.QuietFrom || minute < r.QuietUntil)
	if !inside {
		return t
	}
	end := time.Date(lt.Year(), lt.Month(), lt.Day(), r.QuietUntil/60, r.QuietUntil%60, 0, 0, loc)
	if !end.After(lt) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// Deliver attempts delivery id and returns, when it must be tried again,
// how long to wait. It is what the deliver job runs: a delivery already
// settled is left alone, so a job run twice posts once.
func (s *Service) Deliver(ctx context.Context, id int64) (retryIn time.Duration, err error) {
	d, err := s.Store.Delivery(ctx, id)
	if err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return 0, nil // its account was deleted
		}
		return 0, err
	}
	switch d.State {
	case StateSent, StateFailed, StateCheck, StateSkipped, StateDeleted:
		return 0, nil
	}
	a, creds, err := s.Credentials(ctx, d.AccountID)
	if err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return 0, nil
		}
		return 0, err
	}
	if d.State == StateSending && !a.Network.Idempotent() {
		return 0, s.settle(ctx, d, StateCheck, "", ReasonCutShort)
	}
	if !a.Enabled && d.Kind != KindDelete {
		return 0, s.settle(ctx, d, StateSkipped, "", ReasonAccountDisabled)
	}
	if a.Failing {
		return 0, s.settle(ctx, d, StateFailed, Auth.String(), ReasonAccountFailing)
	}
	p, ok := s.Publishers[a.Network]
	if !ok {
		return 0, s.settle(ctx, d, StateFailed, Permanent.String(), ReasonNoClient)
	}
	d.State, d.Attempts, d.UpdatedAt = StateSending, d.Attempts+1, s.Clock.Now()
	if err := s.Store.UpdateDelivery(ctx, d); err != nil {
		return 0, err
	}
	remote, perr := s.attempt(ctx, a, p, creds, d)
	now := s.Clock.Now()
	if perr == nil {
		d.State, d.Remote, d.SentAt, d.Error, d.Class, d.UpdatedAt = StateSent, remote, now, "", "", now
		if d.Kind == KindDelete {
			d.State = StateDeleted
		}
		return 0, s.Store.UpdateDelivery(ctx, d)
	}
	var sk skipped
	if errors.As(perr, &sk) {
		return 0, s.settle(ctx, d, StateSkipped, "", string(sk))
	}
	class := ClassOf(perr)
	msg := perr.Error()
	var e *Error
	if errors.As(perr, &e) && e.Message != "" {
		msg = e.Message
	}
	switch class {
	case Auth:
		return 0, s.failAccount(ctx, a, d, class, msg)
	case Permanent:
		return 0, s.settle(ctx, d, StateFailed, class.String(), msg)
	case Ambiguous:
		return 0, s.settle(ctx, d, StateCheck, class.String(), msg)
	}
	if d.Attempts >= MaxAttempts {
		// Failing for three quarters of an hour: the account needs a
		// person, as for a refused token.
		return 0, s.failAccount(ctx, a, d, class, msg)
	}
	wait := backoff(d.Attempts)
	if class == RateLimited && e != nil && e.RetryAfter > 0 {
		wait = e.RetryAfter
	}
	d.State, d.Class, d.Error, d.NextAttemptAt, d.UpdatedAt = StateRetrying, class.String(), msg, now.Add(wait), now
	if err := s.Store.UpdateDelivery(ctx, d); err != nil {
		return 0, err
	}
	s.Log.Warn("social delivery will be retried", "delivery", d.ID, "network", a.Network, "class", class, "in", wait, "error", msg)
	return wait, nil
}

// skipped is why a delivery is not to be made after all.
type skipped string

func (s skipped) Error() string { return string(s) }

// errGone is the cause when the article of a post went away.
const errGone = skipped(ReasonArticleGone)

// attempt makes the network call of d.
func (s *Service) attempt(ctx context.Context, a *Account, p Publisher, creds Credentials, d *Delivery) (Remote, error) {
	if d.Kind == KindDelete {
		err := p.Delete(ctx, creds, d.Remote)
		if errors.Is(err, ErrNotSupported) {
			return Remote{}, &Error{Class: Permanent, Message: ReasonNoDelete}
		}
		return d.Remote, err
	}
	art, err := s.Articles.Article(ctx, d.ArticleID)
	if apperr.KindOf(err) == apperr.NotFound || err == nil && !art.Visible {
		return Remote{}, errGone
	}
	if err != nil {
		return Remote{}, err
	}
	// The article as it is now: a typo fixed during the delay goes out
	// fixed.
	text, skip := s.compose(ctx, a, art)
	if skip != "" {
		return Remote{}, skipped(skip)
	}
	d.Text = text
	post := Post{Text: d.Text, Link: art.Vars.Permalink, Title: art.Vars.Title, Description: art.Description,
		ImageURL: art.ImageURL, ImageAlt: art.ImageAlt, Language: art.Language, Tags: HashtagsOf(append(slices.Clone(art.Vars.Tags), art.Vars.Categories...)),
		LoadImage: art.LoadImage}
	return p.Publish(ctx, creds, Attempt{Post: post, Key: d.Key, State: d.Checkpoint,
		Checkpoint: func(ctx context.Context, state string) error {
			d.Checkpoint = state
			return s.Store.Checkpoint(ctx, d.ID, state)
		}})
}

// Alerts writes the admins' emails about accounts.
type Alerts interface {
	// AccountFailing tells that account a stopped posting, at delivery d.
	AccountFailing(ctx context.Context, a *Account, d *Delivery) ([]job.Job, error)
}

// failAccount records d failed and its account failing, alerting the
// admins the first time.
func (s *Service) failAccount(ctx context.Context, a *Account, d *Delivery, class Class, msg string) error {
	d.State, d.Class, d.Error, d.UpdatedAt = StateFailed, class.String(), msg, s.Clock.Now()
	return s.Store.FailAccount(ctx, d, msg, func() ([]job.Job, error) {
		if s.Alerts == nil {
			return nil, nil
		}
		return s.Alerts.AccountFailing(ctx, a, d)
	})
}

// settle records the end of a delivery.
func (s *Service) settle(ctx context.Context, d *Delivery, st State, class, msg string) error {
	d.State, d.Class, d.Error, d.UpdatedAt = st, class, msg, s.Clock.Now()
	return s.Store.UpdateDelivery(ctx, d)
}

// backoff is the wait after the n-th failed attempt: 30 s doubling up to
// 15 minutes, give or take a fifth so that deliveries failing together do
// not come back together.
func backoff(n int) time.Duration {
	d := firstBackoff << min(n-1, 10)
	d = min(d, maxBackoff)
	return d + time.Duration(rand.Int64N(int64(d)/5+1)) - d/10 //nolint:gosec // jitter, not a secret
}
