package stripe

import (
	"context"
	"errors"
	"fmt"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
)

// MonthlyProductID is the id kiosque gives, on creating it, the one Stripe
// Product all its monthly Prices belong to. A fixed id makes the product
// its own lookup: creating it again fails with resource_already_exists,
// which means it is there.
const MonthlyProductID = "kiosque-monthly"

// MonthlyLookupKey returns the lookup_key of the monthly Price for an
// amount in a currency, e.g. "kiosque-monthly-eur-2500". Subscription mode
// needs a real Price rather than inline price data if donors giving the
// same amount are to share one price in Stripe's reports; the lookup key
// finds it again without kiosque storing Stripe ids.
func MonthlyLookupKey(currency string, amountCents int64) string {
	return fmt.Sprintf("kiosque-monthly-%s-%d", currency, amountCents)
}

// monthlyPrice returns the id of the active monthly Price for req's amount
// and currency, creating it (and the product, the first time) when absent.
//
// Two first donors of a new amount at the same moment may both create a
// price: transfer_lookup_key gives the key to the last one, and both are
// valid prices of the same amount, so nothing breaks. It also lets a price
// archived in the dashboard be replaced.
func (p *Provider) monthlyPrice(ctx context.Context, req payments.CheckoutRequest) (string, error) {
	key := MonthlyLookupKey(req.Currency, req.AmountCents)
	list := &stripego.PriceListParams{
		ListParams: stripego.ListParams{Limit: stripego.Int64(10), Single: true},
		LookupKeys: []*string{stripego.String(key)},
		Active:     stripego.Bool(true),
	}
	for price, err := range p.client.V1Prices.List(ctx, list) {
		if err != nil {
			return "", fmt.Errorf("list stripe prices %s: %w", key, classify(err))
		}
		// Stripe filters by lookup key already; checking again keeps a
		// price edited by hand (or a stub's fixture) from being charged.
		if isMonthlyPrice(price, key, req.Currency, req.AmountCents) {
			return price.ID, nil
		}
	}

	if err := p.ensureMonthlyProduct(ctx, req); err != nil {
		return "", err
	}
	create := &stripego.PriceCreateParams{
		Currency:          stripego.String(req.Currency),
		UnitAmount:        stripego.Int64(req.AmountCents),
		Product:           stripego.String(MonthlyProductID),
		LookupKey:         stripego.String(key),
		TransferLookupKey: stripego.Bool(true),
		Recurring: &stripego.PriceCreateRecurringParams{
			Interval:      stripego.String(string(stripego.PriceRecurringIntervalMonth)),
			IntervalCount: stripego.Int64(1),
		},
	}
	if req.IdempotencyKey != "" {
		create.SetIdempotencyKey(req.IdempotencyKey + "/price")
	}
	price, err := p.client.V1Prices.Create(ctx, create)
	if err != nil {
		return "", fmt.Errorf("create stripe price %s: %w", key, classify(err))
	}
	return price.ID, nil
}

func isMonthlyPrice(p *stripego.Price, key, currency string, amountCents int64) bool {
	return p != nil && p.ID != "" && p.Active && p.LookupKey == key &&
		string(p.Currency) == currency && p.UnitAmount == amountCents &&
		p.Type == stripego.PriceTypeRecurring && p.Recurring != nil &&
		p.Recurring.Interval == stripego.PriceRecurringIntervalMonth && p.Recurring.IntervalCount == 1
}

// ensureMonthlyProduct creates the monthly product unless it exists. Its
// name, shown on the checkout page, is the first request's description.
func (p *Provider) ensureMonthlyProduct(ctx context.Context, req payments.CheckoutRequest) error {
	params := &stripego.ProductCreateParams{
		ID:   stripego.String(MonthlyProductID),
		Name: stripego.String(req.Description),
	}
	if req.IdempotencyKey != "" {
		params.SetIdempotencyKey(req.IdempotencyKey + "/product")
	}
	_, err := p.client.V1Products.Create(ctx, params)
	var se *stripego.Error
	if err == nil || (errors.As(err, &se) && se.Code == stripego.ErrorCodeResourceAlreadyExists) {
		return nil
	}
	return fmt.Errorf("create stripe product %s: %w", MonthlyProductID, classify(err))
}
