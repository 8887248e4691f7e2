package wxr_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/wxr"
)

func TestWXR10(t *testing.T) {
	res := readFile(t, "testdata/wxr10.xml")
	if res.fatal != nil || len(res.items) != 1 {
		t.Fatalf("%d items, error %v", len(res.items), res.fatal)
	}
	r := res.reader
	wantSite := wxr.Site{
		Version: "1.0", Title: "Le Petit Écho", Link: "http://echo.exemple.fr", Description: "Nouvelles du canton",
		Language: "fr", PubDate: "Mon, 01 Mar 2010 10:00:00 +0000", Generator: "http://wordpress.org/?v=2.9.2",
		BaseSiteURL: "http://echo.exemple.fr", BaseBlogURL: "http://echo.exemple.fr",
	}
	if diff := cmp.Diff(wantSite, r.Site); diff != "" {
		t.Errorf("site (-want +got):\n%s", diff)
	}
	// WXR 1.0 has no wp:author and no term ids.
	wantTerms := []wxr.Term{
		{Line: 20, Taxonomy: "category", Slug: "canton", Name: "Canton"},
		{Line: 21, Taxonomy: "category", Slug: "foires", Name: "Foires &amp; marchés", Parent: "canton", Description: "Les foires du canton"},
		{Line: 22, Taxonomy: "post_tag", Slug: "betail", Name: "bétail"},
	}
	if diff := cmp.Diff(wantTerms, r.Terms); diff != "" || len(r.Authors) != 0 {
		t.Errorf("terms (-want +got):\n%s\nauthors: %v", diff, r.Authors)
	}
	it := res.items[0]
	// The bare RSS categories and domain="tag" are kept as written.
	wantCats := []wxr.Category{
		{Name: "Foires &amp; marchés"},
		{Domain: "category", Nicename: "foires", Name: "Foires &amp; marchés"},
		{Domain: "tag", Name: "bétail"},
		{Domain: "tag", Nicename: "betail", Name: "bétail"},
	}
	if diff := cmp.Diff(wantCats, it.Categories); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
	if it.PostID != 7 || it.Creator != "rédaction" || it.Sticky || it.Type != wxr.TypePost || it.Status != wxr.StatusPublish ||
		!it.DateGMT.Equal(utc("2010-02-28 09:30:00")) || !it.Date.Equal(utc("2010-02-28 10:30:00")) {
		t.Errorf("item = %+v", it)
	}
	want := []wxr.Comment{{
		Line: 52, ID: 3, Author: "Jeanne", AuthorEmail: "jeanne@exemple.org", AuthorIP: "192.0.2.7",
		Date: utc("2010-02-28 12:00:00"), DateGMT: utc("2010-02-28 11:00:00"), Content: "J'y étais !", Approved: wxr.CommentApproved,
	}}
	if diff := cmp.Diff(want, it.Comments); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
}

// TestPrefixes reads a WXR 1.1 export that binds WordPress's namespaces
// to unusual prefixes, and "wp" to another namespace.
func TestPrefixes(t *testing.T) {
	res := readFile(t, "testdata/wxr11_prefix.xml")
	if res.fatal != nil || len(res.items) != 1 {
		t.Fatalf("%d items, skipped %v, error %v", len(res.items), res.skipped, res.fatal)
	}
	r := res.reader
	if r.Site.Version != "1.1" || r.Site.BaseBlogURL != "https://prefixes.exemple.fr/blog" {
		t.Errorf("site = %+v", r.Site)
	}
	if want := []wxr.Author{{Line: 15, Login: "alice", Email: "alice@exemple.fr", DisplayName: "Alice Martin"}}; !cmp.Equal(r.Authors, want) {
		t.Errorf("authors = %+v, want only alice (wp: is not WordPress's here)", r.Authors)
	}
	it := res.items[0]
	if it.PostID != 12 || it.Type != wxr.TypePage || it.Creator != "alice" || it.Content != "<p>Le contenu.</p>" || it.Excerpt != "L'extrait." || it.Status != "publish" {
		t.Errorf("item = %+v", it)
	}
	if !it.GUIDIsPermaLink {
		t.Error("a guid without isPermaLink is a permalink (RSS 2.0)")
	}
}

func TestCDATASplit(t *testing.T) {
	res := readFile(t, "testdata/cdata_split.xml")
	if res.fatal != nil || len(res.items) != 1 {
		t.Fatalf("%d items, error %v", len(res.items), res.fatal)
	}
	it := res.items[0]
	if want := "Code: a[b[0]]>c & fin"; it.Title != want {
		t.Errorf("title = %q, want %q", it.Title, want)
	}
	if want := "<pre>if (x[y[0]]> 1) {}</pre>\nsecond &amp; <b>bloc</b>"; it.Content != want {
		t.Errorf("content = %q, want %q", it.Content, want)
	}
	want := wxr.Metadata{{Key: "Closing CDATA", Value: "]]>"}, {Key: "_wp_attachment_metadata", Value: `a:1:{s:4:"file";s:10:"x]]>.jpg";}`}}
	if diff := cmp.Diff(want, it.Meta); diff != "" {
		t.Errorf("meta (-want +got):\n%s", diff)
	}
	if v, ok := it.Meta.Get("_wp_attachment_metadata"); !ok || !strings.Contains(v, "x]]>.jpg") {
		t.Errorf("Get = %q, %v", v, ok)
	}
	if _, ok := it.Meta.Get("_absent"); ok {
		t.Error("Get found an absent key")
	}
}

func TestEmptyFields(t *testing.T) {
	res := readFile(t, "testdata/empty_fields.xml")
	if res.fatal != nil || len(res.skipped) != 0 {
		t.Fatalf("skipped %v, error %v", res.skipped, res.fatal)
	}
	r := res.reader
	if r.Site.Version != "1.2" || r.Site.Title != "" {
		t.Errorf("site = %+v", r.Site)
	}
	if want := []wxr.Author{{Line: 11, Login: "sans-nom"}}; !cmp.Equal(r.Authors, want) {
		t.Errorf("authors = %+v", r.Authors)
	}
	if want := []wxr.Term{{Line: 12, ID: 4, Taxonomy: "category", Slug: "vide"}}; !cmp.Equal(r.Terms, want) {
		t.Errorf("terms = %+v", r.Terms)
	}
	want := []*wxr.Item{
		{
			Index: 1, Line: 13, PubDate: "Mon, 30 Nov -0001 00:00:00 +0000", PostID: 21, Status: wxr.StatusDraft, Type: wxr.TypePost,
			Categories: []wxr.Category{{Domain: "category", Nicename: "vide"}},
			Meta:       wxr.Metadata{{Key: "_vide"}},
			Comments:   []wxr.Comment{{Line: 37, ID: 5, Date: utc("2020-02-02 20:20:20")}},
		},
		{Index: 2, Line: 44, PostID: 22, GUIDIsPermaLink: false},
	}
	if diff := cmp.Diff(want, res.items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	// A draft has no date: Time is zero; a comment without its GMT date
	// is read in the site's zone.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	if got := res.items[0].Time(paris); !got.IsZero() {
		t.Errorf("Time of a draft = %v, want zero", got)
	}
	if got, want := res.items[0].Comments[0].Time(paris), time.Date(2020, 2, 2, 19, 20, 20, 0, time.UTC); !got.Equal(want) {
		t.Errorf("comment Time = %v, want %v", got, want)
	}
}

func TestItemTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	tests := []struct {
		name          string
		date, dateGMT string
		want          time.Time
	}{
		{"OKGMT", "2024-07-01 12:00:00", "2024-07-01 10:00:00", time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)},
		{"OKLocalSummer", "2024-07-01 12:00:00", "0000-00-00 00:00:00", time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)},
		{"OKLocalWinter", "2024-01-15 12:00:00", "", time.Date(2024, 1, 15, 11, 0, 0, 0, time.UTC)},
		{"OKNone", "0000-00-00 00:00:00", "0000-00-00 00:00:00", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readString(t, export(`<item><wp:post_id>1</wp:post_id><wp:post_date>`+tt.date+`</wp:post_date><wp:post_date_gmt>`+tt.dateGMT+`</wp:post_date_gmt></item>`))
			if len(res.items) != 1 {
				t.Fatalf("skipped %v, error %v", res.skipped, res.fatal)
			}
			if got := res.items[0].Time(paris); !got.Equal(tt.want) {
				t.Errorf("Time = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	t.Run("OKLatin1", func(t *testing.T) {
		res := readFile(t, "testdata/latin1.xml")
		if res.fatal != nil || len(res.items) != 1 {
			t.Fatalf("%d items, error %v", len(res.items), res.fatal)
		}
		if res.reader.Site.Title != "L'Écho du café" || res.items[0].Title != "Noël à la fête" {
			t.Errorf("titles = %q, %q", res.reader.Site.Title, res.items[0].Title)
		}
	})
	t.Run("OKByteOrderMark", func(t *testing.T) {
		res := readString(t, "\xef\xbb\xbf"+export(`<item><wp:post_id>1</wp:post_id></item>`))
		if res.fatal != nil || len(res.items) != 1 {
			t.Fatalf("%d items, error %v", len(res.items), res.fatal)
		}
	})
	t.Run("OKBlankLinesBeforeDeclaration", func(t *testing.T) {
		// A theme's functions.php with a trailing newline puts blank
		// lines before <?xml: libxml refuses such exports, WordPress's
		// importer falls back to reading them anyway.
		res := readString(t, "\n\n"+export(`<item><wp:post_id>1</wp:post_id></item>`))
		if res.fatal != nil || len(res.items) != 1 {
			t.Fatalf("%d items, error %v", len(res.items), res.fatal)
		}
	})
	t.Run("OKControlCharacters", func(t *testing.T) {
		res := readFile(t, "testdata/control_chars.xml")
		if res.fatal != nil || len(res.items) != 1 {
			t.Fatalf("%d items, error %v", len(res.items), res.fatal)
		}
		if got, want := res.items[0].Content, "Ligne un ligne deux page"; got != want {
			t.Errorf("content = %q, want %q", got, want)
		}
		if want := []string{"2 control characters, which XML forbids, were read as spaces (the first at line 9)"}; !cmp.Equal(res.reader.Warnings, want) {
			t.Errorf("warnings = %q, want %q", res.reader.Warnings, want)
		}
	})
	t.Run("OKHTMLEntities", func(t *testing.T) {
		res := readFile(t, "testdata/entities.xml")
		if len(res.items) != 1 {
			t.Fatalf("%d items, error %v", len(res.items), res.fatal)
		}
		if got, want := res.items[0].Title, "Café\u00a0crème & “croissant”"; got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
	})
}
