package bluesky

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/social/bluesky/blueskytest"
)

// atprotoAPIVersion is the official client the fake is checked against.
const atprotoAPIVersion = "0.21.0"

// TestAtprotoAPI runs Bluesky's own TypeScript client against the fake
// PDS, so that the fake answers what the official client expects (it
// validates every answer against the lexicons), and compares the facets
// its RichText finds with facetsOf's. It needs node and npm and installs
// @atproto/api once into a directory outside the repository
// ($KIOSQUE_ATPROTO_API_DIR, else the system's temporary directory);
// without them it skips.
func TestAtprotoAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the official client's check runs node")
	}
	dir := installAtprotoAPI(t)

	s := blueskytest.NewServer(t)
	st, c := newStore(s), newClient(t)
	if _, err := c.Verify(t.Context(), st.creds()); err != nil {
		t.Fatal(err)
	}
	s.ExpireAccessTokens()

	// The texts on which facetsOf and RichText agree. They differ on
	// purpose in two cases: a link ending with the bracket it opened, inside
	// brackets ("(voir https://fr.wikipedia.org/wiki/Le_Monde_(journal))"),
	// where RichText keeps the sentence's ")" in the link and facetsOf does
	// not; and a link right after "[", which RichText leaves unlinked.
	const posted = "Réforme : l’Élysée tranche, les syndicats s’inquiètent 🇫🇷🎉👩‍👩‍👧 — à lire " +
		"https://exemple.fr/articles/réforme-été?src=bsky&x=1, et https://fr.wikipedia.org/wiki/Le_Monde_(journal). #Politique #ÉtéIndien #2026"
	texts := []string{
		posted,
		"Été à l’Élysée 🇫🇷👩‍👩‍👧 https://ex.fr/a",
		"Voir https://ex.fr/a. Puis https://ex.fr/b, et https://ex.fr/été?q=ç&x=1 !",
		"(voir https://ex.fr/a) et « https://ex.fr/b »",
		"#Climat : la COP31 s’ouvre. #ÉtéIndien, #Paris! #2026 C#",
		"https://ex.fr/a#commentaires #Débat 🎉",
	}
	p := article(t)
	image, _, _ := p.LoadImage(t.Context())
	input, err := json.Marshal(map[string]any{
		"service": s.URL,
		"session": map[string]any{
			"accessJwt": st.secret("access_jwt"), "refreshJwt": st.secret("refresh_jwt"),
			"did": st.secret("did"), "handle": blueskytest.Handle, "active": true,
		},
		"texts": texts, "image": base64.StdEncoding.EncodeToString(image),
		"link": p.Link, "title": p.Title, "description": p.Description,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "post.mjs"), string(input))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("the official client failed against the fake: %v\n%s", err, stderr.String())
	}
	var out struct {
		Facets      [][]facet       `json:"facets"`
		URI         string          `json:"uri"`
		Record      json.RawMessage `json:"record"`
		DisplayName string          `json:"displayName"`
		Refreshed   bool            `json:"refreshed"`
	}
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	for i, text := range texts {
		if diff := cmp.Diff(out.Facets[i], facetsOf(text)); diff != "" {
			t.Errorf("facets of %q (-RichText +facetsOf):\n%s", text, diff)
		}
	}
	if !out.Refreshed || s.Calls("com.atproto.server.refreshSession") != 1 {
		t.Errorf("the official client did not refresh the expired session")
	}
	if out.DisplayName != blueskytest.DisplayName || !strings.HasPrefix(out.URI, "at://"+blueskytest.DID+"/app.bsky.feed.post/") {
		t.Errorf("display name %q, uri %q", out.DisplayName, out.URI)
	}
	var rec struct {
		Facets []facet  `json:"facets"`
		Embed  embedExt `json:"embed"`
		Langs  []string `json:"langs"`
		Text   string   `json:"text"`
	}
	if err := json.Unmarshal(out.Record, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Text != posted || !cmp.Equal(rec.Facets, facetsOf(posted)) || len(rec.Embed.External.Thumb) == 0 || !cmp.Equal(rec.Langs, []string{"fr"}) {
		t.Errorf("the record read back: %s", out.Record)
	}
	if n := len(s.Posts()); n != 0 {
		t.Errorf("%d posts after the official client deleted its own", n)
	}
}

// installAtprotoAPI returns a directory holding post.mjs next to
// node_modules/@atproto/api, installing it when missing, or skips.
func installAtprotoAPI(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the check against the official client @atproto/api is skipped")
	}
	dir := os.Getenv("KIOSQUE_ATPROTO_API_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "kiosque-atproto-api-"+atprotoAPIVersion)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@atproto", "api", "package.json")); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skip("npm is not installed: the check against the official client @atproto/api is skipped")
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		// The package asks for node 22 but runs on 20; --engine-strict
		// stays off for that.
		cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund",
			"--fetch-retries=0", "--fetch-timeout=30000", "@atproto/api@"+atprotoAPIVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("@atproto/api@%s could not be installed from the npm registry (%v); the check against the official client is skipped:\n%s",
				atprotoAPIVersion, err, out)
		}
	}
	script, err := os.ReadFile(filepath.Join("testdata", "atproto-api", "post.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "post.mjs"), script, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
