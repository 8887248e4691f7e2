// Package identicon draws the avatars shown next to reader comments: a small
// SVG made locally from a key, so that showing a comment makes no request to a
// third-party avatar service.
//
// The key should be an HMAC of the commenter's normalised email under a site
// secret: the same commenter gets the same picture on every comment, and
// neither the picture nor its URL can be traced back to the address (a plain
// hash of an email, as Gravatar uses, can be reversed by guessing).
//
// The picture is a 5×5 grid mirrored left to right, as GitHub draws them, in
// one colour on a light tint of the same hue. It depends on the key only
// through SHA-256, so any key length works and every bit of the key counts.
package identicon

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// DefaultSize is the width and height, in CSS pixels, SVG uses when given a
// size of zero or less.
const DefaultSize = 64

// version names the drawing algorithm; it is part of every ETag, so that a
// change to the drawing invalidates cached avatars. Bump it with any change to
// the output.
const version = "1"

// The colours are HSL with fixed saturation and lightness, the hue alone
// coming from the key. Chosen so that every hue keeps a contrast ratio of at
// least 3:1 between the cells and the background (WCAG's minimum for
// graphics; yellow is the hardest), while staying soft on a light page.
const (
	fgSaturation = 50 // percent
	fgLightness  = 38
	bgSaturation = 50
	bgLightness  = 94
)

// grid is the 5×5 pattern, row-major: bit 5*row+col is set when the cell at
// (col, row) is filled.
type grid uint32

func (g grid) on(col, row int) bool { return g&(1<<(5*row+col)) != 0 }

// design is everything the key decides.
type design struct {
	grid grid
	hue  int // degrees, 0 to 359
}

// designFor derives the picture from the key's SHA-256: 15 bits for the
// three left-hand columns (the two right-hand ones mirror them) and 16 bits
// for the hue.
func designFor(key []byte) design {
	sum := sha256.Sum256(key)
	bits := uint32(sum[0]) | uint32(sum[1])<<8
	var g grid
	for i := range 15 {
		if bits&(1<<i) == 0 {
			continue
		}
		col, row := i/5, i%5
		g |= 1 << (5*row + col)
		g |= 1 << (5*row + 4 - col)
	}
	if g == 0 {
		// An empty grid would be a blank square (1 key in 32768):
		// fill the centre so every avatar shows a shape.
		g = 1 << (5*2 + 2)
	}
	hue := int(uint16(sum[2])|uint16(sum[3])<<8) % 360
	return design{grid: g, hue: hue}
}

// SVG returns the identicon for key as a standalone SVG document, size CSS
// pixels wide and high (DefaultSize when size <= 0). The same key always gives
// the same bytes. The document holds one rect for the background and one path
// for all the cells, no script, style sheet or external reference, so it is
// safe to serve from the site's own origin and to inline; it carries no
// title, as the page's <img alt> gives its meaning.
func SVG(key []byte, size int) []byte {
	if size <= 0 {
		size = DefaultSize
	}
	d := designFor(key)
	fr, fgG, fb := hslToRGB(d.hue, fgSaturation, fgLightness)
	br, bgG, bb := hslToRGB(d.hue, bgSaturation, bgLightness)

	// The viewBox is in cells, with half a cell of margin on each side, so
	// every path coordinate is a small integer.
	b := make([]byte, 0, 512)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" width="`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `" viewBox="-0.5 -0.5 6 6"><rect x="-0.5" y="-0.5" width="6" height="6" fill="`...)
	b = appendHex(b, br, bgG, bb)
	b = append(b, `"/><path fill="`...)
	b = appendHex(b, fr, fgG, fb)
	b = append(b, `" shape-rendering="crispEdges" d="`...)
	b = appendCells(b, d.grid)
	b = append(b, `"/></svg>`...)
	return b
}

// appendCells writes the filled cells as path data, merged into rectangles:
// runs of filled cells in a row, stacked with identical runs in the rows
// below. One path, rather than a rect per cell, keeps the output short and
// leaves no hairline seams between neighbouring cells when scaled.
func appendCells(b []byte, g grid) []byte {
	var done grid
	for row := range 5 {
		for col := 0; col < 5; col++ {
			if !g.on(col, row) || done.on(col, row) {
				continue
			}
			w := 1
			for col+w < 5 && g.on(col+w, row) && !done.on(col+w, row) {
				w++
			}
			h := 1
			for row+h < 5 && sameRun(g, done, col, w, row+h) {
				h++
			}
			for y := row; y < row+h; y++ {
				for x := col; x < col+w; x++ {
					done |= 1 << (5*y + x)
				}
			}
			b = append(b, 'M')
			b = strconv.AppendInt(b, int64(col), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(row), 10)
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(w), 10)
			b = append(b, 'v')
			b = strconv.AppendInt(b, int64(h), 10)
			b = append(b, 'h', '-')
			b = strconv.AppendInt(b, int64(w), 10)
			b = append(b, 'z')
			col += w - 1
		}
	}
	return b
}

// sameRun reports whether row holds exactly the run [col, col+w) of free
// filled cells, bounded by empty cells or the edges, so that a rectangle can
// grow down into it without leaving a partial run behind.
func sameRun(g, done grid, col, w, row int) bool {
	for x := col; x < col+w; x++ {
		if !g.on(x, row) || done.on(x, row) {
			return false
		}
	}
	if col > 0 && g.on(col-1, row) && !done.on(col-1, row) {
		return false
	}
	end := col + w
	return end >= 5 || !g.on(end, row) || done.on(end, row)
}

// ETag returns a strong HTTP entity tag for the identicon of key, quoted as
// the ETag header wants it. It changes with the key and with the drawing
// algorithm, not with the size: a handler that serves several sizes must
// keep the size in the URL, as a tag only has to tell apart the
// representations of one URL.
func ETag(key []byte) string {
	sum := sha256.Sum256(key)
	b := make([]byte, 0, 2+len(version)+1+32)
	b = append(b, '"', 'i')
	b = append(b, version...)
	b = append(b, '-')
	b = hex.AppendEncode(b, sum[:16])
	b = append(b, '"')
	return string(b)
}

// hslToRGB converts a colour from HSL (hue in degrees, saturation and
// lightness in percent) to 8-bit sRGB. It uses integers only, so the output is
// the same on every platform (Go may fuse floating-point operations
// differently on each), which the golden files rely on.
func hslToRGB(h, s, l int) (r, g, b uint8) {
	// One unit is 1/600000: percent × percent × 60 degrees.
	const unit = 100 * 100 * 60
	c := (100 - abs(2*l-100)) * s * 60 // chroma
	x := c / 60 * (60 - abs(h%120-60)) // second-largest component
	m := l*100*60 - c/2                // added to every component
	var rp, gp, bp int
	switch h / 60 {
	case 0:
		rp, gp = c, x
	case 1:
		rp, gp = x, c
	case 2:
		gp, bp = c, x
	case 3:
		gp, bp = x, c
	case 4:
		rp, bp = x, c
	default:
		rp, bp = c, x
	}
	// v+m never exceeds unit, so the conversion cannot overflow.
	to8 := func(v int) uint8 { return uint8(((v+m)*255 + unit/2) / unit) } //nolint:gosec // bounded above
	return to8(rp), to8(gp), to8(bp)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func appendHex(b []byte, r, g, bl uint8) []byte {
	b = append(b, '#')
	return hex.AppendEncode(b, []byte{r, g, bl})
}
