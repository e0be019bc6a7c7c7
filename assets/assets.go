// Package assets embeds bwbulk's static resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:generate go run ./internal/genicon -o icon.png

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (512×512 PNG), drawn by internal/genicon.
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)
