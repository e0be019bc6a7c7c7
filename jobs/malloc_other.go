//go:build !linux || !cgo

package jobs

// keepMallocHeap: only glibc's malloc needs telling (malloc_linux.go).
func keepMallocHeap() {}
