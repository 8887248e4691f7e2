package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// presets are the amounts offered on the donation page, in euros.
var presets = []int64{10, 25, 50, 100}

// defaultPreset is the amount ticked on a fresh page.
const defaultPreset = 25

// donateView is the donation page's form.
type donateView struct {
	Online      bool
	Action      string
	Frequency   donations.Frequency
	Presets     []presetView
	Other       bool
	OtherAmount string
	Fields      []fieldView
	Anonymous   bool
	Errors      map[string]string
	Message     string
	// TaxNote says what the tax reduction means, when the association
	// issues receipts.
	TaxNote string
}

type presetView struct {
	Value   string
	Label   string
	Checked bool
}

type fieldView struct {
	Name, Label, Type, Value, Autocomplete, Error string
	Max                                           int
	Required                                      bool
}

// donateForm is the donation form as posted.
type donateForm struct {
	Frequency                                              donations.Frequency
	Amount, OtherAmount                                    string
	Email, FirstNames, LastName, Address, PostalCode, City string
	Anonymous                                              bool
}

// showDonate renders /soutenir/ (or /support/): the appeal, the campaign
// and the form. It is cached like any page: the form holds nothing
// personal.
func (h *Handler) showDonate(r *http.Request, c *reqCtx) (*page, error) {
	return h.donatePage(r, c, donateForm{Frequency: donations.OneOff, Amount: strconv.FormatInt(defaultPreset, 10)}, nil, "")
}

// donatePage renders the donation page with form f; errs and message
// come from a refused post, which is never cached.
func (h *Handler) donatePage(r *http.Request, c *reqCtx, f donateForm, errs map[string]string, message string) (*page, error) {
	path := SupportPath(c.l.Lang)
	v := h.newPage(r, c, c.p.T("donations.page.title"), c.p.T("donations.page.intro"), path)
	v.Section = "support"
	d := &donateView{Online: h.Donations != nil && h.Donations.Online(), Action: path, Frequency: f.Frequency,
		Anonymous: f.Anonymous, Errors: errs, Message: message, OtherAmount: f.OtherAmount}
	if !d.Online && message == "" {
		d.Message = c.p.T("error.donation.not_configured")
	}
	if h.Settings.Get().ReceiptsReady() {
		const example = 5000
		d.TaxNote = c.p.T("donations.page.tax_note", donations.TaxReductionPercent, c.p.MoneyShort(example, "EUR"),
			c.p.MoneyShort(donations.CostAfterTax(example), "EUR"))
	}
	for _, e := range presets {
		val := strconv.FormatInt(e, 10)
		d.Presets = append(d.Presets, presetView{Value: val, Label: c.p.MoneyShort(e*100, "EUR"), Checked: f.Amount == val})
	}
	d.Other = f.Amount == "other"
	field := func(name, label, typ, value, auto string, max int, required bool) {
		d.Fields = append(d.Fields, fieldView{Name: name, Label: c.p.T(label), Type: typ, Value: value, Autocomplete: auto,
			Max: max, Required: required, Error: errs[name]})
	}
	field("email", "donations.form.email", "email", f.Email, "email", 254, true)
	field("first_names", "donations.form.first_names", "text", f.FirstNames, "given-name", 100, true)
	field("last_name", "donations.form.last_name", "text", f.LastName, "family-name", 100, true)
	field("address", "donations.form.address", "text", f.Address, "street-address", 300, false)
	field("postal_code", "donations.form.postal_code", "text", f.PostalCode, "postal-code", 20, false)
	field("city", "donations.form.city", "text", f.City, "address-level2", 100, false)
	// The page is the appeal's destination: the campaign, not the
	// appeal's text and button again.
	var cw htmlWriter
	h.campaignHTML(r.Context(), &cw, c)
	v.AppealHTML = cw.html()
	v.Donate = d
	p, err := h.htmlPage(c, "donate", v, c.site.UpdatedAt, pagecache.TagCampaign)
	if err != nil {
		return nil, err
	}
	if errs != nil || message != "" {
		p.Tags, p.CacheControl = nil, web.CacheNoStore
	}
	return p, nil
}

// postDonate starts a gift: it checks the form, records the gift as
// pending and sends the donor to the payment page (303). A form to fix
// comes back with what was typed (422); a payment service that does not
// answer gets a polite page to try again (503), with nothing recorded.
func (h *Handler) postDonate(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if !h.parseForm(w, r, c, 64<<10, "error.donation.too_big", "error.donation.bad_request") {
		return
	}
	f := donateForm{Frequency: donations.Frequency(r.PostFormValue("frequency")), Amount: r.PostFormValue("amount"),
		OtherAmount: strings.TrimSpace(r.PostFormValue("amount_other")), Email: r.PostFormValue("email"),
		FirstNames: r.PostFormValue("first_names"), LastName: r.PostFormValue("last_name"), Address: r.PostFormValue("address"),
		PostalCode: r.PostFormValue("postal_code"), City: r.PostFormValue("city"), Anonymous: r.PostFormValue("anonymous") != ""}
	// The amount is the ticked preset, or the one typed: never a
	// hidden field's, and checked again by the service.
	raw := f.Amount
	if raw == "other" || raw == "" {
		raw = f.OtherAmount
	}
	cents, amountErr := donations.ParseAmount(raw)
	base := h.BaseURL + SupportPath(c.l.Lang)
	thanks := base + "merci/"
	if c.l.Lang == locale.English {
		thanks = base + "thanks/"
	}
	var err error
	if amountErr == nil {
		s, startErr := h.Donations.Start(r.Context(), donations.Gift{AmountCents: cents, Frequency: f.Frequency, Email: f.Email,
			FirstNames: f.FirstNames, LastName: f.LastName, Address: f.Address, PostalCode: f.PostalCode, City: f.City,
			Anonymous: f.Anonymous, Locale: string(c.l.Lang), SuccessURL: thanks, CancelURL: base,
			Description: c.p.T("donations.description", c.site.Title)})
		if startErr == nil {
			http.Redirect(w, r, s.URL, http.StatusSeeOther) //nolint:gosec // G710: the payment provider's checkout page
			return
		}
		err = startErr
	} else {
		err = amountErr
	}
	status := http.StatusUnprocessableEntity
	var errs map[string]string
	msg := ""
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		errs = fieldMessages(c, err)
		if _, bad := errs["amount"]; bad && f.Amount != "other" && f.OtherAmount == "" {
			f.Amount = "other"
		}
		msg = c.p.T("donations.form.fix")
	case apperr.Unavailable:
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "120")
		msg = message(c, err)
	default:
		h.serveError(w, r, c, err)
		return
	}
	p, perr := h.donatePage(r, c, f, errs, msg)
	if perr != nil {
		h.serveError(w, r, c, errors.Join(err, perr))
		return
	}
	serveRefused(w, r, p, status)
}

// showDonateThanks is where the payment page sends the donor back. It
// says nothing is final yet: only the provider's signed event makes a
// gift paid, and the thank-you email follows it.
func (h *Handler) showDonateThanks(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	data := h.newPage(r, c, c.p.T("donations.thanks.title"), "", "")
	data.Heading, data.NoIndex = c.p.T("donations.thanks.title"), true
	data.Message = c.p.T("donations.thanks.text")
	h.writeNotice(w, r, c, http.StatusOK, data)
}

// showStopMonthly asks a donor to confirm stopping their monthly gift:
// the signed link in every monthly thank-you email leads here, and only
// the button (POST) stops it, so a mail scanner following links stops
// nothing.
func (h *Handler) showStopMonthly(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	id, _ := strconv.ParseInt(r.URL.Query().Get("g"), 10, 64)
	sub, err := h.Donations.MonthlyGift(r.Context(), id, r.URL.Query().Get("t"))
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	data := h.newPage(r, c, c.p.T("donations.stop.title"), "", "")
	data.Heading, data.NoIndex = c.p.T("donations.stop.title"), true
	if sub.Status == donations.SubscriptionCancelled {
		data.Heading, data.Message = c.p.T("donations.stop.done_title"), c.p.T("donations.stop.done")
	} else {
		data.Message = c.p.T("donations.stop.confirm", c.p.Money(sub.AmountCents, sub.Currency))
		data.Action = &noticeAction{URL: r.URL.RequestURI(), Label: c.p.T("donations.stop.button")}
	}
	h.writeNotice(w, r, c, http.StatusOK, data)
}

// stopMonthly stops the monthly gift the signed link names.
func (h *Handler) stopMonthly(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	id, _ := strconv.ParseInt(r.URL.Query().Get("g"), 10, 64)
	if _, err := h.Donations.StopMonthly(r.Context(), id, r.URL.Query().Get("t")); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	data := h.newPage(r, c, c.p.T("donations.stop.done_title"), "", "")
	data.Heading, data.NoIndex = c.p.T("donations.stop.done_title"), true
	data.Message = c.p.T("donations.stop.done")
	h.writeNotice(w, r, c, http.StatusOK, data)
}
