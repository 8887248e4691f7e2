// Package textproc turns what journalists write into what readers see:
// Markdown into sanitized HTML, French typographic spacing and apostrophes,
// URL slugs, plain-text excerpts and reading times.
//
// Everything here is pure text processing: no I/O, no HTTP, no database. The
// Renderer holds the only pre-built state (the Markdown engine and the
// sanitizer policy) and is safe for concurrent use.
package textproc
