package vocab

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"html"
	"strings"
	"time"
)

// ActorInput is what the publication's actor is built from: the addresses
// the web layer routes, and what the newsroom set in its settings.
type ActorInput struct {
	// ID is the actor's id, the URL its document is served at.
	ID string
	// Username is preferredUsername, the name part of the WebFinger handle.
	// Pick it once: changing it breaks Mastodon's WebFinger round trip
	// (TryGhost/Ghost#22952).
	Username string
	// Acct is the full WebFinger address ("lemonde@exemple.fr"), published
	// under FEP-2c59's webfinger property; optional.
	Acct string
	// Name is the displayed name of the publication.
	Name string
	// SummaryHTML is the profile text, already sanitised HTML.
	SummaryHTML string
	// ProfileURL is the publication's HTML home page (the actor's url).
	ProfileURL string
	// Icon is the avatar and Header the profile banner; both optional.
	Icon, Header *ImageInput
	// Inbox, Outbox, Followers, Following, Featured and SharedInbox are the
	// actor's endpoints; Featured and SharedInbox may be empty.
	Inbox, Outbox, Followers, Following, Featured, SharedInbox string
	// PublicKeyPEM is the actor's RSA public key as a PEM "PUBLIC KEY"
	// (SPKI) block, the one its HTTP signatures verify with.
	PublicKeyPEM string
	// ManuallyApprovesFollowers makes Mastodon show the account as locked.
	ManuallyApprovesFollowers bool
	// Discoverable lists the account in directories; Indexable lets its
	// posts appear in full-text search (Mastodon 4.2+).
	Discoverable, Indexable bool
	// Published is when the publication joined the fediverse.
	Published time.Time
	// Fields are the profile's name–value table.
	Fields []ProfileField
}

// ImageInput is an image the site serves.
type ImageInput struct {
	// URL is the image's absolute address.
	URL string
	// MediaType is its MIME type ("image/jpeg").
	MediaType string
	// Alt is the text alternative; optional for icons and banners.
	Alt string
}

// ProfileField is one line of the profile table: a link when URL is set,
// plain text otherwise.
type ProfileField struct {
	// Name is the line's label ("Site", "Rédaction").
	Name string
	// URL makes the value a rel="me" link, which Mastodon verifies when the
	// page links back to the profile.
	URL string
	// Text is the value shown; for a link it defaults to the address
	// without its scheme.
	Text string
}

// Person is the publication's actor document. kiosque is one Person per
// publication, like Ghost and WriteFreely: a Service would carry Mastodon's
// "Automated" badge and a Group has forum semantics (integrations.md 8.1).
type Person struct {
	Context                   any             `json:"@context,omitempty"`
	ID                        string          `json:"id"`
	Type                      string          `json:"type"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name"`
	Summary                   string          `json:"summary"`
	URL                       string          `json:"url"`
	Icon                      *Image          `json:"icon,omitempty"`
	Image                     *Image          `json:"image,omitempty"`
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Followers                 string          `json:"followers"`
	Following                 string          `json:"following"`
	Featured                  string          `json:"featured,omitempty"`
	Endpoints                 *Endpoints      `json:"endpoints,omitempty"`
	PublicKey                 PublicKey       `json:"publicKey"`
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	Published                 string          `json:"published,omitempty"`
	Webfinger                 string          `json:"webfinger,omitempty"`
	Attachment                []PropertyValue `json:"attachment"`
}

// Image is an image attached to a document: an actor's icon or banner, an
// article's illustration.
type Image struct {
	Type      string `json:"type"`
	URL       string `json:"url"`
	MediaType string `json:"mediaType,omitempty"`
	Name      string `json:"name,omitempty"`
}

// Endpoints holds the actor's sharedInbox, where servers deliver once for
// all their users who follow the publication.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox"`
}

// PublicKey is the key an actor's HTTP signatures verify with, in emitted
// and parsed documents alike.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPEM string `json:"publicKeyPem"`
}

// PropertyValue is one line of a profile table, its value in HTML.
type PropertyValue struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// MainKeyID returns the id of an actor's key, "{actor}#main-key", the form
// Mastodon uses and expects in keyId.
func MainKeyID(actorID string) string {
	return actorID + "#main-key"
}

// NewPerson builds the actor document. It returns an ErrInvalidInput error
// when an address is missing or not absolute, or the key is not a PEM
// public key.
func NewPerson(in ActorInput) (*Person, error) {
	for _, f := range []struct{ name, v string }{
		{"id", in.ID}, {"inbox", in.Inbox}, {"outbox", in.Outbox},
		{"followers", in.Followers}, {"following", in.Following}, {"url", in.ProfileURL},
	} {
		if err := checkURL(f.name, f.v); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct{ name, v string }{{"featured", in.Featured}, {"sharedInbox", in.SharedInbox}} {
		if err := checkOptionalURL(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if in.Username == "" {
		return nil, invalidInput("preferredUsername", "is required")
	}
	if err := checkPublicKeyPEM(in.PublicKeyPEM); err != nil {
		return nil, err
	}
	icon, err := newImage("icon", in.Icon)
	if err != nil {
		return nil, err
	}
	header, err := newImage("image", in.Header)
	if err != nil {
		return nil, err
	}
	p := &Person{
		Context:           actorContext(),
		ID:                in.ID,
		Type:              "Person",
		PreferredUsername: in.Username,
		Name:              in.Name,
		Summary:           in.SummaryHTML,
		URL:               in.ProfileURL,
		Icon:              icon,
		Image:             header,
		Inbox:             in.Inbox,
		Outbox:            in.Outbox,
		Followers:         in.Followers,
		Following:         in.Following,
		Featured:          in.Featured,
		PublicKey: PublicKey{
			ID:           MainKeyID(in.ID),
			Owner:        in.ID,
			PublicKeyPEM: in.PublicKeyPEM,
		},
		ManuallyApprovesFollowers: in.ManuallyApprovesFollowers,
		Discoverable:              in.Discoverable,
		Indexable:                 in.Indexable,
		Published:                 formatTime(in.Published),
		Attachment:                []PropertyValue{},
	}
	if p.Name == "" {
		p.Name = in.Username
	}
	if in.SharedInbox != "" {
		p.Endpoints = &Endpoints{SharedInbox: in.SharedInbox}
	}
	if in.Acct != "" {
		p.Webfinger = "acct:" + strings.TrimPrefix(in.Acct, "acct:")
	}
	for i, f := range in.Fields {
		pv, err := newPropertyValue(f)
		if err != nil {
			return nil, fmt.Errorf("profile field %d: %w", i+1, err)
		}
		p.Attachment = append(p.Attachment, pv)
	}
	return p, nil
}

// newImage converts an optional image input; nil gives nil.
func newImage(field string, in *ImageInput) (*Image, error) {
	if in == nil {
		return nil, nil
	}
	if err := checkURL(field+".url", in.URL); err != nil {
		return nil, err
	}
	return &Image{Type: "Image", URL: in.URL, MediaType: in.MediaType, Name: in.Alt}, nil
}

// newPropertyValue writes a profile line's value: a rel="me" link, which is
// what Mastodon checks for its verified mark, or escaped text.
func newPropertyValue(f ProfileField) (PropertyValue, error) {
	if f.Name == "" {
		return PropertyValue{}, invalidInput("name", "is required")
	}
	pv := PropertyValue{Type: "PropertyValue", Name: f.Name}
	if f.URL == "" {
		pv.Value = html.EscapeString(f.Text)
		return pv, nil
	}
	if err := checkURL("url", f.URL); err != nil {
		return PropertyValue{}, err
	}
	text := f.Text
	if text == "" {
		text = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(f.URL, "https://"), "http://"), "/")
	}
	pv.Value = `<a href="` + html.EscapeString(f.URL) + `" rel="me" target="_blank">` + html.EscapeString(text) + `</a>`
	return pv, nil
}

// checkPublicKeyPEM verifies that s is one PEM "PUBLIC KEY" block holding an
// SPKI key, the only form Mastodon reads from publicKeyPem.
func checkPublicKeyPEM(s string) error {
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "PUBLIC KEY" {
		return invalidInput("publicKeyPem", "is not a PEM PUBLIC KEY block")
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
		return invalidInput("publicKeyPem", "does not hold a public key: "+err.Error())
	}
	return nil
}
