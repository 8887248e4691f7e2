package vocab

import "strings"

// Link relations of the WebFinger and NodeInfo documents.
const (
	// RelSelf links a WebFinger subject to its ActivityPub actor; Mastodon
	// requires it.
	RelSelf = "self"
	// RelProfilePage links a WebFinger subject to its HTML page.
	RelProfilePage = "http://webfinger.net/rel/profile-page"
	// RelNodeInfo21 links /.well-known/nodeinfo to the NodeInfo 2.1 document.
	RelNodeInfo21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
)

// JRD is a WebFinger answer (RFC 7033's JSON Resource Descriptor).
type JRD struct {
	Subject string   `json:"subject"`
	Aliases []string `json:"aliases,omitempty"`
	Links   []Link   `json:"links"`
}

// Link is one link of a JRD or of the NodeInfo discovery document.
type Link struct {
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
	Href string `json:"href,omitempty"`
}

// WebFingerInput is what the publication's WebFinger answer is built from.
type WebFingerInput struct {
	// Username and Domain make the handle, acct:{Username}@{Domain}. The
	// domain must WebFinger back to the same actor: Mastodon checks the
	// round trip from the actor's preferredUsername and host.
	Username, Domain string
	// ActorID is the actor document's address.
	ActorID string
	// ProfileURL is the publication's HTML page.
	ProfileURL string
}

// NewWebFinger builds the answer to /.well-known/webfinger for the
// publication, for resource=acct:… as for resource={actor id}.
func NewWebFinger(in WebFingerInput) (*JRD, error) {
	if in.Username == "" || strings.ContainsAny(in.Username, "@: /") {
		return nil, invalidInput("username", "must be a bare name")
	}
	if in.Domain == "" || strings.ContainsAny(in.Domain, "@/ ") {
		return nil, invalidInput("domain", "must be a host name")
	}
	if err := checkURL("actor", in.ActorID); err != nil {
		return nil, err
	}
	if err := checkURL("profile", in.ProfileURL); err != nil {
		return nil, err
	}
	return &JRD{
		Subject: "acct:" + in.Username + "@" + in.Domain,
		Aliases: []string{in.ProfileURL, in.ActorID},
		Links: []Link{
			{Rel: RelProfilePage, Type: "text/html", Href: in.ProfileURL},
			{Rel: RelSelf, Type: MediaType, Href: in.ActorID},
		},
	}, nil
}
