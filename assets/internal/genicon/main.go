// Command genicon draws bwbulk's application icon (assets/icon.png): three
// people, the bulk of users created at once, on a rounded square with a
// green "add" badge. It draws with 4×4 supersampling, so edges are smooth
// without any vector library.
//
//	go run ./assets/internal/genicon -o assets/icon.png
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size = 512
	ss   = 4 // samples per pixel side
)

type shape func(x, y float64) bool

func roundedRect(x0, y0, x1, y1, r float64) shape {
	return func(x, y float64) bool {
		if x < x0 || x > x1 || y < y0 || y > y1 {
			return false
		}
		cx := math.Max(x0+r, math.Min(x, x1-r))
		cy := math.Max(y0+r, math.Min(y, y1-r))
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
}

func circle(cx, cy, r float64) shape {
	return func(x, y float64) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
}

// person is a head and the upper half of an ellipse for the shoulders.
func person(cx, cy, s float64) shape {
	head := circle(cx, cy-0.55*s, 0.42*s)
	return func(x, y float64) bool {
		if head(x, y) {
			return true
		}
		dx, dy := (x-cx)/(0.85*s), (y-(cy+0.75*s))/(0.85*s)
		return dy <= 0 && dx*dx+dy*dy <= 1
	}
}

func union(ss ...shape) shape {
	return func(x, y float64) bool {
		for _, s := range ss {
			if s(x, y) {
				return true
			}
		}
		return false
	}
}

type layer struct {
	s shape
	c color.NRGBA
}

func main() {
	out := flag.String("o", "assets/icon.png", "output PNG")
	flag.Parse()

	bg := roundedRect(16, 16, 496, 496, 96)
	layers := []layer{
		{bg, color.NRGBA{0x12, 0x3a, 0x6b, 0xff}},
		{person(150, 260, 88), color.NRGBA{0x7f, 0xb3, 0xe8, 0xff}},
		{person(362, 260, 88), color.NRGBA{0x7f, 0xb3, 0xe8, 0xff}},
		{person(256, 300, 112), color.NRGBA{0xf4, 0xf8, 0xfc, 0xff}},
		{circle(392, 392, 78), color.NRGBA{0xf4, 0xf8, 0xfc, 0xff}},
		{circle(392, 392, 66), color.NRGBA{0x2e, 0xa0, 0x4f, 0xff}},
		{union(roundedRect(384, 352, 400, 432, 4), roundedRect(352, 384, 432, 400, 4)),
			color.NRGBA{0xff, 0xff, 0xff, 0xff}},
	}

	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					if !bg(x, y) {
						continue
					}
					var c color.NRGBA
					for _, l := range layers {
						if l.s(x, y) {
							c = l.c
						}
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a += 255
				}
			}
			if a == 0 {
				continue
			}
			n := a / 255
			img.SetNRGBA(px, py, color.NRGBA{
				uint8(r / n), uint8(g / n), uint8(b / n), uint8(a / (ss * ss)),
			})
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
