package ids_test

import (
	"strings"
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
		if err != nil || u.Version() != 7 {
			t.Fatalf("%s: not a UUIDv7 (%v)", id, err)
		}
		sec, nsec := u.Time().UnixTime()
		if at := time.Unix(sec, nsec); at.Before(before) || at.After(time.Now().Add(time.Millisecond)) {
			t.Fatalf("%s carries %v, made between %v and now", id, at, before)
		}
	}
}
