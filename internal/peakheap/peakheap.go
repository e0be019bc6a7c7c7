// Package peakheap measures the most heap a piece of code held at once,
// for benchmarks that show memory bounded by a batch rather than by the
// whole task: B/op counts every allocation, even the ones freed at once,
// while the peak is what a process's resident memory follows. Only tests
// import it.
package peakheap

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// every is how often the heap is sampled while a Meter runs.
const every = time.Millisecond

// heapObjects is the runtime metric sampled: the bytes of heap objects,
// live or not yet swept (what the next collection frees counts until
// then, as it does in the process's memory).
const heapObjects = "/memory/classes/heap/objects:bytes"

// Meter samples the heap from Start to Stop.
type Meter struct {
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	peak uint64
	base uint64
}

// Start collects garbage (so what earlier code left does not count), then
// samples the heap until Stop.
func Start() *Meter {
	runtime.GC()
	m := &Meter{stop: make(chan struct{})}
	m.base = sample()
	m.peak = m.base
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.note(sample())
			}
		}
	}()
	return m
}

func (m *Meter) note(v uint64) {
	m.mu.Lock()
	m.peak = max(m.peak, v)
	m.mu.Unlock()
}

// Stop ends the sampling and returns the most heap seen above what was
// there at Start, in bytes.
func (m *Meter) Stop() uint64 {
	m.note(sample())
	close(m.stop)
	m.done.Wait()
	if m.peak < m.base {
		return 0
	}
	return m.peak - m.base
}

func sample() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// Report runs fn once per b.Loop iteration and reports, besides B/op,
// "peak-MB": the most heap fn held at once, the worst iteration's. The
// heap is collected before each iteration, outside the timer.
func Report(b *testing.B, fn func()) {
	b.Helper()
	var worst uint64
	for b.Loop() {
		b.StopTimer()
		m := Start()
		b.StartTimer()
		fn()
		worst = max(worst, m.Stop())
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-MB")
}
