package onix

import (
	"errors"
	"fmt"
)

// The reasons a whole message is refused; NewReader and Next wrap one of
// them (errors.Is works).
var (
	// ErrVersion: the message is not ONIX 3.0 (ONIX 2.1 declared by its
	// release attribute, namespace or DTD, or recognised by its elements).
	ErrVersion = errors.New("onix: only ONIX for Books 3.0 messages can be read")
	// ErrRoot: the document's root element is not ONIXMessage (reference
	// names) or ONIXmessage (short tags).
	ErrRoot = errors.New("onix: the root element is not ONIXMessage or ONIXmessage")
	// ErrNamespace: the root element is in a namespace that is not ONIX
	// 3.0's.
	ErrNamespace = errors.New("onix: not an ONIX 3.0 namespace")
	// ErrDoctype: the document declares entities or an internal DTD
	// subset, which is never needed by ONIX and is how entity-expansion
	// attacks ("billion laughs") are built.
	ErrDoctype = errors.New("onix: DOCTYPE with an internal subset or entity declarations refused")
	// ErrTooLarge: the header or one product is larger than the reader
	// accepts (MaxProductBytes), so that a hostile file cannot exhaust
	// memory.
	ErrTooLarge = errors.New("onix: element too large")
)

// FatalError is an error that ends the stream: the file is not well-formed
// XML, is truncated, or is refused. Line and Column (1-based) and Offset
// (in bytes) say where it was detected.
type FatalError struct {
	Line, Column int
	Offset       int64
	Err          error
}

// Error returns the error with its position.
func (e *FatalError) Error() string {
	return fmt.Sprintf("onix: line %d, column %d (byte %d): %v", e.Line, e.Column, e.Offset, e.Err)
}

// Unwrap returns the cause (an *xml.SyntaxError, ErrDoctype, ErrTooLarge…).
func (e *FatalError) Unwrap() error { return e.Err }

// ProductError reports a record that was read but cannot be imported; the
// stream goes on after it.
type ProductError struct {
	// Index is the record's position in the message, from 1.
	Index int
	// Line is where the record starts in the file.
	Line int
	// RecordRef is the record's RecordReference, when it has one.
	RecordRef string
	// Code is a stable machine name of the reason (CodeISBN…), for
	// reports that translate it.
	Code string
	// Reason says what is wrong, in English, for logs and reports.
	Reason string
}

// Error describes the record and the reason.
func (e *ProductError) Error() string {
	ref := e.RecordRef
	if ref == "" {
		ref = "no RecordReference"
	}
	return fmt.Sprintf("onix: product %d (%s, line %d) skipped: %s", e.Index, ref, e.Line, e.Reason)
}

// The codes of ProductError.
const (
	// CodeNoRecordRef: the record has no RecordReference, so an update
	// could never find it.
	CodeNoRecordRef = "no_record_reference"
	// CodeISBN: the ISBN-13 (ProductIDType 15, or a 978/979 GTIN-13) is
	// not valid.
	CodeISBN = "invalid_isbn"
	// CodeTooLong: a text field is over its cap (MaxDescriptionBytes,
	// MaxShortBytes…).
	CodeTooLong = "text_too_long"
	// CodeVersion: the record is shaped like ONIX 2.1 inside a 3.0
	// message.
	CodeVersion = "onix21_record"
)
