package spam_test

import (
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

// typicalComment is a reader's comment of average length (about 450
// characters, one link) under a local news article.
const typicalComment = `Je ne suis pas tout à fait d'accord avec l'adjoint au maire : les travaux de la rue Jean-Jaurès ` +
	`durent depuis six mois et personne ne nous a prévenus de la fermeture du parking. Les commerçants ` +
	`perdent des clients chaque semaine. Le compte rendu du conseil municipal de mars est pourtant clair, ` +
	`voyez https://ville.example/conseil-mars : la fin du chantier était prévue pour l'été. Merci au journal ` +
	`de suivre ce dossier, j'espère une suite à cet article.`

// BenchmarkScore measures what the comments service does for each comment
// once the store has answered: tokenize, compute the Bayes probability from
// the looked-up counts, and check the rules.
func BenchmarkScore(b *testing.B) {
	c := trained(b)
	links := []string{"https://ville.example/conseil-mars"}
	counts := c.lookup(spam.Tokens(typicalComment, links))
	r := testRules()
	r.BannedWords = append(r.BannedWords, "abruti", "crétin", "imbécile", "ordure", "pourri")
	r.SpamWords = append(r.SpamWords, "cialis", "bitcoin", "crypto", "poker", "forex")
	in := cleanInput()
	in.Text, in.Links, in.URL = typicalComment, links, "https://blog.example/elise"
	b.ReportAllocs()
	for b.Loop() {
		tokens := spam.Tokens(in.Text, append(links, in.URL))
		in.Bayes = spam.Probability(c.totals, counts, tokens)
		if v := spam.Check(in, r); v.Decision != spam.Accept {
			b.Fatalf("typical comment: %+v", v)
		}
	}
}

func BenchmarkTokens(b *testing.B) {
	links := []string{"https://ville.example/conseil-mars"}
	b.ReportAllocs()
	for b.Loop() {
		spam.Tokens(typicalComment, links)
	}
}

func BenchmarkProbability(b *testing.B) {
	c := trained(b)
	tokens := spam.Tokens(typicalComment, []string{"https://ville.example/conseil-mars"})
	counts := c.lookup(tokens)
	b.ReportAllocs()
	for b.Loop() {
		spam.Probability(c.totals, counts, tokens)
	}
}

func BenchmarkCheck(b *testing.B) {
	r := testRules()
	in := cleanInput()
	in.Text, in.Links = typicalComment, []string{"https://ville.example/conseil-mars"}
	b.ReportAllocs()
	for b.Loop() {
		spam.Check(in, r)
	}
}

func BenchmarkStamp(b *testing.B) {
	s := spam.NewStamper(testSecret)
	tok := s.Stamp(42, testNow)
	now := testNow.Add(time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Check(tok, 42, now); err != nil {
			b.Fatal(err)
		}
	}
}
