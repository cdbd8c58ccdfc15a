package cliflag_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/planwise/planwise/internal/cliflag"
)

// A Duration flag takes what pflag's duration flag takes, sets the same value, refuses
// the same strings, and prints its default compactly (24h, not 24h0m0s; no zero default).
func TestDurationAcceptsWhatPflagAcceptsAndPrintsCompactly(t *testing.T) {
	ours := pflag.NewFlagSet("ours", pflag.ContinueOnError)
	theirs := pflag.NewFlagSet("theirs", pflag.ContinueOnError)
	var got, want time.Duration
	ours.Var(cliflag.NewDuration(&got, 24*time.Hour), "since", "window")
	theirs.DurationVar(&want, "since", 24*time.Hour, "window")
	if got != want {
		t.Fatalf("default %v, pflag's %v", got, want)
	}
	for _, arg := range []string{"90s", "1h30m", "0", "1.5h", "-5m", "250ms", "soon", "5", ""} {
		errOurs, errTheirs := ours.Set("since", arg), theirs.Set("since", arg)
		if (errOurs == nil) != (errTheirs == nil) || (errOurs == nil && got != want) {
			t.Errorf("%q: %v (%v), pflag's %v (%v)", arg, got, errOurs, want, errTheirs)
		}
	}

	var out strings.Builder
	fs := pflag.NewFlagSet("help", pflag.ContinueOnError)
	var a, b, c, d time.Duration
	fs.Var(cliflag.NewDuration(&a, 24*time.Hour), "since", "window")
	fs.Var(cliflag.NewDuration(&b, 10*time.Minute), "duration", "how long")
	fs.Var(cliflag.NewDuration(&c, 90*time.Second), "timeout", "timeout")
	fs.Var(cliflag.NewDuration(&d, 0), "warmup", "warm-up")
	fs.SetOutput(&out)
	fs.PrintDefaults()
	for _, want := range []string{"--since duration      window (default 24h)\n", "--duration duration   how long (default 10m)\n",
		"--timeout duration    timeout (default 1m30s)\n", "--warmup duration     warm-up\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}
