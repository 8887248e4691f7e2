// Package redirects keeps the site's old addresses working: a table of
// paths (a WordPress permalink, a renamed page) that answer with a
// permanent redirect to their new address. The public site asks Lookup
// before it shows a 404, from a table held in memory, so an unknown path
// costs no query; the back office lists and edits the table.
package redirects

import (
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Source tells where a redirect comes from.
type Source string

// The sources.
const (
	// SourceWordPress marks redirects written by the WordPress import.
	SourceWordPress Source = "wordpress"
	// SourceManual marks redirects added in the back office.
	SourceManual Source = "manual"
)

// Codes a redirect may answer with.
const (
	Permanent = 301
	Temporary = 302
)

// QueryKeys are the query parameters WordPress addresses content with
// ("/?p=123", "/?page_id=2", "/?cat=4", "/?tag=x", "/?feed=rss2"): a
// redirect's From may carry one of them, on the path "/".
var QueryKeys = []string{"p", "page_id", "cat", "tag", "feed"}

// Redirect sends the readers of one old address to its new one.
type Redirect struct {
	ID int64
	// From is the old address as typed: a path, or "/?p=123". It matches
	// whatever the case of its letters and with or without a trailing
	// slash.
	From string
	// Key is From normalised for matching (see KeyOf); Save sets it.
	Key string
	// To is a path of this site or an absolute http(s) URL.
	To string
	// Code is Permanent (301) or Temporary (302).
	Code   int
	Source Source
	// Hits counts the readers sent; LastHitAt is the latest (zero when
	// none yet). Both lag behind by up to the flush interval.
	Hits      int64
	LastHitAt time.Time
	CreatedAt time.Time
}

// Filter selects redirects for the back office's list.
type Filter struct {
	// Search matches From or To, ignoring case.
	Search string
	// Source limits the list to one source when not empty.
	Source Source
	Offset int
	Limit  int
}

// Hit is a batch of uses of one redirect, flushed together.
type Hit struct {
	ID    int64
	Count int64
	Last  time.Time
}

// KeyOf returns the matching key of an address: its path decoded, in
// lower case, without its trailing slash ("/" stays "/"; "/index.php" is
// "/"), followed for a WordPress query address by its one parameter
// ("/?p=123"). ok is false for what cannot be a redirect's From: not a
// path, or a query that is not one of QueryKeys.
func KeyOf(addr string) (key string, ok bool) {
	path, query, hasQuery := strings.Cut(addr, "?")
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.Contains(path, `\`) {
		return "", false
	}
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	path = pathKey(path)
	if !hasQuery || query == "" {
		return path, true
	}
	if path != "/" {
		return "", false
	}
	q, err := url.ParseQuery(query)
	if err != nil || len(q) != 1 {
		return "", false
	}
	for _, k := range QueryKeys {
		if v := q[k]; len(v) == 1 && v[0] != "" {
			return queryKey(k, v[0]), true
		}
	}
	return "", false
}

// pathKey is the matching form of a decoded path.
func pathKey(path string) string {
	path = strings.ToLower(path)
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
		if path == "" {
			path = "/"
		}
	}
	if path == "/index.php" {
		path = "/"
	}
	return path
}

func queryKey(k, v string) string { return "/?" + k + "=" + strings.ToLower(v) }

// requestKeys returns the keys a request may match, most specific first:
// its WordPress query parameter (on "/" only), then its path.
func requestKeys(path string, query url.Values) []string {
	p := pathKey(path)
	if p == "/" && len(query) > 0 {
		for _, k := range QueryKeys {
			if v := query.Get(k); v != "" {
				return []string{queryKey(k, v), p}
			}
		}
	}
	return []string{p}
}

// reserved are the paths no redirect may take away: the back office and
// the API are served before the public site anyway.
var reserved = []string{"/admin", "/api", "/static", "/healthz"}

func isReserved(key string) bool {
	for _, r := range reserved {
		if key == r || strings.HasPrefix(key, r+"/") {
			return true
		}
	}
	return false
}

// validTo reports whether to is a path of this site or an absolute
// http(s) URL.
func validTo(to string) bool {
	if strings.ContainsFunc(to, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return false
	}
	if strings.HasPrefix(to, "/") {
		return !strings.HasPrefix(to, "//") && !strings.Contains(to, `\`)
	}
	u, err := url.Parse(to)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
