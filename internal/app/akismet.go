package app

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/akismet"
	"github.com/kiosque/kiosque/internal/comments"
)

// akismetCheck adapts the Akismet client to comments.Akismet.
type akismetCheck struct {
	client *akismet.Client
	lang   func() string
}

var _ comments.Akismet = akismetCheck{}

// newAkismet returns the Akismet adapter the configuration asks for, or
// nil when no key is set.
func (a *App) newAkismet() (comments.Akismet, error) {
	if a.Config.AkismetKey == "" {
		return nil, nil
	}
	c, err := akismet.New(akismet.Config{Key: a.Config.AkismetKey, Site: a.Config.PublicBaseURL() + "/", Endpoint: a.Config.AkismetEndpoint})
	if err != nil {
		return nil, fmt.Errorf("akismet: %w", err)
	}
	return akismetCheck{client: c, lang: func() string { return string(a.Settings.Get().Lang()) }}, nil
}

func (k akismetCheck) comment(c *comments.Comment, t *comments.Target, userAgent, referrer string) akismet.Comment {
	typ := "comment"
	if c.ParentID != 0 {
		typ = "reply"
	}
	return akismet.Comment{UserIP: c.IP, UserAgent: userAgent, Referrer: referrer, Permalink: t.URL, Type: typ,
		Author: c.AuthorName, AuthorEmail: c.AuthorEmail, AuthorURL: c.AuthorURL, Content: c.Body,
		Created: c.CreatedAt, PostModified: t.PublishedAt, Lang: k.lang()}
}

// IsSpam implements comments.Akismet.
func (k akismetCheck) IsSpam(ctx context.Context, c *comments.Comment, t *comments.Target, userAgent, referrer string) (bool, error) {
	res, err := k.client.Check(ctx, k.comment(c, t, userAgent, referrer))
	if err != nil {
		return false, err
	}
	return res.Spam, nil
}

// Submit implements comments.Akismet.
func (k akismetCheck) Submit(ctx context.Context, c *comments.Comment, t *comments.Target, spam bool) error {
	if c.IP == "" {
		return nil // the log no longer has the address: the service would refuse it
	}
	cm := k.comment(c, t, "", "")
	if spam {
		return k.client.SubmitSpam(ctx, cm)
	}
	return k.client.SubmitHam(ctx, cm)
}
