package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/receipts"
	"github.com/kiosque/kiosque/internal/storage"
)

// buildDonations makes the donations service; without Stripe configured
// it takes no gift online, but campaigns and offline gifts still work.
func (a *App) buildDonations(ctx context.Context, clk clock.Clock) error {
	secret, err := a.DB.Secret(ctx, "donation_links")
	if err != nil {
		return fmt.Errorf("donations: %w", err)
	}
	var provider payments.Provider
	if a.Config.StripeSecretKey != "" {
		p, err := stripe.New(stripe.Config{SecretKey: a.Config.StripeSecretKey, WebhookSecret: a.Config.StripeWebhookSecret,
			BackendURL: a.Config.StripeAPIURL})
		if err != nil {
			return fmt.Errorf("stripe: %w", err)
		}
		provider = p
	}
	a.Donations = donations.NewService(donations.Deps{
		Store:              storage.NewDonationStore(a.DB),
		Payments:           provider,
		ProviderName:       "stripe",
		Clock:              clk,
		Mails:              donationMails{a: a},
		Secret:             secret,
		Issuer:             a.receiptIssuer,
		CounterpartCeiling: func() int64 { return int64(a.Settings.Get().Receipts.CounterpartCeiling) * 100 },
		Audit:              storage.NewAuditStore(a.DB),
		Log:                a.Log.With("component", "donations"),
	})
	return nil
}

// donationMails writes the donors' emails in the site's language.
type donationMails struct{ a *App }

var _ donations.Mails = donationMails{}

// ThankYou implements donations.Mails.
func (m donationMails) ThankYou(donor *donations.Donor, d *donations.Donation, r *donations.Receipt) job.Email {
	st := m.a.Settings.Get()
	p := m.a.Catalog.Printer(st.Lang())
	amount := p.Money(d.AmountCents, "EUR")
	key := "mail.donation_thanks.text"
	if d.Frequency == donations.Monthly {
		key = "mail.donation_thanks.monthly_text"
	}
	paid := d.PaidAt.In(st.Location())
	text := p.T(key, donor.Name(), amount, p.Date(paid, locale.DateLong), st.Title)
	if d.Frequency == donations.Monthly && d.SubscriptionID != 0 {
		text += "\n\n" + p.T("mail.donation_thanks.stop", m.a.Config.PublicBaseURL()+m.a.Donations.StopPath(d.SubscriptionID))
	}
	mail := job.Email{
		To:      []string{donor.Email},
		Subject: p.T("mail.donation_thanks.subject", st.Title),
	}
	if r != nil {
		text += "\n\n" + p.T("mail.donation_thanks.receipt", r.Number) + " " + p.T("mail.receipt.link", m.receiptURL(r))
		mail.Attachments = []job.Attachment{receiptAttachment(r)}
	}
	mail.Text = text
	return mail
}

// receiptURL is the signed address where a donor downloads r again.
func (m donationMails) receiptURL(r *donations.Receipt) string {
	return m.a.Config.PublicBaseURL() + m.a.Donations.ReceiptPath(r.ID)
}

// receiptAttachment is r's PDF as an email attachment.
func receiptAttachment(r *donations.Receipt) job.Attachment {
	return job.Attachment{Name: "recu-fiscal-" + r.Number + ".pdf", ContentType: "application/pdf", Data: r.PDF}
}

// AnnualReceipt implements donations.Mails.
func (m donationMails) AnnualReceipt(donor *donations.Donor, r *donations.Receipt) job.Email {
	st := m.a.Settings.Get()
	p := m.a.Catalog.Printer(st.Lang())
	text := p.T("mail.receipt_annual.text", donor.Name(), r.Number, r.Year, p.Money(r.AmountCents, "EUR"), st.Title) +
		"\n\n" + p.T("mail.receipt.link", m.receiptURL(r))
	return job.Email{To: []string{donor.Email}, Subject: p.T("mail.receipt_annual.subject", r.Year, st.Title), Text: text,
		Attachments: []job.Attachment{receiptAttachment(r)}}
}

// ReceiptCorrected implements donations.Mails.
func (m donationMails) ReceiptCorrected(donor *donations.Donor, annulled, replacement *donations.Receipt) job.Email {
	st := m.a.Settings.Get()
	p := m.a.Catalog.Printer(st.Lang())
	mail := job.Email{To: []string{donor.Email}, Subject: p.T("mail.receipt_corrected.subject", annulled.Number, st.Title)}
	text := p.T("mail.receipt_corrected.text", donor.Name(), annulled.Number)
	if replacement != nil {
		text += " " + p.T("mail.receipt_corrected.replacement", replacement.Number, p.Money(replacement.AmountCents, "EUR")) +
			"\n\n" + p.T("mail.receipt.link", m.receiptURL(replacement))
		mail.Attachments = []job.Attachment{receiptAttachment(replacement)}
	}
	mail.Text = text + "\n\n" + p.T("mail.receipt_corrected.signature", st.Title)
	return mail
}

// receiptIssuer reads the association's identity from the settings, for
// the donations service (donations.Issuer).
func (a *App) receiptIssuer() (receipts.Organization, bool, *time.Location) {
	st := a.Settings.Get()
	as := st.Association
	org := receipts.Organization{Name: as.Name, Address: strings.Split(as.Address, "\n"), PostalCode: as.PostalCode, City: as.City,
		Object: as.Object, RNA: as.RNA, SIREN: as.SIREN, Type: receipts.OrgType(as.Type),
		Signatory: receipts.Signatory{Name: as.SignatoryName, Title: as.SignatoryTitle}, CGIArticle: receipts.CGIArticle(as.CGIArticle)}
	return org, st.ReceiptsReady(), st.Location()
}
