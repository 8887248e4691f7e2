package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/web/api"
)

type errBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

type listBody struct {
	Data  []api.Article `json:"data"`
	Meta  api.Meta      `json:"meta"`
	Links api.Links     `json:"links"`
}

func getJSON(t *testing.T, s *apptest.Site, path string, want int, v any) *http.Response {
	t.Helper()
	resp, body := s.Get(t, path)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return resp
}

func TestArticles(t *testing.T) {
	run := func(t *testing.T, s *apptest.Site) {
		var b listBody
		resp := getJSON(t, s, "/api/v1/articles", http.StatusOK, &b)
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Error("no CORS header")
		}
		if len(b.Data) != api.DefaultLimit || b.Meta.Total != 31 || b.Meta.Pages != 4 || b.Meta.Page != 1 || b.Meta.Limit != 10 {
			t.Errorf("meta = %+v, %d items", b.Meta, len(b.Data))
		}
		if b.Links.Next == "" || b.Links.Prev != "" {
			t.Errorf("links = %+v", b.Links)
		}
		first := b.Data[0]
		if first.Slug == "" || !strings.HasPrefix(first.URL, s.URL+"/20") || len(first.Authors) == 0 || len(first.Categories) == 0 || first.BodyHTML != nil {
			t.Errorf("first = %+v", first)
		}

		b = listBody{}
		getJSON(t, s, "/api/v1/articles?page=4&limit=10", http.StatusOK, &b)
		if len(b.Data) != 1 || b.Links.Next != "" || b.Links.Prev == "" {
			t.Errorf("last page: %d items, links %+v", len(b.Data), b.Links)
		}
		b = listBody{}
		getJSON(t, s, "/api/v1/articles?page=9", http.StatusOK, &b)
		if len(b.Data) != 0 || b.Meta.Total != 31 {
			t.Errorf("past the end: %d items, meta %+v", len(b.Data), b.Meta)
		}
		getJSON(t, s, "/api/v1/articles?limit=100000", http.StatusOK, &b)
		if b.Meta.Limit != api.MaxLimit || len(b.Data) != 31 {
			t.Errorf("limit clamped to %d, %d items", b.Meta.Limit, len(b.Data))
		}
		getJSON(t, s, "/api/v1/articles?category=livres&limit=3", http.StatusOK, &b)
		if b.Meta.Total != 7 || len(b.Data) != 3 {
			t.Errorf("category: meta %+v", b.Meta)
		}
		for _, a := range b.Data {
			found := false
			for _, c := range a.Categories {
				found = found || c.Slug == "livres"
			}
			if !found {
				t.Errorf("%s is not in livres", a.Slug)
			}
		}
		getJSON(t, s, "/api/v1/articles?tag=syrie", http.StatusOK, &b)
		if b.Meta.Total != 5 {
			t.Errorf("tag: total %d", b.Meta.Total)
		}

		var one struct{ Data api.Article }
		getJSON(t, s, "/api/v1/articles/l-etat-islamique-reprend-palmyre", http.StatusOK, &one)
		if one.Data.Title != "L'État islamique reprend Palmyre" || one.Data.BodyHTML == nil || !strings.Contains(*one.Data.BodyHTML, "Palmyre") ||
			one.Data.PublishedAt.Format("2006-01-02T15:04Z07:00") != "2016-12-11T18:42Z" || len(one.Data.Tags) != 4 {
			t.Errorf("article = %+v", one.Data)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, apptest.New(t, apptest.Options{})) })
	t.Run("postgres", func(t *testing.T) { run(t, apptest.New(t, apptest.Options{PostgresURL: storagetest.PostgresDSN(t)})) })
}

func TestTaxonomies(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	var b struct {
		Data []api.Term `json:"data"`
		Meta struct {
			Total int `json:"total"`
		} `json:"meta"`
	}
	getJSON(t, s, "/api/v1/categories", http.StatusOK, &b)
	if b.Meta.Total != 5 || b.Data[0].Slug != "international" || b.Data[0].Count == nil || *b.Data[0].Count != 12 {
		t.Errorf("categories = %+v", b)
	}
	getJSON(t, s, "/api/v1/tags", http.StatusOK, &b)
	if b.Meta.Total < 20 {
		t.Errorf("tags: %d", b.Meta.Total)
	}
	getJSON(t, s, "/api/v1/authors", http.StatusOK, &b)
	if b.Meta.Total != 3 || b.Data[0].Description == "" {
		t.Errorf("authors = %+v", b)
	}
}

func TestErrors(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	tests := []struct {
		path        string
		status      int
		code, field string
	}{
		{"/api/v1/articles?page=-1", 400, "invalid", "page"},
		{"/api/v1/articles?page=abc", 400, "invalid", "page"},
		{"/api/v1/articles?limit=0", 400, "invalid", "limit"},
		{"/api/v1/articles?category=%ff", 400, "invalid", "category"},
		{"/api/v1/articles?category=nope", 404, "not_found", ""},
		{"/api/v1/articles?tag=nope", 404, "not_found", ""},
		{"/api/v1/articles/nope", 404, "not_found", ""},
		{"/api/v1/articles/nos-coups-de-coeur-de-l-hiver", 404, "not_found", ""},
		{"/api/v1/nope", 404, "not_found", ""},
		{"/api/v2/articles", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var b errBody
			resp := getJSON(t, s, tt.path, tt.status, &b)
			if b.Error.Code != tt.code || b.Error.Message == "" || b.Error.Field != tt.field {
				t.Errorf("error = %+v", b.Error)
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}
