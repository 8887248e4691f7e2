package vocab_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/testutil"
)

// FuzzParseActivity checks that no input makes ParseActivity panic, and
// that what it accepts holds what the inbox relies on. The seeds are the
// shared samples when present, and a few hand-written activities.
func FuzzParseActivity(f *testing.F) {
	f.Add([]byte(followJSON))
	f.Add([]byte(`{"id":"https://a.exemple/1","type":"Undo","actor":[{"href":"https://a.exemple/u"}],"object":{"id":"https://a.exemple/f","type":"Follow","actor":"https://a.exemple/u","object":"https://b.exemple/acteur"}}`))
	f.Add([]byte(`{"id":"https://a.exemple/1","type":["Create"],"actor":"https://a.exemple/u","to":"as:Public","object":[{"id":"https://a.exemple/n","type":"Note"}]}`))
	f.Add([]byte(`{"a":[[[[{"b":[]}]]]]}`))
	if dir := sharedTestdata(); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "activitypub", "*", "*.json"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := vocab.ParseActivity(data)
		if len(data) > vocab.MaxDocumentSize && !errors.Is(err, vocab.ErrTooLarge) {
			t.Fatalf("%d bytes accepted: %v", len(data), err)
		}
		if err != nil {
			if a != nil {
				t.Fatalf("activity with error %v", err)
			}
			return
		}
		if u, perr := url.Parse(a.ID); perr != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			t.Fatalf("accepted id %q", a.ID)
		}
		if a.Actor == "" || a.Type == "" || (a.Object.ID == "" && !a.Object.Embedded()) {
			t.Fatalf("accepted incomplete activity %+v", a)
		}
		if a.Object.Embedded() {
			_, _ = a.EmbeddedActivity()
			_, _ = vocab.ParseObject(a.Object.Raw)
			_, _ = vocab.ParseActor(a.Object.Raw)
		}
	})
}

// sharedTestdata returns the shared test data directory where
// testutil.SharedDir finds it, or "" when it is absent: the fuzz test runs
// on its own seeds then, rather than being skipped.
func sharedTestdata() string {
	if dir := os.Getenv("KIOSQUE_SHARED_TESTDATA"); dir != "" {
		return dir
	}
	root, err := testutil.RepoRoot()
	if err != nil {
		return ""
	}
	dir := filepath.Join(root, "..", "shared", "testdata")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}
