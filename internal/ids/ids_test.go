package ids_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/planwise/planwise/internal/ids"
)

// Ids sort in the order they were made and carry the time they were made: records keyed
// by them append to the primary-key index (BenchmarkHistoryPutRecordsIDs in store/sqlite
// measures what a random key costs).
func TestNewIsTimeOrdered(t *testing.T) {
	before := time.Now().Add(-time.Millisecond)
	prev := ""
	seen := map[string]bool{}
	for i := range 20000 {
		id := ids.New()
		if seen[id] {
			t.Fatalf("id %d repeats %s", i, id)
		}
		seen[id] = true
		if strings.Compare(id, prev) <= 0 {
			t.Fatalf("id %d %s does not sort after %s", i, id, prev)
		}
		prev = id
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 7 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("%s: not a UUIDv7 (%v)", id, err)
		}
		sec, nsec := u.Time().UnixTime()
		if at := time.Unix(sec, nsec); at.Before(before) || at.After(time.Now().Add(time.Millisecond)) {
			t.Fatalf("%s carries %v, made between %v and now", id, at, before)
		}
	}
}

// Ids made at once on several goroutines are all different, and each goroutine's sort in
// the order it made them.
func TestNewConcurrent(t *testing.T) {
	const workers, each = 4, 5000
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				got[w] = append(got[w], ids.New())
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, list := range got {
		for i, id := range list {
			if seen[id] {
				t.Fatalf("%s made twice", id)
			}
			seen[id] = true
			if i > 0 && id <= list[i-1] {
				t.Fatalf("%s does not sort after %s", id, list[i-1])
			}
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ids.New()
	}
}
