package locale

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// catalogTexts returns every text of the embedded catalogue in language l, by key:
// a plain message, or both forms of a plural one.
func catalogTexts(tb testing.TB, l Lang) map[string][]string {
	tb.Helper()
	data, err := messageFiles.ReadFile("messages/" + fileName(l))
	if err != nil {
		tb.Fatal(err)
	}
	entries, err := decodeMessages(data)
	if err != nil {
		tb.Fatal(err)
	}
	texts := make(map[string][]string, len(entries))
	for _, e := range entries {
		texts[e.key] = e.texts()
	}
	return texts
}

// frenchTypography returns what is wrong with s under French typography
// (french-rules.md §7): U+202F before ; ! ? and », after «; U+00A0 before :;
// the typographic apostrophe; an ellipsis character.
func frenchTypography(s string) []string {
	var problems []string
	prev := rune(0)
	for i, r := range s {
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		switch r {
		case ';', '!', '?', '»':
			if prev != '\u202f' {
				problems = append(problems, "U+202F (narrow no-break space) must precede "+string(r))
			}
		case ':':
			if prev != '\u00a0' {
				problems = append(problems, "U+00A0 (no-break space) must precede :")
			}
		case '«':
			if next != '\u202f' {
				problems = append(problems, "U+202F (narrow no-break space) must follow «")
			}
		case '\'':
			problems = append(problems, "use the apostrophe ’ (U+2019), not '")
		case '"':
			problems = append(problems, "use « » quotes, not \"")
		case '\u2009':
			problems = append(problems, "U+2009 (thin space) can break a line: use U+202F")
		}
		prev = r
	}
	if strings.Contains(s, "...") {
		problems = append(problems, "use the ellipsis … (U+2026), not ...")
	}
	return problems
}

// englishTypography returns what is wrong with s in English: no space of
// any kind before : ; ! ?, and no French quotes.
func englishTypography(s string) []string {
	var problems []string
	prev := rune(0)
	for _, r := range s {
		if strings.ContainsRune(":;!?", r) && (prev == ' ' || prev == '\u00a0' || prev == '\u202f') {
			problems = append(problems, "no space before "+string(r)+" in English")
		}
		if r == '«' || r == '»' {
			problems = append(problems, "use “ ” quotes in English, not « »")
		}
		prev = r
	}
	return problems
}

func TestMessagesTypography(t *testing.T) {
	check := map[Lang]func(string) []string{French: frenchTypography, English: englishTypography}
	for _, l := range Langs() {
		t.Run(string(l), func(t *testing.T) {
			for key, texts := range catalogTexts(t, l) {
				for _, s := range texts {
					if strings.TrimSpace(s) != s {
						t.Errorf("%s: %q: %q has leading or trailing space", fileName(l), key, s)
					}
					for _, p := range check[l](s) {
						t.Errorf("%s: %q: %q: %s", fileName(l), key, s, p)
					}
				}
			}
		})
	}
}

func TestFrenchTypographyRules(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int // number of problems
	}{
		{name: "OK", in: "Catégorie\u00a0: «\u202fVélo\u202f» l’été…\u202f?", want: 0},
		{name: "ErrSpaceBeforeColon", in: "Catégorie : vélo", want: 1},
		{name: "ErrNoSpaceBeforeQuestion", in: "Pourquoi?", want: 1},
		{name: "ErrNBSPBeforeExclamation", in: "Bonjour\u00a0!", want: 1},
		{name: "ErrGuillemets", in: "« vélo »", want: 2},
		{name: "ErrApostrophe", in: "l'été", want: 1},
		{name: "ErrDots", in: "Rechercher...", want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := frenchTypography(tt.in); len(got) != tt.want {
				t.Errorf("frenchTypography(%q) = %q, want %d problems", tt.in, got, tt.want)
			}
		})
	}
}

// TestMessagesWording pins the wording the brief and the templates rely on.
func TestMessagesWording(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		lang Lang
		got  func(p *Printer) string
		want string
	}{
		{name: "fr/page_of", lang: French, got: func(p *Printer) string { return p.T("pagination.page_of", 1, 3) }, want: "Page 1 sur 3"},
		{name: "fr/by", lang: French, got: func(p *Printer) string { return p.T("article.by", "Léa") }, want: "Par Léa"},
		{name: "fr/tag_title", lang: French, got: func(p *Printer) string { return p.T("list.tag_title", "vélo") }, want: "Étiquette\u00a0: vélo"},
		{name: "fr/author_title", lang: French, got: func(p *Printer) string { return p.T("list.author_title", "Léa") }, want: "Articles de Léa"},
		{name: "fr/archive_title", lang: French, got: func(p *Printer) string { return p.T("list.archive_title", "décembre 2016") }, want: "Archives\u00a0: décembre 2016"},
		{name: "fr/list.count", lang: French, got: func(p *Printer) string { return p.N("list.count", 2) }, want: "2 articles"},
		{name: "fr/reading_time", lang: French, got: func(p *Printer) string { return p.N("article.reading_time", 5) }, want: "5 min de lecture"},
		{name: "fr/feed_category", lang: French, got: func(p *Printer) string { return p.T("feed.category_title", "La Gazette", "Sport") }, want: "La Gazette\u00a0: derniers articles de la catégorie «\u202fSport\u202f»"},
		{name: "en/feed_tag", lang: English, got: func(p *Printer) string { return p.T("feed.tag_title", "The Gazette", "cycling") }, want: "The Gazette: latest articles tagged “cycling”"},
		{name: "en/published_on", lang: English, got: func(p *Printer) string { return p.T("article.published_on", "December 1, 2016") }, want: "Published on December 1, 2016"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.got(c.Printer(tt.lang)), tt.want; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
