package admin

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
)

// basePage is what the admin layout reads.
type basePage struct {
	Lang      locale.Lang
	SiteTitle string
	Title     string
	Section   string
	User      *users.User
	Can       can
	Flash     *flash
}

// can tells the layout which menu entries to show.
type can struct {
	Pages, Upload, Taxonomies, Users, Settings, Audit, Moderate, Donations, Shop bool
	// Picks links an article to the books picked for it (a site with a
	// bookshop).
	Picks bool
	// Social is the social accounts' back office.
	Social bool
	// Redirects is the table of old addresses.
	Redirects bool
	// Fediverse is the publication's fediverse account: followers, blocks.
	Fediverse bool
}

type flash struct{ Kind, Text string }

// flashes are the confirmation messages a redirect may ask for with
// ?done=…: a fixed list, so a link cannot make the page say anything.
var flashes = map[string]string{
	"saved":       "admin.flash.saved",
	"submitted":   "admin.flash.submitted",
	"published":   "admin.flash.published",
	"scheduled":   "admin.flash.scheduled",
	"unpublished": "admin.flash.unpublished",
	"trashed":     "admin.flash.trashed",
	"restored":    "admin.flash.restored",
	"reverted":    "admin.flash.reverted",
	"deleted":     "admin.flash.deleted",
	"merged":      "admin.flash.merged",
	"password":    "admin.flash.password",
	"reset":       "admin.flash.reset",
	"sent":        "admin.flash.sent",
	"totp_on":     "admin.flash.totp_on",
	"totp_off":    "admin.flash.totp_off",
	"revoked":     "admin.flash.revoked",
	"uploaded":    "admin.flash.uploaded",
	"created":     "admin.flash.created",
	"mailed":      "admin.flash.mailed",
	"moderated":   "admin.flash.moderated",
	"replied":     "admin.flash.replied",
}

func (h *Handler) base(r *http.Request, s *session, title, section string) basePage {
	st := h.Settings.Get()
	p := basePage{Lang: st.Lang(), SiteTitle: st.Title, Title: title, Section: section}
	if s != nil {
		a := s.actor
		p.User = s.user
		p.Can = can{Pages: a.Can(access.ManagePages), Upload: a.Can(access.UploadMedia), Taxonomies: a.Can(access.ManageTaxonomies),
			Users: a.Can(access.ManageUsers), Settings: a.Can(access.ManageSettings), Audit: a.Can(access.ViewAudit),
			Moderate: a.Can(access.ModerateComments), Donations: a.Can(access.ManageDonations), Shop: h.canShop(a),
			Picks: h.Shop != nil, Social: h.canSocial(a),
			Redirects: h.Redirects != nil && a.Can(redirectsPermission), Fediverse: h.canFediverse(a)}
	}
	if key, ok := flashes[r.URL.Query().Get("done")]; ok {
		p.Flash = &flash{Kind: "ok", Text: h.printer().T(key)}
	}
	return p
}

// messagePage is a page that only says something (errors, confirmations).
type messagePage struct {
	basePage
	Message string
}

// formErrors are the messages shown next to fields, keyed by field name,
// with the form-wide one under "".
type formErrors map[string]string

// errorsOf turns a service error into form messages; internal errors are
// returned to be shown as such.
func (h *Handler) errorsOf(err error) (formErrors, error) {
	switch apperr.KindOf(err) {
	case apperr.Invalid, apperr.Conflict, apperr.Throttled, apperr.Unauthorized:
	default:
		return nil, err
	}
	key, args := apperr.Message(err)
	field := ""
	var ae *apperr.Error
	if errors.As(err, &ae) {
		field = ae.Field
	}
	return formErrors{field: h.printer().T(key, args...)}, nil
}

// jsonStatus is the status of a refused request from the editor's
// script: 422 for what the person can fix, as for a form.
func jsonStatus(err error) int {
	if apperr.KindOf(err) == apperr.Invalid {
		return http.StatusUnprocessableEntity
	}
	return web.StatusOf(err)
}

// redirect sends the browser to path with a confirmation message. path is
// a constant of the back office, or went through safeNext.
func redirect(w http.ResponseWriter, r *http.Request, path, done string) {
	if done != "" {
		u, err := url.Parse(path)
		if err == nil {
			q := u.Query()
			q.Set("done", done)
			u.RawQuery = q.Encode()
			path = u.String()
		}
	}
	http.Redirect(w, r, path, http.StatusSeeOther) //nolint:gosec // G710: see above
}
