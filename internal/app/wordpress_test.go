package app_test

import (
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/wpimport"
)

// importWordPress runs the WordPress import of path on a.
func importWordPress(t *testing.T, a *app.App, path string, opts wpimport.Options) (*wpimport.Report, error) {
	t.Helper()
	if opts.Location == nil {
		opts.Location = a.Settings.Get().Location()
	}
	return a.WordPressImporter().Run(context.Background(), func() (io.ReadCloser, error) { return os.Open(path) }, opts)
}

// wxrCensus is what an independent reading of an export holds: encoding/xml
// decoding each item into a struct, which the importer's streaming reader
// does not do.
type wxrCensus struct {
	posts, pages, comments, pingbacks int
	categories, tags                  map[string]bool
	published                         []wxrItem
}

type wxrItem struct {
	Link string `xml:"link"`
	// IDs are the item's wp:post_id: an item with two is refused.
	IDs    []int64 `xml:"http://wordpress.org/export/1.2/ post_id"`
	Type   string  `xml:"http://wordpress.org/export/1.2/ post_type"`
	Status string  `xml:"http://wordpress.org/export/1.2/ status"`
	Pass   string  `xml:"http://wordpress.org/export/1.2/ post_password"`
	Cats   []struct {
		Domain   string `xml:"domain,attr"`
		Nicename string `xml:"nicename,attr"`
	} `xml:"category"`
	Comments []struct {
		Type string `xml:"http://wordpress.org/export/1.2/ comment_type"`
	} `xml:"http://wordpress.org/export/1.2/ comment"`
}

// censusOf reads an export of WXR 1.1 or 1.2 (1.0 and 1.1 are read as 1.2
// by renaming their namespace, as the census only counts).
func censusOf(t *testing.T, path string) wxrCensus {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("https://wordpress.org/export/", "http://wordpress.org/export/").Replace(string(raw))
	text = strings.NewReplacer("wordpress.org/export/1.0/", "wordpress.org/export/1.2/",
		"wordpress.org/export/1.1/", "wordpress.org/export/1.2/").Replace(text)
	d := xml.NewDecoder(strings.NewReader(text))
	d.Entity = xml.HTMLEntity
	c := wxrCensus{categories: map[string]bool{}, tags: map[string]bool{}}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("census of %s: %v", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		wp := se.Name.Space == "http://wordpress.org/export/1.2/"
		switch {
		case wp && se.Name.Local == "category":
			var v struct {
				Slug string `xml:"http://wordpress.org/export/1.2/ category_nicename"`
			}
			if err := d.DecodeElement(&v, &se); err != nil {
				t.Fatal(err)
			}
			c.categories[v.Slug] = true
		case wp && se.Name.Local == "term":
			var v struct {
				Taxonomy string `xml:"http://wordpress.org/export/1.2/ term_taxonomy"`
				Slug     string `xml:"http://wordpress.org/export/1.2/ term_slug"`
			}
			if err := d.DecodeElement(&v, &se); err != nil {
				t.Fatal(err)
			}
			switch v.Taxonomy {
			case "category":
				c.categories[v.Slug] = true
			case "post_tag":
				c.tags[v.Slug] = true
			}
		case wp && se.Name.Local == "tag":
			var v struct {
				Slug string `xml:"http://wordpress.org/export/1.2/ tag_slug"`
			}
			if err := d.DecodeElement(&v, &se); err != nil {
				t.Fatal(err)
			}
			c.tags[v.Slug] = true
		case se.Name.Space == "" && se.Name.Local == "item":
			var it wxrItem
			if err := d.DecodeElement(&it, &se); err != nil {
				t.Fatal(err)
			}
			if it.Type != "post" && it.Type != "page" || len(it.IDs) != 1 {
				continue
			}
			if it.Type == "post" {
				c.posts++
			} else {
				c.pages++
			}
			if it.Status == "publish" && it.Pass == "" {
				c.published = append(c.published, it)
			}
			for _, cm := range it.Comments {
				switch cm.Type {
				case "", "comment":
					c.comments++
				case "pingback", "trackback":
					c.pingbacks++
				}
			}
			for _, cat := range it.Cats {
				switch cat.Domain {
				case "category":
					c.categories[cat.Nicename] = true
				case "post_tag", "tag":
					if cat.Nicename != "" {
						c.tags[cat.Nicename] = true
					}
				}
			}
		}
	}
	return c
}

// stored counts what the database holds.
type stored struct {
	posts, pages, comments, categories, tags int
}

func storedCounts(t *testing.T, a *app.App) stored {
	t.Helper()
	ctx := context.Background()
	var s stored
	for kind, n := range map[content.Kind]*int{content.KindPost: &s.posts, content.KindPage: &s.pages} {
		p, err := a.Content.AdminList(ctx, content.ArticleFilter{Kind: kind}, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		*n = p.Total
	}
	q, err := a.Comments.Queue(ctx, access.System, comments.Query{Status: comments.StatusPending, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range q.Counts {
		s.comments += n
	}
	cats, err := a.Content.AllCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := a.Content.AllTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.categories, s.tags = len(cats), len(tags)
	return s
}

// TestWordPressImportSharedExports imports every real export of the team's
// samples into an empty site and checks, against an independent count of
// each file, that every post, page, comment and term arrived, that a second
// run changes nothing, and that the old links of the published posts lead
// to them.
func TestWordPressImportSharedExports(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "wxr")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.xml"))
	if len(files) == 0 {
		t.Skipf("skipping: no WordPress exports in %s", dir)
	}
	// Items the reader refuses, by file: counted out of the census.
	refused := map[string]int{}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			site := apptest.New(t, apptest.Options{NoDemo: true})
			a := site.App
			want := censusOf(t, f)
			rep, err := importWordPress(t, a, f, wpimport.Options{})
			if err != nil {
				t.Fatalf("import: %v\n%s", err, summary(rep))
			}
			got := storedCounts(t, a)
			if got.posts+got.pages != want.posts+want.pages-refused[name] {
				t.Errorf("posts+pages = %d+%d, the file has %d+%d (%d refused)\n%s", got.posts, got.pages, want.posts, want.pages, refused[name], summary(rep))
			}
			if refused[name] == 0 && (got.posts != want.posts || got.pages != want.pages) {
				t.Errorf("posts, pages = %d, %d; want %d, %d", got.posts, got.pages, want.posts, want.pages)
			}
			if got.comments != want.comments || rep.Comments.Total() != want.comments {
				t.Errorf("comments = %d stored, %d reported; the file has %d", got.comments, rep.Comments.Total(), want.comments)
			}
			if rep.Pingbacks != want.pingbacks {
				t.Errorf("pingbacks = %d, want %d", rep.Pingbacks, want.pingbacks)
			}
			if rep.Categories.Total() != len(want.categories) || got.categories != len(want.categories) {
				t.Errorf("categories = %d stored, %d reported; the file has %d", got.categories, rep.Categories.Total(), len(want.categories))
			}
			if got.tags != len(want.tags) {
				t.Errorf("tags = %d stored; the file has %d (%d reported)", got.tags, len(want.tags), rep.Tags.Total())
			}

			again, err := importWordPress(t, a, f, wpimport.Options{})
			if err != nil {
				t.Fatalf("second import: %v", err)
			}
			if n := again.Posts.Created + again.Pages.Created + again.Comments.Created + again.Categories.Created + again.Tags.Created +
				again.Posts.Updated + again.Pages.Updated; n != 0 {
				t.Errorf("second run wrote %d objects:\n%s", n, summary(again))
			}
			if got2 := storedCounts(t, a); got2 != got {
				t.Errorf("after a second run: %+v, want %+v", got2, got)
			}

			for _, it := range want.published {
				checkOldLink(t, site, it)
			}
		})
	}
}

// checkOldLink checks that an imported post's WordPress addresses lead to
// it: its permalink answers (directly, or with a 301 to a page that
// answers), and so does /?p=ID.
func checkOldLink(t *testing.T, site *apptest.Site, it wxrItem) {
	t.Helper()
	param := "p"
	if it.Type == "page" {
		param = "page_id"
	}
	id := it.IDs[0]
	paths := []string{"/?" + param + "=" + strconv.FormatInt(id, 10)}
	if u, err := url.Parse(strings.TrimSpace(it.Link)); err == nil && u.RawQuery == "" && u.Path != "" && u.Path != "/" {
		// The theme test data's site wrote some links with "//", which
		// Go's server cleans before any handler sees them.
		paths = append(paths, strings.ReplaceAll(u.EscapedPath(), "//", "/"))
	}
	for _, p := range paths {
		// Follow the redirects as a browser would: the server's own (a
		// path with "//" cleaned) and the import's 301.
		at, moved := p, false
		for range 3 {
			res, _ := site.Get(t, at)
			if res.StatusCode < 300 || res.StatusCode > 308 {
				if res.StatusCode != http.StatusOK {
					t.Errorf("old address %s of post %d answers %d at %s", p, id, res.StatusCode, at)
				}
				break
			}
			moved = moved || res.StatusCode == http.StatusMovedPermanently
			at = res.Header.Get("Location")
		}
		if strings.HasPrefix(p, "/?") && !moved {
			t.Errorf("%s of post %d does not redirect", p, id)
		}
	}
}

// summary renders a report for a failure message.
func summary(rep *wpimport.Report) string {
	if rep == nil {
		return "(no report)"
	}
	var b strings.Builder
	_ = rep.WriteFile(&b)
	return b.String()
}

// writeJPEG writes a small JPEG image at path.
func writeJPEG(t *testing.T, path string, w, h int, c color.Color) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 0, 255})
		}
	}
	img.Set(0, 0, c)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, nil); err != nil {
		t.Fatal(err)
	}
}

// TestWordPressImportNewsroom imports a small newsroom's export, written
// to hold the cases an import must get right, with a copy of its uploads
// folder, on both databases.
func TestWordPressImportNewsroom(t *testing.T) {
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			opts := apptest.Options{NoDemo: true}
			if be == "postgres" {
				opts.PostgresURL = storagetest.PostgresDSN(t)
			}
			checkNewsroomImport(t, apptest.New(t, opts))
		})
	}
}

func checkNewsroomImport(t *testing.T, site *apptest.Site) {
	ctx := context.Background()
	a := site.App
	export := filepath.Join("..", "wpimport", "testdata", "newsroom.xml")
	uploads := t.TempDir()
	writeJPEG(t, filepath.Join(uploads, "2024", "05", "place.jpg"), 640, 400, color.White)
	writeJPEG(t, filepath.Join(uploads, "2024", "05", "place-300x200.jpg"), 300, 200, color.White)
	writeJPEG(t, filepath.Join(uploads, "2024", "05", "etals.jpg"), 500, 300, color.Black)

	// A dry run tells what would happen and writes nothing.
	dry, err := importWordPress(t, a, export, wpimport.Options{DryRun: true, Uploads: uploads})
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, summary(dry))
	}
	if got := storedCounts(t, a); got != (stored{}) {
		t.Fatalf("a dry run wrote %+v", got)
	}

	rep, err := importWordPress(t, a, export, wpimport.Options{Uploads: uploads})
	if err != nil {
		t.Fatalf("import: %v\n%s", err, summary(rep))
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"posts", rep.Posts.Created, 8},
		{"pages", rep.Pages.Created, 1},
		{"authors", rep.Authors.Created, 2},
		{"categories", rep.Categories.Created, 2},
		{"tags", rep.Tags.Created, 3},
		{"comments", rep.Comments.Created, 5},
		{"pingbacks", rep.Pingbacks, 1},
		{"orphan replies", rep.OrphanReplies, 1},
		{"files", rep.Attachments.Created, 2},
		{"menu items", rep.OtherTypes["nav_menu_item"], 1},
		{"unknown shortcodes", rep.UnknownShortcodes["contact-form-7"], 1},
		{"dry-run posts", dry.Posts.Created, 8},
		{"dry-run comments", dry.Comments.Created, 5},
		{"dry-run files", dry.Attachments.Created, 2},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d\n%s", c.name, c.got, c.want, summary(rep))
		}
	}
	if len(rep.KeptURLs) != 1 || !strings.HasSuffix(rep.KeptURLs[0], "/programme.pdf") {
		t.Errorf("kept URLs = %q, want the programme's PDF", rep.KeptURLs)
	}
	if n, err := a.DB.CountJobs(ctx, content.ArticleChangedJob{}.Kind()); err != nil || n != 0 {
		t.Errorf("%d content.changed jobs (%v): an import must not tell social networks", n, err)
	}

	art := func(slug string) *content.Article {
		t.Helper()
		x, err := a.Content.ArticleBySlug(ctx, slug)
		if err != nil {
			t.Fatalf("article %s: %v", slug, err)
		}
		return x
	}
	market := art("le-marche-rouvre")
	if market.Status != content.StatusPublished || !market.Featured || !market.CommentsOpen ||
		!market.PublishedAt.Equal(time.Date(2024, 5, 15, 7, 30, 0, 0, time.UTC)) ||
		!market.UpdatedAt.Equal(time.Date(2024, 5, 16, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("market: status %s, featured %v, comments open %v, published %v, updated %v", market.Status, market.Featured,
			market.CommentsOpen, market.PublishedAt, market.UpdatedAt)
	}
	if market.Title != "Le marché d’été rouvre" {
		t.Errorf("title = %q", market.Title)
	}
	if market.SEODescription != "Le marché d'été du val rouvre samedi matin." {
		t.Errorf("SEO description = %q", market.SEODescription)
	}
	if !strings.HasPrefix(market.ImageURL, "/media/") || market.ImageAlt != "La place du marché" {
		t.Errorf("featured image = %q %q", market.ImageURL, market.ImageAlt)
	}
	if strings.Contains(market.Body, "gazette.example.org/wp-content/uploads/2024/05/place") || !strings.Contains(market.Body, "/media/") {
		t.Errorf("image links not rewritten:\n%s", market.Body)
	}
	if !strings.Contains(market.BodyHTML, "[contact-form-7") || !strings.Contains(market.BodyHTML, "programme.pdf") {
		t.Errorf("unknown shortcode or kept link lost:\n%s", market.BodyHTML)
	}
	if len(market.Tags) != 2 || market.Tags[0].Slug != "agri" || market.Tags[1].Slug != "ete" {
		t.Errorf("tags = %+v", market.Tags)
	}
	if len(market.Categories) != 1 || market.Categories[0].Slug != "marches" {
		t.Errorf("categories = %+v", market.Categories)
	}
	if len(market.Authors) != 1 || market.Authors[0].Name != "Claire Dumas" {
		t.Errorf("authors = %+v", market.Authors)
	}
	cats, _ := a.Content.AllCategories(ctx)
	parent := map[string]int64{}
	ids := map[string]int64{}
	for _, c := range cats {
		parent[c.Slug], ids[c.Slug] = c.ParentID, c.ID
	}
	if parent["marches"] != ids["val"] || ids["val"] == 0 {
		t.Errorf("categories: %+v", cats)
	}
	paul, err := a.Users.ByEmail(ctx, "paul@wordpress.invalid")
	if err != nil || paul.Name != "Paul Morel" || paul.Role != "contributor" || paul.PasswordHash != "" {
		t.Errorf("paul = %+v, %v", paul, err)
	}

	if bis := art("le-marche-rouvre-2"); bis.Status != content.StatusPublished || bis.CommentsOpen || strings.Contains(bis.Body, "wp:paragraph") {
		t.Errorf("duplicate slug: %+v", bis)
	}
	draft := art("brouillon-sans-date")
	paris := a.Settings.Get().Location()
	if draft.Status != content.StatusDraft || !draft.CreatedAt.Equal(time.Date(2024, 5, 20, 18, 0, 0, 0, paris)) {
		t.Errorf("draft: %s created %v", draft.Status, draft.CreatedAt)
	}
	for slug, want := range map[string]content.Status{"fete-du-val": content.StatusScheduled, "reserve": content.StatusDraft,
		"interne": content.StatusDraft, "en-attente": content.StatusPending, "vieille-nouvelle": content.StatusTrash} {
		if got := art(slug).Status; got != want {
			t.Errorf("%s: status %s, want %s", slug, got, want)
		}
	}
	if old := art("vieille-nouvelle"); old.TrashedFrom != content.StatusPublished {
		t.Errorf("trashed from %q", old.TrashedFrom)
	}
	if page := art("qui-sommes-nous"); page.Kind != content.KindPage {
		t.Errorf("page kind %s", page.Kind)
	}

	// Comments: threads, states, people, the legal log's address.
	list, _, err := a.Comments.Store.ListComments(ctx, comments.Query{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*comments.Comment{}
	for _, c := range list {
		byName[c.AuthorName] = c
	}
	jeanne, claire, marc := byName["Jeanne"], byName["Claire Dumas"], byName["Marc"]
	if jeanne == nil || claire == nil || marc == nil || byName["Casino"] == nil || byName["Un voisin"] == nil {
		t.Fatalf("comments: %v", byName)
	}
	if jeanne.Status != comments.StatusApproved || jeanne.AuthorEmail != "jeanne@example.net" || !strings.Contains(jeanne.BodyHTML, "<strong>Merci</strong>") {
		t.Errorf("jeanne: %+v", jeanne)
	}
	if claire.ParentID != jeanne.ID || claire.UserID == 0 {
		t.Errorf("claire's reply: parent %d (want %d), user %d", claire.ParentID, jeanne.ID, claire.UserID)
	}
	if marc.ParentID != 0 || marc.Status != comments.StatusPending {
		t.Errorf("marc: parent %d, status %s", marc.ParentID, marc.Status)
	}
	if byName["Casino"].Status != comments.StatusSpam || byName["Un voisin"].Status != comments.StatusTrash {
		t.Errorf("spam %s, trash %s", byName["Casino"].Status, byName["Un voisin"].Status)
	}
	if full, err := a.Comments.Store.Comment(ctx, jeanne.ID); err != nil || full.IP != "192.0.2.7" {
		t.Errorf("jeanne's address = %v, %v", full, err)
	}

	// Old links.
	for from, to := range map[string]string{
		"/2024/05/le-marche-rouvre/":   "/2024/05/15/le-marche-rouvre/",
		"/?p=20":                       "/2024/05/15/le-marche-rouvre/",
		"/2024/05/le-marche-rouvre-2/": "/2024/05/17/le-marche-rouvre-2/",
		"/la-gazette/qui-sommes-nous/": "/qui-sommes-nous/",
		"/?page_id=40":                 "/qui-sommes-nous/",
		"/category/val/marches/":       "/category/marches/",
		"/?cat=6":                      "/category/marches/",
		"/tag/%c3%a9t%c3%a9/":          "/tag/ete/",
	} {
		res, _ := site.Get(t, from)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("%s: %d → %q, want 301 → %s", from, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
	for _, p := range []string{"/2024/05/15/le-marche-rouvre/", "/qui-sommes-nous/", "/category/marches/", "/tag/ete/"} {
		site.MustGet(t, p, http.StatusOK)
	}
	if res, _ := site.Get(t, "/?p=22"); res.StatusCode == http.StatusMovedPermanently {
		t.Errorf("/?p=22, a draft, redirects to %s", res.Header.Get("Location"))
	}

	// A second run changes nothing; an article edited in kiosque since is
	// left as it is.
	bis := art("le-marche-rouvre-2")
	in := content.ArticleInput{Title: "Le marché rouvre, suite", Body: bis.Body, Status: bis.Status, PublishedAt: bis.PublishedAt,
		Slug: bis.Slug, CategoryIDs: []int64{bis.Categories[0].ID}, Version: bis.Version}
	if _, err := a.Content.Save(ctx, access.System, bis.ID, in, content.IntentSave); err != nil {
		t.Fatal(err)
	}
	again, err := importWordPress(t, a, export, wpimport.Options{Uploads: uploads})
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	if again.Posts.Created+again.Posts.Updated+again.Comments.Created+again.Attachments.Created != 0 ||
		again.Posts.Kept != 1 || again.Posts.Unchanged != 7 || again.Comments.Unchanged != 5 {
		t.Errorf("second run:\n%s", summary(again))
	}
	if art("le-marche-rouvre-2").Title != "Le marché rouvre, suite" {
		t.Error("the second run overwrote an article edited in kiosque")
	}

	// A third run of a newer export, where the edited post has a new
	// comment: the comment arrives, the post stays as edited.
	raw, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(string(raw), `<category domain="category" nicename="val"><![CDATA[Le Val]]></category>`,
		`<category domain="category" nicename="val"><![CDATA[Le Val]]></category>
		<wp:comment><wp:comment_id>110</wp:comment_id><wp:comment_author><![CDATA[Nouvelle]]></wp:comment_author>
		<wp:comment_date_gmt><![CDATA[2024-06-01 10:00:00]]></wp:comment_date_gmt>
		<wp:comment_content><![CDATA[Arrivée après la première importation.]]></wp:comment_content>
		<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`, 1)
	newerPath := filepath.Join(t.TempDir(), "newer.xml")
	if err := os.WriteFile(newerPath, []byte(newer), 0o600); err != nil {
		t.Fatal(err)
	}
	third, err := importWordPress(t, a, newerPath, wpimport.Options{Uploads: uploads})
	if err != nil {
		t.Fatalf("third import: %v", err)
	}
	kept := art("le-marche-rouvre-2")
	if third.Comments.Created != 1 || third.Posts.Kept != 1 || kept.Title != "Le marché rouvre, suite" {
		t.Errorf("third run: title %q\n%s", kept.Title, summary(third))
	}
	thread, err := a.Comments.Store.ArticleComments(ctx, kept.ID, nil)
	if err != nil || len(thread) != 1 || thread[0].AuthorName != "Nouvelle" {
		t.Errorf("the new comment under the kept post: %v, %v", thread, err)
	}
}

// TestWordPressImportBrokenFiles imports the reader's broken samples: a
// file refused before its first item writes nothing and says where; one
// that breaks off later keeps what came before and says where it stopped.
func TestWordPressImportBrokenFiles(t *testing.T) {
	for _, tt := range []struct {
		file    string
		inError string
		posts   int // written before the break
	}{
		{"billion_laughs.xml", "DOCTYPE with entity declarations refused", 0},
		{"external_entity.xml", "DOCTYPE with entity declarations refused", 0},
		{"unknown_version.xml", "unsupported WXR version", 0},
		{"not_wxr_feed.xml", "not a WordPress export", 0},
		{"not_wxr.html", "not a WordPress export", 0},
		{"invalid_utf8.xml", "invalid UTF-8", 1},
		{"mismatched.xml", "closed by </wp:statut>", 1},
		{"truncated.xml", "line", 2},
	} {
		t.Run(tt.file, func(t *testing.T) {
			site := apptest.New(t, apptest.Options{NoDemo: true})
			before := storedCounts(t, site.App)
			rep, err := importWordPress(t, site.App, filepath.Join("..", "wxr", "testdata", tt.file), wpimport.Options{})
			if err == nil {
				t.Fatalf("no error; report:\n%s", summary(rep))
			}
			msg := err.Error()
			if tt.posts > 0 {
				if !errors.Is(err, wpimport.ErrStopped) {
					t.Fatalf("error %v, want ErrStopped", err)
				}
				msg = rep.Stopped
			}
			if !strings.Contains(msg, tt.inError) || !strings.Contains(msg, "line") {
				t.Errorf("message %q lacks %q or its line", msg, tt.inError)
			}
			if got := storedCounts(t, site.App).posts - before.posts; got != tt.posts || rep.Posts.Created != tt.posts {
				t.Errorf("%d posts written (%d reported), want %d", got, rep.Posts.Created, tt.posts)
			}
		})
	}
}
