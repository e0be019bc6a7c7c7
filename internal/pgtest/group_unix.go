//go:build unix

package pgtest

import (
	"os/exec"
	"syscall"
)

// ownGroup starts c in a process group of its own, so that a test
// interrupted by a signal does not take the server down with it.
func ownGroup(c *exec.Cmd) { c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }
