package plan

import "testing"

func TestBlankRefs(t *testing.T) {
	for in, want := range map[string]string{
		"text ${s1.phone} now": "text   now",
		"no refs":              "no refs",
		"${s1}${s2.x}":         "  ",
	} {
		if got := BlankRefs(in); got != want {
			t.Errorf("BlankRefs(%q) = %q, want %q", in, got, want)
		}
	}
}
