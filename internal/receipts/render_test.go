package receipts

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// pdftotext returns the path of poppler's pdftotext, or skips: the render
// tests read the PDFs back as text (.ci/run installs poppler-utils; CI=true
// makes its absence a failure).
func pdftotext(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("pdftotext")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs pdftotext for the receipt tests (apt-get install -y poppler-utils)")
	}
	t.Skip("skipping: pdftotext is not installed (Debian: apt-get install poppler-utils)")
	return ""
}

// render renders r, failing the test on error.
func render(t *testing.T, r Receipt) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		t.Fatalf("Render(%s) = %v", r.Number, err)
	}
	return buf.Bytes()
}

// extract returns the text of pdf as pdftotext reads it, in reading order.
func extract(t *testing.T, bin string, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// flatten collapses every run of spaces, no-break spaces and line breaks to
// one space, so that a sentence matches whatever its line breaks.
func flatten(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// mentions are what every receipt of the model must show.
var mentions = []string{
	"2041-RD",
	"N° 11580*05",
	"Reçu des dons et versements effectués par les particuliers au titre des articles 200 et 978 du code général des impôts",
	"Numéro d'ordre du reçu",
	"Organisme bénéficiaire des dons et versements",
	"Numéro SIREN ou RNA : SIREN 812 345 676",
	"Adresse : 14 rue d'Austerlitz, Boîte 3",
	"Code postal : 69004",
	"Commune : Lyon",
	"Pays : France",
	"Objet : Publier une presse locale indépendante, au cœur des quartiers : enquêtes, reportages et œuvres d'éducation aux médias.",
	"Donateur",
	"Le bénéficiaire reconnaît avoir reçu des dons et versements ouvrant droit à réduction d'impôt d'un montant de (1) :",
	"euros",
	"Somme en toutes lettres :",
	"Date du versement ou du don :",
	"Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article (2) :",
	"X 200 du CGI",
	"978 du CGI",
	"Forme du don :", "Acte authentique", "Acte sous seing privé", "Déclaration de don manuel", "Autres",
	"Nature du don (3) :", "Numéraire", "Titres de sociétés cotés", "Abandon exprès de revenus ou de produits",
	"Frais engagés par les bénévoles, dont ils renoncent expressément au remboursement",
	"En cas de don en numéraire, mode de versement du don :",
	"Remise d'espèces", "Chèque", "Virement, prélèvement, carte bancaire",
	"Date et signature",
	"amende prévue à l'article 1740 A du code général des impôts",
}

func TestRender(t *testing.T) {
	bin := pdftotext(t)
	tests := []struct {
		name    string
		receipt Receipt
		want    []string // besides mentions
		notWant []string
	}{
		{
			name:    "card",
			receipt: cardGift(),
			want: []string{
				"2026-000042",
				"Nom ou dénomination : Association « Le Veilleur de la Croix-Rousse »",
				"SIREN 812 345 676 – RNA W691234567",
				"X Œuvre ou organisme d'intérêt général ayant un caractère philanthropique",
				"X Association loi 1901",
				"Nom : Lefèvre-Nguyen", "Prénoms : Anne-Sophie Zoé",
				"Adresse : 12 rue des Œillets, Bâtiment B",
				"Code postal : 75011", "Commune : Paris",
				"***150,00***",
				"Somme en toutes lettres : cent cinquante euros",
				"Date du versement ou du don : 14/03/2026",
				"X Déclaration de don manuel",
				"X Numéraire",
				"X Virement, prélèvement, carte bancaire",
				"Fait à Lyon, le 16/03/2026",
				"Marie Dupont Présidente",
			},
			notWant: []string{
				"X 978", "X Acte", "X Autres", "X Titres", "X Abandon", "X Frais",
				"X Remise", "X Chèque", "ANNULÉ", "remplace", "pluralisme", "Fonds de dotation", "utilité publique",
			},
		},
		{
			name:    "annual",
			receipt: annualSummary(),
			want: []string{
				"2026-000003",
				"Nom ou dénomination : Fonds d'aide à la presse libre",
				"Numéro SIREN ou RNA : SIREN 812 345 676 Adresse",
				"X Association d'intérêt général exerçant des actions concrètes en faveur du pluralisme de la presse, par la prise de participations minoritaires, l'octroi de subventions ou encore de prêts bonifiés à des entreprises de presse",
				"Nom : Wasowski", "Prénoms : Lukasz",
				"Adresse : 3 place Bellecour",
				"***180,00***",
				"Somme en toutes lettres : cent quatre-vingts euros",
				"Date du versement ou du don : du 01/01/2025 au 31/12/2025",
				"X Déclaration de don manuel",
				"X Numéraire",
				"X Virement, prélèvement, carte bancaire",
				"Fait à Lyon, le 10/01/2026",
				"Jean-Noël Bœuf Trésorier",
			},
			notWant: []string{"RNA W", "Œuvre ou organisme", "Association loi 1901", "X 978", "X Chèque", "ANNULÉ"},
		},
		{
			name:    "annulled",
			receipt: annulledCheque(t),
			want: []string{
				"2026-000051",
				"ANNULÉ",
				"Reçu annulé le 20/03/2026 : il ne peut pas justifier une réduction d'impôt. Il est remplacé par le reçu n° 2026-000057.",
				"X Association ou fondation reconnue d'utilité publique par décret en date du 03/06/2019 publié au Journal officiel du 05/06/2019",
				"***99,99***",
				"Somme en toutes lettres : quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes",
				"Date du versement ou du don : 02/03/2026",
				"X Chèque",
			},
			notWant: []string{"Association loi 1901", "X Virement", "X Remise", "X 978"},
		},
		{
			name: "replacement",
			receipt: func() Receipt {
				r := cardGift()
				r.Number, r.Replaces = "2026-000057", "2026-000051"
				return r
			}(),
			want:    []string{"2026-000057", "Ce reçu annule et remplace le reçu n° 2026-000051."},
			notWant: []string{"ANNULÉ"},
		},
		{
			name: "abroad",
			receipt: func() Receipt {
				r := cardGift()
				r.Donor.Address, r.Donor.PostalCode, r.Donor.City, r.Donor.Country = []string{"Rue Haute 5"}, "1000", "Bruxelles", "Belgique"
				return r
			}(),
			want: []string{"Adresse : Rue Haute 5", "Code postal : 1000", "Commune : Bruxelles", "Pays : Belgique"},
		},
		{
			name: "FR",
			receipt: func() Receipt {
				r := cardGift()
				r.Donor.Country = "FR"
				return r
			}(),
			want:    []string{"Commune : Paris Pays : France"},
			notWant: []string{"Pays : FR"},
		},
		{
			name: "shares",
			receipt: func() Receipt {
				r := cardGift()
				r.Nature, r.Method = ListedShares, ""
				return r
			}(),
			want:    []string{"X Titres de sociétés cotés"},
			notWant: []string{"X Numéraire", "X Virement", "X Chèque", "X Remise"},
		},
		{
			name: "endowment",
			receipt: func() Receipt {
				r := cardGift()
				r.Org.Type, r.Org.CGIArticle = EndowmentFund, Article978
				return r
			}(),
			want:    []string{"X Fonds de dotation", "X 978 du CGI"},
			notWant: []string{"X 200", "Œuvre ou organisme", "Association loi 1901"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := render(t, tt.receipt)
			text := flatten(extract(t, bin, pdf))
			for _, s := range mentions {
				if tt.name == "endowment" && s == "X 200 du CGI" {
					continue
				}
				if !strings.Contains(text, s) {
					t.Errorf("missing mandatory mention %q", s)
				}
			}
			for _, s := range tt.want {
				if !strings.Contains(text, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(text, s) {
					t.Errorf("unexpected %q", s)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", text)
			}
		})
	}
}

// TestRenderGolden compares the text of the three reference receipts with
// testdata/<name>.golden; go test -update rewrites them.
func TestRenderGolden(t *testing.T) {
	bin := pdftotext(t)
	for name, r := range map[string]Receipt{
		"card":     cardGift(),
		"annual":   annualSummary(),
		"annulled": annulledCheque(t),
	} {
		t.Run(name, func(t *testing.T) {
			got := extract(t, bin, render(t, r))
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
			}
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	for _, r := range []Receipt{cardGift(), annualSummary(), annulledCheque(t), longest(t)} {
		a, b := render(t, r), render(t, r)
		if !bytes.Equal(a, b) {
			t.Errorf("receipt %s: two renders differ (%d and %d bytes)", r.Number, len(a), len(b))
		}
		if !bytes.HasPrefix(a, []byte("%PDF-")) {
			t.Errorf("receipt %s: output does not start with %%PDF-", r.Number)
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:"+r.IssuedAt.Format("20060102150405")+")")) {
			t.Errorf("receipt %s: creation date is not the issue date", r.Number)
		}
	}
}

// TestRenderLongest checks that the longest texts Validate allows still
// fit on one page (Render fails otherwise) and keep their mentions.
func TestRenderLongest(t *testing.T) {
	r := longest(t)
	pdf := render(t, r)
	bin := pdftotext(t)
	text := flatten(extract(t, bin, pdf))
	for _, s := range []string{"ANNULÉ", "Date et signature", "X Chèque", "***999999999,99***", "(4) Exemple : dons en nature."} {
		if !strings.Contains(text, s) {
			t.Errorf("missing %q", s)
		}
	}
}

func TestRenderErrInvalid(t *testing.T) {
	r := cardGift()
	r.Org.RNA, r.Org.SIREN = "", ""
	var buf bytes.Buffer
	err := Render(&buf, r)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("Render() = %v, want an invalid error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Render wrote %d bytes for an invalid receipt, want none", buf.Len())
	}
}

func TestRenderErrWrite(t *testing.T) {
	err := Render(failingWriter{}, cardGift())
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Render() = %v, want the writer's error", err)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }
