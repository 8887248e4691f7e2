package settings

import (
	"errors"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
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
	st.Association.normalize()
	st.Shop.normalize()
	st.Fediverse.normalize()
	cp := &st.CommentPolicy
	cp.Moderation = Moderation(strings.TrimSpace(string(cp.Moderation)))
	cp.HoldWords, cp.BannedWords = cleanList(cp.HoldWords, false), cleanList(cp.BannedWords, false)
	cp.BannedAddresses = cleanList(cp.BannedAddresses, true)
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

// cleanList trims each entry, drops empty ones and repeats (ignoring case),
// and lower-cases them all when lower (addresses), in a slice of its own.
func cleanList(list []string, lower bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range list {
		w = strings.TrimSpace(w)
		if lower {
			w = strings.ToLower(w)
		}
		if k := strings.ToLower(w); w != "" && !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
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
	if cp.MaxDepth < 1 || cp.MaxDepth > MaxCommentDepth {
		bad("comment_policy.max_depth", "error.settings.bad_max_depth", MaxCommentDepth)
	}
	if cp.MaxLinks < 0 || cp.MaxLinks > MaxCommentLinks {
		bad("comment_policy.max_links", "error.settings.bad_max_links", MaxCommentLinks)
	}
	if cp.MinLength < 1 || cp.MinLength > cp.MaxLength {
		bad("comment_policy.min_length", "error.settings.bad_min_length")
	}
	if cp.MaxLength < 1 || cp.MaxLength > MaxCommentLength {
		bad("comment_policy.max_length", "error.settings.bad_max_length", MaxCommentLength)
	}
	for _, l := range []struct {
		field string
		words []string
	}{{"comment_policy.hold_words", cp.HoldWords}, {"comment_policy.banned_words", cp.BannedWords}} {
		if len(l.words) > maxPolicyList || slices.ContainsFunc(l.words, func(w string) bool { return utf8.RuneCountInString(w) > maxLine }) {
			bad(l.field, "error.settings.bad_word_list", maxPolicyList)
		}
	}
	if len(cp.BannedAddresses) > maxPolicyList {
		bad("comment_policy.banned_addresses", "error.settings.bad_word_list", maxPolicyList)
	} else if i := slices.IndexFunc(cp.BannedAddresses, func(a string) bool { return !validBannedAddress(a) }); i >= 0 {
		bad("comment_policy.banned_addresses", "error.settings.bad_banned_address", cp.BannedAddresses[i])
	}
	if !cp.Notify.Valid() {
		bad("comment_policy.notify", "error.settings.bad_notify")
	}
	st.validateReceipts(bad)
	st.validateShop(bad)
	if err := st.Fediverse.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validBannedAddress accepts an email address, an IP address or a CIDR
// block (IPv4 or IPv6).
func validBannedAddress(a string) bool {
	if _, err := netip.ParsePrefix(a); err == nil {
		return true
	}
	if _, err := netip.ParseAddr(a); err == nil {
		return true
	}
	m, err := mail.ParseAddress(a)
	return err == nil && m.Address == a && m.Name == ""
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
