// Package threads posts to a Threads profile with Meta's Threads API
// (integrations.md §7): a TEXT media container carrying the message and
// the article's link as link_attachment, saved with the attempt's
// checkpoint, then published once it is FINISHED.
package threads

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/graph"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is the Threads API's host.
const DefaultBaseURL = "https://graph.threads.net"

// Version is the Threads API version every call is pinned to.
const Version = "v1.0"

// The Threads API's limits on a post (Threads « Posts » documentation
// and integrations.md §7).
const (
	MaxChars = 500
	MaxLinks = 5
)

// Client posts to Threads.
type Client struct {
	HTTP *http.Client
	// BaseURL is the API's host, DefaultBaseURL unless a test points it
	// at a fake.
	BaseURL string
	// PollInterval and MaxPolls bound the wait for a container to be
	// FINISHED; a text container usually is at the first look.
	PollInterval time.Duration
	MaxPolls     int
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a client sending with hc (httpclient.New's).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL, PollInterval: 3 * time.Second, MaxPolls: 10}
}

func accountOf(creds syndication.Credentials) (graph.Account, error) {
	return graph.AccountOf(creds, "user_id", "access_token", "a Threads user id")
}

func (c *Client) base() string { return graph.BaseURL(c.BaseURL, DefaultBaseURL, Version) }

// Verify reads the profile the token opens, and checks it is user_id's.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	p := url.Values{"access_token": {a.Token}, "fields": {"id,username,threads_profile_picture_url"}}
	var me struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}
	if err := graph.Do(ctx, c.HTTP, graph.Request{Method: http.MethodGet, URL: c.base() + "/me", Params: p}, &me); err != nil {
		return syndication.Profile{}, err
	}
	if me.ID != a.ID {
		return syndication.Profile{}, &syndication.Error{Class: syndication.Auth,
			Message: fmt.Sprintf("the token opens @%s (%s), not the user id %s", me.Username, me.ID, a.ID)}
	}
	return syndication.Profile{Name: "@" + me.Username, URL: "https://www.threads.com/@" + url.PathEscape(me.Username)}, nil
}

// Publish posts the message as a TEXT post whose link card is the
// article's. A retry whose attempt holds a container id resumes from it.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	text := at.Post.Text
	if err := Check(text, at.Post.Link); err != nil {
		return syndication.Remote{}, err
	}
	create := url.Values{"media_type": {"TEXT"}, "text": {text}}
	if at.Post.Link != "" {
		create.Set("link_attachment", at.Post.Link)
	}
	return graph.Containers{HTTP: c.HTTP, Base: c.base(), UserID: a.ID, Token: a.Token, Network: "Threads",
		Names: graph.Names{CreateEdge: "threads", PublishEdge: "threads_publish", LimitEdge: "threads_publishing_limit", ListEdge: "threads",
			StatusField: "status", MessageField: "error_message", TextField: "text"},
		Create: create, Text: text, PollInterval: c.PollInterval, MaxPolls: c.MaxPolls}.Publish(ctx, at)
}

// Delete removes a post the profile made (the threads_delete
// permission; 100 deletions a day).
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	if r.ID == "" || strings.ContainsAny(r.ID, "/?#") {
		return &syndication.Error{Class: syndication.Permanent, Message: "no post id to delete"}
	}
	var out struct {
		Success bool `json:"success"`
	}
	req := graph.Request{Method: http.MethodDelete, URL: c.base() + "/" + url.PathEscape(r.ID), Params: url.Values{"access_token": {a.Token}}}
	if err := graph.Do(ctx, c.HTTP, req, &out); err != nil {
		return err
	}
	if !out.Success {
		return &syndication.Error{Class: syndication.Permanent, Status: http.StatusOK, Message: "Threads did not delete the post"}
	}
	return nil
}

// Check returns a Permanent error when text, with link as its card,
// breaks a limit of Threads: empty, longer than MaxChars as Threads
// counts, or more than MaxLinks distinct links.
func Check(text, link string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return &syndication.Error{Class: syndication.Permanent, Message: "a Threads text post needs text"}
	case !syndication.Threads.Limit().Fits(text) || Count(text) > MaxChars:
		return &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the message is %d characters as Threads counts them, more than %d", Count(text), MaxChars)}
	case len(Links(text, link)) > MaxLinks:
		return &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("THREADS_API__LINK_LIMIT_EXCEEDED: more than %d links", MaxLinks)}
	}
	return nil
}

// Count returns the length of text as Threads counts it: one per
// character, but an emoji counts its UTF-8 bytes (« emojis are counted as
// the number of UTF-8 bytes »): 🎉 counts 4, ❤️ counts 6. The outbox
// shortens with the same count (syndication.EmojiBytes).
func Count(text string) int { return syndication.Threads.Limit().Count(text) }

var linkPattern = regexp.MustCompile(`https?://[^\s<>"«»]+`)

// Links returns the distinct links of text and link, as Threads counts
// them for its limit of MaxLinks.
func Links(text, link string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range append(linkPattern.FindAllString(text, -1), link) {
		l = strings.TrimRight(l, ".,;:!?)]}'’…")
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	return out
}
