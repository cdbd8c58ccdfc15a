package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

func TestPositional(t *testing.T) {
	for _, c := range [][2]string{
		{`SELECT 1`, `SELECT 1`},
		{`UPDATE t SET a = $1 WHERE id = $2`, `UPDATE t SET a = ? WHERE id = ?`},
		{`VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// Out of order or repeated: kept, SQLite binds $n by name.
		{`SELECT $2, $1`, `SELECT $2, $1`},
		{`CASE WHEN a = 0 THEN $1 ELSE b END, ($1 - c)`, `CASE WHEN a = 0 THEN $1 ELSE b END, ($1 - c)`},
		{`SELECT $1, $3`, `SELECT $1, $3`},
		{`SELECT '$'`, `SELECT '$'`},
	} {
		if got := positional(c[0]); got != c[1] {
			t.Errorf("positional(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

// TestSQLKeepsStatements: statements are prepared once and kept up to maxStmts, past
// which they still run unprepared; a batch on a database of one connection (an
// in-memory SQLite) does not wait for a second connection to prepare on.
func TestSQLKeepsStatements(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	defer db.Close()
	q := NewSQL(db)
	defer q.Close()
	if _, err := q.Exec(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 3; k++ {
		if _, err := q.Exec(ctx, `INSERT INTO t (k, v) VALUES ($1, $2)`, k, "x"); err != nil {
			t.Fatal(err)
		}
	}
	upd := `UPDATE t SET v = $1 WHERE k = $2`
	done := make(chan error, 1)
	go func() {
		done <- q.Batch(ctx, []Stmt{{upd, []any{"y", 1}}, {upd, []any{"z", 2}}, {`DELETE FROM t WHERE k = $1`, []any{3}}})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the batch is blocked")
	}
	var got []string
	err = q.Query(ctx, `SELECT v FROM t WHERE k IN ($1, $2, $3) ORDER BY k`, []any{1, 2, 3}, func(row Scanner) error {
		var v string
		err := row.Scan(&v)
		got = append(got, v)
		return err
	})
	if err != nil || strings.Join(got, ",") != "y,z" {
		t.Errorf("after the batch: %v, %v; want y,z", got, err)
	}
	for i := range maxStmts + 5 {
		// Distinct texts: each is a statement of its own.
		if _, err := q.Exec(ctx, `INSERT INTO t (k, v) VALUES ($1, $2) -- `+strconv.Itoa(i), i+10, "x"); err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	if n := len(q.stmts); n != maxStmts {
		t.Errorf("%d statements kept, want %d", n, maxStmts)
	}
}
