package spam_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

// cleanInput is a reader's comment that trips no rule.
func cleanInput() spam.Input {
	return spam.Input{
		Text:       "Merci pour cet article sur le conseil municipal, le budget de la piscine méritait ces explications.",
		AuthorName: "Élise Martin",
		Email:      "elise.martin@courriel.example",
		IP:         "203.0.113.7",
		Elapsed:    95 * time.Second,
		Bayes:      0.08,
	}
}

func testRules() spam.Rules {
	r := spam.DefaultRules()
	r.BannedWords = []string{"connard", "argent facile", "Dupont-Moretti"}
	r.SpamWords = []string{"Viagra", "casino en ligne"}
	r.BannedAddresses = []string{"198.51.100.23", "surveille@courriel.example", "2001:db8:bad::/48", "2001:db8:bad:1::/32"}
	r.SpamAddresses = []string{"192.0.2.0/24", "2001:db8:dead::/48", "spammeur@example.org", "@spam-mail.example", "seo-rapide.example", "not an address"}
	return r
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func TestCheck(t *testing.T) {
	type reasons = []spam.Reason
	tests := []struct {
		name   string
		change func(in *spam.Input, r *spam.Rules)
		want   spam.Decision
		why    reasons
	}{
		{name: "OKClean", change: func(*spam.Input, *spam.Rules) {}, want: spam.Accept},
		{name: "OKBayesUnknown", change: func(in *spam.Input, _ *spam.Rules) { in.Bayes = spam.Unknown }, want: spam.Accept},
		{name: "OKZeroRules", change: func(_ *spam.Input, r *spam.Rules) { *r = spam.Rules{MaxLinks: -1} }, want: spam.Accept},

		// The form.
		{name: "SpamHoneypot", change: func(in *spam.Input, _ *spam.Rules) { in.Honeypot = "https://seo.example" },
			want: spam.Spam, why: reasons{{Code: spam.CodeHoneypot}}},
		{name: "OKHoneypotSpaces", change: func(in *spam.Input, _ *spam.Rules) { in.Honeypot = " \n" }, want: spam.Accept},
		{name: "SpamStampMissing", change: func(in *spam.Input, _ *spam.Rules) {
			in.StampErr, in.Elapsed = fmt.Errorf("check stamp: %w", spam.ErrStampMissing), 0
		},
			want: spam.Spam, why: reasons{{Code: spam.CodeStampMissing}}},
		{name: "SpamStampForged", change: func(in *spam.Input, _ *spam.Rules) {
			in.StampErr, in.Elapsed = fmt.Errorf("check stamp: %w", spam.ErrStampForged), 0
		},
			want: spam.Spam, why: reasons{{Code: spam.CodeStampForged}}},
		{name: "SpamStampUnknownError", change: func(in *spam.Input, _ *spam.Rules) { in.StampErr, in.Elapsed = errors.New("boom"), 0 },
			want: spam.Spam, why: reasons{{Code: spam.CodeStampForged}}},
		{name: "SpamStampOtherArticle", change: func(in *spam.Input, _ *spam.Rules) { in.StampErr, in.Elapsed = spam.ErrStampOtherArticle, 0 },
			want: spam.Spam, why: reasons{{Code: spam.CodeStampOtherArticle}}},
		{name: "HoldStampExpired", change: func(in *spam.Input, _ *spam.Rules) { in.StampErr, in.Elapsed = spam.ErrStampExpired, 30*time.Hour },
			want: spam.Hold, why: reasons{{Code: spam.CodeStampExpired, Detail: "30h0m0s"}}},
		{name: "HoldTooFast", change: func(in *spam.Input, _ *spam.Rules) { in.Elapsed = 1200 * time.Millisecond },
			want: spam.Hold, why: reasons{{Code: spam.CodeTooFast, Detail: "1.2s"}}},
		{name: "OKJustInTime", change: func(in *spam.Input, _ *spam.Rules) { in.Elapsed = 3 * time.Second }, want: spam.Accept},
		{name: "OKTooFastRuleOff", change: func(in *spam.Input, r *spam.Rules) { in.Elapsed, r.MinElapsed = 0, 0 }, want: spam.Accept},
		{name: "OKNoFormSkipsFormRules", change: func(in *spam.Input, _ *spam.Rules) {
			in.NoForm, in.StampErr, in.Elapsed, in.Honeypot = true, spam.ErrStampMissing, 0, "x"
		}, want: spam.Accept},

		// Links.
		{name: "OKOneLink", change: func(in *spam.Input, _ *spam.Rules) { in.Links = []string{"https://insee.example/stat"} }, want: spam.Accept},
		{name: "HoldTwoLinks", change: func(in *spam.Input, _ *spam.Rules) { in.Links = []string{"https://a.example", "https://b.example"} },
			want: spam.Hold, why: reasons{{Code: spam.CodeLinks, Detail: "2"}}},
		{name: "HoldAnyLink", change: func(in *spam.Input, r *spam.Rules) { in.Links, r.MaxLinks = []string{"https://a.example"}, 0 },
			want: spam.Hold, why: reasons{{Code: spam.CodeLinks, Detail: "1"}}},
		{name: "OKLinksRuleOff", change: func(in *spam.Input, r *spam.Rules) {
			in.Links, r.MaxLinks = []string{"https://a.example", "https://b.example", "https://c.example"}, -1
		}, want: spam.Accept},

		// Words.
		{name: "HoldBannedWord", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "Quel CONNARD ce ministre." },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedWord, Detail: "connard"}}},
		{name: "HoldBannedPhraseAcrossPunctuation", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "De l'argent, facile ! Écrivez-moi." },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedWord, Detail: "argent facile"}}},
		{name: "HoldBannedNameAnySpelling", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "Le procès de dupont moretti reprend." },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedWord, Detail: "Dupont-Moretti"}}},
		{name: "OKBannedWordInsideAnother", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "Les connards et les argentiers facilement." }, want: spam.Accept},
		{name: "OKPhraseWordsApart", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "L'argent n'est pas facile à gagner." }, want: spam.Accept},
		{name: "SpamWordCaseAndAccents", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "Achetez du VIÁGRA ici" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamWord, Detail: "Viagra"}}},
		{name: "SpamWordInAuthorName", change: func(in *spam.Input, _ *spam.Rules) { in.AuthorName = "Viagra Pas Cher" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamWord, Detail: "Viagra"}}},
		{name: "SpamWordInEmail", change: func(in *spam.Input, _ *spam.Rules) { in.Email = "viagra.promo@courriel.example" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamWord, Detail: "Viagra"}}},
		{name: "SpamWordInURL", change: func(in *spam.Input, _ *spam.Rules) { in.URL = "https://casino-en-ligne.example/" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamWord, Detail: "casino en ligne"}}},
		{name: "SpamAndBannedWords", change: func(in *spam.Input, _ *spam.Rules) { in.Text = "Connard, achète du viagra au casino en ligne" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamWord, Detail: "Viagra, casino en ligne"}, {Code: spam.CodeBannedWord, Detail: "connard"}}},

		// Addresses.
		{name: "HoldBannedIPv4", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "198.51.100.23" },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedAddress, Detail: "198.51.100.23"}}},
		{name: "OKNeighbourOfBannedIPv4", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "198.51.100.24" }, want: spam.Accept},
		{name: "SpamIPv4Block", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "192.0.2.200" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "192.0.2.0/24"}}},
		{name: "SpamIPv4MappedInIPv6", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "::ffff:192.0.2.9" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "192.0.2.0/24"}}},
		{name: "SpamIPv6Block", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "2001:db8:dead:beef::42" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "2001:db8:dead::/48"}}},
		{name: "HoldIPv6BlockWithZone", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "2001:DB8:BAD:7::1%eth0" },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedAddress, Detail: "2001:db8:bad::/48"}}},
		{name: "OKIPv6OutsideBlocks", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "2001:db9::1" }, want: spam.Accept},
		{name: "OKBadIP", change: func(in *spam.Input, _ *spam.Rules) { in.IP = "unknown" }, want: spam.Accept},
		{name: "SpamEmailAnyCaseAndTag", change: func(in *spam.Input, _ *spam.Rules) { in.Email = "Spammeur+42@Example.ORG" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "spammeur@example.org"}}},
		{name: "HoldWatchedEmail", change: func(in *spam.Input, _ *spam.Rules) { in.Email = "surveille@courriel.example" },
			want: spam.Hold, why: reasons{{Code: spam.CodeBannedAddress, Detail: "surveille@courriel.example"}}},
		{name: "SpamEmailDomain", change: func(in *spam.Input, _ *spam.Rules) { in.Email = "jean@mx.spam-mail.example" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "@spam-mail.example"}}},
		{name: "SpamDomainInWebsite", change: func(in *spam.Input, _ *spam.Rules) { in.URL = "https://www.seo-rapide.example/" },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "seo-rapide.example"}}},
		{name: "SpamDomainInLink", change: func(in *spam.Input, _ *spam.Rules) { in.Links = []string{"https://blog.seo-rapide.example/x"} },
			want: spam.Spam, why: reasons{{Code: spam.CodeSpamAddress, Detail: "seo-rapide.example"}}},
		{name: "OKDomainSuffixOnly", change: func(in *spam.Input, _ *spam.Rules) { in.Links = []string{"https://pas-seo-rapide.example/x"} }, want: spam.Accept},

		// Repetition and flood.
		{name: "HoldRepeatedOnce", change: func(in *spam.Input, _ *spam.Rules) { in.RecentSame = 1 },
			want: spam.Hold, why: reasons{{Code: spam.CodeRepeated, Detail: "1"}}},
		{name: "SpamRepeatedCampaign", change: func(in *spam.Input, _ *spam.Rules) { in.RecentSame = spam.RepeatedSpam },
			want: spam.Spam, why: reasons{{Code: spam.CodeRepeated, Detail: "3"}}},
		{name: "OKShortTextRepeated", change: func(in *spam.Input, _ *spam.Rules) { in.Text, in.RecentSame = "Merci pour cet article !", 40 }, want: spam.Accept},
		{name: "OKBelowFlood", change: func(in *spam.Input, _ *spam.Rules) { in.RecentFromAddress, in.RecentFromNetwork = 9, 29 }, want: spam.Accept},
		{name: "HoldFloodAddress", change: func(in *spam.Input, _ *spam.Rules) { in.RecentFromAddress, in.RecentFromNetwork = 10, 30 },
			want: spam.Hold, why: reasons{{Code: spam.CodeFlood, Detail: "address 10"}}},
		{name: "HoldFloodNetwork", change: func(in *spam.Input, _ *spam.Rules) { in.RecentFromNetwork = 30 },
			want: spam.Hold, why: reasons{{Code: spam.CodeFlood, Detail: "network 30"}}},

		// Classifiers.
		{name: "OKBayesAtHold", change: func(in *spam.Input, _ *spam.Rules) { in.Bayes = spam.BayesHold }, want: spam.Accept},
		{name: "HoldBayes", change: func(in *spam.Input, _ *spam.Rules) { in.Bayes = 0.75 },
			want: spam.Hold, why: reasons{{Code: spam.CodeBayes, Detail: "0.750"}}},
		{name: "HoldBayesAtSpam", change: func(in *spam.Input, _ *spam.Rules) { in.Bayes = spam.BayesSpam },
			want: spam.Hold, why: reasons{{Code: spam.CodeBayes, Detail: "0.900"}}},
		{name: "SpamBayes", change: func(in *spam.Input, _ *spam.Rules) { in.Bayes = 0.97 },
			want: spam.Spam, why: reasons{{Code: spam.CodeBayes, Detail: "0.970"}}},
		{name: "SpamAkismet", change: func(in *spam.Input, _ *spam.Rules) { in.Akismet = yes() },
			want: spam.Spam, why: reasons{{Code: spam.CodeAkismet}}},
		{name: "OKAkismetHam", change: func(in *spam.Input, _ *spam.Rules) { in.Akismet = no() }, want: spam.Accept},

		// Several mild reasons stay a hold.
		{name: "HoldManyMildReasons", change: func(in *spam.Input, _ *spam.Rules) {
			in.Text = "Un connard m'a dit que l'argent facile existe, voyez ces liens."
			in.Links = []string{"https://a.example", "https://b.example", "https://c.example"}
			in.Elapsed, in.Bayes, in.RecentFromAddress = time.Second, 0.8, 12
		}, want: spam.Hold, why: reasons{
			{Code: spam.CodeTooFast, Detail: "1s"},
			{Code: spam.CodeBannedWord, Detail: "connard, argent facile"},
			{Code: spam.CodeLinks, Detail: "3"},
			{Code: spam.CodeFlood, Detail: "address 12"},
			{Code: spam.CodeBayes, Detail: "0.800"},
		}},
		// A bot: everything at once, reasons in rule order.
		{name: "SpamBot", change: func(in *spam.Input, _ *spam.Rules) {
			in.Honeypot, in.StampErr, in.Elapsed = "x", spam.ErrStampMissing, 0
			in.Text = "Viagra pas cher, achetez maintenant sur notre pharmacie en ligne sans ordonnance"
			in.Links = []string{"https://seo-rapide.example/a", "https://seo-rapide.example/b"}
			in.RecentSame, in.Bayes, in.Akismet = 7, 0.999, yes()
		}, want: spam.Spam, why: reasons{
			{Code: spam.CodeHoneypot},
			{Code: spam.CodeStampMissing},
			{Code: spam.CodeSpamAddress, Detail: "seo-rapide.example"},
			{Code: spam.CodeSpamWord, Detail: "Viagra"},
			{Code: spam.CodeLinks, Detail: "2"},
			{Code: spam.CodeRepeated, Detail: "7"},
			{Code: spam.CodeBayes, Detail: "0.999"},
			{Code: spam.CodeAkismet},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, r := cleanInput(), testRules()
			tt.change(&in, &r)
			got := spam.Check(in, r)
			if got.Decision != tt.want {
				t.Errorf("Decision = %s, want %s (reasons %+v)", got.Decision, tt.want, got.Reasons)
			}
			if diff := cmp.Diff(tt.why, got.Reasons); diff != "" {
				t.Errorf("Reasons mismatch (-want +got):\n%s", diff)
			}
			checkScore(t, got)
		})
	}
}

// checkScore checks the documented bounds of Verdict.Score.
func checkScore(t *testing.T, v spam.Verdict) {
	t.Helper()
	var ok bool
	switch v.Decision {
	case spam.Accept:
		ok = v.Score == 0
	case spam.Hold:
		ok = v.Score >= 0.5 && v.Score < 1
	case spam.Spam:
		ok = v.Score >= 0.9 && v.Score <= 1
	}
	if !ok {
		t.Errorf("Score = %v out of the bounds of %s", v.Score, v.Decision)
	}
}

func TestCheckScore(t *testing.T) {
	in := cleanInput()
	in.Links = []string{"https://a.example", "https://b.example"} // 0.5
	in.Bayes = 0.8                                                // 0.8
	got := spam.Check(in, testRules()).Score
	if want := 1 - (1-0.5)*(1-0.8); math.Abs(got-want) > 1e-12 {
		t.Errorf("Score = %v, want %v", got, want)
	}
}

// TestCheckFlood follows a thousand posts from one address through
// CheckRate and Check, as the comments service runs them: each is refused or
// held, except the first few, which a clean text lets through.
func TestCheckFlood(t *testing.T) {
	r := spam.DefaultRules()
	var accepted, held, refused int
	for n := range 1000 {
		if err := spam.CheckRate(n, n, r); err != nil {
			if !errors.Is(err, spam.ErrTooManyFromAddress) {
				t.Fatalf("post %d: CheckRate() = %v, want ErrTooManyFromAddress", n, err)
			}
			refused++
			continue
		}
		in := cleanInput()
		in.RecentFromAddress, in.RecentFromNetwork = n, n
		switch spam.Check(in, r).Decision {
		case spam.Accept:
			accepted++
		case spam.Hold:
			held++
		default:
			t.Fatalf("post %d: spam", n)
		}
	}
	if accepted != r.PerAddress.Hold || held != r.PerAddress.Refuse-r.PerAddress.Hold || refused != 1000-r.PerAddress.Refuse {
		t.Errorf("accepted %d, held %d, refused %d; want %d, %d, %d", accepted, held, refused,
			r.PerAddress.Hold, r.PerAddress.Refuse-r.PerAddress.Hold, 1000-r.PerAddress.Refuse)
	}
}

func TestCheckManyWords(t *testing.T) {
	r := testRules()
	for i := range 500 {
		r.BannedWords = append(r.BannedWords, fmt.Sprintf("mot%d interdit", i))
	}
	r.BannedWords = append(r.BannedWords, "dernier mot")
	in := cleanInput()
	in.Text += " Voici mon dernier mot."
	got := spam.Check(in, r)
	if diff := cmp.Diff([]spam.Reason{{Code: spam.CodeBannedWord, Detail: "dernier mot"}}, got.Reasons); diff != "" {
		t.Errorf("Reasons mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckDetailCapped(t *testing.T) {
	r := testRules()
	r.SpamWords = []string{"un", "deux", "trois", "quatre", "cinq", "six"}
	in := cleanInput()
	in.Text = "un deux trois quatre cinq six"
	got := spam.Check(in, r)
	want := []spam.Reason{{Code: spam.CodeSpamWord, Detail: "un, deux, trois, quatre, cinq, …"}}
	if diff := cmp.Diff(want, got.Reasons); diff != "" {
		t.Errorf("Reasons mismatch (-want +got):\n%s", diff)
	}
}

func TestVerdictJSON(t *testing.T) {
	v := spam.Verdict{Decision: spam.Hold, Score: 0.5, Reasons: []spam.Reason{{Code: spam.CodeLinks, Detail: "3"}, {Code: spam.CodeAkismet}}}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"decision":"hold","score":0.5,"reasons":[{"code":"links","detail":"3"},{"code":"akismet"}]}`
	if string(b) != want {
		t.Errorf("json.Marshal() = %s, want %s", b, want)
	}
	var back spam.Verdict
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestDecisionText(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    spam.Decision
		wantErr bool
	}{
		{name: "OKAccept", text: "accept", want: spam.Accept},
		{name: "OKHold", text: "hold", want: spam.Hold},
		{name: "OKSpam", text: "spam", want: spam.Spam},
		{name: "ErrUnknown", text: "trash", wantErr: true},
		{name: "ErrCase", text: "Spam", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got spam.Decision
			err := got.UnmarshalText([]byte(tt.text))
			if (err != nil) != tt.wantErr {
				t.Fatalf("UnmarshalText(%q) error = %v, want error %v", tt.text, err, tt.wantErr)
			}
			if err == nil && (got != tt.want || got.String() != tt.text) {
				t.Errorf("UnmarshalText(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}
