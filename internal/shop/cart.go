package shop

import (
	"context"
	"fmt"
	"slices"

	"github.com/kiosque/kiosque/internal/apperr"
)

// CartCookie is the name of the cookie that carries a visitor's signed
// cart token. It holds no content: the cart lives on the server.
const CartCookie = "kiosque_cart"

// Cart returns the cart a signed cookie value names, or an empty cart
// (Token "") when the value is missing, forged or names no cart: a
// tampered cookie is never an error the visitor sees, it is just no cart.
func (s *Service) Cart(ctx context.Context, signed string) (*Cart, error) {
	token, ok := s.Signer.Verify(purposeCart, signed)
	if !ok {
		return &Cart{}, nil
	}
	c, err := s.Orders.Cart(ctx, token)
	if apperr.Is(err, apperr.NotFound) {
		return &Cart{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load cart: %w", err)
	}
	return c, nil
}

// CartCookieValue returns the signed value of c's token for the cookie.
func (s *Service) CartCookieValue(c *Cart) string { return s.Signer.Sign(purposeCart, c.Token) }

// checkQuantity refuses quantities no cart may hold: 0, negative, or more
// than MaxQuantity (10^9 typed by a visitor or forged in a form).
func checkQuantity(q int) error {
	if q < 1 || q > MaxQuantity {
		return apperr.New(apperr.Invalid, "error.shop.quantity", MaxQuantity).InField("quantity")
	}
	return nil
}

// AddToCart adds quantity copies of a book to the cart signed names (a new
// cart when none) and returns the cart, whose token the caller puts back in
// the cookie. The book must exist and be for sale now; stock is checked
// here as a courtesy and again, for real, at checkout.
func (s *Service) AddToCart(ctx context.Context, signed string, bookID int64, quantity int) (*Cart, error) {
	if err := checkQuantity(quantity); err != nil {
		return nil, err
	}
	b, err := s.Catalog.Book(ctx, bookID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.NotFound, "error.shop.book_gone")
	}
	if err != nil {
		return nil, fmt.Errorf("add to cart: %w", err)
	}
	now := s.Clock.Now()
	if err := b.Sellable(now); err != nil {
		return nil, err
	}
	c, err := s.Cart(ctx, signed)
	if err != nil {
		return nil, err
	}
	price, _ := b.PriceAt(now)
	i := slices.IndexFunc(c.Lines, func(l CartLine) bool { return l.BookID == bookID })
	if i < 0 {
		if len(c.Lines) >= MaxCartLines {
			return nil, apperr.New(apperr.Invalid, "error.shop.too_many_lines", MaxCartLines)
		}
		c.Lines = append(c.Lines, CartLine{BookID: bookID})
		i = len(c.Lines) - 1
	}
	total := c.Lines[i].Quantity + quantity
	if err := checkQuantity(total); err != nil {
		return nil, err
	}
	if b.TrackStock && b.Shipped() && total > b.Stock {
		if b.Stock <= 0 {
			return nil, apperr.New(apperr.Conflict, "error.shop.out_of_stock", b.Title)
		}
		return nil, apperr.New(apperr.Conflict, "error.shop.not_enough_stock", b.Title, b.Stock)
	}
	c.Lines[i].Quantity, c.Lines[i].SeenCents = total, price
	return c, s.saveCart(ctx, c)
}

// UpdateCart sets the quantities of the cart's lines (0 removes a line;
// books not in the cart are ignored) and takes the prices now shown as
// seen: the visitor updated the cart with them on screen.
func (s *Service) UpdateCart(ctx context.Context, signed string, quantities map[int64]int) (*Cart, error) {
	for _, q := range quantities {
		if q != 0 {
			if err := checkQuantity(q); err != nil {
				return nil, err
			}
		}
	}
	c, err := s.Cart(ctx, signed)
	if err != nil || c.Token == "" {
		return c, err
	}
	books, err := s.cartBooks(ctx, c)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	lines := c.Lines[:0]
	for _, l := range c.Lines {
		if q, ok := quantities[l.BookID]; ok {
			l.Quantity = q
		}
		if l.Quantity == 0 {
			continue
		}
		if b := books[l.BookID]; b != nil {
			l.SeenCents, _ = b.PriceAt(now)
		}
		lines = append(lines, l)
	}
	c.Lines = lines
	return c, s.saveCart(ctx, c)
}

// saveCart stores c, giving it a token first when new.
func (s *Service) saveCart(ctx context.Context, c *Cart) error {
	now := s.Clock.Now()
	if c.Token == "" {
		t, err := newToken("cart_")
		if err != nil {
			return fmt.Errorf("new cart: %w", err)
		}
		c.Token, c.CreatedAt = t, now
	}
	c.UpdatedAt = now
	if err := s.Orders.SaveCart(ctx, c); err != nil {
		return fmt.Errorf("save cart: %w", err)
	}
	return nil
}

// cartBooks loads the books of c's lines, by id.
func (s *Service) cartBooks(ctx context.Context, c *Cart) (map[int64]*Book, error) {
	ids := make([]int64, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.BookID
	}
	books, err := s.Catalog.BooksByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load cart's books: %w", err)
	}
	out := make(map[int64]*Book, len(books))
	for _, b := range books {
		out[b.ID] = b
	}
	return out, nil
}

// QuoteCart prices c now under the shop's policy for a carrier and a
// destination country (either may be empty: the cart page shows what it
// can and asks for the rest).
func (s *Service) QuoteCart(ctx context.Context, c *Cart, carrierID, country string) (*Quote, error) {
	books, err := s.cartBooks(ctx, c)
	if err != nil {
		return nil, err
	}
	items := make([]QuoteItem, len(c.Lines))
	for i, l := range c.Lines {
		items[i] = QuoteItem{Book: books[l.BookID], BookID: l.BookID, Quantity: l.Quantity, SeenCents: l.SeenCents}
	}
	p := s.Policy()
	if country == "" {
		country = "FR"
	}
	if carrierID == "" && len(p.Carriers) > 0 {
		carrierID = p.Carriers[0].ID
	}
	return QuoteCart(QuoteInput{Items: items, CarrierID: carrierID, Country: country, Policy: p, At: s.Clock.Now()})
}
