package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
)

func TestProcessRefusals(t *testing.T) {
	photo := encodeJPEG(t, photoImage(300, 200))
	pic := encodePNG(t, photoImage(300, 200))
	tests := []struct {
		name   string
		limits Limits
		data   []byte
		want   error
	}{
		{name: "ErrNotImageEmpty", data: nil, want: ErrNotImage},
		{name: "ErrNotImageTextNamedJPG", data: []byte("Compte rendu du conseil municipal.\n"), want: ErrNotImage},
		{name: "ErrNotImageSVG", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), want: ErrNotImage},
		{name: "ErrNotImageSVGWithDeclaration", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), want: ErrNotImage},
		{name: "ErrNotImageHTML", data: []byte("<!DOCTYPE html><html><script>alert(1)</script>"), want: ErrNotImage},
		{name: "ErrNotImageBMP", data: append([]byte("BM"), make([]byte, 60)...), want: ErrNotImage},
		{name: "ErrNotImageRIFFNotWebP", data: []byte("RIFF\x04\x00\x00\x00WAVEfmt "), want: ErrNotImage},
		{name: "ErrTooManyPixelsPNG", data: pngHeaderOnly(100000, 100000), want: ErrTooManyPixels},
		{name: "ErrTooManyPixelsJPEG", data: jpegDeclaring(t, 60000, 60000), want: ErrTooManyPixels},
		{name: "ErrTooManyPixelsGIF", data: gifDeclaring(t, 65535, 65535), want: ErrTooManyPixels},
		{name: "ErrTooManyPixelsWebP", data: webpDeclaring(30000, 30000), want: ErrTooManyPixels},
		{name: "ErrTooManyPixelsLongSide", data: pngHeaderOnly(13000, 10), want: ErrTooManyPixels},
		{name: "ErrTooManyPixelsCustomLimit", limits: Limits{MaxPixels: 1000}, data: photo, want: ErrTooManyPixels},
		{name: "ErrCorruptTruncatedJPEG", data: photo[:len(photo)/2], want: ErrCorrupt},
		{name: "ErrCorruptTruncatedPNG", data: pic[:len(pic)/2], want: ErrCorrupt},
		{name: "ErrCorruptJPEGMagicOnly", data: []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, want: ErrCorrupt},
		{name: "ErrCorruptPNGHeaderOnly", data: pngHeaderOnly(20, 20), want: ErrCorrupt},
		{name: "ErrCorruptPNGZeroWidth", data: pngHeaderOnly(0, 20), want: ErrCorrupt},
		{name: "ErrCorruptWebPCanvasOnly", data: webpDeclaring(20, 20), want: ErrCorrupt},
		// 5000 scans over 16 megapixels: 80 KB that would take a minute to decode.
		{name: "ErrCorruptTooManyScans", data: progressiveJPEG(4000, 4000, 5000), want: ErrCorrupt},
		{name: "ErrTooLarge", limits: Limits{MaxBytes: 1000}, data: photo, want: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewProcessor(tt.limits, nil).Process(context.Background(), bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Process error = %v, want %v", err, tt.want)
			}
			if r != nil {
				t.Errorf("Process result = %+v, want nil", r)
			}
			if got := apperr.KindOf(err); got != apperr.Invalid {
				t.Errorf("apperr.KindOf = %v, want %v", got, apperr.Invalid)
			}
			if key, _ := apperr.Message(err); key == apperr.DefaultKey(apperr.Invalid) {
				t.Errorf("apperr.Message key = %q, want a media-specific key", key)
			}
		})
	}
}

// TestProcessBombMemory checks that a file declaring a huge image is refused
// before any pixel buffer is allocated: 100000x100000 RGBA would be 40 GB.
func TestProcessBombMemory(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{name: "ErrTooManyPixelsPNG", data: pngHeaderOnly(100000, 100000)},
		{name: "ErrTooManyPixelsJPEG", data: jpegDeclaring(t, 60000, 60000)},
		{name: "ErrTooManyPixelsGIF", data: gifDeclaring(t, 65535, 65535)},
		{name: "ErrTooManyPixelsWebP", data: webpDeclaring(30000, 30000)},
	}
	p := NewProcessor(Limits{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := p.Process(context.Background(), bytes.NewReader(tt.data))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("Process error = %v, want %v", err, ErrTooManyPixels)
			}
			const budget = 4 << 20
			if got := after.TotalAlloc - before.TotalAlloc; got > budget {
				t.Errorf("Process allocated %d bytes, want at most %d", got, budget)
			}
		})
	}
}

// endlessReader is an upload that never ends, counting what is read of it.
type endlessReader struct{ n int64 }

func (r *endlessReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xFF
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestProcessMaxBytes(t *testing.T) {
	photo := encodeJPEG(t, photoImage(60, 40))
	size := int64(len(photo))
	tests := []struct {
		name     string
		maxBytes int64
		r        io.Reader
		want     error
		maxRead  int64 // of r, when it is an endlessReader
	}{
		{name: "OKExactlyMaxBytes", maxBytes: size, r: bytes.NewReader(photo)},
		{name: "ErrTooLargeByOneByte", maxBytes: size - 1, r: bytes.NewReader(photo), want: ErrTooLarge},
		{name: "ErrTooLargeEndless", maxBytes: 1 << 20, r: &endlessReader{}, want: ErrTooLarge, maxRead: 1<<20 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewProcessor(Limits{MaxBytes: tt.maxBytes}, nil).Process(context.Background(), tt.r)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Process error = %v, want %v", err, tt.want)
			}
			if e, ok := tt.r.(*endlessReader); ok && e.n > tt.maxRead {
				t.Errorf("read %d bytes, want at most %d", e.n, tt.maxRead)
			}
		})
	}
}

// cancelReader reads data, calling cancel at the read selected by when:
// the first one, or the one that reaches end of file.
type cancelReader struct {
	data   []byte
	cancel context.CancelFunc
	when   string
	reads  int
}

func (r *cancelReader) Read(p []byte) (int, error) {
	r.reads++
	if r.when == "first" && r.reads == 1 {
		r.cancel()
	}
	if len(r.data) == 0 {
		if r.when == "eof" {
			r.cancel()
		}
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestProcessContext(t *testing.T) {
	data := encodeJPEG(t, quadrantImage(800, 600))
	tests := []struct {
		name string
		// ctx returns the context to pass and the reader to read.
		ctx  func() (context.Context, io.Reader)
		want error
	}{
		{
			name: "ErrCanceledBefore",
			ctx: func() (context.Context, io.Reader) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, bytes.NewReader(data)
			},
			want: context.Canceled,
		},
		{
			name: "ErrCanceledWhileReading",
			ctx: func() (context.Context, io.Reader) {
				ctx, cancel := context.WithCancel(context.Background())
				return ctx, &cancelReader{data: data, cancel: cancel, when: "first"}
			},
			want: context.Canceled,
		},
		{
			name: "ErrCanceledAfterReading",
			ctx: func() (context.Context, io.Reader) {
				ctx, cancel := context.WithCancel(context.Background())
				return ctx, &cancelReader{data: data, cancel: cancel, when: "eof"}
			},
			want: context.Canceled,
		},
		{
			name: "ErrDeadlineExceeded",
			ctx: func() (context.Context, io.Reader) {
				ctx, cancel := context.WithTimeout(context.Background(), -1)
				t.Cleanup(cancel)
				return ctx, bytes.NewReader(data)
			},
			want: context.DeadlineExceeded,
		},
	}
	p := NewProcessor(Limits{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, r := tt.ctx()
			res, err := p.Process(ctx, r)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Process error = %v, want %v", err, tt.want)
			}
			if res != nil {
				t.Errorf("Process result = %+v, want nil", res)
			}
			if apperr.Is(err, apperr.Invalid) {
				t.Errorf("a cancelled upload is reported as invalid: %v", err)
			}
		})
	}
}
