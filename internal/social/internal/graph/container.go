package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/syndication"
)

// The statuses of a media container (Threads' status, Instagram's
// status_code).
const (
	InProgress = "IN_PROGRESS"
	Finished   = "FINISHED"
	Published  = "PUBLISHED"
	Expired    = "EXPIRED"
	Error      = "ERROR"
)

// Names are a network's words for the container publishing API.
type Names struct {
	// CreateEdge (threads, media), PublishEdge (threads_publish,
	// media_publish), LimitEdge (threads_publishing_limit,
	// content_publishing_limit) and ListEdge (threads, media) are the
	// user's edges.
	CreateEdge, PublishEdge, LimitEdge, ListEdge string
	// StatusField holds the container's status (status, status_code),
	// MessageField the reason of an ERROR (error_message, status).
	StatusField, MessageField string
	// TextField is the field of a listed post that holds what was sent
	// as Text (text, caption).
	TextField string
}

// Containers publishes the way Threads and Instagram do: create a media
// container, save its id, wait until it is FINISHED, publish it, then
// read the post's permalink. An attempt that finds a saved container id
// resumes from it, so that a crash or a lost answer never creates a
// second container nor publishes twice.
type Containers struct {
	HTTP *http.Client
	// Base is the versioned API root, "https://graph.threads.net/v1.0".
	Base   string
	UserID string
	Token  string
	// Network names the network in messages.
	Network string
	Names
	// Create are the container's parameters, without the token.
	Create url.Values
	// Text is what the post says, to find it among the user's posts when
	// its container was published by an attempt whose answer was lost.
	Text string
	// PollInterval and MaxPolls bound the wait for FINISHED.
	PollInterval time.Duration
	MaxPolls     int
}

// RetryAfterQuota is the wait when the publishing quota is used up: the
// window slides over 24 hours, so a post leaves it every so often.
const RetryAfterQuota = time.Hour

// Publish publishes, resuming from a.State, and returns the post.
func (c Containers) Publish(ctx context.Context, a syndication.Attempt) (syndication.Remote, error) {
	id, renewed := a.State, false
	for {
		if id == "" {
			var err error
			if id, err = c.create(ctx); err != nil {
				return syndication.Remote{}, err
			}
			if a.Checkpoint != nil {
				if err := a.Checkpoint(ctx, id); err != nil {
					// Publishing a container whose id is not saved could
					// publish twice after a crash: stop here.
					return syndication.Remote{}, &syndication.Error{Class: syndication.Transient,
						Message: "could not save the container id", Err: fmt.Errorf("checkpoint: %w", err)}
				}
			}
		}
		status, msg, err := c.wait(ctx, id)
		if err != nil {
			return syndication.Remote{}, err
		}
		switch status {
		case Finished:
			return c.publish(ctx, id, a.Checkpoint == nil)
		case Published:
			return c.find(ctx)
		case Expired:
			// Unpublished containers expire after 24 hours: make a new
			// one, once.
			if renewed {
				return syndication.Remote{}, &syndication.Error{Class: syndication.Transient, Message: "the new container expired too"}
			}
			id, renewed = "", true
		case Error:
			return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
				Message: strings.TrimSpace(c.Network + " could not process the post: " + msg)}
		case InProgress:
			return syndication.Remote{}, &syndication.Error{Class: syndication.Transient,
				Message: c.Network + " is still processing the post"}
		default:
			return syndication.Remote{}, &syndication.Error{Class: syndication.Transient,
				Message: fmt.Sprintf("unknown container status %q", status)}
		}
	}
}

func (c Containers) params() url.Values { return url.Values{"access_token": {c.Token}} }

func (c Containers) url(parts ...string) string {
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimRight(c.Base, "/") + "/" + strings.Join(parts, "/")
}

func (c Containers) create(ctx context.Context) (string, error) {
	p := c.params()
	for k, v := range c.Create {
		p[k] = v
	}
	var out struct {
		ID string `json:"id"`
	}
	// Creating a container posts nothing: it is safe to do again.
	if err := Do(ctx, c.HTTP, Request{Method: http.MethodPost, URL: c.url(c.UserID, c.CreateEdge), Params: p}, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &syndication.Error{Class: syndication.Transient, Status: http.StatusOK, Message: "no container id in the answer"}
	}
	return out.ID, nil
}

// status reads the container's status and its reason.
func (c Containers) status(ctx context.Context, id string) (status, msg string, err error) {
	p := c.params()
	p.Set("fields", c.StatusField+","+c.MessageField)
	var out map[string]any
	if err := Do(ctx, c.HTTP, Request{Method: http.MethodGet, URL: c.url(id), Params: p}, &out); err != nil {
		return "", "", err
	}
	status, _ = out[c.StatusField].(string)
	msg, _ = out[c.MessageField].(string)
	return status, msg, nil
}

// wait polls the container while it is IN_PROGRESS, at most MaxPolls
// times.
func (c Containers) wait(ctx context.Context, id string) (status, msg string, err error) {
	for i := 0; ; i++ {
		status, msg, err = c.status(ctx, id)
		if err != nil || status != InProgress || i+1 >= max(c.MaxPolls, 1) {
			return status, msg, err
		}
		t := time.NewTimer(c.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", "", &syndication.Error{Class: syndication.Transient, Message: "cancelled while the container was processed", Err: ctx.Err()}
		case <-t.C:
		}
	}
}

// quota refuses with RateLimited when the user's publishing quota over
// the last 24 hours is used up, which publishing would refuse too.
func (c Containers) quota(ctx context.Context) error {
	p := c.params()
	p.Set("fields", "quota_usage,config")
	var out struct {
		Data []struct {
			QuotaUsage int `json:"quota_usage"`
			Config     struct {
				QuotaTotal    int `json:"quota_total"`
				QuotaDuration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if err := Do(ctx, c.HTTP, Request{Method: http.MethodGet, URL: c.url(c.UserID, c.LimitEdge), Params: p}, &out); err != nil {
		return err
	}
	if len(out.Data) > 0 && out.Data[0].Config.QuotaTotal > 0 && out.Data[0].QuotaUsage >= out.Data[0].Config.QuotaTotal {
		return &syndication.Error{Class: syndication.RateLimited, RetryAfter: RetryAfterQuota,
			Message: fmt.Sprintf("%s publishing limit reached: %d posts in %d hours", c.Network,
				out.Data[0].Config.QuotaTotal, max(out.Data[0].Config.QuotaDuration/3600, 1))}
	}
	return nil
}

// publish publishes the FINISHED container id. unsafe is set when no
// checkpoint holds id: a lost answer is then Ambiguous.
func (c Containers) publish(ctx context.Context, id string, unsafe bool) (syndication.Remote, error) {
	if err := c.quota(ctx); err != nil {
		return syndication.Remote{}, err
	}
	p := c.params()
	p.Set("creation_id", id)
	var out struct {
		ID string `json:"id"`
	}
	err := Do(ctx, c.HTTP, Request{Method: http.MethodPost, URL: c.url(c.UserID, c.PublishEdge), Params: p, Unsafe: unsafe}, &out)
	if err == nil && out.ID == "" {
		err = &syndication.Error{Class: syndication.Transient, Status: http.StatusOK, Message: "no post id in the answer"}
	}
	if err != nil {
		// The answer may have been lost after the container was
		// published: its status tells.
		if cl := syndication.ClassOf(err); cl == syndication.Auth || cl == syndication.RateLimited {
			return syndication.Remote{}, err
		}
		if status, _, serr := c.status(ctx, id); serr == nil && status == Published {
			return c.find(ctx)
		}
		return syndication.Remote{}, err
	}
	return syndication.Remote{ID: out.ID, URL: c.permalink(ctx, out.ID)}, nil
}

// permalink returns the post's public address, "" when it cannot be
// read: the post is out, which matters more.
func (c Containers) permalink(ctx context.Context, id string) string {
	p := c.params()
	p.Set("fields", "permalink")
	var out struct {
		Permalink string `json:"permalink"`
	}
	if Do(ctx, c.HTTP, Request{Method: http.MethodGet, URL: c.url(id), Params: p}, &out) != nil {
		return ""
	}
	return out.Permalink
}

// errNotFound is the cause when a published container's post is not
// among the user's latest.
var errNotFound = errors.New("published post not found among the latest")

// find returns the user's latest post that says c.Text: the container was
// published by an earlier attempt whose answer was lost, and the
// container does not give the post's id.
func (c Containers) find(ctx context.Context) (syndication.Remote, error) {
	p := c.params()
	p.Set("fields", "id,permalink,timestamp,"+c.TextField)
	p.Set("limit", "25")
	var out struct {
		Data []map[string]any `json:"data"`
	}
	if err := Do(ctx, c.HTTP, Request{Method: http.MethodGet, URL: c.url(c.UserID, c.ListEdge), Params: p}, &out); err != nil {
		return syndication.Remote{}, err
	}
	for _, post := range out.Data {
		if text, _ := post[c.TextField].(string); text == c.Text {
			id, _ := post["id"].(string)
			link, _ := post["permalink"].(string)
			if id != "" {
				return syndication.Remote{ID: id, URL: link}, nil
			}
		}
	}
	return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous,
		Message: "the container was published, but its post is not among the account's latest: check by hand", Err: errNotFound}
}
