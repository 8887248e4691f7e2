package x

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/x/xtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// newClient returns a client of srv whose requests give up after 300 ms.
func newClient(srv *xtest.Server) *Client {
	c := New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond}))
	c.BaseURL = srv.URL
	return c
}

func oauth1Creds(srv *xtest.Server) syndication.Credentials {
	return syndication.Credentials{Secrets: map[string]string{
		"api_key": srv.ConsumerKey, "api_secret": srv.ConsumerSecret,
		"access_token": srv.AccessToken, "access_token_secret": srv.AccessTokenSecret,
	}}
}

// oauth2Creds returns OAuth 2.0 credentials whose Rotate saves into saved.
func oauth2Creds(srv *xtest.Server, saved *map[string]string) syndication.Credentials {
	creds := syndication.Credentials{
		Config: map[string]string{"client_id": srv.ClientID},
		Secrets: map[string]string{
			"oauth2_token": srv.OAuth2Token(), "oauth2_refresh_token": srv.RefreshToken(),
			"client_secret": srv.ClientSecret,
		},
	}
	if saved != nil {
		creds.Rotate = func(_ context.Context, s map[string]string) error {
			*saved = s
			return nil
		}
	}
	return creds
}

func attempt(text string) syndication.Attempt {
	return syndication.Attempt{Key: "k1", Post: syndication.Post{Text: text, Link: "https://journal.example/a/1"}}
}

func TestPublish(t *testing.T) {
	const text = "Réforme des retraites : ce que change le vote de l'Assemblée 🇫🇷 https://journal.example/a/1"
	// 140 CJK characters weigh 280, X's maximum.
	cjk := strings.Repeat("漢", 140)
	tests := []struct {
		name  string
		creds func(*xtest.Server) syndication.Credentials
		text  string
	}{
		{"OK", oauth1Creds, text},
		{"OKOAuth2", func(s *xtest.Server) syndication.Credentials { return oauth2Creds(s, nil) }, text},
		{"OKFullWeight", oauth1Creds, cjk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			c := newClient(srv)
			r, err := c.Publish(t.Context(), tt.creds(srv), attempt(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			posts := srv.Posts()
			if len(posts) != 1 {
				t.Fatalf("posts = %+v, want 1", posts)
			}
			auth := "oauth1"
			if strings.HasSuffix(tt.name, "OAuth2") {
				auth = "oauth2"
			}
			want := syndication.Remote{ID: posts[0].ID, URL: "https://x.com/kiosque_test/status/" + posts[0].ID}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("remote (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(xtest.Post{ID: posts[0].ID, Text: tt.text, Auth: auth}, posts[0]); diff != "" {
				t.Errorf("post (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPublishCachesUsername(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(srv)
	creds := oauth1Creds(srv)
	for _, text := range []string{"Premier article", "Second article"} {
		if _, err := c.Publish(t.Context(), creds, attempt(text)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"GET /2/users/me", "POST /2/tweets", "POST /2/tweets"}
	if diff := cmp.Diff(want, srv.Requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*xtest.Server, *Client, syndication.Credentials)
		creds   func(*xtest.Server) syndication.Credentials
		text    string
		class   syndication.Class
		// posts is how many posts the fake holds afterwards.
		posts int
		check func(t *testing.T, err error)
	}{
		{name: "ErrTooLong", text: strings.Repeat("漢", 141), class: syndication.Permanent},
		{name: "ErrEmpty", text: " \n", class: syndication.Permanent},
		{name: "ErrNoCredentials", class: syndication.Auth,
			creds: func(*xtest.Server) syndication.Credentials {
				return syndication.Credentials{Secrets: map[string]string{"api_key": "k"}}
			}},
		{name: "ErrBadSignature", class: syndication.Auth,
			creds: func(s *xtest.Server) syndication.Credentials {
				creds := oauth1Creds(s)
				creds.Secrets["access_token_secret"] = "wrong-secret"
				return creds
			}},
		{name: "ErrDuplicate", class: syndication.Permanent, posts: 1,
			prepare: func(s *xtest.Server, c *Client, creds syndication.Credentials) {
				if _, err := c.Publish(context.Background(), creds, attempt("Un article")); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "You are not allowed to create a Tweet with duplicate content.") ||
					!strings.Contains(err.Error(), "does not give the id") {
					t.Errorf("err = %v, want X's duplicate message and that no id is known", err)
				}
			}},
		{name: "ErrRateLimited", class: syndication.RateLimited,
			prepare: func(s *xtest.Server, _ *Client, _ syndication.Credentials) {
				s.RateReset = 42 * time.Second
				s.Fail(xtest.RateLimited, 1)
			},
			check: func(t *testing.T, err error) {
				var e *syndication.Error
				errors.As(err, &e)
				if e.RetryAfter < 40*time.Second || e.RetryAfter > 43*time.Second {
					t.Errorf("RetryAfter = %v, want about 42 s (x-rate-limit-reset)", e.RetryAfter)
				}
			}},
		{name: "ErrUnauthorized", class: syndication.Auth,
			prepare: func(s *xtest.Server, _ *Client, _ syndication.Credentials) { s.Fail(xtest.Unauthorized, 1) }},
		{name: "ErrServer", class: syndication.Transient,
			prepare: func(s *xtest.Server, _ *Client, _ syndication.Credentials) { s.Fail(xtest.ServerError, 1) }},
		{name: "ErrHangBeforePosting", class: syndication.Transient,
			prepare: func(s *xtest.Server, _ *Client, _ syndication.Credentials) { s.Fail(xtest.Hang, 1) }},
		{name: "ErrHangAfterPosting", class: syndication.Ambiguous, posts: 1,
			prepare: func(s *xtest.Server, c *Client, creds syndication.Credentials) {
				warm(c, creds)
				s.Fail(xtest.Hang, 1)
			}},
		{name: "ErrMalformed", class: syndication.Ambiguous,
			prepare: func(s *xtest.Server, c *Client, creds syndication.Credentials) {
				warm(c, creds)
				s.Fail(xtest.Malformed, 1)
			}},
		{name: "ErrRedirectLoop", class: syndication.Transient,
			prepare: func(s *xtest.Server, c *Client, creds syndication.Credentials) {
				warm(c, creds)
				s.Fail(xtest.RedirectLoop, 10)
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, httpclient.ErrTooManyRedirects) {
					t.Errorf("err = %v, want ErrTooManyRedirects", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			c := newClient(srv)
			if tt.creds == nil {
				tt.creds = oauth1Creds
			}
			creds := tt.creds(srv)
			if tt.prepare != nil {
				tt.prepare(srv, c, creds)
			}
			if tt.text == "" {
				tt.text = "Un article"
			}
			_, err := c.Publish(t.Context(), creds, attempt(tt.text))
			if got := socialtest.ClassOf(t, err, srv.ConsumerSecret, srv.AccessTokenSecret, srv.AccessToken); got != tt.class {
				t.Errorf("class = %v, want %v (err %v)", got, tt.class, err)
			}
			if got := len(srv.Posts()); got != tt.posts {
				t.Errorf("fake holds %d posts, want %d", got, tt.posts)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

// warm makes c know the account's user name, so that the next request is
// the post itself.
func warm(c *Client, creds syndication.Credentials) {
	if _, err := c.Verify(context.Background(), creds); err != nil {
		panic(err)
	}
}

func TestPublishRefreshesOAuth2Token(t *testing.T) {
	for _, confidential := range []bool{true, false} {
		name := "OKConfidential"
		if !confidential {
			name = "OKPublicClient"
		}
		t.Run(name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			if !confidential {
				srv.ClientSecret = ""
			}
			c := newClient(srv)
			var saved map[string]string
			creds := oauth2Creds(srv, &saved)
			srv.ExpireOAuth2Token()
			if _, err := c.Publish(t.Context(), creds, attempt("Un article")); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"oauth2_token": srv.OAuth2Token(), "oauth2_refresh_token": srv.RefreshToken()}
			if diff := cmp.Diff(want, saved); diff != "" {
				t.Errorf("rotated secrets (-want +got):\n%s", diff)
			}
			// The next call with the saved tokens needs no refresh.
			creds.Secrets["oauth2_token"], creds.Secrets["oauth2_refresh_token"] = saved["oauth2_token"], saved["oauth2_refresh_token"]
			if _, err := c.Publish(t.Context(), creds, attempt("Un autre article")); err != nil {
				t.Fatal(err)
			}
			if got := srv.Refreshes(); got != 1 {
				t.Errorf("refreshes = %d, want 1", got)
			}
			if got := len(srv.Posts()); got != 2 {
				t.Errorf("posts = %d, want 2", got)
			}
		})
	}
}

func TestPublishRotateFails(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(srv)
	creds := oauth2Creds(srv, nil)
	fail := true
	var saved map[string]string
	creds.Rotate = func(_ context.Context, s map[string]string) error {
		if fail {
			return errors.New("database is locked")
		}
		saved = s
		return nil
	}
	srv.ExpireOAuth2Token()
	_, err := c.Publish(t.Context(), creds, attempt("Un article"))
	if got := socialtest.ClassOf(t, err); got != syndication.Transient {
		t.Fatalf("class = %v, want transient (err %v)", got, err)
	}
	if n := len(srv.Posts()); n != 0 {
		t.Fatalf("posted %d times before saving the new token", n)
	}
	// The next attempt comes with the spent refresh token: the client
	// uses the tokens it got, and saves them.
	fail = false
	if _, err := c.Publish(t.Context(), creds, attempt("Un article")); err != nil {
		t.Fatal(err)
	}
	if got := srv.Refreshes(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
	if saved["oauth2_refresh_token"] != srv.RefreshToken() {
		t.Errorf("saved refresh token is not the current one")
	}
}

func TestPublishRefreshRefused(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(srv)
	creds := oauth2Creds(srv, nil)
	creds.Secrets["oauth2_refresh_token"] = "revoked"
	srv.ExpireOAuth2Token()
	_, err := c.Publish(t.Context(), creds, attempt("Un article"))
	if got := socialtest.ClassOf(t, err, "revoked"); got != syndication.Auth {
		t.Fatalf("class = %v, want auth (err %v)", got, err)
	}
	if !strings.Contains(err.Error(), "Value passed for the token was invalid.") {
		t.Errorf("err = %v, want X's words", err)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name  string
		creds func(*xtest.Server) syndication.Credentials
		want  syndication.Profile
		class syndication.Class
	}{
		{name: "OK", creds: oauth1Creds, want: syndication.Profile{Name: "Kiosque Test", URL: "https://x.com/kiosque_test"}},
		{name: "OKOAuth2", creds: func(s *xtest.Server) syndication.Credentials { return oauth2Creds(s, nil) },
			want: syndication.Profile{Name: "Kiosque Test", URL: "https://x.com/kiosque_test"}},
		{name: "ErrBadConsumerSecret", class: syndication.Auth, creds: func(s *xtest.Server) syndication.Credentials {
			creds := oauth1Creds(s)
			creds.Secrets["api_secret"] = "nope"
			return creds
		}},
		{name: "ErrUnknownToken", class: syndication.Auth, creds: func(s *xtest.Server) syndication.Credentials {
			creds := oauth1Creds(s)
			creds.Secrets["access_token"] = "1-unknown"
			return creds
		}},
		{name: "ErrBadBearer", class: syndication.Auth, creds: func(s *xtest.Server) syndication.Credentials {
			return syndication.Credentials{Secrets: map[string]string{"oauth2_token": "nope"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			got, err := newClient(srv).Verify(t.Context(), tt.creds(srv))
			if tt.class != 0 || strings.HasPrefix(tt.name, "Err") {
				if c := socialtest.ClassOf(t, err); c != tt.class {
					t.Fatalf("class = %v, want %v (err %v)", c, tt.class, err)
				}
				if !strings.Contains(err.Error(), "Unauthorized") {
					t.Errorf("err = %v, want X's message", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyFailures(t *testing.T) {
	tests := []struct {
		name    string
		failure xtest.Failure
		class   syndication.Class
	}{
		{"ErrMalformed", xtest.Malformed, syndication.Transient},
		{"ErrHang", xtest.Hang, syndication.Transient},
		{"ErrServer", xtest.ServerError, syndication.Transient},
		{"ErrRateLimited", xtest.RateLimited, syndication.RateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			srv.Fail(tt.failure, 1)
			_, err := newClient(srv).Verify(t.Context(), oauth1Creds(srv))
			if got := socialtest.ClassOf(t, err); got != tt.class {
				t.Errorf("class = %v, want %v (err %v)", got, tt.class, err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(srv)
	creds := oauth1Creds(srv)
	r, err := c.Publish(t.Context(), creds, attempt("Un article"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(t.Context(), creds, r); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Posts()); n != 0 {
			t.Errorf("fake still holds %d posts", n)
		}
	})
	t.Run("OKAlreadyGone", func(t *testing.T) {
		if err := c.Delete(t.Context(), creds, r); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBadID", func(t *testing.T) {
		err := c.Delete(t.Context(), creds, syndication.Remote{ID: "../users/me"})
		if got := socialtest.ClassOf(t, err); got != syndication.Permanent {
			t.Errorf("class = %v, want permanent", got)
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		srv.Fail(xtest.Unauthorized, 1)
		err := c.Delete(t.Context(), creds, r)
		if got := socialtest.ClassOf(t, err); got != syndication.Auth {
			t.Errorf("class = %v, want auth", got)
		}
	})
}

// TestSignature checks the signer against the example of X's « Creating
// a signature » page, and against the fake's own implementation.
func TestSignature(t *testing.T) {
	o := oauth1{
		consumerKey:    "xvz1evFS4wEEPTGEFPHBog",
		consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		token:          "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
		tokenSecret:    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
	}
	u, _ := url.Parse("https://api.twitter.com/1.1/statuses/update.json?include_entities=true")
	form := url.Values{"status": {"Hello Ladies + Gentlemen, a signed OAuth request!"}}
	params := map[string]string{
		"oauth_consumer_key": o.consumerKey, "oauth_nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "1318622958", "oauth_token": o.token, "oauth_version": "1.0",
	}
	const base = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26" +
		"oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26" +
		"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26" +
		"oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26" +
		"status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	if got := baseString("POST", u, form, params); got != base {
		t.Errorf("base string =\n%s\nwant\n%s", got, base)
	}
	header := o.authorizationAt("POST", u, form, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958)
	// The page's worked result; its « Authorizing a request » page shows
	// another value that no implementation reproduces from these inputs.
	const want = "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
	if !strings.Contains(header, `oauth_signature="`+encode(want)+`"`) {
		t.Errorf("header = %s\nwant signature %s", header, want)
	}
	if got := xtest.Signature("POST", "https://api.twitter.com/1.1/statuses/update.json", u.Query(), form, params,
		o.consumerSecret, o.tokenSecret); got != want {
		t.Errorf("fake's signature = %s, want %s", got, want)
	}
}

func TestBaseURI(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://API.X.com:80/2/tweets?a=b": "http://api.x.com/2/tweets",
		"https://api.x.com:443/2/tweets":   "https://api.x.com/2/tweets",
		"http://127.0.0.1:8080/2/tweets/1": "http://127.0.0.1:8080/2/tweets/1",
	} {
		u, _ := url.Parse(in)
		if got := baseURI(u); got != want {
			t.Errorf("baseURI(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"Window", map[string]string{"x-rate-limit-reset": at(7 * time.Minute), "x-rate-limit-remaining": "0"}, 7 * time.Minute},
		{"DailyUserCap", map[string]string{
			"x-rate-limit-reset": at(7 * time.Minute), "x-rate-limit-remaining": "12",
			"x-user-limit-24hour-reset": at(5 * time.Hour), "x-user-limit-24hour-remaining": "0",
		}, 5 * time.Hour},
		{"DailyCapNotSpent", map[string]string{
			"x-rate-limit-reset": at(7 * time.Minute), "x-rate-limit-remaining": "0",
			"x-app-limit-24hour-reset": at(5 * time.Hour), "x-app-limit-24hour-remaining": "800",
		}, 7 * time.Minute},
		{"NoHeader", nil, defaultRateWait},
		{"Past", map[string]string{"x-rate-limit-reset": at(-time.Minute)}, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}
