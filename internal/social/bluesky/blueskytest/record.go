package blueskytest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// The lexicon's limits on app.bsky.feed.post (string maxLength counts
// UTF-8 bytes, maxGraphemes what a reader sees as one character).
const (
	maxTextGraphemes = 300
	maxTextBytes     = 3000
	maxTagGraphemes  = 64
	maxTagBytes      = 640
	maxLangs         = 3
)

// datetimePattern is the atproto datetime syntax: RFC 3339 with seconds
// and a time zone, upper-case T and Z.
var datetimePattern = regexp.MustCompile(
	`^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,20})?(Z|[+-][0-2][0-9]:[0-5][0-9])$`)

// languagePattern is a loose BCP 47 tag, as the lexicon's format language.
var languagePattern = regexp.MustCompile(`^([a-zA-Z]{2,3}|i)(-[a-zA-Z0-9]{1,8})*$`)

type object = map[string]any

// checkPost validates raw as an app.bsky.feed.post record, the way the
// PDS's lexicon validation does, plus what kiosque promises: each link
// facet covers exactly its URL, each tag facet exactly its hashtag, and a
// card's thumbnail is a blob this server handed out. It returns the post,
// or the reason it refuses it.
func checkPost(raw json.RawMessage, blobs map[string]Blob) (*Post, string) {
	var rec object
	if err := decodeStrict(raw, &rec); err != nil || rec == nil {
		return nil, "Record must be an object"
	}
	if t, _ := rec["$type"].(string); t != postCollection {
		return nil, fmt.Sprintf("Record/$type must be %q", postCollection)
	}
	p := &Post{Raw: append(json.RawMessage(nil), raw...)}
	text, ok := rec["text"].(string)
	if !ok {
		return nil, `Record must have the property "text"`
	}
	if !utf8.ValidString(text) {
		return nil, "Record/text must be valid UTF-8"
	}
	if len(text) > maxTextBytes {
		return nil, fmt.Sprintf("Record/text must not be longer than %d characters", maxTextBytes)
	}
	if uniseg.GraphemeClusterCount(text) > maxTextGraphemes {
		return nil, fmt.Sprintf("Record/text must not be longer than %d graphemes", maxTextGraphemes)
	}
	p.Text = text
	createdAt, ok := rec["createdAt"].(string)
	if !ok {
		return nil, `Record must have the property "createdAt"`
	}
	if _, err := time.Parse(time.RFC3339Nano, createdAt); err != nil || !datetimePattern.MatchString(createdAt) {
		return nil, "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
	}
	p.CreatedAt = createdAt
	if v, ok := rec["langs"]; ok {
		langs, msg := checkLangs(v)
		if msg != "" {
			return nil, msg
		}
		p.Langs = langs
	}
	if v, ok := rec["facets"]; ok {
		facets, msg := checkFacets(v, text)
		if msg != "" {
			return nil, msg
		}
		p.Facets = facets
	}
	if v, ok := rec["embed"]; ok {
		ext, msg := checkEmbed(v, blobs)
		if msg != "" {
			return nil, msg
		}
		p.External = ext
	}
	return p, ""
}

func checkLangs(v any) ([]string, string) {
	list, ok := v.([]any)
	if !ok {
		return nil, "Record/langs must be an array"
	}
	if len(list) > maxLangs {
		return nil, fmt.Sprintf("Record/langs must not have more than %d elements", maxLangs)
	}
	var out []string
	for i, l := range list {
		s, ok := l.(string)
		if !ok || !languagePattern.MatchString(s) {
			return nil, fmt.Sprintf("Record/langs/%d must be a well-formed BCP 47 language tag", i)
		}
		out = append(out, s)
	}
	return out, ""
}

// checkFacets checks app.bsky.richtext.facet: byte ranges within the text
// on character boundaries, and features whose text they cover.
func checkFacets(v any, text string) ([]Facet, string) {
	list, ok := v.([]any)
	if !ok {
		return nil, "Record/facets must be an array"
	}
	var out []Facet
	for i, f := range list {
		path := fmt.Sprintf("Record/facets/%d", i)
		fo, ok := f.(object)
		if !ok {
			return nil, path + " must be an object"
		}
		index, ok := fo["index"].(object)
		if !ok {
			return nil, path + ` must have the property "index"`
		}
		start, okStart := integer(index["byteStart"])
		end, okEnd := integer(index["byteEnd"])
		if !okStart || !okEnd {
			return nil, path + "/index/byteStart and byteEnd must be integers"
		}
		if start < 0 || end <= start || end > len(text) {
			return nil, fmt.Sprintf("%s/index [%d, %d) is outside the text's %d bytes", path, start, end, len(text))
		}
		if !boundary(text, start) || !boundary(text, end) {
			return nil, fmt.Sprintf("%s/index [%d, %d) cuts a UTF-8 character: byte offsets, not rune or UTF-16 offsets", path, start, end)
		}
		covered := text[start:end]
		features, ok := fo["features"].([]any)
		if !ok || len(features) == 0 {
			return nil, path + ` must have the property "features" with at least one feature`
		}
		for j, ft := range features {
			fpath := fmt.Sprintf("%s/features/%d", path, j)
			fobj, ok := ft.(object)
			if !ok {
				return nil, fpath + " must be an object"
			}
			got := Facet{ByteStart: start, ByteEnd: end}
			got.Type, _ = fobj["$type"].(string)
			switch got.Type {
			case "app.bsky.richtext.facet#link":
				got.URI, _ = fobj["uri"].(string)
				if !validURI(got.URI) {
					return nil, fpath + "/uri must be a uri"
				}
				if covered != got.URI {
					return nil, fmt.Sprintf("%s: the range [%d, %d) covers %q, not the link %q", fpath, start, end, covered, got.URI)
				}
			case "app.bsky.richtext.facet#tag":
				got.Tag, _ = fobj["tag"].(string)
				if got.Tag == "" || strings.HasPrefix(got.Tag, "#") {
					return nil, fpath + "/tag must be the hashtag without its #"
				}
				if len(got.Tag) > maxTagBytes || uniseg.GraphemeClusterCount(got.Tag) > maxTagGraphemes {
					return nil, fmt.Sprintf("%s/tag must not be longer than %d graphemes", fpath, maxTagGraphemes)
				}
				if covered != "#"+got.Tag {
					return nil, fmt.Sprintf("%s: the range [%d, %d) covers %q, not the hashtag #%s", fpath, start, end, covered, got.Tag)
				}
			case "app.bsky.richtext.facet#mention":
				did, _ := fobj["did"].(string)
				if !strings.HasPrefix(did, "did:") {
					return nil, fpath + "/did must be a did"
				}
				got.URI = did
			default:
				return nil, fmt.Sprintf("%s/$type %q is not a facet feature", fpath, got.Type)
			}
			out = append(out, got)
		}
	}
	return out, ""
}

// checkEmbed checks app.bsky.embed.external, the one embed kiosque sends.
func checkEmbed(v any, blobs map[string]Blob) (*External, string) {
	embed, ok := v.(object)
	if !ok {
		return nil, "Record/embed must be an object"
	}
	if t, _ := embed["$type"].(string); t != "app.bsky.embed.external" {
		return nil, fmt.Sprintf("Record/embed/$type %q: the fake PDS takes app.bsky.embed.external only", t)
	}
	ext, ok := embed["external"].(object)
	if !ok {
		return nil, `Record/embed must have the property "external"`
	}
	out := &External{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"uri", &out.URI}, {"title", &out.Title}, {"description", &out.Description}} {
		s, ok := ext[f.name].(string)
		if !ok {
			return nil, fmt.Sprintf("Record/embed/external must have the property %q", f.name)
		}
		*f.dst = s
	}
	if !validURI(out.URI) {
		return nil, "Record/embed/external/uri must be a uri"
	}
	if t, ok := ext["thumb"]; ok {
		cid, msg := checkThumb(t, blobs)
		if msg != "" {
			return nil, msg
		}
		out.Thumb = cid
	}
	return out, ""
}

// checkThumb checks a blob reference against the blobs uploaded: same
// CID, type and size, an image, at most MaxThumbBytes.
func checkThumb(v any, blobs map[string]Blob) (string, string) {
	const path = "Record/embed/external/thumb"
	t, ok := v.(object)
	if !ok {
		return "", path + " should be a blob ref"
	}
	ref, _ := t["ref"].(object)
	cid, _ := ref["$link"].(string)
	mimeType, _ := t["mimeType"].(string)
	size, okSize := integer(t["size"])
	if tt, _ := t["$type"].(string); tt != "blob" || cid == "" || mimeType == "" || !okSize {
		return "", path + ` should be a blob ref {"$type":"blob","ref":{"$link":…},"mimeType":…,"size":…}`
	}
	b, ok := blobs[cid]
	if !ok {
		return "", "Could not find blob: " + cid
	}
	if b.MimeType != mimeType || b.Size != size {
		return "", path + " does not match the blob uploaded"
	}
	if !strings.HasPrefix(mimeType, "image/") {
		return "", fmt.Sprintf("%s has the wrong mime type: %s (accepted: image/*)", path, mimeType)
	}
	if size > MaxThumbBytes {
		return "", fmt.Sprintf("%s file too big (max %d bytes)", path, MaxThumbBytes)
	}
	return cid, ""
}

// integer returns v as an int when it is a JSON integer.
func integer(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil
}

// boundary reports whether byte offset i of s starts a character (or is
// its end).
func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// validURI reports whether s has the lexicon's format uri: a scheme and
// something after it.
func validURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && len(s) > len(u.Scheme)+1 && !strings.ContainsAny(s, " \t\n")
}
