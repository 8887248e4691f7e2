package mastodontest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/testutil"
)

// post sends a status as a client would and returns the answer.
func post(t *testing.T, s *mastodontest.Server, contentType, body, key string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/statuses", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", contentType)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, m
}

// TestShapes compares the fake's Status and Account with real Mastodon
// answers: every field a real instance sends is there, with the same JSON
// type (or null where the real one has a value, as a card not yet fetched).
func TestShapes(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "activitypub", "mastodon-api")
	s := mastodontest.NewServer(t)
	code, status := post(t, s, "application/json", `{"status":"Bonjour https://lagazette.example/a","language":"fr"}`, "")
	if code != http.StatusOK {
		t.Fatalf("POST status = %d %v", code, status)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	_, account := do(t, req)

	for _, tc := range []struct {
		name    string
		fixture string
		path    []string // where the entity sits in the fixture
		got     map[string]any
	}{
		{"StatusWithCard", "status_with_previewcard.json", nil, status},
		{"Status", "status.json", nil, status},
		{"StatusAccount", "status_with_previewcard.json", []string{"account"}, status["account"].(map[string]any)},
		{"Account", "account.json", nil, account},
		{"CredentialAccount", "status_with_previewcard.json", []string{"account"}, account},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tc.fixture))
			if err != nil {
				t.Skipf("skipping: %v", err)
			}
			var want map[string]any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			for _, k := range tc.path {
				want = want[k].(map[string]any)
			}
			for k, wv := range want {
				gv, ok := tc.got[k]
				if !ok {
					t.Errorf("field %q missing (real value %v)", k, wv)
					continue
				}
				if wv != nil && gv != nil && kind(wv) != kind(gv) {
					t.Errorf("field %q is a %s, real Mastodon sends a %s", k, kind(gv), kind(wv))
				}
			}
		})
	}
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

func TestCountLength(t *testing.T) {
	tests := []struct {
		name, text, cw string
		want           int
	}{
		{"OKPlain", "Bonjour", "", 7},
		{"OKAccents", "Élections à Saint-Étienne", "", 25},
		{"OKCombiningAccent", "e\u0301te\u0301", "", 3},
		{"OKFamilyEmoji", "👨‍👩‍👧‍👦 🇫🇷", "", 3},
		{"OKLink", "Lire https://lagazette.example/2026/11/un-article-au-titre-interminable", "", 5 + 23},
		{"OKShortLink", "https://a.fr", "", 23},
		{"OKLinkThenDot", "Voir https://lagazette.example/a.", "", 5 + 23 + 1},
		{"OKRemoteMention", "Merci @redaction@mastodon.social !", "", len("Merci @redaction !")},
		{"OKLocalMention", "Merci @redaction", "", 16},
		{"OKContentWarning", "Texte", "Politique", 14},
		{"OKBlank", "   ", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mastodontest.CountLength(tt.text, tt.cw); got != tt.want {
				t.Errorf("CountLength(%q, %q) = %d, want %d", tt.text, tt.cw, got, tt.want)
			}
		})
	}
}

func TestCreateStatus(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantCode    int
		wantError   string
		want        mastodontest.Post
	}{
		{
			name: "OKJSON", contentType: "application/json",
			body:     `{"status":"Bonjour","visibility":"unlisted","language":"fr"}`,
			wantCode: http.StatusOK, want: mastodontest.Post{Text: "Bonjour", Visibility: "unlisted", Language: "fr"},
		},
		{
			name: "OKForm", contentType: "application/x-www-form-urlencoded",
			body:     url.Values{"status": {"Bonjour & bonsoir"}, "language": {"fr"}}.Encode(),
			wantCode: http.StatusOK, want: mastodontest.Post{Text: "Bonjour & bonsoir", Visibility: "public", Language: "fr"},
		},
		{
			name: "OKUnknownLanguageDropped", contentType: "application/json",
			body:     `{"status":"Bonjour","language":"français"}`,
			wantCode: http.StatusOK, want: mastodontest.Post{Text: "Bonjour", Visibility: "public"},
		},
		{
			name: "OK500WithLinks", contentType: "application/json",
			body:     `{"status":"` + strings.Repeat("a", 476) + ` https://lagazette.example/` + strings.Repeat("x", 100) + `"}`,
			wantCode: http.StatusOK,
			want:     mastodontest.Post{Text: strings.Repeat("a", 476) + " https://lagazette.example/" + strings.Repeat("x", 100), Visibility: "public"},
		},
		{
			name: "ErrTooLong", contentType: "application/json",
			body:     `{"status":"` + strings.Repeat("é", 501) + `"}`,
			wantCode: http.StatusUnprocessableEntity, wantError: "Validation failed: Text character limit of 500 exceeded",
		},
		{
			name: "ErrBlank", contentType: "application/json", body: `{"status":"  "}`,
			wantCode: http.StatusUnprocessableEntity, wantError: "Validation failed: Text can't be blank",
		},
		{
			name: "ErrOtherContentType", contentType: "text/plain", body: "Bonjour",
			wantCode: http.StatusUnprocessableEntity, wantError: "Validation failed: Text can't be blank",
		},
		{
			name: "ErrStatusNotString", contentType: "application/json", body: `{"status":42}`,
			wantCode: http.StatusBadRequest, wantError: "status must be a string",
		},
		{
			name: "ErrBadJSON", contentType: "application/json", body: `{"status":`,
			wantCode: http.StatusBadRequest, wantError: "Error occurred while parsing request parameters",
		},
		{
			name: "ErrVisibility", contentType: "application/json", body: `{"status":"a","visibility":"world"}`,
			wantCode: http.StatusUnprocessableEntity, wantError: "'world' is not a valid visibility",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mastodontest.NewServer(t)
			code, body := post(t, s, tt.contentType, tt.body, "")
			if code != tt.wantCode {
				t.Fatalf("status %d %v, want %d", code, body, tt.wantCode)
			}
			if tt.wantError != "" {
				if body["error"] != tt.wantError {
					t.Errorf("error = %v, want %q", body["error"], tt.wantError)
				}
				if n := len(s.Posts()); n != 0 {
					t.Errorf("%d posts, want none", n)
				}
				return
			}
			posts := s.Posts()
			if len(posts) != 1 {
				t.Fatalf("%d posts, want 1", len(posts))
			}
			got := posts[0]
			if got.Text != tt.want.Text || got.Visibility != tt.want.Visibility || got.Language != tt.want.Language {
				t.Errorf("post = %+v, want %+v", got, tt.want)
			}
			if body["id"] != got.ID || body["url"] != got.URL {
				t.Errorf("answer id, url = %v, %v, want %s, %s", body["id"], body["url"], got.ID, got.URL)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	s := mastodontest.NewServer(t)
	tests := []struct {
		name, auth string
		wantCode   int
		wantError  string
	}{
		{"ErrNone", "", http.StatusUnauthorized, "The access token is invalid"},
		{"ErrWrong", "Bearer nope", http.StatusUnauthorized, "The access token is invalid"},
		{"ErrNotBearer", "Token " + s.Token, http.StatusUnauthorized, "The access token is invalid"},
		{"ErrReadScope", "Bearer " + s.ReadToken, http.StatusForbidden, "This action is outside the authorized scopes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/statuses", strings.NewReader(`{"status":"a"}`))
			req.Header.Set("Content-Type", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			code, body := do(t, req)
			if code != tt.wantCode || body["error"] != tt.wantError {
				t.Errorf("answer %d %v, want %d %q", code, body, tt.wantCode, tt.wantError)
			}
		})
	}
}

// TestIdempotencyKey checks the key's scope (one token) and its one-hour
// life.
func TestIdempotencyKey(t *testing.T) {
	s := mastodontest.NewServer(t)
	_, first := post(t, s, "application/json", `{"status":"Un"}`, "k")
	_, same := post(t, s, "application/json", `{"status":"Deux"}`, "k")
	if first["id"] != same["id"] || same["content"] != "<p>Un</p>" {
		t.Errorf("same key gave %v then %v, want the first status again", first["id"], same["id"])
	}
	s.Advance(mastodontest.IdempotencyWindow + time.Second)
	_, later := post(t, s, "application/json", `{"status":"Trois"}`, "k")
	if later["id"] == first["id"] {
		t.Errorf("key reused after an hour gave the old status %v, want a new one", later["id"])
	}
	if n := len(s.Posts()); n != 2 {
		t.Errorf("%d posts, want 2", n)
	}
}

func TestFailures(t *testing.T) {
	s := mastodontest.NewServer(t)
	s.FailNext(1, mastodontest.RateLimited)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	reset, err := time.Parse(time.RFC3339Nano, resp.Header.Get("X-RateLimit-Reset"))
	if resp.StatusCode != http.StatusTooManyRequests || err != nil || reset.Sub(s.Now()) < 4*time.Minute {
		t.Errorf("rate limited answer: %d, reset %q (%v)", resp.StatusCode, resp.Header.Get("X-RateLimit-Reset"), err)
	}
	// The failure was used up: the next request is answered.
	if code, _ := do(t, req); code != http.StatusOK {
		t.Errorf("next request answered %d, want 200", code)
	}
}
