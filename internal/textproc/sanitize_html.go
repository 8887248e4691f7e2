package textproc

import (
	"strings"
	"sync"
)

// htmlPolicy is the article allow-list, built once: compiling its
// patterns costs more than sanitizing a book's description.
var htmlPolicy = sync.OnceValue(newPolicy)

// SanitizeHTML returns an HTML fragment that came from outside (a book
// description from an ONIX feed or a CSV file) reduced to the allow-list
// that Render applies to articles: the same elements and attributes, the
// same URL schemes, scripts and styles removed with their content. Unlike
// Render it parses no Markdown and adds nothing. Safe for concurrent use.
func SanitizeHTML(src string) string {
	return strings.TrimSpace(htmlPolicy().Sanitize(src))
}
