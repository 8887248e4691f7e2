package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// jpegQuality is the quality of every JPEG Process writes: visually lossless
// for news photos at about a third of the size of quality 100.
const jpegQuality = 88

// sniff recognises the format from the magic number at the start of data.
// Each format has its own decoder below rather than image.Decode, so that
// a format some imported package registered (BMP, TIFF) is still refused.
func sniff(data []byte) (Format, error) {
	switch {
	case len(data) == 0:
		return "", notImage(fmt.Errorf("sniff upload: %w: empty", ErrNotImage))
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return FormatGIF, nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return FormatWebP, nil
	}
	return "", notImage(fmt.Errorf("sniff upload: %w", ErrNotImage))
}

// decodeConfig reads the dimensions from the header only.
func decodeConfig(f Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case FormatJPEG:
		return jpeg.DecodeConfig(r)
	case FormatPNG:
		return png.DecodeConfig(r)
	case FormatGIF:
		return gif.DecodeConfig(r)
	case FormatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("unknown format %q", f)
}

// decode decodes data, whose header declared cfg and passed the limits. It
// refuses an image whose pixels do not match its header, so the limits
// checked on the header hold for what was allocated.
func decode(f Format, data []byte, cfg image.Config) (image.Image, error) {
	r := bytes.NewReader(data)
	var (
		img image.Image
		err error
	)
	switch f {
	case FormatJPEG:
		img, err = jpeg.Decode(r)
	case FormatPNG:
		img, err = png.Decode(r)
	case FormatGIF:
		// gif.Decode stops after the first frame: the rest of an
		// animation is never decoded.
		img, err = gif.Decode(r)
	case FormatWebP:
		img, err = webp.Decode(r)
		if err != nil && animatedWebP(data) {
			err = errors.New("animated webp is not supported")
		}
	default:
		err = fmt.Errorf("unknown format %q", f)
	}
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	b := img.Bounds()
	if f == FormatGIF && b != screen && b.In(screen) {
		// A GIF frame may cover part of the logical screen only: place it
		// on a transparent canvas of the declared size.
		canvas := image.NewNRGBA(screen)
		draw.Draw(canvas, b, img, b.Min, draw.Src)
		return canvas, nil
	}
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("pixels are %dx%d, header said %dx%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	return img, nil
}

// animatedWebP reports whether data is an extended WebP with the animation
// flag set, which golang.org/x/image/webp cannot decode.
func animatedWebP(data []byte) bool {
	const animationBit = 1 << 1
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&animationBit != 0
}

// output is the encoding of the stored files.
type output int

const (
	jpegOutput output = iota
	pngOutput
)

// outputFor chooses the stored encoding: JPEG stays JPEG; PNG and GIF
// become PNG (lossless, keeps transparency); WebP, which Go cannot encode,
// becomes PNG if any pixel is transparent, else JPEG.
func outputFor(f Format, img image.Image) output {
	switch f {
	case FormatJPEG:
		return jpegOutput
	case FormatWebP:
		if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
			return jpegOutput
		}
	}
	return pngOutput
}

// encode writes img as out. Neither Go encoder writes any metadata block,
// which is what strips EXIF, XMP, IPTC and comments.
func encode(img image.Image, out output) (File, error) {
	var buf bytes.Buffer
	f := File{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	switch out {
	case jpegOutput:
		f.ContentType, f.Ext = "image/jpeg", ".jpg"
		if err := jpeg.Encode(&buf, jpegSource(img), &jpeg.Options{Quality: jpegQuality}); err != nil {
			return File{}, fmt.Errorf("encode jpeg: %w", err)
		}
	default:
		f.ContentType, f.Ext = "image/png", ".png"
		if err := png.Encode(&buf, img); err != nil {
			return File{}, fmt.Errorf("encode png: %w", err)
		}
	}
	f.Data = buf.Bytes()
	return f, nil
}

// jpegSource returns img as a type the JPEG encoder has a fast path for
// (YCbCr, RGBA, Gray); any other type goes through a per-pixel interface
// call that makes encoding several times slower.
func jpegSource(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr, *image.RGBA, *image.Gray:
		return m
	case *image.NYCbCrA:
		return &m.YCbCr
	case *image.NRGBA:
		return opaqueRGBA(m)
	}
	return opaqueRGBA(imaging.Clone(img))
}

// opaqueRGBA views m's pixels as RGBA. The JPEG encoder reads only R, G and
// B, so this drops alpha, which is right for the images encoded as JPEG:
// they are opaque, give or take a rounding of the resampling filter.
func opaqueRGBA(m *image.NRGBA) *image.RGBA {
	return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

// resize scales img to w x h with a Lanczos filter, which keeps news photos
// sharp when scaling down.
func resize(img image.Image, w, h int) image.Image {
	return imaging.Resize(img, w, h, imaging.Lanczos)
}
