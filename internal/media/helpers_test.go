package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// Colours of the test pictures: a red top-left quadrant on a blue ground, so
// that a rotation or a mirror shows where the quadrant went.
var (
	red  = color.NRGBA{R: 230, G: 20, B: 20, A: 255}
	blue = color.NRGBA{R: 20, G: 20, B: 230, A: 255}
)

// quadrantImage returns a w x h picture, blue with a red top-left quadrant.
func quadrantImage(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := blue
			if x < w/2 && y < h/2 {
				c = red
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// photoImage returns a w x h picture with gradients and fine detail, which
// compresses about as badly as a photo.
func photoImage(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(x * 255 / w)
			m.Pix[i+1] = uint8(y * 255 / h)
			m.Pix[i+2] = uint8((x*7 + y*13) ^ (x * y)) // detail
			m.Pix[i+3] = 0xff
		}
	}
	return m
}

func encodeJPEG(tb testing.TB, m image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(tb testing.TB, m image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// encodeGIF encodes frames as an animated GIF, each frame a paletted copy.
func encodeGIF(tb testing.TB, frames ...image.Image) []byte {
	tb.Helper()
	g := &gif.GIF{}
	for _, f := range frames {
		p := image.NewPaletted(f.Bounds(), palette.Plan9)
		for y := f.Bounds().Min.Y; y < f.Bounds().Max.Y; y++ {
			for x := f.Bounds().Min.X; x < f.Bounds().Max.X; x++ {
				p.Set(x, y, f.At(x, y))
			}
		}
		g.Image = append(g.Image, p)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// withSegments inserts JPEG marker segments right after the SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// segment returns a JPEG marker segment: 0xFF, marker, length, payload.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// gpsLatitude is the byte pattern of the GPS latitude in exifPayload (48°
// 51' 24" as big-endian rationals), looked for in outputs to prove it left.
var gpsLatitude = []byte{0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 51, 0, 0, 0, 1, 0, 0, 0, 24, 0, 0, 0, 1}

// byteOrder is what exifPayload needs of binary.BigEndian and LittleEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifPayload returns an APP1 Exif payload whose IFD0 holds Orientation o
// and, if gps, a pointer to a GPS IFD with a latitude and a longitude, in the
// given byte order.
func exifPayload(order byteOrder, o uint16, gps bool) []byte {
	var t []byte
	if order == binary.LittleEndian {
		t = append(t, 'I', 'I', 42, 0)
	} else {
		t = append(t, 'M', 'M', 0, 42)
	}
	t = order.AppendUint32(t, 8) // IFD0 right after the header
	n := uint16(1)
	if gps {
		n = 2
	}
	const ifd0 = 8
	gpsIFD := uint32(ifd0 + 2 + 12*int(n) + 4)
	t = order.AppendUint16(t, n)
	// Orientation, SHORT, count 1, value in the first two bytes.
	t = order.AppendUint16(t, tagOrientation)
	t = order.AppendUint16(t, 3)
	t = order.AppendUint32(t, 1)
	t = order.AppendUint16(t, o)
	t = order.AppendUint16(t, 0)
	if gps {
		// GPSInfo IFD pointer, LONG.
		t = order.AppendUint16(t, 0x8825)
		t = order.AppendUint16(t, 4)
		t = order.AppendUint32(t, 1)
		t = order.AppendUint32(t, gpsIFD)
	}
	t = order.AppendUint32(t, 0) // no next IFD
	if gps {
		const entries = 4
		rationals := gpsIFD + 2 + 12*entries + 4
		t = order.AppendUint16(t, entries)
		// GPSLatitudeRef "N", GPSLatitude, GPSLongitudeRef "E", GPSLongitude.
		t = appendEntry(t, order, 1, 2, 2, []byte{'N', 0, 0, 0})
		t = appendEntry(t, order, 2, 5, 3, order.AppendUint32(nil, rationals))
		t = appendEntry(t, order, 3, 2, 2, []byte{'E', 0, 0, 0})
		t = appendEntry(t, order, 4, 5, 3, order.AppendUint32(nil, rationals+24))
		t = order.AppendUint32(t, 0)
		for _, v := range []uint32{48, 1, 51, 1, 24, 1, 2, 1, 21, 1, 3, 1} {
			t = order.AppendUint32(t, v)
		}
	}
	return append([]byte("Exif\x00\x00"), t...)
}

func appendEntry(t []byte, order byteOrder, tag, typ uint16, count uint32, value []byte) []byte {
	t = order.AppendUint16(t, tag)
	t = order.AppendUint16(t, typ)
	t = order.AppendUint32(t, count)
	return append(t, value...)
}

// pngChunk returns a PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// pngHeaderOnly returns a PNG that declares w x h RGBA pixels and holds
// none: a decompression bomb's header.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // depth 8, RGBA, deflate, no filter, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// withPNGText inserts a tEXt chunk before the IEND chunk of a PNG.
func withPNGText(p []byte, key, text string) []byte {
	const iendLen = 12
	out := append([]byte{}, p[:len(p)-iendLen]...)
	out = append(out, pngChunk("tEXt", append(append([]byte(key), 0), text...))...)
	return append(out, p[len(p)-iendLen:]...)
}

// jpegDeclaring returns a valid small JPEG whose SOF says w x h.
func jpegDeclaring(tb testing.TB, w, h uint16) []byte {
	tb.Helper()
	j := encodeJPEG(tb, quadrantImage(8, 8))
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	if i < 0 {
		tb.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(j[i+5:], h)
	binary.BigEndian.PutUint16(j[i+7:], w)
	return j
}

// gifDeclaring returns a valid small GIF whose logical screen is w x h.
func gifDeclaring(tb testing.TB, w, h uint16) []byte {
	tb.Helper()
	g := encodeGIF(tb, quadrantImage(8, 8))
	binary.LittleEndian.PutUint16(g[6:], w)
	binary.LittleEndian.PutUint16(g[8:], h)
	return g
}

// webpDeclaring returns an extended WebP whose canvas is w x h and which
// holds no image.
func webpDeclaring(w, h uint32) []byte {
	out := []byte("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00")
	out = append(out, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	return append(out, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
}

// near reports whether c is within 40 of want on each channel, which
// absorbs JPEG and resampling error on flat areas.
func near(c color.Color, want color.NRGBA) bool {
	got := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return int(a)-int(b) < 40 && int(b)-int(a) < 40 }
	return d(got.R, want.R) && d(got.G, want.G) && d(got.B, want.B) && d(got.A, want.A)
}

// progressiveJPEG returns a grayscale progressive JPEG of w x h pixels made
// of scans AC scans, each skipping every block with end-of-band runs: a
// few bytes per scan, each costing the decoder a pass over all the blocks.
func progressiveJPEG(w, h, scans int) []byte {
	out := []byte{0xFF, markerSOI}
	out = append(out, segment(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...))...) // DQT
	out = append(out, segment(0xC2, []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0})...)
	// DHT: one AC code, "0", for symbol 0xE0 (an end-of-band run of 2^14
	// blocks plus 14 more bits).
	counts := make([]byte, 16)
	counts[0] = 1
	out = append(out, segment(0xC4, append(append([]byte{0x10}, counts...), 0xE0))...)
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	for range scans {
		out = append(out, segment(markerSOS, []byte{1, 1, 0x00, 1, 63, 0})...)
		var b entropyWriter
		for left := blocks; left > 0; left -= 1<<15 - 1 {
			b.bits(0, 1)
			b.bits(1<<14-1, 14)
		}
		out = append(out, b.flush()...)
	}
	return append(out, 0xFF, markerEOI)
}

// entropyWriter packs bits most significant first, stuffing a zero byte
// after each 0xFF, as JPEG entropy-coded data wants.
type entropyWriter struct {
	out []byte
	cur byte
	n   int
}

func (e *entropyWriter) bits(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		e.cur = e.cur<<1 | byte(v>>i&1)
		e.n++
		if e.n == 8 {
			e.out = append(e.out, e.cur)
			if e.cur == 0xFF {
				e.out = append(e.out, 0)
			}
			e.cur, e.n = 0, 0
		}
	}
}

func (e *entropyWriter) flush() []byte {
	for e.n != 0 {
		e.bits(1, 1)
	}
	return e.out
}
