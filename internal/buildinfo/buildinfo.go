// Package buildinfo reports what a planwise binary was built from: the module version and
// the version-control revision the Go toolchain stamps into every binary
// (runtime/debug.ReadBuildInfo).
//
// Either may be missing: `go run` and `go test` binaries carry no module version
// ("(devel)"), and builds with -buildvcs=false (as .ci/run sets) or outside a checkout
// carry no revision. Missing values are reported as Unknown, never as an empty string or
// an error, so that `planwise version` always answers.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// Unknown stands for a value the build did not record.
const Unknown = "unknown"

// Info is what one binary was built from.
type Info struct {
	// Module is the main module's path (github.com/planwise/planwise).
	Module string `json:"module"`
	// Version is the main module's version: a tag or pseudo-version when built by
	// `go install module@version` or from a VCS checkout, Unknown otherwise.
	Version string `json:"version"`
	// Revision is the VCS commit (vcs.revision), Unknown when not stamped.
	Revision string `json:"revision"`
	// Time is the commit time (vcs.time), zero when not stamped.
	Time time.Time `json:"time,omitzero"`
	// Modified is true when the working tree had uncommitted changes (vcs.modified).
	Modified bool `json:"modified,omitempty"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"go_version"`
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return From(nil)
	}
	return From(bi)
}

// From extracts Info from bi (nil when the binary has no build information).
func From(bi *debug.BuildInfo) Info {
	in := Info{Module: Unknown, Version: Unknown, Revision: Unknown, GoVersion: Unknown}
	if bi == nil {
		return in
	}
	if bi.GoVersion != "" {
		in.GoVersion = bi.GoVersion
	}
	if bi.Main.Path != "" {
		in.Module = bi.Main.Path
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		in.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if s.Value != "" {
				in.Revision = s.Value
			}
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				in.Time = t
			}
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// ShortRevision is the first 12 characters of the revision (Unknown stays Unknown).
func (in Info) ShortRevision() string {
	if in.Revision == Unknown || len(in.Revision) <= 12 {
		return in.Revision
	}
	return in.Revision[:12]
}

// String is one line for people: "planwise v1.2.3 (revision 0123456789ab, 2026-03-01,
// modified; go1.26.0)".
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "planwise %s (revision %s", in.Version, in.ShortRevision())
	if !in.Time.IsZero() {
		fmt.Fprintf(&b, ", %s", in.Time.UTC().Format(time.DateOnly))
	}
	if in.Modified {
		b.WriteString(", modified")
	}
	fmt.Fprintf(&b, "; %s)", in.GoVersion)
	return b.String()
}
