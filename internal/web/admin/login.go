package admin

import (
	"net/http"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/users"
)

type loginPage struct {
	basePage
	Email  string
	Next   string
	Errors formErrors
}

func errNotFound() error { return apperr.New(apperr.NotFound, "error.not_found.text") }

// setSession stores the session token in a cookie kept from scripts
// (HttpOnly), sent only over HTTPS when the site is, and not on requests
// started by other sites (SameSite=Lax). Secure follows the base URL's
// scheme, so the demo on http://127.0.0.1 keeps its session.
func (h *Handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{ //nolint:gosec // G124: Secure is set for every HTTPS site, see above
		Name: sessionCookie, Value: token, Path: "/admin", HttpOnly: true, Secure: h.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(users.SessionMaxAge / time.Second)})
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{ //nolint:gosec // G124: as in setSession
		Name: sessionCookie, Value: "", Path: "/admin", HttpOnly: true, Secure: h.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request) {
	p := h.printer()
	h.render(w, r, http.StatusOK, "login", &loginPage{basePage: h.base(r, nil, p.T("admin.login.title"), ""),
		Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	token, pending, err := h.Users.Login(r.Context(), email, password, h.Proxies.ClientIP(r), r.UserAgent())
	if err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, nil, ierr)
			return
		}
		status := http.StatusUnauthorized
		if apperr.Is(err, apperr.Throttled) {
			status = http.StatusTooManyRequests
		}
		p := h.printer()
		h.render(w, r, status, "login", &loginPage{basePage: h.base(r, nil, p.T("admin.login.title"), ""),
			Email: email, Next: next, Errors: formErrors{"": errs[""] + errs["email"] + errs["password"]}})
		return
	}
	h.setSession(w, token)
	if pending {
		http.Redirect(w, r, "/admin/login/code?next="+next, http.StatusSeeOther) //nolint:gosec // G710: next went through safeNext
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // G710: next went through safeNext
}

func (h *Handler) showTOTP(w http.ResponseWriter, r *http.Request) {
	p := h.printer()
	h.render(w, r, http.StatusOK, "totp", &loginPage{basePage: h.base(r, nil, p.T("admin.totp.title"), ""),
		Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) verifyTOTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	if err := h.Users.VerifyTOTP(r.Context(), c.Value, r.PostFormValue("code"), h.Proxies.ClientIP(r)); err != nil {
		if apperr.Is(err, apperr.Unauthorized) {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, nil, ierr)
			return
		}
		p := h.printer()
		h.render(w, r, http.StatusUnprocessableEntity, "totp", &loginPage{basePage: h.base(r, nil, p.T("admin.totp.title"), ""),
			Next: next, Errors: errs})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // G710: next went through safeNext
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := h.Users.Logout(r.Context(), c.Value, h.Proxies.ClientIP(r)); err != nil {
			h.fail(w, r, nil, err)
			return
		}
	}
	h.clearSession(w)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

type resetPage struct {
	basePage
	Email  string
	Token  string
	Sent   bool
	Errors formErrors
}

func (h *Handler) showForgot(w http.ResponseWriter, r *http.Request) {
	p := h.printer()
	h.render(w, r, http.StatusOK, "forgot", &resetPage{basePage: h.base(r, nil, p.T("admin.forgot.title"), "")})
}

// forgot always answers the same, whether the account exists or not.
func (h *Handler) forgot(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	p := h.printer()
	page := &resetPage{basePage: h.base(r, nil, p.T("admin.forgot.title"), ""), Email: r.PostFormValue("email")}
	if err := h.Users.RequestPasswordReset(r.Context(), page.Email, h.Proxies.ClientIP(r)); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, nil, ierr)
			return
		}
		page.Errors = errs
		h.render(w, r, http.StatusTooManyRequests, "forgot", page)
		return
	}
	page.Sent = true
	h.render(w, r, http.StatusOK, "forgot", page)
}

func (h *Handler) showReset(w http.ResponseWriter, r *http.Request) {
	p := h.printer()
	h.render(w, r, http.StatusOK, "reset", &resetPage{basePage: h.base(r, nil, p.T("admin.reset.title"), ""),
		Token: r.URL.Query().Get("token")})
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	p := h.printer()
	page := &resetPage{basePage: h.base(r, nil, p.T("admin.reset.title"), ""), Token: r.PostFormValue("token")}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		page.Errors = formErrors{"confirm": p.T("error.user.password_mismatch")}
		h.render(w, r, http.StatusUnprocessableEntity, "reset", page)
		return
	}
	if err := h.Users.ResetPassword(r.Context(), page.Token, r.PostFormValue("password"), h.Proxies.ClientIP(r)); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, nil, ierr)
			return
		}
		page.Errors = errs
		h.render(w, r, http.StatusUnprocessableEntity, "reset", page)
		return
	}
	redirect(w, r, "/admin/login", "reset")
}
