package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/receipts"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// veilleur is the association of the receipts tests.
var veilleur = receipts.Organization{Name: "Association Le Veilleur", Address: []string{"12 rue Mercière"}, PostalCode: "69002",
	City: "Lyon", Object: "Informer le public", RNA: "W691234567", Type: receipts.PressPluralism,
	Signatory: receipts.Signatory{Name: "Claire Morel", Title: "Présidente"}, CGIArticle: receipts.Article200}

// TestReceiptCorrections: an offline gift gets its receipt; a refund
// annuls the receipt of its gift, keeping the number, and issues a
// replacement for what is left, once whatever the deliveries; the donor
// downloads a receipt again from a signed link only.
func TestReceiptCorrections(t *testing.T) {
	backend := stripemock.Start(t)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		provider, err := stripe.New(stripe.Config{SecretKey: stripemock.SecretKey, WebhookSecret: donationSecret, BackendURL: backend,
			MaxNetworkRetries: stripego.Int64(0)})
		if err != nil {
			t.Fatal(err)
		}
		st := storage.NewDonationStore(e.db)
		svc := donations.NewService(donations.Deps{Store: st, Payments: provider, ProviderName: "stripe", Clock: e.clock, Mails: thanks{},
			Secret: []byte("the site's secret for links"),
			Issuer: func() (receipts.Organization, bool, *time.Location) { return veilleur, true, e.paris }})
		mails := &mailQueue{db: e.db}
		deliver := func(t *testing.T, id, typ string, obj map[string]any) {
			t.Helper()
			payload, sig := stripeEvent(t, e.clock.Now(), id, typ, obj)
			if err := svc.HandleEvent(ctx, payload, sig); err != nil {
				t.Fatal(err)
			}
		}
		admin := access.Actor{UserID: 1, Role: users.RoleAdmin}

		cheque, err := svc.RecordOffline(ctx, admin, donations.OfflineGift{AmountCents: 15000, Method: donations.MethodCheque,
			ReceivedAt: e.clock.Now().Add(-48 * time.Hour), ThankByEmail: true, Donor: donations.Donor{Email: "marc@example.org",
				FirstNames: "Marc", LastName: "Petit", Address: "3 place Bellecour", PostalCode: "69002", City: "Lyon"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := mails.next(t); strings.Join(got, "|") != "merci one_off 15000 reçu 2017-000001 → marc@example.org" {
			t.Errorf("offline gift's emails %v", got)
		}
		if _, err := svc.RecordOffline(ctx, admin, donations.OfflineGift{AmountCents: 2000, Method: donations.MethodOther,
			ReceivedAt: e.clock.Now().Add(-time.Hour), Donor: donations.Donor{Email: "marc@example.org", FirstNames: "Marc",
				LastName: "Petit", Address: "3 place Bellecour", PostalCode: "69002", City: "Lyon"}}); err != nil {
			t.Fatal(err)
		}

		gift := donations.Gift{AmountCents: 5000, Frequency: donations.OneOff, Email: "ines@example.org", FirstNames: "Inès",
			LastName: "Lambert", Address: "12 rue des Lilas", PostalCode: "69001", City: "Lyon", Description: "Don au Veilleur",
			SuccessURL: "http://127.0.0.1/soutenir/merci/", CancelURL: "http://127.0.0.1/soutenir/"}
		if _, err := svc.Start(ctx, gift); err != nil {
			t.Fatal(err)
		}
		ref := lastReference(t, e.db)
		deliver(t, "evt_paid", "checkout.session.completed", map[string]any{"id": "cs_r", "object": "checkout.session",
			"client_reference_id": ref, "payment_status": "paid", "amount_total": 5000, "currency": "eur", "payment_intent": "pi_r"})
		if got := mails.next(t); strings.Join(got, "|") != "merci one_off 5000 reçu 2017-000002 → ines@example.org" {
			t.Fatalf("online gift's emails %v", got)
		}
		first := receiptOf(t, e.db, "2017-000002")

		refund := func(id string, refunded int64) {
			deliver(t, id, "charge.refunded", map[string]any{"id": "ch_r", "object": "charge", "payment_intent": "pi_r", "amount": 5000,
				"amount_refunded": refunded, "refunded": refunded == 5000, "currency": "eur"})
		}
		e.clock.Advance(time.Hour)
		refund("evt_refund_2000", 2000)
		refund("evt_refund_2000_again", 2000) // a second event saying the same
		if got := mails.next(t); strings.Join(got, "|") != "annulé 2017-000002 remplacé 2017-000003 3000 → ines@example.org" {
			t.Errorf("after a partial refund: %v", got)
		}
		old, err := st.Receipt(ctx, first)
		if err != nil || old.Status != donations.ReceiptAnnulled || old.Number != "2017-000002" || !old.AnnulledAt.Equal(e.clock.Now()) {
			t.Errorf("the annulled receipt %+v, %v", old, err)
		}
		replacement, err := st.Receipt(ctx, receiptOf(t, e.db, "2017-000003"))
		if err != nil || replacement.Status != donations.ReceiptIssued || replacement.AmountCents != 3000 || replacement.ReplacesID != first {
			t.Errorf("the replacement %+v, %v", replacement, err)
		}
		if text := pdfText(t, replacement.PDF); !strings.Contains(text, "2017-000002") {
			t.Errorf("the replacement does not name the receipt it replaces:\n%s", text)
		}
		refund("evt_refund_all", 5000)
		if got := mails.next(t); strings.Join(got, "|") != "annulé 2017-000003 → ines@example.org" {
			t.Errorf("after the full refund: %v", got)
		}
		if r, _ := st.Receipt(ctx, replacement.ID); r.Status != donations.ReceiptAnnulled {
			t.Errorf("the replacement stays %s after a full refund", r.Status)
		}

		t.Run("Link", func(t *testing.T) {
			path := svc.ReceiptPath(cheque.ID)
			id, token := linkParts(t, svc.ReceiptPath(replacement.ID))
			r, err := svc.ReceiptByLink(ctx, id, token)
			if err != nil || r.Number != "2017-000003" || len(r.PDF) == 0 {
				t.Fatalf("by link: %+v, %v", r, err)
			}
			if _, err := svc.ReceiptByLink(ctx, id+1, token); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("another receipt with the same token: %v", err)
			}
			if _, err := svc.ReceiptByLink(ctx, id, token[:len(token)-2]+"AA"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("a forged token: %v", err)
			}
			if !strings.HasPrefix(path, "/soutenir/recu/?r=") {
				t.Errorf("path %q", path)
			}
		})
	})
}

// TestAnnualReceipts: from 5 January, each monthly donor of the past year
// gets one summary receipt of their gifts less refunds, once, whatever
// the runs; a gift credited on 2 January counts for the new year; a
// refund after the summary corrects it.
func TestAnnualReceipts(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		ready := true
		svc := donations.NewService(donations.Deps{Store: st, ProviderName: "stripe", Clock: e.clock, Mails: thanks{},
			Secret:   []byte("the site's secret for links"),
			Issuer:   func() (receipts.Organization, bool, *time.Location) { return veilleur, ready, e.paris },
			Payments: stripeFor(t)})
		mails := &mailQueue{db: e.db}
		paris := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, e.paris) }
		monthly := func(email, address string, amount int64, paid ...time.Time) {
			t.Helper()
			now := paid[0]
			donor := &donations.Donor{Email: email, FirstNames: "Paul", LastName: "Martin", Address: address, PostalCode: "69003",
				City: "Lyon", Country: "FR", CreatedAt: now, UpdatedAt: now}
			sub := &donations.Subscription{AmountCents: amount, Currency: "eur", Provider: "stripe", ProviderID: "sub_" + email,
				Status: donations.SubscriptionActive, StartedAt: now, CreatedAt: now}
			for i, at := range paid {
				d := &donations.Donation{Reference: fmt.Sprintf("%s-%d", email, i), AmountCents: amount, Currency: "eur",
					Frequency: donations.Monthly, Status: donations.StatusPaid, Method: donations.MethodCard, Provider: "stripe",
					PaymentID: fmt.Sprintf("pi_%s_%d", email, i), CreatedAt: at, PaidAt: at, UpdatedAt: at}
				s := sub
				if i > 0 {
					s = nil
					d.SubscriptionID = sub.ID
				}
				if err := st.StartGift(ctx, donor, d, s, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		var months []time.Time
		for m := time.March; m <= time.December; m++ {
			months = append(months, paris(2016, m, 28, 10))
		}
		// 31 December at 23:30 in Paris is still 2016; 2 January is 2017.
		months = append(months, paris(2016, time.December, 31, 23).Add(30*time.Minute), paris(2017, time.January, 2, 9))
		monthly("paul@example.org", "8 rue Paul Bert", 1000, months...)
		monthly("nadia@example.org", "", 500, paris(2016, time.June, 1, 9)) // no address, no receipt
		monthly("zoe@example.org", "1 quai Saint-Antoine", 2000, paris(2016, time.November, 3, 9), paris(2016, time.December, 3, 9))

		e.clock.Set(paris(2017, time.January, 4, 6))
		if n, err := svc.IssueDueAnnualReceipts(ctx); n != 0 || err != nil {
			t.Fatalf("on 4 January: %d issued, %v", n, err)
		}
		if _, err := svc.IssueAnnualReceipts(ctx, 2017); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("receipts of a year not over: %v", err)
		}
		ready = false
		e.clock.Set(paris(2017, time.January, 5, 6))
		if n, err := svc.IssueDueAnnualReceipts(ctx); n != 0 || err != nil {
			t.Fatalf("with receipts off: %d issued, %v", n, err)
		}
		ready = true
		// Two instances run the job at once: one receipt each.
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Go(func() {
				n, err := svc.IssueDueAnnualReceipts(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		if counts[0]+counts[1] != 2 {
			t.Fatalf("issued %v, want 2 in all", counts)
		}
		got := mails.next(t)
		want := []string{"annuel 2016 2016-000001 11000 → paul@example.org", "annuel 2016 2016-000002 4000 → zoe@example.org"}
		if counts[0] == 1 { // each instance took one donor: their order is free
			if strings.Join(got, "|") != strings.Join(want, "|") && strings.Join(got, "|") != want[1]+"|"+want[0] {
				t.Errorf("emails %v", got)
			}
		} else if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("emails %v, want %v", got, want)
		}
		if n, err := svc.IssueDueAnnualReceipts(ctx); n != 0 || err != nil {
			t.Errorf("a second run issued %d, %v", n, err)
		}
		paul := receiptOf(t, e.db, "2016-000001")
		if strings.Contains(fmt.Sprint(got), "zoe") && counts[0] == 1 {
			// the numbers depend on who won: find Paul's by amount
			if r, _ := st.Receipt(ctx, paul); r.AmountCents != 11000 {
				paul = receiptOf(t, e.db, "2016-000002")
			}
		}
		r, err := st.Receipt(ctx, paul)
		if err != nil || r.AmountCents != 11000 || r.DonationID != 0 {
			t.Fatalf("Paul's annual receipt %+v, %v", r, err)
		}
		text := pdfText(t, r.PDF)
		for _, want := range []string{"du 01/01/2016 au 31/12/2016", "récapitulatif", "cent dix euros"} {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
				t.Errorf("the annual receipt lacks %q:\n%s", want, text)
			}
		}

		// A month of 2016 refunded in March: the summary is corrected.
		e.clock.Set(paris(2017, time.March, 1, 10))
		payload, sig := stripeEvent(t, e.clock.Now(), "evt_refund_month", "charge.refunded", map[string]any{"id": "ch_m",
			"object": "charge", "payment_intent": "pi_paul@example.org_3", "amount": 1000, "amount_refunded": 1000, "refunded": true,
			"currency": "eur"})
		if err := svc.HandleEvent(ctx, payload, sig); err != nil {
			t.Fatal(err)
		}
		if got := mails.next(t); len(got) != 1 || !strings.HasPrefix(got[0], "annulé "+r.Number+" remplacé 2016-000003 10000") {
			t.Errorf("after a refund: %v", got)
		}
	})
}

// receiptOf returns the id of the receipt numbered number.
func receiptOf(t *testing.T, db *storage.DB, number string) int64 {
	t.Helper()
	var id int64
	q := "SELECT id FROM receipts WHERE number = ?"
	if db.Dialect() == storage.Postgres {
		if err := db.Pool().QueryRow(context.Background(), strings.Replace(q, "?", "$1", 1), number).Scan(&id); err != nil {
			t.Fatalf("receipt %s: %v", number, err)
		}
		return id
	}
	if err := db.SQLWrite().QueryRowContext(context.Background(), q, number).Scan(&id); err != nil {
		t.Fatalf("receipt %s: %v", number, err)
	}
	return id
}

// linkParts reads the receipt id and token of a receipt link.
func linkParts(t *testing.T, path string) (int64, string) {
	t.Helper()
	var id int64
	var token string
	_, q, _ := strings.Cut(path, "?")
	for kv := range strings.SplitSeq(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "r":
			if _, err := fmt.Sscan(v, &id); err != nil {
				t.Fatalf("receipt id %q: %v", v, err)
			}
		case "t":
			token = v
		}
	}
	return id, token
}

// stripeFor is a Stripe provider that only checks events: it never calls
// the API.
func stripeFor(t *testing.T) *stripe.Provider {
	t.Helper()
	p, err := stripe.New(stripe.Config{SecretKey: stripemock.SecretKey, WebhookSecret: donationSecret, BackendURL: "http://127.0.0.1:9",
		MaxNetworkRetries: stripego.Int64(0)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText is the text of a PDF, by poppler's pdftotext; the test is
// skipped without it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: cannot read receipts")
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestRenewalRefund: a month of a monthly gift is refunded by its payment
// id, which Stripe's basil invoices no longer carry: it comes with the
// invoice_payment.paid event, in any order with the invoice's.
func TestRenewalRefund(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		svc := donations.NewService(donations.Deps{Store: st, Payments: stripeFor(t), ProviderName: "stripe", Clock: e.clock})
		now := e.clock.Now()
		donor := &donations.Donor{Email: "paul@example.org", FirstNames: "Paul", LastName: "Martin", Country: "FR", CreatedAt: now, UpdatedAt: now}
		sub := &donations.Subscription{AmountCents: 1000, Currency: "eur", Provider: "stripe", ProviderID: "sub_r",
			Status: donations.SubscriptionActive, StartedAt: now, CreatedAt: now}
		first := &donations.Donation{Reference: "ref_r", AmountCents: 1000, Currency: "eur", Frequency: donations.Monthly,
			Status: donations.StatusPaid, Method: donations.MethodCard, Provider: "stripe", InvoiceID: "in_r1", CreatedAt: now, PaidAt: now, UpdatedAt: now}
		if err := st.StartGift(ctx, donor, first, sub, nil); err != nil {
			t.Fatal(err)
		}
		deliver := func(id, typ string, obj map[string]any) error {
			payload, sig := stripeEvent(t, e.clock.Now(), id, typ, obj)
			return svc.HandleEvent(ctx, payload, sig)
		}
		payment := map[string]any{"id": "inpay_r2", "object": "invoice_payment", "invoice": "in_r2", "amount_paid": 1000, "currency": "eur",
			"status": "paid", "payment": map[string]any{"type": "payment_intent", "payment_intent": "pi_r2"}}
		if err := deliver("evt_pay_early", "invoice_payment.paid", payment); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a payment before its invoice: %v", err)
		}
		if err := deliver("evt_inv_r2", "invoice.paid", map[string]any{"id": "in_r2", "object": "invoice", "billing_reason": "subscription_cycle",
			"amount_paid": 1000, "currency": "eur", "created": e.clock.Now().Unix(), "status": "paid",
			"parent": map[string]any{"type": "subscription_details", "subscription_details": map[string]any{"subscription": "sub_r"}}}); err != nil {
			t.Fatal(err)
		}
		if err := deliver("evt_pay_early", "invoice_payment.paid", payment); err != nil { // Stripe's retry
			t.Fatal(err)
		}
		if err := deliver("evt_refund_r2", "charge.refunded", map[string]any{"id": "ch_r2", "object": "charge", "payment_intent": "pi_r2",
			"amount": 1000, "amount_refunded": 1000, "refunded": true, "currency": "eur"}); err != nil {
			t.Fatal(err)
		}
		d, err := st.DonationByReference(ctx, "renewal_stripe_in_r2")
		if err != nil || d.Status != donations.StatusRefunded || d.PaymentID != "pi_r2" || d.RefundedCents != 1000 {
			t.Fatalf("the refunded month %+v, %v", d, err)
		}
		if d, _ := st.DonationByReference(ctx, "ref_r"); d.Status != donations.StatusPaid {
			t.Errorf("the first month is %s", d.Status)
		}
	})
}

// TestReceiptCounterparts: a gift for which the donor received something
// in return gets a receipt only while the year's counterparts stay under
// the ceiling (checklist 29); a counterpart worth the gift is refused.
func TestReceiptCounterparts(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		svc := donations.NewService(donations.Deps{Store: st, ProviderName: "stripe", Clock: e.clock, Mails: thanks{},
			Issuer:             func() (receipts.Organization, bool, *time.Location) { return veilleur, true, e.paris },
			CounterpartCeiling: func() int64 { return 6900 }})
		mails := &mailQueue{db: e.db}
		admin := access.Actor{UserID: 1, Role: users.RoleAdmin}
		gift := func(amount, counterpart int64) error {
			_, err := svc.RecordOffline(ctx, admin, donations.OfflineGift{AmountCents: amount, CounterpartCents: counterpart,
				Method: donations.MethodCheque, ReceivedAt: e.clock.Now().Add(-time.Hour), ThankByEmail: true,
				Donor: donations.Donor{Email: "marc@example.org", FirstNames: "Marc", LastName: "Petit", Address: "3 place Bellecour",
					PostalCode: "69002", City: "Lyon"}})
			return err
		}
		if err := gift(5000, 5000); !apperr.Is(err, apperr.Invalid) || strings.Join(fieldsOf(err), ",") != "counterpart" {
			t.Errorf("a counterpart worth the gift: %v", err)
		}
		if err := gift(10000, 2000); err != nil { // a book of 20 € for 100 €
			t.Fatal(err)
		}
		if err := gift(10000, 6000); err != nil { // 80 € of counterparts this year
			t.Fatal(err)
		}
		if err := gift(3000, 0); err != nil { // a gift without one: its receipt is due
			t.Fatal(err)
		}
		want := "merci one_off 10000 reçu 2017-000001 → marc@example.org|merci one_off 10000 → marc@example.org|" +
			"merci one_off 3000 reçu 2017-000002 → marc@example.org"
		if got := mails.next(t); strings.Join(got, "|") != want {
			t.Errorf("emails %v\nwant %s", got, want)
		}
	})
}
