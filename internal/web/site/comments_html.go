package site

import (
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/locale"
)

// The discussion is written in Go like the other repeated fragments (see
// fragments.go): an article with 500 comments would cost thousands of
// reflective template calls. Every value goes through htmlWriter.text;
// comment bodies were rendered and sanitized when posted.

// avatarSize is the side of the avatars, in CSS pixels.
const (
	avatarSize   = 48
	avatarPixels = "48"
)

// commentTexts are the discussion's translated words, looked up once per page.
type commentTexts struct {
	says, reply, awaiting, staff, permalink, report string
	replyTo, reportLabel, dateAt                    msgTemplate
	avatar                                          func(email string) string
	// days are the dates already written, by day of the site's calendar:
	// comments come by the dozen on the same day.
	days map[int]string
}

// date writes "11 décembre 2016 à 21:17" in the site's time zone.
func (t *commentTexts) date(w *htmlWriter, c *reqCtx, at time.Time) {
	at = at.In(c.loc)
	day := at.Year()*400 + at.YearDay()
	d, ok := t.days[day]
	if !ok {
		d = c.p.Date(at, locale.DateLong)
		t.days[day] = d
	}
	t.dateAt.write(w, d, c.p.Time(at))
}

// writeDiscussion writes the comments section of an article page: the
// count, the numbered thread, and the form (or why there is none). It
// writes straight into the page (see spliceComments): 500 comments make
// 600 kB, not worth building apart and copying.
func (h *Handler) writeDiscussion(w *htmlWriter, c *reqCtx, articleID int64, path string, d *comments.Discussion, form *commentForm) {
	p := c.p
	w.raw(`<section class="comments" id="comments" aria-labelledby="comments-heading">`, "\n")
	w.raw(`<h2 id="comments-heading">`)
	w.text(p.N("article.comments", d.Count))
	w.raw("</h2>\n")
	if len(d.Thread) > 0 {
		t := commentTexts{says: p.T("comments.says"), reply: p.T("comments.reply"),
			awaiting: p.T("comments.awaiting"), staff: p.T("comments.staff"), permalink: p.T("comments.permalink"),
			report: p.T("comments.report.link"), avatar: h.Comments.AvatarKeyer(),
			replyTo: newTemplate(p, "comments.reply_to"), reportLabel: newTemplate(p, "comments.report.link_label"),
			dateAt: newTemplate(p, "comments.date_at"), days: make(map[int]string)}
		w.raw(`<ol class="comment-list">`, "\n")
		for _, cm := range d.Thread {
			h.commentHTML(w, c, d, cm, &t)
		}
		w.raw("</ol>\n")
	}
	if d.Open {
		h.formHTML(w, c, articleID, path, form)
	} else {
		w.raw(`<p class="comments-closed">`)
		msg := p.T("comments.closed")
		if form != nil && form.Message != "" {
			msg = form.Message
		}
		w.text(msg)
		w.raw("</p>\n")
		if form != nil && form.Text != "" {
			// Closed while the reader was writing: give them their text back.
			w.raw(`<p class="field"><label for="comment">`)
			w.text(p.T("comments.form.your_text"))
			w.raw(`</label><textarea id="comment" rows="8" readonly>`)
			w.text(form.Text)
			w.raw("</textarea></p>\n")
		}
	}
	w.raw("</section>\n")
}

// commentHTML writes one comment and its replies.
func (h *Handler) commentHTML(w *htmlWriter, c *reqCtx, d *comments.Discussion, cm *comments.Comment, t *commentTexts) {
	waiting := cm.Status != comments.StatusApproved
	w.raw(`<li class="comment depth-`)
	w.num(int64(cm.Depth))
	if cm.Staff() {
		w.raw(` staff`)
	}
	if waiting {
		w.raw(` awaiting`)
	}
	w.raw(`" id="comment-`)
	w.num(cm.ID)
	w.raw("\">\n<article>\n<footer class=\"comment-meta\">")
	w.raw(`<img class="avatar" src="/avatars/`, t.avatar(cm.AuthorEmail), `.svg" alt="" width="`+avatarPixels+`" height="`+avatarPixels+
		`" loading="lazy" decoding="async">`)
	if cm.Number > 0 {
		w.raw(`<a class="comment-number" href="#comment-`)
		w.num(cm.ID)
		w.raw(`" title="`)
		w.text(t.permalink)
		w.raw(`">#`)
		w.num(int64(cm.Number))
		w.raw(`</a> `)
	}
	w.raw(`<b class="fn">`)
	if cm.AuthorURL != "" && !waiting {
		w.raw(`<a href="`)
		w.text(cm.AuthorURL)
		w.raw(`" rel="external nofollow ugc">`)
		w.text(cm.AuthorName)
		w.raw(`</a>`)
	} else {
		w.text(cm.AuthorName)
	}
	w.raw(`</b>`)
	if cm.Staff() {
		w.raw(` <span class="badge">`)
		w.text(t.staff)
		w.raw(`</span>`)
	}
	w.raw(` <span class="says">`)
	w.text(t.says)
	w.raw(`</span> <time datetime="`)
	w.bytes(cm.CreatedAt.UTC().AppendFormat(w.scratch[:0], time.RFC3339))
	w.raw(`">`)
	t.date(w, c, cm.CreatedAt)
	w.raw("</time></footer>\n")
	if waiting {
		w.raw(`<p class="awaiting-note" role="status">`)
		w.text(t.awaiting)
		w.raw("</p>\n")
	}
	w.raw(`<div class="comment-content">`, "\n", cm.BodyHTML, "</div>\n")
	if !waiting {
		w.raw(`<p class="comment-actions">`)
		if d.CanReply(cm) {
			w.raw(`<a class="reply-link" rel="nofollow" href="?replytocom=`)
			w.num(cm.ID)
			w.raw(`#respond" aria-label="`)
			t.replyTo.write(w, cm.AuthorName)
			w.raw(`">`)
			w.text(t.reply)
			w.raw("</a> ")
		}
		// Anyone may report a published comment (DSA art. 16): see
		// comment_report.go.
		w.raw(`<a class="report-link" rel="nofollow" href="/comments/`)
		w.num(cm.ID)
		w.raw(`/report" aria-label="`)
		t.reportLabel.write(w, cm.AuthorName)
		w.raw(`">`)
		w.text(t.report)
		w.raw("</a></p>\n")
	}
	w.raw("</article>\n")
	if len(cm.Replies) > 0 {
		w.raw(`<ol class="children">`, "\n")
		for _, r := range cm.Replies {
			h.commentHTML(w, c, d, r, t)
		}
		w.raw("</ol>\n")
	}
	w.raw("</li>\n")
}

// formHTML writes the comment form. It works without JavaScript: a reply
// is the same form with the parent's id, reached by ?replytocom=.
func (h *Handler) formHTML(w *htmlWriter, c *reqCtx, articleID int64, path string, f *commentForm) {
	p := c.p
	w.raw(`<div class="comment-respond" id="respond">`, "\n", `<h3 id="reply-title">`)
	if f.ParentID != 0 {
		w.text(p.T("comments.form.reply_title", f.ParentName))
		w.raw(` <a class="cancel-reply" rel="nofollow" href="`)
		w.text(path)
		w.raw(`#respond">`)
		w.text(p.T("comments.form.cancel_reply"))
		w.raw(`</a>`)
	} else {
		w.text(p.T("comments.form.title"))
	}
	w.raw("</h3>\n")
	if ch := c.site.CommentPolicy.CharterHTML; ch != "" {
		w.raw(`<div class="comment-charter">`, ch, "</div>\n") // rendered and sanitized when saved
	}
	if f.Message != "" || len(f.Errors) > 0 {
		w.raw(`<div class="form-errors" role="alert" tabindex="-1" id="comment-errors">`)
		msg := f.Message
		if msg == "" {
			msg = p.T("comments.form.fix")
		}
		w.raw(`<p>`)
		w.text(msg)
		w.raw("</p></div>\n")
	}
	w.raw(`<form class="comment-form" method="post" action="`)
	w.text(path)
	w.raw(`#respond" novalidate data-stamp-url="/comments/stamp?article=`, strconv.FormatInt(articleID, 10), `">`, "\n")
	w.raw(`<p class="comment-notes">`)
	w.text(p.T("comments.form.notes"))
	w.raw("</p>\n")

	field := func(name, id, label, value, typ, autocomplete string, required bool, maxLen int) {
		msg := f.Errors[name]
		w.raw(`<p class="field field-`, name, `"><label for="`, id, `">`)
		w.text(label)
		if required {
			w.raw(` <span class="required" aria-hidden="true">*</span>`)
		}
		w.raw(`</label> <input id="`, id, `" name="`, id, `" type="`, typ, `" value="`)
		w.text(value)
		w.raw(`" maxlength="`, strconv.Itoa(maxLen), `" autocomplete="`, autocomplete, `"`)
		if required {
			w.raw(` required`)
		}
		if msg != "" {
			w.raw(` aria-invalid="true" aria-describedby="`, id, `-error"`)
		}
		w.raw(`>`)
		if msg != "" {
			w.raw(`<span class="field-error" id="`, id, `-error">`)
			w.text(msg)
			w.raw(`</span>`)
		}
		w.raw("</p>\n")
	}
	// The text first, as WordPress does: it is what the reader came for.
	msg := f.Errors["text"]
	w.raw(`<p class="field field-text"><label for="comment">`)
	w.text(p.T("comments.form.text"))
	w.raw(` <span class="required" aria-hidden="true">*</span></label>`, "\n", `<textarea id="comment" name="comment" rows="8" required`)
	if msg != "" {
		w.raw(` aria-invalid="true" aria-describedby="comment-error"`)
	}
	w.raw(`>`)
	w.text(f.Text)
	w.raw(`</textarea>`)
	if msg != "" {
		w.raw(`<span class="field-error" id="comment-error">`)
		w.text(msg)
		w.raw(`</span>`)
	}
	w.raw(`<span class="field-help">`)
	w.text(p.T("comments.form.text_help"))
	w.raw("</span></p>\n")
	field("name", "author", p.T("comments.form.name"), f.Name, "text", "name", true, comments.MaxNameLen)
	field("email", "email", p.T("comments.form.email"), f.Email, "email", "email", true, comments.MaxEmailLen)
	field("url", "url", p.T("comments.form.url"), f.URL, "url", "url", false, comments.MaxURLLen)

	check := func(name, id, label string, checked bool) {
		msg := f.Errors[name]
		w.raw(`<p class="field field-check"><input id="`, id, `" name="`, id, `" type="checkbox" value="1"`)
		if checked {
			w.raw(` checked`)
		}
		if msg != "" {
			w.raw(` aria-invalid="true" aria-describedby="`, id, `-error"`)
		}
		w.raw(`> <label for="`, id, `">`)
		w.text(label)
		w.raw(`</label>`)
		if msg != "" {
			w.raw(`<span class="field-error" id="`, id, `-error">`)
			w.text(msg)
			w.raw(`</span>`)
		}
		w.raw("</p>\n")
	}
	check("consent", "consent", p.T("comments.form.consent"), f.Consent)
	check("notify", "notify", p.T("comments.form.notify"), f.Notify)

	// The trap: hidden from people (and from screen readers), named so
	// that no browser autofills it; a bot that fills every field gives
	// itself away.
	w.raw(`<p class="hp" aria-hidden="true"><label for="kq-hp">`)
	w.text(p.T("comments.form.honeypot"))
	w.raw(`</label> <input id="kq-hp" name="kq_hp" type="text" value="" tabindex="-1" autocomplete="off"></p>`, "\n")
	w.raw(`<input type="hidden" name="stamp" value="`)
	w.text(h.Comments.KeepStamp(articleID, f.Stamp))
	w.raw(`">`, "\n")
	if f.ParentID != 0 {
		w.raw(`<input type="hidden" name="comment_parent" value="`, strconv.FormatInt(f.ParentID, 10), `">`, "\n")
	}
	w.raw(`<p class="form-submit"><button type="submit">`)
	w.text(p.T("comments.form.submit"))
	w.raw("</button></p>\n</form>\n</div>\n")
	w.raw(`<script src="`, h.commentsJS, `" defer></script>`, "\n")
}
