package vocab_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/testutil"
)

// loadSample reads a document of the shared ActivityPub samples. The
// WordPress plugin's fixtures are HTTP captures {headers, body, response}
// whose body is the document as a string: the body is returned.
func loadSample(t *testing.T, rel string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.SharedDir(t), "activitypub", rel))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if body, ok := m["body"].(string); ok && m["headers"] != nil {
		m = nil
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s body: %v", rel, err)
		}
	}
	return m
}

// missingKeys lists the members of sample, at any depth, that ours lacks,
// as dotted paths ("object.attachment[].name"). Arrays are compared through
// their first elements, language maps (contentMap) by presence only. @context is left to TestContextDefinesTerms, and
// paths in skip (with the reason they do not apply to kiosque) are ignored.
func missingKeys(path string, ours, sample any, skip map[string]string) []string {
	switch s := sample.(type) {
	case map[string]any:
		o, ok := ours.(map[string]any)
		if !ok {
			return []string{path + ": not an object in ours"}
		}
		var missing []string
		for k, sv := range s {
			p := strings.TrimPrefix(path+"."+k, ".")
			if _, skipped := skip[p]; skipped || k == "@context" {
				continue
			}
			ov, ok := o[k]
			if !ok {
				missing = append(missing, p)
				continue
			}
			if strings.HasSuffix(k, "Map") {
				continue // a language map: its keys are languages, not members
			}
			missing = append(missing, missingKeys(p, ov, sv, skip)...)
		}
		return missing
	case []any:
		o, ok := ours.([]any)
		if len(s) == 0 {
			return nil
		}
		if _, isObj := s[0].(map[string]any); !isObj {
			return nil
		}
		if !ok || len(o) == 0 {
			return []string{path + "[]: empty in ours, cannot compare its members"}
		}
		return missingKeys(path+"[]", o[0], s[0], skip)
	}
	return nil
}

// TestShapeMatchesSamples checks each golden document structurally against
// real documents of the same kind from Mastodon, Pleroma, GoToSocial, the
// WordPress plugin and We Distribute: ours must have every member theirs
// has, at every depth, except those skipped with a reason.
func TestShapeMatchesSamples(t *testing.T) {
	signature := "Linked Data signature: kiosque signs its HTTP requests, not its documents"
	ostatus := "OStatus leftover, gone from Mastodon's federation"
	tests := []struct {
		golden string
		sample string
		// pick selects the part of the sample to compare, "" for all of it.
		pick string
		skip map[string]string
	}{
		{"actor", "pleroma-rebased/admin@mastdon.example.org.json", "", map[string]string{
			"capabilities": "Pleroma chat capability; a publication has no chat",
			"alsoKnownAs":  "account migration; a publication does not move",
		}},
		{"actor", "wordpress-activitypub/notiz-blog-author-matthias-pfefferle.json", "", map[string]string{
			"tag": "custom emoji of the profile text; kiosque has none",
		}},
		{"actor", "pleroma-rebased/wedistribute-user.json", "", map[string]string{
			"liked": "a publication likes nothing",
		}},
		{"update-actor", "pleroma-rebased/mastodon-update.json", "", nil},
		{"create-article", "pleroma-rebased/wedistribute-create-article.json", "", map[string]string{
			"object.likes":  "no count of likes is kept",
			"object.shares": "no count of boosts is kept",
		}},
		{"article", "pleroma-rebased/wedistribute-article.json", "", map[string]string{
			"likes":  "no count of likes is kept",
			"shares": "no count of boosts is kept",
		}},
		{"article", "wordpress-activitypub/notiz-blog-2022-11-14-the-at-protocol.json", "", nil},
		{"note", "wordpress-activitypub/notiz-blog-2022-11-14-the-at-protocol.json", "", nil},
		{"note", "pleroma-rebased/mastodon-note-object.json", "", map[string]string{
			"atomUri": ostatus, "inReplyToAtomUri": ostatus, "conversation": ostatus,
		}},
		{"create-note", "pleroma-rebased/mastodon-post-activity.json", "", map[string]string{
			"signature":               signature,
			"object.atomUri":          ostatus,
			"object.inReplyToAtomUri": ostatus,
			"object.conversation":     ostatus,
			"object.replies.first":    "the first page is served when the replies collection is dereferenced",
		}},
		{"create-note", "pleroma-rebased/mastodon-create-with-attachment.json", "", map[string]string{
			"signature":               signature,
			"object.atomUri":          ostatus,
			"object.inReplyToAtomUri": ostatus,
			"object.conversation":     ostatus,
		}},
		{"create-note", "gotosocial/samplenote.json", "", map[string]string{
			"object.atomUri":                 ostatus,
			"object.inReplyToAtomUri":        ostatus,
			"object.conversation":            ostatus,
			"object.attachment[].blurhash":   "Mastodon computes its own blurhash when it fetches the image",
			"object.attachment[].focalPoint": "the newsroom does not set a focal point",
			"object.replies.first":           "the first page is served when the replies collection is dereferenced",
		}},
		{"accept", "pleroma-rebased/mastodon-accept-activity.json", "", map[string]string{
			"signature": signature,
			"nickname":  "Pleroma test artefact, not part of the activity",
		}},
		{"delete-article", "pleroma-rebased/mastodon-delete.json", "", map[string]string{
			"signature":      signature,
			"object.atomUri": ostatus,
		}},
		{"tombstone", "pleroma-rebased/mastodon-delete.json", "object", map[string]string{
			"atomUri": ostatus,
		}},
		{"outbox", "pleroma-rebased/masto_closed_followers.json", "", nil},
		{"followers", "pleroma-rebased/masto_closed_followers.json", "", map[string]string{
			"first": "count only: the publication keeps its readers private",
		}},
		{"followers-page", "pleroma-rebased/masto_closed_followers_page.json", "", nil},
		{"outbox-page", "pleroma-rebased/masto_closed_followers_page.json", "", nil},
		{"webfinger", "pleroma-rebased/masto-webfinger.json", "", nil},
		{"webfinger", "wordpress-activitypub/notiz-blog-well-known-webfinger.json", "", map[string]string{
			"properties": "Salmon magic key, an OStatus leftover",
		}},
		{"nodeinfo", "pleroma-rebased/mastodon-nodeinfo20.json", "", nil},
		{"nodeinfo", "mastodon-api/nodeinfo_server_info.json", "", nil},
		{"nodeinfo-links", "pleroma-rebased/mastodon-well-known-nodeinfo.json", "", nil},
		{"nodeinfo-links", "mastodon-api/nodeinfo.json", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.golden+"~"+filepath.Base(tt.sample), func(t *testing.T) {
			sample := loadSample(t, tt.sample)
			if tt.pick != "" {
				sample, _ = sample[tt.pick].(map[string]any)
			}
			ours := readGolden(t, tt.golden)
			for _, p := range sortedKeys(tt.skip) {
				t.Logf("skipped %s: %s", p, tt.skip[p])
			}
			if missing := missingKeys("", ours, sample, tt.skip); len(missing) > 0 {
				slices.Sort(missing)
				t.Errorf("%s lacks what %s has: %s", tt.golden, tt.sample, strings.Join(missing, ", "))
			}
		})
	}
}

// TestWebFingerLinks checks the two links Mastodon and the profile page
// need, as the samples write them.
func TestWebFingerLinks(t *testing.T) {
	rels := func(doc map[string]any) map[string]string {
		out := map[string]string{}
		links, _ := doc["links"].([]any)
		for _, l := range links {
			m, _ := l.(map[string]any)
			rel, _ := m["rel"].(string)
			typ, _ := m["type"].(string)
			if _, seen := out[rel]; !seen {
				out[rel] = typ
			}
		}
		return out
	}
	ours := rels(readGolden(t, "webfinger"))
	for _, sample := range []string{"pleroma-rebased/masto-webfinger.json", "wordpress-activitypub/notiz-blog-well-known-webfinger.json"} {
		theirs := rels(loadSample(t, sample))
		for _, rel := range []string{"self", "http://webfinger.net/rel/profile-page"} {
			if ours[rel] != theirs[rel] {
				t.Errorf("link %s: type %q, %s has %q", rel, ours[rel], sample, theirs[rel])
			}
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
