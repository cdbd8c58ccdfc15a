// Package progress draws progress bars for people: on a terminal, and only where the
// caller says. Progress never goes to standard output, which carries reports (and
// --json); the commands pass standard error.
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// To is where bars go for a --progress flag: w when the user asked for progress (set,
// on), nil when they refused it (set, not on), else w only when it is a terminal.
func To(w io.Writer, set, on bool) io.Writer {
	if set && on || !set && IsTerminal(w) {
		return w
	}
	return nil
}

// Bar counts work done of a known total. A nil *Bar draws nothing; its methods are
// safe to call.
type Bar struct{ bar *progressbar.ProgressBar }

// New returns a bar named name for total items on w, or nil when w is not a terminal
// or there is nothing to count.
func New(w io.Writer, total int, name string) *Bar {
	if total == 0 || !IsTerminal(w) {
		return nil
	}
	return &Bar{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Set draws done items of the total (total is the bar's own; the argument matches the
// progress callbacks of the evaluations).
func (b *Bar) Set(done, _ int) {
	if b != nil {
		_ = b.bar.Set(done)
	}
}

// Finish completes the bar and clears it.
func (b *Bar) Finish() {
	if b != nil {
		_ = b.bar.Finish()
	}
}

// PerSet draws a bar on w for each set an evaluation runs, named after the set: the
// shape of the evaluations' per-set progress callbacks (plans.EvaluateOptions.Progress).
func PerSet(w io.Writer) func(set string, total int) (progress func(done, total int), finish func()) {
	return func(name string, total int) (func(int, int), func()) {
		b := New(w, total, name)
		return b.Set, b.Finish
	}
}
