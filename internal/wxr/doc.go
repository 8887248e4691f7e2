// Package wxr reads WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2), the XML
// file WordPress writes in Tools › Export, one post at a time.
//
// The reader streams with encoding/xml, so memory stays flat whatever the
// size of the export. NewReader reads the channel up to its first <item>:
// the site (Site), the authors (Authors) and the terms (Terms: categories,
// tags and custom taxonomies). Next then returns the items one by one:
// posts, pages, attachments, menu items and custom post types, each with
// its categories, metadata and comments.
//
// Elements are matched by namespace URL, never by prefix: wp: is any of
// http(s)://wordpress.org/export/1.0/, 1.1/ and 1.2/, whatever prefix a
// file binds it to, and an element whose prefix is bound elsewhere is not
// WordPress's.
//
// An item that is well-formed XML but cannot be read as a post (no
// wp:post_id, a date or number that does not parse, a field over
// MaxFieldBytes, two different values for one field) does not stop the
// stream: Next returns an *ItemError naming the item and its line, and the
// caller skips it and reports it, or stops (an importer's --strict). A
// broken file (not XML, not WXR, an unknown WXR version, truncated, not
// well-formed, not UTF-8, a DOCTYPE declaring entities, an element over
// MaxItemBytes) ends the stream with a *FatalError saying where; the items
// returned before it are sound.
//
// The package only reads: what becomes an article, a page, a person or a
// redirect, and how WordPress's HTML is converted, is the importer's job.
package wxr
