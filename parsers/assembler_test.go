package parsers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tattle-dev/tattle/parsers/traces"
)

// testFormat reads lines starting with "H " as headers with the level
// that follows.
type testFormat struct{}

func (testFormat) Name() string { return "test" }
func (testFormat) Header(line []byte, h *Header) bool {
	if !bytes.HasPrefix(line, []byte("H ")) {
		return false
	}
	rest := line[2:]
	lvl := rest
	if i := bytes.IndexByte(rest, ' '); i >= 0 {
		lvl, h.Msg = rest[:i], rest[i+1:]
	}
	h.Level = ParseLevel(lvl)
	return true
}

type rec struct {
	Line, End int64
	Text      string
	Level     string
	Trunc     bool
}

func frame(f Format, lim Limits, input string) ([]rec, Stats) {
	var out []rec
	a := NewAssembler(f, lim, traces.InApp{}, func(r *Record) {
		out = append(out, rec{r.Line, r.EndLine, string(r.Text), r.Level.String(), r.Truncated})
	})
	lr := NewLineReader(strings.NewReader(input), lim.MaxLineBytes)
	for {
		l, err := lr.Next()
		if err != nil {
			break
		}
		a.Add(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut})
	}
	a.Flush()
	return out, a.Stats
}

func TestAssemblerHeadered(t *testing.T) {
	in := "orphan\nH INFO start\nH ERROR boom\ncont 1\n\ncont 2\n\n\nH WARN next\n"
	got, st := frame(testFormat{}, Limits{}, in)
	want := []rec{
		{1, 1, "orphan", "", false},
		{2, 2, "H INFO start", "INFO", false},
		// blank lines inside a record are kept; trailing ones are not part of it
		{3, 6, "H ERROR boom\ncont 1\n\ncont 2", "ERROR", false},
		{9, 9, "H WARN next", "WARN", false},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got\n%v\nwant\n%v", got, want)
	}
	if st.Records != 4 {
		t.Errorf("Records = %d", st.Records)
	}
}

func TestAssemblerLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("H ERROR big\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "\tframe %03d\n", i)
	}
	b.WriteString("H INFO after\n")
	got, st := frame(testFormat{}, Limits{MaxEventLines: 10}, b.String())
	if len(got) != 2 {
		t.Fatalf("got %d records", len(got))
	}
	if !got[0].Trunc || got[0].Line != 1 || got[0].End != 101 || strings.Count(got[0].Text, "\n") != 9 {
		t.Errorf("truncated record = %+v", got[0])
	}
	if got[1].Text != "H INFO after" || got[1].Line != 102 {
		t.Errorf("record after = %+v", got[1])
	}
	if st.TruncatedEvents != 1 || st.DroppedLines != 91 {
		t.Errorf("stats = %+v", st)
	}

	got, st = frame(testFormat{}, Limits{MaxEventBytes: 30}, b.String())
	if !got[0].Trunc || len(got[0].Text) > 30 || st.TruncatedEvents != 1 {
		t.Errorf("byte limit: %+v %+v", got[0], st)
	}
}

// Any bytes at all frame without panicking and every non-blank line lands
// in exactly one record.
func FuzzAssembler(f *testing.F) {
	f.Add([]byte("H ERROR x\n\tat a.b(C.java:1)\n\nplain\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"), uint8(3))
	f.Add([]byte("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: x\n\xff\x00\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, lim uint8) {
		l := Limits{MaxEventLines: int(lim%8) + 1, MaxEventBytes: int(lim)*4 + 16, MaxLineBytes: 64}
		var lines int64
		var prevEnd int64
		a := NewAssembler(testFormat{}, l, traces.InApp{}, func(r *Record) {
			if r.Line > r.EndLine || r.Line <= prevEnd {
				t.Fatalf("record %d-%d after %d", r.Line, r.EndLine, prevEnd)
			}
			prevEnd = r.EndLine
			if len(r.Text) > l.MaxEventBytes {
				t.Fatalf("record of %d bytes over limit %d", len(r.Text), l.MaxEventBytes)
			}
			lines += int64(r.Lines)
		})
		lr := NewLineReader(bytes.NewReader(data), l.MaxLineBytes)
		var nonBlank int64
		for {
			ln, err := lr.Next()
			if err != nil {
				break
			}
			if !isBlank(ln.Bytes) {
				nonBlank++
			}
			a.Add(Logical{Num: ln.Num, EndNum: ln.Num, Text: ln.Bytes})
		}
		a.Flush()
		if lines+a.Stats.DroppedLines < nonBlank {
			t.Fatalf("%d lines in records + %d dropped < %d non-blank lines", lines, a.Stats.DroppedLines, nonBlank)
		}
	})
}

func TestLeadingLevel(t *testing.T) {
	tests := map[string]Level{
		"ERROR disk full":              LevelError,
		"error: could not open":        LevelError,
		"[error] upstream timed out":   LevelError,
		"<WARNING> low memory":         LevelWarn,
		"  FATAL: out of memory":       LevelFatal,
		"error count: 0, warnings: 3":  LevelNone,
		"Error handling is enabled":    LevelNone,
		"[error":                       LevelNone,
		"[error> mismatched":           LevelNone,
		"ERROR":                        LevelNone,
		"Errors: none":                 LevelNone,
		"information: 11 letters long": LevelNone,
		"":                             LevelNone,
	}
	for in, want := range tests {
		if got := leadingLevel([]byte(in)); got != want {
			t.Errorf("leadingLevel(%q) = %v, want %v", in, got, want)
		}
	}
}

// A Go panic spread over container JSON records, blank record between its
// goroutines included, is one record.
func TestAssemblerStructuredHold(t *testing.T) {
	in := `{"log":"starting\n"}
{"log":"panic: boom\n"}
{"log":"\n"}
{"log":"goroutine 1 [running]:\n"}
{"log":"main.main()\n"}
{"log":"\t/src/main.go:5 +0x1d\n"}
{"log":"\n"}
{"log":"goroutine 2 [chan receive]:\n"}
{"log":"main.worker()\n"}
{"log":"\t/src/main.go:9 +0x2a\n"}
{"log":"restarting\n"}
`
	for _, format := range []string{"json", "docker"} {
		recs, _ := parseAll(t, Options{Format: format}, []byte(in))
		var got []string
		for _, r := range recs {
			got = append(got, fmt.Sprintf("%d-%d %s", r.Line, r.End, r.Lang))
		}
		if want := "[1-1  2-10 go 11-11 ]"; fmt.Sprint(got) != want {
			t.Errorf("%s: records %v, want %s", format, got, want)
		}
	}
}

func TestAssemblerFlushSettled(t *testing.T) {
	var got []string
	a := NewAssembler(testFormat{}, Limits{}, traces.InApp{}, func(r *Record) { got = append(got, string(r.Text)) })
	a.Add(Logical{Num: 1, EndNum: 1, Text: []byte("H ERROR one line")})
	a.FlushSettled()
	if len(got) != 1 {
		t.Fatalf("a lone header line was not emitted: %q", got)
	}
	a.Add(Logical{Num: 2, EndNum: 2, Text: []byte("H ERROR with trace")})
	a.Add(Logical{Num: 3, EndNum: 3, Text: []byte("\tat a.B.c(B.java:1)")})
	a.FlushSettled()
	if len(got) != 1 {
		t.Fatalf("a record with continuation lines was emitted early: %q", got)
	}
	a.Flush()
	if len(got) != 2 || got[1] != "H ERROR with trace\n\tat a.B.c(B.java:1)" {
		t.Fatalf("got %q", got)
	}
}
