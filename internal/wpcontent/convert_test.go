package wpcontent

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureOptions are the options the fixtures are converted with: two
// known attachments, and uploads from 2019 moved to the media library.
func fixtureOptions() Options {
	attachments := map[int64]Attachment{
		101: {URL: "https://ex.fr/wp-content/uploads/2020/manif-1.jpg", Alt: "Le cortège", Caption: "Le cortège, <em>place Bellecour</em>"},
		102: {URL: "/media/manif-2.jpg", Alt: "Les banderoles"},
	}
	return Options{
		Attachments: func(id int64) (Attachment, bool) {
			a, ok := attachments[id]
			return a, ok
		},
		RewriteURL: func(u string) (string, bool) {
			const old = "https://ex.fr/wp-content/uploads/2019/"
			if rest, ok := strings.CutPrefix(u, old); ok {
				return "/media/2019/" + rest, true
			}
			return "", false
		},
		UploadsBase: "http://ex.fr/wp-content/uploads/",
	}
}

// fixtures returns the names of the fixtures in testdata, without ".html".
func fixtures(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".html")
	}
	return names
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestConvertGolden compares the conversion of each fixture, and its
// report, with testdata/golden (go test -update rewrites them).
func TestConvertGolden(t *testing.T) {
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			got, rep := Convert(readFixture(t, name), fixtureOptions())
			gotRep, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			htmlPath := filepath.Join("testdata", "golden", name+".html")
			repPath := filepath.Join("testdata", "golden", name+".report.json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(htmlPath), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(htmlPath, []byte(got+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(repPath, append(gotRep, '\n'), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), got); diff != "" {
				t.Errorf("html (-want +got):\n%s", diff)
			}
			wantRep, err := os.ReadFile(repPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.TrimSpace(string(wantRep)), string(gotRep)); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConvertIsOneHTMLBlock checks what lets textproc keep the output as
// HTML: it starts with a block-level tag and holds no blank line.
func TestConvertIsOneHTMLBlock(t *testing.T) {
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			got, _ := Convert(readFixture(t, name), fixtureOptions())
			if !reBlockStart.MatchString(got) {
				t.Errorf("starts with %.20q, not a block-level tag", got)
			}
			if hasBlankLine(got) {
				t.Errorf("holds a blank line:\n%s", got)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"OKEmpty", "", ""},
		{"OKBlank", " \n\n\t", ""},
		{"OKParagraphs", "a\nb\n\nc", "<p>a<br/>\nb</p>\n<p>c</p>"},
		{"OKBlockPostNoAutop", "<!-- wp:paragraph -->\n<p>a\nb</p>\n<!-- /wp:paragraph -->", "<p>a\nb</p>"},
		{"OKBlockPostTextFirst", "<!-- wp:freeform -->texte libre<!-- /wp:freeform -->", "<div>\ntexte libre\n</div>"},
		{"OKCaption", `[caption width="1"]<img src="a.jpg" alt="A"> Légende[/caption]`,
			`<figure><img src="a.jpg" alt="A"/><figcaption>Légende</figcaption></figure>`},
		{"OKCaptionAttr", `[caption caption="L" width="1"]<img src="a.jpg">[/caption]`,
			`<figure><img src="a.jpg"/><figcaption>L</figcaption></figure>`},
		{"OKCaptionEmpty", `[caption width="1"]<img src="a.jpg">[/caption]`, `<p><img src="a.jpg"/></p>`},
		{"OKEmbed", "[embed]https://ex.org/a?b=1&amp;c=2[/embed]", `<p><a href="https://ex.org/a?b=1&amp;c=2">https://ex.org/a?b=1&amp;c=2</a></p>`},
		{"OKEmbedInline", "voir [embed]https://ex.org/[/embed] ici", `<p>voir <a href="https://ex.org/">https://ex.org/</a> ici</p>`},
		{"OKBareURL", "texte\n\nhttps://youtu.be/x\n\nfin", "<p>texte</p>\n<p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>\n<p>fin</p>"},
		{"OKURLInText", "voir https://ex.org/ ici", "<p>voir https://ex.org/ ici</p>"},
		{"OKEscaped", "[[gallery]] et [[caption]x[/caption]]", "<p>[gallery] et [caption]x[/caption]</p>"},
		// As on WordPress, escaping both tags of an enclosing shortcode
		// escapes the whole, keeping the inner brackets.
		{"OKEscapedBothTags", "[[caption]]x[[/caption]]", "<p>[caption]]x[[/caption]</p>"},
		{"OKUnknownKept", `[foo_bar a="1"]x[/foo_bar]`, `<p>[foo_bar a=&#34;1&#34;]x[/foo_bar]</p>`},
		{"OKAudioPositional", `[audio https://ex.org/a.mp3]`, `<p><a href="https://ex.org/a.mp3">https://ex.org/a.mp3</a></p>`},
		{"OKVideoLink", `[video mp4="https://ex.org/v.mp4"][/video]`, `<p><a href="https://ex.org/v.mp4">https://ex.org/v.mp4</a></p>`},
		{"OKCommentsRemoved", "a<!-- note -->b", "<p>ab</p>"},
		{"OKMended", "<p>a <b>b\n\n<i>c</p>", "<p>a <strong>b</strong></p><strong>\n<p><em>c</em></p><em>\n</em></strong>"},
		// A lone "<" starts a tag for wpautop, whose newline is then kept.
		{"OKTextEscaped", "a < b & c", "<p>a &lt; b &amp; c\n</p>"},
		{"OKPreBlankLines", "<pre>a\n\n  \nb</pre>", "<div>\n<pre>a&#10;&#10;  \nb</pre>\n</div>"},
		{"OKRewrite", `<a href="https://old/x">x</a>`, `<p><a href="https://new/x">x</a></p>`},
		{"OKRewriteSrcset", `<img srcset="https://old/a 1x, https://old/b 2x" src=https://old/a>`,
			`<p><img srcset="https://new/a 1x, https://new/b 2x" src="https://new/a"/></p>`},
		{"OKSelfClosingRewrite", `<img src="https://old/a" />`, `<p><img src="https://new/a"/></p>`},
	}
	opts := Options{RewriteURL: func(u string) (string, bool) {
		if rest, ok := strings.CutPrefix(u, "https://old/"); ok {
			return "https://new/" + rest, true
		}
		return "", false
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := Convert(tt.in, opts)
			if got != tt.want {
				t.Errorf("Convert(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestConvertReport(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want Report
	}{
		{name: "OKNothing", in: "a [sic] [1] [ b ]", want: Report{}},
		{name: "OKMore", in: "a\n<!--more-->\nb", want: Report{MoreTag: true}},
		{name: "OKMoreBlock", in: "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->", want: Report{BlockEditor: true, MoreTag: true}},
		{name: "OKNextPage", in: "a<!--nextpage-->b<!--nextpage-->c", want: Report{PageBreaks: 2,
			Warnings: []string{"the post's page breaks (<!--nextpage-->) were removed"}}},
		{name: "OKUnknown", in: `[contact-form-7 id="3"] [foo x=1] [foo/] [bar]y[/bar] [[baz a=1]]`,
			want: Report{UnknownShortcodes: map[string]int{"contact-form-7": 1, "foo": 2, "bar": 1}}},
		{name: "OKGalleryUnresolved", in: `[gallery ids="1, 2"]`, want: Report{UnresolvedGalleryIDs: []string{"1", "2"}}},
		{name: "OKGalleryNoIDs", in: `[gallery] [gallery columns=2]`, want: Report{Warnings: []string{"a [gallery] without ids (the post's attached images) was left out"}}},
		{name: "OKDynamicBlocks", in: "<!-- wp:block {\"ref\":3} /-->\n<!-- wp:latest-posts /--><!-- wp:core/latest-posts /-->",
			want: Report{BlockEditor: true, DynamicBlocks: map[string]int{"block": 1, "latest-posts": 2}}},
		{name: "OKKeptUploads", in: `<img src="http://s.fr/wp-content/uploads/a.jpg"><a href="https://s.fr/wp-content/uploads/a.jpg">a</a><a href="https://s.fr/wp-content/uploads/a.jpg">b</a><a href="https://s.fr/x">c</a>`,
			opts: Options{UploadsBase: "https://s.fr/wp-content/uploads/"},
			want: Report{KeptUploadURLs: []string{"http://s.fr/wp-content/uploads/a.jpg", "https://s.fr/wp-content/uploads/a.jpg"}}},
		{name: "OKRewrittenNotKept", in: `<img src="https://s.fr/wp-content/uploads/a.jpg">`,
			opts: Options{UploadsBase: "https://s.fr/wp-content/uploads/", RewriteURL: func(string) (string, bool) { return "/m/a.jpg", true }},
			want: Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := Convert(tt.in, tt.opts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAttrs(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
	}{
		{"OKQuoted", ` id="a b" Align='c' width=300`, map[string]string{"id": "a b", "align": "c", "width": "300"}},
		{"OKPositional", ` "x y" 'z' w`, map[string]string{"0": "x y", "1": "z", "2": "w"}},
		{"OKSpacesAroundEquals", ` a = "1"  b= 2`, map[string]string{"a": "1", "b": "2"}},
		{"OKEmpty", "", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseAttrs(tt.in)); diff != "" {
				t.Errorf("parseAttrs(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestMatchShortcode(t *testing.T) {
	known := func(n string) bool { return n == "caption" || n == "gallery" }
	tests := []struct {
		name, in string
		ok       bool
		want     shortcodeMatch
	}{
		{"OKSelfClosing", `[gallery ids="1"/] x`, true, shortcodeMatch{end: 18, name: "gallery", attrs: ` ids="1"`}},
		{"OKEnclosing", `[caption a=1]in[/caption] x`, true, shortcodeMatch{end: 25, name: "caption", attrs: " a=1", content: "in", hasContent: true}},
		{"OKUnclosed", `[caption a=1] x`, true, shortcodeMatch{end: 13, name: "caption", attrs: " a=1"}},
		{"OKEscaped", `[[gallery]]`, true, shortcodeMatch{end: 11, name: "gallery", openEscaped: true, closeEscaped: true}},
		{"OKSlashInAttr", `[gallery link=a/b]`, true, shortcodeMatch{end: 18, name: "gallery", attrs: " link=a/b"}},
		{"ErrLongerName", `[gallery-x]`, false, shortcodeMatch{}},
		{"ErrUnknown", `[foo]`, false, shortcodeMatch{}},
		{"ErrNoBracket", `[gallery ids=1`, false, shortcodeMatch{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := matchShortcode(tt.in, 0, known)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok {
				if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(shortcodeMatch{})); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}
