package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// summary is what the tests compare of a Result: everything but the bytes.
type summary struct {
	Format        Format
	Width, Height int
	Original      string
	Variants      []string
}

// summarize describes r and checks that every file decodes, in the format
// and at the size it claims.
func summarize(t *testing.T, r *Result) summary {
	t.Helper()
	s := summary{Format: r.Format, Width: r.Width, Height: r.Height, Original: describe(t, r.Original)}
	for _, v := range r.Variants {
		s.Variants = append(s.Variants, describe(t, v))
	}
	return s
}

func describe(t *testing.T, f File) string {
	t.Helper()
	m := decodeFile(t, f)
	if got := m.Bounds().Size(); got != image.Pt(f.Width, f.Height) {
		t.Errorf("%s file claims %dx%d, decodes to %v", f.ContentType, f.Width, f.Height, got)
	}
	return fmt.Sprintf("%dx%d %s %s", f.Width, f.Height, f.ContentType, f.Ext)
}

func decodeFile(t *testing.T, f File) image.Image {
	t.Helper()
	var (
		m   image.Image
		err error
	)
	switch f.ContentType {
	case "image/jpeg":
		m, err = jpeg.Decode(bytes.NewReader(f.Data))
	case "image/png":
		m, err = png.Decode(bytes.NewReader(f.Data))
	default:
		t.Fatalf("unexpected content type %q", f.ContentType)
	}
	if err != nil {
		t.Fatalf("decode %s output: %v", f.ContentType, err)
	}
	return m
}

func TestProcess(t *testing.T) {
	t.Parallel()
	const (
		jpg = "image/jpeg .jpg"
		pn  = "image/png .png"
	)
	gray := image.NewGray(image.Rect(0, 0, 700, 400))
	tests := []struct {
		name string
		data []byte
		want summary
	}{
		{
			name: "OKJPEG",
			data: encodeJPEG(t, quadrantImage(800, 600)),
			want: summary{Format: FormatJPEG, Width: 800, Height: 600, Original: "800x600 " + jpg,
				Variants: []string{"320x240 " + jpg, "640x480 " + jpg}},
		},
		{
			name: "OKGrayJPEG",
			data: encodeJPEG(t, gray),
			want: summary{Format: FormatJPEG, Width: 700, Height: 400, Original: "700x400 " + jpg,
				Variants: []string{"320x183 " + jpg, "640x366 " + jpg}},
		},
		{
			name: "OKProgressiveJPEG",
			data: progressiveJPEG(64, 48, 10),
			want: summary{Format: FormatJPEG, Width: 64, Height: 48, Original: "64x48 " + jpg},
		},
		{
			name: "OKPNG",
			data: encodePNG(t, quadrantImage(800, 600)),
			want: summary{Format: FormatPNG, Width: 800, Height: 600, Original: "800x600 " + pn,
				Variants: []string{"320x240 " + pn, "640x480 " + pn}},
		},
		{
			name: "OKGIFFirstFrameAsPNG",
			data: encodeGIF(t, quadrantImage(400, 300), quadrantImage(400, 300)),
			want: summary{Format: FormatGIF, Width: 400, Height: 300, Original: "400x300 " + pn,
				Variants: []string{"320x240 " + pn}},
		},
		{
			name: "OKWebPLossyAsJPEG",
			data: webpLossy1x1,
			want: summary{Format: FormatWebP, Width: 1, Height: 1, Original: "1x1 " + jpg},
		},
		{
			name: "OKWebPLosslessTransparentAsPNG",
			data: webpLossless1x1,
			want: summary{Format: FormatWebP, Width: 1, Height: 1, Original: "1x1 " + pn},
		},
		{
			name: "OKWebPLossyAlphaAsPNG",
			data: webpLossyAlpha1x1,
			want: summary{Format: FormatWebP, Width: 1, Height: 1, Original: "1x1 " + pn},
		},
		{
			name: "OKWebPOpaqueAsJPEG",
			data: solidWebP(700, 350, color.NRGBA{R: 200, G: 40, B: 10, A: 255}),
			want: summary{Format: FormatWebP, Width: 700, Height: 350, Original: "700x350 " + jpg,
				Variants: []string{"320x160 " + jpg, "640x320 " + jpg}},
		},
		{
			name: "OKWebPTranslucentAsPNG",
			data: solidWebP(700, 300, color.NRGBA{R: 10, G: 40, B: 200, A: 128}),
			want: summary{Format: FormatWebP, Width: 700, Height: 300, Original: "700x300 " + pn,
				Variants: []string{"320x137 " + pn, "640x274 " + pn}},
		},
	}
	p := NewProcessor(Limits{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := p.Process(context.Background(), bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if diff := cmp.Diff(tt.want, summarize(t, r)); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			sum := sha256.Sum256(tt.data)
			if got, want := r.SHA256, hex.EncodeToString(sum[:]); got != want {
				t.Errorf("SHA256 = %s, want %s", got, want)
			}
		})
	}
}

func TestProcessPixels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{name: "OKJPEG", data: encodeJPEG(t, quadrantImage(400, 300))},
		{name: "OKPNG", data: encodePNG(t, quadrantImage(400, 300))},
		{name: "OKGIF", data: encodeGIF(t, quadrantImage(400, 300))},
	}
	p := NewProcessor(Limits{}, []int{100, 200})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := p.Process(context.Background(), bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			for _, f := range append([]File{r.Original}, r.Variants...) {
				m := decodeFile(t, f)
				w, h := f.Width, f.Height
				if got := m.At(w/4, h/4); !near(got, red) {
					t.Errorf("%dx%d: top-left = %v, want about %v", w, h, got, red)
				}
				if got := m.At(3*w/4, 3*h/4); !near(got, blue) {
					t.Errorf("%dx%d: bottom-right = %v, want about %v", w, h, got, blue)
				}
			}
		})
	}
}

func TestProcessVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		width  int
		height int
		widths []int
		want   []image.Point
	}{
		{
			name: "OKAllDefaults", width: 2000, height: 1000,
			want: []image.Point{{320, 160}, {640, 320}, {960, 480}, {1280, 640}, {1920, 960}},
		},
		{name: "OKNeverUpscaled", width: 500, height: 300, want: []image.Point{{320, 192}}},
		{name: "OKNoneAtExactWidth", width: 320, height: 200, want: nil},
		{name: "OKPortrait", width: 300, height: 900, widths: []int{100, 200}, want: []image.Point{{100, 300}, {200, 600}}},
		{name: "OKAtLeastOnePixel", width: 3000, height: 1, want: []image.Point{{320, 1}, {640, 1}, {960, 1}, {1280, 1}, {1920, 1}}},
		{
			name: "OKCustomWidthsSortedDeduplicated", width: 200, height: 100,
			widths: []int{100, 50, 100, -1, 0}, want: []image.Point{{50, 25}, {100, 50}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := encodePNG(t, quadrantImage(tt.width, tt.height))
			r, err := NewProcessor(Limits{}, tt.widths).Process(context.Background(), bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			var got []image.Point
			for _, v := range r.Variants {
				got = append(got, image.Pt(v.Width, v.Height))
				if m := decodeFile(t, v); m.Bounds().Size() != image.Pt(v.Width, v.Height) {
					t.Errorf("variant claims %dx%d, decodes to %v", v.Width, v.Height, m.Bounds().Size())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("variant sizes (-want +got):\n%s", diff)
			}
			if got, want := image.Pt(r.Original.Width, r.Original.Height), image.Pt(tt.width, tt.height); got != want {
				t.Errorf("original size = %v, want %v", got, want)
			}
		})
	}
}

func TestProcessOrientation(t *testing.T) {
	// Where the red top-left quadrant of the stored 40x20 pixels is
	// displayed once orientation o is applied.
	const (
		topLeft = iota
		topRight
		bottomLeft
		bottomRight
	)
	tests := []struct {
		name string
		o    uint16
		size image.Point
		red  int
	}{
		{name: "OK1Normal", o: 1, size: image.Pt(40, 20), red: topLeft},
		{name: "OK2FlipH", o: 2, size: image.Pt(40, 20), red: topRight},
		{name: "OK3Rotate180", o: 3, size: image.Pt(40, 20), red: bottomRight},
		{name: "OK4FlipV", o: 4, size: image.Pt(40, 20), red: bottomLeft},
		{name: "OK5Transpose", o: 5, size: image.Pt(20, 40), red: topLeft},
		{name: "OK6RotateClockwise", o: 6, size: image.Pt(20, 40), red: topRight},
		{name: "OK7Transverse", o: 7, size: image.Pt(20, 40), red: bottomRight},
		{name: "OK8RotateAnticlockwise", o: 8, size: image.Pt(20, 40), red: bottomLeft},
		{name: "OKOutOfRangeIgnored", o: 9, size: image.Pt(40, 20), red: topLeft},
	}
	plain := encodeJPEG(t, quadrantImage(40, 20))
	p := NewProcessor(Limits{}, nil)
	for _, order := range []byteOrder{binary.BigEndian, binary.LittleEndian} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%v", tt.name, order), func(t *testing.T) {
				data := withSegments(plain, segment(markerAPP1, exifPayload(order, tt.o, true)))
				r, err := p.Process(context.Background(), bytes.NewReader(data))
				if err != nil {
					t.Fatalf("Process: %v", err)
				}
				if got := image.Pt(r.Width, r.Height); got != tt.size {
					t.Errorf("size = %v, want %v", got, tt.size)
				}
				m := decodeFile(t, r.Original)
				w, h := m.Bounds().Dx(), m.Bounds().Dy()
				centres := []image.Point{
					topLeft: {w / 4, h / 4}, topRight: {3 * w / 4, h / 4},
					bottomLeft: {w / 4, 3 * h / 4}, bottomRight: {3 * w / 4, 3 * h / 4},
				}
				for q, c := range centres {
					want := blue
					if q == tt.red {
						want = red
					}
					if got := m.At(c.X, c.Y); !near(got, want) {
						t.Errorf("quadrant %d at %v = %v, want about %v", q, c, got, want)
					}
				}
			})
		}
	}
}

func TestProcessStripsMetadata(t *testing.T) {
	const (
		comment = "Photo: Jeanne Martin, chez elle, 12 rue des Lilas"
		xmp     = `http://ns.adobe.com/xap/1.0/` + "\x00" + `<x:xmpmeta><rdf:Description exif:GPSLatitude="48,51.4N"/></x:xmpmeta>`
	)
	jpg := withSegments(encodeJPEG(t, quadrantImage(40, 20)),
		segment(markerAPP1, exifPayload(binary.BigEndian, 6, true)),
		segment(markerAPP1, []byte(xmp)),
		segment(0xED, []byte("Photoshop 3.0\x00IPTC By-line: Jeanne Martin")), // APP13
		segment(0xFE, []byte(comment)),                                        // COM
	)
	png := withPNGText(encodePNG(t, quadrantImage(40, 20)), "Comment", comment)
	tests := []struct {
		name      string
		data      []byte
		size      image.Point
		forbidden [][]byte
	}{
		{
			name: "OKJPEG", data: jpg, size: image.Pt(20, 40),
			forbidden: [][]byte{[]byte("Exif"), gpsLatitude, []byte("xmpmeta"), []byte("GPSLatitude"), []byte("IPTC"), []byte("Jeanne")},
		},
		{
			name: "OKPNG", data: png, size: image.Pt(40, 20),
			forbidden: [][]byte{[]byte("tEXt"), []byte("Jeanne")},
		},
	}
	p := NewProcessor(Limits{}, []int{10, 15})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range tt.forbidden {
				if !bytes.Contains(tt.data, f) {
					t.Fatalf("test input lacks %q", f)
				}
			}
			r, err := p.Process(context.Background(), bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if got := image.Pt(r.Width, r.Height); got != tt.size {
				t.Errorf("size = %v, want %v", got, tt.size)
			}
			files := append([]File{r.Original}, r.Variants...)
			if len(files) != 3 {
				t.Errorf("got %d files, want 3", len(files))
			}
			for _, file := range files {
				for _, f := range tt.forbidden {
					if bytes.Contains(file.Data, f) {
						t.Errorf("%dx%d output contains %q", file.Width, file.Height, f)
					}
				}
				if bytes.Contains(file.Data, []byte{0xFF, markerAPP1}) && jpegOrientation(file.Data) != 1 {
					t.Errorf("%dx%d output still has an EXIF orientation", file.Width, file.Height)
				}
			}
		})
	}
}

func TestProcessTransparency(t *testing.T) {
	half := image.NewNRGBA(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := range 200 { // left half opaque red, right half transparent
			half.SetNRGBA(x, y, red)
		}
	}
	tests := []struct {
		name string
		data []byte
	}{
		{name: "OKPNG", data: encodePNG(t, half)},
		{name: "OKWebP", data: solidWebP(400, 200, color.NRGBA{R: 10, G: 40, B: 200, A: 0})},
	}
	p := NewProcessor(Limits{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := png.Decode(bytes.NewReader(encodePNG(t, half)))
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "OKWebP" {
				src = image.NewNRGBA(half.Rect) // fully transparent
			}
			r, err := p.Process(context.Background(), bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			for _, f := range append([]File{r.Original}, r.Variants...) {
				if f.ContentType != "image/png" {
					t.Fatalf("%dx%d: content type %q, want image/png", f.Width, f.Height, f.ContentType)
				}
				m := decodeFile(t, f)
				for _, at := range []image.Point{{f.Width / 4, f.Height / 2}, {3 * f.Width / 4, f.Height / 2}} {
					sx, sy := at.X*400/f.Width, at.Y*200/f.Height
					_, _, _, want := src.At(sx, sy).RGBA()
					_, _, _, got := m.At(at.X, at.Y).RGBA()
					if got != want {
						t.Errorf("%dx%d: alpha at %v = %d, want %d", f.Width, f.Height, at, got, want)
					}
				}
			}
		})
	}
}

func TestNewProcessor(t *testing.T) {
	tests := []struct {
		name       string
		limits     Limits
		widths     []int
		wantLimits Limits
		wantWidths []int
	}{
		{name: "OKDefaults", wantLimits: DefaultLimits(), wantWidths: DefaultWidths()},
		{
			name:       "OKNegativeMeansDefault",
			limits:     Limits{MaxBytes: -1, MaxPixels: -1, MaxSide: -1},
			widths:     []int{-5, 0},
			wantLimits: DefaultLimits(),
			wantWidths: DefaultWidths(),
		},
		{
			name:       "OKCustom",
			limits:     Limits{MaxBytes: 1 << 20, MaxSide: 4000},
			widths:     []int{800, 400, 800},
			wantLimits: Limits{MaxBytes: 1 << 20, MaxPixels: DefaultLimits().MaxPixels, MaxSide: 4000},
			wantWidths: []int{400, 800},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			given := append([]int(nil), tt.widths...)
			p := NewProcessor(tt.limits, tt.widths)
			if diff := cmp.Diff(tt.wantLimits, p.Limits()); diff != "" {
				t.Errorf("limits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWidths, p.widths); diff != "" {
				t.Errorf("widths (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(given, tt.widths); diff != "" {
				t.Errorf("caller's widths changed (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzProcess feeds Process damaged and random files: it must never panic,
// and must refuse with one of its own errors or succeed with files that
// decode.
func FuzzProcess(f *testing.F) {
	f.Add(encodeJPEG(f, quadrantImage(40, 20)))
	f.Add(withSegments(encodeJPEG(f, quadrantImage(16, 8)), segment(markerAPP1, exifPayload(binary.LittleEndian, 6, true))))
	f.Add(progressiveJPEG(24, 16, 3))
	f.Add(encodePNG(f, quadrantImage(30, 10)))
	f.Add(encodeGIF(f, quadrantImage(12, 12), quadrantImage(12, 12)))
	f.Add(webpLossless1x1)
	f.Add(webpLossy1x1)
	f.Add(webpLossyAlpha1x1)
	f.Add(solidWebP(33, 17, color.NRGBA{R: 1, G: 2, B: 3, A: 4}))
	p := NewProcessor(Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 2048}, []int{8, 16})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := p.Process(context.Background(), bytes.NewReader(data))
		if err != nil {
			for _, want := range []error{ErrTooLarge, ErrNotImage, ErrTooManyPixels, ErrCorrupt} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("Process error %v is none of the refusals", err)
		}
		summarize(t, r)
	})
}
