package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Entities named in change notices.
const (
	EntityArticle = "article"
	// EntityPage is a static page, which every page's footer links to.
	EntityPage     = "page"
	EntityTaxonomy = "taxonomy"
	EntitySettings = "settings"
	EntityUser     = "user"
	// EntityAll means anything may have changed: after a bulk import, or
	// when an instance lost its connection and may have missed notices.
	EntityAll = "all"
)

// Change tells what a committed write changed, so caches can drop exactly
// what shows it.
type Change struct {
	Entity string
	// IDs lists the changed records; empty means all records of Entity.
	IDs []int64
}

const (
	changesChannel = "kiosque_changes"
	// maxPayload stays under PostgreSQL's 8000-byte NOTIFY limit.
	maxPayload = 7000
)

// changeHub fans change notices out to this instance's subscribers.
type changeHub struct {
	mu       sync.RWMutex
	subs     []func([]Change)
	instance string
}

func newChangeHub() *changeHub {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &changeHub{instance: hex.EncodeToString(b)}
}

// OnChange registers fn to be called after every committed change, from
// this instance or, on PostgreSQL, from any other instance on the same
// database. fn must be quick and must not block.
func (db *DB) OnChange(fn func([]Change)) {
	db.changes.mu.Lock()
	defer db.changes.mu.Unlock()
	db.changes.subs = append(db.changes.subs, fn)
}

// NotifyAll tells every instance that anything may have changed (after a
// bulk import or a restore).
func (db *DB) NotifyAll(ctx context.Context) error {
	return db.inTx(ctx, func(tx *Tx) error {
		tx.changed(Change{Entity: EntityAll})
		return nil
	})
}

func (h *changeHub) publish(changes []Change) {
	if len(changes) == 0 {
		return
	}
	h.mu.RLock()
	subs := h.subs
	h.mu.RUnlock()
	for _, fn := range subs {
		fn(changes)
	}
}

// encodeChanges turns changes into a NOTIFY payload "instance|entity:1,2;entity".
func encodeChanges(instance string, changes []Change) string {
	if len(changes) == 0 {
		return ""
	}
	var b strings.Builder
	for i, c := range changes {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(c.Entity)
		if len(c.IDs) > 0 {
			b.WriteByte(':')
			for j, id := range c.IDs {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.FormatInt(id, 10))
			}
		}
	}
	if b.Len() > maxPayload {
		return instance + "|" + EntityAll
	}
	return instance + "|" + b.String()
}

func decodeChanges(payload string) []Change {
	var out []Change
	for part := range strings.SplitSeq(payload, ";") {
		entity, ids, _ := strings.Cut(part, ":")
		if entity == "" {
			continue
		}
		c := Change{Entity: entity}
		if ids != "" {
			for s := range strings.SplitSeq(ids, ",") {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					c.IDs = nil
					break
				}
				c.IDs = append(c.IDs, id)
			}
		}
		out = append(out, c)
	}
	return out
}

// listen receives change notices from other instances over PostgreSQL
// LISTEN/NOTIFY, reconnecting with backoff until ctx ends. Notices sent by
// this instance were already delivered locally at commit and are skipped.
func (db *DB) listen(ctx context.Context) {
	defer close(db.done)
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := db.listenOnce(ctx, func() {
			backoff = 100 * time.Millisecond
			if !first {
				// Notices may have been missed while disconnected.
				db.changes.publish([]Change{{Entity: EntityAll}})
			}
			first = false
		})
		if ctx.Err() != nil {
			return
		}
		db.log.Warn("change listener disconnected", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (db *DB) listenOnce(ctx context.Context, connected func()) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return err
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		from, payload, ok := strings.Cut(n.Payload, "|")
		if !ok || from == db.changes.instance {
			continue
		}
		db.changes.publish(decodeChanges(payload))
	}
}
