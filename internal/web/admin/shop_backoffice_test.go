package admin_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
)

// shopCase is one part of the bookshop's back office, tested on a site
// it shares with the others of its group: booting the demo with its year
// of orders costs more than the checks.
type shopCase struct {
	name string
	run  func(*testing.T, *apptest.Site, *clock.Fixed)
}

// runShopCases runs cases in order on one demo site at shopNow.
func runShopCases(t *testing.T, cases []shopCase) {
	t.Helper()
	s, clk := newShopSite(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, s, clk) })
	}
}

// TestShopOrders: orders and sales, from the list to a refund, and a
// customer's data export.
func TestShopOrders(t *testing.T) {
	t.Parallel()
	runShopCases(t, []shopCase{
		{"Access", testShopPagesAccess},
		{"List", testShopOrdersList},
		{"Steps", testShopOrderSteps},
		{"Cancel", testShopOrderCancel},
		{"CSV", testShopOrdersCSV},
		{"Sales", testShopSales},
		{"CustomerExport", testShopCustomerExport},
	})
}

// TestShopCatalogue: books, stock, picks, imports and the shop's
// settings; the settings last, as they change delivery.
func TestShopCatalogue(t *testing.T) {
	t.Parallel()
	runShopCases(t, []shopCase{
		{"CreateUsed", testShopBookCreateUsed},
		{"LawfulPrice", testShopBookLawfulPrice},
		{"EditConflict", testShopBookEditConflict},
		{"Stock", testShopBookStock},
		{"List", testShopBooksList},
		{"Picks", testShopArticlePicks},
		{"Import", testShopImport},
		{"Settings", testShopSettings},
	})
}
