package vocab

// Namespaces and well-known addresses.
const (
	// ActivityStreamsContext is the ActivityStreams 2.0 JSON-LD context.
	ActivityStreamsContext = "https://www.w3.org/ns/activitystreams"
	// SecurityContext defines publicKey, owner and publicKeyPem.
	SecurityContext = "https://w3id.org/security/v1"
	// PublicAddress is the special collection meaning "everyone": an object
	// addressed to it is public.
	PublicAddress = "https://www.w3.org/ns/activitystreams#Public"
	// tootNamespace holds Mastodon's extensions (discoverable, indexable, featured).
	tootNamespace = "http://joinmastodon.org/ns#"
	// schemaNamespace holds PropertyValue, used for profile fields.
	schemaNamespace = "http://schema.org#"
	// webfingerTerm is FEP-2c59's property naming an actor's WebFinger
	// address, which Mastodon 4.6 honours.
	webfingerTerm = "https://purl.archive.org/socialweb/webfinger#webfinger"
)

// Media types of the documents, for Content-Type and Accept headers.
const (
	// MediaType is what kiosque sends ActivityPub documents as.
	MediaType = "application/activity+json"
	// LDMediaType is the other form ActivityPub peers ask for and send.
	LDMediaType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	// JRDMediaType is the WebFinger document's type.
	JRDMediaType = "application/jrd+json"
	// NodeInfoProfile is the Content-Type profile of a NodeInfo 2.1 document.
	NodeInfoProfile = `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`
)

// actorContext returns the @context of the actor document: ActivityStreams,
// the security vocabulary for publicKey, and the terms of Mastodon's and
// schema.org's extensions the actor uses, named as Mastodon names them so
// that JSON-LD processors and Mastodon read the same thing.
func actorContext() []any {
	return []any{
		ActivityStreamsContext,
		SecurityContext,
		map[string]any{
			"toot":                      tootNamespace,
			"schema":                    schemaNamespace,
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
			"discoverable":              "toot:discoverable",
			"indexable":                 "toot:indexable",
			"featured":                  map[string]string{"@id": "toot:featured", "@type": "@id"},
			"PropertyValue":             "schema:PropertyValue",
			"value":                     "schema:value",
			"webfinger":                 map[string]string{"@id": webfingerTerm, "@type": "@id"},
		},
	}
}

// objectContext returns the @context of articles and of the activities that
// carry them: Hashtag and sensitive are not in the ActivityStreams context.
func objectContext() []any {
	return []any{
		ActivityStreamsContext,
		map[string]any{
			"Hashtag":   "as:Hashtag",
			"sensitive": "as:sensitive",
		},
	}
}
