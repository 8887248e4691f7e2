package ap

import (
	"net/http/httptest"
	"testing"
)

// TestWantsActivityPub reads the Accept headers fediverse servers send, and
// browsers'.
func TestWantsActivityPub(t *testing.T) {
	for _, tt := range []struct {
		accept string
		want   bool
	}{
		{"application/activity+json", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{`application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"application/ld+json", false},
		{"application/json", false},
		{"*/*", false},
		{"", false},
		{"application/activity+json;q=0.9, text/html", true},
		{"garbage;;;", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", tt.accept)
		if got := WantsActivityPub(r); got != tt.want {
			t.Errorf("Accept %q: %v, want %v", tt.accept, got, tt.want)
		}
	}
}
