package storage

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/syndication"
)

const deliveryColumns = `id, article_id, account_id, kind, version, state, idem_key, checkpoint, body, remote_id, remote_url,
	error, error_class, attempts, next_attempt_at, sent_at, created_at, updated_at`

// scanDelivery reads deliveryColumns into d, then the columns after them
// into extra.
func scanDelivery(r row, d *syndication.Delivery, extra ...any) error {
	var next, sent, created, updated dbTime
	if err := r.Scan(append([]any{&d.ID, &d.ArticleID, &d.AccountID, &d.Kind, &d.Version, &d.State, &d.Key, &d.Checkpoint, &d.Text,
		&d.Remote.ID, &d.Remote.URL, &d.Error, &d.Class, &d.Attempts, &next, &sent, &created, &updated}, extra...)...); err != nil {
		return err
	}
	d.NextAttemptAt, d.SentAt, d.CreatedAt, d.UpdatedAt = next.t, sent.t, created.t, updated.t
	return nil
}

// Override implements syndication.Store.
func (s *SocialStore) Override(ctx context.Context, articleID, accountID int64) (syndication.Override, error) {
	var o syndication.Override
	err := s.db.reader().queryRow(ctx, "SELECT skip, message FROM social_overrides WHERE article_id = $1 AND account_id = $2",
		articleID, accountID).Scan(&o.Skip, &o.Message)
	if err != nil {
		return o, normalize(fmt.Errorf("social override of article %d for account %d: %w", articleID, accountID, err))
	}
	return o, nil
}

// DeliveriesOf implements syndication.Store.
func (s *SocialStore) DeliveriesOf(ctx context.Context, articleID int64) ([]*syndication.Delivery, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+deliveryColumns+" FROM social_deliveries WHERE article_id = $1 ORDER BY id", articleID)
	if err != nil {
		return nil, normalize(fmt.Errorf("social deliveries of article %d: %w", articleID, err))
	}
	defer rs.Close()
	var out []*syndication.Delivery
	for rs.Next() {
		d := &syndication.Delivery{}
		if err := scanDelivery(rs, d); err != nil {
			return nil, normalize(fmt.Errorf("social deliveries of article %d: %w", articleID, err))
		}
		out = append(out, d)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("social deliveries of article %d: %w", articleID, err))
	}
	return out, nil
}

// Enqueue implements syndication.Store.
func (s *SocialStore) Enqueue(ctx context.Context, ds []*syndication.Delivery) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		var jobs []job.Job
		for _, d := range ds {
			rs, err := tx.q.query(ctx, `INSERT INTO social_deliveries (article_id, account_id, kind, version, state, idem_key, body,
				remote_id, remote_url, error, error_class, attempts, next_attempt_at, sent_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
				ON CONFLICT (article_id, account_id, kind, version) DO NOTHING RETURNING id`,
				d.ArticleID, d.AccountID, string(d.Kind), d.Version, string(d.State), d.Key, d.Text,
				d.Remote.ID, d.Remote.URL, d.Error, d.Class, d.Attempts, nullTime(d.NextAttemptAt), nullTime(d.SentAt),
				d.CreatedAt.UTC(), cmp.Or(d.UpdatedAt, d.CreatedAt).UTC())
			if err != nil {
				return fmt.Errorf("enqueue social delivery of article %d to account %d: %w", d.ArticleID, d.AccountID, err)
			}
			inserted := rs.Next()
			if inserted {
				err = rs.Scan(&d.ID)
			}
			rs.Close()
			if err != nil {
				return fmt.Errorf("enqueue social delivery of article %d to account %d: %w", d.ArticleID, d.AccountID, err)
			}
			if inserted && d.State == syndication.StateQueued {
				jobs = append(jobs, job.Job{Args: syndication.DeliverJob{DeliveryID: d.ID}, RunAt: d.NextAttemptAt, Unique: true,
					Queue: job.QueueOutbound})
			}
		}
		if err := tx.enqueue(ctx, jobs); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntitySocial})
		return nil
	})
}

// Delivery implements syndication.Store.
func (s *SocialStore) Delivery(ctx context.Context, id int64) (*syndication.Delivery, error) {
	d := &syndication.Delivery{}
	if err := scanDelivery(s.db.reader().queryRow(ctx, "SELECT "+deliveryColumns+" FROM social_deliveries WHERE id = $1", id), d); err != nil {
		return nil, normalize(fmt.Errorf("social delivery %d: %w", id, err))
	}
	return d, nil
}

// UpdateDelivery implements syndication.Store.
func (s *SocialStore) UpdateDelivery(ctx context.Context, d *syndication.Delivery) error {
	return s.exec1(ctx, fmt.Sprintf("update social delivery %d", d.ID), `UPDATE social_deliveries SET state = $2, body = $3,
		remote_id = $4, remote_url = $5, error = $6, error_class = $7, attempts = $8, next_attempt_at = $9, sent_at = $10,
		updated_at = $11 WHERE id = $1`, d.ID, string(d.State), d.Text, d.Remote.ID, d.Remote.URL, d.Error, d.Class, d.Attempts,
		nullTime(d.NextAttemptAt), nullTime(d.SentAt), d.UpdatedAt.UTC())
}

// Checkpoint implements syndication.Store.
func (s *SocialStore) Checkpoint(ctx context.Context, id int64, state string) error {
	return s.exec1(ctx, fmt.Sprintf("checkpoint social delivery %d", id),
		"UPDATE social_deliveries SET checkpoint = $2 WHERE id = $1", id, state)
}

// Deliveries implements syndication.Store.
func (s *SocialStore) Deliveries(ctx context.Context, q syndication.DeliveryQuery) ([]*syndication.DeliveryRow, int, error) {
	where, args := "1 = 1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND %s $%d", cond, len(args))
	}
	if q.AccountID != 0 {
		add("d.account_id =", q.AccountID)
	}
	if q.ArticleID != 0 {
		add("d.article_id =", q.ArticleID)
	}
	if q.State != "" {
		add("d.state =", string(q.State))
	}
	r := s.db.reader()
	var total int
	if err := r.queryRow(ctx, "SELECT count(*) FROM social_deliveries d WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count social deliveries: %w", err))
	}
	cols := "d." + strings.ReplaceAll(deliveryColumns, ", ", ", d.")
	rs, err := r.query(ctx, fmt.Sprintf(`SELECT %s, a.name, a.network, COALESCE(ar.title, '')
		FROM social_deliveries d JOIN social_accounts a ON a.id = d.account_id LEFT JOIN articles ar ON ar.id = d.article_id
		WHERE %s ORDER BY d.updated_at DESC, d.id DESC LIMIT %d OFFSET %d`, cols, where, q.Limit, max(q.Offset, 0)), args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list social deliveries: %w", err))
	}
	defer rs.Close()
	var out []*syndication.DeliveryRow
	for rs.Next() {
		row := &syndication.DeliveryRow{}
		if err := scanDelivery(rs, &row.Delivery, &row.AccountName, &row.Network, &row.ArticleTitle); err != nil {
			return nil, 0, normalize(fmt.Errorf("list social deliveries: %w", err))
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list social deliveries: %w", err))
	}
	return out, total, nil
}

// Requeue implements syndication.Store.
func (s *SocialStore) Requeue(ctx context.Context, d *syndication.Delivery, j syndication.DeliverJob) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE social_deliveries SET state = $2, error = '', error_class = '', attempts = $3,
			next_attempt_at = $4, updated_at = $5 WHERE id = $1`, d.ID, string(d.State), d.Attempts, nullTime(d.NextAttemptAt), d.UpdatedAt.UTC())
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		tx.changed(Change{Entity: EntitySocial})
		return tx.enqueue(ctx, []job.Job{{Args: j, Unique: true, Queue: job.QueueOutbound}})
	})
	if err != nil {
		return fmt.Errorf("requeue social delivery %d: %w", d.ID, err)
	}
	return nil
}

// SetOverride implements syndication.Store.
func (s *SocialStore) SetOverride(ctx context.Context, articleID, accountID int64, o syndication.Override) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if !o.Skip && o.Message == "" {
			_, err := tx.q.exec(ctx, "DELETE FROM social_overrides WHERE article_id = $1 AND account_id = $2", articleID, accountID)
			return err
		}
		_, err := tx.q.exec(ctx, `INSERT INTO social_overrides (article_id, account_id, skip, message) VALUES ($1, $2, $3, $4)
			ON CONFLICT (article_id, account_id) DO UPDATE SET skip = excluded.skip, message = excluded.message`,
			articleID, accountID, o.Skip, o.Message)
		return err
	})
	if err != nil {
		return fmt.Errorf("store the social override of article %d for account %d: %w", articleID, accountID, err)
	}
	return nil
}

// FailAccount implements syndication.Store.
func (s *SocialStore) FailAccount(ctx context.Context, d *syndication.Delivery, why string, alert func() ([]job.Job, error)) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, `UPDATE social_deliveries SET state = $2, error = $3, error_class = $4, attempts = $5,
			updated_at = $6 WHERE id = $1`, d.ID, string(d.State), d.Error, d.Class, d.Attempts, d.UpdatedAt.UTC()); err != nil {
			return err
		}
		n, err := tx.q.exec(ctx, "UPDATE social_accounts SET failing = $2, last_error = $3 WHERE id = $1 AND failing = $4",
			d.AccountID, true, why, false)
		if err != nil {
			return err
		}
		if n == 0 {
			// Already failing: its admins know; keep the newest reason.
			_, err := tx.q.exec(ctx, "UPDATE social_accounts SET last_error = $2 WHERE id = $1", d.AccountID, why)
			return err
		}
		jobs, err := alert()
		if err != nil {
			return err
		}
		tx.changed(Change{Entity: EntitySocial})
		return tx.enqueue(ctx, jobs)
	})
	if err != nil {
		return fmt.Errorf("fail social delivery %d: %w", d.ID, err)
	}
	return nil
}
