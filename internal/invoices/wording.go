package invoices

import (
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// wording is the fixed text of the documents in one language. It lives
// here rather than in the message catalogue because it is legal wording
// that changes with the law, not with translators; the legal references
// themselves (« Association loi 1901 », articles) stay in French.
type wording struct {
	// colon follows a label: a no-break space before it in French.
	colon string

	invoice, credit, slip string
	number                string
	continued             string // "%s n° %s (suite)"
	issued                string
	orderLabel            string
	order                 string // "%s du %s": reference, date
	corrects              string // "%s": invoice number
	correctsOf            string // " du %s": its date
	billTo, shipTo        string
	collectBy             string
	company               string
	siren, rna, vatNumber string

	colQty, colDesc, colUnitHT, colRate, colUnitTTC, colTotalTTC string
	colUnit, colAmount, colISBN                                  string

	formats  map[shop.Format]string
	used     string
	rebate   string // "%s, %s": publisher's price, rebate
	shipping string
	pickup   string
	prorata  string // "%s": "9,30 € à 5,5 %, 2,70 € à 20 %"
	rateOn   string // "%s à %s": amount, rate
	// refundSplit spreads a partial refund over the rates ("%s" as in
	// prorata).
	refundSplit string
	prorataCo   string // the rate column of a split charge

	refundPartial string // "%s": order reference
	reason        string

	vatTable, base, rate, vat, ttc     string
	totalHT, totalVAT, totalTTC, total string
	creditTTC, creditTotal             string

	payment, paidOn, dueBy, refunded string
	methods                          map[PaymentMethod]string
	deliveredOn                      string
	b2b                              string

	carrier, tracking, deliveryKinds string
	kinds                            map[shop.DeliveryKind]string
	items                            string // "%d"
	preparedBy, checkedBy, date      string
	page                             string // "%d/%s"
}

var french = wording{ //nolint:gosec // G101 takes the credit note fields for credentials
	colon:      "\u00a0: ",
	invoice:    "Facture",
	credit:     "Avoir",
	slip:       "Bon de livraison",
	number:     "N°",
	continued:  "%s n° %s (suite)",
	issued:     "Date d’émission",
	orderLabel: "Commande",
	order:      "%s du %s",
	corrects:   "Avoir sur la facture n° %s",
	correctsOf: " du %s",
	billTo:     "Facturé à",
	shipTo:     "Livré à",
	collectBy:  "À retirer par",
	company:    "Société",
	siren:      "SIREN",
	rna:        "RNA",
	vatNumber:  "N° de TVA intracommunautaire",

	colQty:      "Qté",
	colDesc:     "Désignation",
	colUnitHT:   "PU HT",
	colRate:     "TVA",
	colUnitTTC:  "PU TTC",
	colTotalTTC: "Montant TTC",
	colUnit:     "Prix unitaire",
	colAmount:   "Montant",
	colISBN:     "ISBN",

	formats: map[shop.Format]string{
		shop.FormatPrint: "livre imprimé",
		shop.FormatEbook: "livre numérique",
		shop.FormatAudio: "livre audio",
	},
	used:        "occasion",
	rebate:      "prix public %s, remise %s",
	shipping:    "Frais de livraison",
	pickup:      "Retrait",
	prorata:     "TVA répartie au prorata de la valeur HT des marchandises\u00a0: %s",
	rateOn:      "%s à %s",
	refundSplit: "Remboursement réparti au prorata des montants facturés par taux\u00a0: %s",
	prorataCo:   "prorata",

	refundPartial: "Remboursement partiel de la commande %s", //nolint:misspell // French
	reason:        "Motif",

	vatTable:    "Détail de la TVA",
	base:        "Base HT",
	rate:        "Taux",
	vat:         "TVA",
	ttc:         "TTC",
	totalHT:     "Total HT",
	totalVAT:    "Total TVA",
	totalTTC:    "Total TTC",
	total:       "Total",
	creditTTC:   "Total de l’avoir TTC",
	creditTotal: "Total de l’avoir",

	payment:  "Paiement",
	paidOn:   "%s, payée le %s",
	dueBy:    "%s, à régler au plus tard le %s",
	refunded: "%s, remboursé le %s",
	methods: map[PaymentMethod]string{
		PayCard:     "carte bancaire",
		PayTransfer: "virement",
		PayCheque:   "chèque",
		PayCash:     "espèces",
	},
	deliveredOn: "Date de livraison",
	b2b: "Conditions de règlement\u00a0: pas d’escompte pour paiement anticipé. En cas de retard de paiement, " +
		"des pénalités sont exigibles au taux de trois fois le taux d’intérêt légal, ainsi qu’une indemnité " +
		"forfaitaire pour frais de recouvrement de 40\u00a0€ (art. L441-10 et D441-5 du code de commerce).",

	carrier:       "Transporteur", //nolint:misspell // French
	tracking:      "N° de suivi",
	deliveryKinds: "Mode de livraison",
	kinds: map[shop.DeliveryKind]string{
		shop.DeliveryHome:    "à domicile",
		shop.DeliveryRelay:   "en point relais",
		shop.DeliveryPickup:  "retrait sur place",
		shop.DeliveryDigital: "téléchargement",
	},
	items:      "Nombre d’exemplaires\u00a0: %d",
	preparedBy: "Préparé par",
	checkedBy:  "Vérifié par",
	date:       "le",
	page:       "Page %d/%s",
}

var english = wording{ //nolint:gosec // G101 takes the credit note fields for credentials
	colon:      ": ",
	invoice:    "Invoice",
	credit:     "Credit note",
	slip:       "Packing slip",
	number:     "No.",
	continued:  "%s no. %s (continued)",
	issued:     "Date of issue",
	orderLabel: "Order",
	order:      "%s of %s",
	corrects:   "Credit note for invoice no. %s",
	correctsOf: " of %s",
	billTo:     "Bill to",
	shipTo:     "Ship to",
	collectBy:  "To be collected by",
	company:    "Company",
	siren:      "SIREN",
	rna:        "RNA",
	vatNumber:  "VAT number",

	colQty:      "Qty",
	colDesc:     "Description",
	colUnitHT:   "Unit excl. VAT",
	colRate:     "VAT",
	colUnitTTC:  "Unit incl. VAT",
	colTotalTTC: "Amount incl. VAT",
	colUnit:     "Unit price",
	colAmount:   "Amount",
	colISBN:     "ISBN",

	formats: map[shop.Format]string{
		shop.FormatPrint: "print book",
		shop.FormatEbook: "e-book",
		shop.FormatAudio: "audiobook",
	},
	used:        "used copy (« occasion »)",
	rebate:      "list price %s, discount %s",
	shipping:    "Delivery",
	pickup:      "Collection",
	prorata:     "VAT split pro rata of the goods' value excl. VAT: %s",
	rateOn:      "%s at %s",
	refundSplit: "Refund split pro rata of the amounts invoiced per rate: %s",
	prorataCo:   "pro rata",

	refundPartial: "Partial refund of order %s",
	reason:        "Reason",

	vatTable:    "VAT breakdown",
	base:        "Excl. VAT",
	rate:        "Rate",
	vat:         "VAT",
	ttc:         "Incl. VAT",
	totalHT:     "Total excl. VAT",
	totalVAT:    "Total VAT",
	totalTTC:    "Total incl. VAT",
	total:       "Total",
	creditTTC:   "Credit total incl. VAT",
	creditTotal: "Credit total",

	payment:  "Payment",
	paidOn:   "%s, paid on %s",
	dueBy:    "%s, due by %s",
	refunded: "%s, refunded on %s",
	methods: map[PaymentMethod]string{
		PayCard:     "card",
		PayTransfer: "bank transfer",
		PayCheque:   "cheque",
		PayCash:     "cash",
	},
	deliveredOn: "Delivery date",
	b2b: "Payment terms: no discount for early payment. Late payment incurs penalties at three times the " +
		"French statutory interest rate and a fixed recovery fee of €40 (French commercial code, " +
		"art. L441-10 and D441-5).",

	carrier:       "Carrier",
	tracking:      "Tracking no.",
	deliveryKinds: "Delivery",
	kinds: map[shop.DeliveryKind]string{
		shop.DeliveryHome:    "home delivery",
		shop.DeliveryRelay:   "relay point",
		shop.DeliveryPickup:  "collection",
		shop.DeliveryDigital: "download",
	},
	items:      "Copies: %d",
	preparedBy: "Packed by",
	checkedBy:  "Checked by",
	date:       "on",
	page:       "Page %d/%s",
}

// wordingOf returns the wording of a language, French by default.
func wordingOf(l locale.Lang) *wording {
	if l == locale.English {
		return &english
	}
	return &french
}
