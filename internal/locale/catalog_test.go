package locale

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustLoad returns the embedded catalogue or stops the test.
func mustLoad(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := LoadCatalog()
	if err != nil {
		tb.Fatalf("LoadCatalog: %v", err)
	}
	return c
}

func TestLoadCatalog(t *testing.T) {
	c := mustLoad(t)
	keys := c.Keys()
	if !slices.IsSorted(keys) {
		t.Errorf("Keys() is not sorted: %q", keys)
	}
	keys[0] = "mutated"
	if got := c.Keys()[0]; got == "mutated" {
		t.Error("Keys() returned the catalogue's own slice; want a copy")
	}
	for _, l := range Langs() {
		for _, k := range c.Keys() {
			if !c.Printer(l).Has(k) {
				t.Errorf("%s printer has no %q", l, k)
			}
		}
	}
}

// TestCatalogKeys pins the keys the public pages rely on; adding keys is
// fine, removing or renaming one breaks templates.
func TestCatalogKeys(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		key    string
		plural bool
	}{
		{"a11y.main_menu", false}, {"a11y.skip_to_content", false},
		{"article.by", false}, {"article.categories", false}, {"article.comments", true},
		{"article.published_on", false}, {"article.reading_time", true}, {"article.related", false},
		{"article.tags", false}, {"article.updated_on", false},
		{"error.bad_request.title", false}, {"error.forbidden.title", false},
		{"error.internal.text", false}, {"error.internal.title", false},
		{"error.invalid_encoding", false}, {"error.invalid_limit", false}, {"error.invalid_page", false},
		{"error.method_not_allowed", false}, {"error.not_found.text", false}, {"error.not_found.title", false},
		{"feed.category_title", false}, {"feed.tag_title", false}, {"feed.title", false},
		{"footer.powered_by", false},
		{"list.archive_title", false}, {"list.author_title", false}, {"list.category_title", false},
		{"list.count", true}, {"list.empty", false}, {"list.featured", false}, {"list.latest", false},
		{"list.tag_title", false},
		{"nav.archives", false}, {"nav.authors", false}, {"nav.categories", false}, {"nav.feed", false},
		{"nav.home", false}, {"nav.search", false}, {"nav.tags", false},
		{"pagination.next", false}, {"pagination.page_of", false}, {"pagination.previous", false},
		{"search.no_results", false}, {"search.placeholder", false}, {"search.results", true},
		{"search.submit", false}, {"search.title", false}, {"search.too_long", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if !c.Printer(French).Has(tt.key) {
				t.Fatalf("catalogue has no %q", tt.key)
			}
			if got, want := c.IsPlural(tt.key), tt.plural; got != want {
				t.Errorf("IsPlural(%q) = %v, want %v", tt.key, got, want)
			}
		})
	}
}

func TestCatalogPrinter(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		lang Lang
		want Lang
	}{
		{name: "OK/French", lang: French, want: French},
		{name: "OK/English", lang: English, want: English},
		{name: "OK/unsupported falls back to French", lang: "de", want: French},
		{name: "OK/zero value falls back to French", lang: "", want: French},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(tt.lang).Lang(), tt.want; got != want {
				t.Errorf("Printer(%q).Lang() = %q, want %q", tt.lang, got, want)
			}
		})
	}
}

// TestEmbeddedFilesSorted keeps both files sorted by key, so that a key added
// in one file is easy to find in the other and merges stay small.
func TestEmbeddedFilesSorted(t *testing.T) {
	for _, l := range Langs() {
		t.Run(string(l), func(t *testing.T) {
			data, err := messageFiles.ReadFile("messages/" + fileName(l))
			if err != nil {
				t.Fatal(err)
			}
			entries, err := decodeMessages(data)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(entries); i++ {
				if entries[i-1].key >= entries[i].key {
					t.Errorf("%s: key %q comes after %q; keep the file sorted by key", fileName(l), entries[i].key, entries[i-1].key)
				}
			}
		})
	}
}

func TestParseCatalog(t *testing.T) {
	tests := []struct {
		name     string
		fr, en   string
		wantKeys []string
	}{
		{
			name:     "OK",
			fr:       `{"a.plain": "Bonjour", "a.count": {"one": "%d chat", "other": "%d chats"}}`,
			en:       `{"a.count": {"other": "%d cats", "one": "%d cat"}, "a.plain": "Hello"}`,
			wantKeys: []string{"a.count", "a.plain"},
		},
		{
			name:     "OK/reordered arguments",
			fr:       `{"a.by": "%[2]s, par %[1]s"}`,
			en:       `{"a.by": "%s by %s"}`,
			wantKeys: []string{"a.by"},
		},
		{
			name:     "OK/percent sign",
			fr:       `{"a.share": "%d\u202f%% des lecteurs"}`,
			en:       `{"a.share": "%d%% of readers"}`,
			wantKeys: []string{"a.share"},
		},
		{
			name:     "OK/empty",
			fr:       `{}`,
			en:       ` { } `,
			wantKeys: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCatalog(map[Lang][]byte{French: []byte(tt.fr), English: []byte(tt.en)})
			if err != nil {
				t.Fatalf("ParseCatalog: %v", err)
			}
			if diff := cmp.Diff(tt.wantKeys, c.Keys()); diff != "" {
				t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCatalogErr(t *testing.T) {
	const okFr, okEn = `{"a.b": "Bonjour"}`, `{"a.b": "Hello"}`
	tests := []struct {
		name  string
		files map[Lang]string
		want  []string
	}{
		{
			name:  "ErrMissingKeyInEnglish",
			files: map[Lang]string{French: `{"a.b": "Bonjour", "a.c": "Au revoir"}`, English: okEn},
			want:  []string{`en.json: missing key "a.c" (present in fr.json)`},
		},
		{
			name:  "ErrMissingKeyInFrench",
			files: map[Lang]string{French: okFr, English: `{"a.b": "Hello", "a.c": "Goodbye"}`},
			want:  []string{`fr.json: missing key "a.c" (present in en.json)`},
		},
		{
			name:  "ErrVerbCount",
			files: map[Lang]string{French: `{"p.of": "Page %d sur %d"}`, English: `{"p.of": "Page %d"}`},
			want:  []string{`key "p.of": fmt verbs differ: fr.json has %[1]d %[2]d, en.json has %[1]d`},
		},
		{
			name:  "ErrVerbType",
			files: map[Lang]string{French: `{"a.by": "Par %s"}`, English: `{"a.by": "By %d"}`},
			want:  []string{`key "a.by": fmt verbs differ: fr.json has %[1]s, en.json has %[1]d`},
		},
		{
			name:  "ErrVerbMissing",
			files: map[Lang]string{French: `{"a.by": "Par %s"}`, English: `{"a.by": "By"}`},
			want:  []string{`key "a.by": fmt verbs differ: fr.json has %[1]s, en.json has no verbs`},
		},
		{
			name: "ErrPluralWithoutOther",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "%d chat"}}`,
				English: `{"a.n": {"one": "%d cat", "other": "%d cats"}}`,
			},
			want: []string{`fr.json: key "a.n": plural message has no "other" form`},
		},
		{
			name: "ErrPluralWithoutOne",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "%d chat", "other": "%d chats"}}`,
				English: `{"a.n": {"other": "%d cats"}}`,
			},
			want: []string{`en.json: key "a.n": plural message has no "one" form`},
		},
		{
			name: "ErrPluralUnknownForm",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "%d chat", "many": "%d de chats", "other": "%d chats"}}`,
				English: `{"a.n": {"one": "%d cat", "other": "%d cats"}}`,
			},
			want: []string{`fr.json: key "a.n": unsupported plural form "many": use only "one" and "other"`},
		},
		{
			name: "ErrPluralFormsVerbs",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "un chat", "other": "%d chats"}}`,
				English: `{"a.n": {"one": "%d cat", "other": "%d cats"}}`,
			},
			want: []string{`fr.json: key "a.n": plural forms use different fmt verbs: "other" has %[1]d, "un chat" has no verbs`},
		},
		{
			name: "ErrPluralAndPlain",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "%d chat", "other": "%d chats"}}`,
				English: `{"a.n": "%d cats"}`,
			},
			want: []string{`key "a.n": fr.json has a plural message, en.json a plain message`},
		},
		{
			name: "ErrPluralFormTwice",
			files: map[Lang]string{
				French:  `{"a.n": {"one": "%d chat", "other": "%d chats", "one": "%d chat"}}`,
				English: `{"a.n": {"one": "%d cat", "other": "%d cats"}}`,
			},
			want: []string{`fr.json: key "a.n": plural form "one" given twice`},
		},
		{
			name:  "ErrLiteralPercent",
			files: map[Lang]string{French: `{"a.share": "12 % des lecteurs"}`, English: `{"a.share": "12% of readers"}`},
			want: []string{
				`fr.json: key "a.share": bad fmt verb in "12 % des lecteurs": % followed by a space at byte 3: write %% for a literal percent sign`,
				`en.json: key "a.share": bad fmt verb in "12% of readers": % followed by a space at byte 2: write %% for a literal percent sign`,
			},
		},
		{
			name:  "ErrTrailingPercent",
			files: map[Lang]string{French: `{"a.b": "100 %"}`, English: `{"a.b": "100%%"}`},
			want:  []string{`fr.json: key "a.b": bad fmt verb in "100 %": incomplete verb at byte 4: write %% for a literal percent sign`},
		},
		{
			name:  "ErrStarWidth",
			files: map[Lang]string{French: `{"a.b": "%*d"}`, English: `{"a.b": "%*d"}`},
			want: []string{
				`fr.json: key "a.b": bad fmt verb in "%*d": * width or precision at byte 0 is not supported in messages`,
				`en.json: key "a.b": bad fmt verb in "%*d": * width or precision at byte 0 is not supported in messages`,
			},
		},
		{
			name:  "ErrBadKey",
			files: map[Lang]string{French: `{"Nav.Home": "Accueil", "home": "Accueil"}`, English: `{"Nav.Home": "Home", "home": "Home"}`},
			want: []string{
				`fr.json: key "Nav.Home": key must be dotted lowercase segments such as "article.comments"`,
				`fr.json: key "home": key must be dotted lowercase segments such as "article.comments"`,
				`en.json: key "Nav.Home": key must be dotted lowercase segments such as "article.comments"`,
				`en.json: key "home": key must be dotted lowercase segments such as "article.comments"`,
			},
		},
		{
			name:  "ErrEmptyMessage",
			files: map[Lang]string{French: `{"a.b": ""}`, English: okEn},
			want:  []string{`fr.json: key "a.b": empty message`},
		},
		{
			name:  "ErrDuplicateKey",
			files: map[Lang]string{French: `{"a.b": "Bonjour", "a.b": "Salut"}`, English: okEn},
			want:  []string{`fr.json: duplicate key "a.b"`},
		},
		{
			name:  "ErrNumberValue",
			files: map[Lang]string{French: okFr, English: `{"a.b": 3}`},
			want:  []string{`en.json: key "a.b": a value must be a string or an object of plural forms`},
		},
		{
			name:  "ErrNestedObject",
			files: map[Lang]string{French: okFr, English: `{"a.b": {"one": {"x": "y"}}}`},
			want:  []string{`en.json: key "a.b": plural form "one" must be a string`},
		},
		{
			name:  "ErrArray",
			files: map[Lang]string{French: `["a.b"]`, English: okEn},
			want:  []string{`fr.json: invalid JSON: the file must be one JSON object`},
		},
		{
			name:  "ErrTrailingData",
			files: map[Lang]string{French: okFr + `{}`, English: okEn},
			want:  []string{`fr.json: invalid JSON: data after the closing brace`},
		},
		{
			name:  "ErrSyntax",
			files: map[Lang]string{French: `{"a.b": "Bonjour",}`, English: okEn},
			want:  []string{`fr.json: invalid JSON: invalid character '}' looking for beginning of object key string`},
		},
		{
			name:  "ErrMissingFile",
			files: map[Lang]string{French: okFr},
			want:  []string{`en.json: missing file`},
		},
		{
			name:  "ErrUnsupportedLanguage",
			files: map[Lang]string{French: okFr, English: okEn, "de": `{"a.b": "Hallo"}`},
			want:  []string{`de.json: unsupported language "de"`},
		},
		{
			name: "ErrSeveral",
			files: map[Lang]string{
				French:  `{"a.by": "Par %s", "a.n": {"one": "%d chat"}, "a.only_fr": "Oui"}`,
				English: `{"a.by": "By %d", "a.n": {"one": "%d cat", "other": "%d cats"}, "a.only_en": "Yes"}`,
			},
			want: []string{
				`fr.json: key "a.n": plural message has no "other" form`,
				`key "a.by": fmt verbs differ: fr.json has %[1]s, en.json has %[1]d`,
				`en.json: missing key "a.only_fr" (present in fr.json)`,
				`fr.json: missing key "a.only_en" (present in en.json)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := make(map[Lang][]byte, len(tt.files))
			for l, s := range tt.files {
				files[l] = []byte(s)
			}
			c, err := ParseCatalog(files)
			if err == nil {
				t.Fatalf("ParseCatalog = %v, nil; want an error", c)
			}
			var cerr *CatalogError
			if !errors.As(err, &cerr) {
				t.Fatalf("ParseCatalog error %v is a %T, want a *CatalogError", err, err)
			}
			if diff := cmp.Diff(tt.want, cerr.Problems); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror:\n%v", diff, err)
			}
		})
	}
}

func TestCatalogErrorMessage(t *testing.T) {
	err := &CatalogError{Problems: []string{`en.json: missing key "a.c" (present in fr.json)`, `fr.json: key "a.b": empty message`}}
	got := err.Error()
	want := "invalid message catalogue (2 problems):\n\ten.json: missing key \"a.c\" (present in fr.json)\n\tfr.json: key \"a.b\": empty message"
	if got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestVerbSignature(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "OK/none", in: "Accueil", want: "no verbs"},
		{name: "OK/percent", in: "100\u202f%%", want: "no verbs"},
		{name: "OK/two", in: "%d résultats pour «\u202f%s\u202f»", want: "%[1]d %[2]s"},
		{name: "OK/explicit", in: "%[2]s par %[1]s", want: "%[1]s %[2]s"},
		{name: "OK/implicit after explicit", in: "%[2]d %d %[1]s", want: "%[1]s %[2]d %[3]d"},
		{name: "OK/reused", in: "%[1]d et %[1]v", want: "%[1]d %[1]v"},
		{name: "OK/flags width precision", in: "%-5d %+.2f %05d %#x", want: "%[1]d %[2]f %[3]d %[4]x"},
		{name: "OK/index after precision", in: "%.2[2]f", want: "%[2]f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := verbSignature(tt.in)
			if err != nil {
				t.Fatalf("verbSignature(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("verbSignature(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestVerbSignatureErr(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "ErrTrailing", in: "100 %"},
		{name: "ErrSpace", in: "12 % des lecteurs"},
		{name: "ErrNarrowSpace", in: "12\u202f%\u202fdes lecteurs"},
		{name: "ErrStar", in: "%*d"},
		{name: "ErrStarPrecision", in: "%.*f"},
		{name: "ErrUnclosedIndex", in: "%[1d"},
		{name: "ErrZeroIndex", in: "%[0]d"},
		{name: "ErrBadIndex", in: "%[x]d"},
		{name: "ErrDigitVerb", in: "%5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := verbSignature(tt.in); err == nil {
				t.Errorf("verbSignature(%q) = %q, nil; want an error", tt.in, got)
			}
		})
	}
}
