package vocab_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// asTerms are the ActivityStreams 2.0 context's terms (ActivityPub's
// included) that kiosque's documents use, with the security context's.
var asTerms = []string{
	"id", "type", "actor", "object", "to", "cc", "published", "updated", "deleted", "formerType",
	"name", "summary", "content", "contentMap", "url", "attributedTo", "tag", "attachment", "image",
	"icon", "inReplyTo", "replies", "preview", "inbox", "outbox", "followers", "following",
	"preferredUsername", "endpoints", "sharedInbox", "totalItems", "first", "next", "prev", "partOf",
	"orderedItems", "href", "mediaType",
	"Person", "Article", "Note", "Image", "Create", "Update", "Delete", "Accept", "Reject", "Follow",
	"Tombstone", "Collection", "OrderedCollection", "OrderedCollectionPage",
	"publicKey", "owner", "publicKeyPem",
}

// TestContextDefinesTerms checks that every member name and type our
// JSON-LD documents use is an ActivityStreams or security term, or is
// defined by the document's own @context (as Hashtag, sensitive,
// discoverable), so JSON-LD processors read what Mastodon reads.
func TestContextDefinesTerms(t *testing.T) {
	for name, v := range emitted(t) {
		doc := asJSON(t, v)
		ctx, ok := doc["@context"]
		if !ok {
			continue // WebFinger and NodeInfo are plain JSON
		}
		defined := map[string]bool{}
		if list, ok := ctx.([]any); ok {
			for _, c := range list {
				if m, ok := c.(map[string]any); ok {
					for k := range m {
						defined[k] = true
					}
				}
			}
		}
		var undefined []string
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, sub := range v {
					switch k {
					case "@context":
						continue
					case "contentMap":
						continue // keyed by language
					case "type":
						if s, ok := sub.(string); ok && !defined[s] && !slices.Contains(asTerms, s) {
							undefined = append(undefined, "type "+s)
						}
					}
					if !defined[k] && !slices.Contains(asTerms, k) {
						undefined = append(undefined, k)
					}
					walk(sub)
				}
			case []any:
				for _, sub := range v {
					walk(sub)
				}
			}
		}
		walk(doc)
		if len(undefined) > 0 {
			slices.Sort(undefined)
			t.Errorf("%s uses terms its @context does not define: %v", name, slices.Compact(undefined))
		}
	}
}

// asJSON returns a document as served, decoded as generic JSON.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := vocab.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
