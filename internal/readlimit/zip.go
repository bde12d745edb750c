package readlimit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrTooManyEntries is returned for an archive listing more entries than
// the caller allows.
var ErrTooManyEntries = errors.New("archive has too many entries")

// ZipEntries returns how many entries a zip archive's end-of-central-
// directory record (or its ZIP64 form) declares, reading only that record.
// archive/zip allocates a header for every entry before anything can be
// counted, so a hostile directory of millions of entries must be refused
// from this number first.
func ZipEntries(r io.ReaderAt, size int64) (uint64, error) {
	const eocdLen, maxComment = 22, 65535
	if size < eocdLen {
		return 0, errors.New("not a zip archive: too short")
	}
	tail := int64(eocdLen + maxComment)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("read zip directory: %w", err)
	}
	at := -1
	for i := len(buf) - eocdLen; i >= 0; i-- {
		// As archive/zip does: the record's comment must fit in the file.
		if binary.LittleEndian.Uint32(buf[i:]) == 0x06054b50 && i+eocdLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, errors.New("not a zip archive: no end of central directory")
	}
	n := uint64(binary.LittleEndian.Uint16(buf[at+10:]))
	if n != 0xffff || at < 20 || binary.LittleEndian.Uint32(buf[at-20:]) != 0x07064b50 {
		return n, nil
	}
	// ZIP64: the locator before the record points at the real record.
	off := int64(binary.LittleEndian.Uint64(buf[at-20+8:]))
	if off < 0 || off > size-56 {
		return 0, errors.New("not a zip archive: ZIP64 directory out of range")
	}
	rec := make([]byte, 56)
	if _, err := r.ReadAt(rec, off); err != nil {
		return 0, fmt.Errorf("read zip64 directory: %w", err)
	}
	if binary.LittleEndian.Uint32(rec) != 0x06064b50 {
		return 0, errors.New("not a zip archive: bad ZIP64 directory")
	}
	return binary.LittleEndian.Uint64(rec[32:]), nil
}
