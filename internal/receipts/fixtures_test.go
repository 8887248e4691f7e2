package receipts

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"
)

// paris is the site's time zone; receipts are shown in it.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func day2(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, paris)
}

// testOrg is a newsroom association of general interest.
func testOrg() Organization {
	return Organization{
		Name:       "Association « Le Veilleur de la Croix-Rousse »",
		Address:    []string{"14 rue d'Austerlitz", "Boîte 3"},
		PostalCode: "69004",
		City:       "Lyon",
		Object:     "Publier une presse locale indépendante, au cœur des quartiers : enquêtes, reportages et œuvres d'éducation aux médias.",
		RNA:        "W691234567",
		SIREN:      "812 345 676",
		Type:       GeneralInterest,
		Signatory:  Signatory{Name: "Marie Dupont", Title: "Présidente"},
		CGIArticle: Article200,
	}
}

// cardGift is a one-off card gift of 150 euros.
func cardGift() Receipt {
	return Receipt{
		Number:   "2026-000042",
		IssuedAt: time.Date(2026, time.March, 16, 10, 30, 0, 0, paris),
		Org:      testOrg(),
		Donor: Donor{
			LastName:   "Lefèvre-Nguyễn",
			FirstNames: "Anne-Sophie Zoé",
			Address:    []string{"12 rue des Œillets", "Bâtiment B"},
			PostalCode: "75011",
			City:       "Paris",
		},
		AmountCents: 15000,
		Currency:    "EUR",
		Date:        day2(2026, time.March, 14),
		Form:        ManualGift,
		Nature:      Money,
		Method:      TransferOrCard,
	}
}

// annualSummary is the yearly receipt of a monthly donor: twelve gifts of
// 15 euros in 2025, from a press-pluralism association.
func annualSummary() Receipt {
	org := testOrg()
	org.Name = "Fonds d'aide à la presse libre"
	org.RNA = ""
	org.Type = PressPluralism
	org.Signatory = Signatory{Name: "Jean-Noël Bœuf", Title: "Trésorier"}
	return Receipt{
		Number:   "2026-000003",
		IssuedAt: time.Date(2026, time.January, 10, 9, 0, 0, 0, paris),
		Org:      org,
		Donor: Donor{
			LastName:   "Wąsowski",
			FirstNames: "Łukasz",
			Address:    []string{"3 place Bellecour"},
			PostalCode: "69002",
			City:       "Lyon",
		},
		AmountCents: 12 * 1500,
		Currency:    "EUR",
		PeriodFrom:  day2(2025, time.January, 1),
		PeriodTo:    day2(2025, time.December, 31),
		Form:        ManualGift,
		Nature:      Money,
		Method:      TransferOrCard,
	}
}

// annulledCheque is a cheque receipt issued with a wrong amount, annulled
// and replaced, from a foundation of public utility with a signature image.
func annulledCheque(tb testing.TB) Receipt {
	org := testOrg()
	org.Type = PublicUtility
	org.PublicUtilityDecree = day2(2019, time.June, 3)
	org.PublicUtilityGazette = day2(2019, time.June, 5)
	org.SignatureImage = signaturePNG(tb)
	r := cardGift()
	r.Number = "2026-000051"
	r.Org = org
	r.AmountCents = 9999
	r.Method = Cheque
	r.Date = day2(2026, time.March, 2)
	r.Annulled = true
	r.AnnulledAt = time.Date(2026, time.March, 20, 15, 0, 0, 0, paris)
	r.ReplacedBy = "2026-000057"
	return r
}

// signaturePNG draws a blue scribble on a transparent background.
func signaturePNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	ink := color.NRGBA{R: 20, G: 40, B: 120, A: 255}
	for x := 10; x < 230; x++ {
		y := 40 + 22*math.Sin(float64(x)/14)*math.Cos(float64(x)/37)
		for dy := -1; dy <= 1; dy++ {
			img.SetNRGBA(x, int(y)+dy, ink)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// longest fills every text of an annulled receipt to the length Validate
// allows, with wide letters, and the amount to its maximum: it must still
// fit on one page.
func longest(tb testing.TB) Receipt {
	wide := func(n int) string { return strings.Repeat("Mmmmm wwww ", n/11+1)[:n] }
	r := annulledCheque(tb)
	r.Number = wide(maxNumber)
	r.ReplacedBy = wide(maxNumber - 1)
	r.Org.Name = wide(maxName)
	r.Org.Address = []string{wide(maxLine), wide(maxLine), wide(maxLine)}
	r.Org.PostalCode = wide(maxPostalCode)
	r.Org.City = wide(maxCity)
	r.Org.Object = wide(maxObject)
	r.Org.Signatory = Signatory{Name: wide(maxSignatory), Title: wide(maxSignatory)}
	r.Donor = Donor{
		LastName:   wide(maxPersonName),
		FirstNames: wide(maxPersonName),
		Address:    []string{wide(maxLine), wide(maxLine), wide(maxLine)},
		PostalCode: wide(maxPostalCode),
		City:       wide(maxCity),
		Country:    wide(maxCountryName),
	}
	r.AmountCents = maxAmountCents - 1
	return r
}
