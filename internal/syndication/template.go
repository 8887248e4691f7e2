package syndication

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/kiosque/kiosque/internal/apperr"
)

// The placeholders of a message template: the nine of WordPress's « Social
// Media Auto Publish », which newsrooms moving over already write, and two
// of kiosque's own.
const (
	PostTitle       = "{POST_TITLE}"
	Permalink       = "{PERMALINK}"
	PostExcerpt     = "{POST_EXCERPT}"
	PostContent     = "{POST_CONTENT}"
	BlogTitle       = "{BLOG_TITLE}"
	UserNicename    = "{USER_NICENAME}"
	UserDisplayName = "{USER_DISPLAY_NAME}"
	PostID          = "{POST_ID}"
	PostPublishDate = "{POST_PUBLISH_DATE}"
	Hashtags        = "{HASHTAGS}"
	Categories      = "{CATEGORIES}"
)

// Placeholders returns every placeholder, in the back office's order.
func Placeholders() []string {
	return []string{PostTitle, Permalink, PostExcerpt, PostContent, BlogTitle, UserNicename, UserDisplayName,
		PostID, PostPublishDate, Hashtags, Categories}
}

// DefaultTemplate is a new account's message.
const DefaultTemplate = "{POST_TITLE}\n\n{POST_EXCERPT}\n\n{PERMALINK}\n\n{HASHTAGS}"

// placeholderPattern finds what looks like a placeholder: braces around
// capitals, digits and underscores.
var placeholderPattern = regexp.MustCompile(`\{[A-Z][A-Z0-9_]*\}`)

// Vars are what the placeholders stand for, for one article.
type Vars struct {
	Title     string
	Permalink string
	// Excerpt and Content are plain text: no markup reaches a network.
	Excerpt, Content string
	BlogTitle        string
	// AuthorSlug is the author's name in links (WordPress's nicename),
	// AuthorName the name readers see.
	AuthorSlug, AuthorName string
	ID                     int64
	// PublishDate is the publication date, already written in the site's
	// format and language.
	PublishDate string
	Tags        []string
	Categories  []string
}

// CheckTemplate returns an Invalid error naming the first unknown
// placeholder of tmpl, or nil: a template that would send « {TITRE} » to
// readers is refused when saved and shown as an error in the preview.
func CheckTemplate(tmpl string) error {
	for _, p := range placeholderPattern.FindAllString(tmpl, -1) {
		if !slices.Contains(Placeholders(), p) {
			return apperr.New(apperr.Invalid, "error.syndication.unknown_placeholder", p).InField("template")
		}
	}
	if strings.TrimSpace(tmpl) == "" {
		return apperr.New(apperr.Invalid, "error.syndication.empty_template").InField("template")
	}
	return nil
}

// Render fills tmpl with v. Lines left empty by an empty placeholder
// collapse, so that an article without tags leaves no trailing blank.
func Render(tmpl string, v Vars) (string, error) {
	if err := CheckTemplate(tmpl); err != nil {
		return "", err
	}
	r := strings.NewReplacer(
		PostTitle, v.Title, Permalink, v.Permalink, PostExcerpt, v.Excerpt, PostContent, v.Content,
		BlogTitle, v.BlogTitle, UserNicename, v.AuthorSlug, UserDisplayName, v.AuthorName,
		PostID, strconv.FormatInt(v.ID, 10), PostPublishDate, v.PublishDate,
		Hashtags, strings.Join(HashtagsOf(append(slices.Clone(v.Tags), v.Categories...)), " "),
		Categories, strings.Join(v.Categories, ", "))
	out := r.Replace(strings.ReplaceAll(tmpl, "\r\n", "\n"))
	lines := strings.Split(out, "\n")
	kept := lines[:0]
	for i, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(kept) == 0 || kept[len(kept)-1] == "" || i == len(lines)-1) {
			continue
		}
		kept = append(kept, l)
	}
	return strings.TrimSpace(strings.Join(kept, "\n")), nil
}

// HashtagsOf turns names into hashtags, in order and once each whatever
// the case: « Moyen-Orient » → #MoyenOrient, « droits de l'homme » →
// #DroitsDeLHomme. Accents stay (every network takes them); a name with
// no letter or digit gives none.
func HashtagsOf(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, name := range names {
		var b strings.Builder
		upper := true
		for _, r := range name {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				upper = true
				continue
			}
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		}
		tag := b.String()
		if tag == "" || allDigits(tag) || seen[strings.ToLower(tag)] {
			continue
		}
		seen[strings.ToLower(tag)] = true
		out = append(out, "#"+tag)
	}
	return out
}

// allDigits reports whether s has digits only: « #2026 » is not a hashtag
// on most networks.
func allDigits(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}
