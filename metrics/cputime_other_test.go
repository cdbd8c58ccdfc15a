//go:build !linux

package metrics

func threadCPU() (int64, bool) { return 0, false }
