package admin

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/kiosque/kiosque/internal/content"
)

type revisionsPage struct {
	basePage
	Article   *content.Article
	Revisions []content.Revision
}

func (h *Handler) listRevisions(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.articleID(w, r, s)
	if !ok {
		return
	}
	a, err := h.Content.EditableArticle(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	revs, err := h.Content.Revisions(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	h.render(w, r, http.StatusOK, "revisions", &revisionsPage{basePage: h.base(r, s, p.T("admin.revisions.title", a.Title), "articles"),
		Article: a, Revisions: revs})
}

type revisionPage struct {
	basePage
	Article  *content.Article
	Revision *content.Revision
	// Diffs compare the revision (removed) with the current text (added).
	TitleDiff, ExcerptDiff, BodyDiff template.HTML
	Same                             bool
}

// showRevision compares a revision with the current text, line by line
// and, inside changed lines, word by word.
func (h *Handler) showRevision(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	rev, a, err := h.Content.Revision(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &revisionPage{basePage: h.base(r, s, p.T("admin.revision.title", rev.ID), "articles"), Article: a, Revision: rev,
		TitleDiff: diffHTML(rev.Title, a.Title), ExcerptDiff: diffHTML(rev.Excerpt, a.Excerpt), BodyDiff: diffHTML(rev.Body, a.Body)}
	page.Same = rev.Title == a.Title && rev.Excerpt == a.Excerpt && rev.Body == a.Body
	h.render(w, r, http.StatusOK, "revision", page)
}

func (h *Handler) revertRevision(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	a, err := h.Content.RevertTo(r.Context(), s.actor, id, version)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/articles/"+strconv.FormatInt(a.ID, 10), "reverted")
}

// diffHTML shows how old became new: removed text in <del>, added in
// <ins>, unchanged lines as they are. The diff runs on lines first (fast
// on long articles), then on words inside the changed stretches.
func diffHTML(old, cur string) template.HTML {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(old, cur)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out strings.Builder
	for i := 0; i < len(diffs); i++ {
		d := diffs[i]
		// A deletion followed by an insertion is a changed stretch: show
		// which words changed.
		if d.Type == diffmatchpatch.DiffDelete && i+1 < len(diffs) && diffs[i+1].Type == diffmatchpatch.DiffInsert {
			words := dmp.DiffCleanupSemantic(dmp.DiffMain(d.Text, diffs[i+1].Text, false))
			out.WriteString(`<div class="changed">`)
			for _, wd := range words {
				writeDiff(&out, wd)
			}
			out.WriteString("</div>")
			i++
			continue
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			out.WriteString(`<div class="same">`)
			out.WriteString(template.HTMLEscapeString(d.Text))
			out.WriteString("</div>")
		default:
			out.WriteString(`<div class="changed">`)
			writeDiff(&out, d)
			out.WriteString("</div>")
		}
	}
	return template.HTML(out.String()) //nolint:gosec // every text escaped
}

func writeDiff(out *strings.Builder, d diffmatchpatch.Diff) {
	text := template.HTMLEscapeString(d.Text)
	switch d.Type {
	case diffmatchpatch.DiffInsert:
		out.WriteString("<ins>" + text + "</ins>")
	case diffmatchpatch.DiffDelete:
		out.WriteString("<del>" + text + "</del>")
	default:
		out.WriteString(text)
	}
}
