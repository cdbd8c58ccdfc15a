package cache

import (
	"context"
	"fmt"
)

// Replica sync: several processes share one Store (store/postgres) and each keeps its
// own in-memory index. What one replica stores, evicts or invalidates reaches the others
// through the store, which calls the methods below on their caches. They change memory
// only: the change is already persisted by the replica that made it, and writing it back
// would echo it forever.

// ApplyRemote inserts or replaces an entry another replica stored. An entry whose
// Embedder or vector size differs from this cache's embedder is re-embedded from its
// template (replicas may disagree during a roll-out); an expired one is forgotten
// instead. Applying the entry already held (same ID and creation time) does nothing.
// Entries evicted for capacity to make room are dropped from memory only: their rows
// stay for the replicas that still serve them (the storing replica deletes its own
// victims).
func (c *Cache) ApplyRemote(ctx context.Context, e Entry) error {
	now := c.cfg.Now()
	if e.Plan == nil || c.expired(e.Created, now) {
		c.ForgetRemote(e.ID)
		return nil
	}
	c.mu.Lock()
	old := c.byID[e.ID]
	same := old != nil && old.Created.Equal(e.Created) && old.Request == e.Request
	c.mu.Unlock()
	if same {
		return nil
	}
	e = copyEntry(e)
	if e.Embedder != c.emb.Name() || len(e.Vector) != c.emb.Dim() {
		vs, err := c.emb.Embed(ctx, []string{e.Template})
		if err != nil {
			return fmt.Errorf("cache: re-embed remote entry %s: %w", e.ID, err)
		}
		e.Embedder, e.Vector = c.emb.Name(), vs[0]
	}
	c.mu.Lock()
	victims := c.insertLocked(e, false, false)
	c.stats.EvictedCapacity += int64(len(victims))
	c.mu.Unlock()
	return nil
}

// ForgetRemote drops entries another replica deleted (feedback, invalidation, expiry,
// capacity) from memory, and returns how many were held.
func (c *Cache) ForgetRemote(ids ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, id := range ids {
		if e := c.byID[id]; e != nil {
			c.removeLocked(e)
			n++
		}
	}
	return n
}

// EntryIDs returns the ids of every entry held in memory, in no particular order: a
// replica that lost track of changes reconciles against the store with it.
func (c *Cache) EntryIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.byID))
	for id := range c.byID {
		ids = append(ids, id)
	}
	return ids
}
