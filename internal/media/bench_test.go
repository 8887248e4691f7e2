package media

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkProcess measures a 12-megapixel photo, what a phone sends: the
// original re-encoded and the five default variants.
func BenchmarkProcess(b *testing.B) {
	data := encodeJPEG(b, photoImage(4000, 3000))
	p := NewProcessor(Limits{}, nil)
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Process(ctx, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
