package main

import (
	"os"
	"testing"
)

// TestMain keeps the CLI's tests from creating planwise.db in the source tree: commands
// that plan open the configured store, which defaults to ./planwise.db.
func TestMain(m *testing.M) {
	if os.Getenv("PLANWISE_STORE__DRIVER") == "" {
		os.Setenv("PLANWISE_STORE__DRIVER", "memory")
	}
	os.Exit(m.Run())
}
