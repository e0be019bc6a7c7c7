package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
)

// OnFirstFrame registers f to run on the Fyne goroutine once the first
// frame of the main window has been drawn (used by --smoke to report the
// time to first frame). Register before the window is shown.
func (u *UI) OnFirstFrame(f func()) {
	u.firstFrameMu.Lock()
	u.firstFrame = append(u.firstFrame, f)
	u.firstFrameMu.Unlock()
}

// rasterFirstFrame is the generator of a one-pixel raster in the status
// bar. The GL painter calls it while drawing a frame, so its first call
// marks the first frame.
func (u *UI) rasterFirstFrame(_, _ int) image.Image {
	u.firstFrameOnce.Do(func() {
		u.firstFrameMu.Lock()
		fs := u.firstFrame
		u.firstFrameMu.Unlock()
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
