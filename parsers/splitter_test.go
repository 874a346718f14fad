package parsers

import (
	"bytes"
	"fmt"
	"testing"
)

type splitLine struct {
	Num         int64
	Text        string
	Cut         bool
	Partial     bool
	Offset, End int64
}

func split(s *Splitter, chunks ...string) []splitLine {
	var out []splitLine
	emit := func(l Line) {
		out = append(out, splitLine{l.Num, string(l.Bytes), l.Cut, l.Partial, l.Offset, l.End})
	}
	for _, c := range chunks {
		s.Write([]byte(c), emit)
	}
	return out
}

func TestSplitter(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		chunks []string
		flush  bool
		want   []splitLine
		cut    int64
	}{
		{"whole lines", 0, []string{"a\nbc\n"}, false,
			[]splitLine{{1, "a", false, false, 0, 2}, {2, "bc", false, false, 2, 5}}, 0},
		{"line across chunks", 0, []string{"ab", "c", "d\ne"}, true,
			[]splitLine{{1, "abcd", false, false, 0, 5}, {2, "e", false, true, 5, 6}}, 0},
		{"crlf across chunks", 0, []string{"ab\r", "\nc\r\n"}, false,
			[]splitLine{{1, "ab", false, false, 0, 4}, {2, "c", false, false, 4, 7}}, 0},
		{"cut in one chunk", 3, []string{"abcdef\ng\n"}, false,
			[]splitLine{{1, "abc", true, false, 0, 7}, {2, "g", false, false, 7, 9}}, 3},
		{"cut across chunks", 3, []string{"ab", "cdef", "gh\ni\n"}, false,
			[]splitLine{{1, "abc", true, false, 0, 9}, {2, "i", false, false, 9, 11}}, 5},
		{"exactly max with crlf", 3, []string{"abc\r\n"}, false,
			[]splitLine{{1, "abc", false, false, 0, 5}}, 0},
		{"no flush keeps partial", 0, []string{"a\nbc"}, false,
			[]splitLine{{1, "a", false, false, 0, 2}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSplitter(tt.max, 0, 0)
			got := split(s, tt.chunks...)
			if tt.flush {
				s.Flush(func(l Line) {
					got = append(got, splitLine{l.Num, string(l.Bytes), l.Cut, l.Partial, l.Offset, l.End})
				})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if s.CutBytes != tt.cut {
				t.Errorf("CutBytes = %d, want %d", s.CutBytes, tt.cut)
			}
		})
	}
}

func TestSplitterResume(t *testing.T) {
	s := NewSplitter(0, 100, 7)
	got := split(s, "x\ny")
	want := []splitLine{{8, "x", false, false, 100, 102}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v", got)
	}
	if off, line := s.Position(); off != 102 || line != 8 {
		t.Errorf("Position = %d, %d; want 102, 8", off, line)
	}
}

// A huge line arriving in many chunks costs at most the limit.
func TestSplitterHugeLine(t *testing.T) {
	s := NewSplitter(1024, 0, 0)
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	var got []Line
	for range 1024 { // 64 MiB
		s.Write(chunk, func(l Line) { got = append(got, l) })
	}
	s.Write([]byte("\nnext\n"), func(l Line) { got = append(got, Line{Num: l.Num, Bytes: bytes.Clone(l.Bytes), Cut: l.Cut, End: l.End}) })
	if len(got) != 2 || len(got[0].Bytes) != 1024 || !got[0].Cut || got[0].End != 64<<20+1 || string(got[1].Bytes) != "next" {
		t.Fatalf("got %d lines", len(got))
	}
	if cap(s.partial) > 2048 {
		t.Errorf("kept %d bytes for a 1024-byte limit", cap(s.partial))
	}
}

// Splitting a stream in any chunks gives the lines LineReader gives, with
// contiguous offsets that add up to the stream.
func FuzzSplitter(f *testing.F) {
	f.Add([]byte("a\r\nbb\n\nccc"), uint8(3), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, max, step uint8) {
		m := int(max%64) + 1
		st := int(step%16) + 1
		var want []string
		lr := NewLineReader(bytes.NewReader(data), m)
		for {
			l, err := lr.Next()
			if err != nil {
				break
			}
			want = append(want, fmt.Sprintf("%d %q %v", l.Num, l.Bytes, l.Cut))
		}
		s := NewSplitter(m, 0, 0)
		var got []string
		var next int64
		emit := func(l Line) {
			if l.Offset != next || l.End <= l.Offset {
				t.Fatalf("line %d at %d-%d, want start %d", l.Num, l.Offset, l.End, next)
			}
			next = l.End
			got = append(got, fmt.Sprintf("%d %q %v", l.Num, l.Bytes, l.Cut))
		}
		for i := 0; i < len(data); i += st {
			s.Write(data[i:min(i+st, len(data))], emit)
		}
		s.Flush(emit)
		if next != int64(len(data)) {
			t.Fatalf("lines cover %d of %d bytes", next, len(data))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("splitter %v\nreader   %v", got, want)
		}
		if s.CutLines != lr.CutLines || s.CutBytes != lr.CutBytes {
			t.Fatalf("splitter cut %d lines %d bytes, reader %d lines %d bytes", s.CutLines, s.CutBytes, lr.CutLines, lr.CutBytes)
		}
	})
}

// A line that has no newline yet is reported as cut as soon as it passes
// the limit, and its dropped bytes as they arrive; finishing it later does
// not count it twice.
func TestSplitterCountsGrowingLine(t *testing.T) {
	s := NewSplitter(4, 0, 0)
	var got []Line
	emit := func(l Line) { got = append(got, l) }
	s.Write([]byte("abc"), emit)
	if s.CutLines != 0 || s.CutBytes != 0 {
		t.Fatalf("counted early: %d lines %d bytes", s.CutLines, s.CutBytes)
	}
	s.Write([]byte("defgh"), emit) // 8 bytes, limit 4
	if s.CutLines != 1 {
		t.Errorf("CutLines %d while growing, want 1", s.CutLines)
	}
	s.Write([]byte("ij"), emit)
	s.Write([]byte("\r\nnext\n"), emit)
	if len(got) != 2 || !got[0].Cut || string(got[0].Bytes) != "abcd" {
		t.Fatalf("got %+v", got)
	}
	if s.CutLines != 1 || s.CutBytes != 6 {
		t.Errorf("after the newline: %d lines %d bytes, want 1 and 6", s.CutLines, s.CutBytes)
	}
}
