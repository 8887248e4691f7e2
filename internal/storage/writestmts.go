package storage

import (
	"context"
	"database/sql"
	"sync"
)

// SQLite parses a statement every time it is run without being prepared,
// and in a write that stores twenty related-article lists, parsing was
// most of the time. writeStmts keeps the statements that writes run again
// and again prepared on the single write connection.
//
// A statement cannot be prepared on the write pool while a transaction
// holds its only connection, so a transaction notes the statements it ran
// unprepared and they are prepared once it has ended (see inTx); later
// transactions bind them with Tx.StmtContext, which reuses the statement
// prepared on that connection. Only statements run with exec are cached:
// their rows are read to the end at once, whereas a prepared query's open
// rows would be reset by a second use of it in the same transaction.
type writeStmts struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// seen counts the unprepared runs of each statement: one seen twice
	// is worth preparing; one seen once may be built for a single use (a
	// list of placeholders), and is forgotten when seen grows too large.
	seen map[string]int
	// ready counts the statements of seen worth preparing.
	ready int
}

const (
	// maxWriteStmts bounds the statements kept prepared.
	maxWriteStmts = 512
	// maxWriteSeen bounds the statements counted before being prepared.
	maxWriteSeen = 4096
)

// get returns the prepared statement for query, or nil and notes the run.
func (w *writeStmts) get(query string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	if st, ok := w.stmts[query]; ok {
		return st
	}
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	if len(w.seen) >= maxWriteSeen {
		clear(w.seen)
		w.ready = 0
	}
	w.seen[query]++
	if w.seen[query] == 2 && len(w.stmts) < maxWriteStmts {
		w.ready++
	}
	return nil
}

// prepare prepares on db, outside any transaction, the statements seen
// at least twice. A failure only leaves a statement unprepared.
func (w *writeStmts) prepare(ctx context.Context, db *sql.DB) {
	w.mu.Lock()
	var todo []string
	for q, n := range w.seen {
		if n >= 2 && len(w.stmts)+len(todo) < maxWriteStmts {
			todo = append(todo, q)
			delete(w.seen, q)
		}
	}
	w.ready = 0
	w.mu.Unlock()
	for _, q := range todo {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		w.mu.Lock()
		if w.stmts == nil {
			w.stmts = map[string]*sql.Stmt{}
		}
		if _, ok := w.stmts[q]; ok {
			_ = st.Close() //nolint:sqlclosecheck // a duplicate prepared concurrently
		} else {
			w.stmts[q] = st
		}
		w.mu.Unlock()
	}
}

// pending reports whether some statement waits to be prepared.
func (w *writeStmts) pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ready > 0
}

func (w *writeStmts) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, st := range w.stmts {
		_ = st.Close()
	}
	w.stmts, w.seen, w.ready = nil, nil, 0
}
