package media

import (
	"bytes"
	"encoding/binary"
	"image"

	"github.com/disintegration/imaging"
)

// JPEG markers the segment reader needs to know.
const (
	markerSOI  = 0xD8 // start of image
	markerEOI  = 0xD9 // end of image
	markerSOS  = 0xDA // start of scan: the entropy-coded data follows
	markerAPP1 = 0xE1 // EXIF and XMP
	markerTEM  = 0x01 // temporary, no length
	markerRST0 = 0xD0 // restart markers, inside entropy-coded data
	markerRST7 = 0xD7
)

// tagOrientation is the EXIF (TIFF) tag of the orientation, in IFD0.
const tagOrientation = 0x0112

// maxJPEGScans bounds the scans of a JPEG. A progressive scan costs a pass
// over every block of the image whatever its size in bytes, so a file of a
// few kilobytes holding thousands of near-empty scans would take minutes to
// decode. Common encoders write at most a few dozen scans.
const maxJPEGScans = 100

// exifHeader starts the APP1 segment that holds EXIF (XMP uses APP1 too).
const exifHeader = "Exif\x00\x00"

// jpegSegments calls fn with the marker and payload of each segment of a
// JPEG, in order, until fn returns false, the image ends or its structure is
// broken. After a start of scan it skips the entropy-coded data. It reads
// untrusted bytes, so every length is checked against what is there.
func jpegSegments(data []byte, fn func(marker byte, payload []byte) bool) {
	if len(data) < 2 || data[0] != 0xFF || data[1] != markerSOI {
		return
	}
	i := 2
	for i+2 <= len(data) {
		if data[i] != 0xFF {
			return
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte before a marker
			i++
			continue
		}
		i += 2
		switch {
		case marker == markerEOI:
			return
		case marker == markerTEM, marker >= markerRST0 && marker <= markerRST7:
			continue // no length field
		}
		if i+2 > len(data) {
			return
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return
		}
		if !fn(marker, data[i+2:i+n]) {
			return
		}
		i += n
		if marker == markerSOS {
			i = skipEntropyData(data, i)
		}
	}
}

// skipEntropyData returns the index of the first marker at or after i, in
// entropy-coded data where 0xFF is followed by 0x00 (a stuffed byte) or by a
// restart marker without being a segment.
func skipEntropyData(data []byte, i int) int {
	for {
		j := bytes.IndexByte(data[i:], 0xFF)
		if j < 0 || i+j+1 >= len(data) {
			return len(data)
		}
		i += j
		if next := data[i+1]; next != 0x00 && (next < markerRST0 || next > markerRST7) {
			return i
		}
		i += 2
	}
}

// jpegTooManyScans reports whether a JPEG holds more than maxJPEGScans
// scans, without decoding any.
func jpegTooManyScans(data []byte) bool {
	scans := 0
	jpegSegments(data, func(marker byte, _ []byte) bool {
		if marker == markerSOS {
			scans++
		}
		return scans <= maxJPEGScans
	})
	return scans > maxJPEGScans
}

// jpegOrientation returns the EXIF orientation (1 to 8) of a JPEG, or 1 when
// it has none or the EXIF block cannot be read: a damaged EXIF block is a
// reason to ignore the tag, not to refuse a photo. Only the segments before
// the first scan count, as in every viewer.
func jpegOrientation(data []byte) int {
	o := 1
	jpegSegments(data, func(marker byte, seg []byte) bool {
		switch {
		case marker == markerSOS:
			return false
		case marker == markerAPP1 && bytes.HasPrefix(seg, []byte(exifHeader)):
			o = exifOrientation(seg[len(exifHeader):])
			return false
		}
		return true
	})
	return o
}

// exifOrientation reads the Orientation tag from the TIFF structure of an
// EXIF block: a byte-order mark, the offset of IFD0, then IFD0's 12-byte
// entries (tag, type, count, value).
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	off := uint64(order.Uint32(tiff[4:]))
	if off < 8 || off+2 > uint64(len(tiff)) {
		return 1
	}
	count := int(order.Uint16(tiff[off:]))
	entries := tiff[off+2:]
	const entrySize, typeShort = 12, 3
	for k := 0; k < count && (k+1)*entrySize <= len(entries); k++ {
		e := entries[k*entrySize : (k+1)*entrySize]
		if order.Uint16(e) != tagOrientation {
			continue
		}
		if order.Uint16(e[2:]) != typeShort || order.Uint32(e[4:]) != 1 {
			return 1
		}
		if v := int(order.Uint16(e[8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// orient returns img turned as EXIF orientation o says it should be
// displayed: the stored pixels are rotated or mirrored so that the row 0
// becomes the visual top. imaging's rotations are counter-clockwise.
func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}
