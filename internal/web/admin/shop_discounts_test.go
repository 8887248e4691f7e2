package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/users"
)

// discountRow sets the fields of row i of the form's discounts.
func discountRow(v url.Values, i int, id, name, amount, unit, scope string, pickupOnly bool) {
	p := fmt.Sprintf("discount.%d.", i)
	v.Set(p+"id", id)
	v.Set(p+"name", name)
	v.Set(p+"amount", amount)
	v.Set(p+"unit", unit)
	v.Set(p+"scope", scope)
	if pickupOnly {
		v.Set(p+"pickup_only", "1")
	} else {
		v.Del(p + "pickup_only")
	}
}

// TestShopDiscounts: the back office refuses an unlawful discount with a
// message citing the rule, and keeps the form as typed; it saves, shows
// and removes lawful ones; only an admin may.
func TestShopDiscounts(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{Clock: clock.NewFixed(shopNow)})
	b := as(t, s, users.RoleAdmin)
	form := func(t *testing.T) url.Values {
		t.Helper()
		resp, body := b.get("/admin/shop/settings/")
		mustStatus(t, "settings", resp, body, http.StatusOK)
		return formValues(t, body, "form.shop-settings")
	}
	saved := func() string { return fmt.Sprintf("%+v", comparableShop(s.App.Settings.Get().Shop)) }
	p := printer(s)

	tests := []struct {
		name                        string
		amount, unit, scope, pickup string
		key                         string
	}{
		{"Checklist10_ErrShippedNewBooks", "5", "percent", "new_print", "", "error.shop.discount_shipped_new_book"},
		{"Checklist10_ErrPrintedBooksShipped", "0,50", "euros", "print", "", "error.shop.discount_shipped_new_book"},
		{"Checklist11_ErrPickupSixPercent", "6", "percent", "new_print", "1", "error.shop.discount_over_5"},
		{"Checklist11_ErrPickupFivePointFive", "5,5", "percent", "new_print", "1", "error.shop.discount_over_5"},
		{"Checklist14_ErrEbooks", "5", "percent", "ebook", "1", "error.shop.discount_ebook"},
		{"Checklist14_ErrEverything", "5", "percent", "all", "1", "error.shop.discount_ebook"},
		{"ErrAmount", "cinq", "percent", "used", "", "error.shop.discount_amount"},
		{"ErrNoAmount", "0", "euros", "used", "", "error.shop.discount_amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := saved()
			v := form(t)
			discountRow(v, 0, "promo", "Remise de rentrée", tt.amount, tt.unit, tt.scope, tt.pickup != "")
			resp, body := b.post("/admin/shop/settings/", v)
			mustStatus(t, tt.name, resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			msg := strings.TrimSpace(d.Find("#shop-discounts-error").Text())
			if msg != p.T(tt.key) {
				t.Errorf("message %q, want %q", msg, p.T(tt.key))
			}
			if strings.HasPrefix(tt.key, "error.shop.discount_s") && !strings.Contains(msg, "loi n° 81-766") {
				t.Errorf("the refusal does not cite the loi Lang: %q", msg)
			}
			back := formValues(t, body, "form.shop-settings")
			for _, f := range []string{"id", "amount", "unit", "scope", "pickup_only"} {
				if got, want := back.Get("discount.0."+f), v.Get("discount.0."+f); got != want {
					t.Errorf("discount.0.%s shown back as %q, typed %q", f, got, want)
				}
			}
			if after := saved(); after != before {
				t.Errorf("a refused discount changed the settings:\n%s\n%s", before, after)
			}
		})
	}

	t.Run("OKSave", func(t *testing.T) {
		v := form(t)
		discountRow(v, 0, "retrait", "Retrait à la librairie", "5", "percent", "new_print", true)
		discountRow(v, 1, " Occasions ", "Occasions à -10 %", "10", "percent", "used", false)
		discountRow(v, 2, "occasion-fixe", "Un euro et demi", "1,50", "euros", "used", false)
		resp, body := b.post("/admin/shop/settings/", v)
		mustStatus(t, "save", resp, body, http.StatusSeeOther)
		want := []shop.Discount{
			{ID: "retrait", Name: "Retrait à la librairie", BasisPoints: 500, Formats: []shop.Format{shop.FormatPrint},
				Conditions: []shop.Condition{shop.ConditionNew}, PickupOnly: true},
			{ID: "occasions", Name: "Occasions à -10 %", BasisPoints: 1000, Conditions: []shop.Condition{shop.ConditionUsed}},
			{ID: "occasion-fixe", Name: "Un euro et demi", Cents: 150, Conditions: []shop.Condition{shop.ConditionUsed}},
		}
		if diff := cmp.Diff(want, s.App.Settings.Get().Shop.Discounts); diff != "" {
			t.Fatalf("saved discounts (-want +got):\n%s", diff)
		}
		shown := form(t)
		for _, tt := range []struct{ field, want string }{
			{"discount.0.id", "retrait"}, {"discount.0.amount", "5"}, {"discount.0.unit", "percent"},
			{"discount.0.scope", "new_print"}, {"discount.0.pickup_only", "1"},
			{"discount.1.id", "occasions"}, {"discount.1.amount", "10"}, {"discount.1.scope", "used"},
			{"discount.1.pickup_only", ""},
			{"discount.2.amount", "1,50"}, {"discount.2.unit", "euros"},
			{"discount.3.id", ""}, // the blank row to add one
		} {
			if got := shown.Get(tt.field); got != tt.want {
				t.Errorf("%s shown as %q, want %q", tt.field, got, tt.want)
			}
		}
		// The page sends back what it shows.
		before := saved()
		resp, body = b.post("/admin/shop/settings/", shown)
		mustStatus(t, "round trip", resp, body, http.StatusSeeOther)
		if after := saved(); after != before {
			t.Errorf("a round trip changed the settings:\n%s\n%s", before, after)
		}
	})

	t.Run("OKRemove", func(t *testing.T) {
		v := form(t)
		v.Set("discount.1.remove", "1")
		resp, body := b.post("/admin/shop/settings/", v)
		mustStatus(t, "remove", resp, body, http.StatusSeeOther)
		var ids []string
		for _, d := range s.App.Settings.Get().Shop.Discounts {
			ids = append(ids, d.ID)
		}
		if !slices.Equal(ids, []string{"retrait", "occasion-fixe"}) {
			t.Errorf("discounts after removing « occasions »: %q", ids)
		}
	})

	t.Run("ErrEditor", func(t *testing.T) {
		v := form(t)
		discountRow(v, 2, "pirate", "Pirate", "50", "percent", "used", false)
		before := saved()
		editor := as(t, s, users.RoleEditor)
		resp, body := editor.post("/admin/shop/settings/", v)
		mustStatus(t, "editor", resp, body, http.StatusForbidden)
		if after := saved(); after != before {
			t.Errorf("an editor changed the settings:\n%s\n%s", before, after)
		}
	})
}
