package historyeval

import (
	"reflect"
	"testing"
)

func TestParseSizes(t *testing.T) {
	got, err := ParseSizes("0, 100,1000")
	if err != nil || !reflect.DeepEqual(got, []int{0, 100, 1000}) {
		t.Errorf("got %v %v", got, err)
	}
	for _, bad := range []string{"a", "10,-1", "10,", ""} {
		if _, err := ParseSizes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseSizes("10,x"); err == nil || err.Error() != `"x" is not a history size` {
		t.Errorf("error %v", err)
	}
}

func TestSweepFloors(t *testing.T) {
	fs := SweepFloors()
	if len(fs) != 14 || fs[0] != 0.30 || fs[13] != 0.95 || fs[1] != 0.35 {
		t.Errorf("got %v", fs)
	}
}
