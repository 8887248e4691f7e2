package shop

import (
	"context"
	"fmt"
	"net/url"

	"github.com/kiosque/kiosque/internal/apperr"
)

// OrderQuery returns the query string of the customer's link to order o
// ("r=ord_…&t=…"): the reference signed under the site's secret, so no one
// reaches another's order by changing a letter. It never expires: the
// customer follows it from every email.
func (s *Service) OrderQuery(o *Order) string {
	signed := s.Signer.Sign(purposeOrder, o.Reference)
	return url.Values{"r": {o.Reference}, "t": {signed[len(o.Reference)+1:]}}.Encode()
}

// OrderFromLink returns the order a customer's link names, with its
// invoices; a changed or forged link gets apperr.NotFound, like an order
// that does not exist, so links cannot be probed.
func (s *Service) OrderFromLink(ctx context.Context, ref, token string) (*Order, []*Invoice, error) {
	if _, ok := s.Signer.Verify(purposeOrder, ref+"."+token); !ok || !isOrderReference(ref) {
		return nil, nil, apperr.New(apperr.NotFound, "error.shop.bad_order_link")
	}
	o, err := s.Orders.OrderByReference(ctx, ref)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.New(apperr.NotFound, "error.shop.bad_order_link")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("order from link: %w", err)
	}
	invs, err := s.Orders.Invoices(ctx, o.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("invoices of order %s: %w", ref, err)
	}
	return o, invs, nil
}

// InvoiceFromLink returns an invoice or credit note, with its PDF, of the
// order a customer's link names.
func (s *Service) InvoiceFromLink(ctx context.Context, ref, token string, invoiceID int64) (*Invoice, error) {
	o, _, err := s.OrderFromLink(ctx, ref, token)
	if err != nil {
		return nil, err
	}
	inv, err := s.Orders.Invoice(ctx, invoiceID)
	if apperr.Is(err, apperr.NotFound) || err == nil && inv.OrderID != o.ID {
		return nil, apperr.New(apperr.NotFound, "error.shop.bad_order_link")
	}
	if err != nil {
		return nil, fmt.Errorf("invoice %d: %w", invoiceID, err)
	}
	return inv, nil
}
