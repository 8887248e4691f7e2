package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/job"
)

// deliveryChunk is how many deliveries one INSERT writes: an article sent
// to a thousand inboxes costs two statements, not a thousand, and the
// parameters (two a row) stay well under both databases' limits.
const deliveryChunk = 500

// SaveSend implements federation.Store.
func (s *FederationStore) SaveSend(ctx context.Context, send *federation.Send) error {
	if err := s.db.inTx(ctx, func(tx *Tx) error { return saveSend(ctx, tx, send) }); err != nil {
		if send != nil && send.Outgoing != nil {
			return fmt.Errorf("send %s %s: %w", send.Outgoing.Type, send.Outgoing.ActivityID, err)
		}
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// saveSend stores send in tx: the activity, a delivery and its job per
// inbox, and the article's state. A nil send stores nothing.
func saveSend(ctx context.Context, tx *Tx, send *federation.Send) error {
	if send == nil {
		return nil
	}
	if o := send.Outgoing; o != nil {
		err := tx.q.queryRow(ctx, `INSERT INTO ap_outbox (activity_id, type, article_id, local_actor, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			o.ActivityID, o.Type, nullID(o.ArticleID), o.LocalActor, bytesOrEmpty(o.Body), o.CreatedAt.UTC()).Scan(&o.ID)
		if err != nil {
			return fmt.Errorf("store activity %s: %w", o.ActivityID, err)
		}
		ds, err := insertDeliveries(ctx, tx, o, send.Inboxes)
		if err != nil {
			return err
		}
		if send.Jobs != nil && len(ds) > 0 {
			jobs := make([]job.Job, 0, len(ds))
			for _, d := range ds {
				if j := send.Jobs(d); j.Args != nil {
					jobs = append(jobs, j)
				}
			}
			if err := tx.enqueue(ctx, jobs); err != nil {
				return err
			}
		}
	} else if len(send.Inboxes) > 0 {
		return errors.New("deliveries without an activity")
	}
	if a := send.Article; a != nil {
		_, err := tx.q.exec(ctx, `INSERT INTO ap_articles (article_id, version, deleted, object_type, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
				object_type = excluded.object_type, updated_at = excluded.updated_at`,
			a.ArticleID, a.Version, a.Deleted, a.ObjectType, a.UpdatedAt.UTC())
		if err != nil {
			return fmt.Errorf("record what the fediverse knows of article %d: %w", a.ArticleID, err)
		}
	}
	return nil
}

// insertDeliveries writes a pending delivery of o to each inbox, in
// chunks of deliveryChunk rows, and returns them with their IDs. An inbox
// listed twice gets one delivery.
func insertDeliveries(ctx context.Context, tx *Tx, o *federation.Outgoing, inboxes []federation.Inbox) ([]*federation.Delivery, error) {
	seen := make(map[string]bool, len(inboxes))
	ds := make([]*federation.Delivery, 0, len(inboxes))
	for _, in := range inboxes {
		if seen[in.URL] {
			continue
		}
		seen[in.URL] = true
		ds = append(ds, &federation.Delivery{OutgoingID: o.ID, Inbox: in.URL, Host: in.Host, State: federation.DeliveryPending,
			CreatedAt: o.CreatedAt, UpdatedAt: o.CreatedAt})
	}
	byInbox := make(map[string]*federation.Delivery, len(ds))
	for _, d := range ds {
		byInbox[d.Inbox] = d
	}
	for start := 0; start < len(ds); start += deliveryChunk {
		chunk := ds[start:min(start+deliveryChunk, len(ds))]
		var b strings.Builder
		b.WriteString(`INSERT INTO ap_deliveries (outbox_id, inbox, host, state, attempts, last_error, created_at, updated_at) VALUES `)
		args := make([]any, 0, 3+2*len(chunk))
		args = append(args, o.ID, string(federation.DeliveryPending), o.CreatedAt.UTC())
		for i, d := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($1, $%d, $%d, $2, 0, '', $3, $3)", len(args)+1, len(args)+2)
			args = append(args, d.Inbox, d.Host)
		}
		b.WriteString(" ON CONFLICT (outbox_id, inbox) DO NOTHING RETURNING id, inbox")
		if err := scanDeliveryIDs(ctx, tx, b.String(), args, byInbox); err != nil {
			return nil, fmt.Errorf("store deliveries of %s: %w", o.ActivityID, err)
		}
	}
	return ds, nil
}

// scanDeliveryIDs runs the INSERT … RETURNING id, inbox of a chunk and
// sets the ID of each delivery stored. The rows come back in no promised
// order, so they are matched by inbox.
func scanDeliveryIDs(ctx context.Context, tx *Tx, query string, args []any, byInbox map[string]*federation.Delivery) error {
	rs, err := tx.q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		var inbox string
		if err := rs.Scan(&id, &inbox); err != nil {
			return err
		}
		if d := byInbox[inbox]; d != nil {
			d.ID = id
		}
	}
	return rs.Err()
}

// ArticleState implements federation.Store.
func (s *FederationStore) ArticleState(ctx context.Context, articleID int64) (*federation.ArticleState, error) {
	a := &federation.ArticleState{}
	var updated dbTime
	err := s.db.reader().queryRow(ctx, `SELECT article_id, version, deleted, object_type, updated_at FROM ap_articles
		WHERE article_id = $1`, articleID).Scan(&a.ArticleID, &a.Version, &a.Deleted, &a.ObjectType, &updated)
	if err != nil {
		return nil, normalize(fmt.Errorf("fediverse state of article %d: %w", articleID, err))
	}
	a.UpdatedAt = updated.t
	return a, nil
}

const outgoingColumns = "o.id, o.activity_id, o.type, COALESCE(o.article_id, 0), o.local_actor, o.body, o.created_at"

func scanOutgoing(r row, o *federation.Outgoing, before ...any) error {
	var created dbTime
	if err := r.Scan(append(before, &o.ID, &o.ActivityID, &o.Type, &o.ArticleID, &o.LocalActor, &o.Body, &created)...); err != nil {
		return err
	}
	o.CreatedAt = created.t
	return nil
}

// outboxWhere selects an actor's Creates ($1 the actor) whose article was
// not deleted since: of an article deleted and published again, only the
// latest Create, which the deletion did not undo.
const outboxWhere = `FROM ap_outbox o LEFT JOIN ap_articles a ON a.article_id = o.article_id
	WHERE o.local_actor = $1 AND o.type = 'Create' AND COALESCE(a.deleted, FALSE) = FALSE
		AND NOT EXISTS (SELECT 1 FROM ap_outbox n WHERE n.article_id = o.article_id AND n.type = 'Create'
			AND n.local_actor = o.local_actor AND n.id > o.id)`

// Outbox implements federation.Store. A zero limit counts without
// listing.
func (s *FederationStore) Outbox(ctx context.Context, localActor string, limit, offset int) ([]*federation.Outgoing, int, error) {
	r := s.db.reader()
	var total int
	if err := r.queryRow(ctx, "SELECT COUNT(*) "+outboxWhere, localActor).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count the outbox of %q: %w", localActor, err))
	}
	if limit <= 0 || total == 0 {
		return nil, total, nil
	}
	rs, err := r.query(ctx, "SELECT "+outgoingColumns+" "+outboxWhere+" ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3",
		localActor, limit, max(offset, 0))
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list the outbox of %q: %w", localActor, err))
	}
	defer rs.Close()
	var out []*federation.Outgoing
	for rs.Next() {
		o := &federation.Outgoing{}
		if err := scanOutgoing(rs, o); err != nil {
			return nil, 0, normalize(fmt.Errorf("list the outbox of %q: %w", localActor, err))
		}
		out = append(out, o)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list the outbox of %q: %w", localActor, err))
	}
	return out, total, nil
}

// Delivery implements federation.Store.
func (s *FederationStore) Delivery(ctx context.Context, id int64) (*federation.Delivery, *federation.Outgoing, error) {
	d, o := &federation.Delivery{}, &federation.Outgoing{}
	var state string
	var created, updated dbTime
	err := scanOutgoing(s.db.reader().queryRow(ctx, `SELECT d.id, d.outbox_id, d.inbox, d.host, d.state, d.attempts, d.last_error,
			d.created_at, d.updated_at, `+outgoingColumns+`
		FROM ap_deliveries d JOIN ap_outbox o ON o.id = d.outbox_id WHERE d.id = $1`, id), o,
		&d.ID, &d.OutgoingID, &d.Inbox, &d.Host, &state, &d.Attempts, &d.LastError, &created, &updated)
	if err != nil {
		return nil, nil, normalize(fmt.Errorf("fediverse delivery %d: %w", id, err))
	}
	d.State, d.CreatedAt, d.UpdatedAt = federation.DeliveryState(state), created.t, updated.t
	return d, o, nil
}

// FinishAttempt implements federation.Store. A zero UpdatedAt keeps the
// stored one.
func (s *FederationStore) FinishAttempt(ctx context.Context, d *federation.Delivery, inst *federation.Instance) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE ap_deliveries SET state = $2, attempts = $3, last_error = $4,
			updated_at = COALESCE($5, updated_at) WHERE id = $1`,
			d.ID, string(d.State), d.Attempts, d.LastError, nullTime(d.UpdatedAt))
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		if inst == nil {
			return nil
		}
		_, err = tx.q.exec(ctx, `INSERT INTO ap_instances (host, failures, retry_at, last_ok_at, last_error)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (host) DO UPDATE SET failures = excluded.failures, retry_at = excluded.retry_at,
				last_ok_at = excluded.last_ok_at, last_error = excluded.last_error`,
			inst.Host, inst.Failures, nullTime(inst.RetryAt), nullTime(inst.LastOKAt), inst.LastError)
		if err != nil {
			return fmt.Errorf("record the health of %s: %w", inst.Host, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish fediverse delivery %d: %w", d.ID, err)
	}
	return nil
}

// Instance implements federation.Store.
func (s *FederationStore) Instance(ctx context.Context, host string) (*federation.Instance, error) {
	inst := &federation.Instance{Host: host}
	var retry, ok dbTime
	err := s.db.reader().queryRow(ctx, "SELECT failures, retry_at, last_ok_at, last_error FROM ap_instances WHERE host = $1", host).
		Scan(&inst.Failures, &retry, &ok, &inst.LastError)
	if err != nil {
		err = normalize(fmt.Errorf("fediverse instance %s: %w", host, err))
		if apperr.Is(err, apperr.NotFound) {
			return &federation.Instance{Host: host}, nil
		}
		return nil, err
	}
	inst.RetryAt, inst.LastOKAt = retry.t, ok.t
	return inst, nil
}
