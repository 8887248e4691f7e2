package bluesky

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kiosque/kiosque/internal/syndication"
)

// The lexicon names kiosque writes.
const (
	postCollection = "app.bsky.feed.post"
	linkFeature    = "app.bsky.richtext.facet#link"
	tagFeature     = "app.bsky.richtext.facet#tag"
	externalEmbed  = "app.bsky.embed.external"
	// maxThumbBytes is app.bsky.embed.external#external.thumb's maxSize.
	maxThumbBytes = 1_000_000
	// A hashtag is at most 64 graphemes and 640 bytes (facet#tag).
	maxTagGraphemes = 64
	maxTagBytes     = 640
)

// postRecord is an app.bsky.feed.post as kiosque writes it.
type postRecord struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs,omitempty"`
	Facets    []facet   `json:"facets,omitempty"`
	Embed     *embedExt `json:"embed,omitempty"`
}

// facet is app.bsky.richtext.facet: a range of the text's UTF-8 bytes,
// start inclusive, end exclusive, and what it is.
type facet struct {
	Index    byteSlice `json:"index"`
	Features []feature `json:"features"`
}

type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

type feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// embedExt is app.bsky.embed.external, the link card: Bluesky does not
// read the article's page, so kiosque sends its title, description and
// picture itself.
type embedExt struct {
	Type     string   `json:"$type"`
	External external `json:"external"`
}

// external's uri, title and description are required, even empty.
type external struct {
	URI         string `json:"uri"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Thumb is the blob object uploadBlob answered, verbatim.
	Thumb json.RawMessage `json:"thumb,omitempty"`
}

// newRecord builds the post for p, written at now.
func newRecord(p syndication.Post, now time.Time) postRecord {
	r := postRecord{
		Type:      postCollection,
		Text:      p.Text,
		CreatedAt: now.UTC().Format("2006-01-02T15:04:05.000Z"),
		Facets:    facetsOf(p.Text),
	}
	if languagePattern.MatchString(p.Language) {
		r.Langs = []string{p.Language}
	}
	if p.Link != "" {
		r.Embed = &embedExt{Type: externalEmbed,
			External: external{URI: p.Link, Title: p.Title, Description: p.Description}}
	}
	return r
}

// languagePattern is a loose BCP 47 tag ("fr", "pt-BR"), as langs takes.
var languagePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$`)

// linkPattern finds links as the official client's RichText does: http(s)
// up to a space (« » and quotes end them too, as in French text).
var linkPattern = regexp.MustCompile(`https?://[^\s<>"«»]+`)

// facetsOf returns the link and hashtag facets of text, in order. Their
// ranges are byte offsets in the UTF-8 text (Go string indices): Bluesky
// counts bytes, where JavaScript would count UTF-16 units and a naive Go
// port runes, and either shifts every link after an « é » or an emoji.
func facetsOf(text string) []facet {
	var out []facet
	for _, m := range linkPattern.FindAllStringIndex(text, -1) {
		start, end := m[0], trimLink(text[m[0]:m[1]])+m[0]
		link := text[start:end]
		if u, err := url.Parse(link); err != nil || u.Host == "" {
			continue
		}
		out = append(out, facet{Index: byteSlice{start, end}, Features: []feature{{Type: linkFeature, URI: link}}})
	}
	for _, t := range hashtags(text) {
		inLink := slices.ContainsFunc(out, func(f facet) bool {
			return t.ByteStart < f.Index.ByteEnd && f.Index.ByteStart < t.ByteEnd
		})
		if !inLink {
			out = append(out, facet{Index: t, Features: []feature{{Type: tagFeature, Tag: text[t.ByteStart+1 : t.ByteEnd]}}})
		}
	}
	slices.SortFunc(out, func(a, b facet) int { return a.Index.ByteStart - b.Index.ByteStart })
	return out
}

// closingBrackets pairs the brackets a link may end with.
var closingBrackets = map[rune]rune{')': '(', ']': '[', '}': '{'}

// trimLink returns the length of link without the punctuation that ends
// the sentence after it; a closing bracket stays when the link opened it
// (https://fr.wikipedia.org/wiki/Le_Monde_(journal)).
func trimLink(link string) int {
	end := len(link)
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(link[:end])
		if open, ok := closingBrackets[r]; ok {
			if strings.Count(link[:end], string(open)) >= strings.Count(link[:end], string(r)) {
				break
			}
		} else if !strings.ContainsRune(".,;:!?'’…", r) {
			break
		}
		end -= size
	}
	return end
}

// hashtags returns the byte ranges of the hashtags of text ("#" included),
// as the official client finds them: a # at the start or after a space,
// up to the next space, without trailing punctuation, with at least one
// character that is not a digit (#2026 is no hashtag).
func hashtags(text string) []byteSlice {
	var out []byteSlice
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '#')
		if j < 0 {
			break
		}
		start := i + j
		i = start + 1
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); !unicode.IsSpace(r) {
				continue
			}
		}
		end := start + 1
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if unicode.IsSpace(r) || invisibleBreak(r) {
				break
			}
			end += size
		}
		for end > start+1 {
			r, size := utf8.DecodeLastRuneInString(text[start+1 : end])
			if !unicode.IsPunct(r) {
				break
			}
			end -= size
		}
		tag := text[start+1 : end]
		// "#\uFE0F\u20E3" is the keycap emoji, not a hashtag.
		if tag == "" || strings.HasPrefix(tag, "\uFE0F") || !strings.ContainsFunc(tag, tagLetter) ||
			len(tag) > maxTagBytes || uniseg.GraphemeClusterCount(tag) > maxTagGraphemes {
			continue
		}
		out = append(out, byteSlice{start, end})
		i = end
	}
	return out
}

// invisibleBreak reports the invisible characters that end a hashtag
// (soft hyphen, word joiner, zero-width spaces and joiners, keycap).
func invisibleBreak(r rune) bool {
	switch r {
	case '\u00AD', '\u2060', '\u200A', '\u200B', '\u200C', '\u200D', '\u20E2':
		return true
	}
	return false
}

// tagLetter reports whether r makes a hashtag more than a number.
func tagLetter(r rune) bool {
	return (r < '0' || r > '9') && !unicode.IsSpace(r) && !unicode.IsPunct(r) && !invisibleBreak(r)
}

// tidAlphabet is base32-sortable, the TID encoding.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// tidCeiling is 2023-01-01T00:00:00Z in microseconds: record keys drawn
// from a hash stay below it, so none looks like a TID from the future.
const tidCeiling uint64 = 1_672_531_200_000_000

// recordKey returns the post's record key for a delivery key: a TID (13
// characters of base32-sortable: a 53-bit timestamp in microseconds and a
// 10-bit clock id) drawn from a hash of key, so that every attempt of a
// delivery writes the same key and the repository refuses a second post.
// TIDs "can be specified by the end user and could have any value"
// (atproto.com/specs/record-key); the post's date is its createdAt.
func recordKey(key string) string {
	h := sha256.Sum256([]byte("kiosque/bluesky/rkey\x00" + key))
	ts := binary.BigEndian.Uint64(h[:8]) % tidCeiling
	clock := uint64(binary.BigEndian.Uint16(h[8:10]) & 0x3ff)
	v := ts<<10 | clock
	b := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b)
}
