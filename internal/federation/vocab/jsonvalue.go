package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// fields is a JSON object's members by their exact names. Accepted
// documents are read through it rather than through structs: JSON-LD lets
// most properties be a string, an object or an array, encoding/json would
// match names case-insensitively, and unknown members must be ignored.
type fields map[string]json.RawMessage

// decodeFields checks data against the limits and decodes its top-level object.
func decodeFields(data []byte) (fields, error) {
	if err := checkLimits(data); err != nil {
		return nil, err
	}
	var f fields
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return f, nil
}

// objectOf decodes raw as an object; ok is false for anything else.
func objectOf(raw json.RawMessage) (f fields, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, false
	}
	return f, true
}

// arrayOf decodes raw as an array; a single value gives a one-element array,
// null or nothing gives none, since JSON-LD does not tell one from the other.
func arrayOf(raw json.RawMessage) []json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if raw[0] != '[' {
		return []json.RawMessage{raw}
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil
	}
	return list
}

// stringOf decodes raw as a string; anything else gives "".
func stringOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	return s
}

// idOf reads a reference to another document, which may be its id as a
// string, the document itself (its id), a Link (its href), or an array of
// those (the first that names something).
func idOf(raw json.RawMessage) string {
	for _, v := range arrayOf(raw) {
		if s := stringOf(v); s != "" {
			return s
		}
		if f, ok := objectOf(v); ok {
			if id := f.str("id"); id != "" {
				return id
			}
			if href := f.str("href"); href != "" {
				return href
			}
		}
	}
	return ""
}

// idsOf reads a list of references, as to and cc, which may also be a
// single string. The compacted forms of the public collection are expanded.
func idsOf(raw json.RawMessage) []string {
	var out []string
	for _, v := range arrayOf(raw) {
		id := idOf(v)
		switch id {
		case "":
			continue
		case "as:Public", "Public":
			id = PublicAddress
		}
		out = append(out, id)
	}
	return out
}

// htmlURLOf reads a url property: a string, a Link, or an array of those,
// preferring the Link whose mediaType is text/html (FEP-b2b8), then the
// first plain string, then the first Link.
func htmlURLOf(raw json.RawMessage) string {
	var firstString, firstHref string
	for _, v := range arrayOf(raw) {
		if s := stringOf(v); s != "" {
			if firstString == "" {
				firstString = s
			}
			continue
		}
		f, ok := objectOf(v)
		if !ok {
			continue
		}
		href := f.str("href")
		if href == "" {
			continue
		}
		if strings.HasPrefix(f.str("mediaType"), "text/html") {
			return href
		}
		if firstHref == "" {
			firstHref = href
		}
	}
	if firstString != "" {
		return firstString
	}
	return firstHref
}

// imageURLOf reads an icon or image property: an Image (its url), a plain
// address, or an array of those (the first).
func imageURLOf(raw json.RawMessage) string {
	for _, v := range arrayOf(raw) {
		if s := stringOf(v); s != "" {
			return s
		}
		if f, ok := objectOf(v); ok {
			if u := htmlURLOf(f["url"]); u != "" {
				return u
			}
			if href := f.str("href"); href != "" {
				return href
			}
		}
	}
	return ""
}

// str returns the member key as a string, "" when absent or not a string.
func (f fields) str(key string) string { return stringOf(f[key]) }

// id returns the member key as a reference (see idOf).
func (f fields) id(key string) string { return idOf(f[key]) }

// ids returns the member key as a list of references (see idsOf).
func (f fields) ids(key string) []string { return idsOf(f[key]) }

// boolean returns the member key as a boolean; the string "true" counts,
// as some servers write discoverable and manuallyApprovesFollowers so.
func (f fields) boolean(key string) bool {
	raw := bytes.TrimSpace(f[key])
	return bytes.Equal(raw, []byte("true")) || bytes.Equal(raw, []byte(`"true"`))
}

// time returns the member key as a date, zero when absent or unreadable.
func (f fields) time(key string) time.Time { return parseTime(f.str(key)) }

// typ returns the document's type: a string, or the first string of an
// array (JSON-LD allows several types).
func (f fields) typ() string {
	for _, v := range arrayOf(f["type"]) {
		if s := stringOf(v); s != "" {
			return s
		}
	}
	return ""
}
