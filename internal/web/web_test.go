package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/web/pagecache"
)

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip, deflate, br", "gzip", true},
		{"deflate", "gzip", false},
		{"GZIP", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip;q=0.0, br", "gzip", false},
		{"gzip; q=0.5", "gzip", true},
		{"*", "br", true},
		{"*;q=0", "br", false},
		{"br;q=0, *", "br", false},
		{"identity", "gzip", false},
		{"", "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.header+"/"+tt.coding, func(t *testing.T) {
			if got := accepts([]string{tt.header}, tt.coding); got != tt.want {
				t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
			}
		})
	}
}

func TestCacheKey(t *testing.T) {
	tests := []struct{ url, want string }{
		{"/a/", "/a/"},
		{"/a/?utm_source=x&utm_medium=y", "/a/"},
		{"/a/?fbclid=1", "/a/"},
		{"/search?q=b&page=2", "/search?page=2&q=b"},
		{"/search?page=2&q=b&utm_campaign=z", "/search?page=2&q=b"},
		{"/search?q=%C3%A9t%C3%A9", "/search?q=%C3%A9t%C3%A9"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := CacheKey(httptest.NewRequest(http.MethodGet, tt.url, nil)); got != tt.want {
				t.Errorf("CacheKey(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestRecover(t *testing.T) {
	var shown bool
	h := Recover(discardLogger(), func(w http.ResponseWriter, r *http.Request) {
		shown = true
		http.Error(w, "Erreur du serveur", http.StatusInternalServerError)
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if !shown || rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("status %d body %q", rec.Code, rec.Body.String())
	}
}

func TestServeEntry(t *testing.T) {
	body := []byte(strings.Repeat("<p>Palmyre</p>", 100))
	e := pagecache.Build(pagecache.Page{Status: 200, ContentType: "text/html; charset=utf-8", CacheControl: CachePage,
		LastModified: time.Date(2016, 12, 11, 18, 42, 0, 0, time.UTC), Body: body})
	e.Compress()
	tests := []struct {
		name           string
		method, header string
		value          string
		wantStatus     int
		wantEncoding   string
		wantBody       bool
	}{
		{"Identity", "GET", "", "", 200, "", true},
		{"Brotli", "GET", "Accept-Encoding", "gzip, br", 200, "br", true},
		{"Gzip", "GET", "Accept-Encoding", "gzip", 200, "gzip", true},
		{"Head", "HEAD", "", "", 200, "", false},
		{"NotModified", "GET", "If-None-Match", e.ETag, 304, "", false},
		{"NotModifiedWeak", "GET", "If-None-Match", "W/" + e.ETagBrotli, 304, "", false},
		{"Modified", "GET", "If-None-Match", `"x"`, 200, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "/", nil)
			if tt.header != "" {
				r.Header.Set(tt.header, tt.value)
			}
			rec := httptest.NewRecorder()
			if got := ServeEntry(rec, r, e); got != tt.wantStatus || rec.Code != tt.wantStatus {
				t.Errorf("status %d (returned %d), want %d", rec.Code, got, tt.wantStatus)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("encoding %q, want %q", got, tt.wantEncoding)
			}
			if (rec.Body.Len() > 0) != tt.wantBody {
				t.Errorf("body of %d bytes", rec.Body.Len())
			}
			if n := len(rec.Header()); n > 8 {
				t.Errorf("%d header lines; past 8, Go grows its header map on every response: %v", n, rec.Header())
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	ps := Proxies{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"Direct", "203.0.113.5:4000", "", "203.0.113.5"},
		{"DirectForgesHeader", "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"BehindProxy", "127.0.0.1:4000", "198.51.100.1", "198.51.100.1"},
		{"ClientForgesBehindProxy", "127.0.0.1:4000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"TwoProxies", "127.0.0.1:4000", "198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"ProxyNoHeader", "[::1]:4000", "", "::1"},
		{"GarbageHeader", "127.0.0.1:4000", "nonsense", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ps.ClientIP(r); got != tt.want {
				t.Errorf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}
