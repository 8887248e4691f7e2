package media

import (
	"encoding/binary"
	"testing"
)

func TestJPEGOrientation(t *testing.T) {
	plain := encodeJPEG(t, quadrantImage(16, 16))
	exif := func(order byteOrder, o uint16) []byte {
		return segment(markerAPP1, exifPayload(order, o, false))
	}
	// patched returns an Exif payload with b written at offset off of its
	// TIFF structure (after "Exif\0\0").
	patched := func(off int, b ...byte) []byte {
		p := exifPayload(binary.BigEndian, 6, true)
		copy(p[6+off:], b)
		return segment(markerAPP1, p)
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{name: "OKBigEndian", data: withSegments(plain, exif(binary.BigEndian, 6)), want: 6},
		{name: "OKLittleEndian", data: withSegments(plain, exif(binary.LittleEndian, 8)), want: 8},
		{name: "OKWithGPS", data: withSegments(plain, segment(markerAPP1, exifPayload(binary.LittleEndian, 3, true))), want: 3},
		{name: "OKAfterXMP", data: withSegments(plain, segment(markerAPP1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), exif(binary.BigEndian, 5)), want: 5},
		{name: "OKFillBytes", data: withSegments(plain, []byte{0xFF, 0xFF}, exif(binary.BigEndian, 7)), want: 7},
		{name: "OKNoExif", data: plain, want: 1},
		{name: "OKZeroIgnored", data: withSegments(plain, exif(binary.BigEndian, 0)), want: 1},
		{name: "OKNineIgnored", data: withSegments(plain, exif(binary.BigEndian, 9)), want: 1},
		{name: "OKWrongTypeIgnored", data: withSegments(plain, patched(8+2+2, 0, 4)), want: 1},
		{name: "OKWrongCountIgnored", data: withSegments(plain, patched(8+2+4, 0, 0, 0, 2)), want: 1},
		{name: "OKBadByteOrderIgnored", data: withSegments(plain, patched(0, 'X', 'X')), want: 1},
		{name: "OKIFDOffsetPastEndIgnored", data: withSegments(plain, patched(4, 0x7F, 0xFF, 0xFF, 0xFF)), want: 1},
		{name: "OKIFDOffsetInHeaderIgnored", data: withSegments(plain, patched(4, 0, 0, 0, 2)), want: 1},
		{name: "OKEntryCountPastEndBounded", data: withSegments(plain, patched(8, 0xFF, 0xFF)), want: 6},
		{name: "OKSegmentLengthPastEnd", data: []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 'E', 'x'}, want: 1},
		{name: "OKSegmentLengthTooShort", data: []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, want: 1},
		{name: "OKExifAfterScanIgnored", data: append(append([]byte{}, plain...), exif(binary.BigEndian, 6)...), want: 1},
		{name: "OKNotJPEG", data: []byte("not a jpeg"), want: 1},
		{name: "OKEmpty", data: nil, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestJPEGTooManyScans(t *testing.T) {
	scan := segment(markerSOS, []byte{1, 1, 0x00, 1, 63, 0})
	// Two scans whose data holds a stuffed 0xFF and restart markers, which
	// are not segments.
	restarts := []byte{0xFF, markerSOI}
	for range 2 {
		restarts = append(restarts, scan...)
		restarts = append(restarts, 0x12, 0xFF, 0x00, 0x34, 0xFF, markerRST0, 0x56, 0xFF, markerRST7, 0x78)
	}
	restarts = append(restarts, 0xFF, markerEOI)
	tests := []struct {
		name  string
		data  []byte
		scans int
		want  bool
	}{
		{name: "OKBaseline", data: encodeJPEG(t, quadrantImage(16, 16)), scans: 1},
		{name: "OKRestartsAndStuffing", data: restarts, scans: 2},
		{name: "OKProgressive", data: progressiveJPEG(64, 64, 10), scans: 10},
		{name: "OKAtLimit", data: progressiveJPEG(64, 64, maxJPEGScans), scans: maxJPEGScans},
		{name: "ErrOverLimit", data: progressiveJPEG(64, 64, maxJPEGScans+1), scans: maxJPEGScans + 1, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scans := 0
			jpegSegments(tt.data, func(marker byte, _ []byte) bool {
				if marker == markerSOS {
					scans++
				}
				return true
			})
			if scans != tt.scans {
				t.Errorf("jpegSegments saw %d scans, want %d", scans, tt.scans)
			}
			if got := jpegTooManyScans(tt.data); got != tt.want {
				t.Errorf("jpegTooManyScans = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzJPEGSegments checks that the JPEG structure readers, which follow
// untrusted lengths and offsets, never panic and that the orientation is
// always valid.
func FuzzJPEGSegments(f *testing.F) {
	plain := encodeJPEG(f, quadrantImage(8, 8))
	f.Add(plain)
	f.Add(withSegments(plain, segment(markerAPP1, exifPayload(binary.BigEndian, 6, true))))
	f.Add(withSegments(plain, segment(markerAPP1, exifPayload(binary.LittleEndian, 8, false))))
	f.Add(progressiveJPEG(16, 16, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got := jpegOrientation(data); got < 1 || got > 8 {
			t.Errorf("jpegOrientation = %d, want 1 to 8", got)
		}
		jpegTooManyScans(data)
	})
}
