package receipts

import (
	"errors"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/testutil"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Receipt)
		want   []string // fields reported, in order; none for OK cases
	}{
		{"OK", func(*Receipt) {}, nil},
		{"OKAnnualSummary", func(r *Receipt) { *r = annualSummary() }, nil},
		{"OKAnnulled", func(r *Receipt) { *r = annulledCheque(t) }, nil},
		{"OKRNAOnly", func(r *Receipt) { r.Org.SIREN = "" }, nil},
		{"OKSIRENOnly", func(r *Receipt) { r.Org.RNA = "" }, nil},
		{"OKIdentifiersAsTyped", func(r *Receipt) { r.Org.RNA, r.Org.SIREN = "w 691 234 567", "812.345.676" }, nil},
		{"OKCorsicanRNA", func(r *Receipt) { r.Org.RNA = "W2A1000123" }, nil},
		{"OKEndowmentFund978", func(r *Receipt) { r.Org.Type, r.Org.CGIArticle = EndowmentFund, Article978 }, nil},
		{"ErrNoDonorPostalCodeWithISOCode", func(r *Receipt) { r.Donor.Country, r.Donor.PostalCode = "fr", "" }, []string{"donor.postal_code"}},
		{"OKForeignDonorWithoutPostalCode", func(r *Receipt) { r.Donor.Country, r.Donor.PostalCode = "Irlande", "" }, nil},
		{"OKGiftOnIssueDay", func(r *Receipt) { r.Date = r.IssuedAt.Add(-time.Hour) }, nil},
		{"OKObjectOnSeveralLines", func(r *Receipt) { r.Org.Object = "Informer.\nÉduquer aux médias.\r\n" }, nil},
		{"OKListedShares", func(r *Receipt) { r.Nature, r.Method = ListedShares, "" }, nil},
		{"OKReplacement", func(r *Receipt) { r.Replaces = "2026-000041" }, nil},

		{"ErrNoNumber", func(r *Receipt) { r.Number = " " }, []string{"number"}},
		{"ErrNumberTooLong", func(r *Receipt) { r.Number = "2026-0000000000000000042" }, []string{"number"}},
		{"ErrNoIssuedAt", func(r *Receipt) { r.IssuedAt = time.Time{} }, []string{"issued_at"}},
		{"ErrNoOrgName", func(r *Receipt) { r.Org.Name = "" }, []string{"org.name"}},
		{"ErrOrgNameWithLineBreak", func(r *Receipt) { r.Org.Name = "Le Veilleur\nde Lyon" }, []string{"org.name"}},
		{"ErrNoOrgAddress", func(r *Receipt) { r.Org.Address = []string{"", "  "} }, []string{"org.address"}},
		{"ErrOrgAddressTooManyLines", func(r *Receipt) { r.Org.Address = []string{"a", "b", "c", "d"} }, []string{"org.address"}},
		{"ErrNoOrgPostalCode", func(r *Receipt) { r.Org.PostalCode = "" }, []string{"org.postal_code"}},
		{"ErrNoOrgCity", func(r *Receipt) { r.Org.City = "" }, []string{"org.city"}},
		{"ErrNoObject", func(r *Receipt) { r.Org.Object = "\n" }, []string{"org.object"}},
		{"ErrObjectTooLong", func(r *Receipt) { r.Org.Object = strings.Repeat("é", maxObject+1) }, []string{"org.object"}},
		{"ErrNoRNAOrSIREN", func(r *Receipt) { r.Org.RNA, r.Org.SIREN = "", "" }, []string{"org.rna_siren"}},
		{"ErrBadRNA", func(r *Receipt) { r.Org.RNA = "W69123456" }, []string{"org.rna"}},
		{"ErrRNAWithoutW", func(r *Receipt) { r.Org.RNA = "6912345678" }, []string{"org.rna"}},
		{"ErrSIRENCheckDigit", func(r *Receipt) { r.Org.SIREN = "812345677" }, []string{"org.siren"}},
		{"ErrSIRENLetters", func(r *Receipt) { r.Org.SIREN = "81234567A" }, []string{"org.siren"}},
		{"ErrNoType", func(r *Receipt) { r.Org.Type = "" }, []string{"org.type"}},
		{"ErrUnknownType", func(r *Receipt) { r.Org.Type = "museum" }, []string{"org.type"}},
		{"ErrPublicUtilityWithoutDecree", func(r *Receipt) {
			r.Org.Type = PublicUtility
			r.Org.PublicUtilityDecree = day2(2019, time.June, 3)
		}, []string{"org.public_utility_decree"}},
		{"ErrNoSignatory", func(r *Receipt) { r.Org.Signatory = Signatory{} }, []string{"org.signatory.name", "org.signatory.title"}},
		{"ErrNoSignatoryTitle", func(r *Receipt) { r.Org.Signatory.Title = "" }, []string{"org.signatory.title"}},
		{"ErrSignatureNotPNG", func(r *Receipt) { r.Org.SignatureImage = []byte("GIF89a") }, []string{"org.signature_image"}},
		{"ErrSignatureInterlaced", func(r *Receipt) { r.Org.SignatureImage = interlaced(t) }, []string{"org.signature_image"}},
		{"ErrOrgAddressLineTooLong", func(r *Receipt) { r.Org.Address = []string{strings.Repeat("a", maxLine+1)} }, []string{"org.address"}},
		{"ErrInvalidUTF8", func(r *Receipt) { r.Donor.City = "Lyon\xff" }, []string{"donor.city"}},
		{"ErrSignatureTooLarge", func(r *Receipt) {
			r.Org.SignatureImage = append(signaturePNG(t), make([]byte, MaxSignatureBytes)...)
		}, []string{"org.signature_image"}},
		{"ErrNoCGIArticle", func(r *Receipt) { r.Org.CGIArticle = 0 }, []string{"org.cgi_article"}},
		{"Err238Bis", func(r *Receipt) { r.Org.CGIArticle = 238 }, []string{"org.cgi_article"}},
		{"Err978ForAssociation", func(r *Receipt) { r.Org.CGIArticle = Article978 }, []string{"org.cgi_article"}},
		{"Err978ForPressPluralism", func(r *Receipt) { r.Org.Type, r.Org.CGIArticle = PressPluralism, Article978 }, []string{"org.cgi_article"}},

		{"ErrNoDonorName", func(r *Receipt) { r.Donor.LastName, r.Donor.FirstNames = "", "" }, []string{"donor.last_name", "donor.first_names"}},
		{"ErrNoDonorFirstNames", func(r *Receipt) { r.Donor.FirstNames = "" }, []string{"donor.first_names"}},
		{"ErrNoDonorAddress", func(r *Receipt) {
			r.Donor.Address, r.Donor.PostalCode, r.Donor.City = nil, "", ""
		}, []string{"donor.address", "donor.city", "donor.postal_code"}},
		{"ErrNoDonorStreet", func(r *Receipt) { r.Donor.Address = nil }, []string{"donor.address"}},
		{"ErrNoDonorPostalCodeInFrance", func(r *Receipt) { r.Donor.Country, r.Donor.PostalCode = "France", "" }, []string{"donor.postal_code"}},
		{"ErrDonorNameTooLong", func(r *Receipt) { r.Donor.LastName = strings.Repeat("é", maxPersonName+1) }, []string{"donor.last_name"}},

		{"ErrZeroAmount", func(r *Receipt) { r.AmountCents = 0 }, []string{"amount"}},
		{"ErrNegativeAmount", func(r *Receipt) { r.AmountCents = -15000 }, []string{"amount"}},
		{"ErrAmountTooLarge", func(r *Receipt) { r.AmountCents = maxAmountCents + 1 }, []string{"amount"}},
		{"ErrNoCurrency", func(r *Receipt) { r.Currency = "" }, []string{"currency"}},
		{"ErrCurrency", func(r *Receipt) { r.Currency = "eur" }, []string{"currency"}},

		{"ErrNoDateNorPeriod", func(r *Receipt) { r.Date = time.Time{} }, []string{"date"}},
		{"ErrDateAndPeriod", func(r *Receipt) {
			r.PeriodFrom, r.PeriodTo = day2(2025, time.January, 1), day2(2025, time.December, 31)
		}, []string{"date"}},
		{"ErrHalfPeriod", func(r *Receipt) { r.Date, r.PeriodFrom = time.Time{}, day2(2025, time.January, 1) }, []string{"period"}},
		{"ErrPeriodReversed", func(r *Receipt) {
			r.Date, r.PeriodFrom, r.PeriodTo = time.Time{}, day2(2025, time.December, 31), day2(2025, time.January, 1)
		}, []string{"period"}},
		{"ErrPeriodAfterIssue", func(r *Receipt) {
			r.Date, r.PeriodFrom, r.PeriodTo = time.Time{}, day2(2026, time.January, 1), day2(2026, time.December, 31)
		}, []string{"period"}},
		{"ErrDateAfterIssue", func(r *Receipt) { r.Date = day2(2026, time.March, 17) }, []string{"date"}},

		{"ErrNoForm", func(r *Receipt) { r.Form = "" }, []string{"form"}},
		{"ErrUnknownForm", func(r *Receipt) { r.Form = "verbal" }, []string{"form"}},
		{"ErrNoNature", func(r *Receipt) { r.Nature = "" }, []string{"nature"}},
		{"ErrUnknownNature", func(r *Receipt) { r.Nature = "crypto" }, []string{"nature"}},
		{"ErrNoMethod", func(r *Receipt) { r.Method = "" }, []string{"method"}},
		{"ErrUnknownMethod", func(r *Receipt) { r.Method = "paypal" }, []string{"method"}},
		{"ErrMethodForNonMoneyGift", func(r *Receipt) { r.Nature = VolunteerExpenses }, []string{"method"}},

		{"ErrAnnulledWithoutDate", func(r *Receipt) { r.Annulled = true }, []string{"annulled_at"}},
		{"ErrAnnulledAtNotAnnulled", func(r *Receipt) { r.AnnulledAt = r.IssuedAt }, []string{"annulled_at"}},
		{"ErrReplacedByNotAnnulled", func(r *Receipt) { r.ReplacedBy = "2026-000043" }, []string{"replaced_by"}},
		{"ErrReplacedBySelf", func(r *Receipt) {
			r.Annulled, r.AnnulledAt, r.ReplacedBy = true, r.IssuedAt, r.Number
		}, []string{"replaced_by"}},
		{"ErrReplacesSelf", func(r *Receipt) { r.Replaces = r.Number }, []string{"replaces"}},

		{"ErrEverything", func(r *Receipt) { *r = Receipt{} }, []string{
			"number", "issued_at",
			"org.name", "org.address", "org.postal_code", "org.city", "org.object", "org.rna_siren", "org.type",
			"org.signatory.name", "org.signatory.title", "org.cgi_article",
			"donor.last_name", "donor.first_names", "donor.address", "donor.city", "donor.postal_code",
			"amount", "currency", "date", "form", "nature",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cardGift()
			tt.change(&r)
			err := r.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors in %v", tt.want)
			}
			if diff := cmp.Diff(tt.want, testutil.Fields(err)); diff != "" {
				t.Errorf("fields reported (-want +got):\n%s\n%v", diff, err)
			}
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Errorf("KindOf(err) = %v, want invalid", k)
			}
		})
	}
}

// TestValidateErrors checks the shape of each problem: an apperr.Invalid
// without a catalogue key, so people see the generic message for the kind
// while the field name and the detail go to the form and the logs.
func TestValidateErrors(t *testing.T) {
	err := Receipt{}.Validate()
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatalf("Validate() = %T, want joined errors", err)
	}
	for _, e := range joined.Unwrap() {
		var ae *apperr.Error
		if !errors.As(e, &ae) {
			t.Fatalf("%v is %T, want *apperr.Error", e, e)
		}
		if ae.Kind != apperr.Invalid || ae.Key != "" || ae.Field == "" {
			t.Errorf("%v: kind %v, key %q, field %q; want invalid, no key, a field", e, ae.Kind, ae.Key, ae.Field)
		}
		if key, _ := apperr.Message(e); key != apperr.DefaultKey(apperr.Invalid) {
			t.Errorf("Message(%v) = %q, want the generic invalid key", e, key)
		}
	}
}

func TestValidSIREN(t *testing.T) {
	for _, s := range []string{"732829320", "812345676", "356000000", "552100554"} {
		if !validSIREN(s) {
			t.Errorf("validSIREN(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "73282932", "7328293200", "732829321", "73282932O"} {
		if validSIREN(s) {
			t.Errorf("validSIREN(%q) = true, want false", s)
		}
	}
}

// interlaced returns the test signature marked as interlaced (Adam7), with
// its header checksum fixed so that only the interlacing is wrong.
func interlaced(tb testing.TB) []byte {
	b := signaturePNG(tb)
	b[28] = 1
	crc := crc32.ChecksumIEEE(b[12:29])
	b[29], b[30], b[31], b[32] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
	return b
}
