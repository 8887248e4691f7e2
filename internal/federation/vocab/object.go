package vocab

import (
	"html"
	"strings"
	"time"
)

// ObjectType is the type articles are federated as, a per-publication
// setting (the WordPress plugin offers the same switch).
//
// Mastodon renders the two very differently (integrations.md 8.4): an
// Article is a "converted" type, shown as its linked name, its summary and
// its url, with a link card and without its content (mastodon/mastodon#6218,
// #8609); a Note shows its content, and its summary would become a content
// warning. So Article suits a paywalled newsroom (title, dek, link, card),
// and Note puts the text itself in the timeline.
type ObjectType string

// The two object types.
const (
	// TypeArticle is the default: title, summary, full content, and a
	// FEP-b2b8 preview for servers that render Notes only.
	TypeArticle ObjectType = "Article"
	// TypeNote sends the title, excerpt, link and hashtags as the content
	// of a Note, as the WordPress plugin's default template does, since a
	// titled Note loses its name on Mastodon (NodeBB/NodeBB#14187).
	TypeNote ObjectType = "Note"
)

// ArticleInput is what an article's object is built from.
type ArticleInput struct {
	// ID is the object's id, dereferenceable with content negotiation.
	ID string
	// URL is the article's canonical HTML page. Keep it, the id and the
	// actor on one host: Mastodon falls back to the id otherwise
	// (snarfed/bridgy-fed#343).
	URL string
	// ActorID is the publication's actor, the object's attributedTo.
	ActorID string
	// FollowersURL is the actor's followers collection, put in cc.
	FollowersURL string
	// RepliesURL is the collection of the article's replies; optional.
	RepliesURL string
	// Title is the article's title, plain text.
	Title string
	// Excerpt is the dek or excerpt, plain text.
	Excerpt string
	// ContentHTML is the article's body: the full text of a free article,
	// the teaser of a paywalled one. Sanitised HTML.
	ContentHTML string
	// Language is the content's BCP 47 tag ("fr"); it sets contentMap,
	// which Mastodon reads the post's language from.
	Language string
	// Published is when the article went out; Updated, when set, is its
	// last edit (Mastodon 3.5+ shows edits).
	Published, Updated time.Time
	// Tags are the article's tags, sent as Hashtags.
	Tags []TagInput
	// Images illustrate the article, the featured one first.
	Images []ImageInput
}

// TagInput is a tag of an article.
type TagInput struct {
	// Label is the tag as the newsroom wrote it ("Élections municipales").
	Label string
	// URL is the tag's page on the site.
	URL string
}

// Object is an article as an ActivityStreams Article or Note. Summary and
// InReplyTo are written as null when unset, as Mastodon writes them.
type Object struct {
	Context      any               `json:"@context,omitempty"`
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	AttributedTo string            `json:"attributedTo"`
	Name         string            `json:"name,omitempty"`
	Summary      *string           `json:"summary"`
	Content      string            `json:"content"`
	ContentMap   map[string]string `json:"contentMap,omitempty"`
	URL          string            `json:"url"`
	Published    string            `json:"published"`
	Updated      string            `json:"updated,omitempty"`
	To           []string          `json:"to"`
	Cc           []string          `json:"cc"`
	Tag          []Tag             `json:"tag"`
	Attachment   []Image           `json:"attachment"`
	Image        *Image            `json:"image,omitempty"`
	Sensitive    bool              `json:"sensitive"`
	InReplyTo    *string           `json:"inReplyTo"`
	Replies      *CollectionRef    `json:"replies,omitempty"`
	Preview      *Preview          `json:"preview,omitempty"`
}

// Tag is a Hashtag of an object; Name starts with "#".
type Tag struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Href string `json:"href"`
}

// CollectionRef names a collection without its items, as the replies of an
// object: peers dereference the id to page through it.
type CollectionRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Preview is FEP-b2b8's preview of a long-form object: a Note with the
// excerpt, for servers that show Notes only (Automattic/wordpress-activitypub#1331).
type Preview struct {
	Type         string `json:"type"`
	AttributedTo string `json:"attributedTo"`
	Content      string `json:"content"`
}

// NewObject builds an article's object as typ (TypeArticle when empty). It
// returns an ErrInvalidInput error when an address, the title or the date is
// missing or bad.
func NewObject(in ArticleInput, typ ObjectType) (*Object, error) {
	if err := checkArticle(in); err != nil {
		return nil, err
	}
	if typ == "" {
		typ = TypeArticle
	}
	if typ != TypeArticle && typ != TypeNote {
		return nil, invalidInput("type", "must be Article or Note, not "+string(typ))
	}
	o := &Object{
		Context:      objectContext(),
		ID:           in.ID,
		Type:         string(typ),
		AttributedTo: in.ActorID,
		URL:          in.URL,
		Published:    formatTime(in.Published),
		To:           []string{PublicAddress},
		Cc:           []string{in.FollowersURL},
		Tag:          []Tag{},
		Attachment:   []Image{},
	}
	if !in.Updated.IsZero() && in.Updated.After(in.Published) {
		o.Updated = formatTime(in.Updated)
	}
	for _, t := range in.Tags {
		name := HashtagName(t.Label)
		if name == "" {
			continue
		}
		o.Tag = append(o.Tag, Tag{Type: "Hashtag", Name: name, Href: t.URL})
	}
	for _, img := range in.Images {
		o.Attachment = append(o.Attachment, Image{Type: "Image", URL: img.URL, MediaType: img.MediaType, Name: img.Alt})
	}
	if in.RepliesURL != "" {
		o.Replies = &CollectionRef{ID: in.RepliesURL, Type: "Collection"}
	}
	excerpt := strings.TrimSpace(in.Excerpt)
	switch typ {
	case TypeArticle:
		o.Name = in.Title
		o.Content = in.ContentHTML
		if excerpt != "" {
			o.Summary = &excerpt
			o.Preview = &Preview{Type: "Note", AttributedTo: in.ActorID, Content: textToHTML(excerpt)}
		}
		if len(o.Attachment) > 0 {
			first := o.Attachment[0]
			o.Image = &first
		}
	case TypeNote:
		o.Content = noteContent(in.Title, excerpt, in.URL, o.Tag)
	}
	if in.Language != "" {
		o.ContentMap = map[string]string{in.Language: o.Content}
	}
	return o, nil
}

// checkArticle validates the input shared by both object types.
func checkArticle(in ArticleInput) error {
	for _, f := range []struct{ name, v string }{
		{"id", in.ID}, {"url", in.URL}, {"attributedTo", in.ActorID}, {"followers", in.FollowersURL},
	} {
		if err := checkURL(f.name, f.v); err != nil {
			return err
		}
	}
	if err := checkOptionalURL("replies", in.RepliesURL); err != nil {
		return err
	}
	if strings.TrimSpace(in.Title) == "" {
		return invalidInput("name", "is required")
	}
	if in.Published.IsZero() {
		return invalidInput("published", "is required")
	}
	for _, t := range in.Tags {
		if err := checkURL("tag.href", t.URL); err != nil {
			return err
		}
	}
	for _, img := range in.Images {
		if err := checkURL("attachment.url", img.URL); err != nil {
			return err
		}
	}
	return nil
}

// noteContent is a Note's content: the title in bold (Mastodon turns
// headings into <strong> anyway), the excerpt, the link, the hashtags.
func noteContent(title, excerpt, url string, tags []Tag) string {
	var b strings.Builder
	b.WriteString("<p><strong>" + html.EscapeString(strings.TrimSpace(title)) + "</strong></p>")
	b.WriteString(textToHTML(excerpt))
	b.WriteString("<p>" + linkHTML(url) + "</p>")
	if len(tags) > 0 {
		links := make([]string, len(tags))
		for i, t := range tags {
			links[i] = hashtagLink(t)
		}
		b.WriteString("<p>" + strings.Join(links, " ") + "</p>")
	}
	return b.String()
}

// embedded returns a copy of o without its @context, to be carried inside
// an activity or a collection.
func (o *Object) embedded() *Object {
	c := *o
	c.Context = nil
	return &c
}
