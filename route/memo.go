package route

import (
	"slices"
	"sync"
)

// DefaultMemoSize bounds the analyses a Router remembers (two generations of this many).
const DefaultMemoSize = 8192

// memo remembers recent analyses by request text. Analysis is a pure function of the text
// and costs tens of microseconds with the clause matcher, while a service sees the same
// requests again and again (a cache hit is routed first: the tier is part of the cache
// namespace). Two generations approximate LRU with no per-entry bookkeeping: when the
// current map is full it becomes the previous one, and a hit in the previous is carried
// into the current.
type memo struct {
	mu        sync.Mutex
	size      int
	cur, prev map[string]Analysis
}

func newMemo(size int) *memo {
	return &memo{size: size, cur: make(map[string]Analysis, size)}
}

func (m *memo) get(text string) (Analysis, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.cur[text]; ok {
		return a, true
	}
	if a, ok := m.prev[text]; ok {
		m.putLocked(text, a)
		return a, true
	}
	return Analysis{}, false
}

func (m *memo) put(text string, a Analysis) {
	// A caller appending to the reasons must not write into the shared array.
	a.Reasons = slices.Clip(a.Reasons)
	m.mu.Lock()
	m.putLocked(text, a)
	m.mu.Unlock()
}

func (m *memo) putLocked(text string, a Analysis) {
	if len(m.cur) >= m.size {
		m.prev, m.cur = m.cur, make(map[string]Analysis, m.size)
	}
	m.cur[text] = a
}
