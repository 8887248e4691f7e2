package graph

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/syndication"
)

func TestClass(t *testing.T) {
	tests := []struct {
		name   string
		err    APIError
		status int
		want   syndication.Class
	}{
		{"expired token", APIError{Code: 190, ErrorSubcode: 463}, 400, syndication.Auth},
		{"missing permission", APIError{Code: 200}, 403, syndication.Auth},
		{"app limit", APIError{Code: 4, IsTransient: true}, 400, syndication.RateLimited},
		{"user limit", APIError{Code: 17}, 400, syndication.RateLimited},
		{"page limit", APIError{Code: 32}, 400, syndication.RateLimited},
		{"custom limit", APIError{Code: 613}, 400, syndication.RateLimited},
		{"page business use case", APIError{Code: 80001}, 400, syndication.RateLimited},
		{"publishing limit", APIError{Code: 9, ErrorSubcode: 2207042}, 400, syndication.RateLimited},
		{"blocked", APIError{Code: 368}, 400, syndication.Permanent},
		{"invalid parameter", APIError{Code: 100}, 400, syndication.Permanent},
		{"duplicate", APIError{Code: 506}, 400, syndication.Permanent},
		{"unknown error", APIError{Code: 1}, 500, syndication.Transient},
		{"service", APIError{Code: 2}, 503, syndication.Transient},
		{"transient flag", APIError{Code: 12345, IsTransient: true}, 400, syndication.Transient},
		{"other 5xx", APIError{Code: 12345}, 502, syndication.Transient},
		{"other 4xx", APIError{Code: 12345}, 400, syndication.Permanent},
		{"401", APIError{Code: 12345}, 401, syndication.Auth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Class(tt.status); got != tt.want {
				t.Errorf("Class = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"Retry-After", map[string]string{"Retry-After": "30"}, 30 * time.Second},
		{"business use case, longest entry", map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"pages","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":4}],"2":[{"type":"instagram","call_count":3,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":9}]}`}, 9 * time.Minute},
		{"app usage", map[string]string{"X-App-Usage": `{"call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":2}`}, 2 * time.Minute},
		{"page usage without an estimate", map[string]string{"X-Page-Usage": `{"call_count":100,"total_cputime":1,"total_time":1}`}, 0},
		{"malformed", map[string]string{"X-Business-Use-Case-Usage": `{"1":`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := RetryAfter(h); got != tt.want {
				t.Errorf("RetryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorOfNotGraph(t *testing.T) {
	e := ErrorOf("GET x", http.StatusBadGateway, http.Header{}, []byte("<html>Bad gateway</html>"))
	if e.Class != syndication.Transient {
		t.Errorf("HTML 502: class %s, want transient", e.Class)
	}
	e = ErrorOf("GET x", http.StatusTooManyRequests, http.Header{"Retry-After": {"5"}}, nil)
	if e.Class != syndication.RateLimited || e.RetryAfter != 5*time.Second {
		t.Errorf("429: %s after %v", e.Class, e.RetryAfter)
	}
}

func TestAccountOf(t *testing.T) {
	creds := func(id, token string) syndication.Credentials {
		return syndication.Credentials{Config: map[string]string{"user_id": id}, Secrets: map[string]string{"access_token": token}}
	}
	tests := []struct {
		name    string
		creds   syndication.Credentials
		want    Account
		message string
	}{
		{"OK", creds(" 1789 ", "tok"), Account{ID: "1789", Token: "tok"}, ""},
		{"ErrNoID", creds("", "tok"), Account{}, "the account has no user_id"},
		{"ErrNoToken", creds("1789", ""), Account{}, "the account has no access_token"},
		{"ErrPath", creds("1789/feed", "tok"), Account{}, "user_id is not a Threads user id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AccountOf(tt.creds, "user_id", "access_token", "a Threads user id")
			if tt.message == "" {
				if err != nil || got != tt.want {
					t.Errorf("AccountOf = %+v, %v, want %+v", got, err, tt.want)
				}
				return
			}
			var e *syndication.Error
			if !errors.As(err, &e) || e.Class != syndication.Auth || e.Message != tt.message {
				t.Errorf("err = %v, want auth: %s", err, tt.message)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	for _, tt := range []struct{ configured, want string }{
		{"", "https://graph.facebook.com/v25.0"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/v25.0"},
	} {
		if got := BaseURL(tt.configured, "https://graph.facebook.com", Version); got != tt.want {
			t.Errorf("BaseURL(%q) = %q, want %q", tt.configured, got, tt.want)
		}
	}
}
