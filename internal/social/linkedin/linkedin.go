// Package linkedin posts articles to a LinkedIn member's feed or page
// through the versioned Posts API (integrations.md §5): an article post
// whose card (title, description, thumbnail) kiosque supplies, since
// LinkedIn does not read the page for API posts.
package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is LinkedIn's API.
const DefaultBaseURL = "https://api.linkedin.com"

// DefaultVersion is the LinkedIn-Version the client speaks (September
// 2026). LinkedIn serves each monthly version for about a year: a 426
// answer means it is time to move to a newer one.
const DefaultVersion = "202609"

var _ syndication.Publisher = (*Client)(nil)

// Client posts to LinkedIn. It holds no state and is safe for concurrent
// use.
type Client struct {
	HTTP *http.Client
	// BaseURL is the API's address, DefaultBaseURL unless a test points
	// it at a fake.
	BaseURL string
	// Version is the LinkedIn-Version header, DefaultVersion when empty.
	Version string
}

// New returns a client of LinkedIn's API over hc (an httpclient client).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL, Version: DefaultVersion}
}

func (c *Client) baseURL() string { return wire.BaseURL(c.BaseURL, DefaultBaseURL) }

func (c *Client) version() string {
	if c.Version == "" {
		return DefaultVersion
	}
	return c.Version
}

// account is an account's author URN and token.
type account struct {
	author, token string
	// org is the organization's id for a page, "" for a member.
	org string
}

// accountOf reads creds; a missing token or an author that is no member
// or organization URN is an Auth failure: the account needs fixing.
func accountOf(creds syndication.Credentials) (account, error) {
	a := account{author: strings.TrimSpace(creds.Config["author"]), token: creds.Secrets["access_token"]}
	if a.token == "" {
		return a, &syndication.Error{Class: syndication.Auth, Message: "no LinkedIn access token"}
	}
	switch {
	case strings.HasPrefix(a.author, "urn:li:person:") && len(a.author) > len("urn:li:person:"):
	case strings.HasPrefix(a.author, "urn:li:organization:") && digits(strings.TrimPrefix(a.author, "urn:li:organization:")):
		a.org = strings.TrimPrefix(a.author, "urn:li:organization:")
	default:
		return a, &syndication.Error{Class: syndication.Auth,
			Message: fmt.Sprintf("author %q is neither urn:li:person:… nor urn:li:organization:…", a.author)}
	}
	return a, nil
}

// do makes rq and returns a success answer, or the classified failure.
func (c *Client) do(ctx context.Context, rq request) (*wire.Reply, error) {
	rep, err := c.send(ctx, rq)
	if err != nil {
		return nil, err
	}
	if rep.Status < 200 || rep.Status > 299 {
		return rep, apiError(rep)
	}
	return rep, nil
}

// Verify checks creds: a member's token with GET /v2/userinfo (OpenID
// Connect), whose sub must be the author's; a page with the organization
// lookup, which answers only the page's administrators.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	if a.org != "" {
		rep, err := c.do(ctx, request{method: http.MethodGet, url: c.baseURL() + "/rest/organizations/" + a.org, rest: true, token: a.token})
		if err != nil {
			return syndication.Profile{}, err
		}
		var org struct {
			LocalizedName string `json:"localizedName"`
			VanityName    string `json:"vanityName"`
		}
		if err := decode(rep, &org, "GET /rest/organizations/{id}"); err != nil {
			return syndication.Profile{}, err
		}
		page := a.org
		if org.VanityName != "" {
			page = url.PathEscape(org.VanityName)
		}
		return syndication.Profile{Name: org.LocalizedName, URL: "https://www.linkedin.com/company/" + page + "/"}, nil
	}
	rep, err := c.do(ctx, request{method: http.MethodGet, url: c.baseURL() + "/v2/userinfo", token: a.token})
	if err != nil {
		return syndication.Profile{}, err
	}
	var me struct {
		Sub  string `json:"sub"`
		Name string `json:"name"`
	}
	if err := decode(rep, &me, "GET /v2/userinfo"); err != nil {
		return syndication.Profile{}, err
	}
	if "urn:li:person:"+me.Sub != a.author {
		return syndication.Profile{}, &syndication.Error{Class: syndication.Auth,
			Message: fmt.Sprintf("the token is %s's (urn:li:person:%s), not %s's", me.Name, me.Sub, a.author)}
	}
	// OpenID Connect gives no public profile address.
	return syndication.Profile{Name: me.Name}, nil
}

// Publish posts at.Post as an article: the thumbnail uploaded first
// (when the article has an image), then POST /rest/posts. LinkedIn has
// no idempotency key: an answer lost after sending is Ambiguous; a post
// LinkedIn refuses as a duplicate of an earlier one is that one.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	p := at.Post
	if strings.TrimSpace(p.Text) == "" && p.Link == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "nothing to post: no text and no link"}
	}
	if l := syndication.LinkedIn.Limit(); !l.Fits(p.Text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the text counts %d characters on LinkedIn, over its %d", l.Count(p.Text), l.Max)}
	}
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	var thumbnail string
	if p.Link != "" && p.LoadImage != nil {
		if thumbnail, err = c.uploadImage(ctx, a, p.LoadImage); err != nil {
			return syndication.Remote{}, err
		}
	}
	// Without HTML escaping, so that the body shows the commentary's
	// « \<b\> » as LinkedIn reads it.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(postBody(a.author, p, thumbnail)); err != nil {
		return syndication.Remote{}, fmt.Errorf("encode post: %w", err)
	}
	body := bytes.TrimSpace(buf.Bytes())
	rep, err := c.do(ctx, request{method: http.MethodPost, url: c.baseURL() + "/rest/posts", body: body,
		contentType: "application/json", rest: true, token: a.token, creates: true})
	if err != nil {
		if urn := duplicateOf(err); urn != "" {
			return remote(urn), nil
		}
		return syndication.Remote{}, err
	}
	urn := rep.Header.Get("x-restli-id")
	if !postURN.MatchString(urn) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Status: rep.Status,
			Message: "LinkedIn accepted the post without saying its id (x-restli-id): check the page before retrying"}
	}
	return remote(urn), nil
}

// remote is where a post's URN is seen.
func remote(urn string) syndication.Remote {
	return syndication.Remote{ID: urn, URL: "https://www.linkedin.com/feed/update/" + urn + "/"}
}

// postURN is a post's id as LinkedIn gives it.
var postURN = regexp.MustCompile(`^urn:li:(share|ugcPost):[0-9]+$`)

// duplicatePattern finds the earlier post in LinkedIn's refusal of a
// duplicate: 422, « Content is a duplicate of urn:li:share:… ».
var duplicatePattern = regexp.MustCompile(`Content is a duplicate of (urn:li:(?:share|ugcPost):[0-9]+)`)

// duplicateOf returns the earlier post's URN when err is LinkedIn's
// refusal of a duplicate.
func duplicateOf(err error) string {
	var e *syndication.Error
	if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity {
		return ""
	}
	if m := duplicatePattern.FindStringSubmatch(e.Message); m != nil {
		return m[1]
	}
	return ""
}

// post is the body of POST /rest/posts.
type post struct {
	Author                    string       `json:"author"`
	Commentary                string       `json:"commentary"`
	Visibility                string       `json:"visibility"`
	Distribution              distribution `json:"distribution"`
	Content                   *content     `json:"content,omitempty"`
	LifecycleState            string       `json:"lifecycleState"`
	IsReshareDisabledByAuthor bool         `json:"isReshareDisabledByAuthor"`
}

type distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

type content struct {
	Article article `json:"article"`
}

type article struct {
	Source      string `json:"source"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Thumbnail   string `json:"thumbnail,omitempty"`
}

// postBody is the public article post of p by author.
func postBody(author string, p syndication.Post, thumbnail string) post {
	b := post{
		Author:     author,
		Commentary: escapeCommentary(p.Text),
		Visibility: "PUBLIC",
		Distribution: distribution{FeedDistribution: "MAIN_FEED",
			TargetEntities: []string{}, ThirdPartyDistributionChannels: []string{}},
		LifecycleState: "PUBLISHED",
	}
	if p.Link != "" {
		title := p.Title
		if title == "" {
			title = p.Link
		}
		b.Content = &content{Article: article{Source: p.Link, Title: title, Description: p.Description, Thumbnail: thumbnail}}
	}
	return b
}

// uploadImage uploads the article's image as the card's thumbnail
// (POST /rest/images?action=initializeUpload, then PUT to the address
// given) and returns its URN.
func (c *Client) uploadImage(ctx context.Context, a account, load func(context.Context) ([]byte, string, error)) (string, error) {
	data, mediaType, err := load(ctx)
	if err != nil {
		return "", &syndication.Error{Class: syndication.Transient, Message: "cannot read the article's image", Err: err}
	}
	if len(data) == 0 {
		return "", nil
	}
	body, err := json.Marshal(map[string]map[string]string{"initializeUploadRequest": {"owner": a.author}})
	if err != nil {
		return "", fmt.Errorf("encode upload request: %w", err)
	}
	rep, err := c.do(ctx, request{method: http.MethodPost, url: c.baseURL() + "/rest/images?action=initializeUpload",
		body: body, contentType: "application/json", rest: true, token: a.token})
	if err != nil {
		return "", err
	}
	var out struct {
		Value struct {
			UploadURL string `json:"uploadUrl"`
			Image     string `json:"image"`
		} `json:"value"`
	}
	if err := decode(rep, &out, "POST /rest/images?action=initializeUpload"); err != nil {
		return "", err
	}
	up, err := url.Parse(out.Value.UploadURL)
	if err != nil || (up.Scheme != "https" && up.Scheme != "http") || !strings.HasPrefix(out.Value.Image, "urn:li:image:") {
		return "", &syndication.Error{Class: syndication.Transient, Status: rep.Status,
			Message: "LinkedIn gave no usable upload address or image URN", Err: err}
	}
	rq := request{method: http.MethodPut, url: up.String(), body: data, contentType: mediaType}
	if c.trusts(up) {
		rq.token = a.token
	}
	if _, err := c.do(ctx, rq); err != nil {
		return "", err
	}
	return out.Value.Image, nil
}

// trusts reports whether the upload address is LinkedIn's (or the API's
// own host), where the token may go; LinkedIn's examples send it.
func (c *Client) trusts(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	if base, err := url.Parse(c.baseURL()); err == nil && u.Host == base.Host && u.Scheme == base.Scheme {
		return true
	}
	return u.Scheme == "https" && (host == "linkedin.com" || strings.HasSuffix(host, ".linkedin.com"))
}

// Delete removes the post with DELETE /rest/posts/{urn}; a post already
// gone is deleted.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	if !postURN.MatchString(r.ID) {
		return &syndication.Error{Class: syndication.Permanent, Message: fmt.Sprintf("%q is not a LinkedIn post URN", r.ID)}
	}
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	rep, err := c.send(ctx, request{method: http.MethodDelete, url: c.baseURL() + "/rest/posts/" + url.QueryEscape(r.ID),
		rest: true, token: a.token})
	if err != nil {
		return err
	}
	switch {
	case rep.Status == http.StatusNotFound || rep.Status == http.StatusGone:
		return nil
	case rep.Status < 200 || rep.Status > 299:
		return apiError(rep)
	}
	return nil
}

// digits reports whether s is a non-empty decimal number.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
