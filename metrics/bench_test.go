package metrics

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func benchEvents() []Event {
	evs := make([]Event, 64)
	for i := range evs {
		evs[i] = Event{
			Source: []string{"llm", "cache", "history", "pattern"}[i%4], Model: []string{"gpt-4o-mini", "gpt-4o"}[i%2],
			Tier: []string{"simple", "moderate", "complex"}[i%3], Variant: []string{"a", "b"}[i%2],
			APIKey: fmt.Sprintf("key-%d", i%8), Tenant: fmt.Sprintf("t%d", i%3),
			Latency: time.Duration(1+i*37) * time.Millisecond, Success: i%10 != 0, Fallback: i%7 == 0, FallbackReason: "timeout",
			CacheResult: []string{"hit", "miss", "exact", "skip"}[i%4], Valid: i%9 != 0,
			PromptTokens: 300 + i, CompletionTokens: 80, CostUSD: 0.0001,
		}
		if i%5 == 0 {
			evs[i].ErrorType = "RateLimitError"
			evs[i].Errors = []string{"RateLimitError", "TimeoutError"}
		}
	}
	return evs
}

// BenchmarkRecord is the hot path of every request: go test -bench Record -benchmem ./metrics/
// It also reports cpu-ns/op, the CPU time of the benchmark's thread per Record, which a
// busy shared machine does not inflate.
func BenchmarkRecord(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := NewRecorder(Options{})
	evs := benchEvents()
	b.ReportAllocs()
	cpu0, ok := threadCPU()
	i := 0
	for b.Loop() {
		r.Record(evs[i&63])
		i++
	}
	if cpu1, _ := threadCPU(); ok && i > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(i), "cpu-ns/op")
	}
}

// BenchmarkRecordHit records what the planner records for each cache hit: one label
// set, the same strings every time, stamped with the clock as the planner stamps it.
func BenchmarkRecordHit(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := NewRecorder(Options{})
	e := Event{Source: "cache", Tier: "simple", APIKey: "key-1", Tenant: "acme", CacheResult: "exact",
		Success: true, Valid: true, Latency: 40 * time.Microsecond}
	b.ReportAllocs()
	cpu0, ok := threadCPU()
	n := 0
	for b.Loop() {
		e.Time = time.Now()
		r.Record(e)
		n++
	}
	if cpu1, _ := threadCPU(); ok && n > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
	}
}

func BenchmarkRecordParallel(b *testing.B) {
	r := NewRecorder(Options{})
	evs := benchEvents()
	b.ReportAllocs()
	var cpuNs, ops atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cpu0, ok := threadCPU()
		i := 0
		for pb.Next() {
			r.Record(evs[i&63])
			i++
		}
		if cpu1, _ := threadCPU(); ok {
			cpuNs.Add(cpu1 - cpu0)
			ops.Add(int64(i))
		}
	})
	if ops.Load() > 0 {
		b.ReportMetric(float64(cpuNs.Load())/float64(ops.Load()), "cpu-ns/op")
	}
}

func BenchmarkSummaryWindow(b *testing.B) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	evs := benchEvents()
	for i := range 60 * 1000 {
		r.Record(evs[i&63])
		if i%1000 == 999 {
			clk.Advance(time.Minute)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Summary(5 * time.Minute)
	}
}

func BenchmarkSummaryLifetime(b *testing.B) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	evs := benchEvents()
	for i := range 60 * 1000 {
		r.Record(evs[i&63])
		if i%1000 == 999 {
			clk.Advance(time.Minute)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Summary(0)
	}
}

// BenchmarkHourOfTraffic reports the heap an hour of traffic keeps (3,000 requests a
// minute over 4 sources, 3 models, 3 tiers, 2 variants, 3 tenants and 10 or 100 API
// keys) and the cost of the lifetime summary over it.
func BenchmarkHourOfTraffic(b *testing.B) {
	for _, keys := range []int{10, 100} {
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				clk := newFakeClock()
				r := NewRecorder(Options{Now: clk.Now})
				rng := rand.New(rand.NewPCG(1, 1))
				for i := range 180000 {
					r.Record(Event{Source: []string{"llm", "cache", "history", "pattern"}[rng.IntN(4)], Model: fmt.Sprintf("m%d", rng.IntN(3)),
						Tier: fmt.Sprintf("t%d", rng.IntN(3)), Variant: fmt.Sprintf("v%d", rng.IntN(2)), APIKey: fmt.Sprintf("k%d", rng.IntN(keys)),
						Tenant: fmt.Sprintf("n%d", rng.IntN(3)), Latency: time.Duration(rng.ExpFloat64() * 3e8)})
					if i%3000 == 2999 {
						clk.Advance(time.Minute)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
				start := time.Now()
				_ = r.Summary(0)
				b.ReportMetric(float64(time.Since(start).Microseconds()), "summary-us")
				b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "heap-MB")
				runtime.KeepAlive(r)
			}
		})
	}
}
