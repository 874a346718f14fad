package parsers

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type gotLine struct {
	Num     int64
	Text    string
	Cut     bool
	Partial bool
}

func readAll(t *testing.T, r io.Reader, max int) ([]gotLine, *LineReader, error) {
	t.Helper()
	lr := NewLineReader(r, max)
	var out []gotLine
	for {
		l, err := lr.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, lr, nil
			}
			return out, lr, err
		}
		out = append(out, gotLine{l.Num, string(l.Bytes), l.Cut, l.Partial})
	}
}

func TestLineReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []gotLine
		cut  int64 // CutBytes
	}{
		{"empty", "", 0, nil, 0},
		{"one", "a\n", 0, []gotLine{{1, "a", false, false}}, 0},
		{"no final newline", "a\nb", 0, []gotLine{{1, "a", false, false}, {2, "b", false, true}}, 0},
		{"crlf", "a\r\nb\r\n", 0, []gotLine{{1, "a", false, false}, {2, "b", false, false}}, 0},
		{"lone cr kept inside", "a\rb\n", 0, []gotLine{{1, "a\rb", false, false}}, 0},
		{"blank lines", "\n\n", 0, []gotLine{{1, "", false, false}, {2, "", false, false}}, 0},
		{"exactly max", "abcd\n", 4, []gotLine{{1, "abcd", false, false}}, 0},
		{"max plus one", "abcde\nf\n", 4, []gotLine{{1, "abcd", true, false}, {2, "f", false, false}}, 1},
		{"long partial", "abcdefgh", 4, []gotLine{{1, "abcd", true, true}}, 4},
		{"invalid utf8 and nul", "\xff\x00\xfe\n", 0, []gotLine{{1, "\xff\x00\xfe", false, false}}, 0},
	}
	for _, tt := range tests {
		for _, mode := range []string{"whole", "onebyte", "half"} {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tt.in)
				switch mode {
				case "onebyte":
					r = iotest.OneByteReader(r)
				case "half":
					r = iotest.HalfReader(r)
				}
				got, lr, err := readAll(t, r, tt.max)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %d lines %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Errorf("line %d = %+v, want %+v", i, got[i], tt.want[i])
					}
				}
				if lr.CutBytes != tt.cut {
					t.Errorf("CutBytes = %d, want %d", lr.CutBytes, tt.cut)
				}
				if lr.Bytes != int64(len(tt.in)) {
					t.Errorf("Bytes = %d, want %d", lr.Bytes, len(tt.in))
				}
			})
		}
	}
}

// A line far longer than the read buffer is cut to the limit, the rest is
// counted, and the line after it is intact.
func TestLineReaderHugeLine(t *testing.T) {
	const huge = 5 << 20
	in := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("x"), huge)), strings.NewReader("\nnext\n"))
	got, lr, err := readAll(t, in, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Text) != 1000 || !got[0].Cut || got[1].Text != "next" || got[1].Num != 2 {
		t.Fatalf("got %d lines, first len %d cut %v", len(got), len(got[0].Text), got[0].Cut)
	}
	if lr.CutLines != 1 || lr.CutBytes != huge-1000 {
		t.Errorf("CutLines %d CutBytes %d", lr.CutLines, lr.CutBytes)
	}
	if cap(lr.long) > 2*1000 {
		t.Errorf("kept %d bytes for a 1000-byte limit", cap(lr.long))
	}
}

func TestLineReaderError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(boom))
	got, lr, err := readAll(t, r, 0)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	// The complete line comes first; the partial one is returned before the error.
	if len(got) != 2 || got[0].Text != "a" || got[1].Text != "b" || !got[1].Partial {
		t.Fatalf("got %+v", got)
	}
	if !errors.Is(lr.Err(), boom) {
		t.Errorf("Err() = %v", lr.Err())
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestLineReaderNoProgress(t *testing.T) {
	_, _, err := readAll(t, zeroReader{}, 0)
	if !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("err = %v, want ErrNoProgress", err)
	}
}

func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\r\nb\n\nc"), 3)
	f.Add([]byte("\xff\xfe\x00\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max < 1 || max > 1<<16 {
			max = 1 + (max & 0xff)
		}
		lr := NewLineReader(iotest.HalfReader(bytes.NewReader(data)), max)
		var n int64
		for {
			l, err := lr.Next()
			if err != nil {
				break
			}
			n++
			if l.Num != n || len(l.Bytes) > max {
				t.Fatalf("line %d: num %d len %d max %d", n, l.Num, len(l.Bytes), max)
			}
		}
		if want := int64(bytes.Count(data, []byte("\n"))); n < want || n > want+1 {
			t.Fatalf("%d lines for %d newlines", n, want)
		}
		if lr.Bytes != int64(len(data)) {
			t.Fatalf("Bytes %d, len %d", lr.Bytes, len(data))
		}
	})
}
