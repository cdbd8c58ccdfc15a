package cache

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// Store persists cache entries. The cache writes through on Store, Evict and
// invalidation, and reads everything once, in New. Implementations are safe for
// concurrent use.
type Store interface {
	// Put inserts or replaces the entry with e.ID; an entry without a plan is an error.
	Put(ctx context.Context, e Entry) error
	// Delete removes the entries with the given ids; absent ids are not an error.
	Delete(ctx context.Context, ids ...string) error
	// LoadAll returns every stored entry.
	LoadAll(ctx context.Context) ([]Entry, error)
}

// Toucher is implemented by stores that can record use (last use and hit count) without
// rewriting whole entries. Cache.Flush calls it; without it, use survives a restart only
// as of the last Put.
type Toucher interface {
	Touch(ctx context.Context, uses []Use) error
}

// Use is the recorded use of one entry.
type Use struct {
	ID       string
	LastUsed time.Time
	Hits     int64
}

// Entry is one cached plan with everything needed to serve it again.
type Entry struct {
	// ID is derived from the namespace and the normalised request (see EntryID).
	ID        string
	Namespace Namespace
	// Request is the request as first stored; Normalized is its exact-path key text.
	Request    string
	Normalized string
	// Template is the request with its slots abstracted; it is what was embedded.
	Template string
	// Slots are the slots of Request, resolved when the entry was stored.
	Slots []slot.Slot
	Plan  *plan.Plan
	// Embedder names the embedding space of Vector (embed.Embedder.Name).
	Embedder string
	Vector   []float32
	Created  time.Time
	LastUsed time.Time
	Hits     int64
}

// MemoryStore is a Store in memory: for tests, and for a cache that need not survive a
// restart.
type MemoryStore struct {
	mu      sync.Mutex
	entries map[string]Entry
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{entries: map[string]Entry{}} }

// Put stores a copy of e.
func (m *MemoryStore) Put(_ context.Context, e Entry) error {
	if e.Plan == nil {
		return fmt.Errorf("cache: entry %s has no plan", e.ID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[e.ID] = copyEntry(e)
	return nil
}

// Delete removes ids.
func (m *MemoryStore) Delete(_ context.Context, ids ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		delete(m.entries, id)
	}
	return nil
}

// LoadAll returns copies of every entry, ordered by ID.
func (m *MemoryStore) LoadAll(context.Context) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Entry, 0, len(m.entries))
	for _, e := range m.entries {
		out = append(out, copyEntry(e))
	}
	slices.SortFunc(out, func(a, b Entry) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, nil
}

// Touch records uses.
func (m *MemoryStore) Touch(_ context.Context, uses []Use) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range uses {
		if e, ok := m.entries[u.ID]; ok {
			e.LastUsed, e.Hits = u.LastUsed, u.Hits
			m.entries[u.ID] = e
		}
	}
	return nil
}

// Len is the number of stored entries.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

func copyEntry(e Entry) Entry {
	e.Slots = slices.Clone(e.Slots)
	e.Plan = e.Plan.Clone()
	e.Vector = slices.Clone(e.Vector)
	return e
}

var (
	_ Store   = (*MemoryStore)(nil)
	_ Toucher = (*MemoryStore)(nil)
)
