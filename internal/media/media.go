// Package media turns an uploaded image into the files the newsroom stores
// and serves: the original, re-encoded, and responsive variants.
//
// An upload is untrusted. Process reads at most Limits.MaxBytes+1 bytes,
// recognises the format from its magic number (never from a file name or a
// client Content-Type), reads the dimensions from the header and refuses a
// decompression bomb before decoding a single pixel. Only JPEG, PNG, GIF and
// WebP are accepted; SVG is refused because it can carry scripts.
//
// Every output is re-encoded from pixels, so nothing but pixels survives:
// EXIF (with the GPS position of the photographer), XMP, IPTC, comments and
// ICC profiles are all dropped. A JPEG's EXIF orientation is applied first, so
// phone photos are not shown sideways once the tag is gone.
//
// Cost: Process is CPU- and memory-bound and takes no lock. Decoding needs
// 1.5 to 8 bytes per pixel (a YCbCr JPEG to a 16-bit PNG), an orientation
// fix or a resize another 4 bytes per pixel of its output, and the encoded
// files stay in memory until the caller stores them. For a 12-megapixel
// phone photo (BenchmarkProcess) that is about 1.2 CPU-seconds and under
// 100 MB at peak; at the default 50-megapixel limit, expect about 5
// CPU-seconds and 400 MB. Callers should bound how many uploads are
// processed at once, for example with a worker pool or a semaphore.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"slices"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Errors Process returns for an upload it refuses, distinguishable with
// errors.Is. Each comes wrapped in an apperr.Error of kind Invalid whose
// catalogue key ("error.media.…") the web layer shows next to the field.
var (
	// ErrTooLarge means the upload has more bytes than Limits.MaxBytes.
	ErrTooLarge = errors.New("image file too large")
	// ErrNotImage means the upload is empty or not a JPEG, PNG, GIF or WebP image.
	ErrNotImage = errors.New("not a supported image")
	// ErrTooManyPixels means the header declares more pixels than
	// Limits.MaxPixels or a side longer than Limits.MaxSide.
	ErrTooManyPixels = errors.New("image dimensions too large")
	// ErrCorrupt means the upload looks like an image but cannot be decoded:
	// truncated or damaged, a JPEG variant Go cannot decode (12-bit,
	// arithmetic coding) or one with so many scans it would take minutes to
	// decode, or an animated WebP.
	ErrCorrupt = errors.New("image file damaged")
)

// Limits bound what an upload may cost; a zero field takes its default.
type Limits struct {
	// MaxBytes is the largest upload accepted; larger input is refused after
	// reading MaxBytes+1 bytes, without reading it all. Default 20 MiB.
	MaxBytes int64
	// MaxPixels is the largest width*height accepted, read from the header
	// before decoding, so a tiny file declaring 60000x60000 is refused
	// without allocating. Default 50 megapixels.
	MaxPixels int64
	// MaxSide is the longest side accepted, in pixels. Default 12000.
	MaxSide int
}

// DefaultLimits returns the limits used for every zero field of Limits: 20 MiB,
// 50 megapixels and 12000 pixels on any side, enough for any camera a
// newsroom uses.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxPixels: 50_000_000, MaxSide: 12000}
}

// DefaultWidths returns the widths of the responsive variants used when
// NewProcessor is given none: common breakpoints from phones to large screens.
func DefaultWidths() []int {
	return []int{320, 640, 960, 1280, 1920}
}

// Format is an image format recognised from the upload's magic number.
type Format string

// The formats Process accepts.
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatWebP Format = "webp"
	FormatGIF  Format = "gif"
)

// File is one encoded image ready to store and serve.
type File struct {
	Width, Height int
	// ContentType is "image/jpeg" or "image/png".
	ContentType string
	// Ext is ".jpg" or ".png", for the stored file name.
	Ext  string
	Data []byte
}

// Result is what Process makes of an upload: the files to store and what the
// metadata row needs to know about them.
type Result struct {
	// Format is the upload's format, sniffed from its bytes.
	Format Format
	// Width and Height are those of Original, after the EXIF orientation.
	Width, Height int
	// SHA256 is the lowercase hex digest of the uploaded bytes, to spot
	// duplicates.
	SHA256 string
	// Original is the full-size image, re-encoded from its pixels so that no
	// metadata (EXIF, GPS, XMP, IPTC, comments, ICC) survives. A JPEG stays
	// a JPEG (quality 88) and a PNG stays a PNG. A GIF becomes a PNG of its
	// first frame: animation is lost, which is the price of stripping every
	// extension block. A WebP becomes a PNG if it has transparent pixels,
	// else a JPEG, since Go has no WebP encoder.
	Original File
	// Variants are the same image at each configured width smaller than the
	// original (never upscaled), in ascending width, height kept by ratio,
	// resized with a Lanczos filter and encoded like Original.
	Variants []File
}

// Processor turns uploads into the files to store. It holds only
// configuration, so one Processor may serve concurrent calls.
type Processor struct {
	limits Limits
	widths []int
}

// NewProcessor returns a Processor enforcing l (zero fields take
// DefaultLimits) and making a variant for each of widths (DefaultWidths if
// empty; non-positive and duplicate widths are ignored).
func NewProcessor(l Limits, widths []int) *Processor {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	var ws []int
	for _, w := range widths {
		if w > 0 {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		ws = DefaultWidths()
	}
	slices.Sort(ws)
	return &Processor{limits: l, widths: slices.Compact(ws)}
}

// Limits returns the limits p enforces, defaults filled in, so that a form
// can tell people what they may upload.
func (p *Processor) Limits() Limits { return p.limits }

// Process reads an upload from r and returns the files to store. A refused
// upload gives an error matching ErrTooLarge, ErrNotImage, ErrTooManyPixels
// or ErrCorrupt, wrapped in an apperr.Error of kind Invalid. ctx is checked
// while reading and between steps (decode, orientation, each output), not
// inside a decoder or encoder; a cancelled ctx gives an error matching
// ctx.Err().
func (p *Processor) Process(ctx context.Context, r io.Reader) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("process image: %w", err)
	}
	data, err := p.read(ctx, r)
	if err != nil {
		return nil, err
	}
	format, err := sniff(data)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return nil, corrupt(fmt.Errorf("read %s header: %w: %w", format, ErrCorrupt, err))
	}
	if err := p.checkDimensions(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if format == FormatJPEG && jpegTooManyScans(data) {
		return nil, corrupt(fmt.Errorf("check jpeg scans: %w: more than %d", ErrCorrupt, maxJPEGScans))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("process image: %w", err)
	}

	img, err := decode(format, data, cfg)
	if err != nil {
		return nil, corrupt(fmt.Errorf("decode %s: %w: %w", format, ErrCorrupt, err))
	}
	if format == FormatJPEG {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("process image: %w", err)
		}
		img = orient(img, jpegOrientation(data))
	}

	out := outputFor(format, img)
	files, err := encodeAll(ctx, img, out, p.widths)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	b := img.Bounds()
	return &Result{
		Format:   format,
		Width:    b.Dx(),
		Height:   b.Dy(),
		SHA256:   hex.EncodeToString(sum[:]),
		Original: files[len(files)-1],
		Variants: files[:len(files)-1],
	}, nil
}

// read returns the whole upload, refusing it once it passes MaxBytes.
func (p *Processor) read(ctx context.Context, r io.Reader) ([]byte, error) {
	limit := p.limits.MaxBytes
	if limit < math.MaxInt64 {
		limit++ // one byte more tells a file of exactly MaxBytes from a larger one
	}
	data, err := io.ReadAll(io.LimitReader(ctxReader{ctx: ctx, r: r}, limit))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > p.limits.MaxBytes {
		mib := (p.limits.MaxBytes-1)>>20 + 1 // rounded up
		return nil, apperr.Wrap(fmt.Errorf("read upload: %w (over %d bytes)", ErrTooLarge, p.limits.MaxBytes),
			apperr.Invalid, "error.media.too_large", mib)
	}
	return data, nil
}

// checkDimensions refuses a declared size over the limits, before any pixel
// buffer is allocated.
func (p *Processor) checkDimensions(w, h int) error {
	if w <= 0 || h <= 0 {
		return corrupt(fmt.Errorf("check dimensions %dx%d: %w", w, h, ErrCorrupt))
	}
	if w > p.limits.MaxSide || h > p.limits.MaxSide || int64(w)*int64(h) > p.limits.MaxPixels {
		return apperr.Wrap(fmt.Errorf("check dimensions %dx%d: %w", w, h, ErrTooManyPixels),
			apperr.Invalid, "error.media.too_many_pixels", p.limits.MaxSide, p.limits.MaxPixels/1_000_000)
	}
	return nil
}

// corrupt marks err, which wraps ErrCorrupt, as a refusal people can act on.
func corrupt(err error) error {
	return apperr.Wrap(err, apperr.Invalid, "error.media.corrupt")
}

// notImage marks err, which wraps ErrNotImage, as a refusal people can act on.
func notImage(err error) error {
	return apperr.Wrap(err, apperr.Invalid, "error.media.not_image")
}

// encodeAll returns the variants narrower than img, in ascending width,
// followed by img itself, all encoded as out.
//
// Each variant is resized from the next larger one rather than from the
// original: a Lanczos pass costs about six multiply-adds per source pixel
// whatever the target width, so cascading makes the five default variants
// of a 12-megapixel photo 2.5 times cheaper (measured), and resampling again
// at a ratio under 2 is not visible.
func encodeAll(ctx context.Context, img image.Image, out output, widths []int) ([]File, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var smaller []int
	for _, vw := range widths {
		if vw < w {
			smaller = append(smaller, vw)
		}
	}
	files := make([]File, len(smaller)+1)

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("encode original: %w", err)
	}
	f, err := encode(img, out)
	if err != nil {
		return nil, fmt.Errorf("encode original: %w", err)
	}
	files[len(smaller)] = f

	src := img
	for i := len(smaller) - 1; i >= 0; i-- {
		vw := smaller[i]
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("make %dpx variant: %w", vw, err)
		}
		vh := max(1, int(math.Round(float64(h)*float64(vw)/float64(w))))
		src = resize(src, vw, vh)
		f, err := encode(src, out)
		if err != nil {
			return nil, fmt.Errorf("encode %dpx variant: %w", vw, err)
		}
		files[i] = f
	}
	return files, nil
}

// ctxReader stops reading once ctx is done, so a slow upload is abandoned
// with its request.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
