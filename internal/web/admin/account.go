package admin

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/users"
)

// registerAccount adds the account pages to mux: what anyone logged in
// may change of their own account.
func (h *Handler) registerAccount(mux router) {
	mux.HandleFunc("GET /admin/account", h.authed(h.showAccount))
	mux.HandleFunc("POST /admin/account/profile", h.authed(h.saveProfile))
	mux.HandleFunc("POST /admin/account/password", h.authed(h.changePassword))
	mux.HandleFunc("POST /admin/account/totp/begin", h.authed(h.beginTOTP))
	mux.HandleFunc("POST /admin/account/totp/enable", h.authed(h.enableTOTP))
	mux.HandleFunc("POST /admin/account/totp/cancel", h.authed(h.cancelTOTP))
	mux.HandleFunc("POST /admin/account/totp/disable", h.authed(h.disableTOTP))
	mux.HandleFunc("POST /admin/account/sessions/revoke", h.authed(h.revokeSessions))
}

// who is the session's actor as package users knows it.
func (s *session) who() users.Actor {
	return users.Actor{UserID: s.actor.UserID, Name: s.actor.Name, Role: s.actor.Role, IP: s.actor.IP}
}

type accountPage struct {
	basePage
	// Name and Email fill the profile form: stored, or as typed.
	Name, Email string
	// Errors are keyed "<form>.<field>", the form being profile, password
	// or totp, since the page holds several forms with like-named fields.
	Errors      formErrors
	TOTPEnabled bool
	// Setup is the pending second-factor setup, nil when none is.
	Setup       *totpSetup
	Sessions    []sessionRow
	MinPassword int
}

type totpSetup struct {
	QR template.URL
	// Secret is the key grouped by four characters, to type by hand.
	Secret string
}

type sessionRow struct {
	Created, LastSeen time.Time
	IP, Browser       string
	UserAgent         string
	Current, Pending  bool
}

// account builds the page from what is stored.
func (h *Handler) account(r *http.Request, s *session) (*accountPage, error) {
	p := h.printer()
	u := s.user
	page := &accountPage{basePage: h.base(r, s, p.T("admin.account.title"), "account"), Name: u.Name, Email: u.Email,
		TOTPEnabled: u.TOTPEnabled, MinPassword: users.MinPasswordLength}
	setup, err := h.Users.PendingTOTP(u)
	switch {
	case err == nil:
		page.Setup = &totpSetup{
			QR:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(setup.QRPNG)), //nolint:gosec // our own PNG
			Secret: groupBy4(setup.Secret)}
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	list, err := h.Users.Sessions(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	loc := h.Settings.Get().Location()
	current := users.HashToken(s.token)
	for _, se := range list {
		page.Sessions = append(page.Sessions, sessionRow{Created: se.CreatedAt.In(loc), LastSeen: se.LastSeen.In(loc), IP: se.IP,
			Browser: h.browserOf(se.UserAgent), UserAgent: se.UserAgent, Current: se.TokenHash == current, Pending: se.MFAPending})
	}
	return page, nil
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request, s *session) {
	page, err := h.account(r, s)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, http.StatusOK, "account", page)
}

// refuseAccount shows the page again with err next to its field in form,
// keeping what was typed in the profile form.
func (h *Handler) refuseAccount(w http.ResponseWriter, r *http.Request, s *session, form string, err error, name, email string) {
	errs, ierr := h.errorsOf(err)
	if ierr != nil {
		h.fail(w, r, s, ierr)
		return
	}
	page, perr := h.account(r, s)
	if perr != nil {
		h.fail(w, r, s, perr)
		return
	}
	page.Errors = formErrors{}
	for field, msg := range errs {
		page.Errors[form+"."+field] = msg
	}
	if form == "profile" {
		page.Name, page.Email = name, email
	}
	h.render(w, r, formStatus(err), "account", page)
}

// formStatus is the status of a page shown again with a refused form:
// 422 for what the person can fix in the form (a conflict such as a taken
// address included), 429 when they must wait.
func formStatus(err error) int {
	if apperr.Is(err, apperr.Throttled) {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

func (h *Handler) saveProfile(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	in := users.Profile{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Password: r.PostFormValue("current")}
	if _, err := h.Users.UpdateProfile(r.Context(), s.who(), in); err != nil {
		h.refuseAccount(w, r, s, "profile", err, in.Name, in.Email)
		return
	}
	redirect(w, r, "/admin/account", "saved")
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	next := r.PostFormValue("password")
	var err error
	if next != r.PostFormValue("confirm") {
		err = apperr.New(apperr.Invalid, "error.user.password_mismatch").InField("confirm")
	} else {
		err = h.Users.ChangePassword(r.Context(), s.who(), r.PostFormValue("current"), next, s.token)
	}
	if err != nil {
		h.refuseAccount(w, r, s, "password", err, "", "")
		return
	}
	redirect(w, r, "/admin/account", "password")
}

func (h *Handler) beginTOTP(w http.ResponseWriter, r *http.Request, s *session) {
	if _, err := h.Users.BeginTOTP(r.Context(), s.who()); err != nil {
		h.refuseAccount(w, r, s, "totp", err, "", "")
		return
	}
	http.Redirect(w, r, "/admin/account#totp", http.StatusSeeOther)
}

func (h *Handler) enableTOTP(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := h.Users.EnableTOTP(r.Context(), s.who(), r.PostFormValue("code")); err != nil {
		h.refuseAccount(w, r, s, "totp", err, "", "")
		return
	}
	redirect(w, r, "/admin/account", "totp_on")
}

func (h *Handler) cancelTOTP(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.Users.CancelTOTP(r.Context(), s.who()); err != nil {
		h.refuseAccount(w, r, s, "totp", err, "", "")
		return
	}
	http.Redirect(w, r, "/admin/account", http.StatusSeeOther)
}

func (h *Handler) disableTOTP(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := h.Users.DisableTOTP(r.Context(), s.who(), r.PostFormValue("current")); err != nil {
		h.refuseAccount(w, r, s, "totp", err, "", "")
		return
	}
	redirect(w, r, "/admin/account", "totp_off")
}

func (h *Handler) revokeSessions(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.Users.RevokeOtherSessions(r.Context(), s.who(), s.token); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/account", "revoked")
}

// groupBy4 spaces a key every four characters, as authenticator apps
// show and accept it.
func groupBy4(key string) string {
	var b strings.Builder
	for i, c := range key {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// browserOf names the browser and system of a user agent ("Firefox on
// Linux"), enough for a person to recognise their own devices.
func (h *Handler) browserOf(ua string) string {
	browser := firstMatch(ua, [][2]string{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}})
	system := firstMatch(ua, [][2]string{{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Macintosh", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}})
	p := h.printer()
	switch {
	case browser != "" && system != "":
		return p.T("admin.account.browser", browser, system)
	case browser != "":
		return browser
	case system != "":
		return system
	}
	return p.T("admin.account.unknown_browser")
}

// firstMatch returns the name of the first pattern found in s.
func firstMatch(s string, patterns [][2]string) string {
	for _, p := range patterns {
		if strings.Contains(s, p[0]) {
			return p[1]
		}
	}
	return ""
}
