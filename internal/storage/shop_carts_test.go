package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

func TestCartRoundTrip(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		a := addBook(t, e.db, "Zazie dans le métro", 3, true)
		b := addBook(t, e.db, "Exercices de style", 0, false)
		created := e.clock.Now()
		c := &shop.Cart{Token: "tok_round_trip", CreatedAt: created, UpdatedAt: created,
			Lines: []shop.CartLine{{BookID: b, Quantity: 2, SeenCents: 1250}, {BookID: a, Quantity: 1, SeenCents: 890}}}
		if err := st.SaveCart(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 {
			t.Fatal("cart id not set")
		}
		got, err := st.Cart(ctx, "tok_round_trip")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("cart read back (-saved +read):\n%s", diff)
		}

		t.Run("OKReplaceLines", func(t *testing.T) {
			later := created.Add(time.Hour)
			again := &shop.Cart{Token: "tok_round_trip", CreatedAt: later, UpdatedAt: later,
				Lines: []shop.CartLine{{BookID: a, Quantity: 3, SeenCents: 900}}}
			if err := st.SaveCart(ctx, again); err != nil {
				t.Fatal(err)
			}
			got, err := st.Cart(ctx, "tok_round_trip")
			if err != nil {
				t.Fatal(err)
			}
			want := &shop.Cart{ID: c.ID, Token: "tok_round_trip", CreatedAt: created, UpdatedAt: later, Lines: again.Lines}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cart after replacing (-want +got):\n%s", diff)
			}
		})
		t.Run("OKEmptyKept", func(t *testing.T) {
			empty := &shop.Cart{Token: "tok_round_trip", UpdatedAt: created.Add(2 * time.Hour)}
			if err := st.SaveCart(ctx, empty); err != nil {
				t.Fatal(err)
			}
			got, err := st.Cart(ctx, "tok_round_trip")
			if err != nil || len(got.Lines) != 0 || got.ID != c.ID {
				t.Errorf("empty cart: %+v, %v", got, err)
			}
		})
		t.Run("ErrUnknownBook", func(t *testing.T) {
			bad := &shop.Cart{Token: "tok_bad", CreatedAt: created, UpdatedAt: created, Lines: []shop.CartLine{{BookID: 987654, Quantity: 1}}}
			if err := st.SaveCart(ctx, bad); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("unknown book: %v", err)
			}
			if _, err := st.Cart(ctx, "tok_bad"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("a refused cart was kept: %v", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := st.Cart(ctx, "tok_nope"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown token: %v", err)
			}
		})
		t.Run("OKDelete", func(t *testing.T) {
			for range 2 { // deleting twice is no error
				if err := st.DeleteCart(ctx, "tok_round_trip"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Cart(ctx, "tok_round_trip"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("deleted cart: %v", err)
			}
			if n := rawInt(t, e.db, "SELECT COUNT(*) FROM cart_lines"); n != 0 {
				t.Errorf("%d lines left behind", n)
			}
		})
	})
}

func TestPurgeCarts(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Les Fleurs bleues", 0, false)
		now := e.clock.Now()
		for _, c := range []struct {
			token string
			age   time.Duration
		}{{"tok_old", 40 * 24 * time.Hour}, {"tok_older", 90 * 24 * time.Hour}, {"tok_recent", time.Hour}} {
			at := now.Add(-c.age)
			cart := &shop.Cart{Token: c.token, CreatedAt: at, UpdatedAt: at, Lines: []shop.CartLine{{BookID: book, Quantity: 1}}}
			if err := st.SaveCart(ctx, cart); err != nil {
				t.Fatal(err)
			}
		}
		n, err := st.PurgeCarts(ctx, now.Add(-30*24*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want 2", n, err)
		}
		if _, err := st.Cart(ctx, "tok_recent"); err != nil {
			t.Errorf("recent cart: %v", err)
		}
		if got := rawInt(t, e.db, "SELECT COUNT(*) FROM cart_lines"); got != 1 {
			t.Errorf("lines left = %d, want the recent cart's 1", got)
		}
	})
}
