// Package tumblr posts articles to a Tumblr blog through the API v2 in
// the Neue Post Format (Tumblr/docs api.md, npf-spec.md): the message as
// text blocks, the article as a link block with its title, description
// and picture, the tags apart. It authenticates with an OAuth 2.0 token,
// renewed with its refresh token when Tumblr refuses it.
package tumblr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/internal/oauth2refresh"
	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is Tumblr's API.
const DefaultBaseURL = "https://api.tumblr.com"

var _ syndication.Publisher = (*Client)(nil)

// Client posts to Tumblr blogs. It is safe for concurrent use.
type Client struct {
	HTTP *http.Client
	// BaseURL is the API's address, DefaultBaseURL unless a test points
	// it at a fake.
	BaseURL string

	// tokens renews OAuth 2.0 tokens, keeping the pair each refresh gave
	// for calls that come with the spent refresh token again.
	tokens oauth2refresh.Rotator

	mu sync.Mutex
	// names caches blogs' names by uuid, for posts' addresses.
	names map[string]string
}

// New returns a client of Tumblr's API over hc (an httpclient client).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL}
}

// account reads creds, with the tokens of an earlier refresh when the
// stored ones are spent.
func (c *Client) account(ctx context.Context, creds syndication.Credentials) (*account, error) {
	a, err := accountOf(creds)
	if err != nil {
		return nil, err
	}
	if err := c.tokens.CatchUp(ctx, &a.tokens); err != nil {
		return nil, err
	}
	return a, nil
}

// call makes rq with a's token, renewing it once when Tumblr refuses it,
// and returns a success answer or the classified failure.
func (c *Client) call(ctx context.Context, a *account, rq request) (*wire.Reply, error) {
	rq.token = a.tokens.Access
	rep, err := c.send(ctx, rq)
	if err != nil {
		return nil, err
	}
	if rep.Status == http.StatusUnauthorized && a.canRefresh() {
		if err := c.refresh(ctx, a); err != nil {
			return nil, err
		}
		rq.token = a.tokens.Access
		if rep, err = c.send(ctx, rq); err != nil {
			return nil, err
		}
	}
	if rep.Status < 200 || rep.Status > 299 {
		return rep, apiError(rep)
	}
	return rep, nil
}

// blogInfo is a blog in GET /v2/user/info.
type blogInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	URL   string `json:"url"`
	UUID  string `json:"uuid"`
}

// userBlogs returns the blogs the token's user may post to.
func (c *Client) userBlogs(ctx context.Context, a *account) ([]blogInfo, error) {
	rep, err := c.call(ctx, a, request{method: http.MethodGet, path: "/v2/user/info"})
	if err != nil {
		return nil, err
	}
	var out struct {
		User struct {
			Name  string     `json:"name"`
			Blogs []blogInfo `json:"blogs"`
		} `json:"user"`
	}
	if err := decode(rep, &out, "GET /v2/user/info"); err != nil {
		return nil, err
	}
	return out.User.Blogs, nil
}

// matches reports whether id (a blog name, host name or uuid) names b.
func (b blogInfo) matches(id string) bool {
	id = strings.ToLower(id)
	if id == strings.ToLower(b.Name) || id == strings.ToLower(b.Name)+".tumblr.com" || b.UUID != "" && id == strings.ToLower(b.UUID) {
		return true
	}
	u, err := url.Parse(b.URL)
	return err == nil && u.Host != "" && id == strings.ToLower(u.Host)
}

// findBlog returns the account's blog among the user's.
func (c *Client) findBlog(ctx context.Context, a *account) (blogInfo, error) {
	blogs, err := c.userBlogs(ctx, a)
	if err != nil {
		return blogInfo{}, err
	}
	for _, b := range blogs {
		if b.matches(a.blog) {
			if b.UUID != "" {
				c.mu.Lock()
				if c.names == nil {
					c.names = map[string]string{}
				}
				c.names[b.UUID] = b.Name
				c.mu.Unlock()
			}
			return b, nil
		}
	}
	return blogInfo{}, &syndication.Error{Class: syndication.Auth,
		Message: fmt.Sprintf("the token's user cannot post to the blog %q", a.blog)}
}

// Verify checks creds with GET /v2/user/info: the blog must be one the
// token's user may post to.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := c.account(ctx, creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	b, err := c.findBlog(ctx, a)
	if err != nil {
		return syndication.Profile{}, err
	}
	name := b.Title
	if name == "" {
		name = b.Name
	}
	return syndication.Profile{Name: name, URL: b.URL}, nil
}

// Publish posts at.Post with POST /v2/blog/{blog}/posts. Tumblr has no
// idempotency key: an answer lost after sending is Ambiguous.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	p := at.Post
	if strings.TrimSpace(p.Text) == "" && p.Link == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "nothing to post: no text and no link"}
	}
	if l := syndication.Tumblr.Limit(); !l.Fits(p.Text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the text counts %d characters on Tumblr, over its %d", l.Count(p.Text), l.Max)}
	}
	a, err := c.account(ctx, creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	// A blog named by its uuid has its name looked up before posting,
	// for the post's address.
	if strings.HasPrefix(a.blog, "t:") && c.name(a.blog) == "" {
		if _, err := c.findBlog(ctx, a); err != nil {
			return syndication.Remote{}, err
		}
	}
	body, err := json.Marshal(npfBody(p))
	if err != nil {
		return syndication.Remote{}, fmt.Errorf("encode post: %w", err)
	}
	rep, err := c.call(ctx, a, request{method: http.MethodPost, path: "/v2/blog/" + url.PathEscape(a.blog) + "/posts",
		body: body, contentType: "application/json", creates: true})
	if err != nil {
		return syndication.Remote{}, err
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := decode(rep, &out, "POST /v2/blog/{blog}/posts"); err != nil || !digits(out.ID) {
		// Tumblr said 201: the post exists, but which one is unknown, and
		// posting again would repeat it.
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Status: rep.Status,
			Message: "Tumblr accepted the post but its answer has no readable id: check the blog before retrying", Err: err}
	}
	return syndication.Remote{ID: out.ID, URL: c.postURL(a.blog, out.ID)}, nil
}

// name returns the cached name of the blog with uuid.
func (c *Client) name(uuid string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.names[uuid]
}

// postURL is where a post of blog (a name, host name or uuid) is seen.
func (c *Client) postURL(blog, id string) string {
	switch {
	case strings.HasPrefix(blog, "t:"):
		if name := c.name(blog); name != "" {
			return "https://" + name + ".tumblr.com/post/" + id
		}
		return ""
	case strings.Contains(blog, "."):
		return "https://" + strings.ToLower(blog) + "/post/" + id
	default:
		return "https://" + strings.ToLower(blog) + ".tumblr.com/post/" + id
	}
}

// post is the body of POST /v2/blog/{blog}/posts.
type post struct {
	Content   []block `json:"content"`
	State     string  `json:"state"`
	Tags      string  `json:"tags,omitempty"`
	SourceURL string  `json:"source_url,omitempty"`
}

// block is an NPF content block: text or link.
type block struct {
	Type        string       `json:"type"`
	Text        string       `json:"text,omitempty"`
	Formatting  []formatting `json:"formatting,omitempty"`
	URL         string       `json:"url,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Poster      []media      `json:"poster,omitempty"`
}

// formatting is an inline range of a text block, in code points.
type formatting struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
	URL   string `json:"url,omitempty"`
}

// media is an NPF media object.
type media struct {
	URL string `json:"url"`
}

// npfBody is p in the Neue Post Format: a text block per paragraph of the
// message, its links made links, then the article's link block.
func npfBody(p syndication.Post) post {
	b := post{State: "published", Tags: tagList(p.Tags), SourceURL: p.Link}
	for _, para := range strings.Split(strings.ReplaceAll(p.Text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.Content = append(b.Content, block{Type: "text", Text: para, Formatting: links(para)})
	}
	if p.Link != "" {
		lb := block{Type: "link", URL: p.Link, Title: p.Title, Description: p.Description}
		if p.ImageURL != "" {
			lb.Poster = []media{{URL: p.ImageURL}}
		}
		b.Content = append(b.Content, lb)
	}
	return b
}

// linkPattern finds the links of a paragraph.
var linkPattern = regexp.MustCompile(`https?://[^\s<>"«»]+`)

// links returns a link range for each link of text, without the
// punctuation that ends a sentence after it; NPF counts in code points.
func links(text string) []formatting {
	var out []formatting
	for _, m := range linkPattern.FindAllStringIndex(text, -1) {
		u := strings.TrimRight(text[m[0]:m[1]], ".,;:!?)]}'’…")
		start := utf8.RuneCountInString(text[:m[0]])
		out = append(out, formatting{Start: start, End: start + utf8.RuneCountInString(u), Type: "link", URL: u})
	}
	return out
}

// tagList is tags without their '#', comma-separated as Tumblr takes
// them (a comma inside a tag would split it, so it goes).
func tagList(tags []string) string {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(t), "#"), ",", " "))
		if t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, ",")
}

// Delete removes the post with POST /v2/blog/{blog}/post/delete; a post
// already gone is deleted.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	if !digits(r.ID) {
		return &syndication.Error{Class: syndication.Permanent, Message: fmt.Sprintf("%q is not a Tumblr post id", r.ID)}
	}
	a, err := c.account(ctx, creds)
	if err != nil {
		return err
	}
	body := []byte(url.Values{"id": {r.ID}}.Encode())
	rep, err := c.call(ctx, a, request{method: http.MethodPost, path: "/v2/blog/" + url.PathEscape(a.blog) + "/post/delete",
		body: body, contentType: "application/x-www-form-urlencoded"})
	if err != nil && rep != nil && rep.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// digits reports whether s is a non-empty decimal number, as post ids are.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
