package syndication

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Site is what the outbox needs of the site itself.
type Site struct {
	Title    string
	URL      string
	Language string
}

// Preview is a message as it would go out to a network, for the back
// office's live preview.
type Preview struct {
	// Text is exactly what would be sent, shortened when needed.
	Text string
	// Count is its length as the network counts it, Max the limit.
	Count, Max int
	// Shortened is set when the rendered message had to be cut.
	Shortened bool
	// Skip is why nothing would be sent (no image on Instagram), "".
	Skip string
}

// Remaining returns what the limit leaves.
func (p Preview) Remaining() int { return p.Max - p.Count }

// Preview renders tmpl for art as network n (with an account's own
// Mastodon limit in maxChars, "" for the default) would receive it. An
// unknown placeholder is an Invalid error naming it: shown, never sent.
func (s *Service) Preview(n Network, maxChars, tmpl string, art *Article) (Preview, error) {
	if !n.Valid() {
		return Preview{}, apperr.New(apperr.Invalid, "error.syndication.unknown_network")
	}
	a := &Account{Network: n, Config: map[string]string{"max_chars": maxChars}}
	return fit(a.Limit(), tmpl, art)
}

// TestPost sends a short test message to account id, so that an admin
// sees the account is connected; the result is the post's address.
func (s *Service) TestPost(ctx context.Context, id int64) (Remote, error) {
	a, creds, err := s.Credentials(ctx, id)
	if err != nil {
		return Remote{}, err
	}
	p, ok := s.Publishers[a.Network]
	if !ok {
		return Remote{}, apperr.New(apperr.Invalid, "error.syndication.unknown_network")
	}
	site := Site{}
	if s.Site != nil {
		site = s.Site()
	}
	if a.Network.Limit().NeedsImage {
		return Remote{}, apperr.New(apperr.Invalid, "error.syndication.test_needs_image")
	}
	now := s.Clock.Now()
	post := Post{Text: fmt.Sprintf("Message de test de %s : ce compte est bien relié. %s", site.Title, site.URL),
		Link: site.URL, Title: site.Title, Language: site.Language}
	r, err := p.Publish(ctx, creds, Attempt{Post: post, Key: "kiosque-test-" + strconv.FormatInt(id, 10) + "-" + strconv.FormatInt(now.UnixNano(), 10),
		Checkpoint: func(context.Context, string) error { return nil }})
	if err != nil {
		if ClassOf(err) == Auth {
			_ = s.Store.Flag(ctx, id, true, err.Error())
		}
		return Remote{}, refused(err)
	}
	return r, nil
}

// DeliveryQuery selects deliveries for the log.
type DeliveryQuery struct {
	AccountID int64
	ArticleID int64
	State     State
	// Offset and Limit page the newest first.
	Offset, Limit int
}

// DeliveryRow is a delivery with what the log shows next to it.
type DeliveryRow struct {
	Delivery
	AccountName  string
	Network      Network
	ArticleTitle string
}

// Deliveries returns the newest deliveries matching q, and how many match.
func (s *Service) Deliveries(ctx context.Context, q DeliveryQuery) ([]*DeliveryRow, int, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	return s.Store.Deliveries(ctx, q)
}

// Retry sends a delivery that failed or waits for a check again, now.
func (s *Service) Retry(ctx context.Context, id int64) error {
	d, err := s.Store.Delivery(ctx, id)
	if err != nil {
		return err
	}
	switch d.State {
	case StateFailed, StateCheck, StateRetrying, StateSkipped:
	default:
		return apperr.New(apperr.Conflict, "error.syndication.not_retryable")
	}
	now := s.Clock.Now()
	if d.Kind == KindDelete && d.State == StateSkipped {
		return apperr.New(apperr.Conflict, "error.syndication.not_retryable")
	}
	d.State, d.NextAttemptAt, d.UpdatedAt, d.Error, d.Class = StateQueued, now, now, "", ""
	d.Attempts = 0
	// A new round: a job of its own, which River's uniqueness lets in.
	return s.Store.Requeue(ctx, d, DeliverJob{DeliveryID: d.ID, Round: int(now.Unix() % 1_000_000_000)})
}

// SetOverride records an editor's choice for an article and account.
func (s *Service) SetOverride(ctx context.Context, articleID, accountID int64, o Override) error {
	o.Message = strings.TrimSpace(o.Message)
	if o.Message != "" {
		if err := CheckTemplate(o.Message); err != nil {
			return err
		}
		if len(o.Message) > maxTemplate {
			return apperr.New(apperr.Invalid, "error.syndication.template_too_long").InField("message")
		}
	}
	return s.Store.SetOverride(ctx, articleID, accountID, o)
}
