package metrics

import (
	"sync"
	"sync/atomic"
)

// labelSet bounds the distinct values of one label. Reads are lock-free (an immutable
// map swapped on write); a new value takes the mutex and copies the map, which happens
// at most max times over the life of the process.
type labelSet struct {
	max  int
	mu   sync.Mutex
	vals atomic.Pointer[map[string]string]
}

func newLabelSet(max int) *labelSet {
	s := &labelSet{max: max}
	m := map[string]string{}
	s.vals.Store(&m)
	return s
}

// canon returns the interned value of v, LabelNone for "", or LabelOther when the set is
// full. The interned copy keeps callers' (possibly large) strings from being retained.
func (s *labelSet) canon(v string) string {
	if v == "" {
		return LabelNone
	}
	if c, ok := (*s.vals.Load())[v]; ok {
		return c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := *s.vals.Load()
	if c, ok := cur[v]; ok {
		return c
	}
	if len(cur) >= s.max {
		return LabelOther
	}
	next := make(map[string]string, len(cur)+1)
	for k, c := range cur {
		next[k] = c
	}
	c := string([]byte(v)) // own copy
	next[c] = c
	s.vals.Store(&next)
	return c
}
