// Package locale holds kiosque's French and English message catalogue, the
// plural rules of both languages, and the locale-aware formatting of dates,
// times, numbers and amounts of money.
//
// Every string a reader sees goes through a [Printer], obtained once per
// request from the [Catalog] loaded at boot:
//
//	cat, err := locale.LoadCatalog()
//	p := cat.Printer(locale.French)
//	p.T("pagination.page_of", 2, 7)          // "Page 2 sur 7"
//	p.N("article.comments", 0)               // "0 commentaire"
//	p.Date(t.In(siteZone), locale.DateFull)  // "jeudi 1er décembre 2016"
//	p.Money(123450, "EUR")                   // "1 234,50 €"
//
// The catalogue lives in messages/fr.json and messages/en.json, flat JSON
// objects sorted by key. A value is a string, or for a count-dependent
// message an object with "one" and "other" forms. Messages use fmt verbs
// (%s, %d, %[2]s to reorder); [ParseCatalog] refuses a catalogue whose
// languages disagree on keys, kinds or verbs, so a mistake fails at boot and
// in tests rather than on a reader's page.
//
// French messages follow French typography: U+202F (narrow no-break space)
// before ; ! ? and inside « », U+00A0 (no-break space) before :, and the
// typographic apostrophe ’. The package's tests check this on every message.
package locale
