package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestWriteStmts runs a write statement often enough to be prepared, then
// through the prepared statement, in committed and rolled-back
// transactions, and checks what each left.
func TestWriteStmts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if err := db.ExecForTest(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	const insert = "INSERT INTO t (v) VALUES ($1)"
	run := func(fail bool, vs ...string) error {
		return db.inTx(ctx, func(tx *Tx) error {
			for _, v := range vs {
				if _, err := tx.q.exec(ctx, insert, v); err != nil {
					return err
				}
			}
			if fail {
				return errors.New("rolled back")
			}
			return nil
		})
	}
	prepared := func() bool {
		db.writeStmts.mu.Lock()
		defer db.writeStmts.mu.Unlock()
		return db.writeStmts.stmts[insert] != nil
	}
	if err := run(false, "a"); err != nil || prepared() {
		t.Fatalf("after one run: err %v, prepared %v", err, prepared())
	}
	if err := run(false, "b", "c"); err != nil || !prepared() {
		t.Fatalf("after three runs: err %v, prepared %v", err, prepared())
	}
	if err := run(false, "d", "e"); err != nil {
		t.Fatal(err)
	}
	if err := run(true, "lost"); err == nil {
		t.Fatal("the failing transaction committed")
	}
	// A constraint error through the prepared statement rolls back too.
	if err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, insert, "f"); err != nil {
			return err
		}
		_, err := tx.q.exec(ctx, insert, nil)
		return err
	}); err == nil {
		t.Fatal("a NULL was stored in a NOT NULL column")
	}
	var n int
	var vs string
	if err := db.reader().queryRow(ctx, "SELECT count(*), group_concat(v, '') FROM (SELECT v FROM t ORDER BY id)").Scan(&n, &vs); err != nil {
		t.Fatal(err)
	}
	if n != 5 || vs != "abcde" {
		t.Errorf("rows = %d %q, want 5 \"abcde\"", n, vs)
	}
}
