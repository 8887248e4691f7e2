package wpcontent

import (
	"regexp"
	"strings"
)

// hasBlocks is WordPress's has_blocks for a post's content: it was written
// with the block editor, whose HTML is stored finished, so wpautop must not
// run on it (do_blocks removes the wpautop filter for such posts).
func hasBlocks(content string) bool {
	return strings.Contains(content, "<!-- wp:")
}

// reBlockDelimiter matches a block delimiter comment as WordPress's block
// parser reads it: "<!-- wp:name {json} -->", "<!-- /wp:name -->" or
// "<!-- wp:ns/name {json} /-->". The JSON cannot hold "--": WordPress
// writes it \u002d\u002d. Group 1 is "/" for a closer, 2 the name, 3 "/"
// for a void block.
var reBlockDelimiter = regexp.MustCompile(`<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(?s:\s+\{.*?\})?\s+(/)?-->[ \t]*\n?`)

// reMore matches WordPress's excerpt split, "<!--more-->" or "<!--more
// Read on…-->", and the page split "<!--nextpage-->".
var (
	reMore     = regexp.MustCompile(`<!--more(.*?)?-->`)
	reNextPage = regexp.MustCompile(`<!--nextpage-->`)
)

// harmlessVoidBlocks are void blocks whose absence loses nothing: the
// excerpt and page splits, which the report notes otherwise.
var harmlessVoidBlocks = map[string]bool{
	"more": true, "nextpage": true, "core/more": true, "core/nextpage": true,
}

// stripBlockDelimiters removes the block editor's delimiter comments,
// keeping the HTML between them, and records in rep the void blocks whose
// content WordPress renders on the server (latest posts, reusable blocks…):
// they leave nothing here.
func stripBlockDelimiters(content string, rep *Report) string {
	return reBlockDelimiter.ReplaceAllStringFunc(content, func(m string) string {
		sub := reBlockDelimiter.FindStringSubmatch(m)
		if sub[1] == "" && sub[3] == "/" && !harmlessVoidBlocks[sub[2]] {
			if rep.DynamicBlocks == nil {
				rep.DynamicBlocks = make(map[string]int)
			}
			rep.DynamicBlocks[strings.TrimPrefix(sub[2], "core/")]++
		}
		return ""
	})
}
