package metrics

import (
	"sync"
	"sync/atomic"
)

// Label ids every labelSet reserves.
const (
	idNone  int32 = 0 // the empty value
	idOther int32 = 1 // values beyond the bound
)

// labelSet bounds the distinct values of one label and numbers them, so that the hot path
// indexes slices instead of hashing strings twice. Reads are lock-free (an immutable
// table swapped on write); a new value takes the mutex and copies the table, which
// happens at most max times over the life of the process.
type labelSet struct {
	max int
	mu  sync.Mutex
	tab atomic.Pointer[labelTable]
}

type labelTable struct {
	ids   map[string]int32
	names []string // by id
}

func newLabelSet(max int) *labelSet {
	s := &labelSet{max: max}
	s.tab.Store(&labelTable{ids: map[string]int32{}, names: []string{LabelNone, LabelOther}})
	return s
}

// id returns v's id: idNone for "", idOther once the set holds max values.
func (s *labelSet) id(v string) int32 {
	if v == "" {
		return idNone
	}
	if id, ok := s.tab.Load().ids[v]; ok {
		return id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.tab.Load()
	if id, ok := cur.ids[v]; ok {
		return id
	}
	if len(cur.ids) >= s.max {
		return idOther
	}
	next := &labelTable{ids: make(map[string]int32, len(cur.ids)+1), names: make([]string, len(cur.names), len(cur.names)+1)}
	for k, id := range cur.ids {
		next.ids[k] = id
	}
	copy(next.names, cur.names)
	id := int32(len(next.names))
	c := string([]byte(v)) // own copy: do not retain the caller's string
	next.ids[c] = id
	next.names = append(next.names, c)
	s.tab.Store(next)
	return id
}

// name returns the value of id.
func (s *labelSet) name(id int32) string {
	names := s.tab.Load().names
	if int(id) < len(names) {
		return names[id]
	}
	return LabelOther
}
