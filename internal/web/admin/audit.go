package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
)

// registerAudit adds the audit pages to mux.
func (h *Handler) registerAudit(mux router) {
	mux.HandleFunc("GET /admin/audit", h.allowed(access.ViewAudit, h.showAudit))
}

// auditPageSize is the number of entries per page of the log.
const auditPageSize = 50

type auditPage struct {
	basePage
	Rows []auditRow
	// Zone is the time zone the times are shown in.
	Zone string
	// OlderURL is the next page back in time; NewestURL goes back to the
	// first page from an older one.
	OlderURL, NewestURL string
}

// auditRow is an entry as the page shows it.
type auditRow struct {
	// At is in the site's time zone; ISO is the instant for <time>.
	At  time.Time
	ISO string
	// Sentence says who did what ("Claire Morel published an article").
	Sentence string
	// Target is what the action was about, linked by TargetURL when it
	// still exists; Detail is what the entry recorded besides.
	Target, TargetURL, Detail string
	IP                        string
}

// showAudit lists the audit log, newest first, auditPageSize entries a
// page; ?before=ID shows the entries older than ID.
func (h *Handler) showAudit(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	before, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if err != nil || before < 0 {
		before = 0
	}
	entries, err := h.Audit.AuditEntries(ctx, before, auditPageSize+1)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	st := h.Settings.Get()
	page := &auditPage{basePage: h.base(r, s, p.T("admin.nav.audit"), "audit"), Zone: st.Location().String()}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		page.OlderURL = "/admin/audit?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	if before > 0 {
		page.NewestURL = "/admin/audit"
	}
	targets := newTargetFinder(h)
	loc := st.Location()
	for _, e := range entries {
		row := auditRow{At: e.At.In(loc), ISO: e.At.UTC().Format(time.RFC3339), Sentence: sentence(p, e), IP: e.IP}
		if err := targets.describe(ctx, p, e, &row); err != nil {
			h.fail(w, r, s, err)
			return
		}
		page.Rows = append(page.Rows, row)
	}
	h.render(w, r, http.StatusOK, "audit", page)
}

// sentence says who did what, in the catalogue's words for the action.
func sentence(p *locale.Printer, e audit.Entry) string {
	who := e.UserName
	if who == "" && e.Action == audit.ActionLoginFailed {
		who = e.Summary // the address that was typed
	}
	if who == "" {
		who = p.T("admin.audit.someone")
	}
	key := "admin.audit.action." + e.Action
	if !p.Has(key) {
		return p.T("admin.audit.action.other", who, e.Action)
	}
	return p.T(key, who)
}

// targetFinder looks up what entries point to (articles, accounts,
// categories, tags, orders), once each per page.
type targetFinder struct {
	h     *Handler
	found map[string]*target
	users map[int64]*users.User
}

// target is a record an entry points to, as it is now.
type target struct{ label, url string }

func newTargetFinder(h *Handler) *targetFinder {
	return &targetFinder{h: h, found: map[string]*target{}}
}

// find returns the current label and address of the record of type kind
// and ID id, nil when it no longer exists.
func (f *targetFinder) find(ctx context.Context, kind string, id int64) (*target, error) {
	key := kind + "/" + strconv.FormatInt(id, 10)
	if t, ok := f.found[key]; ok {
		return t, nil
	}
	var t *target
	var err error
	switch kind {
	case string(content.KindPost), string(content.KindPage):
		var a *content.Article
		if a, err = f.h.Content.ArticleByID(ctx, id); err == nil {
			t = &target{a.Title, "/admin/articles/" + strconv.FormatInt(id, 10)}
		}
	case "category":
		var c *content.Category
		if c, err = f.h.Content.CategoryByID(ctx, id); err == nil {
			t = &target{c.Name, "/admin/categories/" + strconv.FormatInt(id, 10)}
		}
	case "tag":
		var tg *content.Tag
		if tg, err = f.h.Content.TagByID(ctx, id); err == nil {
			t = &target{tg.Name, "/admin/tags/" + strconv.FormatInt(id, 10)}
		}
	case "social_account":
		if f.h.Syndication != nil {
			var a *syndication.Account
			if a, _, err = f.h.Syndication.Account(ctx, id); err == nil {
				t = &target{a.Name, "/admin/social/" + strconv.FormatInt(id, 10)}
			}
		}
	case "redirect":
		if f.h.Redirects != nil {
			// The audit log is an admin's, who may see the redirects.
			var x *redirects.Redirect
			if x, err = f.h.Redirects.Redirect(ctx, access.System, id); err == nil {
				t = &target{x.From, "/admin/redirects/" + strconv.FormatInt(id, 10)}
			}
		}
	case "order":
		if f.h.Shop != nil {
			var o *shop.Order
			if o, err = f.h.Shop.OrderByID(ctx, id); err == nil {
				t = &target{o.Reference, "/admin/shop/orders/" + strconv.FormatInt(id, 10) + "/"}
			}
		}
	case "user":
		if f.users == nil {
			var list []*users.User
			if list, err = f.h.Users.List(ctx); err != nil {
				return nil, err
			}
			f.users = make(map[int64]*users.User, len(list))
			for _, u := range list {
				f.users[u.ID] = u
			}
		}
		if u := f.users[id]; u != nil {
			t = &target{u.Name, "/admin/users/" + strconv.FormatInt(id, 10)}
		}
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	f.found[key] = t
	return t, nil
}

// describe fills the target of row: a link to the article, account, order,
// category or tag when it still exists, otherwise the label the entry
// recorded; and what else the entry recorded, as its detail.
func (f *targetFinder) describe(ctx context.Context, p *locale.Printer, e audit.Entry, row *auditRow) error {
	switch e.TargetType {
	case "settings":
		row.Target, row.TargetURL = p.T("admin.audit.settings"), "/admin/settings"
		row.Detail = fieldLabels(p, e.Summary)
		return nil
	case string(content.KindPost), string(content.KindPage):
		row.Target = e.Summary // the title when it was recorded
	default:
		if e.Action != audit.ActionLoginFailed { // its summary is the address, shown as who
			row.Detail = e.Summary
		}
	}
	if e.TargetID == 0 {
		return nil
	}
	t, err := f.find(ctx, e.TargetType, e.TargetID)
	if err != nil {
		return err
	}
	if t == nil {
		if row.Target == "" && row.Detail == "" {
			row.Target = "#" + strconv.FormatInt(e.TargetID, 10)
		}
		return nil
	}
	if row.Target != "" && row.Target != t.label {
		row.Detail = row.Target // the title it had then
	}
	row.Target, row.TargetURL = t.label, t.url
	return nil
}

// fieldLabels turns the field names a settings entry recorded
// ("title, footer_text") into the labels of the settings page.
func fieldLabels(p *locale.Printer, names string) string {
	if names == "" {
		return ""
	}
	parts := strings.Split(names, ", ")
	for i, n := range parts {
		if key := "admin.settings.field." + n; p.Has(key) {
			parts[i] = p.T(key)
		}
	}
	return strings.Join(parts, ", ")
}
