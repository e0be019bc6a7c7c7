package ui

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Snapshots show local times: make them the same on every machine.
	time.Local = time.UTC
	// Background work runs inline: the test driver runs fyne.Do on the
	// calling goroutine, so UI updates stay on the test goroutine.
	spawnDefault = func(f func()) { f() }
	frameWait = 0
	systemFileDialogs = false
	code := m.Run()
	if fakeDialogDir != "" {
		os.RemoveAll(fakeDialogDir)
	}
	os.Exit(code)
}
