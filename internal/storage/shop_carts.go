package storage

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// Cart implements shop.OrderStore.
func (s *OrderStore) Cart(ctx context.Context, token string) (*shop.Cart, error) {
	q := s.db.reader()
	c := &shop.Cart{Token: token}
	var created, updated dbTime
	err := q.queryRow(ctx, "SELECT id, created_at, updated_at FROM carts WHERE token = $1", token).Scan(&c.ID, &created, &updated)
	if err != nil {
		return nil, normalize(fmt.Errorf("cart: %w", err))
	}
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	rs, err := q.query(ctx, "SELECT book_id, quantity, seen_cents FROM cart_lines WHERE cart_id = $1 ORDER BY position", c.ID)
	if err != nil {
		return nil, normalize(fmt.Errorf("lines of cart %d: %w", c.ID, err))
	}
	defer rs.Close()
	for rs.Next() {
		var l shop.CartLine
		if err := rs.Scan(&l.BookID, &l.Quantity, &l.SeenCents); err != nil {
			return nil, normalize(fmt.Errorf("lines of cart %d: %w", c.ID, err))
		}
		c.Lines = append(c.Lines, l)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("lines of cart %d: %w", c.ID, err))
	}
	return c, nil
}

// SaveCart implements shop.OrderStore.
func (s *OrderStore) SaveCart(ctx context.Context, c *shop.Cart) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		var created dbTime
		err := tx.q.queryRow(ctx, `INSERT INTO carts (token, created_at, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET updated_at = excluded.updated_at RETURNING id, created_at`,
			c.Token, cmp.Or(c.CreatedAt, c.UpdatedAt).UTC(), cmp.Or(c.UpdatedAt, c.CreatedAt).UTC()).Scan(&c.ID, &created)
		if err != nil {
			return normalize(fmt.Errorf("save cart: %w", err))
		}
		c.CreatedAt = created.t
		if _, err := tx.q.exec(ctx, "DELETE FROM cart_lines WHERE cart_id = $1", c.ID); err != nil {
			return normalize(fmt.Errorf("save cart %d: %w", c.ID, err))
		}
		for i, l := range c.Lines {
			if _, err := tx.q.exec(ctx, `INSERT INTO cart_lines (cart_id, book_id, position, quantity, seen_cents)
				VALUES ($1, $2, $3, $4, $5)`, c.ID, l.BookID, i, l.Quantity, l.SeenCents); err != nil {
				return normalize(fmt.Errorf("save line of book %d in cart %d: %w", l.BookID, c.ID, err))
			}
		}
		return nil
	})
}

// DeleteCart implements shop.OrderStore.
func (s *OrderStore) DeleteCart(ctx context.Context, token string) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM carts WHERE token = $1", token); err != nil {
			return normalize(fmt.Errorf("delete cart: %w", err))
		}
		return nil
	})
}

// PurgeCarts implements shop.OrderStore.
func (s *OrderStore) PurgeCarts(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.q.exec(ctx, "DELETE FROM carts WHERE updated_at < $1", before.UTC())
		if err != nil {
			return normalize(fmt.Errorf("purge carts: %w", err))
		}
		return nil
	})
	return int(n), err
}
