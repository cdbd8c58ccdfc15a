package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leader elects one replica among those sharing the database, with a session advisory
// lock held on a dedicated connection: it implements metrics.Leader so that only the
// replica holding the lock sends alert webhooks. Run it in a goroutine owned by the
// caller.
//
// A replica that loses its connection loses the lock at once on the server and notices
// at its next check (Interval), so two replicas may both believe they lead for at most
// one Interval; alerts are evaluated every 15 s by default, so a duplicate webhook
// needs a connection loss within that window.
type Leader struct {
	db       *DB
	purpose  string
	interval time.Duration
	log      *slog.Logger
	leading  atomic.Bool
}

// Leader returns an election for purpose (e.g. "alerts") checked every interval
// (default 2 s). log may be nil.
func (d *DB) Leader(purpose string, interval time.Duration, log *slog.Logger) *Leader {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Leader{db: d, purpose: purpose, interval: interval, log: log}
}

// IsLeader reports whether this replica held the lock at its last check.
func (l *Leader) IsLeader() bool { return l.leading.Load() }

// Run takes part in the election until ctx ends, then releases the lock.
func (l *Leader) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		err := l.session(ctx)
		l.leading.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		l.log.Warn("leader election: connection lost", "purpose", l.purpose, "err", err)
		t := time.NewTimer(l.interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
	return nil
}

func (l *Leader) session(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(l.db.dsn)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = "planwise-leader"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	// Closing the session releases a held lock.
	defer conn.Close(context.WithoutCancel(ctx))
	key := l.db.lockKey("leader\x00" + l.purpose)
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		if l.leading.Load() {
			if _, err := conn.Exec(ctx, `SELECT 1`); err != nil {
				return err
			}
		} else {
			var got bool
			if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
				return err
			}
			if got {
				l.log.Info("leader election: this replica leads", "purpose", l.purpose)
			}
			l.leading.Store(got)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
