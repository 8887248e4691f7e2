package donations

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/users"
)

func TestValidateDonor(t *testing.T) {
	ok := DonorUpdate{Email: "ines@example.org", FirstNames: "Inès", LastName: "Lambert", Address: "12 rue des Lilas",
		PostalCode: "69001", City: "Lyon", Country: "FR"}
	tests := []struct {
		name   string
		change func(u *DonorUpdate)
		fields []string
	}{
		{"OK", func(*DonorUpdate) {}, nil},
		{"OKNoAddress", func(u *DonorUpdate) { u.Address, u.PostalCode, u.City = "", "", "" }, nil},
		{"OKForeignPostalCode", func(u *DonorUpdate) { u.Country, u.PostalCode = "BE", "1000 " }, nil},
		{"ErrEmail", func(u *DonorUpdate) { u.Email = "ines@" }, []string{"email"}},
		{"ErrNames", func(u *DonorUpdate) { u.FirstNames, u.LastName = "", "" }, []string{"first_names", "last_name"}},
		{"ErrPartialAddress", func(u *DonorUpdate) { u.City = "" }, []string{"city"}},
		{"ErrFrenchPostalCode", func(u *DonorUpdate) { u.PostalCode = "6900" }, []string{"postal_code"}},
		{"ErrCountry", func(u *DonorUpdate) { u.Country = "France" }, []string{"country"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := ok
			tt.change(&u)
			var got []string
			for _, e := range apperr.Split(validateDonor(u)) {
				var ae *apperr.Error
				if apperr.KindOf(e) != apperr.Invalid {
					t.Errorf("kind %v", apperr.KindOf(e))
				}
				if errors.As(e, &ae) {
					got = append(got, ae.Field)
				}
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields at fault %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestYearTotals(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	f := &DonorFile{Gifts: []*Donation{
		{Status: StatusPaid, AmountCents: 5000, PaidAt: time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)},
		{Status: StatusPaid, AmountCents: 2000, RefundedCents: 500, PaidAt: time.Date(2025, 12, 31, 22, 30, 0, 0, time.UTC)},
		{Status: StatusRefunded, AmountCents: 9000, RefundedCents: 9000, PaidAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		{Status: StatusPending, AmountCents: 7000},
	}}
	got := f.YearTotals(paris)
	want := []YearTotal{{Year: 2026, Gifts: 1, Cents: 5000}, {Year: 2025, Gifts: 1, Cents: 1500}}
	if !slices.Equal(got, want) {
		t.Errorf("years %+v, want %+v", got, want)
	}
}

// TestRegistryForbidden: only admins see donors and receipts, whatever
// the page that asks.
func TestRegistryForbidden(t *testing.T) {
	s := NewService(Deps{})
	ctx := context.Background()
	for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		a := access.Actor{UserID: 7, Role: role}
		calls := map[string]error{}
		_, _, calls["Donors"] = s.Donors(ctx, a, DonorFilter{})
		_, calls["ExportDonors"] = s.ExportDonors(ctx, a, DonorFilter{}, time.UTC)
		_, calls["DonorFile"] = s.DonorFile(ctx, a, 1)
		_, calls["UpdateDonor"] = s.UpdateDonor(ctx, a, 1, DonorUpdate{})
		_, calls["StopDonorMonthly"] = s.StopDonorMonthly(ctx, a, 1, 1)
		_, calls["EraseDonor"] = s.EraseDonor(ctx, a, 1)
		_, calls["ReceiptRegister"] = s.ReceiptRegister(ctx, a, ReceiptFilter{Year: 2026})
		_, calls["RegisterReceipt"] = s.RegisterReceipt(ctx, a, 1)
		_, calls["AnnulReceiptBy"] = s.AnnulReceiptBy(ctx, a, 1)
		for name, err := range calls {
			if !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s as %s: %v", name, role, err)
			}
		}
	}
}
