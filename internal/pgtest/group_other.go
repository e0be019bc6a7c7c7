//go:build !unix

package pgtest

import "os/exec"

// ownGroup does nothing where process groups are not Unix's: the throw-away
// server is a Unix test tool (initdb runs as the postgres user).
func ownGroup(*exec.Cmd) {}
