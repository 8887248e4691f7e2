package textproc

import (
	"errors"
	"html"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTypographyHTML(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		style Style
		want  string
	}{
		{name: "OKAcrossInlineWithSpace", in: "<p><em>Bonjour</em> !</p>", style: StyleFrench, want: "<p><em>Bonjour</em>" + nnbsp + "!</p>"},
		{name: "OKAcrossInlineWithoutSpace", in: "<p><em>Bonjour</em>!</p>", style: StyleFrench, want: "<p><em>Bonjour</em>" + nnbsp + "!</p>"},
		{name: "OKGuillemetsAroundInline", in: "<p>«<em>texte</em>»</p>", style: StyleFrench, want: "<p>«" + nnbsp + "<em>texte</em>" + nnbsp + "»</p>"},
		{name: "OKApostropheAcrossLink", in: `<p>l'<a href="/etat">État</a></p>`, style: StyleFrench, want: `<p>l’<a href="/etat">État</a></p>`},
		{
			name:  "OKAttributesUntouched",
			in:    `<p title="a : b ! l'an"><a href="/x?y=z!" title="Quoi ?">Quoi ?</a></p>`,
			style: StyleFrench,
			want:  `<p title="a : b ! l'an"><a href="/x?y=z!" title="Quoi ?">Quoi` + nnbsp + `?</a></p>`,
		},
		{name: "OKCodeUntouched", in: "<p>Tapez <code>a ; b !</code> !</p>", style: StyleFrench, want: "<p>Tapez <code>a ; b !</code>" + nnbsp + "!</p>"},
		{name: "OKCodeCountsAsAWord", in: "<p>Tapez <code>ls</code>!</p>", style: StyleFrench, want: "<p>Tapez <code>ls</code>" + nnbsp + "!</p>"},
		{name: "OKKbdSampUntouched", in: "<p><kbd>Ctrl : C</kbd> <samp>Erreur !</samp></p>", style: StyleFrench, want: "<p><kbd>Ctrl : C</kbd> <samp>Erreur !</samp></p>"},
		{name: "OKPreUntouched", in: "<pre><code>fmt.Println(\"l'an !\")</code></pre><p>Fin!</p>", style: StyleFrench, want: "<pre><code>fmt.Println(\"l'an !\")</code></pre><p>Fin" + nnbsp + "!</p>"},
		{name: "OKNestedVerbatim", in: "<pre>a<pre>b</pre> ! </pre> c !", style: StyleFrench, want: "<pre>a<pre>b</pre> ! </pre> c" + nnbsp + "!"},
		{name: "OKScriptStyleTextareaUntouched", in: "<script>a ! b</script><style>a:b ;</style><textarea>Oui !</textarea>", style: StyleFrench, want: "<script>a ! b</script><style>a:b ;</style><textarea>Oui !</textarea>"},
		{name: "OKSelfClosingCodeStillVerbatim", in: "<p><code/>a ! b</code> c !</p>", style: StyleFrench, want: "<p><code/>a ! b</code> c" + nnbsp + "!</p>"},
		{name: "OKBlocksAreSeparateRuns", in: "<p>Bonjour</p><p>! non</p>", style: StyleFrench, want: "<p>Bonjour</p><p>! non</p>"},
		{name: "OKLineBreakIsABoundary", in: "<p>Bonjour<br>! non</p>", style: StyleFrench, want: "<p>Bonjour<br>! non</p>"},
		{name: "OKEntitiesDecodedAndReEscaped", in: "<p>Tom &amp; Jerry ; l&#39;eau &lt;3</p>", style: StyleFrench, want: "<p>Tom &amp; Jerry" + nnbsp + "; l’eau &lt;3</p>"},
		{name: "OKEncodedNoBreakSpaceAccepted", in: "<p>Oui&nbsp;!</p>", style: StyleFrench, want: "<p>Oui&nbsp;!</p>"},
		{name: "OKEncodedGuillemets", in: "<p>&laquo;texte&raquo;</p>", style: StyleFrench, want: "<p>«" + nnbsp + "texte" + nnbsp + "»</p>"},
		{name: "OKUntouchedTextKeepsItsBytes", in: "<p>l&#x27;&#233;t&eacute; ; </p>", style: StyleFrench, want: "<p>l’été" + nnbsp + "; </p>"},
		{name: "OKOtherTextNodesKeepTheirBytes", in: "<p>&eacute;t&eacute;</p><p>Oui !</p>", style: StyleFrench, want: "<p>&eacute;t&eacute;</p><p>Oui" + nnbsp + "!</p>"},
		{name: "OKCommentDoesNotBreakTheRun", in: "<p>Bonjour<!-- x : y ! -->!</p>", style: StyleFrench, want: "<p>Bonjour<!-- x : y ! -->" + nnbsp + "!</p>"},
		{name: "OKLinkedURLThenMark", in: `<p>Voir <a href="https://exemple.fr/a?b=c">https://exemple.fr/a?b=c</a>!</p>`, style: StyleFrench, want: `<p>Voir <a href="https://exemple.fr/a?b=c">https://exemple.fr/a?b=c</a>!</p>`},
		{name: "OKImageIsAWord", in: `<p><img src="x.png" alt="l'an : !">!</p>`, style: StyleFrench, want: `<p><img src="x.png" alt="l'an : !">` + nnbsp + "!</p>"},
		{name: "OKCanada", in: "<p><em>Bonjour</em> ! « oui »</p>", style: StyleFrenchCanada, want: "<p><em>Bonjour</em>! «" + nbsp + "oui" + nbsp + "»</p>"},
		{name: "OKNoneUnchanged", in: "<p>Bonjour !</p>", style: StyleNone, want: "<p>Bonjour !</p>"},
		{name: "OKEmpty", in: "", style: StyleFrench, want: ""},
		{name: "OKMalformed", in: "<p>Oui ! <em>non ?</p></div>", style: StyleFrench, want: "<p>Oui" + nnbsp + "! <em>non" + nnbsp + "?</p></div>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TypographyHTML(tt.in, tt.style)
			if err != nil {
				t.Fatalf("TypographyHTML: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TypographyHTML(%q, %v) mismatch (-want +got):\n%s", tt.in, tt.style, diff)
			}
			again, err := TypographyHTML(got, tt.style)
			if err != nil {
				t.Fatalf("TypographyHTML on its output: %v", err)
			}
			if again != got {
				t.Errorf("TypographyHTML is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestTypographyHTMLErrUnknownStyle(t *testing.T) {
	if _, err := TypographyHTML("<p>Oui !</p>", Style(5)); !errors.Is(err, ErrUnknownStyle) {
		t.Errorf("TypographyHTML error = %v, want %v", err, ErrUnknownStyle)
	}
}

// TestTypographyHTMLAgreesWithTypography checks that a plain-text case gives
// the same result whether it is typeset as text or as the text of a paragraph.
func TestTypographyHTMLAgreesWithTypography(t *testing.T) {
	for _, tt := range typographyCases {
		if !tt.style.valid() {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			got, err := TypographyHTML("<p>"+html.EscapeString(tt.in)+"</p>", tt.style)
			if err != nil {
				t.Fatalf("TypographyHTML: %v", err)
			}
			want := "<p>" + html.EscapeString(tt.want) + "</p>"
			if tt.in == tt.want {
				want = "<p>" + html.EscapeString(tt.in) + "</p>"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
