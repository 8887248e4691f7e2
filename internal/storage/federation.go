package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/federation"
)

// FederationStore keeps the fediverse's state: followers, remote actors,
// blocks, the inbox and outbox with their deliveries, and reactions.
//
// Its writes send no change notice, except for reactions: no cached page
// shows the rest, and a notice the app does not know purges every page
// (see app.onChange), which a busy inbox would do many times a second.
type FederationStore struct{ db *DB }

// NewFederationStore returns the federation store of db.
func NewFederationStore(db *DB) *FederationStore { return &FederationStore{db: db} }

var _ federation.Store = (*FederationStore)(nil)

const followerColumns = `id, local_actor, actor_id, handle, name, url, host, inbox, shared_inbox, follow_id, follow_json,
	state, created_at`

func scanFollower(r row) (*federation.Follower, error) {
	f := &federation.Follower{}
	var state string
	var created dbTime
	if err := r.Scan(&f.ID, &f.LocalActor, &f.ActorID, &f.Handle, &f.Name, &f.URL, &f.Host, &f.Inbox, &f.SharedInbox,
		&f.FollowID, &f.FollowJSON, &state, &created); err != nil {
		return nil, err
	}
	f.State, f.CreatedAt = federation.FollowState(state), created.t
	return f, nil
}

// SaveFollower implements federation.Store.
func (s *FederationStore) SaveFollower(ctx context.Context, f *federation.Follower, send *federation.Send) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var created dbTime
		err := tx.q.queryRow(ctx, `INSERT INTO ap_followers (local_actor, actor_id, handle, name, url, host, inbox, shared_inbox,
				follow_id, follow_json, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (local_actor, actor_id) DO UPDATE SET handle = excluded.handle, name = excluded.name, url = excluded.url,
				host = excluded.host, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id,
				follow_json = excluded.follow_json, state = excluded.state
			RETURNING id, created_at`,
			f.LocalActor, f.ActorID, f.Handle, f.Name, f.URL, f.Host, f.Inbox, f.SharedInbox, f.FollowID, bytesOrEmpty(f.FollowJSON),
			string(f.State), f.CreatedAt.UTC()).Scan(&f.ID, &created)
		if err != nil {
			return err
		}
		f.CreatedAt = created.t
		return saveSend(ctx, tx, send)
	})
	if err != nil {
		return fmt.Errorf("save follower %s of %q: %w", f.ActorID, f.LocalActor, err)
	}
	return nil
}

// SetFollowerState implements federation.Store.
func (s *FederationStore) SetFollowerState(ctx context.Context, id int64, state federation.FollowState, send *federation.Send, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var n int64
		var err error
		if state == "" {
			n, err = tx.q.exec(ctx, "DELETE FROM ap_followers WHERE id = $1", id)
		} else {
			n, err = tx.q.exec(ctx, "UPDATE ap_followers SET state = $2 WHERE id = $1", id, string(state))
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		if err := saveSend(ctx, tx, send); err != nil {
			return err
		}
		return recordAudit(ctx, tx.q, e)
	})
	if err != nil {
		return fmt.Errorf("set follower %d to %q: %w", id, state, err)
	}
	return nil
}

// RemoveFollower implements federation.Store.
func (s *FederationStore) RemoveFollower(ctx context.Context, localActor, actorID, followID string) (bool, error) {
	query, args := "DELETE FROM ap_followers WHERE local_actor = $1 AND actor_id = $2", []any{localActor, actorID}
	if followID != "" {
		query, args = query+" AND follow_id = $3", append(args, followID)
	}
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.q.exec(ctx, query, args...)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("remove follower %s of %q: %w", actorID, localActor, err)
	}
	return n > 0, nil
}

// RemoveActor implements federation.Store.
func (s *FederationStore) RemoveActor(ctx context.Context, actorID string) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM ap_followers WHERE actor_id = $1", actorID); err != nil {
			return err
		}
		if _, err := deleteReactions(ctx, tx, "DELETE FROM ap_reactions WHERE actor_id = $1 RETURNING article_id", actorID); err != nil {
			return err
		}
		_, err := tx.q.exec(ctx, "UPDATE ap_actors SET gone = $2 WHERE id = $1", actorID, true)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove fediverse actor %s: %w", actorID, err)
	}
	return nil
}

// Follower implements federation.Store.
func (s *FederationStore) Follower(ctx context.Context, id int64) (*federation.Follower, error) {
	f, err := scanFollower(s.db.reader().queryRow(ctx, "SELECT "+followerColumns+" FROM ap_followers WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("follower %d: %w", id, err))
	}
	return f, nil
}

// Followers implements federation.Store. A zero Limit counts without
// listing.
func (s *FederationStore) Followers(ctx context.Context, q federation.FollowerQuery) ([]*federation.Follower, int, error) {
	where, args := []string{"local_actor = $1"}, []any{q.LocalActor}
	if q.State != "" {
		args = append(args, string(q.State))
		where = append(where, fmt.Sprintf("state = $%d", len(args)))
	}
	if q.Search != "" {
		args = append(args, likePattern(q.Search))
		where = append(where, fmt.Sprintf(`lower(handle || ' ' || name || ' ' || host) LIKE $%d ESCAPE '\'`, len(args)))
	}
	cond := strings.Join(where, " AND ")
	r := s.db.reader()
	var total int
	if err := r.queryRow(ctx, "SELECT COUNT(*) FROM ap_followers WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count followers of %q: %w", q.LocalActor, err))
	}
	if q.Limit <= 0 || total == 0 {
		return nil, total, nil
	}
	args = append(args, q.Limit, max(q.Offset, 0))
	rs, err := r.query(ctx, fmt.Sprintf("SELECT %s FROM ap_followers WHERE %s ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d",
		followerColumns, cond, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list followers of %q: %w", q.LocalActor, err))
	}
	defer rs.Close()
	var out []*federation.Follower
	for rs.Next() {
		f, err := scanFollower(rs)
		if err != nil {
			return nil, 0, normalize(fmt.Errorf("list followers of %q: %w", q.LocalActor, err))
		}
		out = append(out, f)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list followers of %q: %w", q.LocalActor, err))
	}
	return out, total, nil
}

// DeliveryInboxes implements federation.Store. An inbox shared by
// followers of several instances (rare: a domain that delegates to
// another) is listed once, under the first host.
func (s *FederationStore) DeliveryInboxes(ctx context.Context, localActors []string) ([]federation.Inbox, error) {
	if len(localActors) == 0 {
		return nil, nil
	}
	args := []any{string(federation.FollowAccepted), string(federation.BlockDomain), string(federation.BlockActor)}
	marks := make([]string, len(localActors))
	for i, a := range localActors {
		args = append(args, a)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	rs, err := s.db.reader().query(ctx, `SELECT COALESCE(NULLIF(f.shared_inbox, ''), f.inbox) AS box, MIN(f.host)
		FROM ap_followers f
		WHERE f.state = $1 AND f.local_actor IN (`+strings.Join(marks, ", ")+`)
			AND NOT EXISTS (SELECT 1 FROM ap_blocks b
				WHERE (b.kind = $2 AND b.value = f.host) OR (b.kind = $3 AND b.value = f.actor_id))
		GROUP BY box ORDER BY box`, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("delivery inboxes of %q: %w", localActors, err))
	}
	defer rs.Close()
	var out []federation.Inbox
	for rs.Next() {
		var in federation.Inbox
		if err := rs.Scan(&in.URL, &in.Host); err != nil {
			return nil, normalize(fmt.Errorf("delivery inboxes of %q: %w", localActors, err))
		}
		out = append(out, in)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("delivery inboxes of %q: %w", localActors, err))
	}
	return out, nil
}

const actorColumns = `id, key_id, public_key_pem, inbox, shared_inbox, handle, name, url, icon_url, gone, fetched_at`

func scanRemoteActor(r row) (*federation.RemoteActor, error) {
	a := &federation.RemoteActor{}
	var fetched dbTime
	if err := r.Scan(&a.ID, &a.KeyID, &a.PublicKeyPEM, &a.Inbox, &a.SharedInbox, &a.Handle, &a.Name, &a.URL, &a.IconURL,
		&a.Gone, &fetched); err != nil {
		return nil, err
	}
	a.FetchedAt = fetched.t
	return a, nil
}

// RemoteActor implements federation.Store.
func (s *FederationStore) RemoteActor(ctx context.Context, id string) (*federation.RemoteActor, error) {
	a, err := scanRemoteActor(s.db.reader().queryRow(ctx, "SELECT "+actorColumns+" FROM ap_actors WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("fediverse actor %s: %w", id, err))
	}
	return a, nil
}

// RemoteActorByKey implements federation.Store. Nothing stops two cached
// actors from claiming one key id: the latest fetched wins, and the
// caller checks that the key belongs to the actor it names.
func (s *FederationStore) RemoteActorByKey(ctx context.Context, keyID string) (*federation.RemoteActor, error) {
	a, err := scanRemoteActor(s.db.reader().queryRow(ctx, "SELECT "+actorColumns+` FROM ap_actors WHERE key_id = $1
		ORDER BY fetched_at DESC LIMIT 1`, keyID))
	if err != nil {
		return nil, normalize(fmt.Errorf("fediverse actor of key %s: %w", keyID, err))
	}
	return a, nil
}

// SaveRemoteActor implements federation.Store.
func (s *FederationStore) SaveRemoteActor(ctx context.Context, a *federation.RemoteActor) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO ap_actors (`+actorColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, public_key_pem = excluded.public_key_pem, inbox = excluded.inbox,
				shared_inbox = excluded.shared_inbox, handle = excluded.handle, name = excluded.name, url = excluded.url,
				icon_url = excluded.icon_url, gone = excluded.gone, fetched_at = excluded.fetched_at`,
			a.ID, a.KeyID, a.PublicKeyPEM, a.Inbox, a.SharedInbox, a.Handle, a.Name, a.URL, a.IconURL, a.Gone, a.FetchedAt.UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("save fediverse actor %s: %w", a.ID, err)
	}
	return nil
}

// Blocks implements federation.Store.
func (s *FederationStore) Blocks(ctx context.Context) ([]federation.Block, error) {
	rs, err := s.db.reader().query(ctx, "SELECT kind, value, created_at FROM ap_blocks ORDER BY created_at DESC, kind, value")
	if err != nil {
		return nil, normalize(fmt.Errorf("fediverse blocks: %w", err))
	}
	defer rs.Close()
	var out []federation.Block
	for rs.Next() {
		var b federation.Block
		var kind string
		var created dbTime
		if err := rs.Scan(&kind, &b.Value, &created); err != nil {
			return nil, normalize(fmt.Errorf("fediverse blocks: %w", err))
		}
		b.Kind, b.CreatedAt = federation.BlockKind(kind), created.t
		out = append(out, b)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("fediverse blocks: %w", err))
	}
	return out, nil
}

// SaveBlock implements federation.Store. Blocking what is blocked already
// is a Conflict.
func (s *FederationStore) SaveBlock(ctx context.Context, b federation.Block, e *audit.Entry) error {
	var covered string
	switch b.Kind {
	case federation.BlockActor:
		covered = "DELETE FROM ap_followers WHERE actor_id = $1"
	case federation.BlockDomain:
		covered = "DELETE FROM ap_followers WHERE host = $1"
	default:
		return apperr.Errorf(apperr.Invalid, "block %q: unknown kind %q", b.Value, b.Kind)
	}
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "INSERT INTO ap_blocks (kind, value, created_at) VALUES ($1, $2, $3)",
			string(b.Kind), b.Value, b.CreatedAt.UTC()); err != nil {
			return err
		}
		if _, err := tx.q.exec(ctx, covered, b.Value); err != nil {
			return err
		}
		return recordAudit(ctx, tx.q, e)
	})
	if err != nil {
		return fmt.Errorf("block %s %q: %w", b.Kind, b.Value, err)
	}
	return nil
}

// DeleteBlock implements federation.Store.
func (s *FederationStore) DeleteBlock(ctx context.Context, kind federation.BlockKind, value string, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "DELETE FROM ap_blocks WHERE kind = $1 AND value = $2", string(kind), value)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		return recordAudit(ctx, tx.q, e)
	})
	if err != nil {
		return fmt.Errorf("lift the block of %s %q: %w", kind, value, err)
	}
	return nil
}

// bytesOrEmpty stores a nil body as an empty one: the body columns are
// NOT NULL.
func bytesOrEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
