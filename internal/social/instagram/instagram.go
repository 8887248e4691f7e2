// Package instagram posts to an Instagram professional account with the
// Instagram Graph API (Instagram API with Facebook Login): an image
// container with the article's picture, its alt text and the message as
// caption, saved with the attempt's checkpoint, then published once it is
// FINISHED.
package instagram

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

// DefaultBaseURL is the Graph API's host for Instagram with Facebook
// Login.
const DefaultBaseURL = "https://graph.facebook.com"

// Version is the Graph API version every call is pinned to.
const Version = graph.Version

// The limits of a caption (Content Publishing guide).
const (
	MaxCaption  = 2200
	MaxHashtags = 30
	MaxMentions = 20
)

// Client posts to Instagram.
type Client struct {
	HTTP *http.Client
	// BaseURL is the Graph API's host, DefaultBaseURL unless a test
	// points it at a fake.
	BaseURL string
	// PollInterval and MaxPolls bound the wait while Instagram fetches
	// and processes the image.
	PollInterval time.Duration
	MaxPolls     int
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a client sending with hc (httpclient.New's).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL, PollInterval: 3 * time.Second, MaxPolls: 10}
}

func accountOf(creds syndication.Credentials) (graph.Account, error) {
	return graph.AccountOf(creds, "account_id", "access_token", "an Instagram user id")
}

func (c *Client) base() string { return graph.BaseURL(c.BaseURL, DefaultBaseURL, Version) }

// Verify reads the account's username and name.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	p := url.Values{"access_token": {a.Token}, "fields": {"username,name"}}
	var user struct {
		Username string `json:"username"`
		Name     string `json:"name"`
	}
	req := graph.Request{Method: http.MethodGet, URL: c.base() + "/" + url.PathEscape(a.ID), Params: p}
	if err := graph.Do(ctx, c.HTTP, req, &user); err != nil {
		return syndication.Profile{}, err
	}
	name := "@" + user.Username
	if user.Name != "" {
		name = user.Name + " (@" + user.Username + ")"
	}
	return syndication.Profile{Name: name, URL: "https://www.instagram.com/" + url.PathEscape(user.Username) + "/"}, nil
}

// Publish posts the article's image with the message as caption. A retry
// whose attempt holds a container id resumes from it.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	if err := Check(at.Post); err != nil {
		return syndication.Remote{}, err
	}
	create := url.Values{"image_url": {at.Post.ImageURL}}
	if at.Post.Text != "" {
		create.Set("caption", at.Post.Text)
	}
	if at.Post.ImageAlt != "" {
		// alt_text on image containers, since March 2025.
		create.Set("alt_text", at.Post.ImageAlt)
	}
	return graph.Containers{HTTP: c.HTTP, Base: c.base(), UserID: a.ID, Token: a.Token, Network: "Instagram",
		Names: graph.Names{CreateEdge: "media", PublishEdge: "media_publish", LimitEdge: "content_publishing_limit", ListEdge: "media",
			StatusField: "status_code", MessageField: "status", TextField: "caption"},
		Create: create, Text: at.Post.Text, PollInterval: c.PollInterval, MaxPolls: c.MaxPolls}.Publish(ctx, at)
}

// Delete returns syndication.ErrNotSupported: the Instagram Graph API's
// reference for IG Media documents no deletion of feed posts.
func (c *Client) Delete(context.Context, syndication.Credentials, syndication.Remote) error {
	return syndication.ErrNotSupported
}

var (
	hashtagPattern = regexp.MustCompile(`(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+`)
	mentionPattern = regexp.MustCompile(`(^|[^\p{L}\p{N}_.])@[\p{L}\p{N}_.]+`)
)

// Check returns a Permanent error when p cannot go to Instagram: no
// image, or a caption over 2,200 characters, 30 hashtags or 20 mentions.
func Check(p syndication.Post) error {
	switch {
	case strings.TrimSpace(p.ImageURL) == "":
		return &syndication.Error{Class: syndication.Permanent, Message: "an image is required"}
	case !syndication.Instagram.Limit().Fits(p.Text):
		return &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the caption is longer than %d characters", MaxCaption)}
	case len(hashtagPattern.FindAllString(p.Text, -1)) > MaxHashtags:
		return &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the caption has more than %d hashtags", MaxHashtags)}
	case len(mentionPattern.FindAllString(p.Text, -1)) > MaxMentions:
		return &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the caption mentions more than %d accounts", MaxMentions)}
	}
	return nil
}

// Hashtags returns how many hashtags text has, as Check counts them.
func Hashtags(text string) int { return len(hashtagPattern.FindAllString(text, -1)) }
