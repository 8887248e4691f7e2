package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// TestReceiptNumbers: receipt numbers run on an unbroken sequence per
// year, even when many are issued at once or one fails half way, and a
// cancelled receipt keeps its number (french-rules checklist 26).
func TestReceiptNumbers(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		receipt := func(year int, amount int64) *donations.Receipt {
			return &donations.Receipt{Year: year, PeriodFrom: at, PeriodTo: at, AmountCents: amount, Method: donations.MethodCard,
				DonorName: "Inès Lambert", DonorAddress: "12 rue des Lilas\n69001 Lyon", IssuedAt: at}
		}
		render := func(r *donations.Receipt) ([]byte, error) { return []byte("%PDF receipt " + r.Number), nil }

		const n = 40
		var wg sync.WaitGroup
		numbers := make(chan string, n)
		for i := range n {
			wg.Go(func() {
				r := receipt(2026, int64(1000+i))
				// Every fifth issue fails after taking its number: the
				// number must come back.
				fail := func(r *donations.Receipt) ([]byte, error) { return nil, errors.New("the PDF could not be drawn") }
				if i%5 == 0 {
					if err := st.IssueReceipt(ctx, r, fail, nil); err == nil {
						t.Error("a failed render stored a receipt")
					}
					return
				}
				if err := st.IssueReceipt(ctx, r, render, func(r *donations.Receipt) []job.Job {
					return []job.Job{{Args: job.Email{To: []string{"ines@example.org"}, Subject: "reçu " + r.Number, Text: "ci-joint"}}}
				}); err != nil {
					t.Error(err)
					return
				}
				numbers <- r.Number
			})
		}
		wg.Wait()
		close(numbers)
		var got []string
		for num := range numbers {
			got = append(got, num)
		}
		slices.Sort(got)
		var want []string
		for i := range n - n/5 {
			want = append(want, fmt.Sprintf("2026-%06d", i+1))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("numbers %v, want %v", got, want)
		}
		if mails := (&mailQueue{db: e.db}).next(t); len(mails) != len(want) {
			t.Errorf("%d receipt emails, want %d: one per receipt, none for the failed ones", len(mails), len(want))
		}

		t.Run("OKNewYear", func(t *testing.T) {
			r := receipt(2027, 500)
			if err := st.IssueReceipt(ctx, r, render, nil); err != nil || r.Number != "2027-000001" {
				t.Errorf("first of 2027: %q, %v", r.Number, err)
			}
		})
		t.Run("OKAnnulKeepsNumber", func(t *testing.T) {
			r := receipt(2026, 700)
			if err := st.IssueReceipt(ctx, r, render, nil); err != nil {
				t.Fatal(err)
			}
			if err := st.AnnulReceipt(ctx, r.ID, at.Add(time.Hour), nil); err != nil {
				t.Fatal(err)
			}
			got, err := st.Receipt(ctx, r.ID)
			if err != nil || got.Number != r.Number || got.Status != donations.ReceiptAnnulled || got.AnnulledAt.IsZero() ||
				string(got.PDF) != "%PDF receipt "+r.Number {
				t.Errorf("annulled receipt %+v, %v", got, err)
			}
			if err := st.AnnulReceipt(ctx, r.ID, at, nil); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("annulled twice: %v", err)
			}
			next := receipt(2026, 800)
			if err := st.IssueReceipt(ctx, next, render, nil); err != nil || next.Seq != r.Seq+1 {
				t.Errorf("after an annulment: %q, %v", next.Number, err)
			}
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			if err := st.AnnulReceipt(ctx, 999999, at, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("annul unknown: %v", err)
			}
		})
	})
}
