package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/pgtest"
)

// A record written again in another arm of its experiment (a request id two callers
// both sent, planned in different arms) moves its count from one tally row to the
// other. The trigger locked the old arm's row, then the new arm's: two writers moving
// records across the same two arms in opposite directions deadlocked, and PostgreSQL
// aborted one of them (a history write lost). It now locks both rows in one order,
// (experiment, variant) in bytes, before touching either.
//
// Deterministic: another transaction holds arm "a"'s row while the record moves from
// "b" to "a". Locking in order, the writer waits for "a" holding nothing, and "b" is
// free; in the old order it held "b" while waiting, and the other transaction could
// not take "b" (waiting for it would be the deadlock).
func TestMoveBetweenArmsLocksTalliesInOrder(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hs := open(t, dsn).HistoryStore()
	rec := func(id, variant string) *history.Record {
		return &history.Record{ID: id, RequestID: id, Tenant: "t", Request: "request " + id, Template: "request",
			Source: "llm", Valid: true, Experiment: "x", Variant: variant, Time: time.Unix(1_800_000_000, 0)}
	}
	for _, r := range []*history.Record{rec("r1", "a"), rec("r2", "b")} {
		if err := hs.PutRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var holder int32
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM experiment_tallies WHERE experiment = 'x' AND variant = 'a' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}

	moved := make(chan error, 1)
	go func() { moved <- hs.PutRecord(ctx, rec("r2", "a")) }()
	// Wait until the writer waits for the row this transaction holds.
	for {
		var waiting int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE NOT granted AND $1 = ANY(pg_blocking_pids(pid))`, holder).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-moved:
			t.Fatalf("the move did not wait for arm a's tally row, which another transaction holds (%v)", err)
		case <-ctx.Done():
			t.Fatal("the move never waited for arm a's tally row")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM experiment_tallies WHERE experiment = 'x' AND variant = 'b' FOR UPDATE NOWAIT`); err != nil {
		t.Fatalf("arm b's tally row is held by the writer waiting for arm a's (%v): the two lock in opposite orders, a deadlock", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-moved; err != nil {
		t.Fatal(err)
	}
	got, err := hs.Tallies(ctx, "x")
	if err != nil || got["a"].Requests != 2 || got["b"].Requests != 0 {
		t.Fatalf("tallies %+v (%v); want a: 2 requests, b: 0", got, err)
	}
}

// A batch PostgreSQL aborts to break a deadlock is written again, not lost: the records
// of a batch lock their arms' tally rows in order, but a record moving between arms
// within a batch locks two rows at once, and a writer outside planwise may lock in any
// order. The abort rolls the whole transaction back, so trying it again is safe.
//
// Deterministic: another transaction holds arm "b"'s row while a batch that writes arm
// "a" then arm "b" waits for it, then asks for "a": a deadlock. Its session waits 30 s
// before checking for one, the batch's 1 s (PostgreSQL's default), so the batch is the
// one aborted.
func TestBatchAbortedByADeadlockIsRetried(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := open(t, dsn)
	hs := db.HistoryStore()
	rec := func(id, variant string) *history.Record {
		return &history.Record{ID: id, RequestID: id, Tenant: "t", Request: "request " + id, Template: "request",
			Source: "llm", Valid: true, Experiment: "x", Variant: variant, Time: time.Unix(1_800_000_000, 0)}
	}
	if err := hs.PutRecords(ctx, []*history.Record{rec("r1", "a"), rec("r2", "b")}); err != nil {
		t.Fatal(err)
	}
	var dl string
	if err := db.Pool.QueryRow(ctx, `SHOW deadlock_timeout`).Scan(&dl); err != nil || dl != "1s" {
		t.Skipf("the server's deadlock_timeout is %q (%v); the test needs the default 1s", dl, err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `SET deadlock_timeout = '30s'`); err != nil {
		t.Skipf("cannot set this session's deadlock_timeout (a superuser's setting): %v", err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var holder int32
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM experiment_tallies WHERE experiment = 'x' AND variant = 'b' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	written := make(chan error, 1)
	go func() { written <- hs.PutRecords(ctx, []*history.Record{rec("r3", "a"), rec("r4", "b")}) }()
	for {
		var waiting int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE NOT granted AND $1 = ANY(pg_blocking_pids(pid))`, holder).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-written:
			t.Fatalf("the batch did not wait for arm b's tally row, which another transaction holds (%v)", err)
		case <-ctx.Done():
			t.Fatal("the batch never waited for arm b's tally row")
		case <-time.After(5 * time.Millisecond):
		}
	}
	// The batch holds "a" and waits for "b"; this waits for "a" until PostgreSQL aborts
	// the batch (after its 1 s).
	if _, err := tx.Exec(ctx, `SELECT 1 FROM experiment_tallies WHERE experiment = 'x' AND variant = 'a' FOR UPDATE`); err != nil {
		t.Fatalf("the other transaction was the one aborted: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-written; err != nil {
		t.Fatalf("the batch aborted by the deadlock: %v; want it written again", err)
	}
	got, err := hs.Tallies(ctx, "x")
	if err != nil || got["a"].Requests != 2 || got["b"].Requests != 2 {
		t.Fatalf("tallies %+v (%v); want 2 requests in each arm", got, err)
	}
}
