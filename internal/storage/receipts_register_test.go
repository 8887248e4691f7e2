package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// TestReceiptsRegister: the register lists a year's receipts by number,
// annulled ones kept under theirs, and its totals count only the issued
// ones (french-rules checklist 26 and 30).
func TestReceiptsRegister(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		render := func(r *donations.Receipt) ([]byte, error) { return []byte("%PDF " + r.Number), nil }
		issue := func(year int, cents int64) *donations.Receipt {
			t.Helper()
			at := time.Date(year, 5, 1, 10, 0, 0, 0, time.UTC)
			r := &donations.Receipt{Year: year, PeriodFrom: at, PeriodTo: at, AmountCents: cents, Method: donations.MethodTransfer,
				DonorName: "Inès Lambert", DonorAddress: "12 rue des Lilas\n69001 Lyon", IssuedAt: at}
			if err := st.IssueReceipt(ctx, r, render, nil); err != nil {
				t.Fatal(err)
			}
			return r
		}
		issue(2025, 9900)
		first, second, third := issue(2026, 1000), issue(2026, 2500), issue(2026, 4000)
		e2 := &audit.Entry{At: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), UserName: "Admin", Action: donations.ActionReceiptAnnul,
			TargetType: "receipt", TargetID: second.ID, Summary: second.Number}
		if err := st.AnnulReceipt(ctx, second.ID, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), e2); err != nil {
			t.Fatal(err)
		}

		t.Run("OKTotalsLeaveAnnulledOut", func(t *testing.T) {
			got, err := st.RegisterTotals(ctx, 2026)
			if err != nil {
				t.Fatal(err)
			}
			if want := (donations.RegisterTotals{Issued: 2, IssuedCents: 5000, Annulled: 1, AnnulledCents: 2500}); got != want {
				t.Errorf("totals %+v, want %+v", got, want)
			}
			if got, err := st.RegisterTotals(ctx, 2024); err != nil || got != (donations.RegisterTotals{}) {
				t.Errorf("empty year: %+v, %v", got, err)
			}
		})

		t.Run("OKByNumber", func(t *testing.T) {
			list, n, err := st.RegisterReceipts(ctx, donations.ReceiptFilter{Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, r := range list {
				numbers = append(numbers, r.Number)
				if r.PDF != nil {
					t.Errorf("%s: the list reads the PDF", r.Number)
				}
			}
			if want := []string{first.Number, second.Number, third.Number}; n != 3 || !slices.Equal(numbers, want) {
				t.Fatalf("register %v (%d), want %v", numbers, n, want)
			}
			if a := list[1]; a.Status != donations.ReceiptAnnulled || a.AnnulledAt.IsZero() || a.Number != "2026-000002" || a.AmountCents != 2500 {
				t.Errorf("annulled receipt %+v", a)
			}
			if r := list[0]; r.DonorName != "Inès Lambert" || !r.PeriodFrom.Equal(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)) || r.Method != donations.MethodTransfer {
				t.Errorf("receipt %+v", r)
			}
		})

		t.Run("OKPage", func(t *testing.T) {
			list, n, err := st.RegisterReceipts(ctx, donations.ReceiptFilter{Year: 2026, Limit: 2, Offset: 2})
			if err != nil || n != 3 || len(list) != 1 || list[0].ID != third.ID {
				t.Errorf("second page %+v (%d), %v", list, n, err)
			}
		})

		t.Run("OKYears", func(t *testing.T) {
			years, err := st.RegisterYears(ctx)
			if err != nil || !slices.Equal(years, []int{2026, 2025}) {
				t.Errorf("years %v, %v", years, err)
			}
		})

		t.Run("OKAudit", func(t *testing.T) {
			entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 1)
			if err != nil || len(entries) != 1 || entries[0].Action != donations.ActionReceiptAnnul || entries[0].Summary != "2026-000002" {
				t.Errorf("audit %+v, %v", entries, err)
			}
		})
	})
}
