package onix

// The xml* types mirror the parts of an ONIX 3.0 record this package reads
// (decode.go fills them). Every value is kept as the string sent, so that
// decoding never fails on content: checking is done afterwards, field by
// field, in convert.go.

type xmlHeader struct {
	SenderName   string
	SentDateTime string
	// ONIX 2.1 header elements.
	FromCompany   bool
	FromPerson    bool
	FromSAN       bool
	FromEANNumber bool
	SentDate      bool
}

type xmlProduct struct {
	RecordReference  string
	NotificationType string
	Identifiers      []xmlProductIdentifier
	Descriptive      *xmlDescriptive
	Collateral       *xmlCollateral
	Content          bool
	Publishing       *xmlPublishing
	Related          bool
	Supply           []xmlProductSupply

	// ONIX 2.1 puts these directly in Product.
	Title21       bool
	ProductForm21 bool
	Supply21      bool
}

type xmlProductIdentifier struct {
	Type  string
	Value string
}

type xmlDescriptive struct {
	Composition  string
	Form         string
	FormDetails  []string
	Measures     []xmlMeasure
	Collections  []xmlCollection
	TitleDetails []xmlTitleDetail
	Contributors []xmlContributor
	Languages    []xmlLanguage
	Extents      []xmlExtent
	Subjects     []xmlSubject
}

type xmlMeasure struct {
	Type  string
	Value string
	Unit  string
}

type xmlCollection struct {
	Type         string
	TitleDetails []xmlTitleDetail
}

type xmlTitleDetail struct {
	Type     string
	Elements []xmlTitleElement
}

type xmlTitleElement struct {
	Level         string
	PartNumber    string
	Text          string
	Prefix        string
	WithoutPrefix string
	Subtitle      string
}

type xmlContributor struct {
	Sequence              string
	Role                  string
	PersonName            string
	PersonNameInverted    string
	NamesBeforeKey        string
	KeyNames              string
	CorporateName         string
	CorporateNameInverted string
}

type xmlLanguage struct {
	Role string
	Code string
}

type xmlExtent struct {
	Type  string
	Value string
	Unit  string
}

type xmlSubject struct {
	Main    bool
	Scheme  string
	Code    string
	Heading string
}

type xmlCollateral struct {
	Texts     []xmlTextContent
	Resources []xmlSupportingResource
}

type xmlTextContent struct {
	Type      string
	Audiences []string
	Texts     []xmlText
}

type xmlSupportingResource struct {
	ContentType string
	Mode        string
	Versions    []xmlResourceVersion
}

type xmlResourceVersion struct {
	Form string
	Link string
}

type xmlPublishing struct {
	Imprints   []string
	Publishers []xmlPublisher
	Status     string
	Dates      []xmlPublishingDate
}

type xmlPublisher struct {
	Role string
	Name string
}

// xmlDate is a Date element with its dateformat attribute, and the
// DateFormat element of its composite when the composite has one.
type xmlDate struct {
	Value  string
	Format string
}

type xmlPublishingDate struct {
	Role   string
	Format string
	Date   xmlDate
}

type xmlProductSupply struct {
	Market  []xmlTerritory
	Details []xmlSupplyDetail
}

type xmlSupplyDetail struct {
	Availability string
	Unpriced     string
	Prices       []xmlPrice
}

type xmlTerritory struct {
	CountriesIncluded string
	RegionsIncluded   string
	CountriesExcluded string
	RegionsExcluded   string
}

type xmlPrice struct {
	Type      string
	Qualifier string
	Amount    *string
	Unpriced  string
	Currency  string
	Territory *xmlTerritory
	Dates     []xmlPriceDate
	Taxes     []xmlTax
}

type xmlPriceDate struct {
	Role   string
	Format string
	Date   xmlDate
}

type xmlTax struct {
	Type    string
	Code    string
	Percent string
}
