package admin

import (
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/settings"
)

// fediverseForm is what the fediverse's settings form posts, kept as
// typed so a refused handle is shown back as it was.
type fediverseForm struct {
	Enabled, Locked, AuthorActors bool
	Username                      string
	ObjectType                    string
	HeaderURL                     string
}

// fediverseFields are the fields of settings.Fediverse the form shows a
// message next to, by the name the settings' errors give them.
var fediverseFields = map[string]bool{"fediverse_username": true, "fediverse_object_type": true, "fediverse_header_url": true}

// fediverseFormOf fills the form from the saved settings.
func fediverseFormOf(f settings.Fediverse) fediverseForm {
	return fediverseForm{Enabled: f.Enabled, Locked: f.Locked, AuthorActors: f.AuthorActors, Username: f.Username,
		ObjectType: string(f.ObjectType), HeaderURL: f.HeaderURL}
}

// parseFediverseForm reads the posted form.
func parseFediverseForm(w http.ResponseWriter, r *http.Request) (fediverseForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return fediverseForm{}, errBadForm(err)
	}
	v := r.PostFormValue
	return fediverseForm{Enabled: v("enabled") != "", Locked: v("locked") != "", AuthorActors: v("author_actors") != "",
		Username: strings.TrimSpace(v("username")), ObjectType: v("object_type"), HeaderURL: strings.TrimSpace(v("header_url"))}, nil
}

// site applies the form to a copy of the current settings, which keeps
// everything this page does not edit.
func (f fediverseForm) site(current *settings.Site) settings.Site {
	st := *current
	st.Fediverse = settings.Fediverse{Enabled: f.Enabled, Username: f.Username, Locked: f.Locked,
		ObjectType: settings.ObjectType(f.ObjectType), AuthorActors: f.AuthorActors, HeaderURL: f.HeaderURL}
	return st
}

// saveFediverseSettings saves the form through the settings service,
// which checks who may and what the handle may be; a refused form is
// shown again as typed, with the message next to its field.
func (h *Handler) saveFediverseSettings(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseFediverseForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if err := h.Settings.Save(r.Context(), s.actor, f.site(h.Settings.Get())); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		// A refusal of a field this page does not show (settings saved
		// before a rule was added) is said above the form.
		for field, msg := range errs {
			if field != "" && !fediverseFields[field] {
				delete(errs, field)
				if _, ok := errs[""]; !ok {
					errs[""] = msg
				}
			}
		}
		h.renderFediverse(w, r, s, formStatus(err), f, errs)
		return
	}
	redirect(w, r, "/admin/fediverse/", "saved")
}
