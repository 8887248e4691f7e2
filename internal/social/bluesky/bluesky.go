// Package bluesky posts to Bluesky over the AT Protocol's XRPC API
// (integrations.md §2): a session opened with an app password and kept
// between calls, the article's picture uploaded as a blob, and one
// app.bsky.feed.post record per delivery, with its links and hashtags as
// facets and the article as a link card. The record key is drawn from the
// delivery's key, so a retry can never post twice.
package bluesky

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultService is the PDS an account logs in to when its settings name
// none: Bluesky's entryway, which serves the accounts it hosts.
const DefaultService = "https://bsky.social"

// Client speaks to the PDS of each account it is given.
type Client struct {
	// HTTP makes the calls (kiosque's httpclient).
	HTTP *http.Client

	now func() time.Time
	log *slog.Logger
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a client making its calls with hc (a default httpclient
// when nil).
func New(hc *http.Client) *Client {
	if hc == nil {
		hc = httpclient.New(httpclient.Options{})
	}
	return &Client{HTTP: hc, now: time.Now, log: slog.Default()}
}

// Verify logs in (or checks the stored session with getSession) and
// returns the account's display name and profile page.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	k, err := c.open(ctx, creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	if !k.s.fresh {
		var who sessionOutput
		if err := k.call(ctx, request{nsid: "com.atproto.server.getSession"}, &who); err != nil {
			return syndication.Profile{}, err
		}
		k.s.handle = cmp.Or(who.Handle, k.s.handle)
	}
	var p struct {
		Handle      string `json:"handle"`
		DisplayName string `json:"displayName"`
	}
	req := request{nsid: "app.bsky.actor.getProfile", query: url.Values{"actor": {k.s.did}}}
	if err := k.call(ctx, req, &p); err != nil && syndication.ClassOf(err) != syndication.Permanent {
		return syndication.Profile{}, err
	}
	// A new account has no profile yet ("Profile not found"): its handle
	// names it.
	handle := cmp.Or(p.Handle, k.s.handle, k.s.did)
	return syndication.Profile{
		Name: cmp.Or(strings.TrimSpace(p.DisplayName), handle),
		URL:  "https://bsky.app/profile/" + handle,
	}, nil
}

// Publish posts a.Post under the record key drawn from a.Key. When the
// PDS refuses the key (a post already there) or the answer is lost, it
// reads the record back, and a record there is the post delivered.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, a syndication.Attempt) (syndication.Remote, error) {
	p := a.Post
	if !syndication.Bluesky.Limit().Fits(p.Text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: "the text is over Bluesky's 300 characters or 3000 bytes"}
	}
	if a.Key == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: "a delivery without a key could post twice"}
	}
	rkey := recordKey(a.Key)
	k, err := c.open(ctx, creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	if a.State != "" {
		// An earlier attempt got as far as writing: the post may be there.
		if r, found, err := k.existing(ctx, rkey); err != nil || found {
			return r, err
		}
	}
	rec := newRecord(p, c.now())
	if rec.Embed != nil {
		thumb, err := k.thumb(ctx, p)
		if err != nil {
			return syndication.Remote{}, err
		}
		rec.Embed.External.Thumb = thumb
	}
	if a.Checkpoint != nil {
		if err := a.Checkpoint(ctx, rkey); err != nil {
			return syndication.Remote{}, &syndication.Error{Class: syndication.Transient, Message: "save the record key", Err: err}
		}
	}
	body, err := marshal(map[string]any{"repo": k.s.did, "collection": postCollection, "rkey": rkey, "record": rec})
	if err != nil {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "encode the post", Err: err}
	}
	var out struct {
		URI string `json:"uri"`
	}
	err = k.call(ctx, request{nsid: "com.atproto.repo.createRecord", body: body, procedure: true}, &out)
	if err != nil {
		if class := syndication.ClassOf(err); class == syndication.Auth || class == syndication.RateLimited {
			return syndication.Remote{}, err
		}
		// A lost answer, or the key refused because an earlier attempt
		// landed (a real PDS answers that with a 500).
		if r, found, gerr := k.existing(ctx, rkey); gerr == nil && found {
			return r, nil
		}
		return syndication.Remote{}, err
	}
	return syndication.Remote{ID: cmp.Or(out.URI, k.uri(rkey)), URL: k.postURL(rkey)}, nil
}

// Delete deletes a post of the account by its at:// URI.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	did, collection, rkey, ok := parseATURI(r.ID)
	if !ok || collection != postCollection {
		return &syndication.Error{Class: syndication.Permanent, Message: "not the at:// URI of a post: " + r.ID}
	}
	k, err := c.open(ctx, creds)
	if err != nil {
		return err
	}
	if did != k.s.did {
		return &syndication.Error{Class: syndication.Permanent, Message: "the post belongs to another account: " + r.ID}
	}
	body, err := marshal(map[string]string{"repo": did, "collection": collection, "rkey": rkey})
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "encode the deletion", Err: err}
	}
	return k.call(ctx, request{nsid: "com.atproto.repo.deleteRecord", body: body, procedure: true}, nil)
}

// existing reads the post at rkey back; getRecord needs no session.
func (k *conn) existing(ctx context.Context, rkey string) (syndication.Remote, bool, error) {
	var out struct {
		URI string `json:"uri"`
	}
	q := url.Values{"repo": {k.s.did}, "collection": {postCollection}, "rkey": {rkey}}
	err := k.c.send(ctx, k.service, request{nsid: "com.atproto.repo.getRecord", query: q}, "", &out)
	if err != nil {
		if name, _ := errorName(err); name == "RecordNotFound" {
			return syndication.Remote{}, false, nil
		}
		return syndication.Remote{}, false, err
	}
	return syndication.Remote{ID: cmp.Or(out.URI, k.uri(rkey)), URL: k.postURL(rkey)}, true, nil
}

// thumb uploads the article's picture for the card and returns its blob,
// or nil when the card goes without one: no picture, one Bluesky would
// refuse (over 1,000,000 bytes, not an image), or one that cannot be read.
func (k *conn) thumb(ctx context.Context, p syndication.Post) (json.RawMessage, error) {
	if p.LoadImage == nil {
		return nil, nil
	}
	data, mediaType, err := p.LoadImage(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &syndication.Error{Class: syndication.Transient, Message: "load the picture", Err: err}
		}
		k.c.log.WarnContext(ctx, "bluesky: card without its picture", "link", p.Link, "error", err)
		return nil, nil
	}
	if mediaType == "" {
		mediaType = http.DetectContentType(data)
	}
	mediaType, _, _ = mime.ParseMediaType(mediaType)
	if len(data) == 0 || len(data) > maxThumbBytes || !strings.HasPrefix(mediaType, "image/") {
		k.c.log.InfoContext(ctx, "bluesky: card without its picture", "link", p.Link,
			"bytes", len(data), "media_type", mediaType)
		return nil, nil
	}
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	req := request{nsid: "com.atproto.repo.uploadBlob", body: data, contentType: mediaType, procedure: true}
	if err := k.call(ctx, req, &out); err != nil {
		if syndication.ClassOf(err) == syndication.Permanent {
			k.c.log.WarnContext(ctx, "bluesky: card without its picture", "link", p.Link, "error", err)
			return nil, nil
		}
		return nil, err
	}
	if len(out.Blob) == 0 || out.Blob[0] != '{' {
		return nil, &syndication.Error{Class: syndication.Transient, Status: http.StatusOK,
			Message: "com.atproto.repo.uploadBlob answered no blob"}
	}
	return out.Blob, nil
}

func (k *conn) uri(rkey string) string { return "at://" + k.s.did + "/" + postCollection + "/" + rkey }

// postURL is where readers see the post.
func (k *conn) postURL(rkey string) string {
	return "https://bsky.app/profile/" + cmp.Or(k.s.handle, k.s.did) + "/post/" + rkey
}

// parseATURI splits at://{did}/{collection}/{rkey}.
func parseATURI(s string) (did, collection, rkey string, ok bool) {
	rest, ok := strings.CutPrefix(s, "at://")
	if !ok {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "did:") || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// marshal encodes v without escaping <, > and & in the text.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
