package akismet_test

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/akismet"
)

const (
	testKey   = "0123456789ab"
	testSite  = "https://journal.example.fr/"
	testEmail = "ines@example.org"
	// spamAuthor is the author name the API documents as always spam.
	spamAuthor = "akismet-guaranteed-spam"
	// blatantContent makes the fake server add the discard pro-tip.
	blatantContent = "blatant"
)

// fakeAkismet speaks the documented wire format of the REST API 1.1: form
// POSTs to /1.1/<method>, "true"/"false", "valid"/"invalid", the thank-you
// line, and the X-akismet-* headers. It records the forms it receives.
type fakeAkismet struct {
	t *testing.T
	// override, when set, answers instead of the documented behaviour, once
	// the request itself has been checked.
	override http.HandlerFunc

	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	op        string
	form      url.Values
	userAgent string
}

func (f *fakeAkismet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.t.Errorf("method = %s, want POST", r.Method)
		http.Error(w, "method", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		f.t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	}
	if r.URL.RawQuery != "" {
		f.t.Errorf("query = %q, want every parameter in the body", r.URL.RawQuery)
	}
	op, ok := strings.CutPrefix(r.URL.Path, "/1.1/")
	if !ok {
		f.t.Errorf("path = %q, want /1.1/<method>", r.URL.Path)
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("parse form: %v", err)
	}
	f.mu.Lock()
	f.seen = append(f.seen, seenRequest{op: op, form: r.PostForm, userAgent: r.UserAgent()})
	f.mu.Unlock()

	if f.override != nil {
		f.override(w, r)
		return
	}
	form := r.PostForm
	required := []string{"api_key", "blog"}
	if op != "verify-key" {
		required = append(required, "user_ip")
	}
	for _, name := range required {
		if form.Get(name) == "" {
			w.Header().Set("X-akismet-debug-help", "Empty \""+name+"\" value")
			_, _ = w.Write([]byte("Missing required field: " + name + "."))
			return
		}
	}
	if form.Get("api_key") != testKey {
		w.Header().Set("X-akismet-debug-help", "We were unable to verify your API key.")
		_, _ = w.Write([]byte("invalid"))
		return
	}
	switch op {
	case "verify-key":
		_, _ = w.Write([]byte("valid"))
	case "comment-check":
		spam := form.Get("comment_author") == spamAuthor || form.Get("comment_content") == blatantContent
		if form.Get("user_role") == "administrator" {
			spam = false
		}
		if form.Get("comment_content") == blatantContent {
			w.Header().Set("X-akismet-pro-tip", "discard")
		}
		if spam {
			_, _ = w.Write([]byte("true"))
		} else {
			_, _ = w.Write([]byte("false"))
		}
	case "submit-spam", "submit-ham":
		_, _ = w.Write([]byte("Thanks for making the web a better place."))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeAkismet) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

// newServer starts a fake service and a Client pointed at it, with the
// default HTTP client.
func newServer(t *testing.T, key string, override http.HandlerFunc) (*akismet.Client, *fakeAkismet) {
	t.Helper()
	fake := &fakeAkismet{t: t, override: override}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := akismet.New(akismet.Config{Key: key, Site: testSite, Endpoint: srv.URL + "/1.1/", UserAgent: "Kiosque/test | kiosque-akismet/1"})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c, fake
}

func ham() akismet.Comment {
	return akismet.Comment{
		UserIP:       "203.0.113.7",
		UserAgent:    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		Referrer:     "https://journal.example.fr/2025/06/marche-du-samedi",
		Permalink:    "https://journal.example.fr/2025/06/marche-du-samedi",
		Type:         "comment",
		Author:       "Inès Martin",
		AuthorEmail:  testEmail,
		AuthorURL:    "https://ines.example.org/",
		Content:      "Merci pour cet article, le marché a bien changé depuis l'été dernier.",
		Created:      time.Date(2025, 6, 14, 10, 30, 0, 0, time.FixedZone("CEST", 2*3600)),
		PostModified: time.Date(2025, 6, 13, 18, 0, 0, 0, time.UTC),
		Lang:         "fr",
	}
}

// slow answers only when the client gives up.
func slow(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
	_, _ = w.Write([]byte("false"))
}

func answer(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestCheck(t *testing.T) {
	spam := ham()
	spam.Author = spamAuthor
	blatant := ham()
	blatant.Content = blatantContent
	admin := spam
	admin.UserRole = "administrator"
	noIP := ham()
	noIP.UserIP = ""

	tests := []struct {
		name     string
		key      string
		override http.HandlerFunc
		timeout  time.Duration
		comment  akismet.Comment
		want     akismet.Result
		wantErr  []error
		wantHelp string
	}{
		{name: "OKHam", comment: ham(), want: akismet.Result{}},
		{name: "OKSpam", comment: spam, want: akismet.Result{Spam: true}},
		{name: "OKDiscard", comment: blatant, want: akismet.Result{Spam: true, Discard: true}},
		{name: "OKAdministrator", comment: admin, want: akismet.Result{}},
		{
			name:     "OKDiscardIgnoredOnHam",
			override: answer(http.StatusOK, "false", "X-akismet-pro-tip", "discard"),
			comment:  ham(),
			want:     akismet.Result{},
		},
		{
			name:     "OKAlertKeepsVerdict",
			override: answer(http.StatusOK, "true", "X-akismet-alert-code", "10001", "X-akismet-alert-msg", "Usage limit reached"),
			comment:  ham(),
			want:     akismet.Result{Spam: true, AlertCode: "10001", AlertMsg: "Usage limit reached"},
		},
		{
			name:     "ErrInvalidKey",
			key:      "not-the-key",
			comment:  ham(),
			wantErr:  []error{akismet.ErrInvalidKey},
			wantHelp: "We were unable to verify your API key.",
		},
		{name: "ErrMissingUserIP", comment: noIP, wantErr: []error{akismet.ErrInvalidComment}},
		{
			name:     "ErrStatus500",
			override: answer(http.StatusInternalServerError, "Internal Server Error"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnavailable},
		},
		{
			name:     "ErrStatus429",
			override: answer(http.StatusTooManyRequests, ""),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnavailable},
		},
		{
			name:     "ErrStatus403",
			override: answer(http.StatusForbidden, "false"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrRedirectNotFollowed",
			override: answer(http.StatusTemporaryRedirect, "", "Location", "/elsewhere"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrGarbageBody",
			override: answer(http.StatusOK, "<html><body>Bad Gateway\x00</body></html>"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrEmptyBody",
			override: answer(http.StatusOK, ""),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrOversizedBody",
			override: answer(http.StatusOK, "false"+strings.Repeat(" ", 64<<10)),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrDebugHelpWithVerdict",
			override: answer(http.StatusOK, "false", "X-akismet-debug-help", "Empty \"blog\" value"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
			wantHelp: "Empty \"blog\" value",
		},
		{
			name:     "ErrErrorHeader",
			override: answer(http.StatusOK, "false", "X-akismet-error", "internal"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
		},
		{
			name:     "ErrMissingRequiredField",
			override: answer(http.StatusOK, "Missing required field: user_ip.", "X-akismet-debug-help", "Empty \"user_ip\" value"),
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnexpectedResponse},
			wantHelp: "Empty \"user_ip\" value",
		},
		{
			name:     "ErrDeadline",
			override: slow,
			timeout:  50 * time.Millisecond,
			comment:  ham(),
			wantErr:  []error{akismet.ErrUnavailable, context.DeadlineExceeded},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.key
			if key == "" {
				key = testKey
			}
			c, _ := newServer(t, key, tt.override)
			ctx := t.Context()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			start := time.Now()
			got, err := c.Check(ctx, tt.comment)
			if tt.timeout > 0 {
				if elapsed := time.Since(start); elapsed > 2*time.Second {
					t.Errorf("Check returned after %v, want about %v", elapsed, tt.timeout)
				}
			}
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Check result (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check = %+v, nil; want an error", got)
			}
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Check error %q does not match %q", err, want)
				}
			}
			if got != (akismet.Result{}) {
				t.Errorf("Check result with error = %+v, want the zero Result", got)
			}
			if !strings.HasPrefix(err.Error(), "akismet comment-check: ") {
				t.Errorf("error %q does not name the operation", err)
			}
			if msg := err.Error(); strings.Contains(msg, key) || strings.Contains(msg, testEmail) {
				t.Errorf("error %q leaks the key or the commenter's email", msg)
			}
			if tt.wantHelp != "" {
				var apiErr *akismet.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %q is not an *APIError", err)
				}
				if apiErr.DebugHelp != tt.wantHelp {
					t.Errorf("DebugHelp = %q, want %q", apiErr.DebugHelp, tt.wantHelp)
				}
			}
		})
	}
}

// TestSubmitSendsCheckFields checks that submit-spam and submit-ham carry
// exactly the fields of the comment-check they report on, encoded as
// documented.
func TestSubmitSendsCheckFields(t *testing.T) {
	fake := &fakeAkismet{t: t}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := akismet.New(akismet.Config{Key: testKey, Site: testSite, Endpoint: srv.URL + "/1.1", Test: true})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	cm := ham()
	cm.UserRole = "subscriber"
	if _, err := c.Check(t.Context(), cm); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if err := c.SubmitSpam(t.Context(), cm); err != nil {
		t.Fatalf("SubmitSpam: %v", err)
	}
	if err := c.SubmitHam(t.Context(), cm); err != nil {
		t.Fatalf("SubmitHam: %v", err)
	}

	want := url.Values{
		"api_key":                   {testKey},
		"blog":                      {testSite},
		"blog_charset":              {"UTF-8"},
		"blog_lang":                 {"fr"},
		"comment_author":            {cm.Author},
		"comment_author_email":      {cm.AuthorEmail},
		"comment_author_url":        {cm.AuthorURL},
		"comment_content":           {cm.Content},
		"comment_date_gmt":          {"2025-06-14T08:30:00Z"},
		"comment_post_modified_gmt": {"2025-06-13T18:00:00Z"},
		"comment_type":              {"comment"},
		"is_test":                   {"1"},
		"permalink":                 {cm.Permalink},
		"referrer":                  {cm.Referrer},
		"user_agent":                {cm.UserAgent},
		"user_ip":                   {cm.UserIP},
		"user_role":                 {"subscriber"},
	}
	seen := fake.requests()
	if len(seen) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(seen))
	}
	for i, op := range []string{"comment-check", "submit-spam", "submit-ham"} {
		if seen[i].op != op {
			t.Errorf("request %d went to %q, want %q", i, seen[i].op, op)
		}
		if diff := cmp.Diff(want, seen[i].form); diff != "" {
			t.Errorf("%s form (-want +got):\n%s", op, diff)
		}
		if seen[i].userAgent != akismet.DefaultUserAgent {
			t.Errorf("%s User-Agent = %q, want %q", op, seen[i].userAgent, akismet.DefaultUserAgent)
		}
	}
}

func TestCheckOmitsEmptyFields(t *testing.T) {
	c, fake := newServer(t, testKey, nil)
	if _, err := c.Check(t.Context(), akismet.Comment{UserIP: "2001:db8::1"}); err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := url.Values{"api_key": {testKey}, "blog": {testSite}, "blog_charset": {"UTF-8"}, "user_ip": {"2001:db8::1"}}
	if diff := cmp.Diff(want, fake.requests()[0].form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
}

func TestSubmit(t *testing.T) {
	noIP := ham()
	noIP.UserIP = ""
	tests := []struct {
		name     string
		key      string
		override http.HandlerFunc
		comment  akismet.Comment
		wantErr  error
	}{
		{name: "OK", comment: ham()},
		{name: "ErrInvalidKey", key: "nope", comment: ham(), wantErr: akismet.ErrInvalidKey},
		{name: "ErrMissingUserIP", comment: noIP, wantErr: akismet.ErrInvalidComment},
		{name: "ErrStatus500", override: answer(http.StatusInternalServerError, ""), comment: ham(), wantErr: akismet.ErrUnavailable},
		{name: "ErrGarbageBody", override: answer(http.StatusOK, "true"), comment: ham(), wantErr: akismet.ErrUnexpectedResponse},
		{name: "ErrDebugHelp", override: answer(http.StatusOK, "Thanks for making the web a better place.", "X-akismet-debug-help", "Empty \"blog\" value"), comment: ham(), wantErr: akismet.ErrUnexpectedResponse},
	}
	for _, tt := range tests {
		for _, submit := range []struct {
			op string
			fn func(*akismet.Client, context.Context, akismet.Comment) error
		}{
			{"submit-spam", (*akismet.Client).SubmitSpam},
			{"submit-ham", (*akismet.Client).SubmitHam},
		} {
			t.Run(tt.name+"/"+submit.op, func(t *testing.T) {
				key := tt.key
				if key == "" {
					key = testKey
				}
				c, _ := newServer(t, key, tt.override)
				err := submit.fn(c, t.Context(), tt.comment)
				if tt.wantErr == nil {
					if err != nil {
						t.Fatalf("%s: %v", submit.op, err)
					}
					return
				}
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("%s error = %v, want %v", submit.op, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "akismet "+submit.op+": ") {
					t.Errorf("error %q does not name the operation", err)
				}
			})
		}
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		override http.HandlerFunc
		timeout  time.Duration
		wantErr  []error
	}{
		{name: "OK"},
		{name: "ErrInvalidKey", key: "nope", wantErr: []error{akismet.ErrInvalidKey}},
		{name: "ErrGarbageBody", override: answer(http.StatusOK, "maybe"), wantErr: []error{akismet.ErrUnexpectedResponse}},
		{name: "ErrStatus503", override: answer(http.StatusServiceUnavailable, "valid"), wantErr: []error{akismet.ErrUnavailable}},
		{name: "ErrDeadline", override: slow, timeout: 50 * time.Millisecond, wantErr: []error{akismet.ErrUnavailable, context.DeadlineExceeded}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.key
			if key == "" {
				key = testKey
			}
			c, fake := newServer(t, key, tt.override)
			ctx := t.Context()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			err := c.Verify(ctx)
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Verify error = %v, want %v", err, want)
				}
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			form := fake.requests()[0].form
			wantForm := url.Values{"api_key": {key}, "key": {key}, "blog": {testSite}}
			if diff := cmp.Diff(wantForm, form); diff != "" {
				t.Errorf("verify-key form (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     akismet.Config
		wantErr bool
	}{
		{name: "OK", cfg: akismet.Config{Key: "k", Site: "https://journal.example.fr"}},
		{name: "OKCustomEndpoint", cfg: akismet.Config{Key: "k", Site: "http://localhost:8080/", Endpoint: "https://antispam.example.net/1.1/"}},
		{name: "ErrEmptyKey", cfg: akismet.Config{Key: " ", Site: "https://journal.example.fr"}, wantErr: true},
		{name: "ErrEmptySite", cfg: akismet.Config{Key: "k"}, wantErr: true},
		{name: "ErrRelativeSite", cfg: akismet.Config{Key: "k", Site: "journal.example.fr"}, wantErr: true},
		{name: "ErrEndpointScheme", cfg: akismet.Config{Key: "k", Site: "https://journal.example.fr", Endpoint: "ftp://rest.example.net"}, wantErr: true},
		{name: "ErrEndpointUnparsable", cfg: akismet.Config{Key: "k", Site: "https://journal.example.fr", Endpoint: "https://exa mple.net/%zz"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := akismet.New(tt.cfg)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("New(%+v) = %v, nil; want an error", tt.cfg, c)
				}
				if !strings.HasPrefix(err.Error(), "new akismet client: ") {
					t.Errorf("error %q does not name the operation", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
		})
	}
}
