package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/users"
)

// registerUsers adds the users pages to mux: admins only, the service
// checking again.
func (h *Handler) registerUsers(mux router) {
	mux.HandleFunc("GET /admin/users", h.allowed(access.ManageUsers, h.listUsers))
	mux.HandleFunc("POST /admin/users", h.allowed(access.ManageUsers, h.createUser))
	mux.HandleFunc("GET /admin/users/{id}", h.allowed(access.ManageUsers, h.showUser))
	mux.HandleFunc("POST /admin/users/{id}/role", h.allowed(access.ManageUsers, h.saveUserRole))
	mux.HandleFunc("POST /admin/users/{id}/disable", h.allowed(access.ManageUsers, h.setUserDisabled(true)))
	mux.HandleFunc("POST /admin/users/{id}/enable", h.allowed(access.ManageUsers, h.setUserDisabled(false)))
	mux.HandleFunc("POST /admin/users/{id}/reset", h.allowed(access.ManageUsers, h.sendUserReset))
}

// roles are the roles offered, from the most to the least powerful.
var roles = []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor}

// userRow is an account as the pages show it, without its secrets.
type userRow struct {
	ID                      int64
	Name, Email             string
	Role                    users.Role
	TOTP, Disabled, Invited bool
	Self                    bool
	CreatedAt, LastLogin    time.Time
}

func (h *Handler) rowOf(a *users.Account, s *session) userRow {
	loc := h.Settings.Get().Location()
	row := userRow{ID: a.ID, Name: a.Name, Email: a.Email, Role: a.Role, TOTP: a.TOTPEnabled, Disabled: a.Disabled,
		Invited: a.Invited(), Self: a.ID == s.actor.UserID, CreatedAt: a.CreatedAt.In(loc)}
	if !a.LastLogin.IsZero() {
		row.LastLogin = a.LastLogin.In(loc)
	}
	return row
}

// newUserForm is what the creation form posts.
type newUserForm struct {
	Name, Email string
	Role        users.Role
	// Mode is "invite" (an email with a link) or "password" (typed here).
	Mode string
}

type usersPage struct {
	basePage
	Users  []userRow
	Roles  []users.Role
	Form   newUserForm
	Errors formErrors
}

func (h *Handler) usersList(w http.ResponseWriter, r *http.Request, s *session, status int, f newUserForm, errs formErrors) {
	list, err := h.Users.Accounts(r.Context(), s.who())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page := &usersPage{basePage: h.base(r, s, h.printer().T("admin.nav.users"), "users"), Roles: roles, Form: f, Errors: errs}
	for i := range list {
		page.Users = append(page.Users, h.rowOf(&list[i], s))
	}
	h.render(w, r, status, "users", page)
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request, s *session) {
	h.usersList(w, r, s, http.StatusOK, newUserForm{Role: users.RoleAuthor, Mode: "invite"}, nil)
}

// createUser creates an account with a password typed by the admin, or
// sends an invitation to choose one.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	f := newUserForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: users.Role(r.PostFormValue("role")),
		Mode: r.PostFormValue("mode")}
	in := users.NewUser{Name: f.Name, Email: f.Email, Role: f.Role}
	if f.Mode == "password" {
		in.Password = r.PostFormValue("password")
	} else {
		f.Mode, in.Invite = "invite", true
	}
	u, err := h.Users.CreateBy(r.Context(), s.who(), in)
	if err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.usersList(w, r, s, formStatus(err), f, errs)
		return
	}
	done := "created"
	if in.Invite {
		done = "mailed"
	}
	redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), done)
}

type userPage struct {
	basePage
	Account userRow
	Roles   []users.Role
	Errors  formErrors
}

// userByPath reads the account named by the path.
func (h *Handler) userByPath(r *http.Request, s *session) (*users.Account, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound()
	}
	return h.Users.AccountByID(r.Context(), s.who(), id)
}

// userDetail shows one account, with errs next to the form that failed.
func (h *Handler) userDetail(w http.ResponseWriter, r *http.Request, s *session, status int, errs formErrors) {
	a, err := h.userByPath(r, s)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, status, "user", &userPage{basePage: h.base(r, s, a.Name, "users"), Account: h.rowOf(a, s), Roles: roles, Errors: errs})
}

func (h *Handler) showUser(w http.ResponseWriter, r *http.Request, s *session) {
	h.userDetail(w, r, s, http.StatusOK, nil)
}

// userAction runs one change to the account of the path and sends the
// browser back to its page, or shows the page with the refusal next to
// the form named field.
func (h *Handler) userAction(w http.ResponseWriter, r *http.Request, s *session, field, done string,
	act func(id int64) error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	if err := act(id); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.userDetail(w, r, s, formStatus(err), formErrors{field: firstError(errs)})
		return
	}
	redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), done)
}

func (h *Handler) saveUserRole(w http.ResponseWriter, r *http.Request, s *session) {
	h.userAction(w, r, s, "role", "saved", func(id int64) error {
		return h.Users.SetRole(r.Context(), s.who(), id, users.Role(r.PostFormValue("role")))
	})
}

func (h *Handler) setUserDisabled(disabled bool) func(w http.ResponseWriter, r *http.Request, s *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		h.userAction(w, r, s, "status", "saved", func(id int64) error {
			return h.Users.SetDisabled(r.Context(), s.who(), id, disabled)
		})
	}
}

func (h *Handler) sendUserReset(w http.ResponseWriter, r *http.Request, s *session) {
	h.userAction(w, r, s, "reset", "mailed", func(id int64) error {
		return h.Users.SendPasswordReset(r.Context(), s.who(), id)
	})
}
