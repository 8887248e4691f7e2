package xtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signed returns a request to s signed for its keys with nonce and ts,
// built here from Signature so that the fake's checks can be tested on
// their own.
func signed(t *testing.T, s *Server, method, path, body, nonce string, ts time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	p := map[string]string{
		"oauth_consumer_key": s.ConsumerKey, "oauth_nonce": nonce, "oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp": strconv.FormatInt(ts.Unix(), 10), "oauth_token": s.AccessToken, "oauth_version": "1.0",
	}
	p["oauth_signature"] = Signature(method, "http://"+req.URL.Host+req.URL.Path, req.URL.Query(), nil, p,
		s.ConsumerSecret, s.AccessTokenSecret)
	var parts []string
	for k, v := range p {
		parts = append(parts, fmt.Sprintf(`%s="%s"`, k, rfc3986(v)))
	}
	req.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
	return req
}

// answer makes req and returns its status and decoded JSON body.
func answer(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return resp.StatusCode, body
}

func TestOAuth1Checks(t *testing.T) {
	s := NewServer(t)
	now := time.Now()
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"OK", func() *http.Request { return signed(t, s, "GET", "/2/users/me", "", "n1", now) }, http.StatusOK},
		{"ErrReplayedNonce", func() *http.Request { return signed(t, s, "GET", "/2/users/me", "", "n1", now) }, http.StatusUnauthorized},
		{"ErrStaleTimestamp", func() *http.Request {
			return signed(t, s, "GET", "/2/users/me", "", "n2", now.Add(-10*time.Minute))
		}, http.StatusUnauthorized},
		{"ErrTampered", func() *http.Request {
			req := signed(t, s, "GET", "/2/users/me", "", "n3", now)
			req.URL.RawQuery = "user.fields=id"
			return req
		}, http.StatusUnauthorized},
		{"ErrNoAuth", func() *http.Request {
			req, _ := http.NewRequest("GET", s.URL+"/2/users/me", nil)
			return req
		}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := answer(t, tt.req())
			if status != tt.status {
				t.Errorf("status = %d, want %d (%v)", status, tt.status, body)
			}
			if tt.status == http.StatusUnauthorized && body["title"] != "Unauthorized" {
				t.Errorf("body = %v, want X's problem", body)
			}
		})
	}
}

func TestCreatePostChecks(t *testing.T) {
	s := NewServer(t)
	tests := []struct {
		name   string
		body   string
		status int
		typ    string
	}{
		{"OK", `{"text":"` + strings.Repeat("a", 256) + ` https://journal.example/un-article-au-titre-long"}`, http.StatusCreated, ""},
		{"ErrTooLong", `{"text":"` + strings.Repeat("漢", 141) + `"}`, http.StatusBadRequest, "https://api.twitter.com/2/problems/invalid-request"},
		{"ErrUnknownField", `{"text":"a","status":"b"}`, http.StatusBadRequest, "https://api.twitter.com/2/problems/invalid-request"},
		{"ErrTextNotString", `{"text":42}`, http.StatusBadRequest, "https://api.twitter.com/2/problems/invalid-request"},
		{"ErrEmpty", `{}`, http.StatusBadRequest, "https://api.twitter.com/2/problems/invalid-request"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := answer(t, signed(t, s, "POST", "/2/tweets", tt.body, "c"+strconv.Itoa(i), time.Now()))
			if status != tt.status {
				t.Fatalf("status = %d, want %d (%v)", status, tt.status, body)
			}
			if tt.typ != "" && body["type"] != tt.typ {
				t.Errorf("type = %v, want %s", body["type"], tt.typ)
			}
		})
	}
	if n := len(s.Posts()); n != 1 {
		t.Errorf("posts = %d, want 1", n)
	}
}

func TestToken(t *testing.T) {
	s := NewServer(t)
	refresh := s.RefreshToken()
	post := func(form url.Values, basic bool) int {
		req, _ := http.NewRequest("POST", s.URL+"/2/oauth2/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(s.ClientID, s.ClientSecret)
		}
		status, _ := answer(t, req)
		return status
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {s.ClientID}}
	if got := post(form, false); got != http.StatusUnauthorized {
		t.Errorf("without Basic: status = %d, want 401", got)
	}
	if got := post(form, true); got != http.StatusOK {
		t.Errorf("status = %d, want 200", got)
	}
	if got := post(form, true); got != http.StatusBadRequest {
		t.Errorf("spent refresh token: status = %d, want 400", got)
	}
}
