// Package ui is bwbulk's Fyne desktop application: the main window and its
// screens (New users wizard, Import, Tasks, Drafts, Connections, Settings).
//
// ui holds Fyne code only. It drives the wizard model and the jobs store and
// runner, and never speaks OCI-P itself. Widgets are touched on the Fyne
// goroutine only: work done in background goroutines is applied with
// fyne.Do, and job progress events are drained by one goroutine per screen
// and flushed at most ten times a second.
package ui
