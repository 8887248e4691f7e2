package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/textproc"
)

// commentMails writes the comment notifications in the site's language
// (comments.Mails).
type commentMails struct{ a *App }

var _ comments.Mails = commentMails{}

func (m commentMails) printer() (*settings.Site, *locale.Printer) {
	st := m.a.Settings.Get()
	return st, m.a.Catalog.Printer(st.Lang())
}

func (m commentMails) queueURL() string {
	return m.a.Config.PublicBaseURL() + "/admin/comments?status=pending"
}

// Held implements comments.Mails.
func (m commentMails) Held(to []string, c *comments.Comment, t *comments.Target) job.Email {
	st, p := m.printer()
	author := c.AuthorName + " <" + c.AuthorEmail + ">"
	if c.AuthorURL != "" {
		author += " – " + c.AuthorURL
	}
	reasons := strings.Join(c.Reasons, ", ")
	if reasons == "" {
		reasons = p.T("mail.comment_held.policy")
	}
	return job.Email{
		To:      to,
		Subject: p.T("mail.comment_held.subject", st.Title, typo(st, t.Title)),
		Text: p.T("mail.comment_held.text", typo(st, t.Title), t.URL, author, reasons, c.Body,
			m.queueURL()),
	}
}

// Digest implements comments.Mails.
func (m commentMails) Digest(to []string, held []*comments.Comment, pending int) job.Email {
	st, p := m.printer()
	var list strings.Builder
	for i, c := range held {
		if i == 20 {
			list.WriteString("…\n")
			break
		}
		list.WriteString(p.T("mail.comment_digest.line", c.AuthorName, typo(st, c.ArticleTitle), excerpt(c.Body, 140)))
		list.WriteByte('\n')
	}
	return job.Email{
		To:      to,
		Subject: p.N("mail.comment_digest.subject", len(held), st.Title),
		Text:    p.N("mail.comment_digest.text", pending, list.String(), m.queueURL()),
	}
}

// Reply implements comments.Mails.
func (m commentMails) Reply(reply, parent *comments.Comment, t *comments.Target, stop string) job.Email {
	st, p := m.printer()
	stopURL := m.a.Config.PublicBaseURL() + stop
	link := fmt.Sprintf("%s#comment-%d", t.URL, reply.ID)
	return job.Email{
		To:      []string{parent.AuthorEmail},
		Subject: p.T("mail.comment_reply.subject", reply.AuthorName, typo(st, t.Title)),
		Text: p.T("mail.comment_reply.text", parent.AuthorName, reply.AuthorName, typo(st, t.Title), reply.Body, link,
			st.Title, stopURL),
		// One click in the mail client stops them (RFC 8058).
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + stopURL + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
	}
}

// Removed implements comments.Mails.
func (m commentMails) Removed(c *comments.Comment, t *comments.Target) job.Email {
	st, p := m.printer()
	at := c.CreatedAt.In(st.Location())
	when := p.T("comments.date_at", p.Date(at, locale.DateLong), p.Time(at))
	return job.Email{
		To:      []string{c.AuthorEmail},
		Subject: p.T("mail.comment_removed.subject", st.Title, typo(st, t.Title)),
		Text:    p.T("mail.comment_removed.text", c.AuthorName, when, typo(st, t.Title), t.URL, c.Body, st.Title),
	}
}

// typo applies the site's typography to a title, as its pages show it.
func typo(st *settings.Site, s string) string { return textproc.Typography(s, st.Style()) }

// excerpt shortens s to about n characters, on a word boundary.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// moderators returns the addresses of the active accounts that moderate
// comments.
func (a *App) moderators(ctx context.Context) ([]string, error) {
	list, err := a.Users.List(ctx)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, u := range list {
		if !u.Disabled && (access.Actor{Role: u.Role}).Can(access.ModerateComments) {
			to = append(to, u.Email)
		}
	}
	return to, nil
}
