package settings

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/receipts"
)

// Association is the publisher's legal identity, as its tax receipts
// state it (Cerfa n° 11580*05).
type Association struct {
	Name       string `json:"name"`
	Address    string `json:"address"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	// Object is its purpose, as its statutes state it.
	Object string `json:"object"`
	// RNA (W691234567) and SIREN (9 digits): at least one.
	RNA   string `json:"rna"`
	SIREN string `json:"siren"`
	// Type is which box of the receipt applies (receipts.OrgType).
	Type           string `json:"type"`
	SignatoryName  string `json:"signatory_name"`
	SignatoryTitle string `json:"signatory_title"`
	// CGIArticle is the legal basis of the tax reduction: 200.
	CGIArticle int `json:"cgi_article"`
}

// Receipts says whether the association issues tax receipts. They are
// off by default: only associations of general interest may issue them,
// and a receipt issued wrongly costs a fine of 66 % of its amount (CGI
// art. 1740 A). They cannot be enabled until the association's identity
// is complete and an admin has attested its eligibility.
type Receipts struct {
	Enabled bool `json:"enabled"`
	// AttestedBy and AttestedAt record the admin who attested that the
	// association may issue receipts, and when.
	AttestedBy int64     `json:"attested_by"`
	AttestedAt time.Time `json:"attested_at"`
	// CounterpartCeiling is, in euros, the most a donor may receive in
	// return for a year's gifts (a book offered) and still get receipts:
	// 69 € since 2016, revised every five years.
	CounterpartCeiling int `json:"counterpart_ceiling"`
}

// maxCounterpartCeiling bounds the counterpart ceiling, in euros.
const maxCounterpartCeiling = 1000

func (a *Association) normalize() {
	for _, p := range []*string{&a.Name, &a.PostalCode, &a.City, &a.Object, &a.Type, &a.SignatoryName, &a.SignatoryTitle} {
		*p = strings.TrimSpace(*p)
	}
	a.Address = strings.TrimSpace(strings.ReplaceAll(a.Address, "\r\n", "\n"))
	a.RNA = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(a.RNA), " ", ""))
	a.SIREN = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(a.SIREN))
}

// validateReceipts checks the identity the receipts need, and refuses to
// enable them while anything is missing (french-rules checklist 25).
func (st *Site) validateReceipts(bad func(field, key string, args ...any)) {
	a := &st.Association
	long := func(field, value string, limit int) {
		if utf8.RuneCountInString(value) > limit {
			bad(field, "error.settings.too_long", limit)
		}
	}
	for _, f := range []struct {
		field, value string
		limit        int
	}{{"association.name", a.Name, maxLine}, {"association.address", a.Address, maxSentence},
		{"association.postal_code", a.PostalCode, 20}, {"association.city", a.City, maxLine},
		{"association.object", a.Object, maxSentence}, {"association.signatory_name", a.SignatoryName, maxLine},
		{"association.signatory_title", a.SignatoryTitle, maxLine}} {
		long(f.field, f.value, f.limit)
	}
	if a.RNA != "" && !receipts.ValidRNA(a.RNA) {
		bad("association.rna", "error.settings.bad_rna")
	}
	if a.SIREN != "" && !receipts.ValidSIREN(a.SIREN) {
		bad("association.siren", "error.settings.bad_siren")
	}
	if a.Type != "" && !receipts.OrgType(a.Type).Valid() {
		bad("association.type", "error.settings.bad_org_type")
	}
	if a.CGIArticle != 0 && a.CGIArticle != int(receipts.Article200) && a.CGIArticle != int(receipts.Article978) {
		bad("association.cgi_article", "error.settings.bad_cgi_article")
	}
	if st.Receipts.CounterpartCeiling < 0 || st.Receipts.CounterpartCeiling > maxCounterpartCeiling {
		bad("receipts.counterpart_ceiling", "error.settings.counterpart_ceiling", maxCounterpartCeiling)
	}
	if !st.Receipts.Enabled {
		return
	}
	missing := func(field, value string) {
		if value == "" {
			bad(field, "error.settings.receipts_need")
		}
	}
	missing("association.name", a.Name)
	missing("association.address", a.Address)
	missing("association.postal_code", a.PostalCode)
	missing("association.city", a.City)
	missing("association.object", a.Object)
	missing("association.type", a.Type)
	missing("association.signatory_name", a.SignatoryName)
	missing("association.signatory_title", a.SignatoryTitle)
	if a.RNA == "" && a.SIREN == "" {
		bad("association.rna", "error.settings.receipts_need_id")
	}
	if a.CGIArticle == 0 {
		bad("association.cgi_article", "error.settings.receipts_need")
	}
	if st.Receipts.AttestedBy == 0 || st.Receipts.AttestedAt.IsZero() {
		bad("receipts.attestation", "error.settings.receipts_attestation")
	}
}

// ReceiptsReady reports whether tax receipts are enabled on a complete
// identity: what the donations service asks before issuing one.
func (st *Site) ReceiptsReady() bool {
	if !st.Receipts.Enabled {
		return false
	}
	var problems []error
	st.validateReceipts(func(field, key string, args ...any) {
		problems = append(problems, apperr.New(apperr.Invalid, key, args...).InField(field))
	})
	return len(problems) == 0
}
