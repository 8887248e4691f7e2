package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// donorsFixture is three donors: Alice gave most, Bruno last and
// monthly, Chloé never paid and stopped her monthly gift.
type donorsFixture struct {
	alice, bruno, chloe *donations.Donor
	aliceGift           *donations.Donation
}

// giveFor records one gift of donor (created or updated by email), with
// a monthly gift when sub is not nil.
func giveFor(t *testing.T, st *storage.DonationStore, donor donations.Donor, cents, refunded int64, status donations.Status,
	paid time.Time, sub *donations.Subscription) (*donations.Donor, *donations.Donation) {
	t.Helper()
	now := paid
	if now.IsZero() {
		now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	}
	donor.Country, donor.CreatedAt, donor.UpdatedAt = "FR", now, now
	freq := donations.OneOff
	if sub != nil {
		freq = donations.Monthly
		sub.AmountCents, sub.Currency, sub.Provider, sub.CreatedAt = cents, "eur", "stripe", now
	}
	d := &donations.Donation{Reference: fmt.Sprintf("don_%s_%d_%d", donor.Email, cents, now.UnixNano()), AmountCents: cents, Currency: "eur",
		Frequency: freq, Status: status, Method: donations.MethodCheque, Provider: donations.ProviderOffline, RefundedCents: refunded,
		Note: "chèque de " + donor.LastName, CreatedAt: now, PaidAt: paid, UpdatedAt: now}
	if err := st.StartGift(context.Background(), &donor, d, sub, nil); err != nil {
		t.Fatal(err)
	}
	return &donor, d
}

func newDonorsFixture(t *testing.T, st *storage.DonationStore) donorsFixture {
	t.Helper()
	var f donorsFixture
	alice := donations.Donor{Email: "alice@example.org", FirstNames: "Alice", LastName: "Durand", Address: "3 rue Mercière",
		PostalCode: "69002", City: "Lyon"}
	bruno := donations.Donor{Email: "bruno@example.org", FirstNames: "Bruno", LastName: "Petit", Address: "8 rue Oberkampf",
		PostalCode: "75011", City: "Paris"}
	chloe := donations.Donor{Email: "chloe@example.org", FirstNames: "Chloé", LastName: "Martin", Address: "1 La Canebière",
		PostalCode: "13001", City: "Marseille"}
	paid := donations.StatusPaid
	f.alice, f.aliceGift = giveFor(t, st, alice, 5000, 0, paid, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), nil)
	giveFor(t, st, alice, 30000, 0, paid, time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC), nil)
	// Paid at 23:30 on 31 December in UTC: 1 January in Paris. Partly
	// refunded.
	giveFor(t, st, alice, 10000, 4000, paid, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), nil)
	giveFor(t, st, alice, 2000, 0, donations.StatusPending, time.Time{}, nil)
	f.bruno, _ = giveFor(t, st, bruno, 20000, 0, paid, time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC), nil)
	giveFor(t, st, bruno, 1000, 0, paid, time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC),
		&donations.Subscription{Status: donations.SubscriptionActive})
	f.chloe, _ = giveFor(t, st, chloe, 1500, 0, donations.StatusExpired, time.Time{},
		&donations.Subscription{Status: donations.SubscriptionCancelled})
	return f
}

func TestDonorsList(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		f := newDonorsFixture(t, st)
		names := func(list []donations.DonorSummary) []string {
			var out []string
			for _, d := range list {
				out = append(out, d.FirstNames)
			}
			return out
		}

		tests := []struct {
			name   string
			filter donations.DonorFilter
			want   []string
			total  int
		}{
			{"OKByLastGift", donations.DonorFilter{Sort: donations.SortLastGift}, []string{"Bruno", "Alice", "Chloé"}, 3},
			{"OKByTotal", donations.DonorFilter{Sort: donations.SortTotal}, []string{"Alice", "Bruno", "Chloé"}, 3},
			{"OKByGifts", donations.DonorFilter{Sort: donations.SortGifts}, []string{"Alice", "Bruno", "Chloé"}, 3},
			{"OKByName", donations.DonorFilter{Sort: donations.SortName}, []string{"Alice", "Chloé", "Bruno"}, 3},
			{"OKSearchCity", donations.DonorFilter{Search: "lyon"}, []string{"Alice"}, 1},
			{"OKSearchName", donations.DonorFilter{Search: "martin"}, []string{"Chloé"}, 1},
			{"OKSearchFullName", donations.DonorFilter{Search: "BRUNO petit"}, []string{"Bruno"}, 1},
			{"OKSearchEmail", donations.DonorFilter{Search: "example.org", Sort: donations.SortName}, []string{"Alice", "Chloé", "Bruno"}, 3},
			{"OKSearchLikeIsLiteral", donations.DonorFilter{Search: "%"}, nil, 0},
			{"OKNoMatch", donations.DonorFilter{Search: "lyon petit"}, nil, 0},
			{"OKPage", donations.DonorFilter{Sort: donations.SortLastGift, Limit: 2, Offset: 2}, []string{"Chloé"}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := st.Donors(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(list); !slices.Equal(got, tt.want) || total != tt.total {
					t.Errorf("donors %v (%d), want %v (%d)", got, total, tt.want, tt.total)
				}
			})
		}

		t.Run("OKTotals", func(t *testing.T) {
			list, _, err := st.Donors(ctx, donations.DonorFilter{Sort: donations.SortTotal})
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				gifts   int
				total   int64
				last    time.Time
				monthly donations.MonthlyState
				cents   int64
			}
			want := []row{
				{3, 5000 + 30000 + 6000, time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC), donations.MonthlyNone, 0},
				{2, 21000, time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), donations.MonthlyActive, 1000},
				{0, 0, time.Time{}, donations.MonthlyStopped, 0},
			}
			for i, d := range list {
				got := row{d.Gifts, d.TotalCents, d.LastGiftAt, d.Monthly, d.MonthlyCents}
				if !got.last.Equal(want[i].last) || got.gifts != want[i].gifts || got.total != want[i].total ||
					got.monthly != want[i].monthly || got.cents != want[i].cents {
					t.Errorf("%s: %+v, want %+v", d.FirstNames, got, want[i])
				}
			}
			if list[0].Address != "3 rue Mercière" || list[0].PostalCode != "69002" {
				t.Errorf("address not read: %+v", list[0].Donor)
			}
		})

		t.Run("OKGiftLines", func(t *testing.T) {
			lines, err := st.DonorGiftLines(ctx, donations.DonorFilter{Search: "lyon", Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, l := range lines {
				if l.DonorID != f.alice.ID {
					t.Errorf("line of donor %d", l.DonorID)
				}
				sum += l.NetCents
			}
			if len(lines) != 3 || sum != 41000 {
				t.Errorf("%d lines summing %d, want Alice's 3 paid gifts, 41000", len(lines), sum)
			}
			// The tax year is the association's: Paris.
			f := &donations.DonorFile{}
			for _, l := range lines {
				f.Gifts = append(f.Gifts, &donations.Donation{Status: donations.StatusPaid, PaidAt: l.PaidAt, AmountCents: l.NetCents})
			}
			got := f.YearTotals(e.paris)
			want := []donations.YearTotal{{Year: 2026, Gifts: 2, Cents: 36000}, {Year: 2025, Gifts: 1, Cents: 5000}}
			if !slices.Equal(got, want) {
				t.Errorf("years %+v, want %+v", got, want)
			}
		})

		t.Run("OKFile", func(t *testing.T) {
			file, err := st.DonorFile(ctx, f.alice.ID)
			if err != nil {
				t.Fatal(err)
			}
			if file.Donor.Email != "alice@example.org" || file.Erased() || len(file.Gifts) != 4 || len(file.Monthly) != 0 {
				t.Fatalf("file %+v", file)
			}
			if file.Gifts[0].Status != donations.StatusPending || file.Gifts[1].PaidAt.Year() != 2026 {
				t.Errorf("gifts not newest first: %+v", file.Gifts)
			}
			bruno, err := st.DonorFile(ctx, f.bruno.ID)
			if err != nil || len(bruno.ActiveMonthly()) != 1 || bruno.ActiveMonthly()[0].AmountCents != 1000 {
				t.Errorf("Bruno's monthly gift: %+v, %v", bruno, err)
			}
			if _, err := st.DonorFile(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown donor: %v", err)
			}
		})

		t.Run("OKUpdate", func(t *testing.T) {
			at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
			u := donations.DonorUpdate{Email: "chloe.martin@example.org", FirstNames: "Chloé", LastName: "Martin-Roux",
				Address: "2 La Canebière", PostalCode: "13001", City: "Marseille", Country: "FR", Anonymous: true}
			d, err := st.UpdateDonor(ctx, f.chloe.ID, u, &audit.Entry{At: at, UserName: "Admin", Action: donations.ActionDonorUpdate,
				TargetType: "donor", TargetID: f.chloe.ID, Summary: "last_name"})
			if err != nil {
				t.Fatal(err)
			}
			if d.LastName != "Martin-Roux" || d.Email != "chloe.martin@example.org" || !d.Anonymous || !d.UpdatedAt.Equal(at) {
				t.Errorf("updated donor %+v", d)
			}
			entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 1)
			if err != nil || len(entries) != 1 || entries[0].Action != donations.ActionDonorUpdate || entries[0].TargetID != f.chloe.ID {
				t.Errorf("audit %+v, %v", entries, err)
			}
		})

		t.Run("ErrUpdateEmailTaken", func(t *testing.T) {
			u := donations.DonorUpdate{Email: "alice@example.org", FirstNames: "Bruno", LastName: "Petit", Country: "FR"}
			if _, err := st.UpdateDonor(ctx, f.bruno.ID, u, nil); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("another donor's email: %v", err)
			}
			if _, err := st.UpdateDonor(ctx, 999999, u, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown donor: %v", err)
			}
		})

		t.Run("OKStopMonthly", func(t *testing.T) {
			bruno, err := st.DonorFile(ctx, f.bruno.ID)
			if err != nil {
				t.Fatal(err)
			}
			sub := bruno.Monthly[0]
			sub.Status, sub.CancelledAt = donations.SubscriptionCancelled, time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)
			if err := st.StopSubscription(ctx, sub, &audit.Entry{Action: donations.ActionMonthlyStop, TargetType: "donor", TargetID: f.bruno.ID}); err != nil {
				t.Fatal(err)
			}
			got, err := st.Subscription(ctx, sub.ID)
			if err != nil || got.Status != donations.SubscriptionCancelled || !got.CancelledAt.Equal(sub.CancelledAt) {
				t.Errorf("stopped gift %+v, %v", got, err)
			}
			list, _, _ := st.Donors(ctx, donations.DonorFilter{Search: "bruno"})
			if len(list) != 1 || list[0].Monthly != donations.MonthlyStopped {
				t.Errorf("Bruno's monthly state: %+v", list)
			}
		})
	})
}

func TestDonorErasure(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		f := newDonorsFixture(t, st)
		r := &donations.Receipt{Year: 2025, DonorID: f.alice.ID, DonationID: f.aliceGift.ID, PeriodFrom: f.aliceGift.PaidAt,
			PeriodTo: f.aliceGift.PaidAt, AmountCents: 5000, Method: donations.MethodCheque, DonorName: "Alice Durand",
			DonorAddress: "3 rue Mercière\n69002 Lyon", IssuedAt: f.aliceGift.PaidAt}
		if err := st.IssueReceipt(ctx, r, func(*donations.Receipt) ([]byte, error) { return []byte("%PDF"), nil }, nil); err != nil {
			t.Fatal(err)
		}
		yearFrom, yearTo := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		raisedBefore, _, err := st.Raised(ctx, yearFrom, yearTo)
		if err != nil {
			t.Fatal(err)
		}
		before, err := st.DonorFile(ctx, f.alice.ID)
		if err != nil {
			t.Fatal(err)
		}

		at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
		rep, err := st.EraseDonor(ctx, f.alice.ID, at, func(r donations.Erasure) *audit.Entry {
			return &audit.Entry{At: at, UserName: "Admin", Action: donations.ActionDonorErase, TargetType: "donor", TargetID: r.DonorID,
				Summary: fmt.Sprintf("%d gifts", r.Gifts)}
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := (donations.Erasure{DonorID: f.alice.ID, Gifts: 4, Receipts: 1, PersonErased: true}); rep != want {
			t.Errorf("report %+v, want %+v", rep, want)
		}

		t.Run("OKPersonalFieldsCleared", func(t *testing.T) {
			after, err := st.DonorFile(ctx, f.alice.ID)
			if err != nil {
				t.Fatal(err)
			}
			d := after.Donor
			if !after.ErasedAt.Equal(at) || d.Email != "" || d.FirstNames != "" || d.LastName != "" || d.Address != "" ||
				d.PostalCode != "" || d.City != "" || d.PersonID != 0 {
				t.Errorf("erased donor %+v, erased at %v", d, after.ErasedAt)
			}
			for _, g := range after.Gifts {
				if g.Note != "" {
					t.Errorf("gift %d keeps its note %q", g.ID, g.Note)
				}
			}
		})

		t.Run("OKGiftsAndReceiptsKept", func(t *testing.T) {
			after, err := st.DonorFile(ctx, f.alice.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Gifts) != len(before.Gifts) {
				t.Fatalf("%d gifts, want %d", len(after.Gifts), len(before.Gifts))
			}
			for i, g := range after.Gifts {
				b := before.Gifts[i]
				if g.ID != b.ID || g.AmountCents != b.AmountCents || g.RefundedCents != b.RefundedCents || !g.PaidAt.Equal(b.PaidAt) ||
					g.Method != b.Method || g.Status != b.Status || g.DonorID != f.alice.ID {
					t.Errorf("gift %+v, was %+v", g, b)
				}
			}
			if len(after.Receipts) != 1 || after.Receipts[0].DonorName != "Alice Durand" || after.Receipts[0].Status != donations.ReceiptIssued {
				t.Errorf("receipts %+v: the issued receipt stays as issued", after.Receipts)
			}
			if got, err := st.Receipt(ctx, r.ID); err != nil || string(got.PDF) != "%PDF" {
				t.Errorf("receipt's PDF: %v", err)
			}
			raised, _, err := st.Raised(ctx, yearFrom, yearTo)
			if err != nil || raised != raisedBefore {
				t.Errorf("raised %d, was %d (%v)", raised, raisedBefore, err)
			}
		})

		t.Run("OKLeftOutOfTheList", func(t *testing.T) {
			list, total, err := st.Donors(ctx, donations.DonorFilter{})
			if err != nil || total != 2 || len(list) != 2 {
				t.Errorf("%d donors (%d), want 2: %v", len(list), total, err)
			}
			lines, err := st.DonorGiftLines(ctx, donations.DonorFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.DonorID == f.alice.ID {
					t.Error("the erased donor's gifts are in the export")
				}
			}
		})

		t.Run("OKAudited", func(t *testing.T) {
			entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 5)
			if err != nil || len(entries) == 0 || entries[0].Action != donations.ActionDonorErase || entries[0].Summary != "4 gifts" {
				t.Errorf("audit %+v, %v", entries, err)
			}
		})

		t.Run("ErrTwice", func(t *testing.T) {
			if _, err := st.EraseDonor(ctx, f.alice.ID, at, nil); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second erasure: %v", err)
			}
			if _, err := st.EraseDonor(ctx, 999999, at, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown donor: %v", err)
			}
			u := donations.DonorUpdate{Email: "x@example.org", FirstNames: "X", LastName: "Y", Country: "FR"}
			if _, err := st.UpdateDonor(ctx, f.alice.ID, u, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("update of an erased donor: %v", err)
			}
		})

		t.Run("OKGivesAgainAsNewDonor", func(t *testing.T) {
			again, _ := giveFor(t, st, donations.Donor{Email: "alice@example.org", FirstNames: "Alice", LastName: "Durand"}, 1000, 0,
				donations.StatusPaid, time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC), nil)
			if again.ID == f.alice.ID || again.PersonID == 0 {
				t.Errorf("new gift went to donor %d (person %d), the erased one is %d", again.ID, again.PersonID, f.alice.ID)
			}
			old, err := st.DonorFile(ctx, f.alice.ID)
			if err != nil || old.Donor.Email != "" || len(old.Gifts) != 4 {
				t.Errorf("the erased record changed: %+v, %v", old, err)
			}
		})
	})
}
