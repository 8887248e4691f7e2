package onix

import "strings"

// shortNames maps the short tags of the elements this package reads (and
// the ONIX 2.1 header and record elements it uses to recognise 2.1) to
// their reference names. Short-tag messages are the same schema with
// renamed elements: composites become the lower-case reference name and
// data elements a code such as a001. Elements missing here are skipped
// like any element the reader does not use.
var shortNames = func() map[string]string {
	m := map[string]string{
		// Header (3.0, and 2.1 for recognising it).
		"x298": "SenderName", "x307": "SentDateTime",
		"m174": "FromCompany", "m175": "FromPerson", "m172": "FromEANNumber",
		"m173": "FromSAN", "m182": "SentDate",
		// Record.
		"a001": "RecordReference", "a002": "NotificationType",
		"b221": "ProductIDType", "b244": "IDValue", "b233": "IDTypeName",
		// DescriptiveDetail.
		"x314": "ProductComposition", "b012": "ProductForm", "b333": "ProductFormDetail",
		"x315": "MeasureType", "c094": "Measurement", "c095": "MeasureUnitCode",
		"x329": "CollectionType", "b202": "TitleType", "b034": "SequenceNumber",
		"x409": "TitleElementLevel", "x410": "PartNumber", "b203": "TitleText",
		"b030": "TitlePrefix", "b031": "TitleWithoutPrefix", "x501": "NoPrefix",
		"b029": "Subtitle",
		"b035": "ContributorRole", "b036": "PersonName", "b037": "PersonNameInverted",
		"b039": "NamesBeforeKey", "b040": "KeyNames", "b047": "CorporateName",
		"x443": "CorporateNameInverted",
		"b253": "LanguageRole", "b252": "LanguageCode",
		"b218": "ExtentType", "b219": "ExtentValue", "b220": "ExtentUnit",
		"x425": "MainSubject", "b067": "SubjectSchemeIdentifier", "b068": "SubjectSchemeVersion",
		"b069": "SubjectCode", "b070": "SubjectHeadingText",
		// CollateralDetail.
		"x426": "TextType", "x427": "ContentAudience", "d104": "Text",
		"x436": "ResourceContentType", "x437": "ResourceMode", "x441": "ResourceForm",
		"x435": "ResourceLink",
		// PublishingDetail.
		"b079": "ImprintName", "b291": "PublishingRole", "b081": "PublisherName",
		"b394": "PublishingStatus", "x448": "PublishingDateRole", "b306": "Date",
		"j260": "DateFormat",
		// ProductSupply.
		"j396": "ProductAvailability", "j192": "UnpricedItemType",
		"x462": "PriceType", "j261": "PriceQualifier", "j151": "PriceAmount",
		"j152": "CurrencyCode", "x449": "CountriesIncluded", "x450": "RegionsIncluded",
		"x451": "CountriesExcluded", "x452": "RegionsExcluded", "x476": "PriceDateRole",
		"x470": "TaxType", "x471": "TaxRateCode", "x472": "TaxRatePercent",
	}
	for _, composite := range []string{
		"Header", "Sender", "Product", "ProductIdentifier", "DescriptiveDetail",
		"Measure", "Collection", "TitleDetail", "TitleElement", "Contributor",
		"Language", "Extent", "Subject", "CollateralDetail", "TextContent",
		"SupportingResource", "ResourceVersion", "ContentDetail", "PublishingDetail",
		"Imprint", "Publisher", "PublishingDate", "RelatedMaterial", "ProductSupply",
		"Market", "Territory", "SupplyDetail", "Price", "PriceDate", "Tax",
		// ONIX 2.1 record composites, to recognise 2.1.
		"Title", "Series",
	} {
		m[strings.ToLower(composite)] = composite
	}
	return m
}()
