// Package wpcontent turns the content of a WordPress post (the
// content:encoded of an export) into the HTML kiosque stores as an
// article's body.
//
// WordPress stores a post's content half-finished and completes it each
// time it shows the post: wpautop makes the paragraphs of classic-editor
// posts, shortcodes become figures, galleries and players, URLs alone on
// their line become embeds, and the block editor's comments disappear.
// Convert does that once, at import, without the network and without
// plugins, and reports what it could not carry over (unknown shortcodes,
// gallery images it does not know, upload URLs left pointing at the old
// site) so that the import's report can show it.
//
// The HTML is made for textproc's renderer, which reads an article's body
// as Markdown and keeps its raw HTML through an allow-list: it is a single
// HTML block that Markdown leaves alone, using only elements the allow-list
// keeps (iframes, audio and video are not: embeds and media become links).
package wpcontent
