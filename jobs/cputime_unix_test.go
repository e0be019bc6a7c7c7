//go:build unix

package jobs

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, user and system: on
// a machine shared with other work a benchmark's wall time says little,
// its CPU time stays.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
