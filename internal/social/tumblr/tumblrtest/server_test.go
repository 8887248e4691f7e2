package tumblrtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestCreatePostChecks(t *testing.T) {
	s := NewServer(t)
	tests := []struct {
		name   string
		body   string
		status int
	}{
		{"OK", `{"content":[{"type":"text","text":"Lire https://a.example/","formatting":[{"start":5,"end":23,"type":"link","url":"https://a.example/"}]}],"tags":"a,b"}`, http.StatusCreated},
		{"ErrTagsArray", `{"content":[{"type":"text","text":"a"}],"tags":["a","b"]}`, http.StatusBadRequest},
		{"ErrNoContent", `{"content":[]}`, http.StatusBadRequest},
		{"ErrLongText", `{"content":[{"type":"text","text":"` + strings.Repeat("é", 4097) + `"}]}`, http.StatusBadRequest},
		{"ErrRangeInBytes", `{"content":[{"type":"text","text":"é https://a.example/","formatting":[{"start":3,"end":21,"type":"link","url":"https://a.example/"}]}]}`, http.StatusBadRequest},
		{"ErrLinkWithoutURL", `{"content":[{"type":"link","title":"t"}]}`, http.StatusBadRequest},
		{"ErrPosterObject", `{"content":[{"type":"link","url":"https://a.example/","poster":{"url":"https://a.example/i.jpg"}}]}`, http.StatusBadRequest},
		{"ErrState", `{"content":[{"type":"text","text":"a"}],"state":"published-now"}`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", s.URL+"/v2/blog/lejournal/posts", strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+s.Token())
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			var env struct {
				Meta   struct{ Status int }
				Errors []struct {
					Title string
					Code  int
				}
			}
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || env.Meta.Status != tt.status {
				t.Fatalf("status %d (meta %d), want %d: %+v", resp.StatusCode, env.Meta.Status, tt.status, env.Errors)
			}
			if tt.status == http.StatusBadRequest && (len(env.Errors) == 0 || env.Errors[0].Code != 8001) {
				t.Errorf("errors = %+v, want code 8001", env.Errors)
			}
		})
	}
}
