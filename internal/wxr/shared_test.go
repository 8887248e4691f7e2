package wxr_test

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/wxr"
)

func wxrDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testutil.SharedDir(t), "wxr")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: the shared test data has no WordPress exports (%v)", err)
	}
	return dir
}

// TestSharedFiles reads every export of the team's samples and checks that
// the reader gives exactly what an independent count of the file finds:
// every item (with its post type, comments, categories and metadata),
// author and term. A sample added without an entry here fails the test.
func TestSharedFiles(t *testing.T) {
	dir := wxrDir(t)
	tests := map[string]struct {
		fatal    error    // the stream's fatal error
		skipped  []string // ItemError codes of the items skipped
		warnings int
	}{
		"halo/wordpressdemo.xml":                                  {},
		"jekyll-import/sitetitle.wordpress.2025-01-19.000.xml":    {},
		"theme-test-data/64-block-test-data.xml":                  {},
		"theme-test-data/themeunittestdata.wordpress.xml":         {},
		"wordpress-importer/crazy-cdata-escaped.xml":              {},
		"wordpress-importer/large-authors.xml":                    {},
		"wordpress-importer/slashes.xml":                          {},
		"wordpress-importer/small-export.xml":                     {},
		"wordpress-importer/term-formats.xml":                     {},
		"wordpress-importer/test-serialized-comment-meta.xml":     {},
		"wordpress-importer/valid-wxr-1.0.xml":                    {},
		"wordpress-importer/valid-wxr-1.1.xml":                    {},
		"wordpress-importer/wxr-utf-8-challenges.xml":             {},
		"wordpress-importer/wxr-with-sub-data.xml":                {},
		"wordpress-importer/not-well-formed/crazy-cdata.xml":      {fatal: wxr.ErrXML},
		"wordpress-importer/not-well-formed/malformed-simple.xml": {fatal: wxr.ErrTruncated},
		"wordpress-importer/not-well-formed/malformed.xml":        {fatal: wxr.ErrXML},
		// Two wp:post_id in WordPress's namespace under two prefixes, and
		// an item whose wp: prefix is bound elsewhere; its wp:term come
		// after the items.
		"wordpress-importer/namespace-edge-cases.xml": {skipped: []string{wxr.CodeDuplicate, wxr.CodeMissing}, warnings: 1},
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".xml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no exports in %s: %v", dir, err)
	}
	for _, f := range files {
		name, _ := filepath.Rel(dir, f)
		name = filepath.ToSlash(name)
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for %s: add one", name)
			}
			res := readFile(t, f)
			if !errors.Is(res.fatal, want.fatal) || (res.fatal == nil) != (want.fatal == nil) {
				t.Fatalf("error = %v, want %v", res.fatal, want.fatal)
			}
			if got := codes(res.skipped); !cmp.Equal(got, want.skipped) {
				t.Errorf("skipped = %v, want %v", res.skipped, want.skipped)
			}
			if want.fatal != nil {
				var fe *wxr.FatalError
				if !errors.As(res.fatal, &fe) || fe.Line == 0 {
					t.Errorf("error %v has no line", res.fatal)
				}
				return
			}
			if len(res.reader.Warnings) != want.warnings {
				t.Errorf("warnings = %q, want %d", res.reader.Warnings, want.warnings)
			}
			c := countFile(t, f)
			compareCensus(t, res, c)
		})
	}
}

// census is what an independent scan of a file finds: elements counted
// with encoding/xml's namespace-resolving Token, which the reader does not
// use, matching WordPress's namespaces by URL.
type census struct {
	items    []itemCensus
	authors  int
	terms    map[string]int // per taxonomy
	comments int
}

type itemCensus struct {
	postType                   string
	comments, categories, meta int
}

// wpNamespaces are WordPress's export namespaces, http and https.
var wpNamespaces = map[string]bool{}

func init() {
	for _, scheme := range []string{"http", "https"} {
		for _, v := range []string{"1.0", "1.1", "1.2"} {
			wpNamespaces[scheme+"://wordpress.org/export/"+v+"/"] = true
		}
	}
}

// countFile scans an export: the children of <channel> and of each
// <item>, by namespace URL and local name.
func countFile(t *testing.T, path string) census {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	d.Entity = xml.HTMLEntity
	c := census{terms: map[string]int{}}
	var stack []xml.Name
	var text strings.Builder
	isWP := func(n xml.Name, local string) bool { return wpNamespaces[n.Space] && n.Local == local }
	path2 := func(names ...string) bool { // the innermost open elements, outermost first
		if len(stack) < len(names) {
			return false
		}
		for i, n := range names {
			if stack[len(stack)-len(names)+i].Local != n {
				return false
			}
		}
		return true
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			stack = append(stack, x.Name)
			text.Reset()
			inChannel := len(stack) == 3 && stack[0] == xml.Name{Local: "rss"} && stack[1] == xml.Name{Local: "channel"}
			inItem := len(stack) == 4 && stack[2] == xml.Name{Local: "item"} && stack[1] == xml.Name{Local: "channel"}
			switch {
			case inChannel && x.Name == xml.Name{Local: "item"}:
				c.items = append(c.items, itemCensus{})
			case inChannel && isWP(x.Name, "author"):
				c.authors++
			case inChannel && isWP(x.Name, "category"):
				c.terms["category"]++
			case inChannel && isWP(x.Name, "tag"):
				c.terms["post_tag"]++
			case inItem && isWP(x.Name, "comment"):
				c.items[len(c.items)-1].comments++
				c.comments++
			case inItem && x.Name == xml.Name{Local: "category"}:
				c.items[len(c.items)-1].categories++
			case inItem && isWP(x.Name, "postmeta"):
				c.items[len(c.items)-1].meta++
			}
		case xml.CharData:
			text.Write(x)
		case xml.EndElement:
			switch {
			case len(stack) == 4 && path2("channel", "item", "post_type") && wpNamespaces[x.Name.Space]:
				c.items[len(c.items)-1].postType = strings.TrimSpace(text.String())
			case len(stack) == 4 && path2("channel", "term", "term_taxonomy") && wpNamespaces[x.Name.Space] && wpNamespaces[stack[2].Space]:
				c.terms[strings.TrimSpace(text.String())]++
			}
			stack = stack[:len(stack)-1]
		}
	}
	return c
}

// compareCensus checks the reader's result against the scan's.
func compareCensus(t *testing.T, res result, c census) {
	t.Helper()
	r := res.reader
	if got := len(r.Authors) + countSkipped(r.Skipped, "wp:author"); got != c.authors {
		t.Errorf("authors = %d (+ skipped), scan found %d", got, c.authors)
	}
	terms := map[string]int{}
	for _, term := range r.Terms {
		terms[term.Taxonomy]++
	}
	if len(r.Skipped) != 0 {
		t.Errorf("authors and terms skipped: %v", r.Skipped)
	}
	if diff := cmp.Diff(c.terms, terms); diff != "" {
		t.Errorf("terms per taxonomy (-scan +reader):\n%s", diff)
	}
	if got := len(res.items) + len(res.skipped); got != len(c.items) {
		t.Fatalf("items = %d read + %d skipped, scan found %d", len(res.items), len(res.skipped), len(c.items))
	}
	types, comments := map[string]int{}, 0
	for _, it := range res.items {
		want := c.items[it.Index-1]
		got := itemCensus{postType: it.Type, comments: len(it.Comments), categories: len(it.Categories), meta: len(it.Meta)}
		if got != want {
			t.Errorf("item %d (post %d %q) = %+v, scan found %+v", it.Index, it.PostID, it.Title, got, want)
		}
		types[it.Type]++
		comments += len(it.Comments)
	}
	for _, e := range res.skipped {
		comments += c.items[e.Index-1].comments
	}
	if comments != c.comments {
		t.Errorf("comments = %d, scan found %d", comments, c.comments)
	}
	t.Logf("%d items %v, %d skipped; %d comments; %d authors; terms %v", len(res.items), sortedCounts(types), len(res.skipped), comments, len(r.Authors), sortedCounts(terms))
}

func countSkipped(errs []*wxr.ItemError, element string) int {
	n := 0
	for _, e := range errs {
		if e.Element == element {
			n++
		}
	}
	return n
}

func sortedCounts(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		if k == "" {
			b.WriteString("(none)")
		} else {
			b.WriteString(k)
		}
		b.WriteString(":")
		b.WriteString(strconv.Itoa(m[k]))
	}
	return b.String()
}

// byID returns the item with the post id, or fails.
func byID(t *testing.T, items []*wxr.Item, id int64) *wxr.Item {
	t.Helper()
	for _, it := range items {
		if it.PostID == id {
			return it
		}
	}
	t.Fatalf("no post %d", id)
	return nil
}

// TestThemeUnitTestData checks known values of WordPress's theme unit
// test data, the export themes are reviewed against.
func TestThemeUnitTestData(t *testing.T) {
	res := readFile(t, filepath.Join(wxrDir(t), "theme-test-data/themeunittestdata.wordpress.xml"))
	if res.fatal != nil {
		t.Fatal(res.fatal)
	}
	r := res.reader
	if r.Site.Version != "1.2" || r.Site.BaseBlogURL != "https://wpthemetestdata.wordpress.com" {
		t.Errorf("site = %+v", r.Site)
	}
	if got := []string{r.Authors[0].Login, r.Authors[1].Login}; !cmp.Equal(got, []string{"themedemos", "themereviewteam"}) {
		t.Errorf("authors = %q", got)
	}

	t.Run("OKSticky", func(t *testing.T) {
		var sticky []int64
		for _, it := range res.items {
			if it.Sticky {
				sticky = append(sticky, it.PostID)
			}
		}
		if !cmp.Equal(sticky, []int64{1241}) {
			t.Errorf("sticky posts = %v, want [1241]", sticky)
		}
		if it := byID(t, res.items, 1241); it.Title != "Template: Sticky" || it.Name != "template-sticky" {
			t.Errorf("sticky post = %q %q", it.Title, it.Name)
		}
	})

	t.Run("OKCommentThread", func(t *testing.T) {
		it := byID(t, res.items, 1148)
		if it.Title != "Template: Comments" {
			t.Errorf("title = %q", it.Title)
		}
		parent := map[int64]int64{}
		for _, c := range it.Comments {
			parent[c.ID] = c.Parent
		}
		// "Comment Depth 10" answers depth 09, … up to depth 01.
		var chain []int64
		for id := int64(915); id != 0; id = parent[id] {
			chain = append(chain, id)
		}
		if want := []int64{915, 914, 913, 912, 911, 910, 907, 906, 905, 904}; !cmp.Equal(chain, want) {
			t.Errorf("thread = %v, want %v", chain, want)
		}
		var depth1 *wxr.Comment
		for i := range it.Comments {
			if it.Comments[i].ID == 904 {
				depth1 = &it.Comments[i]
			}
		}
		if depth1 == nil || depth1.Author != "John Κώστας Doe Τάδε" || depth1.Content != "Comment Depth 01" ||
			!depth1.DateGMT.Equal(utc("2013-03-14 14:57:01")) || depth1.Approved != wxr.CommentApproved || depth1.Type != "" {
			t.Errorf("comment 904 = %+v", depth1)
		}
	})

	t.Run("OKScheduledDraftAndPassword", func(t *testing.T) {
		it := byID(t, res.items, 1153)
		if it.Status != wxr.StatusFuture || !it.DateGMT.Equal(utc("2030-01-01 19:00:18")) || !it.Date.Equal(utc("2030-01-01 12:00:18")) {
			t.Errorf("scheduled post = %q %v %v", it.Status, it.Date, it.DateGMT)
		}
		if it := byID(t, res.items, 1168); it.Password != "enter" {
			t.Errorf("password = %q", it.Password)
		}
		var drafts int
		for _, it := range res.items {
			if it.Status == wxr.StatusDraft {
				drafts++
			}
		}
		if drafts == 0 {
			t.Error("no draft read")
		}
	})

	t.Run("OKAttachment", func(t *testing.T) {
		it := byID(t, res.items, 611)
		if it.Type != wxr.TypeAttachment || it.Status != wxr.StatusInherit || it.Parent != 555 ||
			it.AttachmentURL != "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg" {
			t.Errorf("attachment = %q %q %d %q", it.Type, it.Status, it.Parent, it.AttachmentURL)
		}
		if alt, _ := it.Meta.Get("_wp_attachment_image_alt"); alt != "canola" {
			t.Errorf("alt = %q", alt)
		}
	})

	t.Run("OKUnicodeTerm", func(t *testing.T) {
		it := byID(t, res.items, 1153)
		if want := (wxr.Category{Domain: "post_tag", Nicename: "content-2", Name: "content περιεχόμενο"}); it.Categories[0] != want {
			t.Errorf("category = %+v, want %+v", it.Categories[0], want)
		}
	})
}

// TestImporterSamples checks known values of the WordPress importer's own
// test files.
func TestImporterSamples(t *testing.T) {
	dir := filepath.Join(wxrDir(t), "wordpress-importer")

	t.Run("OKSmallExport", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "small-export.xml"))
		if it := byID(t, res.items, 13); it.Title != "Private Post" || it.Status != wxr.StatusPrivate {
			t.Errorf("post 13 = %q %q", it.Title, it.Status)
		}
		it := byID(t, res.items, 9)
		if it.Title != "Draft Page" || it.Type != wxr.TypePage || it.Status != wxr.StatusDraft || !it.DateGMT.IsZero() || it.Date.IsZero() {
			t.Errorf("post 9 = %q %q %q %v %v", it.Title, it.Type, it.Status, it.Date, it.DateGMT)
		}
	})

	t.Run("OKUnicode", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "wxr-utf-8-challenges.xml"))
		it := byID(t, res.items, 10)
		if want := "\"The Road \u202eNot\u202c Taken\" by Rob\u202dert \u202eFrost \u202a🌲\u202c"; it.Title != want {
			t.Errorf("title = %q, want %q", it.Title, want)
		}
		if want := "My WordPress Website 🚀 \u202e\u202dمرحبا"; res.reader.Site.Title != want {
			t.Errorf("site title = %q, want %q", res.reader.Site.Title, want)
		}
		if v, _ := it.Meta.Get("_special_chars"); v != "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;" {
			t.Errorf("_special_chars = %q (CDATA keeps references as text)", v)
		}
		if !strings.Contains(it.Content, "𝗦𝘂𝗿𝗿𝗼𝗴𝗮𝘁𝗲-𝗟𝗶𝗸𝗲: &#xD800;") {
			t.Error("content lost its text")
		}
	})

	t.Run("OKSlashes", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "slashes.xml"))
		it := byID(t, res.items, 1)
		if it.Content != `Slashes aren\'t \"cool\"` || it.Comments[0].Content != `\o/ ¯\_(ツ)_/¯` || res.reader.Terms[1].Name != `foo\'bar` {
			t.Errorf("content %q, comment %q, tag %q", it.Content, it.Comments[0].Content, res.reader.Terms[1].Name)
		}
	})

	t.Run("OKCDATA", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "crazy-cdata-escaped.xml"))
		it := byID(t, res.items, 1)
		want := wxr.Metadata{
			{Key: "Plain string", Value: "Foo"},
			{Key: "Closing CDATA", Value: "]]>"},
			{Key: "Alot of CDATA", Value: "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"},
		}
		if diff := cmp.Diff(want, it.Meta); diff != "" || it.Content != "Content with nested <![CDATA[ tags ]]> :)" {
			t.Errorf("content %q, meta (-want +got):\n%s", it.Content, diff)
		}
	})

	t.Run("OKCommentMeta", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "test-serialized-comment-meta.xml"))
		it := byID(t, res.items, 10)
		want := wxr.Metadata{{Key: "string", Value: "¯\\_(ツ)_/¯"}, {Key: "array", Value: `a:1:{s:3:"key";s:13:"¯\_(ツ)_/¯";}`}}
		if diff := cmp.Diff(want, it.Comments[0].Meta); diff != "" {
			t.Errorf("comment meta (-want +got):\n%s", diff)
		}
		if !it.DateGMT.IsZero() || !it.Date.Equal(utc("2009-10-20 16:13:20")) {
			t.Errorf("dates = %v, %v", it.Date, it.DateGMT)
		}
	})

	t.Run("OKTermFormats", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "term-formats.xml"))
		var got []string
		for _, term := range res.reader.Terms {
			got = append(got, term.Taxonomy+":"+term.Slug+":"+term.Name)
		}
		want := []string{"category:category-name:Category Name", "category:cat-2:Category 2", "post_tag:a-tag:A Tag!",
			"post_tag:a-color:A Random Color", "post_tag:another-tag:Another Tag", "custom-taxonomy:custom-taxonomy-item:Custom Taxonomy Item", "nav_menu:menu:Menu"}
		if !cmp.Equal(got, want) || res.reader.Terms[5].ID != 6 {
			t.Errorf("terms = %q, want %q", got, want)
		}
	})

	t.Run("OKTermMeta", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "wxr-with-sub-data.xml"))
		if want := (wxr.Metadata{{Key: "term_meta_key", Value: "term_meta_value"}}); !cmp.Equal(res.reader.Terms[0].Meta, want) {
			t.Errorf("term meta = %+v", res.reader.Terms[0].Meta)
		}
	})

	t.Run("OKNamespaceEdgeCases", func(t *testing.T) {
		res := readFile(t, filepath.Join(dir, "namespace-edge-cases.xml"))
		var logins, terms []string
		for _, a := range res.reader.Authors {
			logins = append(logins, a.Login)
		}
		for _, term := range res.reader.Terms {
			terms = append(terms, term.Slug)
		}
		// fake_ns_user and custom_user are in other namespaces; the 1.1
		// and 1.0 namespaces are WordPress's too.
		if !cmp.Equal(logins, []string{"real_user", "version_conflict"}) || !cmp.Equal(terms, []string{"old-version", "new-version"}) {
			t.Errorf("authors = %q, terms = %q", logins, terms)
		}
		if got := postIDs(res.items); !cmp.Equal(got, []int64{2, 3, 4, 6}) {
			t.Errorf("items = %v", got)
		}
		if it := byID(t, res.items, 6); it.Content != "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;" {
			t.Errorf("CDATA entity text = %q", it.Content)
		}
		if e := res.skipped[1]; e.Name != "Hijacked Namespace" || e.Reason != "no wp:post_id" {
			t.Errorf("hijacked item: %v", e)
		}
	})

	t.Run("OKDates", func(t *testing.T) {
		res := readFile(t, filepath.Join(wxrDir(t), "halo/wordpressdemo.xml"))
		it := byID(t, res.items, 1)
		shanghai := time.FixedZone("CST", 8*3600)
		if it.Title != "世界，您好！" || !it.Time(shanghai).Equal(time.Date(2019, 7, 8, 3, 10, 55, 0, time.UTC)) {
			t.Errorf("post 1 = %q at %v", it.Title, it.Time(shanghai))
		}
	})
}
