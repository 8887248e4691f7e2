package spam_test

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

// classifier is an in-memory stand-in for the store's tables: the totals
// and one Count per token, changed only through spam.Change.
type classifier struct {
	totals spam.Totals
	counts map[string]spam.Count
}

func newClassifier() *classifier {
	return &classifier{counts: map[string]spam.Count{}}
}

// apply adds c as the store would: upsert each token, delete rows at zero.
func (c *classifier) apply(t testing.TB, ch spam.Change) {
	t.Helper()
	c.totals.Spam += ch.Totals.Spam
	c.totals.Ham += ch.Totals.Ham
	for _, tc := range ch.Tokens {
		n := c.counts[tc.Token]
		n.Spam += tc.Count.Spam
		n.Ham += tc.Count.Ham
		if n.Spam < 0 || n.Ham < 0 {
			t.Fatalf("count of %q fell below zero: %+v", tc.Token, n)
		}
		if n == (spam.Count{}) {
			delete(c.counts, tc.Token)
			continue
		}
		c.counts[tc.Token] = n
	}
}

// lookup returns the counts of tokens, as the store's query would.
func (c *classifier) lookup(tokens []string) map[string]spam.Count {
	m := make(map[string]spam.Count, len(tokens))
	for _, tok := range tokens {
		if n, ok := c.counts[tok]; ok {
			m[tok] = n
		}
	}
	return m
}

func (c *classifier) probability(text string) float64 {
	tokens := commentTokens(text)
	return spam.Probability(c.totals, c.lookup(tokens), tokens)
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// commentTokens returns the tokens of a comment, its links found as the
// comments service would find them in the rendered Markdown.
func commentTokens(text string) []string {
	return spam.Tokens(text, linkRE.FindAllString(text, -1))
}

// readCorpus returns the comments of a testdata file, one per line.
func readCorpus(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// trained returns a classifier trained on the testdata corpus.
func trained(t testing.TB) *classifier {
	t.Helper()
	c := newClassifier()
	for _, text := range readCorpus(t, "ham_train.txt") {
		c.apply(t, spam.Retrain(commentTokens(text), spam.LabelNone, spam.LabelHam))
	}
	for _, text := range readCorpus(t, "spam_train.txt") {
		c.apply(t, spam.Retrain(commentTokens(text), spam.LabelNone, spam.LabelSpam))
	}
	return c
}

func TestProbabilityHeldOut(t *testing.T) {
	c := trained(t)
	if c.totals.Ham < 30 || c.totals.Spam < 30 {
		t.Fatalf("trained on %+v, want at least 30 of each", c.totals)
	}
	for _, text := range readCorpus(t, "ham_heldout.txt") {
		if p := c.probability(text); p >= spam.BayesHold-0.2 {
			t.Errorf("ham %q: P(spam) = %.3f, want below %.1f", text, p, spam.BayesHold-0.2)
		} else {
			t.Logf("ham  %.3f %s", p, text)
		}
	}
	for _, text := range readCorpus(t, "spam_heldout.txt") {
		if p := c.probability(text); p <= spam.BayesSpam {
			t.Errorf("spam %q: P(spam) = %.3f, want above %.1f", text, p, spam.BayesSpam)
		} else {
			t.Logf("spam %.3f %s", p, text)
		}
	}
}

func TestProbability(t *testing.T) {
	trainedTotals := spam.Totals{Spam: 100, Ham: 100}
	tests := []struct {
		name   string
		totals spam.Totals
		counts map[string]spam.Count
		tokens []string
		check  func(p float64) bool
		want   string
	}{
		{name: "OKUntrained", totals: spam.Totals{}, counts: map[string]spam.Count{"viagra": {Spam: 9}}, tokens: []string{"viagra"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKTooFewHam", totals: spam.Totals{Spam: 500, Ham: spam.MinTrained - 1}, counts: map[string]spam.Count{"viagra": {Spam: 400}}, tokens: []string{"viagra"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKTooFewSpam", totals: spam.Totals{Spam: spam.MinTrained - 1, Ham: 500}, counts: map[string]spam.Count{"merci": {Ham: 400}}, tokens: []string{"merci"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKNoKnownToken", totals: trainedTotals, counts: nil, tokens: []string{"inconnu"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKNoTokens", totals: trainedTotals, counts: nil, tokens: nil,
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKNeutralTokensIgnored", totals: trainedTotals, counts: map[string]spam.Count{"le": {Spam: 80, Ham: 80}}, tokens: []string{"le"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
		{name: "OKSpammy", totals: trainedTotals,
			counts: map[string]spam.Count{"viagra": {Spam: 40}, "ordonnance": {Spam: 30, Ham: 1}, "host:pharma.example": {Spam: 20}},
			tokens: []string{"viagra", "ordonnance", "host:pharma.example", "inconnu"},
			check:  func(p float64) bool { return p > spam.BayesSpam }, want: "above BayesSpam"},
		{name: "OKHammy", totals: trainedTotals,
			counts: map[string]spam.Count{"conseil": {Ham: 40}, "municipal": {Ham: 30, Spam: 1}, "maire": {Ham: 25}},
			tokens: []string{"conseil", "municipal", "maire"},
			check:  func(p float64) bool { return p < 0.1 }, want: "below 0.1"},
		{name: "OKOneRareWordIsNotProof", totals: trainedTotals, counts: map[string]spam.Count{"casino": {Spam: 1}}, tokens: []string{"casino"},
			check: func(p float64) bool { return p > 0.5 && p < spam.BayesSpam }, want: "between 0.5 and BayesSpam"},
		{name: "OKMixedIsUnsure", totals: trainedTotals,
			counts: map[string]spam.Count{"viagra": {Spam: 40}, "bitcoin": {Spam: 40}, "conseil": {Ham: 40}, "maire": {Ham: 40}},
			tokens: []string{"viagra", "bitcoin", "conseil", "maire"},
			check:  func(p float64) bool { return math.Abs(p-0.5) < 0.1 }, want: "near 0.5"},
		{name: "OKDuplicateTokensCountOnce", totals: trainedTotals,
			counts: map[string]spam.Count{"viagra": {Spam: 40}, "conseil": {Ham: 40}},
			tokens: []string{"viagra", "viagra", "viagra", "conseil"},
			check:  func(p float64) bool { return math.Abs(p-0.5) < 1e-9 }, want: "0.5"},
		{name: "OKCountsAboveTotalsClamped", totals: trainedTotals, counts: map[string]spam.Count{"viagra": {Spam: 1000}}, tokens: []string{"viagra"},
			check: func(p float64) bool { return p > 0.5 && p <= 1 }, want: "in (0.5, 1]"},
		{name: "OKNegativeCountsIgnored", totals: trainedTotals, counts: map[string]spam.Count{"viagra": {Spam: -3, Ham: -1}}, tokens: []string{"viagra"},
			check: func(p float64) bool { return p == spam.Unknown }, want: "Unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spam.Probability(tt.totals, tt.counts, tt.tokens)
			if !tt.check(got) || got < 0 || got > 1 {
				t.Errorf("Probability() = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestProbabilityManyTokens(t *testing.T) {
	totals := spam.Totals{Spam: 1000, Ham: 1000}
	counts := map[string]spam.Count{}
	var tokens []string
	for i := range 400 {
		tok := "mot" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		tokens = append(tokens, tok)
		counts[tok] = spam.Count{Spam: 900}
	}
	got := spam.Probability(totals, counts, tokens)
	if got <= spam.BayesSpam || got > 1 {
		t.Errorf("Probability(400 spam tokens) = %v, want above %v", got, spam.BayesSpam)
	}
}

func TestRetrain(t *testing.T) {
	tokens := []string{"viagra", "host:pharma.example", "viagra", "ordonnance"}
	sorted := []string{"host:pharma.example", "ordonnance", "viagra"}
	changeOf := func(d spam.Count) spam.Change {
		c := spam.Change{Totals: spam.Totals(d)}
		for _, tok := range sorted {
			c.Tokens = append(c.Tokens, spam.TokenCount{Token: tok, Count: d})
		}
		return c
	}
	tests := []struct {
		name     string
		from, to spam.Label
		want     spam.Change
	}{
		{name: "OKMarkSpam", from: spam.LabelNone, to: spam.LabelSpam, want: changeOf(spam.Count{Spam: 1})},
		{name: "OKMarkHam", from: spam.LabelNone, to: spam.LabelHam, want: changeOf(spam.Count{Ham: 1})},
		{name: "OKHamToSpamMoves", from: spam.LabelHam, to: spam.LabelSpam, want: changeOf(spam.Count{Spam: 1, Ham: -1})},
		{name: "OKSpamToHamMoves", from: spam.LabelSpam, to: spam.LabelHam, want: changeOf(spam.Count{Spam: -1, Ham: 1})},
		{name: "OKForgetSpam", from: spam.LabelSpam, to: spam.LabelNone, want: changeOf(spam.Count{Spam: -1})},
		{name: "OKSameLabelTwice", from: spam.LabelSpam, to: spam.LabelSpam, want: spam.Change{}},
		{name: "OKNoneToNone", from: spam.LabelNone, to: spam.LabelNone, want: spam.Change{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spam.Retrain(tokens, tt.from, tt.to)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Retrain(%s → %s) mismatch (-want +got):\n%s", tt.from, tt.to, diff)
			}
			if got.IsZero() != (tt.from == tt.to) {
				t.Errorf("IsZero() = %v", got.IsZero())
			}
		})
	}
}

func TestRetrainReversal(t *testing.T) {
	c := trained(t)
	before := c.totals
	text := "Un commentaire tout à fait ordinaire sur la piscine municipale"
	tokens := commentTokens(text)

	c.apply(t, spam.Retrain(tokens, spam.LabelNone, spam.LabelHam))
	c.apply(t, spam.Retrain(tokens, spam.LabelHam, spam.LabelHam))
	c.apply(t, spam.Retrain(tokens, spam.LabelHam, spam.LabelSpam))
	want := spam.Totals{Spam: before.Spam + 1, Ham: before.Ham}
	if c.totals != want {
		t.Errorf("after ham then spam, totals = %+v, want %+v", c.totals, want)
	}
	if got := c.counts["piscine"]; got.Ham != 1 || got.Spam != 1 {
		// "piscine" is once in the ham corpus.
		t.Errorf("count of piscine = %+v, want {Spam:1 Ham:1}", got)
	}
	c.apply(t, spam.Retrain(tokens, spam.LabelSpam, spam.LabelNone))
	if c.totals != before {
		t.Errorf("after forgetting, totals = %+v, want %+v", c.totals, before)
	}
	if _, ok := c.counts["ordinaire"]; ok {
		t.Errorf("count of ordinaire kept after forgetting: %+v", c.counts["ordinaire"])
	}
}

func TestLabelString(t *testing.T) {
	for l, want := range map[spam.Label]string{spam.LabelNone: "none", spam.LabelHam: "ham", spam.LabelSpam: "spam", spam.Label(9): "none"} {
		if got := l.String(); got != want {
			t.Errorf("Label(%d).String() = %q, want %q", l, got, want)
		}
	}
}
