package graphtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/graph"
)

// Names are a network's words for the container publishing API; a fake
// spells them itself, so that a client's typo is refused.
type Names = graph.Names

// Media is a published post.
type Media struct {
	ID          string
	ContainerID string
	// Text is the post's text or caption, Params all the container's
	// parameters (without the token).
	Text      string
	Params    url.Values
	Permalink string
	Published time.Time
}

type container struct {
	id, text, status, reason string
	params                   url.Values
	polls                    int
	fail                     string
}

// Containers fakes the container lifecycle Threads and Instagram share:
// a container is IN_PROGRESS for FinishAfter reads of its status, then
// FINISHED (or ERROR); it may be EXPIRED; publishing needs FINISHED,
// refuses a container published already, and counts against a quota
// over 24 hours.
type Containers struct {
	Names
	UserID string
	// FinishAfter is how many reads of a new container's status answer
	// IN_PROGRESS.
	FinishAfter int
	// Quota is the most posts published in 24 hours.
	Quota int
	// Validate checks a container's parameters and returns its text;
	// it answers the error itself and returns false when they are wrong.
	Validate func(w http.ResponseWriter, form url.Values) (text string, ok bool)
	// Permalink returns the public address of the n-th post.
	Permalink func(n int) string

	mu         sync.Mutex
	containers map[string]*container
	order      []string
	media      []Media
	seq        int
	used       int
	publishes  int
	failNext   string
}

// Media returns the published posts, oldest first.
func (c *Containers) Media() []Media {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Media(nil), c.media...)
}

// Created returns how many containers were created.
func (c *Containers) Created() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.order)
}

// LastContainer returns the id of the last container created, "" if none.
func (c *Containers) LastContainer() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) == 0 {
		return ""
	}
	return c.order[len(c.order)-1]
}

// PublishCalls returns how many publish requests came.
func (c *Containers) PublishCalls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.publishes
}

// Expire makes the container id EXPIRED, as 24 hours unpublished would.
func (c *Containers) Expire(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.containers[id]; ok && k.status != graph.Published {
		k.status = graph.Expired
	}
}

// FailNext makes the next container end in ERROR with reason.
func (c *Containers) FailNext(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failNext = reason
}

// UseQuota counts n more posts against the 24-hour quota.
func (c *Containers) UseQuota(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used += n
}

// Serve answers the container routes (parts is the path after the
// version, split) and returns false for any other.
func (c *Containers) Serve(w http.ResponseWriter, r *http.Request, parts []string) bool {
	user := len(parts) == 2 && (parts[0] == c.UserID || parts[0] == "me")
	switch {
	case r.Method == http.MethodPost && user && parts[1] == c.CreateEdge:
		c.create(w, r)
	case r.Method == http.MethodPost && user && parts[1] == c.PublishEdge:
		c.publish(w, r)
	case r.Method == http.MethodGet && user && parts[1] == c.LimitEdge:
		c.limit(w)
	case r.Method == http.MethodGet && user && parts[1] == c.ListEdge:
		c.list(w, r)
	case r.Method == http.MethodGet && len(parts) == 1:
		return c.node(w, r, parts[0])
	case len(parts) == 2 && parts[0] != c.UserID && parts[0] != "me":
		NoNode(w, r.Method, parts[0])
	default:
		return false
	}
	return true
}

func (c *Containers) create(w http.ResponseWriter, r *http.Request) {
	form := r.Form
	text, ok := c.Validate(w, form)
	if !ok {
		return
	}
	params := url.Values{}
	for k, v := range form {
		if k != "access_token" && k != "appsecret_proof" {
			params[k] = v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.containers == nil {
		c.containers = map[string]*container{}
	}
	c.seq++
	k := &container{id: fmt.Sprintf("1790%011d", c.seq), text: text, params: params, status: graph.InProgress,
		polls: c.FinishAfter, fail: c.failNext}
	c.failNext = ""
	c.containers[k.id] = k
	c.order = append(c.order, k.id)
	WriteJSON(w, http.StatusOK, map[string]string{"id": k.id})
}

// node answers GET /{id}: a container's status, or a post's fields.
func (c *Containers) node(w http.ResponseWriter, r *http.Request, id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	fields := strings.Split(r.Form.Get("fields"), ",")
	if k, ok := c.containers[id]; ok {
		if k.status == graph.InProgress {
			switch {
			case k.polls > 0:
				k.polls--
			case k.fail != "":
				k.status, k.reason = graph.Error, k.fail
			default:
				k.status = graph.Finished
			}
		}
		out := map[string]string{"id": id}
		for _, f := range fields {
			switch f {
			case c.StatusField:
				out[f] = k.status
			case c.MessageField:
				if k.reason != "" {
					out[f] = k.reason
				}
			}
		}
		WriteJSON(w, http.StatusOK, out)
		return true
	}
	for _, m := range c.media {
		if m.ID == id {
			WriteJSON(w, http.StatusOK, c.fieldsOf(m, fields))
			return true
		}
	}
	return false
}

func (c *Containers) fieldsOf(m Media, fields []string) map[string]string {
	out := map[string]string{"id": m.ID}
	for _, f := range fields {
		switch f {
		case "permalink":
			out[f] = m.Permalink
		case c.TextField:
			out[f] = m.Text
		case "timestamp":
			out[f] = m.Published.UTC().Format("2006-01-02T15:04:05-0700")
		}
	}
	return out
}

func (c *Containers) publish(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.publishes++
	id := r.Form.Get("creation_id")
	k, ok := c.containers[id]
	switch {
	case id == "":
		InvalidParam(w, "The parameter creation_id is required")
		return
	case !ok:
		InvalidParam(w, "Param creation_id "+id+" is not a valid media container")
		return
	case k.status == graph.Published:
		WriteError(w, http.StatusBadRequest, graph.APIError{Code: 100, ErrorSubcode: 2207008,
			Message: "(#100) The media container has already been published"})
		return
	case k.status == graph.Expired:
		WriteError(w, http.StatusBadRequest, graph.APIError{Code: 100, ErrorSubcode: 2207008,
			Message: "(#100) The media container has expired; create a new one"})
		return
	case k.status == graph.Error:
		WriteError(w, http.StatusBadRequest, graph.APIError{Code: 100, Message: "(#100) The media container failed: " + k.reason})
		return
	case k.status != graph.Finished:
		WriteError(w, http.StatusBadRequest, graph.APIError{Code: 9007, ErrorSubcode: 2207027,
			Message: "Media ID is not available", ErrorUserMsg: "The media is not ready for publishing, please wait for a moment"})
		return
	case c.used+len(c.media) >= c.Quota:
		WriteError(w, http.StatusBadRequest, graph.APIError{Code: 9, ErrorSubcode: 2207042,
			Message: "Application request limit reached", ErrorUserMsg: "You reached maximum number of posts that is allowed to be published."})
		return
	}
	k.status = graph.Published
	n := len(c.media) + 1
	m := Media{ID: fmt.Sprintf("1801%011d", n), ContainerID: id, Text: k.text, Params: k.params,
		Permalink: c.Permalink(n), Published: time.Now()}
	c.media = append(c.media, m)
	WriteJSON(w, http.StatusOK, map[string]string{"id": m.ID})
}

func (c *Containers) limit(w http.ResponseWriter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"data": []any{map[string]any{
		"quota_usage": c.used + len(c.media),
		"config":      map[string]int{"quota_total": c.Quota, "quota_duration": 86400}}}})
}

func (c *Containers) list(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit, err := strconv.Atoi(r.Form.Get("limit"))
	if err != nil || limit <= 0 {
		limit = 25
	}
	fields := strings.Split(r.Form.Get("fields"), ",")
	data := []map[string]string{}
	for i := len(c.media) - 1; i >= 0 && len(data) < limit; i-- {
		data = append(data, c.fieldsOf(c.media[i], fields))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"data": data, "paging": map[string]any{"cursors": map[string]string{"before": "QVFIUk", "after": "QVFIUl"}}})
}

// DeleteMedia removes the post id and reports whether it existed.
func (c *Containers) DeleteMedia(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range c.media {
		if m.ID == id {
			c.media = append(c.media[:i], c.media[i+1:]...)
			return true
		}
	}
	return false
}

// Checkpoints records what an attempt saves with its Checkpoint, and how
// many publish requests Containers had received at each save: a
// container must be saved before it is published.
type Checkpoints struct {
	Containers *Containers
	// States are the states saved, in order.
	States []string
	// Published is how many publish requests had come at each save.
	Published []int
	// Fail is what Save returns, as a store that cannot save.
	Fail error
}

// Save is an Attempt's Checkpoint.
func (c *Checkpoints) Save(_ context.Context, state string) error {
	c.States = append(c.States, state)
	c.Published = append(c.Published, c.Containers.PublishCalls())
	return c.Fail
}
