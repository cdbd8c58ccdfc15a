package loadgen

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// loadProgress draws one phase of a load run: the time spent against --duration (or
// the requests sent against --max-requests when only that bounds the run), with the
// answered requests, their rate and the errors so far. Its methods are safe on nil (no
// progress shown) and for concurrent use.
type loadProgress struct {
	bar     *progressbar.ProgressBar
	phase   string
	start   time.Time
	byCount bool
	done    atomic.Int64 // requests answered
	errs    atomic.Int64 // requests without an answer
	stop    chan struct{}
	wg      sync.WaitGroup
}

// startLoadProgress starts drawing to w (nil: nothing) until finish.
func startLoadProgress(w io.Writer, phase string, duration time.Duration, maxRequests int64) *loadProgress {
	if w == nil || (duration <= 0 && maxRequests <= 0) {
		return nil
	}
	p := &loadProgress{phase: phase, start: time.Now(), stop: make(chan struct{})}
	total := duration.Milliseconds()
	if duration <= 0 {
		p.byCount, total = true, maxRequests
	}
	p.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(phase),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionThrottle(200*time.Millisecond),
		// The last state stays on its own line: what the phase did, above the report.
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				p.draw()
			}
		}
	}()
	return p
}

func (p *loadProgress) draw() {
	elapsed := time.Since(p.start)
	n := p.done.Load()
	// Below the maximum until finish: the bar finishes itself when it reaches it. The
	// value first: Describe draws at once, Set only when the throttle allows.
	v := elapsed.Milliseconds()
	if p.byCount {
		v = n + p.errs.Load()
	}
	_ = p.bar.Set64(min(v, p.bar.GetMax64()-1))
	p.bar.Describe(fmt.Sprintf("%s: %d answered, %.0f req/s, %d without answer", p.phase, n, float64(n)/max(elapsed.Seconds(), 1e-3), p.errs.Load()))
}

// answered counts one request: ok is false when it got no HTTP answer.
func (p *loadProgress) answered(ok bool) {
	if p == nil {
		return
	}
	if ok {
		p.done.Add(1)
	} else {
		p.errs.Add(1)
	}
}

// finish stops drawing and draws the final state, full, on its own line.
func (p *loadProgress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.draw()
	_ = p.bar.Finish()
}
