package parsers

import "bytes"

// Splitter is the push form of LineReader, for a follower that hands over
// what it read in chunks: Write takes the next chunk of a file and emits the
// complete lines in it with their offsets; an unfinished last line waits for
// the next chunk. Memory is bounded as in LineReader: a line over the limit
// is cut, the rest of it is skipped as it arrives, and the cut is counted.
type Splitter struct {
	max     int
	num     int64  // lines emitted
	off     int64  // offset of the first byte of the unfinished line
	partial []byte // kept bytes of the unfinished line, at most max
	pend    int64  // bytes of the unfinished line seen so far, kept or not
	lastCR  bool   // the unfinished line so far ends in CR
	// counted: the unfinished line was already counted as cut, and
	// dropped of its bytes as dropped (a line with no newline yet is
	// reported as it grows, not only when it ends)
	counted bool
	dropped int64
	// CutLines counts lines cut to the limit; CutBytes the bytes dropped.
	CutLines, CutBytes int64
}

// NewSplitter returns a Splitter for a stream that resumes at byte offset
// off, just after physical line line (0, 0 at the start of a file).
func NewSplitter(maxLine int, off, line int64) *Splitter {
	if maxLine <= 0 {
		maxLine = DefaultMaxLineBytes
	}
	return &Splitter{max: maxLine, off: off, num: line}
}

// Write splits the next chunk of the stream. The Line passed to emit is
// valid only during the call.
func (s *Splitter) Write(p []byte, emit func(Line)) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.keep(p)
			return
		}
		seg := p[:i]
		p = p[i+1:]
		if s.pend == 0 {
			seg = trimCR(seg)
			cut := len(seg) > s.max
			if cut {
				s.CutBytes += int64(len(seg) - s.max)
				seg = seg[:s.max]
			}
			s.emit(seg, cut, int64(i)+1, false, emit)
			continue
		}
		s.keep(seg)
		s.finishPartial(s.pend+1, false, emit)
	}
}

// Flush emits the unfinished last line, if any, flagged Partial: call it
// when the stream has ended for good (a rotated file drained, the end of a
// scanned file).
func (s *Splitter) Flush(emit func(Line)) {
	if s.pend > 0 {
		s.finishPartial(s.pend, true, emit)
	}
}

// Position is where the unfinished line starts: the offset and line number
// up to which every line has been emitted.
func (s *Splitter) Position() (offset, line int64) { return s.off, s.num }

func (s *Splitter) keep(b []byte) {
	if len(b) == 0 {
		return
	}
	if room := s.max - len(s.partial); room > 0 {
		s.partial = append(s.partial, b[:min(room, len(b))]...)
	}
	s.pend += int64(len(b))
	s.lastCR = b[len(b)-1] == '\r'
	// Count what is dropped now; a final CR is not content (finishKept).
	if d := s.pend - int64(len(s.partial)) - 1; d > s.dropped {
		s.CutBytes += d - s.dropped
		s.dropped = d
		if !s.counted {
			s.counted = true
			s.CutLines++
		}
	}
}

func (s *Splitter) finishPartial(size int64, partial bool, emit func(Line)) {
	text, cut, dropped := finishKept(s.partial, s.pend, s.lastCR)
	s.CutBytes += dropped - s.dropped
	if cut && s.counted {
		s.CutLines-- // counted while it grew; emit counts it
	}
	s.emit(text, cut, size, partial, emit)
	s.partial, s.pend, s.lastCR, s.counted, s.dropped = s.partial[:0], 0, false, false, 0
}

func (s *Splitter) emit(text []byte, cut bool, size int64, partial bool, emit func(Line)) {
	s.num++
	if cut {
		s.CutLines++
	}
	l := Line{Num: s.num, Bytes: text, Cut: cut, Partial: partial, Offset: s.off, End: s.off + size}
	s.off += size
	emit(l)
}
