package admin

import (
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/web"
)

// registerMedia adds the media library pages to mux.
func (h *Handler) registerMedia(mux router) {
	mux.HandleFunc("GET /admin/media", h.allowed(access.UploadMedia, h.listMedia))
	mux.HandleFunc("POST /admin/media", h.allowed(access.UploadMedia, h.uploadMedia))
	mux.HandleFunc("GET /admin/media/{id}", h.allowed(access.UploadMedia, h.showMedia))
	mux.HandleFunc("POST /admin/media/{id}", h.allowed(access.UploadMedia, h.describeMedia))
	mux.HandleFunc("POST /admin/media/{id}/delete", h.allowed(access.UploadMedia, h.deleteMedia))
}

type mediaListPage struct {
	basePage
	Items      []*media.Item
	Total      int
	Query      string
	MissingAlt bool
	Pagination pagination
	Errors     formErrors
	Alt        string
	MaxMB      int64
}

const mediaPageSize = 48

// listMedia shows the library as a grid, newest first, with search and
// the upload form.
func (h *Handler) listMedia(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderMediaList(w, r, s, http.StatusOK, nil, "")
}

func (h *Handler) renderMediaList(w http.ResponseWriter, r *http.Request, s *session, status int, errs formErrors, alt string) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	page := &mediaListPage{basePage: h.base(r, s, h.printer().T("admin.nav.media"), "media"),
		Query: strings.TrimSpace(q.Get("q")), MissingAlt: q.Get("missing_alt") == "1", Errors: errs, Alt: alt,
		MaxMB: h.Media.Limits().MaxBytes >> 20}
	items, total, err := h.Media.List(r.Context(), media.Query{Search: page.Query, MissingAlt: page.MissingAlt,
		Page: max(n, 1), PerPage: mediaPageSize})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page.Items, page.Total = items, total
	page.Pagination = pageLinks(r, max(n, 1), (total+mediaPageSize-1)/mediaPageSize)
	h.render(w, r, status, "media", page)
}

// pageLinks builds the previous and next links of a list, keeping its
// other query parameters.
func pageLinks(r *http.Request, number, pages int) pagination {
	p := pagination{Number: number, Pages: pages}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range r.URL.Query() {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + v.Encode()
	}
	if number > 1 {
		p.PrevURL = link(number - 1)
	}
	if number < pages {
		p.NextURL = link(number + 1)
	}
	return p
}

// mediaJSON is what the editor's script gets back from an upload.
type mediaJSON struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Alt      string `json:"alt"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Markdown string `json:"markdown"`
}

// uploadMedia receives one image from the picker or a drop. The body is
// capped a little above the image limit so a huge upload is cut off early
// instead of filling a temporary file.
func (h *Handler) uploadMedia(w http.ResponseWriter, r *http.Request, s *session) {
	limit := h.Media.Limits().MaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	// Parts beyond 8 MiB go to a temporary file, removed after the request.
	err := r.ParseMultipartForm(8 << 20) //nolint:gosec // G120: the body is capped just above
	alt := r.FormValue("alt")
	var file multipart.File
	var header *multipart.FileHeader
	if err == nil {
		file, header, err = r.FormFile("file")
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = apperr.Wrap(err, apperr.Invalid, "error.media.too_large", limit>>20).InField("file")
		} else {
			err = apperr.Wrap(err, apperr.Invalid, "error.media.no_file").InField("file")
		}
		h.mediaFailed(w, r, s, err, alt)
		return
	}
	defer func() { _ = file.Close() }()
	it, err := h.Media.Upload(r.Context(), s.actor, header.Filename, file, alt, r.FormValue("caption"))
	if err != nil {
		if apperr.KindOf(err) == apperr.Invalid {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Field == "" {
				err = ae.InField("file")
			}
		}
		h.mediaFailed(w, r, s, err, alt)
		return
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(mediaJSON{ID: it.ID, URL: it.URL(), Alt: it.Alt, Width: it.Width, Height: it.Height, Markdown: it.Markdown()})
		return
	}
	redirect(w, r, "/admin/media/"+strconv.FormatInt(it.ID, 10), "uploaded")
}

func (h *Handler) mediaFailed(w http.ResponseWriter, r *http.Request, s *session, err error, alt string) {
	errs, ierr := h.errorsOf(err)
	if ierr != nil {
		h.fail(w, r, s, ierr)
		return
	}
	if wantsJSON(r) {
		web.WriteJSONError(w, jsonStatus(err), apperr.KindOf(err).String(), firstError(errs))
		return
	}
	h.renderMediaList(w, r, s, http.StatusUnprocessableEntity, errs, alt)
}

type mediaPage struct {
	basePage
	Item      *media.Item
	Usage     []media.Usage
	Errors    formErrors
	Alt       string
	Caption   string
	CanDelete bool
}

func (h *Handler) mediaItem(w http.ResponseWriter, r *http.Request, s *session) (*media.Item, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return nil, false
	}
	it, err := h.Media.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, s, err)
		return nil, false
	}
	return it, true
}

// showMedia shows one image: its sizes, where it is used, its texts and
// the snippet to insert it.
func (h *Handler) showMedia(w http.ResponseWriter, r *http.Request, s *session) {
	if it, ok := h.mediaItem(w, r, s); ok {
		h.renderMedia(w, r, s, it, http.StatusOK, nil, it.Alt, it.Caption)
	}
}

func (h *Handler) renderMedia(w http.ResponseWriter, r *http.Request, s *session, it *media.Item, status int, errs formErrors, alt, caption string) {
	usage, err := h.Media.Usage(r.Context(), it)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page := &mediaPage{basePage: h.base(r, s, it.Filename, "media"), Item: it, Usage: usage, Errors: errs,
		Alt: alt, Caption: caption,
		CanDelete: s.actor.Can(access.ManageMedia) || it.UserID == s.actor.UserID}
	h.render(w, r, status, "media_item", page)
}

// describeMedia saves the alternative text and caption.
func (h *Handler) describeMedia(w http.ResponseWriter, r *http.Request, s *session) {
	it, ok := h.mediaItem(w, r, s)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	alt, caption := r.PostFormValue("alt"), r.PostFormValue("caption")
	if err := h.Media.Describe(r.Context(), s.actor, it.ID, alt, caption); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderMedia(w, r, s, it, http.StatusUnprocessableEntity, errs, alt, caption)
		return
	}
	redirect(w, r, "/admin/media/"+strconv.FormatInt(it.ID, 10), "saved")
}

// deleteMedia removes an image and its files.
func (h *Handler) deleteMedia(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	if err := h.Media.Delete(r.Context(), s.actor, id); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/media", "deleted")
}
