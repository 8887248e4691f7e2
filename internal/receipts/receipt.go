package receipts

import "time"

// Receipt is one tax receipt, complete: everything the 2041-RD form shows.
// Times are shown in their own location, so the caller converts them to the
// site's time zone first: a card gift credited at 00:30 in Paris on
// 1 January is still 31 December in UTC.
type Receipt struct {
	// Number is the receipt's order number on the association's unbroken
	// sequence ("2026-000042"); it is kept when the receipt is annulled.
	Number string
	// IssuedAt is when the receipt was made, printed as the date of
	// signature.
	IssuedAt time.Time
	Org      Organization
	Donor    Donor
	// AmountCents is the amount received, in cents; for a summary receipt,
	// the total of the period's gifts.
	AmountCents int64
	// Currency must be "EUR": the form states amounts in euros.
	Currency string
	// Date is the date of a single gift: for a card, transfer or direct
	// debit, the day the money was credited to the association. Leave it
	// zero for a summary receipt.
	Date time.Time
	// PeriodFrom and PeriodTo bound the gifts of a summary receipt (the
	// yearly receipt of a monthly donor), both days included. Leave them
	// zero for a single gift.
	PeriodFrom, PeriodTo time.Time
	Form                 Form
	Nature               Nature
	// Method is how a gift in money was paid; it is left empty for any
	// other nature.
	Method Method
	// Annulled marks a cancelled receipt, which keeps its number and is
	// rendered with « ANNULÉ » and AnnulledAt.
	Annulled   bool
	AnnulledAt time.Time
	// Replaces is the number of the receipt this one cancels and replaces,
	// if any.
	Replaces string
	// ReplacedBy is, on an annulled receipt, the number of the receipt that
	// replaces it, if any.
	ReplacedBy string
}

// Organization is the beneficiary as the receipt names it: the association's
// own settings, the same on all its receipts.
type Organization struct {
	Name string
	// Address holds the street lines, without postal code and city.
	Address    []string
	PostalCode string
	City       string
	// Object is the association's purpose, as in its statutes.
	Object string
	// RNA ("W751234567") and SIREN ("732829320") identify the association;
	// the form requires at least one, and prints both when given.
	RNA   string
	SIREN string
	Type  OrgType
	// PublicUtilityDecree and PublicUtilityGazette are the dates of the
	// decree recognising the organisation of public utility and of its
	// publication in the Journal officiel; they are required with
	// PublicUtility and printed in its box.
	PublicUtilityDecree  time.Time
	PublicUtilityGazette time.Time
	Signatory            Signatory
	// SignatureImage is an optional PNG of the signatory's signature or the
	// association's stamp, printed above the name (not interlaced, at most
	// MaxSignatureBytes).
	SignatureImage []byte
	// CGIArticle is the tax reduction the gifts give right to: Article200,
	// the income tax reduction, for all kiosque users.
	CGIArticle CGIArticle
}

// Signatory is the person authorised to sign receipts, whose name and
// capacity are printed under the signature.
type Signatory struct {
	Name string
	// Title is the signatory's capacity: « Présidente », « Trésorier ».
	Title string
}

// Donor is the private individual who gave, with the full postal address the
// form requires.
type Donor struct {
	LastName   string
	FirstNames string
	// Address holds the street lines, without postal code and city.
	Address    []string
	PostalCode string
	City       string
	// Country is the country's name in French ("Belgique"), printed as
	// given; empty, "FR" and "France" mean France, where the postal code is
	// required.
	Country string
}

// OrgType is the category of beneficiary, one of the form's boxes; only the
// categories a newsroom may belong to are offered.
type OrgType string

// The categories, with the wording of their boxes on the 11580*05 model.
const (
	// GeneralInterest is a « loi 1901 » association of general interest:
	// « Œuvre ou organisme d'intérêt général … », sub-box « Association loi
	// 1901 ».
	GeneralInterest OrgType = "general_interest"
	// PublicUtility is an association or foundation recognised of public
	// utility by decree, a sub-box of the same « Œuvre ou organisme
	// d'intérêt général » box.
	PublicUtility OrgType = "public_utility"
	// PressPluralism is « Association d'intérêt général exerçant des actions
	// concrètes en faveur du pluralisme de la presse … », its own box.
	PressPluralism OrgType = "press_pluralism"
	// EndowmentFund is a « Fonds de dotation », its own box since 11580*05.
	EndowmentFund OrgType = "endowment_fund"
)

// CGIArticle is the article of the Code général des impôts under which the
// beneficiary certifies that gifts reduce the donor's tax.
type CGIArticle int

// The articles on the 11580*05 model (238 bis, for companies, moved to form
// 2041-MEC-SD).
const (
	// Article200 is the income tax reduction of private individuals.
	Article200 CGIArticle = 200
	// Article978 is the real-estate wealth tax (IFI) reduction, open only to
	// some foundations and funds: see Validate.
	Article978 CGIArticle = 978
)

// Form is the legal form of the gift (« Forme du don »).
type Form string

// The forms on the model; an online or bank gift is a ManualGift.
const (
	// ManualGift is « Déclaration de don manuel ».
	ManualGift Form = "manual_gift"
	// PrivateDeed is « Acte sous seing privé ».
	PrivateDeed Form = "private_deed"
	// NotarialDeed is « Acte authentique ».
	NotarialDeed Form = "notarial_deed"
	// OtherForm is « Autres ».
	OtherForm Form = "other"
)

// Nature is what was given (« Nature du don »).
type Nature string

// The natures on the 11580*05 model.
const (
	// Money is « Numéraire »: cash, cheque, transfer, card.
	Money Nature = "money"
	// ListedShares is « Titres de sociétés cotés ».
	ListedShares Nature = "listed_shares"
	// WaivedIncome is « Abandon exprès de revenus ou de produits ».
	WaivedIncome Nature = "waived_income"
	// VolunteerExpenses is « Frais engagés par les bénévoles, dont ils
	// renoncent expressément au remboursement ».
	VolunteerExpenses Nature = "volunteer_expenses"
	// OtherNature is « Autres » (a gift in kind).
	OtherNature Nature = "other"
)

// Method is how a gift in money was paid (« mode de versement du don »).
type Method string

// The methods on the model, which groups transfer, direct debit and card in
// one box.
const (
	// Cash is « Remise d'espèces ».
	Cash Method = "cash"
	// Cheque is « Chèque ».
	Cheque Method = "cheque"
	// TransferOrCard is « Virement, prélèvement, carte bancaire ».
	TransferOrCard Method = "transfer_or_card"
)

// choice is one box of the form: its value and its printed label.
type choice[T comparable] struct {
	value T
	label string
}

// The boxes in the order of the model. The labels are the model's wording.
var (
	formChoices = []choice[Form]{
		{NotarialDeed, "Acte authentique"},
		{PrivateDeed, "Acte sous seing privé"},
		{ManualGift, "Déclaration de don manuel"},
		{OtherForm, "Autres"},
	}
	natureChoices = []choice[Nature]{
		{Money, "Numéraire"},
		{ListedShares, "Titres de sociétés cotés"},
		{WaivedIncome, "Abandon exprès de revenus ou de produits"},
		{VolunteerExpenses, "Frais engagés par les bénévoles, dont ils renoncent expressément au remboursement"},
		{OtherNature, "Autres (4)"},
	}
	methodChoices = []choice[Method]{
		{Cash, "Remise d'espèces"},
		{Cheque, "Chèque"},
		{TransferOrCard, "Virement, prélèvement, carte bancaire"},
	}
	articleChoices = []choice[CGIArticle]{
		{Article200, "200 du CGI"},
		{Article978, "978 du CGI"},
	}
)

// known reports whether v is one of choices.
func known[T comparable](choices []choice[T], v T) bool {
	for _, c := range choices {
		if c.value == v {
			return true
		}
	}
	return false
}

// Valid reports whether t is one of the categories of the model.
func (t OrgType) Valid() bool {
	switch t {
	case GeneralInterest, PublicUtility, PressPluralism, EndowmentFund:
		return true
	}
	return false
}
