// Package pagecache keeps rendered public pages in memory, with their gzip
// and brotli forms computed once when the page is stored, so that a cached
// page costs a map lookup and a write. Entries carry tags naming what they
// show ("article:12", "lists"); a change drops exactly the entries tagged
// with it.
package pagecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// Tags every entry may carry.
const (
	// TagAll is implied on every entry: Purge(TagAll) empties the cache.
	TagAll = "*"
	// TagLists marks pages that list articles (home, categories, feeds,
	// sitemaps): any article change may alter them.
	TagLists = "lists"
)

// ArticleTag is the tag of pages showing article id.
func ArticleTag(id int64) string { return "article:" + strconv.FormatInt(id, 10) }

// Entry is one cached page in its three encodings.
type Entry struct {
	Status       int
	ContentType  string
	CacheControl string
	LastModified time.Time
	// LastModifiedHTTP is LastModified formatted for the header.
	LastModifiedHTTP string
	// ETag is the strong validator of the identity body; the compressed
	// forms append their encoding to it.
	ETag       string
	ETagGzip   string
	ETagBrotli string
	Body       []byte
	Gzip       []byte
	Brotli     []byte
	// Header lines prepared once for the hot path.
	HeaderLength       []string
	HeaderLengthGzip   []string
	HeaderLengthBrotli []string
	HeaderType         []string
	HeaderCache        []string
	HeaderLastModified []string
	HeaderETag         []string
	HeaderETagGzip     []string
	HeaderETagBrotli   []string

	tags []string
	gen  uint64
	size int
	// expires is when the entry stops being served (unix nanoseconds), 0 for never.
	expires int64
}

// Size returns the memory the entry accounts for.
func (e *Entry) Size() int { return e.size }

// Cache is a bounded, tag-invalidated store of rendered pages, safe for
// concurrent use.
type Cache struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	byTag   map[string]map[string]struct{}
	size    int
	limit   int
	// gen increases at every purge. A page rendered while a purge happened
	// may hold stale data, so Put refuses it (see Begin).
	gen atomic.Uint64

	hits, misses atomic.Uint64
}

// New returns a cache holding at most limitBytes of pages.
func New(limitBytes int) *Cache {
	return &Cache{entries: map[string]*Entry{}, byTag: map[string]map[string]struct{}{}, limit: limitBytes}
}

// Get returns the entry stored under key, if any.
func (c *Cache) Get(key string) (*Entry, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && e.expires != 0 && time.Now().UnixNano() > e.expires {
		ok = false
	}
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return e, ok
}

// Begin returns a token to give to Put: taken before reading the data a
// page shows, it lets Put detect a purge that happened meanwhile.
func (c *Cache) Begin() uint64 { return c.gen.Load() }

// Page is what a handler rendered, ready to cache.
type Page struct {
	Status       int
	ContentType  string
	CacheControl string
	LastModified time.Time
	Body         []byte
	Tags         []string
	// MaxAge, when set, bounds how long the page is served from the cache,
	// for pages that change with time alone (a sliding 48-hour window).
	MaxAge time.Duration
}

// Build computes the encodings and validators of p. It is exported so the
// same entry can be served when the cache is off or refuses the page.
func Build(p Page) *Entry {
	sum := sha256.Sum256(p.Body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	e := &Entry{
		Status:       p.Status,
		ContentType:  p.ContentType,
		CacheControl: p.CacheControl,
		LastModified: p.LastModified.UTC().Truncate(time.Second),
		ETag:         etag,
		ETagGzip:     etag[:len(etag)-1] + `-gzip"`,
		ETagBrotli:   etag[:len(etag)-1] + `-br"`,
		Body:         p.Body,
		tags:         p.Tags,
	}
	if p.MaxAge > 0 {
		e.expires = time.Now().Add(p.MaxAge).UnixNano()
	}
	if !e.LastModified.IsZero() {
		e.LastModifiedHTTP = e.LastModified.Format(timeFormat)
	}
	// Compressing tiny bodies only adds bytes.
	if len(p.Body) >= 512 {
		e.Gzip = gzipBytes(p.Body)
		e.Brotli = brotliBytes(p.Body)
	}
	e.HeaderLength = []string{strconv.Itoa(len(e.Body))}
	e.HeaderLengthGzip = []string{strconv.Itoa(len(e.Gzip))}
	e.HeaderLengthBrotli = []string{strconv.Itoa(len(e.Brotli))}
	e.HeaderType = []string{e.ContentType}
	e.HeaderCache = []string{e.CacheControl}
	e.HeaderLastModified = []string{e.LastModifiedHTTP}
	e.HeaderETag = []string{e.ETag}
	e.HeaderETagGzip = []string{e.ETagGzip}
	e.HeaderETagBrotli = []string{e.ETagBrotli}
	e.size = len(e.Body) + len(e.Gzip) + len(e.Brotli) + 512
	return e
}

// timeFormat is http.TimeFormat, repeated to keep this package free of net/http.
const timeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// Put stores e under key unless a purge happened since token was taken,
// and reports whether it did. When the cache is full, it drops entries
// (in no particular order: pages are cheap to rebuild) until e fits.
func (c *Cache) Put(key string, token uint64, e *Entry) bool {
	if e.size > c.limit/4 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != token {
		return false
	}
	if old, ok := c.entries[key]; ok {
		c.removeLocked(key, old)
	}
	for c.size+e.size > c.limit && len(c.entries) > 0 {
		for k, old := range c.entries {
			c.removeLocked(k, old)
			break
		}
	}
	e.gen = token
	c.entries[key] = e
	c.size += e.size
	for _, t := range e.tags {
		m := c.byTag[t]
		if m == nil {
			m = map[string]struct{}{}
			c.byTag[t] = m
		}
		m[key] = struct{}{}
	}
	return true
}

func (c *Cache) removeLocked(key string, e *Entry) {
	delete(c.entries, key)
	c.size -= e.size
	for _, t := range e.tags {
		if m := c.byTag[t]; m != nil {
			delete(m, key)
			if len(m) == 0 {
				delete(c.byTag, t)
			}
		}
	}
}

// Purge drops every entry carrying one of tags; TagAll drops everything.
func (c *Cache) Purge(tags ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	for _, t := range tags {
		if t == TagAll {
			c.entries = map[string]*Entry{}
			c.byTag = map[string]map[string]struct{}{}
			c.size = 0
			return
		}
		for key := range c.byTag[t] {
			if e, ok := c.entries[key]; ok {
				c.removeLocked(key, e)
			}
		}
	}
}

// Stats reports the cache's state, for metrics.
type Stats struct {
	Entries int
	Bytes   int
	Hits    uint64
	Misses  uint64
}

// Stats returns the current counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Stats{Entries: len(c.entries), Bytes: c.size, Hits: c.hits.Load(), Misses: c.misses.Load()}
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	// Quality 9 is within a few percent of 11 at a fraction of the time;
	// the work is done once per page change.
	w := brotli.NewWriterLevel(&buf, 9)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}
