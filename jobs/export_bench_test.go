package jobs

import (
	"context"
	"fmt"
	"io"
	"testing"

	"bwbulk/internal/peakheap"
)

// BenchmarkExportTask is `bwbulk task N --export` of a task of n users,
// all created (their passwords exported too), as CSV and as XLSX: the
// rows stream from the store into the writer, so B/op grows with the
// rows written, not with them held, and peak-MB (the most heap held at
// once, peakheap) stays flat (make bench runs it at 1k/10k/100k).
//
//	go test -tags ci -run '^$' -bench 'BenchmarkExportTask' -benchmem -benchtime 1x ./jobs
func BenchmarkExportTask(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			ctx := context.Background()
			st, id := benchTask(b, n, `UPDATE jobs SET status = 'completed'`)
			for _, format := range []string{FormatCSV, FormatXLSX} {
				b.Run(format, func(b *testing.B) {
					b.ReportAllocs()
					peakheap.Report(b, func() {
						got, err := st.ExportTask(ctx, id, io.Discard, ExportOptions{Format: format})
						if err != nil || got != n {
							b.Fatalf("%d jobs written, %v", got, err)
						}
					})
				})
			}
		})
	}
}
