package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// File layout. Both files are an 8-byte magic followed by frames:
//
//	frame   = length u32le | crc32c(length bytes) u32le | crc32c(payload) u32le | payload
//	payload = op byte | fields
//
// The length has its own checksum so that a damaged length is recognised
// as damage instead of being trusted to skip over (or run past) the records
// that follow it; see frameReader.next for the torn-tail rule built on that.
const (
	snapshotMagic = "TTLSNAP\x01"
	journalMagic  = "TTLJRNL\x01"
	magicLen      = 8
	frameHeadLen  = 12
)

// Record kinds (the payload's first byte).
const (
	opSnapshotHeader byte = 1 // uvarint next journal generation
	opJournalHeader  byte = 2 // uvarint generation of this journal
	opPut            byte = 3 // uvarint len, section, uvarint len, key, value (rest)
	opDelete         byte = 4 // uvarint len, section, uvarint len, key
	opEnd            byte = 5 // uvarint number of put records in the snapshot
)

// Hard limits of the format. Readers enforce these, not Options, so that a
// store written with larger Options still loads with smaller ones.
const (
	// MaxSectionSize is the longest section name, in bytes.
	MaxSectionSize = 64
	// MaxKeyLimit is the largest Options.MaxKeySize accepted.
	MaxKeyLimit = 64 << 10
	// MaxValueLimit is the largest Options.MaxValueSize accepted.
	MaxValueLimit = 64 << 20
	// maxPayload bounds one record, so a length field can never ask the
	// reader for more than the largest record a writer produces.
	maxPayload = 1 + 2*binary.MaxVarintLen64 + MaxSectionSize + MaxKeyLimit + MaxValueLimit
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// appendKV appends the payload of a put or delete record to dst.
func appendKV(dst []byte, op byte, section, key string, value []byte) []byte {
	dst = append(dst, op)
	dst = binary.AppendUvarint(dst, uint64(len(section)))
	dst = append(dst, section...)
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	return append(dst, value...)
}

// appendNum appends the payload of a header or end record to dst.
func appendNum(dst []byte, op byte, n uint64) []byte {
	return binary.AppendUvarint(append(dst, op), n)
}

// writeFrame writes one framed record and returns the bytes written.
func writeFrame(w io.Writer, payload []byte) (int, error) {
	var head [frameHeadLen]byte
	binary.LittleEndian.PutUint32(head[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(head[4:8], checksum(head[0:4]))
	binary.LittleEndian.PutUint32(head[8:12], checksum(payload))
	if _, err := w.Write(head[:]); err != nil {
		return 0, err
	}
	if _, err := w.Write(payload); err != nil {
		return frameHeadLen, err
	}
	return frameHeadLen + len(payload), nil
}

// record is a decoded payload.
type record struct {
	op           byte
	section, key string
	value        []byte // aliases the payload
	num          uint64 // header and end records
}

// decodeRecord parses a payload whose checksum already matched, so any
// problem here is a writer bug or a collision, reported as corruption.
func decodeRecord(p []byte) (record, error) {
	if len(p) == 0 {
		return record{}, errors.New("empty record")
	}
	r := record{op: p[0]}
	rest := p[1:]
	switch r.op {
	case opSnapshotHeader, opJournalHeader, opEnd:
		n, k := binary.Uvarint(rest)
		if k <= 0 {
			return record{}, fmt.Errorf("record kind %d: bad number", r.op)
		}
		if k != len(rest) {
			return record{}, fmt.Errorf("record kind %d: %d trailing bytes", r.op, len(rest)-k)
		}
		r.num = n
		return r, nil
	case opPut, opDelete:
		section, rest, err := lenPrefixed(rest, MaxSectionSize, "section")
		if err != nil {
			return record{}, err
		}
		if len(section) == 0 {
			return record{}, errors.New("empty section name")
		}
		key, rest, err := lenPrefixed(rest, MaxKeyLimit, "key")
		if err != nil {
			return record{}, err
		}
		r.section, r.key = string(section), string(key)
		if r.op == opDelete {
			if len(rest) != 0 {
				return record{}, fmt.Errorf("delete record: %d trailing bytes", len(rest))
			}
			return r, nil
		}
		if len(rest) > MaxValueLimit {
			return record{}, fmt.Errorf("value of %d bytes exceeds the format limit %d", len(rest), MaxValueLimit)
		}
		r.value = rest
		return r, nil
	default:
		return record{}, fmt.Errorf("unknown record kind %d", r.op)
	}
}

func lenPrefixed(b []byte, limit int, what string) (field, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, fmt.Errorf("bad %s length", what)
	}
	if n > uint64(limit) {
		return nil, nil, fmt.Errorf("%s length %d exceeds the format limit %d", what, n, limit)
	}
	if n > uint64(len(b)-k) {
		return nil, nil, fmt.Errorf("%s length %d runs past the record", what, n)
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// damage is a problem frameReader found at a frame. The loader decides
// what it means: in a snapshot it is always corruption; in a journal it is
// a torn tail when crashOK is set and no later journal holds a record.
type damage struct {
	record int   // 1-based number of the frame in its file; 0 for the file header
	offset int64 // where the frame (or file header) starts
	reason string
	// crashOK says the damage has the shape an interrupted append leaves:
	// it reaches the end of the file and nothing intact follows it.
	crashOK bool
}

// frameReader reads frames from a file whose size is known up front (the
// store holds the directory lock, so nothing appends while it reads).
type frameReader struct {
	r      *bufio.Reader
	size   int64
	off    int64
	record int
}

func newFrameReader(r io.Reader, size int64) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 64<<10), size: size}
}

// readMagic checks the file header.
func (fr *frameReader) readMagic(want, kind string) (*damage, error) {
	if fr.size < magicLen {
		return &damage{reason: fmt.Sprintf("file ends inside its %d-byte header (%d bytes)", magicLen, fr.size), crashOK: true}, nil
	}
	var got [magicLen]byte
	if _, err := io.ReadFull(fr.r, got[:]); err != nil {
		return nil, err
	}
	fr.off = magicLen
	if string(got[:]) == want {
		return nil, nil
	}
	zero, err := fr.restIsZero(got[:])
	if err != nil {
		return nil, err
	}
	return &damage{reason: fmt.Sprintf("bad file header %q: not a tattle %s", got[:], kind), crashOK: zero}, nil
}

// next returns the next payload, io.EOF at a clean end of file, or the
// damage at the current frame. After damage the reader is spent.
//
// The torn-tail rule (crashOK): an append interrupted by a crash leaves a
// prefix of the bytes it meant to write, or (after a power cut on some
// filesystems) zeros where they should be. So a frame is crash damage when
//   - the file ends inside its 12-byte header, or
//   - its header checksum fails and every byte from the frame to the end of
//     the file is zero, or
//   - its header is intact and the file ends before the payload does, or
//   - its header is intact, its payload ends exactly at the end of the file,
//     and the payload checksum fails.
//
// Anything else (a damaged header followed by non-zero bytes, a payload
// checksum failure with bytes after it, an intact header announcing an
// impossible length, a payload that does not decode) is corruption.
func (fr *frameReader) next() ([]byte, *damage, error) {
	remaining := fr.size - fr.off
	if remaining == 0 {
		return nil, nil, io.EOF
	}
	fr.record++
	d := &damage{record: fr.record, offset: fr.off}
	if remaining < frameHeadLen {
		d.reason = fmt.Sprintf("file ends inside the record header (%d of %d bytes)", remaining, frameHeadLen)
		d.crashOK = true
		return nil, d, nil
	}
	var head [frameHeadLen]byte
	if _, err := io.ReadFull(fr.r, head[:]); err != nil {
		return nil, nil, err
	}
	n := binary.LittleEndian.Uint32(head[0:4])
	if binary.LittleEndian.Uint32(head[4:8]) != checksum(head[0:4]) {
		zero, err := fr.restIsZero(head[:])
		if err != nil {
			return nil, nil, err
		}
		if zero {
			d.reason = fmt.Sprintf("zeroed tail (%d bytes)", remaining)
			d.crashOK = true
		} else {
			d.reason = "record header checksum mismatch"
		}
		return nil, d, nil
	}
	if n > maxPayload {
		d.reason = fmt.Sprintf("record length %d exceeds the format limit %d", n, maxPayload)
		return nil, d, nil
	}
	if int64(n) > remaining-frameHeadLen {
		d.reason = fmt.Sprintf("file ends inside the record (%d of %d bytes)", remaining, frameHeadLen+int64(n))
		d.crashOK = true
		return nil, d, nil
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(fr.r, payload); err != nil {
		return nil, nil, err
	}
	fr.off += frameHeadLen + int64(n)
	if binary.LittleEndian.Uint32(head[8:12]) != checksum(payload) {
		d.reason = "checksum mismatch"
		d.crashOK = fr.off == fr.size
		if d.crashOK {
			d.reason = "checksum mismatch in the final record"
		}
		return nil, d, nil
	}
	return payload, nil, nil
}

// restIsZero reports whether already (bytes just read) and everything after
// them to the end of the file are zero.
func (fr *frameReader) restIsZero(already []byte) (bool, error) {
	for _, c := range already {
		if c != 0 {
			return false, nil
		}
	}
	buf := make([]byte, 32<<10)
	for {
		k, err := fr.r.Read(buf)
		for _, c := range buf[:k] {
			if c != 0 {
				return false, nil
			}
		}
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
}
