package linkedintest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRender(t *testing.T) {
	tests := []struct {
		in   string
		want rendered
	}{
		{`a \(b\) \#c`, rendered{Text: "a (b) #c"}},
		{"#Tag et {hashtag|\\#|Autre}", rendered{Text: "#Tag et #Autre", Hashtags: []string{"Tag", "Autre"}}},
		{"Bonjour @[Le Journal](urn:li:organization:2414183) !", rendered{Text: "Bonjour Le Journal !", Mentions: []string{"urn:li:organization:2414183"}}},
		{"coupé (ici) et pas là", rendered{Text: "coupé ", Cut: true}},
		{"a_b", rendered{Text: "a", Cut: true}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, render(tt.in)); diff != "" {
			t.Errorf("render(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestRestHeaders(t *testing.T) {
	s := NewServer(t)
	tests := []struct {
		name    string
		version string
		restli  string
		status  int
		code    string
	}{
		{"OK", "202609", "2.0.0", http.StatusOK, ""},
		{"ErrNoVersion", "", "2.0.0", http.StatusBadRequest, "VERSION_MISSING"},
		{"ErrSunsetVersion", "202401", "2.0.0", http.StatusUpgradeRequired, "NONEXISTENT_VERSION"},
		{"ErrNoRestli", "202609", "", http.StatusBadRequest, "INVALID_PROTOCOL_VERSION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.URL+"/rest/organizations/"+s.OrgID, nil)
			req.Header.Set("Authorization", "Bearer "+s.Token)
			if tt.version != "" {
				req.Header.Set("LinkedIn-Version", tt.version)
			}
			if tt.restli != "" {
				req.Header.Set("X-Restli-Protocol-Version", tt.restli)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.code) {
				t.Errorf("status %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
}
