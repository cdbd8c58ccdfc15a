package dataset

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// sharedData returns ../shared/data, or skips the test when it is absent.
func sharedData(t testing.TB) string { return shareddata.Shared(t) }

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }
