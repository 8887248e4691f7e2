package site

import (
	"fmt"
	"net/http"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// showArchives renders the archives: months by year, categories, tags and authors.
func (h *Handler) showArchives(r *http.Request, c *reqCtx) (*page, error) {
	ctx := r.Context()
	months, err := h.Content.ArchiveMonths(ctx, c.loc)
	if err != nil {
		return nil, err
	}
	cats, err := h.Content.Categories(ctx)
	if err != nil {
		return nil, err
	}
	tags, err := h.Content.Tags(ctx)
	if err != nil {
		return nil, err
	}
	authors, err := h.Content.Authors(ctx)
	if err != nil {
		return nil, err
	}
	title := c.p.T("nav.archives")
	v := h.newPage(r, c, title, title, "/archives/")
	v.Tags, v.Authors = tags, authors
	v.Section = "archives"
	for _, cat := range cats {
		if cat.Count > 0 {
			v.Categories = append(v.Categories, cat)
		}
	}
	for _, m := range months {
		if n := len(v.Years); n == 0 || v.Years[n-1].Year != m.Year {
			v.Years = append(v.Years, yearArchive{Year: m.Year})
		}
		y := &v.Years[len(v.Years)-1]
		y.Months = append(y.Months, monthLink{
			URL:   fmt.Sprintf("/%04d/%02d/", m.Year, int(m.Month)),
			Name:  locale.Capitalize(c.p.MonthName(m.Month)),
			Count: c.p.Number(int64(m.Count)),
		})
	}
	return h.htmlPage(c, "archives", v, h.Settings.Get().UpdatedAt, pagecache.TagLists)
}
