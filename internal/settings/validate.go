package settings

import (
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Limits on the texts, in characters.
const (
	maxLine     = 200
	maxSentence = 1000
	maxURL      = 500
	maxMarkdown = 20000
)

// normalize trims what was typed and puts the social links in the order of
// Networks, in a slice of their own (st may share the current one's).
func (st *Site) normalize() {
	for _, p := range []*string{&st.Title, &st.Tagline, &st.Description, &st.Language, &st.Timezone, &st.Typography,
		&st.Publisher, &st.LogoURL, &st.TwitterSite, &st.Copyright} {
		*p = strings.TrimSpace(*p)
	}
	for _, p := range []*string{&st.Appeal, &st.BookshopPromo, &st.FooterText, &st.CommentPolicy.Charter} {
		*p = strings.TrimSpace(strings.ReplaceAll(*p, "\r\n", "\n"))
	}
	if l, err := locale.ParseLang(st.Language); err == nil {
		st.Language = string(l)
	}
	if s, err := textproc.ParseStyle(st.Typography); err == nil {
		st.Typography = s.String()
	}
	st.CommentPolicy.Moderation = Moderation(strings.TrimSpace(string(st.CommentPolicy.Moderation)))
	links := make([]SocialLink, 0, len(st.SocialLinks))
	for _, l := range st.SocialLinks {
		l.Network, l.URL = strings.ToLower(strings.TrimSpace(l.Network)), strings.TrimSpace(l.URL)
		if l.URL != "" {
			links = append(links, l)
		}
	}
	sortLinks(links)
	st.SocialLinks = links
}

// validate returns every problem of st, one error per field, joined.
func (st *Site) validate() error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	long := func(field, value string, limit int) {
		if utf8.RuneCountInString(value) > limit {
			bad(field, "error.settings.too_long", limit)
		}
	}
	if st.Title == "" || utf8.RuneCountInString(st.Title) > maxLine {
		bad("title", "error.settings.title_required")
	}
	long("tagline", st.Tagline, maxLine)
	long("description", st.Description, maxSentence)
	if _, err := locale.ParseLang(st.Language); err != nil {
		bad("language", "error.settings.bad_language")
	}
	if _, err := loadZone(st.Timezone); err != nil {
		bad("timezone", "error.settings.bad_timezone")
	}
	if _, err := textproc.ParseStyle(st.Typography); err != nil {
		bad("typography", "error.settings.bad_typography")
	}
	if st.PostsPerPage < 1 || st.PostsPerPage > 50 {
		bad("posts_per_page", "error.settings.bad_posts_per_page")
	}
	long("publisher", st.Publisher, maxLine)
	if !validLogo(st.LogoURL) {
		bad("logo_url", "error.settings.bad_logo_url")
	}
	if !validHandle(st.TwitterSite) {
		bad("twitter_site", "error.settings.bad_twitter_site")
	}
	long("copyright", st.Copyright, maxSentence)
	long("appeal", st.Appeal, maxMarkdown)
	long("bookshop_promo", st.BookshopPromo, maxMarkdown)
	long("footer_text", st.FooterText, maxMarkdown)
	seen := map[string]bool{}
	for _, l := range st.SocialLinks {
		switch {
		case !KnownNetwork(l.Network):
			bad("social_links", "error.settings.bad_network")
		case seen[l.Network]:
			bad("social_links."+l.Network, "error.settings.duplicate_network")
		case !validProfileURL(l.URL):
			bad("social_links."+l.Network, "error.settings.bad_social_url")
		}
		seen[l.Network] = true
	}
	cp := st.CommentPolicy
	if !cp.Moderation.Valid() {
		bad("comment_policy.moderation", "error.settings.bad_moderation")
	}
	if cp.CloseAfterDays < 0 || cp.CloseAfterDays > MaxCloseAfterDays {
		bad("comment_policy.close_after_days", "error.settings.bad_close_after_days", MaxCloseAfterDays)
	}
	long("comment_policy.charter", cp.Charter, maxMarkdown)
	return errors.Join(errs...)
}

// loadZone loads an IANA zone by name. Unlike time.LoadLocation it refuses
// "" and "Local", which name the server's zone rather than the site's.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, errors.New("load zone: no zone name")
	}
	return time.LoadLocation(name)
}

// validLogo accepts no logo, a path of this site ("/media/logo.png") or an
// absolute https URL.
func validLogo(u string) bool {
	if u == "" {
		return true
	}
	if len(u) > maxURL || strings.ContainsAny(u, " \t\n\r\\\"<>") {
		return false
	}
	if strings.HasPrefix(u, "/") {
		return !strings.HasPrefix(u, "//")
	}
	return isHTTPS(u)
}

// validProfileURL accepts an absolute https URL.
func validProfileURL(u string) bool {
	return len(u) <= maxURL && !strings.ContainsAny(u, " \t\n\r\\\"<>") && isHTTPS(u)
}

func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && u.Hostname() != ""
}

// validHandle accepts no handle or an X/Twitter @handle: up to 15 letters,
// digits or underscores.
func validHandle(h string) bool {
	if h == "" {
		return true
	}
	h = strings.TrimPrefix(h, "@")
	if h == "" || len(h) > 15 {
		return false
	}
	for _, r := range h {
		if !isHandleRune(r) {
			return false
		}
	}
	return true
}

func isHandleRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
}
