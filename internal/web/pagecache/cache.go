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
	"strings"
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
	// TagComments marks pages that list comments of several articles (the
	// site's comments feed): any comment change may alter them.
	TagComments = "comments"
	// TagCampaign marks the pages that show the appeal with the running
	// campaign's bar: a paid gift purges them.
	TagCampaign = "campaign"
	// TagShop marks the bookshop's pages and the articles that show books
	// under them: a change to a book (its price, its stock) purges them.
	TagShop = "shop"
)

// ArticleTag is the tag of pages showing article id.
func ArticleTag(id int64) string { return "article:" + strconv.FormatInt(id, 10) }

// Entry is one cached page in its three encodings.
type Entry struct {
	Status      int
	ContentType string
	// HTML tells whether the body is an HTML document.
	HTML         bool
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
	// entries maps keys to *Entry. Reads take no lock: a sync.Map serves
	// the read-mostly load of a page cache without contention between
	// cores. Writes go through mu, which also guards the bookkeeping.
	entries sync.Map
	mu      sync.Mutex
	keys    map[string]*Entry
	byTag   map[string]map[string]struct{}
	size    int
	limit   int
	// gen increases at every purge. A page rendered while a purge of one
	// of its tags happened may hold stale data, so Put refuses it (see
	// Begin). purged holds, for each tag, the gen its last purge made, and
	// purgedAll that of the last Purge(TagAll): a purge of other tags (a
	// gift moving the campaign's bar) does not stop the home page from
	// being cached.
	gen       atomic.Uint64
	purged    map[string]uint64
	purgedAll uint64
}

// New returns a cache holding at most limitBytes of pages.
func New(limitBytes int) *Cache {
	return &Cache{keys: map[string]*Entry{}, byTag: map[string]map[string]struct{}{}, purged: map[string]uint64{}, limit: limitBytes}
}

// Get returns the entry stored under key, if any.
func (c *Cache) Get(key string) (*Entry, bool) {
	v, ok := c.entries.Load(key)
	if !ok {
		return nil, false
	}
	e := v.(*Entry)
	if e.expires != 0 && time.Now().UnixNano() > e.expires {
		return nil, false
	}
	return e, true
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

// Build computes the validators of p, without compressed forms: what is
// served when the page is not cached. Compress adds the compressed forms.
func Build(p Page) *Entry {
	sum := sha256.Sum256(p.Body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	e := &Entry{
		Status:       p.Status,
		ContentType:  p.ContentType,
		HTML:         strings.HasPrefix(p.ContentType, "text/html"),
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
	e.HeaderLength = []string{strconv.Itoa(len(e.Body))}
	e.HeaderType = []string{e.ContentType}
	e.HeaderCache = []string{e.CacheControl}
	e.HeaderLastModified = []string{e.LastModifiedHTTP}
	e.HeaderETag = []string{e.ETag}
	e.HeaderETagGzip = []string{e.ETagGzip}
	e.HeaderETagBrotli = []string{e.ETagBrotli}
	e.size = len(e.Body) + 512
	return e
}

// MinCompressSize is the smallest body worth compressing: below it the
// headers of a compressed stream cost more than they save.
const MinCompressSize = 512

// Compress adds the gzip and brotli forms of the body, at high settings:
// it runs once per page change, and every reader then gets the smaller
// form for free. It must be called before the entry is shared.
func (e *Entry) Compress() {
	if len(e.Body) < MinCompressSize || e.Brotli != nil {
		return
	}
	e.Gzip = gzipBytes(e.Body)
	e.Brotli = brotliBytes(e.Body)
	e.HeaderLengthGzip = []string{strconv.Itoa(len(e.Gzip))}
	e.HeaderLengthBrotli = []string{strconv.Itoa(len(e.Brotli))}
	e.size += len(e.Gzip) + len(e.Brotli)
}

// timeFormat is http.TimeFormat, repeated to keep this package free of net/http.
const timeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// Put stores e under key unless a purge of one of its tags happened since
// token was taken, and reports whether it did. When the cache is full, it drops entries
// (in no particular order: pages are cheap to rebuild) until e fits.
func (c *Cache) Put(key string, token uint64, e *Entry) bool {
	if e.size > c.limit/4 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.staleLocked(token, e.tags) {
		return false
	}
	if old, ok := c.keys[key]; ok {
		c.removeLocked(key, old)
	}
	for c.size+e.size > c.limit && len(c.keys) > 0 {
		for k, old := range c.keys {
			c.removeLocked(k, old)
			break
		}
	}
	e.gen = token
	c.keys[key] = e
	c.entries.Store(key, e)
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

// staleLocked reports whether a purge since token touched any of tags.
func (c *Cache) staleLocked(token uint64, tags []string) bool {
	if c.purgedAll > token {
		return true
	}
	for _, t := range tags {
		if c.purged[t] > token {
			return true
		}
	}
	return false
}

func (c *Cache) removeLocked(key string, e *Entry) {
	delete(c.keys, key)
	c.entries.Delete(key)
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
	gen := c.gen.Add(1)
	for _, t := range tags {
		if t == TagAll {
			// Older tags' gens are below purgedAll: they no longer matter.
			c.purgedAll, c.purged = gen, map[string]uint64{}
			c.entries.Clear()
			c.keys = map[string]*Entry{}
			c.byTag = map[string]map[string]struct{}{}
			c.size = 0
			return
		}
		c.purged[t] = gen
		for key := range c.byTag[t] {
			if e, ok := c.keys[key]; ok {
				c.removeLocked(key, e)
			}
		}
	}
}

// Stats reports the cache's state, for metrics.
type Stats struct {
	Entries int
	Bytes   int
}

// Stats returns the current counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.keys), Bytes: c.size}
}

// Compressors are pooled: their state is large (a brotli encoder holds
// megabytes of tables) and allocating one per page would dominate the cost
// of a cache fill.
var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return w }}
	brotliPool = sync.Pool{New: func() any {
		// Quality 9 is within a few percent of 11 at a fraction of the
		// time; a 256 KiB window covers any page.
		return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: 9, LGWin: 18})
	}}
)

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 3)
	w := gzipPool.Get().(*gzip.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	gzipPool.Put(w)
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 3)
	w := brotliPool.Get().(*brotli.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	brotliPool.Put(w)
	return buf.Bytes()
}
