package admin

import (
	"bufio"
	"encoding/csv"
	"mime"
	"net/http"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
)

// csvStream is a CSV download too long to hold in memory (every gift,
// every order), written as rows come, in the same form as sheet: a byte
// order mark, the separator and decimal mark of the site's language, and
// formulas made inert. Nothing is sent before the first row, so a query
// that fails at once still gets an error page rather than half a file.
type csvStream struct {
	w       http.ResponseWriter
	name    string
	header  []string
	comma   rune
	decimal string
	loc     *time.Location

	buf *bufio.Writer
	out *csv.Writer
}

// newCSVStream prepares the download name-YYYY-MM-DD.csv with header, in
// the site's language and time zone.
func (h *Handler) newCSVStream(w http.ResponseWriter, name string, header []string) *csvStream {
	st := h.Settings.Get()
	c := &csvStream{w: w, header: header, comma: ',', decimal: ".", loc: st.Location()}
	if st.Lang() == locale.French {
		c.comma, c.decimal = ';', ","
	}
	c.name = name + "-" + h.Clock.Now().In(c.loc).Format(time.DateOnly) + ".csv"
	return c
}

// Started reports whether the file's first bytes went out.
func (c *csvStream) Started() bool { return c.out != nil }

func (c *csvStream) start() {
	c.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	c.w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.name}))
	c.buf = bufio.NewWriter(c.w)
	_, _ = c.buf.WriteString("\ufeff")
	c.out = csv.NewWriter(c.buf)
	c.out.Comma = c.comma
	_ = c.out.Write(c.header)
}

// Row writes one line, starting the file if need be.
func (c *csvStream) Row(cells ...string) error {
	if c.out == nil {
		c.start()
	}
	return c.out.Write(spreadsheetSafe(cells))
}

// Close ends the file (a file of its header alone when no row came).
func (c *csvStream) Close() {
	if c.out == nil {
		c.start()
	}
	c.out.Flush()
	_ = c.buf.Flush()
}

// amount writes cents as a plain decimal number a spreadsheet sums.
func (c *csvStream) amount(cents int64) string { return centsText(cents, c.decimal) }

// time writes t in the site's zone to the minute, "" when zero.
func (c *csvStream) time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.loc).Format("2006-01-02 15:04")
}

// yesCell writes a checked box as yes, an unchecked one as nothing.
func yesCell(b bool, yes string) string {
	if b {
		return yes
	}
	return ""
}
