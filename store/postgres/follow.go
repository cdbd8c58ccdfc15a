package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/cache"
)

// RemoteCache is the in-memory cache a Follower keeps in step with the store;
// *cache.Cache implements it. Its methods change memory only.
type RemoteCache interface {
	// ApplyRemote inserts or replaces an entry stored by another replica.
	ApplyRemote(ctx context.Context, e cache.Entry) error
	// ForgetRemote drops entries deleted by another replica.
	ForgetRemote(ids ...string) int
	// EntryIDs lists the entries held, for a full reconciliation.
	EntryIDs() []string
}

var _ RemoteCache = (*cache.Cache)(nil)

// FollowOptions configures a Follower. The zero value is usable.
type FollowOptions struct {
	// Logger receives connection losses and reconciliations (default: discard).
	Logger *slog.Logger
	// MinBackoff and MaxBackoff bound the delay between reconnection attempts, which
	// doubles from MinBackoff (defaults 50 ms and 5 s).
	MinBackoff, MaxBackoff time.Duration
	// Poll is how often the change log is read even when no notification arrived: a
	// safety net, not the main path (default 5 s).
	Poll time.Duration
	// Retain is how long changes stay in the log (default 1 h). A replica disconnected
	// for longer reconciles against the whole table when it comes back.
	Retain time.Duration
}

// Follower keeps one replica's in-memory cache in step with the changes the other
// replicas make to the shared store. Run it in a goroutine owned by the caller; it stops
// when its context ends.
//
// It LISTENs on a dedicated connection. After every (re)connection, on every
// notification from another replica and every Poll, it reads the change log from the
// last change it applied (the watermark), keeps the last change per entry, skips entries
// whose last change is its own replica's (its memory already has it), and applies the
// current row of the others: present, ApplyRemote; absent, ForgetRemote. Applying the
// current row rather than the logged operation makes replays harmless, so at-least-once
// delivery is enough. When the log was pruned past the watermark, it reconciles against
// the whole table instead.
type Follower struct {
	store *CacheStore
	c     RemoteCache
	opts  FollowOptions

	seq        atomic.Int64 // watermark: last change applied
	connected  atomic.Bool
	pid        atomic.Uint32
	reconnects atomic.Int64
	applied    atomic.Int64
	forgotten  atomic.Int64
	lastPrune  time.Time
}

// Follower returns a follower of s's change log applying to c. When s.LoadAll was the
// source of c's entries (cache.NewContext with s), it starts from the change that load
// saw; otherwise it begins with a full reconciliation.
func (s *CacheStore) Follower(c RemoteCache, opts FollowOptions) *Follower {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 50 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(5*time.Second, opts.MinBackoff)
	}
	if opts.Poll <= 0 {
		opts.Poll = 5 * time.Second
	}
	if opts.Retain <= 0 {
		opts.Retain = time.Hour
	}
	f := &Follower{store: s, c: c, opts: opts}
	if s.hasLoaded.Load() {
		f.seq.Store(s.loaded.Load())
	} else {
		f.seq.Store(-1) // reconcile fully first
	}
	return f
}

// FollowerStats describe a follower's state.
type FollowerStats struct {
	// Seq is the last change applied.
	Seq int64
	// Connected is whether the listening connection is up; PID is its backend's process
	// id (for pg_terminate_backend in tests).
	Connected bool
	PID       uint32
	// Reconnects counts connections made after the first.
	Reconnects int64
	// Applied and Forgotten count entries applied and dropped from other replicas.
	Applied, Forgotten int64
}

// Stats returns a snapshot of the follower's state; safe to call concurrently with Run.
func (f *Follower) Stats() FollowerStats {
	return FollowerStats{Seq: f.seq.Load(), Connected: f.connected.Load(), PID: f.pid.Load(),
		Reconnects: f.reconnects.Load(), Applied: f.applied.Load(), Forgotten: f.forgotten.Load()}
}

// Run follows the change log until ctx ends, reconnecting with backoff; it returns nil
// then. Errors on the way are logged and retried, never returned.
func (f *Follower) Run(ctx context.Context) error {
	backoff := f.opts.MinBackoff
	first := true
	for ctx.Err() == nil {
		if !first {
			f.reconnects.Add(1)
		}
		first = false
		err := f.session(ctx, func() { backoff = f.opts.MinBackoff })
		f.connected.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		f.opts.Logger.Warn("cache follower: connection lost; reconnecting", "err", err, "backoff", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, f.opts.MaxBackoff)
	}
	return nil
}

// session connects, listens, catches up and then applies notifications until the
// connection fails; up is called once the session is established.
func (f *Follower) session(ctx context.Context, up func()) error {
	cfg, err := pgx.ParseConfig(f.store.db.dsn)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = "planwise-cache-follower"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{f.store.db.channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	f.pid.Store(conn.PgConn().PID())
	// Listening first, then reading: a change committed in between is both read and
	// notified, never neither.
	if err := f.catchUp(ctx); err != nil {
		return fmt.Errorf("catch up: %w", err)
	}
	f.connected.Store(true)
	up()
	for {
		wctx, cancel := context.WithTimeout(ctx, f.opts.Poll)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			if err := f.catchUp(ctx); err != nil {
				return fmt.Errorf("catch up: %w", err)
			}
			f.maybePrune(ctx)
			continue
		case err != nil:
			return err
		}
		p, err := parsePayload(n.Payload)
		if err != nil {
			f.opts.Logger.Warn("cache follower: ignoring notification", "err", err)
			continue
		}
		seq := f.seq.Load()
		switch {
		case p.Seq <= seq:
			// already applied by an earlier catch-up
		case p.Origin == f.store.origin && p.Count == 1 && p.Seq == seq+1:
			f.seq.Store(p.Seq) // our own change, next in line: nothing to read
		default:
			if err := f.catchUp(ctx); err != nil {
				return fmt.Errorf("catch up: %w", err)
			}
		}
	}
}

type change struct {
	seq    int64
	id     string
	origin string
}

// catchUp applies every change after the watermark.
func (f *Follower) catchUp(ctx context.Context) error {
	for {
		from := f.seq.Load()
		if from < 0 {
			if err := f.reconcile(ctx); err != nil {
				return err
			}
			continue
		}
		var pruned int64
		var changes []change
		err := pgx.BeginTxFunc(ctx, f.store.db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT pruned_upto FROM cache_log_state`).Scan(&pruned); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT seq, entry_id, origin FROM cache_changes WHERE seq > $1 ORDER BY seq LIMIT 5000`, from)
			if err != nil {
				return err
			}
			changes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (change, error) {
				var c change
				return c, r.Scan(&c.seq, &c.id, &c.origin)
			})
			return err
		})
		if err != nil {
			return err
		}
		if pruned > from {
			f.opts.Logger.Info("cache follower: change log pruned past our position; reconciling", "seq", from, "pruned_upto", pruned)
			f.seq.Store(-1)
			continue
		}
		if len(changes) == 0 {
			return nil
		}
		// The last change per entry decides; our own replica's changes are in memory.
		last := map[string]change{}
		for _, c := range changes {
			last[c.id] = c
		}
		var ids []string
		for id, c := range last {
			if c.origin != f.store.origin {
				ids = append(ids, id)
			}
		}
		if err := f.applyCurrent(ctx, ids); err != nil {
			return err
		}
		f.seq.Store(changes[len(changes)-1].seq)
		if len(changes) < 5000 {
			return nil
		}
	}
}

// applyCurrent applies the current row of each id: present, ApplyRemote; absent,
// ForgetRemote.
func (f *Follower) applyCurrent(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	es, err := f.store.entries(ctx, ids)
	if err != nil {
		return err
	}
	present := make(map[string]bool, len(es))
	for _, e := range es {
		present[e.ID] = true
		if err := f.c.ApplyRemote(ctx, e); err != nil {
			return err
		}
		f.applied.Add(1)
	}
	var gone []string
	for _, id := range ids {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		f.forgotten.Add(int64(f.c.ForgetRemote(gone...)))
	}
	return nil
}

// reconcile makes memory equal to the table as of one snapshot and sets the watermark
// to that snapshot's last change.
func (f *Follower) reconcile(ctx context.Context) error {
	es, seq, err := f.store.snapshot(ctx)
	if err != nil {
		return err
	}
	present := make(map[string]bool, len(es))
	for _, e := range es {
		present[e.ID] = true
		if err := f.c.ApplyRemote(ctx, e); err != nil {
			return err
		}
	}
	var gone []string
	for _, id := range f.c.EntryIDs() {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	f.forgotten.Add(int64(f.c.ForgetRemote(gone...)))
	f.seq.Store(seq)
	return nil
}

// maybePrune deletes changes older than Retain, at most once per Retain/4 per replica.
func (f *Follower) maybePrune(ctx context.Context) {
	if time.Since(f.lastPrune) < f.opts.Retain/4 {
		return
	}
	f.lastPrune = time.Now()
	if err := f.store.db.PruneCacheChanges(ctx, f.opts.Retain); err != nil {
		f.opts.Logger.Warn("cache follower: prune change log", "err", err)
	}
}

// PruneCacheChanges deletes cache changes older than age and records how far the log
// was pruned, so that followers behind that point reconcile fully.
func (d *DB) PruneCacheChanges(ctx context.Context, age time.Duration) error {
	_, err := d.Pool.Exec(ctx, `WITH d AS (DELETE FROM cache_changes WHERE at < now() - $1::interval RETURNING seq)
		UPDATE cache_log_state SET pruned_upto = GREATEST(pruned_upto, (SELECT COALESCE(max(seq), 0) FROM d))`, age)
	if err != nil {
		return fmt.Errorf("postgres: prune cache changes: %w", err)
	}
	return nil
}
