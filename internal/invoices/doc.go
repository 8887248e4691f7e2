// Package invoices renders the bookshop's documents as PDF: the invoice
// (facture) of an order, the credit note (avoir) of a refund, full or
// partial, and the packing slip (bon de livraison) put in the parcel.
//
// It only renders. Package shop numbers the documents on their unbroken
// series and stores their bytes; it hands this package a Document built
// from the order and the seller's identity. An invoice that lacks a mention
// of CGI annexe II art. 242 nonies A, or whose figures do not add up, must
// never be issued, so Render refuses any Document that Validate rejects.
//
// Mentions. Seller's name, legal form, RNA, SIREN, address and (when liable
// to VAT) VAT number; buyer's name and address, with company name and SIREN
// for a legal person; date of issue and unique number; per line quantity,
// precise description (title, authors, ISBN, format, « occasion » for a
// second-hand copy), unit price before tax and VAT rate, rebate from the
// publisher's price; the delivery charge, its VAT split pro rata of the
// goods' value per rate on a mixed order; totals before tax, VAT per rate
// and tax included, each rate adding up to the cent; in exempt modes the
// exemption reference on every page; for a company buyer, the late-payment
// penalties and the 40 € recovery indemnity of the code de commerce.
//
// Language. The documents are in French, or in English when the order's
// language is English; amounts and dates are written by package locale
// (« 1 234,50 € », « 3 novembre 2026 »). Legal references stay in French.
//
// Encoding. The PDF uses the standard Helvetica font, which every reader
// has, so no font file is embedded; its encoding is Windows-1252, which
// covers French (accents, « », œ, €, ’). The narrow no-break space U+202F
// of French amounts becomes a no-break space: see encode.
//
// The same Document always gives the same bytes: the PDF's dates are the
// document's issue date, never the clock.
package invoices
