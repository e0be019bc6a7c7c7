//go:build linux && cgo

package jobs

/*
#include <malloc.h>
*/
import "C"

import "sync"

var mallocOnce sync.Once

// keepMallocHeap stops glibc's malloc, which SQLite allocates from, from
// giving its free memory back to the system after nearly every
// statement: the calls on the threads cgo runs them on use arenas of
// their own, which shrink through madvise whenever their free top passes
// the trim threshold (128 KB), and each such call flushes every core's
// TLB. A document's statements then cost twenty times what they do with
// a threshold of 32 MB (BenchmarkRecordDocuments); what is kept stays
// SQLite's to reuse (its page caches are bounded).
func keepMallocHeap() {
	mallocOnce.Do(func() { C.mallopt(C.M_TRIM_THRESHOLD, 32<<20) })
}
