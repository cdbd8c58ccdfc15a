// Package ids makes the identifiers planwise gives requests and the records kept of them.
package ids

import "github.com/google/uuid"

// New returns a new time-ordered identifier: a UUIDv7 (RFC 9562), whose first 48 bits
// are the Unix time in milliseconds and which sorts after every id made before it in
// this process. Records keyed by it are appended at the end of the store's primary-key
// index instead of at a random place in it, so a batch of records dirties a few pages
// rather than one page a record.
func New() string {
	id, err := uuid.NewV7()
	if err != nil { // the random source failed: a random UUID still identifies
		return uuid.NewString()
	}
	return id.String()
}
