package ui

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Snapshots show local times: make them the same on every machine.
	time.Local = time.UTC
	os.Exit(m.Run())
}
