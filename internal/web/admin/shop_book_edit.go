package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// priceForm is one row of a book's prices as typed.
type priceForm struct{ Amount, From, Until string }

// bookForm is what the book form posts, kept as typed to show it again.
type bookForm struct {
	Title, Subtitle, Series string
	// Authors holds one author per line.
	Authors                      string
	Publisher, ISBN              string
	Format, Condition            string
	ConditionNote                string
	PublishedOn, Pages, Language string
	Weight                       string
	Prices                       []priceForm
	VATRate                      string
	Stock, ReorderAt             string
	TrackStock                   bool
	// UpdatedAt is the version of the book the form was made from.
	UpdatedAt string
}

// blankPriceRows is how many empty rows the form offers for new prices.
const blankPriceRows = 2

// decimalMark is the decimal separator of amounts typed in the site's
// language.
func (h *Handler) decimalMark() string {
	if h.Settings.Get().Lang() == locale.French {
		return ","
	}
	return "."
}

// bookFormOf fills the form from a stored book.
func (h *Handler) bookFormOf(b *shop.Book) bookForm {
	loc := h.Settings.Get().Location()
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(formDayLayout)
	}
	var authors []string
	for _, c := range b.Contributors {
		if c.Role == "A01" {
			authors = append(authors, c.Name)
		}
	}
	f := bookForm{Title: b.Title, Subtitle: b.Subtitle, Series: b.Series, Authors: strings.Join(authors, "\n"),
		Publisher: b.Publisher, ISBN: b.ISBN, Format: string(b.Format), Condition: string(b.Condition),
		ConditionNote: b.ConditionNote, Language: b.Language, TrackStock: b.TrackStock,
		Stock: strconv.Itoa(b.Stock), ReorderAt: strconv.Itoa(b.ReorderAt), UpdatedAt: b.UpdatedAt.Format(time.RFC3339Nano)}
	if !b.PublishedOn.IsZero() {
		f.PublishedOn = b.PublishedOn.UTC().Format(formDayLayout)
	}
	if b.Pages > 0 {
		f.Pages = strconv.Itoa(b.Pages)
	}
	if b.WeightGrams > 0 {
		f.Weight = strconv.Itoa(b.WeightGrams)
	}
	if b.VATRate > 0 {
		f.VATRate = strconv.Itoa(b.VATRate)
	}
	for _, p := range b.Prices {
		f.Prices = append(f.Prices, priceForm{Amount: centsText(p.Cents, h.decimalMark()), From: day(p.From), Until: day(p.Until)})
	}
	return f
}

// parseBookForm reads the posted book form.
func parseBookForm(w http.ResponseWriter, r *http.Request) (bookForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return bookForm{}, errBadForm(err)
	}
	v := r.PostFormValue
	f := bookForm{Title: v("title"), Subtitle: v("subtitle"), Series: v("series"),
		Authors: strings.ReplaceAll(v("authors"), "\r\n", "\n"), Publisher: v("publisher"), ISBN: v("isbn"), Format: v("format"),
		Condition: v("condition"), ConditionNote: strings.ReplaceAll(v("condition_note"), "\r\n", "\n"),
		PublishedOn: v("published_on"), Pages: v("pages"), Language: v("language"), Weight: v("weight"), VATRate: v("vat_rate"),
		Stock: v("stock"), ReorderAt: v("reorder_at"), TrackStock: v("track_stock") != "", UpdatedAt: v("updated_at")}
	amounts, froms, untils := r.PostForm["price"], r.PostForm["price_from"], r.PostForm["price_until"]
	for i, a := range amounts {
		p := priceForm{Amount: a}
		if i < len(froms) {
			p.From = froms[i]
		}
		if i < len(untils) {
			p.Until = untils[i]
		}
		if strings.TrimSpace(p.Amount+p.From+p.Until) != "" {
			f.Prices = append(f.Prices, p)
		}
	}
	return f, nil
}

// apply copies the form onto b (a copy of the stored book, or a new
// one), and returns the problems of what does not parse, field by field.
// The contributors other than authors, the subjects, description and
// cover of an imported book are kept.
func (f bookForm) apply(b *shop.Book, loc *time.Location) formErrors {
	errs := formErrors{}
	num := func(field, s string) int {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs[field] = "error.shop.not_a_number"
			return 0
		}
		return n
	}
	b.Title, b.Subtitle, b.Series, b.Publisher, b.ISBN = f.Title, f.Subtitle, f.Series, f.Publisher, f.ISBN
	b.Format, b.Condition, b.ConditionNote = shop.Format(f.Format), shop.Condition(f.Condition), f.ConditionNote
	b.Language = f.Language
	b.Pages, b.WeightGrams, b.VATRate = num("pages", f.Pages), num("weight", f.Weight), num("vat_rate", f.VATRate)
	b.ReorderAt, b.TrackStock = num("reorder_at", f.ReorderAt), f.TrackStock
	b.PublishedOn = time.Time{}
	if strings.TrimSpace(f.PublishedOn) != "" {
		if d := parseFormDay(f.PublishedOn, time.UTC); !d.IsZero() {
			b.PublishedOn = d
		} else {
			errs["published_on"] = "error.shop.not_a_date"
		}
	}
	// Authors keep their sort name when they stay; other contributors
	// (translators, illustrators) are kept as they are.
	var others []shop.Contributor
	authors := map[string]shop.Contributor{}
	for _, c := range b.Contributors {
		if c.Role != "A01" {
			others = append(others, c)
		} else {
			authors[c.Name] = c
		}
	}
	b.Contributors = nil
	for _, name := range strings.Split(f.Authors, "\n") {
		if name = strings.TrimSpace(name); name != "" {
			c, ok := authors[name]
			if !ok {
				c = shop.Contributor{Role: "A01", Name: name}
			}
			b.Contributors = append(b.Contributors, c)
		}
	}
	b.Contributors = append(b.Contributors, others...)
	b.Prices = nil
	for _, p := range f.Prices {
		cents, ok := parseCents(p.Amount)
		if !ok {
			errs["prices"] = "error.shop.amount_invalid"
			continue
		}
		pr := shop.Price{Cents: cents}
		for _, d := range []struct {
			s  string
			to *time.Time
		}{{p.From, &pr.From}, {p.Until, &pr.Until}} {
			if strings.TrimSpace(d.s) == "" {
				continue
			}
			if *d.to = parseFormDay(d.s, loc); d.to.IsZero() {
				errs["prices"] = "error.shop.not_a_date"
			}
		}
		b.Prices = append(b.Prices, pr)
	}
	return errs
}

// bookChoice is one option of a select.
type bookChoice struct{ Value, Label string }

type shopBookPage struct {
	basePage
	Book   *shop.Book
	Form   bookForm
	Errors formErrors
	// Formats, Conditions and VATRates are the selects' options.
	Formats    []shop.Format
	Conditions []shop.Condition
	VATRates   []bookChoice
	// Moves are the latest stock moves; Low says the book is to reorder.
	Moves []stockMoveRow
	Low   bool
	// Stock is the form of a stock adjustment, StockErrors its messages.
	Stock       stockForm
	StockErrors formErrors
	// Current is the stored version when the edit came too late.
	Current *shop.Book
	// Price is the price in effect now, written out.
	Price string
}

// stockMoveRow is a stock move as the book's page lists it.
type stockMoveRow struct {
	At           time.Time
	Delta, After int
	Reason       string
}

// stockForm is the stock adjustment as typed.
type stockForm struct{ Delta, Reason string }

// showNewShopBook shows the form of a book entered by hand: a second-hand
// copy by default (used, one in stock), or a copy of the book ?from=ID
// (its title, authors and publisher, to add a used copy of a catalogue
// title).
func (h *Handler) showNewShopBook(w http.ResponseWriter, r *http.Request, s *session) {
	f := bookForm{Format: string(shop.FormatPrint), Condition: string(shop.ConditionUsed), Stock: "1", ReorderAt: "0",
		TrackStock: true}
	if id, err := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64); err == nil && id > 0 {
		b, err := h.Shop.BookByID(r.Context(), id)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		f.Title, f.Subtitle, f.Series, f.Authors = b.Title, b.Subtitle, b.Series, strings.Join(b.Authors(), "\n")
		f.Publisher, f.ISBN, f.Language = b.Publisher, b.ISBN, b.Language
		if !b.PublishedOn.IsZero() {
			f.PublishedOn = b.PublishedOn.UTC().Format(formDayLayout)
		}
		if b.Pages > 0 {
			f.Pages = strconv.Itoa(b.Pages)
		}
	}
	h.renderShopBook(w, r, s, http.StatusOK, nil, f, nil)
}

// createShopBook adds the book of the form and opens its page; a refused
// form comes back with each message next to its field.
func (h *Handler) createShopBook(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseBookForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	b := &shop.Book{Status: shop.StatusActive}
	typed := f.apply(b, h.Settings.Get().Location())
	b.Stock = number(f.Stock)
	if strings.TrimSpace(f.Stock) == "" {
		b.Stock = 0
	}
	if len(typed) > 0 {
		h.renderShopBook(w, r, s, http.StatusUnprocessableEntity, nil, f, h.translate(typed))
		return
	}
	if err := h.Shop.CreateBook(r.Context(), b); err != nil {
		h.refuseShopBook(w, r, s, nil, f, err)
		return
	}
	redirect(w, r, "/admin/shop/books/"+strconv.FormatInt(b.ID, 10)+"/", "created")
}

// showShopBook shows a book's form with its stock moves.
func (h *Handler) showShopBook(w http.ResponseWriter, r *http.Request, s *session) {
	b, err := h.Shop.BookByID(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.renderShopBook(w, r, s, http.StatusOK, b, h.bookFormOf(b), nil)
}

// saveShopBook saves the edited book if nobody changed it meanwhile; a
// late edit comes back as typed, with the stored version beside it and a
// form that overwrites it if sent again.
func (h *Handler) saveShopBook(w http.ResponseWriter, r *http.Request, s *session) {
	old, err := h.Shop.BookByID(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f, err := parseBookForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	b := *old
	b.Contributors, b.Prices = append([]shop.Contributor(nil), old.Contributors...), nil
	typed := f.apply(&b, h.Settings.Get().Location())
	b.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.UpdatedAt)
	if len(typed) > 0 {
		h.renderShopBook(w, r, s, http.StatusUnprocessableEntity, old, f, h.translate(typed))
		return
	}
	if err := h.Shop.UpdateBook(r.Context(), &b); err != nil {
		h.refuseShopBook(w, r, s, old, f, err)
		return
	}
	redirect(w, r, "/admin/shop/books/"+strconv.FormatInt(b.ID, 10)+"/", "saved")
}

// refuseShopBook shows the form again with the service's messages: next
// to each field at fault, or at the top for a conflict.
func (h *Handler) refuseShopBook(w http.ResponseWriter, r *http.Request, s *session, old *shop.Book, f bookForm, err error) {
	if apperr.Is(err, apperr.Conflict) && old != nil {
		// Someone saved the book since: keep what was typed, show theirs,
		// and let a second send overwrite it knowingly.
		current, cerr := h.Shop.BookByID(r.Context(), old.ID)
		if cerr != nil {
			h.fail(w, r, s, cerr)
			return
		}
		fl, status, _ := h.failFlash(err)
		f.UpdatedAt = current.UpdatedAt.Format(time.RFC3339Nano)
		h.renderShopBookPage(w, r, s, status, current, f, bookPageOpts{flash: fl, current: current})
		return
	}
	errs, ierr := h.shopFieldErrors(err)
	if ierr != nil {
		fl, status, ferr := h.failFlash(ierr)
		if ferr != nil {
			h.fail(w, r, s, ferr)
			return
		}
		h.renderShopBookPage(w, r, s, status, old, f, bookPageOpts{flash: fl})
		return
	}
	h.renderShopBook(w, r, s, formStatus(err), old, f, errs)
}

// translate turns catalogue keys of a form's parse errors into messages.
func (h *Handler) translate(errs formErrors) formErrors {
	p := h.printer()
	out := formErrors{}
	for field, key := range errs {
		out[field] = p.T(key)
	}
	return out
}

func (h *Handler) renderShopBook(w http.ResponseWriter, r *http.Request, s *session, status int, b *shop.Book, f bookForm, errs formErrors) {
	h.renderShopBookPage(w, r, s, status, b, f, bookPageOpts{errs: errs})
}

// bookPageOpts are what a refused post adds to the book's page: messages
// next to fields, one at the top, the other's version of a late edit,
// the stock adjustment as typed.
type bookPageOpts struct {
	errs    formErrors
	flash   *flash
	current *shop.Book
	stock   stockForm
	// stockErrs are the messages of a refused stock adjustment.
	stockErrs formErrors
}

// renderShopBookPage renders the book form: b is the stored book (nil for
// a new one).
func (h *Handler) renderShopBookPage(w http.ResponseWriter, r *http.Request, s *session, status int, b *shop.Book, f bookForm,
	o bookPageOpts) {
	p := h.printer()
	title := p.T("admin.shop.book.new")
	if b != nil {
		title = b.Title
	}
	for range blankPriceRows {
		f.Prices = append(f.Prices, priceForm{})
	}
	page := &shopBookPage{basePage: h.shopBase(r, s, title), Book: b, Form: f, Errors: o.errs, Current: o.current, Stock: o.stock,
		StockErrors: o.stockErrs,
		Formats:     []shop.Format{shop.FormatPrint, shop.FormatEbook, shop.FormatAudio, shop.FormatOther},
		Conditions:  []shop.Condition{shop.ConditionNew, shop.ConditionUsed},
		VATRates: []bookChoice{{"", p.T("admin.shop.book.vat_default")}, {"550", rateText(p, 550)}, {"210", rateText(p, 210)},
			{"1000", rateText(p, 1000)}, {"2000", rateText(p, 2000)}}}
	if o.flash != nil {
		page.Flash = o.flash
	}
	if b != nil {
		moves, err := h.Shop.StockMoves(r.Context(), b.ID, 20)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		loc := h.Settings.Get().Location()
		for _, m := range moves {
			page.Moves = append(page.Moves, stockMoveRow{At: m.At.In(loc), Delta: m.Delta, After: m.StockAfter, Reason: m.Reason})
		}
		page.Low = b.TrackStock && b.Stock <= b.ReorderAt && b.Status != shop.StatusWithdrawn
		if c, ok := b.PriceAt(h.Clock.Now()); ok {
			page.Price = p.Money(c, "EUR")
		}
	}
	h.render(w, r, status, "shop_book", page)
}
