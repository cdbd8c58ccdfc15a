package buildinfo

import (
	"runtime/debug"
	"testing"
	"time"
)

func TestFrom(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.0",
		Main: debug.Module{Path: "github.com/planwise/planwise", Version: "v0.0.0-20261204053158-cc07dce1f637"},
		Settings: []debug.BuildSetting{
			{Key: "-buildmode", Value: "exe"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "cc07dce1f637436bb89fe41cfdf4dd1c47a6db95"},
			{Key: "vcs.time", Value: "2026-12-04T05:31:58Z"},
			{Key: "vcs.modified", Value: "true"},
		}}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want Info
		line string
	}{
		{"stamped", stamped, Info{Module: "github.com/planwise/planwise", Version: "v0.0.0-20261204053158-cc07dce1f637",
			Revision: "cc07dce1f637436bb89fe41cfdf4dd1c47a6db95", Time: time.Date(2026, 12, 4, 5, 31, 58, 0, time.UTC),
			Modified: true, GoVersion: "go1.26.0"},
			"planwise v0.0.0-20261204053158-cc07dce1f637 (revision cc07dce1f637, 2026-12-04, modified; go1.26.0)"},
		// go run, go test and -buildvcs=false: "(devel)" and no vcs settings.
		{"devel without vcs", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/planwise/planwise", Version: "(devel)"}},
			Info{Module: "github.com/planwise/planwise", Version: Unknown, Revision: Unknown, GoVersion: "go1.26.0"},
			"planwise unknown (revision unknown; go1.26.0)"},
		{"no build info", nil, Info{Module: Unknown, Version: Unknown, Revision: Unknown, GoVersion: Unknown},
			"planwise unknown (revision unknown; unknown)"},
		{"bad vcs time and empty revision", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: ""}, {Key: "vcs.time", Value: "yesterday"}}},
			Info{Module: Unknown, Version: "v1.2.3", Revision: Unknown, GoVersion: Unknown},
			"planwise v1.2.3 (revision unknown; unknown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := From(tc.bi)
			if got != tc.want {
				t.Errorf("From = %+v, want %+v", got, tc.want)
			}
			if s := got.String(); s != tc.line {
				t.Errorf("String = %q, want %q", s, tc.line)
			}
		})
	}
}

// The test binary itself has build information: Read never panics and fills every field.
func TestReadRunningBinary(t *testing.T) {
	in := Read()
	if in.GoVersion == "" || in.Version == "" || in.Revision == "" || in.Module == "" {
		t.Errorf("Read left a field empty: %+v", in)
	}
}
