package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/datadir"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/store/sqlite"
)

// Stores are the persistent stores of one process, whatever the driver: nil fields mean
// "keep it in memory" (driver memory, or Options.Memory).
type Stores struct {
	Cache   cache.Store
	Runs    execute.RunStore
	History history.Store
	Spend   metrics.SpendStore
	sqlite  *sqlite.DB
	pg      *postgresStores
}

// Ready reports whether the store can be read (readiness), nil for memory.
func (s *Stores) Ready(ctx context.Context) error {
	switch {
	case s.sqlite != nil:
		return s.sqlite.Ready(ctx)
	case s.pg != nil:
		return s.pg.DB.Ready(ctx)
	}
	return nil
}

func (s *Stores) close() {
	if s.sqlite != nil {
		s.sqlite.Close()
	}
	if s.pg != nil {
		s.pg.Close()
	}
}

// Stores opens the configured store once: SQLite (the embedded default), PostgreSQL
// (shared by replicas) or memory. Close closes it.
func (a *App) Stores(ctx context.Context) (*Stores, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.storesLocked(ctx)
}

func (a *App) storesLocked(ctx context.Context) (*Stores, error) {
	if a.stores != nil {
		return a.stores, nil
	}
	cfg := a.cfg
	st := &Stores{}
	switch {
	case a.opts.Memory || cfg.Store.Driver == "memory":
	case cfg.Store.Driver == "sqlite":
		loc, err := a.storeLocation()
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if a.opts.ReadOnly && loc.Missing() { // nothing to read: create nothing
			a.missing = loc.Path
			break
		}
		dir, err := datadir.MakeDir(loc)
		if dir != "" {
			fmt.Fprintf(a.opts.Stderr, "planwise: created the directory %s for store.path\n", dir)
		}
		created := false
		if err == nil {
			created, err = datadir.Prepare(loc)
		}
		if err != nil {
			return nil, fmt.Errorf("store: %w (fix: set store.path to a writable file, or store.driver: memory)", err)
		}
		if created && loc.Reason == datadir.DataDir {
			fmt.Fprintf(a.opts.Stderr, "planwise: created %s: the history, cache and runs of every planwise command run as this user\n", loc.Path)
		}
		db, err := sqlite.Open(ctx, loc.Path)
		if err != nil {
			return nil, fmt.Errorf("store: %w (fix: set store.path to a writable file, or store.driver: memory)", err)
		}
		st.sqlite, st.Cache, st.Runs, st.History, st.Spend = db, db.CacheStore(), db.Runs(), db.HistoryStore(), db.SpendStore()
	case cfg.Store.Driver == "postgres":
		pg, err := openPostgres(ctx, cfg.Store.DSN, a.opts.ReadOnly)
		if se, ok := errors.AsType[*postgres.SchemaError](err); ok && se.Absent {
			a.missing = "the planwise store in " + se.Where() // nothing to read: create nothing
			break
		}
		if err != nil {
			return nil, err
		}
		st.pg, st.Cache, st.Runs, st.History, st.Spend = pg, pg.Cache, pg.Runs, pg.History, pg.DB.SpendStore()
	default:
		return nil, fmt.Errorf("store.driver %q is not supported (fix: use sqlite, postgres or memory)", cfg.Store.Driver)
	}
	a.stores = st
	return st, nil
}

// StoreMissing is, with Options.ReadOnly, the store that does not exist (the app then
// keeps everything in memory): the SQLite file's path, or "the planwise store in
// PostgreSQL user@host:port/database, schema S" when the database has none (a read-only
// app applies no migration: postgres.OpenExisting); "" otherwise. It opens the stores
// when nothing has yet (as Stores), so its answer does not depend on what was called
// before it; the error is Stores'.
func (a *App) StoreMissing(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.storesLocked(ctx); err != nil {
		return "", err
	}
	return a.missing, nil
}

// storeLocation resolves once where the SQLite store is (store.path, else the default
// of package datadir); the configuration's store.path is set to it. a.mu is held.
func (a *App) storeLocation() (datadir.Store, error) {
	if !a.locDone {
		a.locDone = true
		a.loc, a.locErr = datadir.ResolveStore(a.cfg.Store.Path, ".", os.Getenv)
		if a.locErr == nil {
			a.cfg.Store.Path = a.loc.Path
		}
	}
	return a.loc, a.locErr
}

// StoreSummary says where this process keeps its data, for start-up messages.
func (a *App) StoreSummary() string {
	switch {
	case a.opts.Memory || a.cfg.Store.Driver == "memory":
		return "memory (nothing is kept after exit)"
	case a.cfg.Store.Driver == "postgres":
		return "postgres (store.dsn)"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	loc, err := a.storeLocation()
	if err != nil {
		return "unknown"
	}
	return loc.Describe()
}

// postgresStores is what store.driver: postgres gives the app: the cache, run and
// history stores on the shared database, and the replica machinery: the cache follower
// (applies what other replicas store, evict and invalidate) and the alert leader
// election (only the leader sends alert webhooks; pass Leader as
// metrics.AlertOptions.Leader).
type postgresStores struct {
	DB      *postgres.DB
	Cache   *postgres.CacheStore
	Runs    *postgres.Runs
	History *postgres.HistoryStore
	Leader  *postgres.Leader
}

// openPostgres opens the PostgreSQL database at dsn (applying migrations). The caller
// closes it with Close after stopping what Start started.
func openPostgres(ctx context.Context, dsn string, readOnly bool) (*postgresStores, error) {
	open := postgres.Open
	if readOnly {
		open = postgres.OpenExisting // a command that only reads changes no schema
	}
	db, err := open(ctx, dsn)
	if _, ok := errors.AsType[*postgres.SchemaError](err); ok {
		return nil, fmt.Errorf("store: %w", err) // it says the fix
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w (fix: check store.dsn and that PostgreSQL is reachable)", err)
	}
	// Unique per opening, readable in the change log: host, process, and random bits.
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	origin := fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	return &postgresStores{DB: db, Cache: db.CacheStore(origin), Runs: db.Runs(), History: db.HistoryStore(),
		Leader: db.Leader("alerts", 2*time.Second, nil)}, nil
}

// Start runs the leader election and, when c is not nil (the cache is enabled), the
// follower keeping c in step with the other replicas. c must have been built on
// s.Cache (cache.NewContext loads it and the follower starts from that load). stop ends
// both and waits for them.
func (s *postgresStores) Start(ctx context.Context, c *cache.Cache, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Leader.Run(ctx) }()
	if c != nil {
		f := s.Cache.Follower(c, postgres.FollowOptions{Logger: log})
		wg.Add(1)
		go func() { defer wg.Done(); f.Run(ctx) }()
	}
	return func() { cancel(); wg.Wait() }
}

// Close closes the database.
func (s *postgresStores) Close() { s.DB.Close() }
