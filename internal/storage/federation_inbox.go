package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/job"
)

// SaveInbox implements federation.Store.
func (s *FederationStore) SaveInbox(ctx context.Context, it *federation.InboxItem, process func(id int64) job.Job) (bool, error) {
	var inserted bool
	err := s.db.inTx(ctx, func(tx *Tx) error {
		rs, err := tx.q.query(ctx, `INSERT INTO ap_inbox (activity_id, actor_id, type, body, received_at, outcome, processed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (activity_id) DO NOTHING RETURNING id`,
			it.ActivityID, it.ActorID, it.Type, bytesOrEmpty(it.Body), it.ReceivedAt.UTC(), it.Outcome, nullTime(it.ProcessedAt))
		if err != nil {
			return err
		}
		inserted = rs.Next()
		if inserted {
			err = rs.Scan(&it.ID)
		} else {
			err = rs.Err()
		}
		rs.Close()
		if err != nil {
			return err
		}
		if !inserted || process == nil {
			return nil
		}
		return tx.enqueue(ctx, []job.Job{process(it.ID)})
	})
	if err != nil {
		return false, fmt.Errorf("store received activity %s: %w", it.ActivityID, err)
	}
	return inserted, nil
}

// InboxItem implements federation.Store.
func (s *FederationStore) InboxItem(ctx context.Context, id int64) (*federation.InboxItem, error) {
	it := &federation.InboxItem{}
	var received, processed dbTime
	err := s.db.reader().queryRow(ctx, `SELECT id, activity_id, actor_id, type, body, received_at, outcome, processed_at
		FROM ap_inbox WHERE id = $1`, id).Scan(&it.ID, &it.ActivityID, &it.ActorID, &it.Type, &it.Body, &received, &it.Outcome, &processed)
	if err != nil {
		return nil, normalize(fmt.Errorf("received activity %d: %w", id, err))
	}
	it.ReceivedAt, it.ProcessedAt = received.t, processed.t
	return it, nil
}

// FinishInbox implements federation.Store.
func (s *FederationStore) FinishInbox(ctx context.Context, id int64, outcome string, at time.Time) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE ap_inbox SET outcome = $2, processed_at = $3 WHERE id = $1", id, outcome, nullTime(at))
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish received activity %d: %w", id, err)
	}
	return nil
}

// PurgeInbox implements federation.Store.
func (s *FederationStore) PurgeInbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.q.exec(ctx, "DELETE FROM ap_inbox WHERE received_at < $1", before.UTC())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge activities received before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// SaveReaction implements federation.Store. No change notice: only the
// back office shows the counts, and a busy inbox would otherwise purge
// the article's cached pages at every like.
func (s *FederationStore) SaveReaction(ctx context.Context, r *federation.Reaction) (bool, error) {
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.q.exec(ctx, `INSERT INTO ap_reactions (activity_id, kind, actor_id, article_id, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_id) DO NOTHING`,
			r.ActivityID, string(r.Kind), r.ActorID, r.ArticleID, r.CreatedAt.UTC())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store %s %s of article %d: %w", r.Kind, r.ActivityID, r.ArticleID, err)
	}
	return n > 0, nil
}

// DeleteReaction implements federation.Store.
func (s *FederationStore) DeleteReaction(ctx context.Context, activityID, actorID string) (bool, error) {
	var articles []int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		articles, err = deleteReactions(ctx, tx, "DELETE FROM ap_reactions WHERE activity_id = $1 AND actor_id = $2 RETURNING article_id",
			activityID, actorID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("delete reaction %s: %w", activityID, err)
	}
	return len(articles) > 0, nil
}

// deleteReactions runs a DELETE … RETURNING article_id and returns the
// articles whose counts changed, each once.
func deleteReactions(ctx context.Context, tx *Tx, query string, args ...any) ([]int64, error) {
	rs, err := tx.q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []int64
	seen := map[int64]bool{}
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, rs.Err()
}

// reactionCountsChunk bounds the ids of one query, well under both
// databases' limits on parameters.
const reactionCountsChunk = 500

// ReactionCounts implements federation.Store. An account counts once per
// article and kind, however many Likes it sent. Every id asked for is in
// the map, with zero counts when it has none.
func (s *FederationStore) ReactionCounts(ctx context.Context, ids []int64) (map[int64]federation.Reactions, error) {
	out := make(map[int64]federation.Reactions, len(ids))
	for _, id := range ids {
		out[id] = federation.Reactions{}
	}
	r := s.db.reader()
	for start := 0; start < len(ids); start += reactionCountsChunk {
		chunk := ids[start:min(start+reactionCountsChunk, len(ids))]
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args[i] = id
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		rs, err := r.query(ctx, `SELECT article_id, kind, COUNT(DISTINCT actor_id) FROM ap_reactions
			WHERE article_id IN (`+strings.Join(marks, ", ")+`) GROUP BY article_id, kind`, args...)
		if err != nil {
			return nil, normalize(fmt.Errorf("reaction counts: %w", err))
		}
		err = func() error {
			defer rs.Close()
			for rs.Next() {
				var id int64
				var kind string
				var n int
				if err := rs.Scan(&id, &kind, &n); err != nil {
					return err
				}
				c := out[id]
				switch federation.ReactionKind(kind) {
				case federation.ReactionLike:
					c.Likes = n
				case federation.ReactionAnnounce:
					c.Boosts = n
				}
				out[id] = c
			}
			return rs.Err()
		}()
		if err != nil {
			return nil, normalize(fmt.Errorf("reaction counts: %w", err))
		}
	}
	return out, nil
}
