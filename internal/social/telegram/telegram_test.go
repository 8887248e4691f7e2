package telegram_test

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/telegram"
	"github.com/kiosque/kiosque/internal/social/telegram/telegramtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// clientTimeout is short so that the "hang" cases end quickly.
const clientTimeout = 500 * time.Millisecond

func newClient(s *telegramtest.Server) *telegram.Client {
	c := telegram.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: clientTimeout}))
	c.BaseURL = s.URL
	return c
}

func credsFor(s *telegramtest.Server, channel string) syndication.Credentials {
	return syndication.Credentials{
		Config:  map[string]string{"channel": channel},
		Secrets: map[string]string{"bot_token": s.Token},
	}
}

const link = "https://lagazette.example/2026/11/municipales"

func article() syndication.Post {
	return syndication.Post{
		Text:     "Élections municipales : ce qu’il faut savoir avant dimanche 🗳️\n" + link,
		Link:     link,
		Title:    "Élections municipales",
		Language: "fr",
	}
}

func TestPublish(t *testing.T) {
	tests := []struct {
		name       string
		channel    string
		private    bool
		post       syndication.Post
		wantChatID string // as the fake received it, in JSON
		wantText   string
		wantLP     *telegramtest.LinkPreviewOptions
		wantURL    string
	}{
		{
			name: "OK", channel: "@lagazette_info", post: article(),
			wantChatID: `"@lagazette_info"`, wantText: article().Text,
			wantLP:  &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			// Without parse_mode, markup characters show as typed.
			name: "OKMarkupCharacters", channel: "@lagazette_info",
			post:       syndication.Post{Text: "<b>Pas du gras</b> & « R&D » <3", Link: link},
			wantChatID: `"@lagazette_info"`, wantText: "<b>Pas du gras</b> & « R&D » <3",
			wantLP:  &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			name: "OKNumericChannel", channel: "-1001234567890", post: article(),
			wantChatID: `-1001234567890`, wantText: article().Text,
			wantLP:  &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			name: "OKChannelWithoutAt", channel: "lagazette_info", post: article(),
			wantChatID: `"@lagazette_info"`, wantText: article().Text,
			wantLP:  &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			name: "OKChannelLink", channel: "https://t.me/lagazette_info", post: article(),
			wantChatID: `"@lagazette_info"`, wantText: article().Text,
			wantLP:  &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			name: "OKPrivateChannel", channel: "-1001234567890", private: true, post: article(),
			wantChatID: `-1001234567890`, wantText: article().Text,
			wantLP: &telegramtest.LinkPreviewOptions{URL: link, PreferLargeMedia: true},
		},
		{
			name: "OKNoLink", channel: "@lagazette_info", post: syndication.Post{Text: "Brève sans lien"},
			wantChatID: `"@lagazette_info"`, wantText: "Brève sans lien",
			wantURL: "https://t.me/lagazette_info/42",
		},
		{
			// 2048 emoji are 4096 UTF-16 units: the most Telegram takes.
			name: "OKLongest", channel: "@lagazette_info", post: syndication.Post{Text: strings.Repeat("🗞", 2048)},
			wantChatID: `"@lagazette_info"`, wantText: strings.Repeat("🗞", 2048),
			wantURL: "https://t.me/lagazette_info/42",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telegramtest.NewServer(t)
			if tt.private {
				s.SetChannelUsername("")
			}
			got, err := newClient(s).Publish(context.Background(), credsFor(s, tt.channel),
				syndication.Attempt{Post: tt.post, Key: "kiosque:1:2:1"})
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			msgs := s.Messages()
			if len(msgs) != 1 {
				t.Fatalf("channel has %d messages, want 1", len(msgs))
			}
			want := telegramtest.Message{ChatID: s.ChannelID, MessageID: 42, Text: tt.wantText, RawText: tt.post.Text,
				LinkPreview: tt.wantLP, ChatIDJSON: tt.wantChatID}
			if diff := gocmp.Diff(want, msgs[0], cmpopts.IgnoreFields(telegramtest.Message{}, "Date")); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if want := (syndication.Remote{ID: "-1001234567890:42", URL: tt.wantURL}); got != want {
				t.Errorf("Remote = %+v, want %+v", got, want)
			}
		})
	}
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name         string
		setup        func(*telegramtest.Server)
		channel      string
		token        string
		text         string
		baseURL      string
		wantClass    syndication.Class
		wantStatus   int
		wantMsg      string
		wantRetry    time.Duration
		wantCause    error
		wantMessages int
		noRequest    bool
	}{
		{
			name:      "ErrRateLimited",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.RateLimited); s.SetRetryAfter(7) },
			wantClass: syndication.RateLimited, wantStatus: 429, wantMsg: "Too Many Requests: retry after 7", wantRetry: 7 * time.Second,
		},
		{
			name:      "ErrUnauthorized",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.Unauthorized) },
			wantClass: syndication.Auth, wantStatus: 401, wantMsg: "Unauthorized",
		},
		{
			name:      "ErrRevoked",
			setup:     func(s *telegramtest.Server) { s.RevokeToken() },
			wantClass: syndication.Auth, wantStatus: 401, wantMsg: "Unauthorized",
		},
		{
			name: "ErrOtherBot", token: "987654321:AAAnotherBotTokenXXXXXXXXXXXXXXXXXX",
			wantClass: syndication.Auth, wantStatus: 401, wantMsg: "Unauthorized",
		},
		{
			name:      "ErrKicked",
			setup:     func(s *telegramtest.Server) { s.SetBotMember("kicked", false) },
			wantClass: syndication.Auth, wantStatus: 403, wantMsg: "Forbidden: bot was kicked from the channel chat",
		},
		{
			name:      "ErrNotAdmin",
			setup:     func(s *telegramtest.Server) { s.SetBotMember("administrator", false) },
			wantClass: syndication.Auth, wantStatus: 400, wantMsg: "Bad Request: need administrator rights in the channel chat",
		},
		{
			name: "ErrChatNotFound", channel: "@une_autre_chaine",
			wantClass: syndication.Permanent, wantStatus: 400, wantMsg: "Bad Request: chat not found",
		},
		{
			name:      "ErrServerError",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.ServerError) },
			wantClass: syndication.Transient, wantStatus: 500, wantMsg: "Internal Server Error",
		},
		{
			name:      "ErrBadGateway",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.BadGateway) },
			wantClass: syndication.Transient, wantStatus: 502, wantMsg: "Bad Gateway",
		},
		{
			name:      "ErrHang",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.Hang) },
			wantClass: syndication.Ambiguous, wantMsg: "may be in the channel",
		},
		{
			name:      "ErrHangAfterSending",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.HangAfterSending) },
			wantClass: syndication.Ambiguous, wantMsg: "may be in the channel", wantMessages: 1,
		},
		{
			name:      "ErrMalformedJSON",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.MalformedJSON) },
			wantClass: syndication.Ambiguous, wantStatus: 200, wantMsg: "not the JSON expected",
		},
		{
			name:      "ErrRedirectLoop",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.RedirectLoop) },
			wantClass: syndication.Permanent, wantMsg: "redirect loop", wantCause: httpclient.ErrTooManyRedirects,
		},
		{
			// Nothing was sent: trying again cannot post twice.
			name: "ErrUnreachable", baseURL: closedServer(t),
			wantClass: syndication.Transient, wantMsg: "could not be reached",
		},
		{
			name: "ErrTooLong", text: strings.Repeat("🗞", 2048) + "!",
			wantClass: syndication.Permanent, wantMsg: "counts 4097 UTF-16 units", noRequest: true,
		},
		{
			name: "ErrNoText", text: " ",
			wantClass: syndication.Permanent, noRequest: true,
		},
		{
			name: "ErrTokenForm", token: "not a token/../x",
			wantClass: syndication.Auth, wantMsg: "BotFather", noRequest: true,
		},
		{
			name: "ErrNoChannel", channel: " ",
			wantClass: syndication.Auth, wantMsg: "no channel", noRequest: true,
		},
		{
			name: "ErrChannelForm", channel: "La Gazette",
			wantClass: syndication.Auth, wantMsg: "neither an @username", noRequest: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telegramtest.NewServer(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			creds := credsFor(s, cmp.Or(tt.channel, "@lagazette_info"))
			if tt.token != "" {
				creds.Secrets["bot_token"] = tt.token
			}
			post := article()
			if tt.text != "" {
				post.Text = tt.text
			}
			c := newClient(s)
			if tt.baseURL != "" {
				c.BaseURL = tt.baseURL
			}
			start := time.Now()
			_, err := c.Publish(context.Background(), creds, syndication.Attempt{Post: post, Key: "k"})
			var se *syndication.Error
			if !errors.As(err, &se) {
				t.Fatalf("Publish error = %v, want a *syndication.Error", err)
			}
			if se.Class != tt.wantClass || se.Status != tt.wantStatus {
				t.Errorf("class, status = %v, %d, want %v, %d (%v)", se.Class, se.Status, tt.wantClass, tt.wantStatus, err)
			}
			if !strings.Contains(se.Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", se.Message, tt.wantMsg)
			}
			if se.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", se.RetryAfter, tt.wantRetry)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Errorf("error = %v, want it to wrap %v", err, tt.wantCause)
			}
			if strings.Contains(err.Error(), s.Token) || strings.Contains(err.Error(), "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") {
				t.Errorf("error %q shows the bot token", err)
			}
			if n := len(s.Messages()); n != tt.wantMessages {
				t.Errorf("channel has %d messages, want %d", n, tt.wantMessages)
			}
			if calls := s.Calls(); tt.noRequest && len(calls) != 0 {
				t.Errorf("calls = %v, want none", calls)
			}
			if d := time.Since(start); d > 3*clientTimeout {
				t.Errorf("Publish took %v", d)
			}
		})
	}
}

// TestPublishAmbiguousOnce checks that an ambiguous failure is not retried
// behind the outbox's back: one request, whatever happened to it.
func TestPublishAmbiguousOnce(t *testing.T) {
	s := telegramtest.NewServer(t)
	s.FailNext(1, telegramtest.HangAfterSending)
	_, err := newClient(s).Publish(context.Background(), credsFor(s, "@lagazette_info"), syndication.Attempt{Post: article(), Key: "k"})
	if syndication.ClassOf(err) != syndication.Ambiguous {
		t.Fatalf("Publish = %v, want Ambiguous", err)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0] != "sendMessage" {
		t.Errorf("calls = %v, want one sendMessage", calls)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(*telegramtest.Server)
		channel   string
		want      syndication.Profile
		wantCalls []string
		wantClass syndication.Class
		wantMsg   string
	}{
		{
			name:      "OK",
			want:      syndication.Profile{Name: "La Gazette", URL: "https://t.me/lagazette_info"},
			wantCalls: []string{"getMe", "getChat", "getChatMember"},
		},
		{
			name: "OKPrivateChannel", channel: "-1001234567890",
			setup:     func(s *telegramtest.Server) { s.SetChannelUsername("") },
			want:      syndication.Profile{Name: "La Gazette"},
			wantCalls: []string{"getMe", "getChat", "getChatMember"},
		},
		{
			name:      "ErrRevoked",
			setup:     func(s *telegramtest.Server) { s.RevokeToken() },
			wantCalls: []string{"getMe"}, wantClass: syndication.Auth, wantMsg: "Unauthorized",
		},
		{
			name: "ErrChatNotFound", channel: "@une_autre_chaine",
			wantCalls: []string{"getMe", "getChat"}, wantClass: syndication.Permanent, wantMsg: "Bad Request: chat not found",
		},
		{
			name:      "ErrCannotPost",
			setup:     func(s *telegramtest.Server) { s.SetBotMember("administrator", false) },
			wantCalls: []string{"getMe", "getChat", "getChatMember"}, wantClass: syndication.Auth,
			wantMsg: `the bot @kiosque_bot is an administrator without the right to post of "La Gazette"`,
		},
		{
			name:      "ErrNotMember",
			setup:     func(s *telegramtest.Server) { s.SetBotMember("left", false) },
			wantCalls: []string{"getMe", "getChat", "getChatMember"}, wantClass: syndication.Auth,
			wantMsg: "left (not a member)",
		},
		{
			name:      "ErrKicked",
			setup:     func(s *telegramtest.Server) { s.SetBotMember("kicked", false) },
			wantCalls: []string{"getMe", "getChat"}, wantClass: syndication.Auth,
			wantMsg: "Forbidden: bot was kicked from the channel chat",
		},
		{
			// A read that got no answer is only worth another try.
			name:      "ErrHang",
			setup:     func(s *telegramtest.Server) { s.FailNext(1, telegramtest.Hang) },
			wantCalls: []string{"getMe"}, wantClass: syndication.Transient, wantMsg: "did not answer in time",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telegramtest.NewServer(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			got, err := newClient(s).Verify(context.Background(), credsFor(s, cmp.Or(tt.channel, "@lagazette_info")))
			if diff := gocmp.Diff(tt.wantCalls, s.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if tt.wantMsg != "" {
				var se *syndication.Error
				if !errors.As(err, &se) || se.Class != tt.wantClass || !strings.Contains(se.Message, tt.wantMsg) {
					t.Fatalf("Verify error = %v, want %v containing %q", err, tt.wantClass, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Errorf("Verify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	s := telegramtest.NewServer(t)
	c := newClient(s)
	creds := credsFor(s, "@lagazette_info")
	publish := func(t *testing.T) syndication.Remote {
		t.Helper()
		r, err := c.Publish(context.Background(), creds, syndication.Attempt{Post: article(), Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	deleted := func(id int64) bool {
		for _, m := range s.Messages() {
			if m.MessageID == id {
				return m.Deleted
			}
		}
		return false
	}

	t.Run("OK", func(t *testing.T) {
		r := publish(t)
		if err := c.Delete(context.Background(), creds, r); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if !deleted(42) {
			t.Errorf("message 42 not deleted: %+v", s.Messages())
		}
		t.Run("OKAlreadyGone", func(t *testing.T) {
			if err := c.Delete(context.Background(), creds, r); err != nil {
				t.Errorf("second Delete = %v, want nil (the message is gone)", err)
			}
		})
	})
	t.Run("OKBareMessageID", func(t *testing.T) {
		r := publish(t)
		_, id, _ := strings.Cut(r.ID, ":")
		if err := c.Delete(context.Background(), creds, syndication.Remote{ID: id}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if !deleted(43) {
			t.Errorf("message 43 not deleted: %+v", s.Messages())
		}
	})
	t.Run("ErrHang", func(t *testing.T) {
		r := publish(t)
		s.FailNext(1, telegramtest.Hang)
		if err := c.Delete(context.Background(), creds, r); syndication.ClassOf(err) != syndication.Transient {
			t.Errorf("Delete = %v, want Transient", err)
		}
	})
	t.Run("ErrAfter48Hours", func(t *testing.T) {
		r := publish(t)
		s.Advance(telegramtest.DeleteWindow + time.Minute)
		err := c.Delete(context.Background(), creds, r)
		var se *syndication.Error
		if !errors.As(err, &se) || se.Class != syndication.Permanent || se.Message != "Bad Request: message can't be deleted" {
			t.Errorf("Delete = %v, want Permanent with the API's message", err)
		}
	})
	t.Run("ErrID", func(t *testing.T) {
		for _, id := range []string{"", "abc", "-100:x", "x:42", "-1001234567890:0"} {
			if err := c.Delete(context.Background(), creds, syndication.Remote{ID: id}); syndication.ClassOf(err) != syndication.Permanent {
				t.Errorf("Delete(%q) = %v, want Permanent", id, err)
			}
		}
	})
}

// TestRawAnswers classifies answers the fake does not make: a proxy's 504
// (the message may have gone through), an empty result, an HTML 404.
func TestRawAnswers(t *testing.T) {
	tests := []struct {
		name      string
		code      int
		body      string
		header    http.Header
		verify    bool // call Verify (reads) instead of Publish
		wantClass syndication.Class
		wantRetry time.Duration
	}{
		{name: "ErrGatewayTimeoutPost", code: 504, body: "<html>504 Gateway Time-out</html>", wantClass: syndication.Ambiguous},
		{name: "ErrGatewayTimeoutRead", code: 504, body: "<html>504 Gateway Time-out</html>", verify: true, wantClass: syndication.Transient},
		{name: "ErrNullResult", code: 200, body: `{"ok":true,"result":null}`, wantClass: syndication.Ambiguous},
		{name: "ErrNullResultRead", code: 200, body: `{"ok":true,"result":null}`, verify: true, wantClass: syndication.Transient},
		{name: "ErrNotFoundPage", code: 404, body: "<html>Not Found</html>", wantClass: syndication.Auth},
		{name: "ErrRetryAfterHeader", code: 429, body: `{"ok":false,"error_code":429,"description":"Too Many Requests"}`,
			header: http.Header{"Retry-After": {"9"}}, wantClass: syndication.RateLimited, wantRetry: 9 * time.Second},
		{name: "ErrConflict", code: 409, body: `{"ok":false,"error_code":409,"description":"Conflict"}`, wantClass: syndication.Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c := telegram.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: clientTimeout}))
			c.BaseURL = srv.URL
			creds := syndication.Credentials{Config: map[string]string{"channel": "@lagazette_info"},
				Secrets: map[string]string{"bot_token": "123:abc"}}
			var err error
			if tt.verify {
				_, err = c.Verify(context.Background(), creds)
			} else {
				_, err = c.Publish(context.Background(), creds, syndication.Attempt{Post: article(), Key: "k"})
			}
			var se *syndication.Error
			if !errors.As(err, &se) || se.Class != tt.wantClass || se.RetryAfter != tt.wantRetry {
				t.Errorf("error = %v (%+v), want class %v, retry after %v", err, se, tt.wantClass, tt.wantRetry)
			}
		})
	}
}

// closedServer returns the address of a server that no longer listens.
func closedServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}
