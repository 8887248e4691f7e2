package search

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		lang string
		want string
	}{
		{name: "French", lang: "fr", want: "fr"},
		{name: "FrenchRegion", lang: "fr-CA", want: "fr"},
		{name: "EnglishUnderscoreRegion", lang: "EN_gb", want: "en"},
		{name: "Spaces", lang: " fr ", want: "fr"},
		{name: "OtherLanguage", lang: "de", want: "de"},
		{name: "Empty", lang: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New(tt.lang).Lang()
			if got != tt.want {
				t.Errorf("New(%q).Lang() = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestTermsFrench(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "ElisionTypewriterApostrophe", text: "l'État", want: []string{"etat"}},
		{name: "ElisionTypographicApostrophe", text: "l’État", want: []string{"etat"}},
		{name: "ElisionModifierLetterApostrophe", text: "lʼÉtat", want: []string{"etat"}},
		{name: "ElisionUppercase", text: "L’ÉTAT D’URGENCE", want: []string{"etat", "urgenc"}},
		{name: "ElisionQu", text: "qu'Hélène", want: []string{"helen"}},
		{name: "ElisionLongForms", text: "jusqu’à Alep, lorsqu’Omar, puisqu'Anne, quoiqu'Ali", want: []string{"alep", "omar", "anne", "ali"}},
		{name: "ElisionAllShortForms", text: "c'était d'abord j'aime m'appelle n'importe s'agit t'aime", want: []string{"abord", "aim", "appel", "import", "agit", "aim"}},
		{name: "ElidedWordAlone", text: "l' qu’ jusqu'", want: nil},
		{name: "ApostropheNotElision", text: "aujourd’hui", want: []string{"aujourd", "hui"}},
		{name: "AccentsAndCase", text: "Etat état ÉTATS etats ETAT", want: []string{"etat", "etat", "etat", "etat", "etat"}},
		{name: "DecomposedAccents", text: "E\u0301tat", want: []string{"etat"}},
		{name: "FullWidth", text: "ＥＴＡＴ", want: []string{"etat"}},
		{name: "Ligatures", text: "cœur coeur Œuvres", want: []string{"coeur", "coeur", "oeuvr"}},
		{name: "Cedilla", text: "Français français francais", want: []string{"franc", "franc", "franc"}},
		{name: "PluralS", text: "élection élections", want: []string{"elect", "elect"}},
		{name: "PluralAux", text: "journal journaux cheval chevaux", want: []string{"journal", "journal", "cheval", "cheval"}},
		{name: "PluralOux", text: "bijou bijoux genou genoux", want: []string{"bijou", "bijou", "genou", "genou"}},
		{name: "FeminineAise", text: "japonais japonaise japonaises", want: []string{"japon", "japon", "japon"}},
		{name: "Diaeresis", text: "laïque laïques héroïque héroïsme Noël", want: []string{"laiqu", "laiqu", "hero", "hero", "noel"}},
		{name: "Hyphens", text: "États-Unis", want: []string{"etat", "unis"}},
		{name: "HyphenatedStopWords", text: "a-t-il peut-être", want: []string{"peut"}},
		{name: "StopWords", text: "Le chat et la souris sont dans le jardin", want: []string{"chat", "sour", "jardin"}},
		{name: "StopWordsWithoutAccents", text: "ou où ete été etre être", want: nil},
		{name: "LookalikeOfStopWord", text: "né en 1950", want: []string{"ne", "1950"}},
		{name: "NounsNotStopWords", text: "des avions et des sommes", want: []string{"avion", "somm"}},
		{name: "Numbers", text: "1er janvier 2024, 3,5 % et 007", want: []string{"1er", "janvi", "2024", "3", "5", "007"}},
		{name: "NumberAndLetters", text: "COVID-19 A320 h1n1", want: []string{"covid", "19", "a320", "h1n1"}},
		{name: "SingleLetters", text: "a b c x", want: nil},
		{name: "SingleDigit", text: "0", want: []string{"0"}},
		{name: "Empty", text: "", want: nil},
		{name: "WhitespaceOnly", text: " \t\n\u00a0\u2009 ", want: nil},
		{name: "PunctuationOnly", text: "« … » — ; !?", want: nil},
		{name: "InvalidUTF8", text: "caf\xe9 \xff\xfeÉtat\xc3", want: []string{"caf", "etat"}},
		{name: "InvalidUTF8Only", text: "\xff\xfe\xfd", want: nil},
		{name: "OtherScriptsDropped", text: "Москва 東京 Αθήνα", want: nil},
		{name: "LatinNamesFolded", text: "Gdańsk Łódź Ørsted Straße", want: []string{"gdansk", "lodz", "orsted", "strass"}},
		{name: "WordTooLong", text: strings.Repeat("a", 65) + " etat", want: []string{"etat"}},
	}
	a := New("fr")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Terms(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Terms(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestTermsEnglish(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "StemmingAndStopWords", text: "The running dogs were barking", want: []string{"run", "dog", "bark"}},
		{name: "Apostrophes", text: "It's the newsroom's choice", want: []string{"newsroom", "choic"}},
		{name: "Accents", text: "Café résumé", want: []string{"cafe", "resume"}},
		{name: "NoFrenchElision", text: "l'État", want: []string{"etat"}},
		{name: "Numbers", text: "in 2024", want: []string{"2024"}},
	}
	a := New("en")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Terms(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Terms(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestTermsFoldingOnly(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "NoStemmingNoStopWords", text: "Die Straßen über Köln", want: []string{"die", "strassen", "uber", "koln"}},
		{name: "SingleLetters", text: "a b 1", want: []string{"1"}},
	}
	a := New("de")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Terms(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Terms(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestAppendTerms(t *testing.T) {
	a := New("fr")
	buf := make([]string, 0, 8)
	buf = a.AppendTerms(buf, "l'État")
	got := a.AppendTerms(buf, "Palmyre")
	want := []string{"etat", "palmyr"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendTerms mismatch (-want +got):\n%s", diff)
	}
}

func TestDocument(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{name: "OneField", fields: []string{"L'État à Palmyre"}, want: "etat palmyr"},
		{name: "SeveralFields", fields: []string{"Titre", "", "  ", "Le chapô, puis le corps."}, want: "titr chapo puis pui corp"},
		{name: "UnaccentedVariants", fields: []string{"l'université, la première arrivée"}, want: "univers universit premi premier arriv arrive"},
		{name: "SingularVariants", fields: []string{"Les élus, les lois et les enjeux"}, want: "elus elu lois loi enjeux enjeu"},
		{name: "AccentAndSingularVariants", fields: []string{"Arrivées"}, want: "arriv arrive"},
		{name: "NoVariantForStopWords", fields: []string{"Nous étions"}, want: ""},
		{name: "StopWordsOnly", fields: []string{"Qui sont-ils ?"}, want: ""},
		{name: "NoField", fields: nil, want: ""},
	}
	a := New("fr")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Document(tt.fields...)
			if got != tt.want {
				t.Errorf("Document(%q) = %q, want %q", tt.fields, got, tt.want)
			}
		})
	}
}

// TestQueryFindsDocument checks the promise made to storage: a query finds
// the document it describes, however the reader types accents and case.
func TestQueryFindsDocument(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		query string
	}{
		{name: "Plural", doc: "Le ministre a annoncé l'État d'urgence", query: "etats"},
		{name: "Uppercase", doc: "l'État", query: "ÉTAT"},
		{name: "WithoutAccents", doc: "L'université de Lyon", query: "universite lyon"},
		{name: "WithoutAccentsParticiple", doc: "Une arrivée très attendue", query: "arrivee attendue"},
		{name: "WithoutAccentsFeminine", doc: "Sa première saison", query: "premiere saison"},
		{name: "WithoutAccentsSociete", doc: "La société nationale", query: "societes"},
		{name: "Singular", doc: "Les élections municipales", query: "élection municipale"},
		{name: "AuxPlural", doc: "Les journaux régionaux", query: "journal regional"},
		{name: "Ligature", doc: "Le cœur du sujet", query: "coeur"},
		{name: "Diaeresis", doc: "Noël à Haïti", query: "noel haiti"},
		{name: "Hyphen", doc: "Les États-Unis", query: "etats unis"},
		{name: "Born", doc: "Elle est née en 1950", query: "nee 1950"},
		{name: "SingularQueryPluralS", doc: "Les élus votent les lois", query: "élu loi"},
		{name: "SingularQueryPluralX", doc: "Les jeux et leurs enjeux", query: "jeu enjeu"},
		{name: "SingularQueryErs", doc: "Les conseillers municipaux", query: "conseiller municipal"},
		{name: "SingularQueryIons", doc: "Les opinions divergent", query: "opinion"},
		{name: "SingularQueryUnaccentedPlural", doc: "Les vidéos", query: "video"},
	}
	a := New("fr")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			indexed := strings.Fields(a.Document(tt.doc))
			q := a.Query(tt.query)
			if q.Empty() {
				t.Fatalf("Query(%q) is empty", tt.query)
			}
			for _, term := range q.Terms {
				if !slices.Contains(indexed, term) {
					t.Errorf("query %q term %q not in document %q = %q", tt.query, term, tt.doc, indexed)
				}
			}
		})
	}
}

func TestStopWordsDocumentVersusQuery(t *testing.T) {
	a := New("fr")
	const text = "Qui sont-ils ? Où sont-elles ?"
	if got := a.Document(text); got != "" {
		t.Errorf("Document(%q) = %q, want no term: documents never index stop words", text, got)
	}
	got := a.Query(text)
	want := Query{Terms: []string{"qui", "sont", "il", "ou", "elle"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Query(%q) mismatch (-want +got):\n%s", text, diff)
	}
}

func TestVeryLongInput(t *testing.T) {
	a := New("fr")
	article := readArticle(t)
	tests := []struct {
		name      string
		text      string
		wantTerms int
	}{
		{name: "LongArticle", text: strings.Repeat(article+"\n", 50), wantTerms: 50 * len(a.Terms(article))},
		{name: "OneHugeWord", text: strings.Repeat("é", 1<<20), wantTerms: 0},
		{name: "ManyElisions", text: strings.Repeat("l'", 1<<19), wantTerms: 0},
		{name: "ManyCombiningMarks", text: "e" + strings.Repeat("\u0301", 1<<18), wantTerms: 0},
		{name: "ManyNumbers", text: strings.Repeat("1 ", 1<<19), wantTerms: 1 << 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Terms(tt.text)
			if len(got) != tt.wantTerms {
				t.Errorf("len(Terms) = %d, want %d", len(got), tt.wantTerms)
			}
			for _, term := range got {
				if !validTerm(term) || !isFolded(term) {
					t.Fatalf("invalid term %q", term)
				}
			}
			if q := a.Query(tt.text); len(q.Terms) > MaxQueryTerms {
				t.Errorf("Query kept %d terms, want at most %d", len(q.Terms), MaxQueryTerms)
			}
		})
	}
}

// TestConcurrentUse shares one Analyzer between goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	a := New("fr")
	article := readArticle(t)
	want := a.Document(article)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := a.Document(article); got != want {
					t.Errorf("Document differs between calls")
					return
				}
				_ = a.Query(article).FTS5()
			}
		})
	}
	wg.Wait()
}

// readArticle returns testdata/article_fr.txt, a news article of about 800
// words written for these tests.
func readArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/article_fr.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func BenchmarkDocument(b *testing.B) {
	a := New("fr")
	article := readArticle(b)
	b.SetBytes(int64(len(article)))
	b.ReportAllocs()
	for b.Loop() {
		_ = a.Document("Municipales : la reconversion de l’ancienne laiterie divise le conseil", article)
	}
}

func BenchmarkQuery(b *testing.B) {
	a := New("fr")
	b.ReportAllocs()
	for b.Loop() {
		q := a.Query("élections municipales Saint-Étienne laiterie")
		_, _ = q.FTS5(), q.TSQuery()
	}
}
