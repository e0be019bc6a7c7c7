package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPlanStore plans and stores a task of n users as `bwbulk
// submit` does (the jobs given one at a time, TaskSpec.JobAt): s/op until
// every job is stored, first-chunk-s until the first chunk is stored and
// the runner may start.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkPlanStore' -benchtime 1x -benchmem ./jobs
func BenchmarkPlanStore(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			spec := lazySpec(scaleSpec(n), nil)
			ctx := context.Background()
			var first time.Duration
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), &Options{Keyring: newMemSecrets()})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				w, err := st.StartTask(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				first += time.Since(start)
				if err := w.Wait(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(first.Seconds()/float64(b.N), "first-chunk-s")
		})
	}
}
