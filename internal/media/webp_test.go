package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/webp"
)

// Small valid WebP files, written out byte by byte since Go has no WebP
// encoder: the 1x1 test images Modernizr uses to detect WebP support.
var (
	// webpLossless1x1 is a VP8L (lossless) transparent pixel.
	webpLossless1x1 = []byte{
		'R', 'I', 'F', 'F', 0x1a, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'L', 0x0d, 0x00, 0x00, 0x00,
		0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
	}
	// webpLossy1x1 is a VP8 (lossy) opaque grey pixel.
	webpLossy1x1 = []byte{
		'R', 'I', 'F', 'F', 0x22, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
		'V', 'P', '8', ' ', 0x16, 0x00, 0x00, 0x00,
		0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x0e, 0xc0, 0xfe, 0x25,
		0xa4, 0x00, 0x03, 0x70, 0x00, 0x00, 0x00, 0x00,
	}
	// webpLossyAlpha1x1 is a VP8X file with an ALPH chunk and a VP8 frame:
	// a lossy pixel made fully transparent.
	webpLossyAlpha1x1 = []byte{
		'R', 'I', 'F', 'F', 0x4a, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'X', 0x0a, 0x00, 0x00, 0x00,
		0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		'A', 'L', 'P', 'H', 0x0c, 0x00, 0x00, 0x00,
		0x11, 0x07, 0x10, 0x11, 0xfd, 0x0f, 0x44, 0x44, 0xff, 0x03, 0x00, 0x00,
		'V', 'P', '8', ' ', 0x18, 0x00, 0x00, 0x00,
		0x14, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0xfe, 0x00,
		0x00, 0x0d, 0xc0, 0x00, 0xfe, 0xe6, 0xb5, 0x00, 0x00, 0x00,
	}
)

// solidWebP returns a lossless WebP of w x h pixels of colour c. It uses the
// smallest VP8L bitstream there is: no transform, no colour cache, and one
// single-symbol prefix code per channel, which costs zero bits per pixel, so
// any size fits in a few bytes.
func solidWebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	if c.A != 0xff {
		bw.write(1, 1) // alpha is used
	} else {
		bw.write(0, 1)
	}
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // written on 8 bits
		bw.write(uint32(sym), 8)
	}
	data := bw.buf
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+len(data)))
	b.WriteString("WEBPVP8L")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(bw.buf)))
	b.Write(data)
	return b.Bytes()
}

// bitWriter packs bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf []byte
	n   int
}

func (b *bitWriter) write(v uint32, bits int) {
	for i := range bits {
		if b.n%8 == 0 {
			b.buf = append(b.buf, 0)
		}
		if v>>i&1 == 1 {
			b.buf[len(b.buf)-1] |= 1 << (b.n % 8)
		}
		b.n++
	}
}

// TestWebPFixtures checks the test files themselves with the decoder
// Process uses, so a failure elsewhere cannot come from a bad fixture.
func TestWebPFixtures(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		want   image.Rectangle
		opaque bool
		pixel  color.Color // at (0, 0), when known exactly
	}{
		{name: "OKLossless1x1", data: webpLossless1x1, want: image.Rect(0, 0, 1, 1), opaque: false},
		{name: "OKLossy1x1", data: webpLossy1x1, want: image.Rect(0, 0, 1, 1), opaque: true},
		{name: "OKLossyAlpha1x1", data: webpLossyAlpha1x1, want: image.Rect(0, 0, 1, 1), opaque: false},
		{name: "OKSolidOpaque", data: solidWebP(1000, 500, color.NRGBA{R: 200, G: 40, B: 10, A: 255}), want: image.Rect(0, 0, 1000, 500), opaque: true, pixel: color.NRGBA{R: 200, G: 40, B: 10, A: 255}},
		{name: "OKSolidTranslucent", data: solidWebP(700, 300, color.NRGBA{R: 10, G: 40, B: 200, A: 128}), want: image.Rect(0, 0, 700, 300), opaque: false, pixel: color.NRGBA{R: 10, G: 40, B: 200, A: 128}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := webp.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("webp.Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, m.Bounds()); diff != "" {
				t.Errorf("bounds (-want +got):\n%s", diff)
			}
			o, ok := m.(interface{ Opaque() bool })
			if !ok {
				t.Fatalf("%T has no Opaque method", m)
			}
			if got := o.Opaque(); got != tt.opaque {
				t.Errorf("Opaque() = %v, want %v", got, tt.opaque)
			}
			if tt.pixel != nil {
				if got := m.At(0, 0); got != tt.pixel {
					t.Errorf("At(0, 0) = %v, want %v", got, tt.pixel)
				}
			}
		})
	}
}
