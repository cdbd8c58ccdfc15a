package historyeval

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSizes reads CLINCOptions.Sizes from comma-separated history sizes ("0,100,1000").
// An error quotes the part that is not a size.
func ParseSizes(s string) ([]int, error) {
	var sizes []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a history size", part)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// SweepFloors are the floors of a similarity sweep (CLINCOptions.Sweep): 0.30, 0.35,
// ... 0.95.
func SweepFloors() []float64 {
	var fs []float64
	for x := 30; x <= 95; x += 5 {
		fs = append(fs, float64(x)/100)
	}
	return fs
}
