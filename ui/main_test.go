package ui

import (
	"os"
	"sync"
	"testing"
	"time"
)

// pumpMu orders the Tasks event pump's flushes (pumpDo) with a test's own
// work on the window while a runner runs: the test holds it around what it
// taps and reads.
var pumpMu sync.Mutex

func TestMain(m *testing.M) {
	// Snapshots show local times: make them the same on every machine.
	time.Local = time.UTC
	// Background work runs inline: the test driver runs fyne.Do on the
	// calling goroutine, so UI updates stay on the test goroutine.
	spawnDefault = func(f func()) { f() }
	pumpDo = func(f func()) {
		pumpMu.Lock()
		defer pumpMu.Unlock()
		f()
	}
	frameWait = 0
	systemFileDialogs = false
	code := m.Run()
	if fakeDialogDir != "" {
		os.RemoveAll(fakeDialogDir)
	}
	os.Exit(code)
}
