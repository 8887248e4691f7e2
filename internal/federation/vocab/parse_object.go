package vocab

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// RemoteObject is a post from another server, such as a reply to an
// article, reduced to what kiosque shows. Content is the remote HTML as
// received: sanitise it before display.
type RemoteObject struct {
	// ID is the object's id, an absolute http(s) URL.
	ID string
	// Type is Note, Article, Question, Page, Image, Video, Audio, Event or Document.
	Type string
	// AttributedTo is its author's actor id.
	AttributedTo string
	// InReplyTo is the id of the object it answers, "" for none.
	InReplyTo string
	// Name is its title (Articles), Summary its summary or content warning.
	Name, Summary string
	// Content is its HTML: the content property or, without it, the
	// contentMap entry in Language.
	Content string
	// Language is the language of Content when contentMap says it, else "".
	Language string
	// ContentMap is the content per language, when the object has one.
	ContentMap map[string]string
	// URL is its HTML page (the text/html link when there are several).
	URL string
	// Published and Updated are its dates, zero when absent.
	Published, Updated time.Time
	// To and Cc are its addressees.
	To, Cc []string
	// Sensitive marks content behind a warning.
	Sensitive bool
	// Attachments are its media.
	Attachments []RemoteAttachment
	// Tags are its hashtags, mentions and emoji.
	Tags []RemoteTag
}

// RemoteAttachment is a medium attached to a remote object.
type RemoteAttachment struct {
	Type, URL, MediaType string
	// Name is the alt text.
	Name string
}

// RemoteTag is a tag of a remote object: a Hashtag ("#x"), a Mention ("@a@b") or an Emoji.
type RemoteTag struct {
	Type, Name, Href string
}

// isObjectType reports whether t is a kind of post kiosque can show.
func isObjectType(t string) bool {
	switch t {
	case "Note", "Article", "Question", "Page", "Image", "Video", "Audio", "Event", "Document":
		return true
	}
	return false
}

// ParseObject reads a post: fetched by id, or embedded in a Create or an
// Update (ObjectRef.Raw). It needs an absolute id; other types (a Tombstone,
// an actor) give an *UnknownTypeError. The limits of ParseActivity apply.
func ParseObject(data []byte) (*RemoteObject, error) {
	f, err := decodeFields(data)
	if err != nil {
		return nil, fmt.Errorf("parse object: %w", err)
	}
	id, err := documentID(f)
	if err != nil {
		return nil, fmt.Errorf("parse object: %w", err)
	}
	typ := f.typ()
	if !isObjectType(typ) {
		return nil, fmt.Errorf("parse object %s: %w", id, &UnknownTypeError{Type: typ})
	}
	o := &RemoteObject{
		ID:           id,
		Type:         typ,
		AttributedTo: f.id("attributedTo"),
		InReplyTo:    f.id("inReplyTo"),
		Name:         f.str("name"),
		Summary:      f.str("summary"),
		Content:      f.str("content"),
		ContentMap:   stringMapOf(f["contentMap"]),
		URL:          htmlURLOf(f["url"]),
		Published:    f.time("published"),
		Updated:      f.time("updated"),
		To:           f.ids("to"),
		Cc:           f.ids("cc"),
		Sensitive:    f.boolean("sensitive"),
	}
	o.Content, o.Language = pickContent(o.Content, o.ContentMap)
	for _, v := range arrayOf(f["attachment"]) {
		if a, ok := objectOf(v); ok {
			o.Attachments = append(o.Attachments, RemoteAttachment{
				Type: a.typ(), URL: htmlURLOf(a["url"]), MediaType: a.str("mediaType"), Name: a.str("name"),
			})
		}
	}
	for _, v := range arrayOf(f["tag"]) {
		if t, ok := objectOf(v); ok {
			o.Tags = append(o.Tags, RemoteTag{Type: t.typ(), Name: t.str("name"), Href: t.id("href")})
		}
	}
	return o, nil
}

// stringMapOf reads a language map such as contentMap, keeping string values.
func stringMapOf(raw json.RawMessage) map[string]string {
	f, ok := objectOf(raw)
	if !ok {
		return nil
	}
	m := make(map[string]string, len(f))
	for k, v := range f {
		if s := stringOf(v); s != "" {
			m[k] = s
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// pickContent returns the content to show and its language. Without a
// content property it takes the French entry of contentMap, or else the
// first language in alphabetical order; the language is the contentMap key
// whose value is the content.
func pickContent(content string, byLang map[string]string) (string, string) {
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	if content == "" && len(langs) > 0 {
		if fr, ok := byLang["fr"]; ok {
			return fr, "fr"
		}
		return byLang[langs[0]], langs[0]
	}
	for _, l := range langs {
		if byLang[l] == content {
			return content, l
		}
	}
	return content, ""
}
