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
	// Offset is the byte offset of the line's first byte, End the offset
	// just past its newline (set by Splitter; LineReader leaves them 0).
	Offset, End int64
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
	seen  int64  // its length so far, kept or not
	// lastCR: the last byte of the line so far is a CR
	lastCR bool
	num    int64

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
	lr.seen, lr.lastCR = 0, false
	for {
		if lr.start < lr.end {
			data := lr.buf[lr.start:lr.end]
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				lr.start += i + 1
				lr.num++
				seg := data[:i]
				if lr.seen == 0 {
					seg = trimCR(seg)
					cut := len(seg) > lr.max
					if cut {
						lr.CutBytes += int64(len(seg) - lr.max)
						seg = seg[:lr.max]
					}
					return lr.line(seg, cut, false), nil
				}
				lr.appendLong(seg)
				text, cut := lr.finishLong()
				return lr.line(text, cut, false), nil
			}
			lr.appendLong(data)
			lr.start = lr.end
		}
		if lr.err != nil {
			if lr.seen > 0 {
				lr.num++
				text, cut := lr.finishLong()
				return lr.line(text, cut, true), nil
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

// appendLong keeps at most max bytes of a line that spans reads, and
// remembers how long it is and whether it ends in CR.
func (lr *LineReader) appendLong(seg []byte) {
	if len(seg) == 0 {
		return
	}
	if room := lr.max - len(lr.long); room > 0 {
		lr.long = append(lr.long, seg[:min(room, len(seg))]...)
	}
	lr.seen += int64(len(seg))
	lr.lastCR = seg[len(seg)-1] == '\r'
}

// finishLong returns the kept text of a line that spanned reads, without a
// final CR, and whether its content was longer than the limit.
func (lr *LineReader) finishLong() ([]byte, bool) {
	text, cut, dropped := finishKept(lr.long, lr.seen, lr.lastCR)
	lr.CutBytes += dropped
	return text, cut
}

// finishKept is the shared end of a line read in pieces: kept holds its
// first bytes (at most the limit), seen is its whole length and lastCR
// tells whether it ended in CR. The CR is not content: a line of exactly the
// limit followed by CRLF is not cut.
func finishKept(kept []byte, seen int64, lastCR bool) (text []byte, cut bool, dropped int64) {
	content := seen
	if lastCR {
		content--
		if int64(len(kept)) > content {
			kept = kept[:content]
		}
	}
	dropped = content - int64(len(kept))
	return kept, dropped > 0, dropped
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
