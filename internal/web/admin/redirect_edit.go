package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/redirects"
)

// redirectForm is the redirect form as typed.
type redirectForm struct {
	From, To string
	Code     int
}

// input is what the service is given; it checks every rule.
func (f redirectForm) input() redirects.Input {
	return redirects.Input{From: f.From, To: f.To, Code: f.Code}
}

// parseRedirectForm reads the posted form; a code that is not a number
// is left 0, which the service refuses as it refuses any other.
func parseRedirectForm(w http.ResponseWriter, r *http.Request) (redirectForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return redirectForm{}, errBadForm(err)
	}
	f := redirectForm{From: strings.TrimSpace(r.PostForm.Get("from")), To: strings.TrimSpace(r.PostForm.Get("to"))}
	code, err := strconv.Atoi(r.PostForm.Get("code"))
	if err != nil {
		code = -1
	}
	f.Code = code
	return f, nil
}

// redirectPage is the form of a redirect, new or stored.
type redirectPage struct {
	basePage
	// Redirect is the stored redirect, nil for a new one.
	Redirect *redirects.Redirect
	Form     redirectForm
	Errors   formErrors
	Codes    []int
	// Hits is how many readers the stored redirect sent.
	Hits int
}

// showNewRedirect shows the form of a new redirect.
func (h *Handler) showNewRedirect(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderRedirect(w, r, s, http.StatusOK, nil, redirectForm{Code: redirects.Permanent}, nil)
}

// showRedirect shows a stored redirect's form.
func (h *Handler) showRedirect(w http.ResponseWriter, r *http.Request, s *session) {
	x, err := h.Redirects.Redirect(r.Context(), s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.renderRedirect(w, r, s, http.StatusOK, x, redirectForm{From: x.From, To: x.To, Code: x.Code}, nil)
}

// saveRedirect adds or changes a redirect; a refused one comes back with
// its messages next to the fields.
func (h *Handler) saveRedirect(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	var id int64
	var stored *redirects.Redirect
	if r.PathValue("id") != "" {
		var err error
		if stored, err = h.Redirects.Redirect(ctx, s.actor, pathID(r)); err != nil {
			h.fail(w, r, s, err)
			return
		}
		id = stored.ID
	}
	f, err := parseRedirectForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if _, err := h.Redirects.Save(ctx, s.actor, id, f.input()); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderRedirect(w, r, s, formStatus(err), stored, f, errs)
		return
	}
	done := "saved"
	if id == 0 {
		done = "created"
	}
	redirect(w, r, "/admin/redirects/", done)
}

func (h *Handler) renderRedirect(w http.ResponseWriter, r *http.Request, s *session, status int, x *redirects.Redirect, f redirectForm, errs formErrors) {
	title := h.printer().T("admin.redirects.new")
	if x != nil {
		title = h.printer().T("admin.redirects.edit", x.From)
	}
	page := &redirectPage{basePage: h.base(r, s, title, "redirects"), Redirect: x, Form: f, Errors: errs,
		Codes: []int{redirects.Permanent, redirects.Temporary}}
	if x != nil {
		page.Hits = int(x.Hits)
	}
	h.render(w, r, status, "redirect", page)
}
