// Package onix reads ONIX for Books 3.0 messages, the XML feeds publishers
// and distributors send booksellers (EDItEUR; in France through Dilicom,
// Electre and e-book distributors), one Product record at a time.
//
// The reader streams: it decodes one <Product> at a time with
// encoding/xml, so memory stays flat whatever the size of the file. It
// accepts reference names (<ONIXMessage>, <Product>, <RecordReference>) and
// short tags (<ONIXmessage>, <product>, <a001>), with the current
// namespaces (http://ns.editeur.org/onix/3.0/reference and …/short), the
// older http://www.editeur.org/onix/3.0/… ones, or none. ONIX 2.1 is
// refused with ErrVersion: its records are shaped differently and reading
// them as 3.0 would import empty books.
//
// A record that cannot become a book (an invalid ISBN, a description over
// MaxDescriptionBytes) does not stop the stream: Next returns a
// *ProductError and the caller goes on. A broken file (truncated, not
// well-formed XML, a DOCTYPE declaring entities) ends the stream with a
// *FatalError saying where; the products returned before it are sound.
//
// Product holds what a bookshop needs from a record (identifiers, titles,
// contributors, subjects, description, cover, publisher, dates,
// availability and every price with its territory and dates), already
// checked: choosing the French price and mapping to the shop's book is
// package shop's job.
package onix
