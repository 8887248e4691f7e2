package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/redirects"
)

// EntityRedirect names changes to the redirects: every instance loads
// its table again.
const EntityRedirect = "redirect"

// RedirectStore keeps the redirects.
type RedirectStore struct{ db *DB }

// NewRedirectStore returns the redirect store of db.
func NewRedirectStore(db *DB) *RedirectStore { return &RedirectStore{db: db} }

var _ redirects.Store = (*RedirectStore)(nil)

const redirectColumns = "id, from_path, from_key, to_url, code, source, hits, last_hit_at, created_at"

func scanRedirect(r row) (*redirects.Redirect, error) {
	x := &redirects.Redirect{}
	var source string
	var last, created dbTime
	if err := r.Scan(&x.ID, &x.From, &x.Key, &x.To, &x.Code, &source, &x.Hits, &last, &created); err != nil {
		return nil, err
	}
	x.Source, x.LastHitAt, x.CreatedAt = redirects.Source(source), last.t, created.t
	return x, nil
}

// Redirect implements redirects.Store.
func (s *RedirectStore) Redirect(ctx context.Context, id int64) (*redirects.Redirect, error) {
	r, err := scanRedirect(s.db.reader().queryRow(ctx, "SELECT "+redirectColumns+" FROM redirects WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("redirect %d: %w", id, err))
	}
	return r, nil
}

// Redirects implements redirects.Store.
func (s *RedirectStore) Redirects(ctx context.Context, f redirects.Filter) ([]*redirects.Redirect, int, error) {
	var where []string
	var args []any
	if f.Search != "" {
		args = append(args, likePattern(f.Search))
		where = append(where, fmt.Sprintf(`lower(from_path || ' ' || to_url) LIKE $%d ESCAPE '\'`, len(args)))
	}
	if f.Source != "" {
		args = append(args, string(f.Source))
		where = append(where, fmt.Sprintf("source = $%d", len(args)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM redirects"+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count redirects: %w", err))
	}
	args = append(args, f.Limit, f.Offset)
	list, err := s.list(ctx, fmt.Sprintf("SELECT %s FROM redirects%s ORDER BY from_key, id LIMIT $%d OFFSET $%d",
		redirectColumns, cond, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// AllRedirects implements redirects.Store.
func (s *RedirectStore) AllRedirects(ctx context.Context) ([]*redirects.Redirect, error) {
	return s.list(ctx, "SELECT "+redirectColumns+" FROM redirects ORDER BY from_key, id")
}

func (s *RedirectStore) list(ctx context.Context, query string, args ...any) ([]*redirects.Redirect, error) {
	rs, err := s.db.reader().query(ctx, query, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("redirects: %w", err))
	}
	defer rs.Close()
	var out []*redirects.Redirect
	for rs.Next() {
		r, err := scanRedirect(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("redirects: %w", err))
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("redirects: %w", err))
	}
	return out, nil
}

// SaveRedirect implements redirects.Store.
func (s *RedirectStore) SaveRedirect(ctx context.Context, r *redirects.Redirect, repoint []int64, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if r.ID == 0 {
			err := tx.q.queryRow(ctx, `INSERT INTO redirects (from_path, from_key, to_url, code, source, hits, last_hit_at, created_at)
				VALUES ($1, $2, $3, $4, $5, 0, NULL, $6) RETURNING id`,
				r.From, r.Key, r.To, r.Code, string(r.Source), r.CreatedAt.UTC()).Scan(&r.ID)
			if err != nil {
				return err
			}
		} else {
			n, err := tx.q.exec(ctx, "UPDATE redirects SET from_path = $2, from_key = $3, to_url = $4, code = $5 WHERE id = $1",
				r.ID, r.From, r.Key, r.To, r.Code)
			if err != nil {
				return err
			}
			if n == 0 {
				return errNoRows
			}
		}
		for _, id := range repoint {
			if _, err := tx.q.exec(ctx, "UPDATE redirects SET to_url = $2 WHERE id = $1", id, r.To); err != nil {
				return fmt.Errorf("point redirect %d at %q: %w", id, r.To, err)
			}
		}
		if e != nil {
			e.TargetID = r.ID
			if err := recordAudit(ctx, tx.q, e); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntityRedirect})
		return nil
	})
	if err != nil {
		return fmt.Errorf("save redirect %q: %w", r.From, err)
	}
	return nil
}

// DeleteRedirect implements redirects.Store.
func (s *RedirectStore) DeleteRedirect(ctx context.Context, id int64, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "DELETE FROM redirects WHERE id = $1", id)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		if err := recordAudit(ctx, tx.q, e); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityRedirect})
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete redirect %d: %w", id, err)
	}
	return nil
}

// ImportRedirects implements redirects.Store.
func (s *RedirectStore) ImportRedirects(ctx context.Context, rs []*redirects.Redirect, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		for _, r := range rs {
			if err := upsertRedirect(ctx, tx.q, r); err != nil {
				return err
			}
		}
		if err := recordAudit(ctx, tx.q, e); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityRedirect})
		return nil
	})
	if err != nil {
		return fmt.Errorf("import %d redirects: %w", len(rs), err)
	}
	return nil
}

// upsertRedirect writes r by its key, setting its ID: a From already in
// the table gets r's To, Code and Source, so that running an import again
// changes nothing (ImportRedirects, the WordPress import's batches).
func upsertRedirect(ctx context.Context, q querier, r *redirects.Redirect) error {
	err := q.queryRow(ctx, `INSERT INTO redirects (from_path, from_key, to_url, code, source, hits, last_hit_at, created_at)
		VALUES ($1, $2, $3, $4, $5, 0, NULL, $6)
		ON CONFLICT (from_key) DO UPDATE SET from_path = excluded.from_path, to_url = excluded.to_url,
			code = excluded.code, source = excluded.source
		RETURNING id`,
		r.From, r.Key, r.To, r.Code, string(r.Source), r.CreatedAt.UTC()).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("redirect %q: %w", r.From, err)
	}
	return nil
}

// AddHits implements redirects.Store. No change notice: the counts are
// the back office's only, and a notice would make every instance load
// the table again.
func (s *RedirectStore) AddHits(ctx context.Context, hits []redirects.Hit) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		for _, h := range hits {
			// A redirect deleted since it was used matches no row: fine.
			_, err := tx.q.exec(ctx, `UPDATE redirects SET hits = hits + $2,
				last_hit_at = CASE WHEN last_hit_at IS NULL OR last_hit_at < $3 THEN $3 ELSE last_hit_at END WHERE id = $1`,
				h.ID, h.Count, h.Last.UTC())
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add hits of %d redirects: %w", len(hits), err)
	}
	return nil
}
