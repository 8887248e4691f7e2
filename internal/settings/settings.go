// Package settings holds the settings a newsroom edits about its site (name,
// language, time zone, the texts under every article), as opposed to the
// deploy-time configuration of package config.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	// The zone database travels in the binary: a static kiosque may run
	// where /usr/share/zoneinfo is missing (a scratch container), and the
	// time zone setting must still load and validate there.
	_ "time/tzdata"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Site is the newsroom's choices about its public site.
type Site struct {
	Title       string `json:"title"`
	Tagline     string `json:"tagline"`
	Description string `json:"description"`
	// Language is the interface and content language ("fr" or "en").
	Language string `json:"language"`
	// Timezone is an IANA zone name; dates are shown in it.
	Timezone string `json:"timezone"`
	// Typography is the style applied to texts: "fr-FR", "fr-CA" or "none".
	Typography string `json:"typography"`
	// PostsPerPage is the length of listing pages.
	PostsPerPage int `json:"posts_per_page"`
	// Appeal is the support appeal under every article, in Markdown.
	Appeal string `json:"appeal"`
	// BookshopPromo is the bookshop block under every article, in Markdown.
	BookshopPromo string `json:"bookshop_promo"`
	// Publisher is the organisation named in structured data and feeds.
	Publisher string `json:"publisher"`
	// LogoURL is the publisher's logo for structured data (absolute or site-relative).
	LogoURL string `json:"logo_url"`
	// TwitterSite is the site's @handle for Twitter cards.
	TwitterSite string `json:"twitter_site"`
	// Copyright is the line at the bottom of pages and feeds.
	Copyright string `json:"copyright"`
	// FooterText is shown at the bottom of every public page, in Markdown.
	FooterText string `json:"footer_text"`
	// SocialLinks are the newsroom's profiles, shown in the footer, at
	// most one per network, in the order of Networks.
	SocialLinks []SocialLink `json:"social_links"`
	// CommentPolicy is how comments are moderated and closed.
	CommentPolicy CommentPolicy `json:"comment_policy"`
	// Association is the publisher's legal identity, for tax receipts,
	// which Receipts enables.
	Association Association `json:"association"`
	Receipts    Receipts    `json:"receipts"`
	// Shop is the bookshop's VAT status, delivery charges and carriers.
	Shop Shop `json:"shop"`
	// Fediverse is how the publication shows on the fediverse.
	Fediverse Fediverse `json:"fediverse"`

	// Rendered HTML of the Markdown texts, computed when saved.
	AppealHTML        string `json:"appeal_html"`
	BookshopPromoHTML string `json:"bookshop_promo_html"`
	FooterHTML        string `json:"footer_html"`

	UpdatedAt time.Time `json:"updated_at"`

	// loc caches the loaded Timezone: loading it reads a file.
	loc *time.Location
}

// Moderation says which comments wait for a moderator before they show.
type Moderation string

// The moderation rules, from the strictest.
const (
	// ModerateAll holds every comment for approval.
	ModerateAll Moderation = "all"
	// ModerateFirstTime holds the comments of people who have no approved
	// comment yet (WordPress's "comment author must have a previously
	// approved comment").
	ModerateFirstTime Moderation = "first_time"
	// ModerateNone publishes comments at once.
	ModerateNone Moderation = "none"
)

// Valid reports whether m is one of the moderation rules.
func (m Moderation) Valid() bool {
	return m == ModerateAll || m == ModerateFirstTime || m == ModerateNone
}

// MaxCloseAfterDays bounds CommentPolicy.CloseAfterDays (ten years).
const MaxCloseAfterDays = 3650

// CommentPolicy is the newsroom's rules for comments. It is kept here,
// with the other settings, for the comments feature to read.
type CommentPolicy struct {
	Moderation Moderation `json:"moderation"`
	// CloseAfterDays closes comments that many days after publication;
	// 0 leaves them open.
	CloseAfterDays int `json:"close_after_days"`
	// Charter is shown above the comment form, in Markdown.
	Charter string `json:"charter"`
	// CharterHTML is Charter rendered, computed when saved.
	CharterHTML string `json:"charter_html"`
	// MaxDepth is how deep replies nest (1 keeps the discussion flat).
	MaxDepth int `json:"max_depth"`
	// MaxLinks holds a comment with more links than this for a moderator
	// (1: WordPress's default, which holds at 2 links).
	MaxLinks int `json:"max_links"`
	// MinLength and MaxLength bound a comment's text, in characters.
	MinLength int `json:"min_length"`
	MaxLength int `json:"max_length"`
	// HoldWords send a comment that contains one of them (in its text,
	// name, email, address or site) to the queue: WordPress's
	// "moderation keys".
	HoldWords []string `json:"hold_words"`
	// BannedWords send it to the spam folder: WordPress's "disallowed
	// keys".
	BannedWords []string `json:"banned_words"`
	// BannedAddresses are emails, IP addresses and CIDR blocks whose
	// comments go to the spam folder.
	BannedAddresses []string `json:"banned_addresses"`
	// Notify says when moderators get an email about held comments.
	Notify ModeratorNotice `json:"notify"`
}

// ModeratorNotice says when moderators hear of comments awaiting them.
type ModeratorNotice string

// The notice rhythms.
const (
	// NotifyEach sends one email per held comment.
	NotifyEach ModeratorNotice = "each"
	// NotifyDaily sends one digest a day of what waits in the queue.
	NotifyDaily ModeratorNotice = "daily"
	// NotifyNever sends nothing: moderators watch the dashboard.
	NotifyNever ModeratorNotice = "never"
)

// Valid reports whether n is one of the notice rhythms.
func (n ModeratorNotice) Valid() bool { return n == NotifyEach || n == NotifyDaily || n == NotifyNever }

// Bounds of the comment policy's numbers, checked when settings are saved.
const (
	MaxCommentDepth  = 10
	MaxCommentLinks  = 50
	MaxCommentLength = 20000
	// maxPolicyList bounds each word and address list.
	maxPolicyList = 1000
)

// Defaults returns the settings of a new site.
func Defaults() Site {
	return Site{
		Title:        "kiosque",
		Language:     string(locale.French),
		Timezone:     "Europe/Paris",
		Typography:   "fr-FR",
		PostsPerPage: 10,
		CommentPolicy: CommentPolicy{Moderation: ModerateFirstTime, MaxDepth: 3, MaxLinks: 1, MinLength: 2, MaxLength: 5000,
			Notify: NotifyDaily},
		Receipts:  Receipts{CounterpartCeiling: 69},
		Shop:      DefaultShop(),
		Fediverse: DefaultFediverse(),
	}
}

// Decode reads settings saved as JSON. Fields missing from raw (saved by
// an older kiosque) keep their defaults.
func Decode(raw []byte) (Site, error) {
	st := Defaults()
	if err := json.Unmarshal(raw, &st); err != nil {
		return Site{}, fmt.Errorf("decode settings: %w", err)
	}
	if !st.CommentPolicy.Moderation.Valid() {
		st.CommentPolicy.Moderation = ModerateFirstTime
	}
	return st, nil
}

// Lang returns the site's language, French when unset or unknown.
func (s *Site) Lang() locale.Lang {
	l, err := locale.ParseLang(s.Language)
	if err != nil {
		return locale.French
	}
	return l
}

// Location returns the site's time zone, Europe/Paris when unknown.
func (s *Site) Location() *time.Location {
	if s.loc != nil {
		return s.loc
	}
	return s.loadLocation()
}

func (s *Site) loadLocation() *time.Location {
	if loc, err := loadZone(s.Timezone); err == nil {
		return loc
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}

// Style returns the typography style of texts.
func (s *Site) Style() textproc.Style {
	st, err := textproc.ParseStyle(s.Typography)
	if err != nil {
		return textproc.StyleNone
	}
	return st
}

// Store keeps named settings documents as JSON. Implementations return
// apperr errors: NotFound when nothing was saved under the name, Internal
// otherwise.
type Store interface {
	// Setting returns the JSON stored under name.
	Setting(ctx context.Context, name string) (string, error)
	// SaveSetting stores value under name and records e (when not nil) in
	// the audit log, in one transaction: both are written or neither.
	SaveSetting(ctx context.Context, name, value string, at time.Time, e *audit.Entry) error
}

const settingsName = "site"

// Service keeps the current settings in memory (every page needs them) and
// reloads them when they change, from this instance or another.
type Service struct {
	store    Store
	clock    clock.Clock
	renderer *textproc.Renderer
	current  atomic.Pointer[Site]
}

// NewService returns a Service; call Reload before use.
func NewService(store Store, clk clock.Clock, renderer *textproc.Renderer) *Service {
	s := &Service{store: store, clock: clk, renderer: renderer}
	d := Defaults()
	s.set(&d)
	return s
}

// Get returns the current settings. The result must not be modified.
func (s *Service) Get() *Site { return s.current.Load() }

// Reload reads the settings from the store (defaults when none were saved).
func (s *Service) Reload(ctx context.Context) error {
	raw, err := s.store.Setting(ctx, settingsName)
	if apperr.Is(err, apperr.NotFound) {
		d := Defaults()
		s.set(&d)
		return nil
	}
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	st, err := Decode([]byte(raw))
	if err != nil {
		return err
	}
	s.set(&st)
	return nil
}

// Update saves st on behalf of the system (commands, the demo seed); see Save.
func (s *Service) Update(ctx context.Context, st Site) error {
	return s.Save(ctx, access.System, st)
}

// Save validates st, renders its Markdown texts and stores it, with an
// audit entry by actor naming the fields that changed, in one
// transaction. Saving settings identical to the current ones writes
// nothing. It returns Forbidden unless actor may ManageSettings, and
// Invalid when values are refused: then the error joins one *apperr.Error
// per field at fault, each naming its field (see FieldNames).
func (s *Service) Save(ctx context.Context, actor access.Actor, st Site) error {
	if !actor.Can(access.ManageSettings) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	st.normalize()
	if err := st.validate(); err != nil {
		return err
	}
	style := st.Style()
	for _, t := range []struct {
		src  string
		dst  *string
		name string
	}{
		{st.Appeal, &st.AppealHTML, "appeal"},
		{st.BookshopPromo, &st.BookshopPromoHTML, "bookshop_promo"},
		{st.FooterText, &st.FooterHTML, "footer_text"},
		{st.CommentPolicy.Charter, &st.CommentPolicy.CharterHTML, "comment_policy.charter"},
	} {
		html, err := s.renderer.Render(t.src, style)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, "error.settings.bad_markdown").InField(t.name)
		}
		*t.dst = html
	}
	changed := Changes(s.Get(), &st)
	if len(changed) == 0 {
		return nil
	}
	now := s.clock.Now()
	st.UpdatedAt = now
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	e := &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: audit.ActionSettings,
		TargetType: "settings", Summary: strings.Join(changed, ", "), IP: actor.IP}
	if err := s.store.SaveSetting(ctx, settingsName, string(raw), now, e); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	s.set(&st)
	return nil
}

// set makes st current, with its time zone loaded once.
func (s *Service) set(st *Site) {
	st.loc = st.loadLocation()
	s.current.Store(st)
}
