package parsers

import (
	"bytes"
	"errors"
	"io"
)

// Line is one physical line of input, without its line ending.
type Line struct {
	Num   int64  // 1-based physical line number
	Bytes []byte // valid until the next call that produced it
	Cut   bool   // the line was longer than the limit; Bytes holds its start
	// Partial is set on the last line of a stream that had no newline.
	Partial bool
}

// DefaultMaxLineBytes is the line limit when none is configured.
const DefaultMaxLineBytes = 64 << 10

const readBufSize = 256 << 10

// LineReader splits a byte stream into physical lines in bounded memory: it
// never holds more than its read buffer plus one line limit, whatever the
// input. A line longer than the limit is cut to the limit, the rest is read
// and discarded, and the cut is counted.
type LineReader struct {
	r     io.Reader
	buf   []byte
	start int // first unread byte in buf
	end   int // end of valid data in buf
	err   error
	max   int
	long  []byte // a line that spans reads, at most max bytes
	num   int64

	// Bytes counts every byte read, newlines included.
	Bytes int64
	// CutLines counts lines that were cut to the limit; CutBytes the bytes
	// dropped from them.
	CutLines, CutBytes int64
}

// NewLineReader returns a reader of r's lines, each cut at maxLine bytes
// (DefaultMaxLineBytes when maxLine <= 0).
func NewLineReader(r io.Reader, maxLine int) *LineReader {
	if maxLine <= 0 {
		maxLine = DefaultMaxLineBytes
	}
	size := readBufSize
	if maxLine > size {
		size = maxLine
	}
	return &LineReader{r: r, buf: make([]byte, size), max: maxLine}
}

// Next returns the next line. At the end of the stream it returns io.EOF; a
// last line without a newline is returned first, flagged Partial. Any other
// read error is returned as is, after the lines read before it.
func (lr *LineReader) Next() (Line, error) {
	lr.long = lr.long[:0]
	cut := false
	for {
		if lr.start < lr.end {
			data := lr.buf[lr.start:lr.end]
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				lr.start += i + 1
				lr.num++
				seg := data[:i]
				if len(lr.long) == 0 && !cut {
					if len(seg) > lr.max {
						lr.CutBytes += int64(len(seg) - lr.max)
						seg, cut = seg[:lr.max], true
					}
					return lr.line(trimCR(seg), cut, false), nil
				}
				lr.appendLong(seg, &cut)
				return lr.line(trimCR(lr.long), cut, false), nil
			}
			lr.appendLong(data, &cut)
			lr.start = lr.end
		}
		if lr.err != nil {
			if len(lr.long) > 0 || cut {
				lr.num++
				return lr.line(lr.long, cut, true), nil
			}
			return Line{}, lr.err
		}
		lr.fill()
	}
}

func (lr *LineReader) line(b []byte, cut, partial bool) Line {
	if cut {
		lr.CutLines++
	}
	return Line{Num: lr.num, Bytes: b, Cut: cut, Partial: partial}
}

// appendLong keeps at most max bytes of a line that spans reads and counts
// the rest as dropped.
func (lr *LineReader) appendLong(seg []byte, cut *bool) {
	room := lr.max - len(lr.long)
	if room < 0 {
		room = 0
	}
	if len(seg) > room {
		lr.CutBytes += int64(len(seg) - room)
		seg = seg[:room]
		*cut = true
	}
	lr.long = append(lr.long, seg...)
}

func (lr *LineReader) fill() {
	lr.start, lr.end = 0, 0
	for tries := 0; tries < 100; tries++ {
		n, err := lr.r.Read(lr.buf)
		lr.end = n
		lr.Bytes += int64(n)
		if err != nil {
			lr.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	lr.err = io.ErrNoProgress
}

// Err reports the read error that ended the stream, nil for a clean end.
func (lr *LineReader) Err() error {
	if errors.Is(lr.err, io.EOF) {
		return nil
	}
	return lr.err
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// Num returns the number of lines returned so far.
func (lr *LineReader) Num() int64 { return lr.num }
