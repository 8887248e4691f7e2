package site

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
)

// maxCommentPost bounds the body of a comment post: the longest allowed
// text with every field, form-encoded, fits many times over.
const maxCommentPost = 256 << 10

// postComment receives the comment form of an article. A comment stored
// (published, held or in spam) redirects to the article at the comment
// (303, so reloading does not post again). A refused one shows the article
// again with the form as typed and what to fix, never losing the text.
func (h *Handler) postComment(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	ctx := r.Context()
	if !h.parseForm(w, r, c, maxCommentPost, "error.comment.too_big", "error.comment.bad_request") {
		return
	}
	a, err := h.Content.PublicArticle(ctx, r.PathValue("slug"))
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	form := &commentForm{
		Name: r.PostFormValue("author"), Email: r.PostFormValue("email"), URL: r.PostFormValue("url"),
		Text: r.PostFormValue("comment"), Consent: r.PostFormValue("consent") != "", Notify: r.PostFormValue("notify") != "",
		Stamp: r.PostFormValue("stamp"),
	}
	if p := r.PostFormValue("comment_parent"); p != "" {
		if form.ParentID, err = strconv.ParseInt(p, 10, 64); err != nil || form.ParentID < 0 {
			form.ParentID = -1 // refused by the service as a bad parent
		}
	}
	ip, port := h.clientAddr(r)
	in := comments.NewComment{ArticleID: a.ID, ParentID: form.ParentID, Name: form.Name, Email: form.Email, URL: form.URL,
		Text: form.Text, Consent: form.Consent, NotifyReplies: form.Notify,
		Honeypot: r.PostFormValue("kq_hp"), Stamp: form.Stamp,
		IP: ip, Port: port, UserAgent: r.UserAgent(), Referrer: r.Referer()}
	cm, err := h.Comments.Post(ctx, in)
	if err != nil {
		h.refuseComment(w, r, c, a, form, err)
		return
	}
	own := ""
	if ck, err := r.Cookie(ownCookie); err == nil {
		own = ck.Value
	}
	http.SetCookie(w, &http.Cookie{ //nolint:gosec // G124: Secure is set for every HTTPS site (h.Secure follows the base URL)
		Name: ownCookie, Value: h.Comments.AddOwn(own, cm.ID), Path: "/",
		MaxAge: int(comments.OwnLifetime.Seconds()), HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	to := web.ArticlePath(a, c.loc)
	anchor := "#comment-" + strconv.FormatInt(cm.ID, 10)
	if cm.Status == comments.StatusApproved {
		to += anchor
	} else {
		// A query of its own: the cached page cannot show a comment
		// only its author may see, this address is never cached.
		to += "?moderation=" + strconv.FormatInt(cm.ID, 10) + anchor
	}
	http.Redirect(w, r, to, http.StatusSeeOther) //nolint:gosec // G710: the article's own path, built by web.ArticlePath
}

// parseForm reads a posted form of at most limit bytes; when it cannot,
// it answers with the page saying so (tooBig or bad, catalogue keys) and
// returns false.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request, c *reqCtx, limit int64, tooBig, bad string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	err := r.ParseForm()
	if err == nil {
		return true
	}
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		h.writeErrorPage(w, r, c, http.StatusRequestEntityTooLarge, c.p.T("error.bad_request.title"), c.p.T(tooBig))
		return false
	}
	h.serveError(w, r, c, apperr.Wrap(err, apperr.Invalid, bad))
	return false
}

// refuseComment shows the article again with the form as typed and the
// reasons of the refusal: 422 for fields to fix, 429 after too many
// posts, 403 when comments are closed, 404 when the article went away.
func (h *Handler) refuseComment(w http.ResponseWriter, r *http.Request, c *reqCtx, a *content.Article, form *commentForm, err error) {
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		form.Errors = fieldMessages(c, err)
		if msg, ok := form.Errors[""]; ok {
			form.Message = msg
			delete(form.Errors, "")
		}
		if form.Errors["parent"] != "" {
			form.Message, form.ParentID = form.Errors["parent"], 0
			delete(form.Errors, "parent")
		}
	case apperr.Throttled:
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", "3600")
		form.Message = message(c, err)
	case apperr.Forbidden:
		status = http.StatusForbidden
		form.Message = message(c, err)
	default:
		h.serveError(w, r, c, err)
		return
	}
	p, perr := h.articlePage(r, c, a, form)
	if perr != nil {
		h.serveError(w, r, c, perr)
		return
	}
	serveRefused(w, r, p, status)
}

// fieldMessages translates each field's first error; messages about no
// field in particular go under "".
func fieldMessages(c *reqCtx, err error) map[string]string {
	list := apperr.Split(err)
	out := make(map[string]string, len(list))
	for _, e := range list {
		field := ""
		var ae *apperr.Error
		if errors.As(e, &ae) {
			field = ae.Field
		}
		if _, ok := out[field]; !ok {
			out[field] = message(c, e)
		}
	}
	return out
}

// message is err's translated message for readers.
func message(c *reqCtx, err error) string {
	key, args := apperr.Message(err)
	return c.p.T(key, args...)
}

// clientAddr returns the client's address and, when the connection comes
// from it directly, its source port (the law asks for both; behind a
// proxy the port is the proxy's and is not worth keeping).
func (h *Handler) clientAddr(r *http.Request) (string, int) {
	ip := h.Proxies.ClientIP(r)
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || !strings.EqualFold(strings.Trim(host, "[]"), ip) {
		return ip, 0
	}
	n, _ := strconv.Atoi(port)
	return ip, n
}
