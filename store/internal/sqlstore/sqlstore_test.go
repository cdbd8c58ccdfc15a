package sqlstore

import "testing"

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
