package app

import (
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
)

// reportMails writes the emails of notices about comments and of the
// decisions taken on them, in the site's language (comments.ReportMails).
// Replies go to the site's sender address, the newsroom: the statement of
// reasons tells the author to answer it to contest the decision.
type reportMails struct{ a *App }

var _ comments.ReportMails = reportMails{}

func (m reportMails) printer() (*settings.Site, *locale.Printer) {
	st := m.a.Settings.Get()
	return st, m.a.Catalog.Printer(st.Lang())
}

// when writes a time as "11 décembre 2016 à 21:17", in the site's zone.
func (reportMails) when(st *settings.Site, p *locale.Printer, t time.Time) string {
	t = t.In(st.Location())
	return p.T("comments.date_at", p.Date(t, locale.DateLong), p.Time(t))
}

// greeting is the name to greet a notifier by: an anonymous notice has
// none.
func (reportMails) greeting(p *locale.Printer, name string) string {
	if name == "" {
		return p.T("mail.report.reader")
	}
	return name
}

func (reportMails) reason(p *locale.Printer, r comments.ReportReason) string {
	return p.T("comments.report.reason." + string(r))
}

// signed ends a text with the newsroom's signature.
func (reportMails) signed(p *locale.Printer, st *settings.Site, text string) string {
	return text + "\n\n" + p.T("mail.report.signature", st.Title)
}

// ReportReceived implements comments.ReportMails.
func (m reportMails) ReportReceived(r *comments.Report, _ *comments.Comment, _ *comments.Target) job.Email {
	st, p := m.printer()
	return job.Email{
		To:      []string{r.Email},
		Subject: p.T("mail.report_received.subject", st.Title),
		Text: m.signed(p, st, p.T("mail.report_received.text", m.greeting(p, r.Name), m.when(st, p, r.CreatedAt), r.URL,
			m.reason(p, r.Reason), r.Explanation)),
	}
}

// ReportHeld implements comments.ReportMails.
func (m reportMails) ReportHeld(to []string, r *comments.Report, c *comments.Comment, t *comments.Target) job.Email {
	st, p := m.printer()
	by := p.T("mail.report.anonymous")
	if r.Name != "" || r.Email != "" {
		by = strings.TrimSpace(r.Name + " <" + r.Email + ">")
	}
	return job.Email{
		To:      to,
		Subject: p.T("mail.report_held.subject", st.Title, typo(st, t.Title)),
		Text: p.T("mail.report_held.text", typo(st, t.Title), r.URL, m.reason(p, r.Reason), by, r.Explanation,
			c.AuthorName, excerpt(c.Body, 1000), m.a.Config.PublicBaseURL()+"/admin/comments/reports"),
	}
}

// ReportDecided implements comments.ReportMails.
func (m reportMails) ReportDecided(r *comments.Report) job.Email {
	st, p := m.printer()
	key := "mail.report_decided.kept"
	if r.Status == comments.ReportRemoved {
		key = "mail.report_decided.removed"
	}
	text := p.T(key, m.greeting(p, r.Name), m.when(st, p, r.CreatedAt), r.URL)
	if r.Note != "" {
		text += "\n\n" + p.T("mail.report_decided.note", r.Note)
	}
	return job.Email{
		To:      []string{r.Email},
		Subject: p.T("mail.report_decided.subject", st.Title),
		Text:    m.signed(p, st, text),
	}
}

// Statement implements comments.ReportMails: the statement of reasons of
// DSA art. 17(3), what was removed and where, that it was on a notice and
// by a person, the category and the grounds, and the ways to contest it.
// The notifier is not named.
func (m reportMails) Statement(r *comments.Report, c *comments.Comment, t *comments.Target) job.Email {
	st, p := m.printer()
	grounds := r.Note
	if grounds == "" {
		grounds = p.T("mail.report_statement.no_note")
	}
	title := typo(st, t.Title)
	return job.Email{
		To:      []string{c.AuthorEmail},
		Subject: p.T("mail.report_statement.subject", st.Title, title),
		Text: m.signed(p, st, p.T("mail.report_statement.text", c.AuthorName, m.when(st, p, c.CreatedAt), title, t.URL, c.Body,
			m.when(st, p, r.CreatedAt), m.reason(p, r.Reason), grounds)),
	}
}
