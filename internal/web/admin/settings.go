package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
)

// registerSettings adds the settings pages to mux.
func (h *Handler) registerSettings(mux router) {
	mux.HandleFunc("GET /admin/settings", h.allowed(access.ManageSettings, h.showSettings))
	mux.HandleFunc("POST /admin/settings", h.allowed(access.ManageSettings, h.saveSettings))
}

// settingsForm is what the settings page posts. Numbers are kept as typed,
// so a refused value is shown back as it was.
type settingsForm struct {
	Title, Tagline, Description              string
	Language, Timezone, Typography           string
	PostsPerPage                             string
	Publisher, LogoURL, TwitterSite          string
	Copyright                                string
	Appeal, BookshopPromo, FooterText        string
	Social                                   map[string]string // network ID → profile URL
	Moderation, CloseAfterDays, Charter      string
	MaxDepth, MaxLinks, MinLength, MaxLength string
	// The lists, one entry per line.
	HoldWords, BannedWords, BannedAddresses string
	Notify                                  string
	// The association's identity for tax receipts, by field name
	// ("association.name"…), and the receipts' switches.
	Association        map[string]string
	ReceiptsEnabled    bool
	Attest             bool
	CounterpartCeiling string
	// AttestedBy and AttestedAt show who attested eligibility.
	AttestedBy string
	AttestedAt time.Time
}

// associationFields are the association's identity fields of the form,
// in order; the type and the CGI article are choices apart.
var associationFields = []struct {
	Name      string
	Multiline bool
	Max       int
}{
	{"association.name", false, 200}, {"association.address", true, 1000}, {"association.postal_code", false, 20},
	{"association.city", false, 200}, {"association.object", true, 1000}, {"association.rna", false, 10},
	{"association.siren", false, 11}, {"association.signatory_name", false, 200}, {"association.signatory_title", false, 200},
}

// associationValues maps the form's field names to a's values.
func associationValues(a settings.Association) map[string]string {
	return map[string]string{"association.name": a.Name, "association.address": a.Address, "association.postal_code": a.PostalCode,
		"association.city": a.City, "association.object": a.Object, "association.rna": a.RNA, "association.siren": a.SIREN,
		"association.signatory_name": a.SignatoryName, "association.signatory_title": a.SignatoryTitle,
		"association.type": a.Type, "association.cgi_article": strconv.Itoa(a.CGIArticle)}
}

// settingsFormOf fills the form from saved settings.
func settingsFormOf(st *settings.Site) *settingsForm {
	f := &settingsForm{Title: st.Title, Tagline: st.Tagline, Description: st.Description, Language: st.Language,
		Timezone: st.Timezone, Typography: st.Typography, PostsPerPage: strconv.Itoa(st.PostsPerPage),
		Publisher: st.Publisher, LogoURL: st.LogoURL, TwitterSite: st.TwitterSite, Copyright: st.Copyright,
		Appeal: st.Appeal, BookshopPromo: st.BookshopPromo, FooterText: st.FooterText, Social: map[string]string{},
		Moderation: string(st.CommentPolicy.Moderation), CloseAfterDays: strconv.Itoa(st.CommentPolicy.CloseAfterDays),
		Charter: st.CommentPolicy.Charter}
	cp := st.CommentPolicy
	f.MaxDepth, f.MaxLinks = strconv.Itoa(cp.MaxDepth), strconv.Itoa(cp.MaxLinks)
	f.MinLength, f.MaxLength = strconv.Itoa(cp.MinLength), strconv.Itoa(cp.MaxLength)
	f.HoldWords, f.BannedWords = strings.Join(cp.HoldWords, "\n"), strings.Join(cp.BannedWords, "\n")
	f.BannedAddresses, f.Notify = strings.Join(cp.BannedAddresses, "\n"), string(cp.Notify)
	for _, l := range st.SocialLinks {
		f.Social[l.Network] = l.URL
	}
	f.Association = associationValues(st.Association)
	f.ReceiptsEnabled, f.Attest, f.AttestedAt = st.Receipts.Enabled, st.Receipts.AttestedBy != 0, st.Receipts.AttestedAt
	f.CounterpartCeiling = strconv.Itoa(st.Receipts.CounterpartCeiling)
	return f
}

// parseSettingsForm reads the posted form.
func parseSettingsForm(w http.ResponseWriter, r *http.Request) (*settingsForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, errBadForm(err)
	}
	v := r.PostFormValue
	text := func(name string) string { return strings.ReplaceAll(v(name), "\r\n", "\n") }
	f := &settingsForm{Title: v("title"), Tagline: v("tagline"), Description: text("description"),
		Language: v("language"), Timezone: v("timezone"), Typography: v("typography"), PostsPerPage: v("posts_per_page"),
		Publisher: v("publisher"), LogoURL: v("logo_url"), TwitterSite: v("twitter_site"), Copyright: v("copyright"),
		Appeal: text("appeal"), BookshopPromo: text("bookshop_promo"), FooterText: text("footer_text"),
		Social: map[string]string{}, Moderation: v("comment_policy.moderation"),
		CloseAfterDays: v("comment_policy.close_after_days"), Charter: text("comment_policy.charter"),
		MaxDepth: v("comment_policy.max_depth"), MaxLinks: v("comment_policy.max_links"),
		MinLength: v("comment_policy.min_length"), MaxLength: v("comment_policy.max_length"),
		HoldWords: text("comment_policy.hold_words"), BannedWords: text("comment_policy.banned_words"),
		BannedAddresses: text("comment_policy.banned_addresses"), Notify: v("comment_policy.notify")}
	for _, n := range settings.Networks() {
		f.Social[n.ID] = v("social_links." + n.ID)
	}
	f.Association = map[string]string{"association.type": v("association.type"), "association.cgi_article": v("association.cgi_article")}
	for _, a := range associationFields {
		f.Association[a.Name] = text(a.Name)
	}
	f.ReceiptsEnabled, f.Attest = v("receipts.enabled") != "", v("receipts.attest") != ""
	f.CounterpartCeiling = v("receipts.counterpart_ceiling")
	return f, nil
}

// site applies the form to a copy of the current settings, which keeps
// the fields this page does not edit. A number that does not parse
// becomes -1, which the service refuses with the field's message.
func (f *settingsForm) site(current *settings.Site, actor int64, now time.Time) settings.Site {
	st := *current
	a := f.Association
	st.Association = settings.Association{Name: a["association.name"], Address: a["association.address"],
		PostalCode: a["association.postal_code"], City: a["association.city"], Object: a["association.object"],
		RNA: a["association.rna"], SIREN: a["association.siren"], Type: a["association.type"],
		SignatoryName: a["association.signatory_name"], SignatoryTitle: a["association.signatory_title"]}
	if a["association.cgi_article"] != "" {
		st.Association.CGIArticle = number(a["association.cgi_article"])
	}
	// Ticking the attestation records who and when, once; unticking it
	// withdraws it.
	switch {
	case f.Attest && current.Receipts.AttestedBy == 0:
		st.Receipts.AttestedBy, st.Receipts.AttestedAt = actor, now
	case !f.Attest:
		st.Receipts.AttestedBy, st.Receipts.AttestedAt = 0, time.Time{}
	}
	st.Receipts.Enabled = f.ReceiptsEnabled
	if f.CounterpartCeiling != "" {
		st.Receipts.CounterpartCeiling = number(f.CounterpartCeiling)
	}
	st.Title, st.Tagline, st.Description = f.Title, f.Tagline, f.Description
	st.Language, st.Timezone, st.Typography = f.Language, f.Timezone, f.Typography
	st.PostsPerPage = number(f.PostsPerPage)
	st.Publisher, st.LogoURL, st.TwitterSite, st.Copyright = f.Publisher, f.LogoURL, f.TwitterSite, f.Copyright
	st.Appeal, st.BookshopPromo, st.FooterText = f.Appeal, f.BookshopPromo, f.FooterText
	st.SocialLinks = nil
	for _, n := range settings.Networks() {
		if u := strings.TrimSpace(f.Social[n.ID]); u != "" {
			st.SocialLinks = append(st.SocialLinks, settings.SocialLink{Network: n.ID, URL: u})
		}
	}
	st.CommentPolicy = settings.CommentPolicy{Moderation: settings.Moderation(f.Moderation),
		CloseAfterDays: number(f.CloseAfterDays), Charter: f.Charter,
		MaxDepth: number(f.MaxDepth), MaxLinks: number(f.MaxLinks), MinLength: number(f.MinLength), MaxLength: number(f.MaxLength),
		HoldWords: strings.Split(f.HoldWords, "\n"), BannedWords: strings.Split(f.BannedWords, "\n"),
		BannedAddresses: strings.Split(f.BannedAddresses, "\n"), Notify: settings.ModeratorNotice(f.Notify)}
	return st
}

func number(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

type option struct{ Value, Label string }

type zoneGroup struct {
	Label string
	Zones []string
}

type settingsPage struct {
	basePage
	Form      *settingsForm
	Errors    formErrors
	Languages []option
	Zones     []zoneGroup
	Networks  []settings.Network
	// AssociationFields are the association's text fields, in order.
	AssociationFields []associationField
	OrgTypes          []string
}

type associationField struct {
	Name      string
	Multiline bool
	Max       int
}

// settingsPage builds the page around f.
func (h *Handler) settingsPage(r *http.Request, s *session, f *settingsForm, errs formErrors) *settingsPage {
	p := h.printer()
	page := &settingsPage{basePage: h.base(r, s, p.T("admin.nav.settings"), "settings"), Form: f, Errors: errs,
		Networks: settings.Networks(), OrgTypes: []string{"general_interest", "public_utility", "press_pluralism", "endowment_fund"}}
	for _, a := range associationFields {
		page.AssociationFields = append(page.AssociationFields, associationField{Name: a.Name, Multiline: a.Multiline, Max: a.Max})
	}
	for _, l := range locale.Langs() {
		page.Languages = append(page.Languages, option{Value: string(l), Label: l.Name()})
	}
	page.Zones = zoneGroups(p, settings.Timezones(), f.Timezone)
	return page
}

// zoneGroups groups zone names by region for the select's optgroups. A
// current zone missing from the list is offered too, so that it is kept.
func zoneGroups(p *locale.Printer, zones []string, current string) []zoneGroup {
	if current != "" && !slices.Contains(zones, current) {
		zones = append(zones, current)
	}
	var groups []zoneGroup
	for _, z := range zones {
		region, _, ok := strings.Cut(z, "/")
		if !ok {
			region = z // UTC
		}
		key := "admin.settings.region." + strings.ToLower(region)
		label := p.T("admin.settings.region.other")
		if p.Has(key) {
			label = p.T(key)
		}
		if n := len(groups); n > 0 && groups[n-1].Label == label {
			groups[n-1].Zones = append(groups[n-1].Zones, z)
			continue
		}
		groups = append(groups, zoneGroup{Label: label, Zones: []string{z}})
	}
	return groups
}

// showSettings shows the settings form.
func (h *Handler) showSettings(w http.ResponseWriter, r *http.Request, s *session) {
	h.render(w, r, http.StatusOK, "settings", h.settingsPage(r, s, settingsFormOf(h.Settings.Get()), nil))
}

// saveSettings saves the form; a refused one is shown again as typed, with
// a message next to each field at fault.
func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseSettingsForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if err := h.Settings.Save(r.Context(), s.actor, f.site(h.Settings.Get(), s.actor.UserID, h.Clock.Now())); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "settings", h.settingsPage(r, s, f, errs))
		return
	}
	redirect(w, r, "/admin/settings", "saved")
}

// fieldErrors is errorsOf for an error that may join several, one per
// field: each field keeps its first message.
func (h *Handler) fieldErrors(err error) (formErrors, error) {
	list := apperr.Split(err)
	out := formErrors{}
	for _, e := range list {
		if !apperr.Is(e, apperr.Invalid) && len(list) > 1 {
			return nil, err
		}
		errs, ierr := h.errorsOf(e)
		if ierr != nil {
			return nil, ierr
		}
		for field, msg := range errs {
			if _, ok := out[field]; !ok {
				out[field] = msg
			}
		}
	}
	return out, nil
}
