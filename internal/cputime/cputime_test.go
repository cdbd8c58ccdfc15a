package cputime

import "testing"

func TestProcessAdvances(t *testing.T) {
	t0, ok := Process()
	if !ok {
		t.Skip("no process CPU time on this platform")
	}
	for x := 0; ; x++ {
		if t1, _ := Process(); t1 > t0 {
			return
		}
		if x > 1e9 {
			t.Fatal("the process's CPU time did not advance")
		}
	}
}
