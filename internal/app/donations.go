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
		Store:        storage.NewDonationStore(a.DB),
		Payments:     provider,
		ProviderName: "stripe",
		Clock:        clk,
		Mails:        donationMails{a: a},
		Secret:       secret,
		Issuer:       a.receiptIssuer,
		Log:          a.Log.With("component", "donations"),
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
		text += "\n\n" + p.T("mail.donation_thanks.receipt", r.Number)
		mail.Attachments = []job.Attachment{{Name: "recu-fiscal-" + r.Number + ".pdf", ContentType: "application/pdf", Data: r.PDF}}
	}
	mail.Text = text
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
