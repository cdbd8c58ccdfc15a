package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/store/postgres"
)

// postgresStores is what store.driver: postgres gives the commands: the cache, run and
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

// postgresStores opens the configured PostgreSQL database (applying migrations). The
// caller closes it with Close after stopping what Start started.
func (a *app) postgresStores(ctx context.Context) (*postgresStores, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cfg.Store.DSN)
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
