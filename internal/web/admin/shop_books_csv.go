package admin

import (
	"bufio"
	"io"
	"net/http"
)

// exportShopBooks sends the whole catalogue as the CSV file the import
// reads back (shop.WriteCSV: UTF-8 with a byte order mark, ';', decimal
// commas, formulas made inert). A failure before the first 64 KiB went out
// still gets an error page rather than half a file.
func (h *Handler) exportShopBooks(w http.ResponseWriter, r *http.Request, s *session) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	name := "catalogue-" + h.Clock.Now().In(h.Settings.Get().Location()).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	sent := &countingWriter{w: w}
	buf := bufio.NewWriterSize(sent, 64<<10)
	err := h.Shop.ExportBooks(r.Context(), buf)
	if err != nil && sent.n == 0 {
		w.Header().Del("Content-Disposition")
		h.fail(w, r, s, err)
		return
	}
	if err != nil {
		// Half a file is gone already: the log says why it stops short.
		h.Log.Error("export catalogue", "error", err)
	}
	_ = buf.Flush()
}

// countingWriter counts the bytes that went through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
