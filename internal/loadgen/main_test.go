package loadgen_test

import (
	"os"
	"testing"

	"github.com/planwise/planwise/internal/testhome"
)

// TestMain gives the tests a HOME and data directory of their own (package testhome): an
// app configured with SQLite and no store.path opens its store in the data directory,
// which must never be the user's.
func TestMain(m *testing.M) {
	os.Exit(testhome.Run(m))
}
