package spam_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		links []string
		want  []string
	}{
		{name: "OKLowercaseAndAccents", text: "VIAGRA Viágra viagra Crédit", want: []string{"viagra", "credit"}},
		{name: "OKDecomposedAccents", text: "cre\u0301dit", want: []string{"credit"}},
		{name: "OKLigatures", text: "Œuvre cœur", want: []string{"oeuvre", "coeur"}},
		{name: "OKElisions", text: "l'argent d'un ami qu'il jusqu'à lorsqu'elle", want: []string{"argent", "un", "ami", "il", "elle"}},
		{name: "OKTypographicApostrophe", text: "l’argent qu’on", want: []string{"argent", "on"}},
		{name: "OKHyphens", text: "peut-être rond-point", want: []string{"peut", "etre", "rond", "point"}},
		{name: "OKDeduplicated", text: "casino Casino CASINO gratuit casino", want: []string{"casino", "gratuit"}},
		{name: "OKShortWordsDropped", text: "a à y x ok", want: []string{"ok"}},
		{name: "OKLongWordsDropped", text: strings.Repeat("z", 31) + " " + strings.Repeat("y", 30), want: []string{strings.Repeat("y", 30)}},
		{name: "OKDigitsBucketed", text: "appelez le 0612345678 pour 500€ en 2024 covid19", want: []string{"appelez", "le", "##########", "pour", "###", "en", "####", "covid##"}},
		{name: "OKSingleDigitDropped", text: "5 chats", want: []string{"chats"}},
		{name: "OKHostsFirst", text: "voir ici", links: []string{"https://www.Shop.Casino-Royal.example:8443/promo?x=1"}, want: []string{"host:shop.casino-royal.example", "host:casino-royal.example", "voir", "ici"}},
		{name: "OKHostPublicSuffix", links: []string{"http://pharma.example.co.uk/a"}, want: []string{"host:pharma.example.co.uk", "host:example.co.uk"}},
		{name: "OKHostNoScheme", links: []string{"casino.example/bonus"}, want: []string{"host:casino.example"}},
		{name: "OKHostIDN", links: []string{"https://pâtisserie.example/"}, want: []string{"host:xn--ptisserie-b2a.example"}},
		{name: "OKHostIPv4", links: []string{"http://203.0.113.9/x"}, want: []string{"host:203.0.113.9"}},
		{name: "OKHostIPv6", links: []string{"http://[2001:db8::1]:8080/x"}, want: []string{"host:2001:db8::1"}},
		{name: "OKHostDeduplicated", links: []string{"https://a.example/1", "https://A.example/2"}, want: []string{"host:a.example"}},
		{name: "OKBadLinkSkipped", links: []string{"", "   ", "http://%zz"}, want: []string{}},
		{name: "OKScripts", text: "Купить дешево 便宜 Москва", want: []string{"script:cyrillic", "script:han"}},
		{name: "OKOtherScript", text: "ꦧꦱꦗꦮ", want: []string{"script:other"}},
		{name: "OKLatinExtendedIsLatin", text: "Nguyễn Łódź", want: []string{"nguyen", "lodz"}},
		{name: "OKEmpty", want: []string{}},
		{name: "OKPunctuationOnly", text: "« … » — !?", want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spam.Tokens(tt.text, tt.links)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Tokens(%q, %q) mismatch (-want +got):\n%s", tt.text, tt.links, diff)
			}
		})
	}
}

func TestTokensCapped(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "mot%c%c ", 'a'+rune(i/26%26), 'a'+rune(i%26))
	}
	got := spam.Tokens(b.String(), []string{"https://first.example"})
	if len(got) != spam.MaxTokens {
		t.Fatalf("len(Tokens) = %d, want %d", len(got), spam.MaxTokens)
	}
	if got[0] != "host:first.example" {
		t.Errorf("Tokens()[0] = %q, want the host first", got[0])
	}
	if got[1] != "motaa" || got[spam.MaxTokens-1] != "mothq" {
		t.Errorf("Tokens() = [%q … %q], want the first distinct words", got[1], got[spam.MaxTokens-1])
	}
}

func TestTokensHugeText(t *testing.T) {
	got := spam.Tokens(strings.Repeat("é", 1<<20), nil)
	if len(got) != 0 {
		t.Errorf("Tokens(1 Mio of é) = %q, want none", got)
	}
}

func TestFingerprint(t *testing.T) {
	base := spam.Fingerprint("Gagnez de l'argent facilement avec le bitcoin !")
	tests := []struct {
		name string
		text string
		same bool
	}{
		{name: "OKCaseAccentsSpacing", text: "  GAGNEZ de l’argent   facilement avec le BITCOIN", same: true},
		{name: "OKPunctuation", text: "Gagnez, de l'argent... facilement ; avec le bitcoin ?!", same: true},
		{name: "OKOtherWord", text: "Gagnez de l'argent rapidement avec le bitcoin !", same: false},
		{name: "OKWordOrder", text: "Avec le bitcoin, gagnez de l'argent facilement !", same: false},
		{name: "OKRepeatedWordCounts", text: "Gagnez gagnez de l'argent facilement avec le bitcoin !", same: false},
		{name: "OKDigitsKept", text: "Gagnez de l'argent facilement avec le bitcoin 2 !", same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spam.Fingerprint(tt.text)
			if len(got) != 32 {
				t.Errorf("Fingerprint(%q) = %q, want 32 hex digits", tt.text, got)
			}
			if (got == base) != tt.same {
				t.Errorf("Fingerprint(%q) == base is %v, want %v", tt.text, got == base, tt.same)
			}
		})
	}
}

func FuzzTokens(f *testing.F) {
	f.Add("Gagnez de l'argent : https://x.example 0612345678", "https://x.example")
	f.Add("Купить 便宜 \xff\xfe", "%%%")
	f.Fuzz(func(t *testing.T, text, link string) {
		got := spam.Tokens(text, []string{link})
		if len(got) > spam.MaxTokens {
			t.Fatalf("%d tokens, want at most %d", len(got), spam.MaxTokens)
		}
		seen := map[string]bool{}
		for _, tok := range got {
			if seen[tok] {
				t.Errorf("token %q twice", tok)
			}
			seen[tok] = true
		}
	})
}
