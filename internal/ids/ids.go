// Package ids makes the identifiers planwise gives requests and the records kept of them.
package ids

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/google/uuid"
)

// New returns a new time-ordered identifier: a UUIDv7 (RFC 9562), whose first 48 bits
// are the Unix time in milliseconds and which sorts after every id made before it in
// this process. Records keyed by it are appended at the end of the store's primary-key
// index instead of at a random place in it, so a batch of records dirties a few pages
// rather than one page a record.
//
// It is uuid.NewV7's layout (12 bits of sub-millisecond time as rand_a, bumped by one when
// the clock has not moved on) with its random bits taken from a buffer filled from
// crypto/rand 128 ids at a time: every request that brings no X-Request-ID gets one, and
// a read of crypto/rand and an allocation an id were a third of what one cost.
func New() string {
	var u uuid.UUID
	at := time.Now().UnixNano()
	gen.Lock()
	if gen.next == len(gen.random) {
		if _, err := rand.Read(gen.random[:]); err != nil {
			gen.Unlock()
			return uuid.NewString() // the random source failed: uuid's own error path
		}
		gen.next = 0
	}
	copy(u[:], gen.random[gen.next:])
	gen.next += len(u)
	ms := at / int64(time.Millisecond)
	t := ms<<12 | (at-ms*int64(time.Millisecond))>>8 // 0-3906 in the low 12 bits
	if t <= gen.last {
		t = gen.last + 1
	}
	gen.last = t
	gen.Unlock()
	ms, seq := t>>12, t&0xfff
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	u[6], u[7] = 0x70|byte(seq>>8), byte(seq) // version 7
	u[8] = u[8]&0x3f | 0x80                   // variant 10 (RFC 9562)
	return u.String()
}

// gen is New's state: random bytes not handed out yet, and the last time-and-sequence
// given (milliseconds << 12 | rand_a), which every later id exceeds.
var gen = struct {
	sync.Mutex
	random [128 * 16]byte
	next   int
	last   int64
}{next: 128 * 16}
