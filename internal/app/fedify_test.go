package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/web"
)

// fedifyDir holds the Fedify peer (peer.mjs) and its pinned npm packages.
const fedifyDir = "testdata/fedify"

// fedifyTimeout bounds each wait on the peer or the site.
const fedifyTimeout = 30 * time.Second

// TestFederationWithFedify runs the site against an ActivityPub server it
// did not write: Fedify (npm @fedify/fedify, pinned in testdata/fedify),
// on loopback. Fedify's account follows the site and gets its Accept; the
// site publishes an article and Fedify receives the Create at its shared
// inbox; Fedify runs its inbox listeners only for activities whose HTTP
// signature it verified, and the peer names the key that signed each one.
// Fedify's reply to the article then lands in the moderation queue.
func TestFederationWithFedify(t *testing.T) {
	node := fedifyNode(t)
	ctx := context.Background()
	site := apptest.New(t, apptest.Options{Serve: true, NoDemo: true})
	a := site.App
	actor := site.URL + "/ap/actor"
	store := storage.NewFederationStore(a.DB)
	t.Cleanup(func() {
		if t.Failed() {
			logInbox(t, store)
		}
	})
	peer := startFedify(t, node)
	alice := peer.URL + "/users/alice"

	res, body := site.Get(t, "/ap/actor", "Accept", "application/activity+json")
	var doc struct {
		PublicKey struct {
			ID string `json:"id"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(body), &doc); res.StatusCode != http.StatusOK || err != nil || doc.PublicKey.ID == "" {
		t.Fatalf("actor: %d %v %.300s", res.StatusCode, err, body)
	}
	siteKey := doc.PublicKey.ID

	// Alice follows the site: a verified Accept of her Follow comes back
	// to her own inbox.
	sent := peer.Command(t, map[string]string{"follow": actor})
	accept := peer.Wait(t, "the Accept of the follow", func(m fedifyLine) bool { return m.Received == "Accept" })
	if accept.Inbox != "/users/alice/inbox" || accept.Actor != actor || accept.Signer != siteKey || accept.ObjectID != sent.ID {
		t.Fatalf("accept: inbox %s, actor %s, signed by %q (want %q), object %s (want %s)",
			accept.Inbox, accept.Actor, accept.Signer, siteKey, accept.ObjectID, sent.ID)
	}
	followers, n, err := store.Followers(ctx, federation.FollowerQuery{Limit: 10})
	if err != nil || n != 1 {
		t.Fatalf("followers = %+v (%d), %v", followers, n, err)
	}
	if f := followers[0]; f.ActorID != alice || f.Inbox != alice+"/inbox" || f.SharedInbox != peer.URL+"/inbox" || f.FollowID != sent.ID {
		t.Errorf("follower = %+v", f)
	}

	// The site publishes: a verified Create of the article reaches
	// Fedify's shared inbox.
	art, err := a.Content.CreateArticle(ctx, content.ArticleInput{Title: "Grève à l’usine", Body: "Les salariés sont en grève depuis lundi.",
		Excerpt: "Depuis lundi.", Status: content.StatusPublished, CommentsOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	artURL := site.URL + web.ArticlePath(art, a.Settings.Get().Location())
	create := peer.Wait(t, "the Create of the article", func(m fedifyLine) bool { return m.Received == "Create" })
	if create.Inbox != "/inbox" || create.Actor != actor || create.Signer != siteKey || create.ObjectID != artURL {
		t.Fatalf("create: inbox %s, actor %s, signed by %q (want %q), object %s (want %s)",
			create.Inbox, create.Actor, create.Signer, siteKey, create.ObjectID, artURL)
	}
	if create.Object["type"] != "Article" || create.Object["name"] != art.Title || create.Object["attributedTo"] != actor {
		t.Errorf("create object as Fedify read it = %v", create.Object)
	}

	// Alice replies: the reply waits for moderation under the article.
	reply := peer.Command(t, map[string]string{"reply": artURL, "to": actor, "text": "Merci, enfin des nouvelles."})
	var c *comments.Comment
	waitFor(t, fedifyTimeout, "Fedify's reply in the moderation queue", func() bool {
		c, err = a.Comments.RemoteComment(ctx, reply.Note)
		return err == nil
	})
	if c.Status != comments.StatusPending || c.ArticleID != art.ID || !strings.HasPrefix(c.AuthorName, "Alice (@alice@") ||
		c.Body != "Merci, enfin des nouvelles." {
		t.Errorf("comment = %+v", c)
	}
	peer.CheckClean(t)
}

// logInbox shows what the site made of the activities it received (on
// a fresh SQLite database their ids count from 1), for a failed test.
func logInbox(t *testing.T, store *storage.FederationStore) {
	for id := int64(1); ; id++ {
		it, err := store.InboxItem(context.Background(), id)
		if err != nil {
			return
		}
		t.Logf("the site received %s %s: outcome %q\n%s", it.Type, it.ActivityID, it.Outcome, it.Body)
	}
}

// fedifyNode returns the node binary that runs the Fedify peer, or skips
// the test when node or the peer's packages are missing (CI=true makes
// that a failure: .ci/run installs them).
func fedifyNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(fedifyDir, "node_modules", "@fedify", "fedify", "package.json"))
	}
	if err == nil {
		return node
	}
	const how = "install Node.js 20 or later, then: npm ci --prefix internal/app/testdata/fedify"
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI needs the Fedify peer (%v): %s", err, how)
	}
	t.Skipf("skipping the test against Fedify (%v): %s", err, how)
	return ""
}

// fedifyLine is one JSON line the peer prints (see peer.mjs).
type fedifyLine struct {
	Ready    string         `json:"ready"`
	Received string         `json:"received"`
	ID       string         `json:"id"`
	Actor    string         `json:"actor"`
	Inbox    string         `json:"inbox"`
	Signer   string         `json:"signer"`
	ObjectID string         `json:"objectId"`
	Object   map[string]any `json:"object"`
	Sent     string         `json:"sent"`
	Note     string         `json:"note"`
	Refused  int            `json:"refused"`
	Path     string         `json:"path"`
	Body     string         `json:"body"`
	Error    string         `json:"error"`
	raw      string
}

// fedifyPeer is the running peer: commands go to its stdin, its stdout
// lines come in on lines.
type fedifyPeer struct {
	URL   string
	stdin io.Writer
	lines chan fedifyLine
}

// startFedify runs peer.mjs until the end of the test and waits for it to
// listen. Its log (stderr) is shown when the test fails.
func startFedify(t *testing.T, node string) *fedifyPeer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "peer.mjs")
	cmd.Dir = fedifyDir
	cmd.WaitDelay = 5 * time.Second
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the Fedify peer: %v", err)
	}
	p := &fedifyPeer{stdin: stdin, lines: make(chan fedifyLine, 100)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		for sc.Scan() {
			var l fedifyLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l.Error = fmt.Sprintf("not a JSON line: %s", sc.Text())
			}
			l.raw = sc.Text()
			p.lines <- l
		}
	}()
	t.Cleanup(func() {
		stdin.Close() // the peer exits when its stdin closes
		// The peer's exit status says nothing the test needs: it is
		// stopped, or killed after 5 s.
		done := make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cancel()
			<-done
		}
		cancel()
		if t.Failed() {
			t.Logf("Fedify peer's log (last lines):\n%s", lastLines(stderr.String(), 200))
		}
	})
	l := p.Wait(t, "the peer to listen", func(l fedifyLine) bool { return l.Ready != "" })
	p.URL = l.Ready
	return p
}

// Command sends one command to the peer and returns its "sent" answer.
func (p *fedifyPeer) Command(t *testing.T, cmd map[string]string) fedifyLine {
	t.Helper()
	b, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.stdin.Write(append(b, '\n')); err != nil {
		t.Fatalf("command the Fedify peer: %v", err)
	}
	return p.Wait(t, "the peer to send "+string(b), func(l fedifyLine) bool { return l.Sent != "" })
}

// Wait reads the peer's lines until one matches, and fails the test on a
// request Fedify refused, an error, or the timeout.
func (p *fedifyPeer) Wait(t *testing.T, what string, match func(fedifyLine) bool) fedifyLine {
	t.Helper()
	timeout := time.After(fedifyTimeout)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("the Fedify peer stopped while waiting for %s", what)
			}
			switch {
			case l.Refused != 0:
				t.Fatalf("Fedify refused a request (%d on %s): %s", l.Refused, l.Path, l.Body)
			case l.Error != "":
				t.Fatalf("the Fedify peer: %s", l.Error)
			case match(l):
				return l
			}
			t.Logf("Fedify peer (while waiting for %s): %s", what, l.raw)
		case <-timeout:
			t.Fatalf("timed out after %s waiting for %s", fedifyTimeout, what)
		}
	}
}

// CheckClean fails the test if the peer printed a refusal or an error
// that no Wait read.
func (p *fedifyPeer) CheckClean(t *testing.T) {
	t.Helper()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return
			}
			if l.Refused != 0 || l.Error != "" {
				t.Errorf("Fedify peer: %s", l.raw)
			}
		default:
			return
		}
	}
}

// lockedBuffer collects a child process's output, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
