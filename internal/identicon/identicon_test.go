package identicon

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// randomKeys returns n keys shaped like the ones callers pass (32-byte
// HMACs), from a fixed seed so that counts are reproducible.
func randomKeys(n int) [][]byte {
	rng := rand.New(rand.NewChaCha8([32]byte{'k', 'i', 'o', 's', 'q', 'u', 'e'}))
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = make([]byte, 32)
		for j := range keys[i] {
			keys[i][j] = byte(rng.Uint32())
		}
	}
	return keys
}

func hmacKey(email string) []byte {
	m := hmac.New(sha256.New, []byte("site secret"))
	m.Write([]byte(email))
	return m.Sum(nil)
}

func TestSVGDeterministic(t *testing.T) {
	for _, key := range randomKeys(50) {
		a, b := SVG(key, 48), SVG(bytes.Clone(key), 48)
		if !bytes.Equal(a, b) {
			t.Fatalf("SVG(%x) differs between calls:\n%s\n%s", key, a, b)
		}
	}
}

// TestSVGDistinct draws 1000 random keys. With 15 free cells there are 32768
// grid patterns, so by the birthday bound about 15 pairs of keys share a
// pattern (0.03 % of pairs); the hue tells most of those apart, and whole
// pictures should essentially never repeat.
func TestSVGDistinct(t *testing.T) {
	keys := randomKeys(1000)
	grids := map[grid]int{}
	images := map[string]int{}
	gridPairs, imagePairs := 0, 0
	for _, key := range keys {
		d := designFor(key)
		gridPairs += grids[d.grid]
		grids[d.grid]++
		img := string(SVG(key, 64))
		imagePairs += images[img]
		images[img]++
	}
	t.Logf("1000 keys: %d distinct grids, %d pairs sharing a grid, %d pairs sharing a picture", len(grids), gridPairs, imagePairs)
	if gridPairs > 40 {
		t.Errorf("%d pairs of keys share a grid pattern, want about 15 and at most 40", gridPairs)
	}
	if imagePairs > 1 {
		t.Errorf("%d pairs of keys share a whole picture, want at most 1", imagePairs)
	}
}

func TestGridSymmetric(t *testing.T) {
	keys := append(randomKeys(1000), nil, []byte{}, []byte("a"))
	for _, key := range keys {
		g := designFor(key).grid
		if g == 0 {
			t.Errorf("key %x: empty grid", key)
		}
		if g>>25 != 0 {
			t.Errorf("key %x: grid %b has bits beyond the 25 cells", key, g)
		}
		for row := range 5 {
			for col := range 2 {
				if g.on(col, row) != g.on(4-col, row) {
					t.Errorf("key %x: cell (%d,%d) and its mirror (%d,%d) differ", key, col, row, 4-col, row)
				}
			}
		}
	}
}

var subpath = regexp.MustCompile(`^M([0-4]) ([0-4])h([1-5])v([1-5])h-([1-5])z`)

// cellsOf reads back the path data SVG writes and returns the cells it
// covers, failing on overlapping rectangles or unexpected syntax.
func cellsOf(t *testing.T, d string) (g grid, rects int) {
	t.Helper()
	for d != "" {
		m := subpath.FindStringSubmatch(d)
		if m == nil {
			t.Fatalf("unexpected path data at %q", d)
		}
		d = d[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		h, _ := strconv.Atoi(m[4])
		if m[3] != m[5] || x+w > 5 || y+h > 5 {
			t.Fatalf("malformed rectangle %q", m[0])
		}
		for row := y; row < y+h; row++ {
			for col := x; col < x+w; col++ {
				if g.on(col, row) {
					t.Fatalf("cell (%d,%d) drawn twice", col, row)
				}
				g |= 1 << (5*row + col)
			}
		}
		rects++
	}
	return g, rects
}

var pathData = regexp.MustCompile(` d="([^"]*)"`)

func TestSVGDrawsGrid(t *testing.T) {
	var rects, cells int
	for _, key := range randomKeys(1000) {
		out := SVG(key, 64)
		m := pathData.FindSubmatch(out)
		if m == nil {
			t.Fatalf("no path data in %s", out)
		}
		got, n := cellsOf(t, string(m[1]))
		want := designFor(key).grid
		if got != want {
			t.Fatalf("key %x: path draws %025b, want %025b", key, got, want)
		}
		rects += n
		for i := range 25 {
			if want&(1<<i) != 0 {
				cells++
			}
		}
	}
	t.Logf("1000 keys: %d filled cells drawn as %d rectangles (%.1f per avatar)", cells, rects, float64(rects)/1000)
}

// TestSVGWellFormed parses the output as XML and allows only the three
// elements it should hold, with no scripting, styling or external reference.
func TestSVGWellFormed(t *testing.T) {
	allowed := map[string]map[string]bool{
		"svg":  {"xmlns": true, "width": true, "height": true, "viewBox": true},
		"rect": {"x": true, "y": true, "width": true, "height": true, "fill": true},
		"path": {"fill": true, "shape-rendering": true, "d": true},
	}
	tests := []struct {
		name     string
		key      []byte
		size     int
		wantSize string
	}{
		{name: "OK", key: hmacKey("ines@example.org"), size: 64, wantSize: "64"},
		{name: "OKLarge", key: []byte("x"), size: 1024, wantSize: "1024"},
		{name: "OKEmptyKey", key: nil, size: 1, wantSize: "1"},
		{name: "OKDefaultSize", key: []byte("y"), size: 0, wantSize: strconv.Itoa(DefaultSize)},
		{name: "OKNegativeSize", key: []byte("z"), size: -5, wantSize: strconv.Itoa(DefaultSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := SVG(tt.key, tt.size)
			dec := xml.NewDecoder(bytes.NewReader(out))
			dec.Strict = true
			var names []string
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("parse %s: %v", out, err)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					names = append(names, tok.Name.Local)
					attrs, ok := allowed[tok.Name.Local]
					if !ok || tok.Name.Space != "http://www.w3.org/2000/svg" {
						t.Errorf("element {%s}%s not allowed", tok.Name.Space, tok.Name.Local)
					}
					for _, a := range tok.Attr {
						if !attrs[a.Name.Local] || (a.Name.Space != "" && a.Name.Local != "xmlns") {
							t.Errorf("attribute %s:%s on %s not allowed", a.Name.Space, a.Name.Local, tok.Name.Local)
						}
						if tok.Name.Local == "svg" && (a.Name.Local == "width" || a.Name.Local == "height") && a.Value != tt.wantSize {
							t.Errorf("svg %s = %q, want %q", a.Name.Local, a.Value, tt.wantSize)
						}
					}
				case xml.CharData:
					if len(bytes.TrimSpace(tok)) > 0 {
						t.Errorf("unexpected text %q", tok)
					}
				case xml.ProcInst, xml.Directive, xml.Comment:
					t.Errorf("unexpected %T", tok)
				}
			}
			if got := strings.Join(names, ","); got != "svg,rect,path" {
				t.Errorf("elements = %s, want svg,rect,path", got)
			}
		})
	}
}

// TestGolden pins the exact output for a few keys, so that any change to the
// drawing is deliberate (and comes with a new version for ETag). Refresh with
// go test ./internal/identicon -update.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		size int
	}{
		{name: "hmac_ines", key: hmacKey("ines@example.org"), size: 64},
		{name: "hmac_paul", key: hmacKey("paul@example.org"), size: 40},
		{name: "empty_key", key: nil, size: 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SVG(tt.key, tt.size)
			path := filepath.Join("testdata", tt.name+".svg")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o600); err != nil {
					t.Fatalf("update golden: %v", err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create it): %v", err)
			}
			if !bytes.Equal(append(got, '\n'), want) {
				t.Errorf("SVG differs from %s:\ngot  %s\nwant %s", path, got, want)
			}
		})
	}
}

func TestETag(t *testing.T) {
	etagc := regexp.MustCompile(`^"[\x21\x23-\x7e]+"$`)
	a, b := hmacKey("ines@example.org"), hmacKey("paul@example.org")
	if ETag(a) != ETag(bytes.Clone(a)) {
		t.Errorf("ETag is not stable")
	}
	if ETag(a) == ETag(b) {
		t.Errorf("ETag(a) == ETag(b) = %s", ETag(a))
	}
	for _, tag := range []string{ETag(a), ETag(nil)} {
		if !etagc.MatchString(tag) {
			t.Errorf("ETag %q is not a strong RFC 9110 entity tag", tag)
		}
	}
}

func TestHSLToRGB(t *testing.T) {
	tests := []struct {
		h, s, l int
		want    string
	}{
		{0, 100, 50, "#ff0000"},
		{120, 100, 50, "#00ff00"},
		{240, 100, 50, "#0000ff"},
		{60, 100, 25, "#808000"},
		{0, 0, 100, "#ffffff"},
		{0, 0, 0, "#000000"},
		{300, 50, 50, "#bf40bf"},
	}
	for _, tt := range tests {
		r, g, b := hslToRGB(tt.h, tt.s, tt.l)
		if got := string(appendHex(nil, r, g, b)); got != tt.want {
			t.Errorf("hslToRGB(%d, %d, %d) = %s, want %s", tt.h, tt.s, tt.l, got, tt.want)
		}
	}
	// Against the floating-point formula, to within rounding.
	for h := range 360 {
		for _, sl := range [][2]int{{fgSaturation, fgLightness}, {bgSaturation, bgLightness}, {100, 50}, {30, 70}} {
			r, g, b := hslToRGB(h, sl[0], sl[1])
			fr, fg, fb := hslFloat(float64(h), float64(sl[0])/100, float64(sl[1])/100)
			for i, pair := range [][2]float64{{float64(r), fr}, {float64(g), fg}, {float64(b), fb}} {
				if math.Abs(pair[0]-pair[1]*255) > 1 {
					t.Errorf("hslToRGB(%d, %d, %d) channel %d = %v, want %.1f", h, sl[0], sl[1], i, pair[0], pair[1]*255)
				}
			}
		}
	}
}

func hslFloat(h, s, l float64) (r, g, b float64) {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	switch int(h / 60) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	return r + m, g + m, b + m
}

// TestContrast checks the claim behind the fixed saturation and lightness:
// for every hue, cells and background differ by at least 3:1 (WCAG 2.2,
// 1.4.11 non-text contrast).
func TestContrast(t *testing.T) {
	lum := func(r, g, b uint8) float64 {
		lin := func(c uint8) float64 {
			v := float64(c) / 255
			if v <= 0.04045 {
				return v / 12.92
			}
			return math.Pow((v+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	}
	lowest, at := math.Inf(1), 0
	for h := range 360 {
		fg := lum(hslToRGB(h, fgSaturation, fgLightness))
		bg := lum(hslToRGB(h, bgSaturation, bgLightness))
		if ratio := (bg + 0.05) / (fg + 0.05); ratio < lowest {
			lowest, at = ratio, h
		}
	}
	t.Logf("lowest contrast %.2f:1 at hue %d", lowest, at)
	if lowest < 3 {
		t.Errorf("contrast at hue %d is %.2f:1, want at least 3:1", at, lowest)
	}
}

func BenchmarkSVG(b *testing.B) {
	key := hmacKey("ines@example.org")
	var n int
	b.ReportAllocs()
	for b.Loop() {
		n = len(SVG(key, 64))
	}
	b.ReportMetric(float64(n), "svg-bytes")
}

func BenchmarkETag(b *testing.B) {
	key := hmacKey("ines@example.org")
	b.ReportAllocs()
	for b.Loop() {
		_ = ETag(key)
	}
}
