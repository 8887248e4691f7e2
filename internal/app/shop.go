package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/invoices"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/web/site"
)

// buildShop makes the bookshop's service, on the payment provider of the
// donations (one Stripe account, one webhook).
func (a *App) buildShop(ctx context.Context, clk clock.Clock) error {
	secret, err := a.DB.Secret(ctx, "shop_links")
	if err != nil {
		return fmt.Errorf("shop: %w", err)
	}
	a.catalog = storage.NewCatalogStore(a.DB)
	a.Shop = shop.NewService(shop.Deps{
		Catalog:      a.catalog,
		Orders:       storage.NewOrderStore(a.DB),
		Payments:     a.Donations.Payments,
		ProviderName: "stripe",
		Signer:       shop.NewSigner(secret),
		Policy: func() shop.Policy {
			st := a.Settings.Get()
			return st.Shop.Policy()
		},
		Messages: a.Catalog,
		Mails:    shopMails{a: a},
		Render:   a.renderInvoice,
		Audit:    storage.NewAuditStore(a.DB),
		Clock:    clk,
		Log:      a.Log.With("component", "shop"),
	})
	return nil
}

// invoiceDocument is the document of order o: invoice or credit note inv,
// or a packing slip, dated now, when inv is nil. Dates are in the site's
// zone.
func (a *App) invoiceDocument(o *shop.Order, inv *shop.Invoice) *invoices.Document {
	st := a.Settings.Get()
	loc := st.Location()
	seller := invoices.SellerOf(st, a.Config.PublicBaseURL())
	var d *invoices.Document
	if inv == nil {
		d = &invoices.Document{Kind: shop.KindInvoice, IssuedAt: a.Shop.Clock.Now(), Seller: seller, Order: o, Catalog: a.Catalog}
	} else {
		d = invoices.ForInvoice(o, inv, seller, a.Catalog)
		if inv.Kind == shop.KindCredit {
			d.CorrectsDate = o.PaidAt
		}
	}
	d.Exemption, d.DeliveredAt = o.VATExemption, o.DeliveredAt
	d.IssuedAt, d.Payment.PaidAt, d.CorrectsDate = inLoc(d.IssuedAt, loc), inLoc(d.Payment.PaidAt, loc), inLoc(d.CorrectsDate, loc)
	d.DeliveredAt = inLoc(d.DeliveredAt, loc)
	return d
}

// inLoc returns t in loc, and the zero time as it is.
func inLoc(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// renderInvoice draws an invoice or a credit note (shop.InvoiceRenderer).
func (a *App) renderInvoice(o *shop.Order, inv *shop.Invoice) ([]byte, error) {
	return invoices.Render(a.invoiceDocument(o, inv))
}

// RenderPackingSlip draws the packing slip of order o.
func (a *App) RenderPackingSlip(o *shop.Order) ([]byte, error) {
	return invoices.RenderPackingSlip(a.invoiceDocument(o, nil))
}

// shopMails writes the customers' emails in their order's language.
type shopMails struct{ a *App }

var _ shop.Mails = shopMails{}

// lang returns the language of o, else the site's.
func (m shopMails) lang(o *shop.Order) locale.Lang {
	if lang, err := locale.ParseLang(o.Lang); err == nil {
		return lang
	}
	return m.a.Settings.Get().Lang()
}

// mail writes an email about o in its language: the message of textKey
// (with the customer's name then args), the order's summary and its link.
func (m shopMails) mail(o *shop.Order, subjectKey, textKey string, args ...any) job.Email {
	st := m.a.Settings.Get()
	lang := m.lang(o)
	p := m.a.Catalog.Printer(lang)
	link := m.a.Config.PublicBaseURL() + site.ShopOrderPath(lang) + "?" + m.a.Shop.OrderQuery(o)
	text := p.T(textKey, append([]any{o.ShipTo.Name}, args...)...) + "\n\n" + orderSummary(p, o) + "\n\n" +
		p.T("mail.shop.link", link) + "\n\n" + p.T("mail.shop.signature", st.Title)
	return job.Email{To: []string{o.Email}, Subject: p.T(subjectKey, o.Reference[4:12], st.Title), Text: text}
}

// orderSummary lists o's lines and totals as plain text, « occasion »
// next to a used copy.
func orderSummary(p *locale.Printer, o *shop.Order) string {
	var b strings.Builder
	for _, l := range o.Lines {
		title := l.Title
		if l.Condition == shop.ConditionUsed {
			title += " (" + p.T("shop.used") + ")"
		}
		b.WriteString("- " + p.T("mail.shop.line", l.Quantity, title, p.Money(l.TotalCents(), "EUR")) + "\n")
	}
	b.WriteString(p.T("mail.shop.delivery_line", p.Money(o.ShippingCents, "EUR")) + "\n")
	b.WriteString(p.T("mail.shop.total_line", p.Money(o.TotalCents, "EUR")))
	return b.String()
}

func invoiceAttachment(inv *shop.Invoice) job.Attachment {
	return job.Attachment{Name: inv.Number + ".pdf", ContentType: "application/pdf", Data: inv.PDF}
}

// OrderPaid implements shop.Mails.
func (m shopMails) OrderPaid(o *shop.Order, inv *shop.Invoice) job.Email {
	mail := m.mail(o, "mail.shop.paid.subject", "mail.shop.paid.text")
	if inv != nil && len(inv.PDF) > 0 {
		mail.Attachments = []job.Attachment{invoiceAttachment(inv)}
	}
	return mail
}

// OrderShipped implements shop.Mails.
func (m shopMails) OrderShipped(o *shop.Order) job.Email {
	mail := m.mail(o, "mail.shop.shipped.subject", "mail.shop.shipped.text", o.CarrierName, o.Tracking)
	return mail
}

// OrderDelivered implements shop.Mails.
func (m shopMails) OrderDelivered(o *shop.Order) job.Email {
	mail := m.mail(o, "mail.shop.delivered.subject", "mail.shop.delivered.text")
	return mail
}

// OrderCancelled implements shop.Mails.
func (m shopMails) OrderCancelled(o *shop.Order) job.Email {
	mail := m.mail(o, "mail.shop.cancelled.subject", "mail.shop.cancelled.text")
	return mail
}

// OrderRefunded implements shop.Mails.
func (m shopMails) OrderRefunded(o *shop.Order, cents int64, credit *shop.Invoice) job.Email {
	p := m.a.Catalog.Printer(m.lang(o))
	mail := m.mail(o, "mail.shop.refunded.subject", "mail.shop.refunded.text", p.Money(cents, "EUR"))
	if credit != nil && len(credit.PDF) > 0 {
		mail.Attachments = []job.Attachment{invoiceAttachment(credit)}
	}
	return mail
}
