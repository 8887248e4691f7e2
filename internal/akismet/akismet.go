// Package akismet checks reader comments for spam with Akismet, or any service
// that speaks its REST API (version 1.1), and reports the moderators' verdicts
// back to it so that it learns.
//
// The check is optional: kiosque only builds a Client when a key is
// configured. A Client never turns a failure into "not spam": every answer
// that is not a documented verdict becomes an error, and the caller decides
// what a comment becomes when the check could not be made (held for
// moderation, typically). Callers declare the interface they need, for example
//
//	type SpamChecker interface {
//		Check(ctx context.Context, c akismet.Comment) (akismet.Result, error)
//	}
//
// Comments carry personal data (IP address, email, user agent): they are sent
// to the service, which the site's privacy notice must say, but they never
// appear in the errors this package returns, and neither does the key.
package akismet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the base URL of Akismet's REST API, used when
// Config.Endpoint is empty.
const DefaultEndpoint = "https://rest.akismet.com/1.1"

// DefaultTimeout bounds one request made with the default HTTP client.
const DefaultTimeout = 5 * time.Second

// DefaultUserAgent identifies kiosque to the service, in the
// "Application/version | Plugin/version" form Akismet asks for, when
// Config.UserAgent is empty.
const DefaultUserAgent = "Kiosque | kiosque-akismet/1"

// maxBodySize caps how much of a response is read: the documented answers are
// a few bytes ("true", "valid", a one-line thank-you), so anything longer is
// already wrong and is not worth buffering.
const maxBodySize = 4 << 10

// maxQuoted caps how much of an unexpected body an error message quotes.
const maxQuoted = 120

// submitThanks is the documented body of a successful submit-spam or
// submit-ham call.
const submitThanks = "Thanks for making the web a better place."

// The wire names of the API's methods, which are also the operation names in
// error messages.
const (
	opCheck      = "comment-check"
	opSubmitSpam = "submit-spam"
	opSubmitHam  = "submit-ham"
	opVerify     = "verify-key"
)

var (
	// ErrInvalidKey means the service refused the API key (it answered
	// "invalid"): the configuration must be fixed, retrying will not help.
	ErrInvalidKey = errors.New("invalid API key")
	// ErrInvalidComment means the comment lacks a field the API requires
	// (the commenter's IP address); nothing was sent.
	ErrInvalidComment = errors.New("invalid comment")
	// ErrUnexpectedResponse means the service answered, but not with a
	// documented verdict: another body, a debug-help or error header, or a
	// non-200 status other than those of ErrUnavailable. It usually points at
	// a malformed request or an incompatible service; retrying will not help.
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrUnavailable means the service could not be reached or answered in
	// time, or replied with a 5xx or 429 status: retrying later may work.
	// Errors matching it also match the underlying cause, such as
	// context.DeadlineExceeded.
	ErrUnavailable = errors.New("service unavailable")
)

// APIError is a failure the service reported, with the diagnostics it sent.
// Match its cause (ErrInvalidKey, ErrUnexpectedResponse or ErrUnavailable)
// with errors.Is, and read the diagnostics with errors.As for the logs.
type APIError struct {
	// Op is the API method called, such as "comment-check".
	Op string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Body is the start of the response body, trimmed.
	Body string
	// DebugHelp is the X-akismet-debug-help header, the service's explanation
	// of what was wrong with the request.
	DebugHelp string
	// ServerError is the X-akismet-error header.
	ServerError string
	// AlertCode and AlertMsg are the X-akismet-alert-code and
	// X-akismet-alert-msg headers, an account-level notice (usage limit,
	// subscription) meant for the site's operators.
	AlertCode string
	AlertMsg  string
	// Err is the cause: ErrInvalidKey, ErrUnexpectedResponse or ErrUnavailable.
	Err error
}

// Error describes the failure with every diagnostic the service gave.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "akismet %s: %v (status %d", e.Op, e.Err, e.StatusCode)
	if e.Body != "" {
		fmt.Fprintf(&b, ", body %q", e.Body)
	}
	if e.DebugHelp != "" {
		fmt.Fprintf(&b, ", debug help %q", e.DebugHelp)
	}
	if e.ServerError != "" {
		fmt.Fprintf(&b, ", error %q", e.ServerError)
	}
	if e.AlertCode != "" || e.AlertMsg != "" {
		fmt.Fprintf(&b, ", alert %s %q", e.AlertCode, e.AlertMsg)
	}
	b.WriteByte(')')
	return b.String()
}

// Unwrap returns the cause, so errors.Is matches the package's sentinels.
func (e *APIError) Unwrap() error { return e.Err }

// Config is what a Client needs; deployment settings, read once at boot.
type Config struct {
	// Key is the API key, required. It is sent in the request body, never in
	// a URL, so that it cannot leak through proxy logs or error messages.
	Key string
	// Site is the front page of the site the comments are posted on (the
	// API's "blog"), an absolute http or https URL, required.
	Site string
	// Endpoint is the base URL of the API, DefaultEndpoint when empty; set it
	// to use another service that speaks the same API.
	Endpoint string
	// HTTPClient makes the requests. When nil, a client with DefaultTimeout
	// that follows no redirects is used. Pass the application's SSRF-safe
	// outbound client here when the endpoint is configurable by operators.
	HTTPClient *http.Client
	// UserAgent names the application to the service, DefaultUserAgent when
	// empty.
	UserAgent string
	// Test sends is_test=1 with every comment, so the service neither learns
	// from nor counts the calls: for staging sites and integration tests.
	Test bool
}

// Client talks to an Akismet-compatible service. It holds no mutable state
// and is safe for concurrent use.
type Client struct {
	key       string
	site      string
	endpoint  string
	http      *http.Client
	userAgent string
	test      bool
}

// New validates cfg and returns a Client; it makes no request (Verify does).
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Key) == "" {
		return nil, errors.New("new akismet client: empty key")
	}
	if err := checkHTTPURL(cfg.Site); err != nil {
		return nil, fmt.Errorf("new akismet client: site: %w", err)
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if err := checkHTTPURL(endpoint); err != nil {
		return nil, fmt.Errorf("new akismet client: endpoint: %w", err)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Timeout: DefaultTimeout,
			// Go would turn a redirected POST into a GET without the form;
			// a redirect is reported as the non-200 status it is instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	return &Client{
		key:       cfg.Key,
		site:      cfg.Site,
		endpoint:  strings.TrimRight(endpoint, "/"),
		http:      hc,
		userAgent: ua,
		test:      cfg.Test,
	}, nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("parse %q: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	return nil
}

// Comment is what the service is told about one submission. Only UserIP is
// required, but the more fields are filled, the better the verdict; send the
// same values to SubmitSpam and SubmitHam as to Check, so that the service can
// match the report with the original check.
type Comment struct {
	// UserIP is the commenter's IP address (user_ip), required.
	UserIP string
	// UserAgent is the commenter's browser User-Agent header (user_agent),
	// not kiosque's.
	UserAgent string
	// Referrer is the Referer header of the request that posted the comment
	// (referrer).
	Referrer string
	// Permalink is the full URL of the article commented on (permalink).
	Permalink string
	// Type describes the content (comment_type): "comment", "reply",
	// "contact-form", "signup"… Empty sends nothing.
	Type string
	// Author is the name the commenter gave (comment_author).
	Author string
	// AuthorEmail is the email address the commenter gave
	// (comment_author_email).
	AuthorEmail string
	// AuthorURL is a URL the commenter typed in (comment_author_url), never
	// one generated by kiosque such as a profile page.
	AuthorURL string
	// Content is the text of the comment (comment_content).
	Content string
	// Created is when the comment was posted (comment_date_gmt); the zero
	// time sends nothing.
	Created time.Time
	// PostModified is when the article was published or last modified
	// (comment_post_modified_gmt); the zero time sends nothing.
	PostModified time.Time
	// Lang lists the languages of the site or article as ISO 639-1 codes,
	// comma-separated, such as "fr" or "fr, en" (blog_lang).
	Lang string
	// UserRole is the commenter's role on the site (user_role); the API
	// documents that "administrator" is never flagged. Empty for readers.
	UserRole string
}

// Result is the service's verdict on one comment.
type Result struct {
	// Spam is true when the service classified the comment as spam.
	Spam bool
	// Discard is true when the comment is blatant spam that can be dropped
	// without keeping it for review (the X-akismet-pro-tip: discard header).
	// It is only ever true together with Spam.
	Discard bool
	// AlertCode and AlertMsg carry an account-level notice sent with the
	// verdict (X-akismet-alert-code and -msg, such as a usage limit reached).
	// The verdict stands; the notice is for the operators' logs.
	AlertCode string
	AlertMsg  string
}

// Check asks the service whether cm is spam (comment-check). It returns an
// error, and never a "not spam" Result, when the answer is not "true" or
// "false" or carries a debug-help or error header: ErrInvalidKey,
// ErrInvalidComment, ErrUnexpectedResponse or ErrUnavailable, wrapped.
func (c *Client) Check(ctx context.Context, cm Comment) (Result, error) {
	if cm.UserIP == "" {
		return Result{}, fmt.Errorf("akismet %s: %w: empty user IP", opCheck, ErrInvalidComment)
	}
	resp, err := c.post(ctx, opCheck, c.commentForm(cm))
	if err != nil {
		return Result{}, err
	}
	switch resp.body {
	case "true":
		return Result{
			Spam:      true,
			Discard:   strings.EqualFold(resp.header.Get("X-akismet-pro-tip"), "discard"),
			AlertCode: resp.header.Get("X-akismet-alert-code"),
			AlertMsg:  resp.header.Get("X-akismet-alert-msg"),
		}, nil
	case "false":
		return Result{
			AlertCode: resp.header.Get("X-akismet-alert-code"),
			AlertMsg:  resp.header.Get("X-akismet-alert-msg"),
		}, nil
	}
	return Result{}, resp.fail(opCheck, ErrUnexpectedResponse)
}

// SubmitSpam reports cm as spam the service missed (submit-spam), with the same
// fields as Check. It returns ErrInvalidKey, ErrInvalidComment,
// ErrUnexpectedResponse or ErrUnavailable, wrapped.
func (c *Client) SubmitSpam(ctx context.Context, cm Comment) error {
	return c.submit(ctx, opSubmitSpam, cm)
}

// SubmitHam reports cm as a legitimate comment the service flagged as spam
// (submit-ham), with the same fields as Check. It returns ErrInvalidKey,
// ErrInvalidComment, ErrUnexpectedResponse or ErrUnavailable, wrapped.
func (c *Client) SubmitHam(ctx context.Context, cm Comment) error {
	return c.submit(ctx, opSubmitHam, cm)
}

func (c *Client) submit(ctx context.Context, op string, cm Comment) error {
	if cm.UserIP == "" {
		return fmt.Errorf("akismet %s: %w: empty user IP", op, ErrInvalidComment)
	}
	resp, err := c.post(ctx, op, c.commentForm(cm))
	if err != nil {
		return err
	}
	if resp.body != submitThanks {
		return resp.fail(op, ErrUnexpectedResponse)
	}
	return nil
}

// Verify checks the key and site with the service (verify-key), for a health
// check or a settings page; Check does not need it first. It returns nil when
// the service answers "valid", else ErrInvalidKey, ErrUnexpectedResponse or
// ErrUnavailable, wrapped.
func (c *Client) Verify(ctx context.Context) error {
	form := url.Values{
		"api_key": {c.key},
		// The older documentation and many compatible services name the
		// key "key" on this one method; the current one says "api_key".
		"key":  {c.key},
		"blog": {c.site},
	}
	resp, err := c.post(ctx, opVerify, form)
	if err != nil {
		return err
	}
	if resp.body != "valid" {
		return resp.fail(opVerify, ErrUnexpectedResponse)
	}
	return nil
}

// commentForm encodes cm for comment-check, submit-spam and submit-ham alike,
// so that reports carry exactly the fields of the original check.
func (c *Client) commentForm(cm Comment) url.Values {
	form := url.Values{
		"api_key":      {c.key},
		"blog":         {c.site},
		"user_ip":      {cm.UserIP},
		"blog_charset": {"UTF-8"}, // Go strings, and so the form, are UTF-8.
	}
	set := func(name, value string) {
		if value != "" {
			form.Set(name, value)
		}
	}
	set("user_agent", cm.UserAgent)
	set("referrer", cm.Referrer)
	set("permalink", cm.Permalink)
	set("comment_type", cm.Type)
	set("comment_author", cm.Author)
	set("comment_author_email", cm.AuthorEmail)
	set("comment_author_url", cm.AuthorURL)
	set("comment_content", cm.Content)
	set("blog_lang", cm.Lang)
	set("user_role", cm.UserRole)
	if !cm.Created.IsZero() {
		form.Set("comment_date_gmt", cm.Created.UTC().Format(time.RFC3339))
	}
	if !cm.PostModified.IsZero() {
		form.Set("comment_post_modified_gmt", cm.PostModified.UTC().Format(time.RFC3339))
	}
	if c.test {
		form.Set("is_test", "1")
	}
	return form
}

// response is what post read of a 200 answer.
type response struct {
	status int
	body   string
	header http.Header
}

// fail builds the APIError for a response that is not the documented answer;
// "invalid" is the service's word for a refused key.
func (r response) fail(op string, cause error) error {
	if r.body == "invalid" && !errors.Is(cause, ErrUnavailable) {
		cause = ErrInvalidKey
	}
	return &APIError{
		Op:          op,
		StatusCode:  r.status,
		Body:        shorten(r.body),
		DebugHelp:   r.header.Get("X-akismet-debug-help"),
		ServerError: r.header.Get("X-akismet-error"),
		AlertCode:   r.header.Get("X-akismet-alert-code"),
		AlertMsg:    r.header.Get("X-akismet-alert-msg"),
		Err:         cause,
	}
}

// post sends form to the method op and returns the trimmed body of a 200
// answer without debug-help or error header; everything else is an error.
func (c *Client) post(ctx context.Context, op string, form url.Values) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/"+op, strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, fmt.Errorf("akismet %s: build request: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", c.userAgent)
	res, err := c.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("akismet %s: %w: %w", op, ErrUnavailable, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBodySize+1))
	if err != nil {
		return response{}, fmt.Errorf("akismet %s: read response: %w: %w", op, ErrUnavailable, err)
	}
	r := response{status: res.StatusCode, body: strings.TrimSpace(string(body)), header: res.Header}
	switch {
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
		return response{}, r.fail(op, ErrUnavailable)
	case res.StatusCode != http.StatusOK:
		return response{}, r.fail(op, ErrUnexpectedResponse)
	case len(body) > maxBodySize:
		return response{}, r.fail(op, ErrUnexpectedResponse)
	case r.header.Get("X-akismet-debug-help") != "" || r.header.Get("X-akismet-error") != "":
		// The service explains failures in these headers; whatever the body
		// says, the request was not understood as intended.
		return response{}, r.fail(op, ErrUnexpectedResponse)
	}
	return r, nil
}

// shorten cuts a body to what an error message should quote (APIError.Error
// quotes it with %q, which escapes anything unprintable).
func shorten(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return strings.ToValidUTF8(s[:maxQuoted], "") + "…"
}
