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
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
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
	// About is the "who we are" text, in Markdown.
	About string `json:"about"`
	// Publisher is the organisation named in structured data and feeds.
	Publisher string `json:"publisher"`
	// LogoURL is the publisher's logo for structured data (absolute or site-relative).
	LogoURL string `json:"logo_url"`
	// TwitterSite is the site's @handle for Twitter cards.
	TwitterSite string `json:"twitter_site"`
	// Copyright is the line at the bottom of pages and feeds.
	Copyright string `json:"copyright"`

	// Rendered HTML of the Markdown texts, computed when saved.
	AppealHTML        string `json:"appeal_html"`
	BookshopPromoHTML string `json:"bookshop_promo_html"`
	AboutHTML         string `json:"about_html"`

	UpdatedAt time.Time `json:"updated_at"`

	// loc caches the loaded Timezone: loading it reads a file.
	loc *time.Location
}

// Defaults returns the settings of a new site.
func Defaults() Site {
	return Site{
		Title:        "kiosque",
		Language:     string(locale.French),
		Timezone:     "Europe/Paris",
		Typography:   "fr-FR",
		PostsPerPage: 10,
	}
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
	if loc, err := time.LoadLocation(s.Timezone); err == nil {
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

// Store keeps named settings documents as JSON.
type Store interface {
	// Setting returns the JSON stored under name; NotFound when none.
	Setting(ctx context.Context, name string) (string, error)
	// SaveSetting stores value under name.
	SaveSetting(ctx context.Context, name, value string, at time.Time) error
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
	st := Defaults()
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return fmt.Errorf("decode settings: %w", err)
	}
	s.set(&st)
	return nil
}

// Update validates st, renders its Markdown texts and saves it.
func (s *Service) Update(ctx context.Context, st Site) error {
	st.Title = strings.TrimSpace(st.Title)
	if st.Title == "" || utf8.RuneCountInString(st.Title) > 200 {
		return apperr.New(apperr.Invalid, "error.settings.title_required").InField("title")
	}
	if _, err := locale.ParseLang(st.Language); err != nil {
		return apperr.New(apperr.Invalid, "error.settings.bad_language").InField("language")
	}
	if _, err := time.LoadLocation(st.Timezone); err != nil || st.Timezone == "" {
		return apperr.New(apperr.Invalid, "error.settings.bad_timezone").InField("timezone")
	}
	style, err := textproc.ParseStyle(st.Typography)
	if err != nil {
		return apperr.New(apperr.Invalid, "error.settings.bad_typography").InField("typography")
	}
	if st.PostsPerPage < 1 || st.PostsPerPage > 50 {
		return apperr.New(apperr.Invalid, "error.settings.bad_posts_per_page").InField("posts_per_page")
	}
	for _, t := range []struct {
		src string
		dst *string
	}{{st.Appeal, &st.AppealHTML}, {st.BookshopPromo, &st.BookshopPromoHTML}, {st.About, &st.AboutHTML}} {
		html, err := s.renderer.Render(t.src, style)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, "error.settings.bad_markdown")
		}
		*t.dst = html
	}
	st.UpdatedAt = s.clock.Now()
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	if err := s.store.SaveSetting(ctx, settingsName, string(raw), st.UpdatedAt); err != nil {
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
