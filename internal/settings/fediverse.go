package settings

import (
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
)

// ObjectType is what an article becomes on the fediverse.
type ObjectType string

// The object types; see Fediverse.ObjectType.
const (
	// ObjectArticle shows, on Mastodon, the title, the standfirst and a
	// link card: readers come to the site for the text (Ghost's choice).
	ObjectArticle ObjectType = "article"
	// ObjectNote shows the text in the timeline, as a post (the WordPress
	// plugin's default).
	ObjectNote ObjectType = "note"
)

// Fediverse is how the publication shows on the fediverse (ActivityPub).
type Fediverse struct {
	// Enabled makes the site an ActivityPub actor; off, its addresses
	// answer 404 and nothing is sent.
	Enabled bool `json:"enabled"`
	// Username is the publication's handle, @Username@host. Changing it
	// loses the followers: Mastodon checks the handle against the actor.
	Username string `json:"username"`
	// Locked holds follow requests for approval in the back office.
	Locked bool `json:"locked"`
	// ObjectType is what an article is sent as.
	ObjectType ObjectType `json:"object_type"`
	// AuthorActors makes each author an actor too (@slug@host), followed
	// for their own articles.
	AuthorActors bool `json:"author_actors"`
	// HeaderURL is the profile's banner (Mastodon shows it above the
	// account), a path of the site or an https address; empty for none.
	// The avatar is the site's logo.
	HeaderURL string `json:"header_url"`
}

// DefaultFediverse is the fediverse's setting of a new site: on, as
// @redaction (the newsroom), articles sent as Articles.
func DefaultFediverse() Fediverse {
	return Fediverse{Enabled: true, Username: "redaction", ObjectType: ObjectArticle}
}

// maxUsername bounds the handle, as Mastodon bounds its own (30).
const maxUsername = 30

func (f *Fediverse) normalize() {
	f.Username = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f.Username), "@"))
	f.ObjectType = ObjectType(strings.TrimSpace(string(f.ObjectType)))
	f.HeaderURL = strings.TrimSpace(f.HeaderURL)
	if f.ObjectType == "" {
		f.ObjectType = ObjectArticle
	}
}

// validate checks the handle (letters, digits and underscores, as
// Mastodon's usernames; hyphens and dots too, which other servers allow)
// and the object type.
func (f *Fediverse) validate() error {
	if f.ObjectType != ObjectArticle && f.ObjectType != ObjectNote {
		return apperr.New(apperr.Invalid, "error.settings.fediverse_object_type").InField("fediverse_object_type")
	}
	if !validLogo(f.HeaderURL) {
		return apperr.New(apperr.Invalid, "error.settings.bad_logo_url").InField("fediverse_header_url")
	}
	if f.Username == "" && !f.Enabled {
		return nil
	}
	if f.Username == "" || len(f.Username) > maxUsername {
		return apperr.New(apperr.Invalid, "error.settings.fediverse_username").InField("fediverse_username")
	}
	for _, r := range f.Username {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '-' && r != '.' {
			return apperr.New(apperr.Invalid, "error.settings.fediverse_username").InField("fediverse_username")
		}
	}
	return nil
}
