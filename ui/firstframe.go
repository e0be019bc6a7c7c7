package ui

import (
	"image"
	"image/color"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// OnFirstFrame registers f to run on the Fyne goroutine once the first
// frame of the main window has been drawn (used by --smoke to report the
// time to first frame). Register before the window is shown.
func (u *UI) OnFirstFrame(f func()) {
	u.frameMu.Lock()
	u.firstFrame = append(u.firstFrame, f)
	u.frameMu.Unlock()
}

// afterFrame runs f on the UI goroutine once the window has drawn what is
// on it now, so that heavy work started by f does not compete with drawing
// it. Without a frame within frameWait, f runs anyway.
func (u *UI) afterFrame(f func()) {
	if frameWait == 0 {
		f()
		return
	}
	var once sync.Once
	run := func() { once.Do(func() { fyne.Do(f) }) }
	u.frameMu.Lock()
	u.nextFrame = append(u.nextFrame, run)
	u.frameMu.Unlock()
	u.painted.Refresh()
	time.AfterFunc(frameWait, run)
}

// rasterFirstFrame is the generator of a one-pixel raster in the status
// bar. The GL painter calls it while drawing a frame, so its first call
// marks the first frame, and a call after a refresh of the raster marks
// the frame afterFrame waits for.
func (u *UI) rasterFirstFrame(_, _ int) image.Image {
	u.frameMu.Lock()
	next := u.nextFrame
	u.nextFrame = nil
	u.frameMu.Unlock()
	if len(next) > 0 {
		go func() {
			for _, run := range next {
				run()
			}
		}()
	}
	u.firstFrameOnce.Do(func() {
		u.frameMu.Lock()
		fs := u.firstFrame
		u.frameMu.Unlock()
		// Queued rather than run here, so the callbacks see the frame
		// swapped in and never run inside the painter.
		go fyne.Do(func() {
			for _, f := range fs {
				f()
			}
		})
	})
	return transparentPixel
}

var transparentPixel = func() image.Image {
	m := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	m.Set(0, 0, color.Transparent)
	return m
}()
