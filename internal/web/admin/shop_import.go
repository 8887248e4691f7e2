package admin

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/shop"
)

// maxImportBytes bounds an uploaded catalogue: a publisher's full ONIX
// feed of a hundred thousand titles is a few hundred megabytes.
const maxImportBytes = 512 << 20

// importFormats are the catalogue formats the import page reads, by the
// value of its select.
var importFormats = map[string]func(io.Reader, time.Time) (shop.BookSource, error){
	"onix": shop.ONIXSource,
	"csv":  shop.CSVSource,
}

// importFormatNames are the formats in the order the page offers them.
var importFormatNames = []string{"onix", "csv"}

type shopImportPage struct {
	basePage
	Formats []string
	Format  string
	DryRun  bool
	// Report is the result of the file just sent, nil before.
	Report   *shop.ImportReport
	Duration string
	Error    string
}

// showShopImport shows the import form: a file, its format and the
// « simulation » box, ticked by default.
func (h *Handler) showShopImport(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderShopImport(w, r, s, http.StatusOK, &shopImportPage{Format: "onix", DryRun: true})
}

func (h *Handler) renderShopImport(w http.ResponseWriter, r *http.Request, s *session, status int, page *shopImportPage) {
	page.basePage = h.shopBase(r, s, h.printer().T("admin.shop.import.title"))
	page.Formats = importFormatNames
	h.render(w, r, status, "shop_import", page)
}

// importShopBooks reads the file sent, stores its books (or only checks
// them, for a simulation), and shows the report: counts, and the records
// left out with their reference and reason.
func (h *Handler) importShopBooks(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if err := r.ParseMultipartForm(32 << 20); err != nil { //nolint:gosec // G120: the body is bounded by MaxBytesReader above
		h.fail(w, r, s, errBadForm(err))
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	p := h.printer()
	page := &shopImportPage{Format: r.PostFormValue("format"), DryRun: r.PostFormValue("dry_run") != ""}
	open, ok := importFormats[page.Format]
	if !ok {
		page.Format, page.Error = "onix", p.T("error.shop.import_format")
		h.renderShopImport(w, r, s, http.StatusUnprocessableEntity, page)
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		page.Error = p.T("error.shop.import_no_file")
		h.renderShopImport(w, r, s, http.StatusUnprocessableEntity, page)
		return
	}
	defer func(f multipart.File) { _ = f.Close() }(file)
	src, err := open(file, h.Clock.Now())
	if err != nil {
		h.Log.Info("catalogue file refused", "format", page.Format, "error", err)
		page.Error = importRefusal(h, err)
		h.renderShopImport(w, r, s, http.StatusUnprocessableEntity, page)
		return
	}
	rep, err := h.Shop.Import(r.Context(), src, shop.ImportOptions{DryRun: page.DryRun})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.Log.Info("catalogue imported", "format", page.Format, "dry_run", page.DryRun, "read", rep.Read,
		"inserted", rep.Counts.Inserted, "updated", rep.Counts.Updated, "withdrawn", rep.Withdrawn, "skipped", rep.SkippedTotal)
	page.Report, page.Duration = rep, rep.Duration.Round(time.Millisecond).String()
	h.renderShopImport(w, r, s, http.StatusOK, page)
}

// importRefusal says why a whole file was refused, with where when the
// reader knows it.
func importRefusal(h *Handler, err error) string {
	p := h.printer()
	if errors.Is(err, onix.ErrVersion) {
		return p.T("error.shop.import_onix_version")
	}
	var fe *onix.FatalError
	if errors.As(err, &fe) {
		return p.T("error.shop.import_unreadable_at", fe.Line, fe.Column)
	}
	return p.T("error.shop.import_unreadable")
}
