package textproc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// typographyCase is shared by the plain-text and HTML typography tests.
type typographyCase struct {
	name  string
	in    string
	style Style
	want  string
}

var typographyCases = []typographyCase{
	// Checklist item 37 of french-rules.md §9.
	{name: "OKChecklistExclamation", in: "Bonjour !", style: StyleFrench, want: "Bonjour" + nnbsp + "!"},
	{name: "OKChecklistColon", in: "Note : oui", style: StyleFrench, want: "Note" + nbsp + ": oui"},
	{name: "OKChecklistGuillemets", in: "« texte »", style: StyleFrench, want: "«" + nnbsp + "texte" + nnbsp + "»"},
	{name: "OKChecklistURLUnchanged", in: "https://exemple.fr", style: StyleFrench, want: "https://exemple.fr"},
	{name: "OKChecklistTimeUnchanged", in: "14:30", style: StyleFrench, want: "14:30"},

	// fr-FR.
	{name: "OKInsertBeforeExclamation", in: "Bonjour!", style: StyleFrench, want: "Bonjour" + nnbsp + "!"},
	{name: "OKQuestion", in: "Qu'en pensez-vous ?", style: StyleFrench, want: "Qu’en pensez-vous" + nnbsp + "?"},
	{name: "OKSemicolon", in: "un responsable ; l'État", style: StyleFrench, want: "un responsable" + nnbsp + "; l’État"},
	{name: "OKGroupGetsOneSpace", in: "Vraiment?!", style: StyleFrench, want: "Vraiment" + nnbsp + "?!"},
	{name: "OKGroupAfterSpace", in: "Non !!!", style: StyleFrench, want: "Non" + nnbsp + "!!!"},
	{name: "OKSeveralSpacesBecomeOne", in: "Quoi  \t?", style: StyleFrench, want: "Quoi" + nnbsp + "?"},
	{name: "OKThinSpaceReplaced", in: "Quoi\u2009?", style: StyleFrench, want: "Quoi" + nnbsp + "?"},
	{name: "OKNoBreakSpaceAcceptedBeforeExclamation", in: "Oui" + nbsp + "!", style: StyleFrench, want: "Oui" + nbsp + "!"},
	{name: "OKColonAtEnd", in: "Attention:", style: StyleFrench, want: "Attention" + nbsp + ":"},
	{name: "OKColonInserted", in: "Note: oui", style: StyleFrench, want: "Note" + nbsp + ": oui"},
	{name: "OKColonNarrowSpaceAccepted", in: "Note" + nnbsp + ": oui", style: StyleFrench, want: "Note" + nnbsp + ": oui"},
	{name: "OKGuillemetsInserted", in: "«texte»", style: StyleFrench, want: "«" + nnbsp + "texte" + nnbsp + "»"},
	{name: "OKGuillemetsNoBreakSpaceReplaced", in: "«" + nbsp + "texte" + nbsp + "»", style: StyleFrench, want: "«" + nnbsp + "texte" + nnbsp + "»"},
	{name: "OKQuestionInsideGuillemets", in: "« Qu'en pensez-vous ? »", style: StyleFrench, want: "«" + nnbsp + "Qu’en pensez-vous" + nnbsp + "?" + nnbsp + "»"},
	{name: "OKEmptyGuillemetsOneSpace", in: "«»", style: StyleFrench, want: "«" + nnbsp + "»"},
	{name: "OKGuillemetThenExclamation", in: "« !", style: StyleFrench, want: "«" + nnbsp + "!"},
	{
		name:  "OKQuoteFromBrief",
		in:    "« Nous avons repris la ville », a déclaré un responsable ; l'État islamique…",
		style: StyleFrench,
		want:  "«" + nnbsp + "Nous avons repris la ville" + nnbsp + "», a déclaré un responsable" + nnbsp + "; l’État islamique…",
	},
	{
		name:  "OKNoteTimeAndURLFromBrief",
		in:    "Note : 14:30, voir https://exemple.fr/a?b=c!",
		style: StyleFrench,
		want:  "Note" + nbsp + ": 14:30, voir https://exemple.fr/a?b=c!",
	},
	{name: "OKApostrophe", in: "aujourd'hui l'État", style: StyleFrench, want: "aujourd’hui l’État"},
	{name: "OKApostropheNotBetweenLetters", in: "'quoted' 'n 80's", style: StyleFrench, want: "'quoted' 'n 80's"},
	{name: "OKTypographicApostropheKept", in: "l’État", style: StyleFrench, want: "l’État"},
	{name: "OKRatioUnchanged", in: "un rapport de 10:1", style: StyleFrench, want: "un rapport de 10:1"},
	{name: "OKWordColonWordUnchanged", in: "a:b std::vector", style: StyleFrench, want: "a:b std::vector"},
	{name: "OKDoubleColonNotSpaced", in: "voir ::", style: StyleFrench, want: "voir ::"},
	{name: "OKColonBeforeClosingGuillemet", in: "«Attention:»", style: StyleFrench, want: "«" + nnbsp + "Attention" + nbsp + ":" + nnbsp + "»"},
	{name: "OKColonThenExclamation", in: "»:!", style: StyleFrench, want: "»" + nbsp + ":" + nnbsp + "!"},
	{name: "OKTimeThenColon", in: "À 14:30 : début", style: StyleFrench, want: "À 14:30" + nbsp + ": début"},
	{name: "OKURLWithQueryUnchanged", in: "http://a.fr/?q=1;2!x:y", style: StyleFrench, want: "http://a.fr/?q=1;2!x:y"},
	{name: "OKURLThenSpacedMark", in: "Allez sur https://a.fr/x ?", style: StyleFrench, want: "Allez sur https://a.fr/x" + nnbsp + "?"},
	{name: "OKWWWUnchanged", in: "www.exemple.fr/l'an?x=1", style: StyleFrench, want: "www.exemple.fr/l'an?x=1"},
	{name: "OKURLInsideGuillemets", in: "«https://a.fr/b»", style: StyleFrench, want: "«" + nnbsp + "https://a.fr/b" + nnbsp + "»"},
	{name: "OKEmailUnchanged", in: "o'brien@exemple.fr", style: StyleFrench, want: "o'brien@exemple.fr"},
	{name: "OKMarkAfterEmail", in: "Écrivez à redaction@exemple.fr!", style: StyleFrench, want: "Écrivez à redaction@exemple.fr" + nnbsp + "!"},
	{name: "OKMarkAtStartUntouched", in: "! important", style: StyleFrench, want: "! important"},
	{name: "OKAfterOpeningBracket", in: "Il viendra (?) demain", style: StyleFrench, want: "Il viendra (?) demain"},
	{name: "OKAfterClosingBracket", in: "Il viendra (demain)!", style: StyleFrench, want: "Il viendra (demain)" + nnbsp + "!"},
	{name: "OKInsideWordUntouched", in: "a!b x?y Yahoo!Mail a != b", style: StyleFrench, want: "a!b x?y Yahoo!Mail a != b"},
	{name: "OKNothingToDo", in: "Rien à changer.", style: StyleFrench, want: "Rien à changer."},
	{name: "OKEmpty", in: "", style: StyleFrench, want: ""},

	// fr-CA.
	{name: "OKCanadaRemovesSpaceBeforeExclamation", in: "Bonjour !", style: StyleFrenchCanada, want: "Bonjour!"},
	{name: "OKCanadaNoInsertion", in: "Bonjour! Ça va?", style: StyleFrenchCanada, want: "Bonjour! Ça va?"},
	{name: "OKCanadaNarrowSpaceAccepted", in: "Bonjour" + nnbsp + "!", style: StyleFrenchCanada, want: "Bonjour" + nnbsp + "!"},
	{name: "OKCanadaColon", in: "Note : oui", style: StyleFrenchCanada, want: "Note" + nbsp + ": oui"},
	{name: "OKCanadaGuillemets", in: "«" + nnbsp + "texte »", style: StyleFrenchCanada, want: "«" + nbsp + "texte" + nbsp + "»"},
	{name: "OKCanadaApostrophe", in: "l'État", style: StyleFrenchCanada, want: "l’État"},
	{name: "OKCanadaGuillemetThenExclamation", in: "«!", style: StyleFrenchCanada, want: "«" + nbsp + "!"},

	// No style.
	{name: "OKNoneUnchanged", in: "« texte » : l'État !", style: StyleNone, want: "« texte » : l'État !"},
	{name: "OKUnknownStyleUnchanged", in: "Bonjour !", style: Style(7), want: "Bonjour !"},
}

func TestTypography(t *testing.T) {
	for _, tt := range typographyCases {
		t.Run(tt.name, func(t *testing.T) {
			got := Typography(tt.in, tt.style)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Typography(%q, %v) mismatch (-want +got):\n%s", tt.in, tt.style, diff)
			}
			if again := Typography(got, tt.style); again != got {
				t.Errorf("Typography is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestTypographyFastPathDoesNotAllocate(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "OKNoMark", in: "Palmyre reprise par l’armée syrienne"},
		{name: "OKMarksAlreadyRight", in: "Bonjour" + nnbsp + "! Voir 14:30."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			allocs := testing.AllocsPerRun(100, func() { got = Typography(tt.in, StyleFrench) })
			if allocs != 0 {
				t.Errorf("Typography allocated %v times, want 0", allocs)
			}
			if got != tt.in {
				t.Errorf("Typography(%q) = %q, want it unchanged", tt.in, got)
			}
		})
	}
}
