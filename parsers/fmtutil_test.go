package parsers

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestScanStamp(t *testing.T) {
	tests := []struct {
		in     string
		end    int // -1: not a stamp
		layout string
		want   string // RFC 3339 of the parsed time, when layout != ""
	}{
		{"2024-01-15 10:23:45,123 ERROR", 23, "2006-01-02 15:04:05", "2024-01-15T10:23:45.123Z"},
		{"2024-01-15 10:23:45.123  INFO", 23, "2006-01-02 15:04:05", "2024-01-15T10:23:45.123Z"},
		{"2024-01-15T10:23:45.123+01:00  INFO", 29, "2006-01-02T15:04:05Z07:00", "2024-01-15T10:23:45.123+01:00"},
		{"2024-01-15T10:23:45.123Z x", 24, "2006-01-02T15:04:05Z07:00", "2024-01-15T10:23:45.123Z"},
		{"2024-01-15T10:23:45.123456 #1", 26, "2006-01-02T15:04:05", "2024-01-15T10:23:45.123456Z"},
		{"2024-01-15T10:23:45,123-0500 x", 28, "2006-01-02T15:04:05Z0700", "2024-01-15T10:23:45.123-05:00"},
		{"2024-01-15T10:23:45+05 x", 22, "2006-01-02T15:04:05Z07", "2024-01-15T10:23:45+05:00"},
		{"2024-01-15 10:23:45 +0000] [1]", 25, "2006-01-02 15:04:05 -0700", "2024-01-15T10:23:45Z"},
		{"2024-01-15 10:23:45 -0700", 25, "2006-01-02 15:04:05 -0700", "2024-01-15T10:23:45-07:00"},
		{"2024/01/15 10:23:45.123456 x", 26, "2006/01/02 15:04:05", "2024-01-15T10:23:45.123456Z"},
		{"15 Jan 2024 10:23:45,123 ERROR", 24, "02 Jan 2006 15:04:05", "2024-01-15T10:23:45.123Z"},
		{"15-Jan-2024 10:23:45.123 SEVERE", 24, "02-Jan-2006 15:04:05", "2024-01-15T10:23:45.123Z"},
		{"2024-01-15 10:23:45.123456789 x", 29, "2006-01-02 15:04:05", "2024-01-15T10:23:45.123456789Z"},
		{"2024-01-15 10:23:45", 19, "2006-01-02 15:04:05", "2024-01-15T10:23:45Z"},
		// A space and digits after the time are not a zone unless they
		// are one and end the token.
		{"2024-01-15 10:23:45 -07001", 19, "2006-01-02 15:04:05", "2024-01-15T10:23:45Z"},
		{"2024-01-15 10:23:45 - app", 19, "2006-01-02 15:04:05", "2024-01-15T10:23:45Z"},
		{"10:23:45.123 [main]", 12, "", ""},
		{"10:23:45 x", 8, "", ""},
		// Not stamps.
		{"", -1, "", ""},
		{"2024-01-15", -1, "", ""},
		{"2024-01-15 x", -1, "", ""},
		{"2024-13-15 10:23:45", -1, "", ""},
		{"2024-01-00 10:23:45", -1, "", ""},
		{"2024-01-15 25:23:45", -1, "", ""},
		{"2024-01-15 10:63:45", -1, "", ""},
		{"2024-01-15 10:23:45.1234567890", -1, "", ""},
		{"2024-01-15X10:23:45", -1, "", ""},
		{"2024-01/15 10:23:45", -1, "", ""},
		{"12345678", -1, "", ""},
		{"1:23:45 x", -1, "", ""},
		{"15 Foo 2024 10:23:45", -1, "", ""},
		{"\tat com.x.Foo.bar(Foo.java:1)", -1, "", ""},
		{"Jan 15 10:23:45 host", -1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			end, layout := scanStamp([]byte(tt.in), 0)
			if end != tt.end || layout != tt.layout {
				t.Fatalf("scanStamp(%q) = %d, %q; want %d, %q", tt.in, end, layout, tt.end, tt.layout)
			}
			if layout == "" {
				return
			}
			got, err := time.Parse(layout, tt.in[:end])
			if err != nil {
				t.Fatalf("layout %q does not parse %q: %v", layout, tt.in[:end], err)
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("parsed %q as %s, want %s", tt.in[:end], s, tt.want)
			}
		})
	}
}

func TestScanStampOffsets(t *testing.T) {
	b := []byte("[2024-01-15 10:23:45,123]")
	if end, _ := scanStamp(b, 1); end != 24 {
		t.Errorf("at 1: end %d, want 24", end)
	}
	for _, i := range []int{-5, -1, 25, 100} {
		if end, _ := scanStamp(b, i); end != -1 {
			t.Errorf("at %d: end %d, want -1", i, end)
		}
	}
}

func TestBracketAt(t *testing.T) {
	tests := []struct {
		in          string
		open, close byte
		inner       string
		end         int
	}{
		{"[main] x", '[', ']', "main", 6},
		{"[           main] x", '[', ']', "           main", 17},
		{"[pool-2-thread-[1]] x", '[', ']', "pool-2-thread-[1]", 19},
		{"[] x", '[', ']', "", 2},
		{"(default task-1) x", '(', ')', "default task-1", 16},
		{"[unclosed", '[', ']', "", -1},
		{"main]", '[', ']', "", -1},
		{"", '[', ']', "", -1},
		{"[" + string(make([]byte, 300)) + "]", '[', ']', "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			in, end := bracketAt([]byte(tt.in), 0, tt.open, tt.close)
			if end != tt.end {
				t.Fatalf("end = %d, want %d", end, tt.end)
			}
			if end >= 0 && tt.in[in:end-1] != tt.inner {
				t.Errorf("inner = %q, want %q", tt.in[in:end-1], tt.inner)
			}
			if end < 0 && in != -1 {
				t.Errorf("in = %d on failure, want -1", in)
			}
		})
	}
}

func TestLevelWords(t *testing.T) {
	tests := []struct {
		in         string
		any, upper Level
		end        int
	}{
		{"ERROR x", LevelError, LevelError, 5},
		{"error x", LevelError, LevelNone, 5},
		{"Warning: x", LevelWarn, LevelNone, 7},
		{"WARNING:root", LevelWarn, LevelWarn, 7},
		{"INFO", LevelInfo, LevelInfo, 4},
		{"INF x", LevelInfo, LevelInfo, 3},
		{"E x", LevelNone, LevelNone, -1}, // one letter is too easily a level
		{"ERRORS", LevelNone, LevelNone, -1},
		{"ERROR1", LevelNone, LevelNone, -1},
		{"Errors are", LevelNone, LevelNone, -1},
		{"Traceback", LevelNone, LevelNone, -1},
		{"", LevelNone, LevelNone, -1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b := []byte(tt.in)
			l, end := levelWordAt(b, 0)
			if l != tt.any || (l != LevelNone) != (end >= 0) || l != LevelNone && end != tt.end {
				t.Errorf("levelWordAt = %v, %d; want %v, %d", l, end, tt.any, tt.end)
			}
			u, uend := upperLevelAt(b, 0)
			if u != tt.upper || u != LevelNone && uend != tt.end || u == LevelNone && uend != -1 {
				t.Errorf("upperLevelAt = %v, %d; want %v", u, uend, tt.upper)
			}
		})
	}
}

func TestFindLevel(t *testing.T) {
	tests := []struct {
		in         string
		words      int
		level      Level
		start, end int
	}{
		{"10:23:45 [main] ERROR x", 3, LevelError, 16, 21},
		{"a b [WARN] x", 3, LevelWarn, 5, 9},
		{"a b c ERROR", 3, LevelNone, -1, -1}, // beyond maxWords
		{"a b c ERROR", 4, LevelError, 6, 11},
		{"INFO: x", 1, LevelInfo, 0, 4},
		{"Error: x", 2, LevelNone, -1, -1},
		{"ERRORS x", 2, LevelNone, -1, -1},
		{"ERROR_CODE x", 2, LevelNone, -1, -1},
		{"   ", 5, LevelNone, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l, s, e := findLevel([]byte(tt.in), 0, tt.words)
			if l != tt.level || s != tt.start || e != tt.end {
				t.Errorf("findLevel = %v, %d, %d; want %v, %d, %d", l, s, e, tt.level, tt.start, tt.end)
			}
		})
	}
}

func TestScanHelpers(t *testing.T) {
	b := []byte("  12345 --- x")
	if got := skipSpaces(b, 0); got != 2 {
		t.Errorf("skipSpaces = %d, want 2", got)
	}
	if got := spacesAt(b, 2); got != -1 {
		t.Errorf("spacesAt on a digit = %d, want -1", got)
	}
	if got := numberAt(b, 2, 10); got != 7 {
		t.Errorf("numberAt = %d, want 7", got)
	}
	if got := numberAt(b, 2, 3); got != -1 {
		t.Errorf("numberAt past max = %d, want -1", got)
	}
	if got := digitsAt(b, 2, 5); got != 7 {
		t.Errorf("digitsAt = %d, want 7", got)
	}
	if got := digitsAt(b, 2, 6); got != -1 {
		t.Errorf("digitsAt too many = %d, want -1", got)
	}
	if got := prefixAt(b, 8, "---"); got != 11 {
		t.Errorf("prefixAt = %d, want 11", got)
	}
	if got := prefixAt(b, 12, "x y"); got != -1 {
		t.Errorf("prefixAt past end = %d, want -1", got)
	}
	if got := wordEnd(b, 2); got != 7 {
		t.Errorf("wordEnd = %d, want 7", got)
	}
	if got := string(trimSpaces([]byte(" \t a b \t"))); got != "a b" {
		t.Errorf("trimSpaces = %q", got)
	}
	// Failed steps chain: every helper takes -1 and returns -1.
	if spacesAt(b, -1) != -1 || skipSpaces(b, -1) != -1 || byteIs(b, -1, ' ') != -1 ||
		prefixAt(b, -1, "") != -1 || digitsAt(b, -1, 1) != -1 || numberAt(b, -1, 1) != -1 ||
		wordEnd(b, -1) != -1 || byteAt(b, -1) != 0 || byteAt(b, len(b)) != 0 {
		t.Error("a helper does not pass -1 on")
	}
	if letterRun(b, -1) != -1 {
		t.Error("letterRun(-1) did not fail")
	}
	if l, e := levelWordAt(b, -1); l != LevelNone || e != -1 {
		t.Error("levelWordAt(-1) did not fail")
	}
	if in, e := bracketAt(b, -1, '[', ']'); in != -1 || e != -1 {
		t.Error("bracketAt(-1) did not fail")
	}
}

func TestHelpersDoNotAllocate(t *testing.T) {
	b := []byte("2024-01-15T10:23:45.123+01:00 [http-nio-8080-exec-1] ERROR c.e.App - boom")
	n := testing.AllocsPerRun(100, func() {
		e, _ := scanStamp(b, 0)
		_, e = bracketAt(b, skipSpaces(b, e), '[', ']')
		findLevel(b, e, 3)
	})
	if n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

func FuzzScanStamp(f *testing.F) {
	for _, s := range []string{"2024-01-15 10:23:45,123", "15 Jan 2024 10:23:45", "10:23:45.1", "2024-01-15T10:23:45+01:00"} {
		f.Add([]byte(s), 0)
	}
	f.Fuzz(func(t *testing.T, b []byte, i int) {
		end, layout := scanStamp(b, i)
		if end < 0 {
			return
		}
		if end <= i || end > len(b) {
			t.Fatalf("end %d out of (%d, %d]", end, i, len(b))
		}
		if layout != "" {
			if _, err := time.Parse(layout, string(b[i:end])); err != nil {
				t.Errorf("layout %q does not parse %q: %v", layout, b[i:end], err)
			}
		}
	})
}

// fmtCase is one line a header format reads (ok) or turns down, with the
// fields it must find.
type fmtCase struct {
	name                string
	line                string
	ok                  bool
	level               Level
	time, layout        string
	logger, thread, msg string
}

// checkFmtCases runs cases through f and checks every field exactly.
func checkFmtCases(t *testing.T, f Format, cases []fmtCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h Header
			h.Reset()
			line := []byte(c.line)
			ok := f.Header(line, &h)
			if ok != c.ok {
				t.Fatalf("Header(%q) = %v, want %v", c.line, ok, c.ok)
			}
			if !ok {
				return
			}
			got := [...]string{h.Level.String(), string(h.Time), h.TimeLayout, string(h.Logger), string(h.Thread), string(h.Msg)}
			want := [...]string{c.level.String(), c.time, c.layout, c.logger, c.thread, c.msg}
			names := [...]string{"level", "time", "layout", "logger", "thread", "msg"}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s = %q, want %q", names[i], got[i], want[i])
				}
			}
			if h.Msg == nil {
				t.Errorf("Msg is nil")
			} else if !isTailOf(line, h.Msg) {
				t.Errorf("Msg %q is not a suffix of the line", h.Msg)
			}
			if c.layout != "" {
				if _, ok := ParseTime(h.Time, h.TimeLayout); !ok {
					t.Errorf("ParseTime(%q, %q) failed", h.Time, h.TimeLayout)
				}
			}
		})
	}
}

// isTailOf reports whether m is the tail of line itself (same memory), as
// the stack analysis needs, not merely equal to it.
func isTailOf(line, m []byte) bool {
	if len(m) > len(line) {
		return false
	}
	tail := line[len(line)-len(m):]
	return len(m) == 0 || &tail[0] == &m[0]
}

// fmtDecoys are lines no header format of this file's owner may read as a
// header: trace lines, prose, JSON, other formats' lines.
var fmtDecoys = []string{
	"",
	"   ",
	"\tat com.example.Foo.bar(Foo.java:42)",
	"\t... 42 more",
	"Caused by: java.lang.IllegalStateException: boom",
	"java.lang.NullPointerException: null",
	"Traceback (most recent call last):",
	"  File \"/app/views.py\", line 12, in get",
	"    raise ValueError(\"bad\")",
	"ValueError: bad",
	"{\"level\":\"error\",\"msg\":\"boom\",\"time\":\"2024-01-15T10:23:45Z\"}",
	"2024-01-15",
	"2024-01-15 10:23:45",
	"ERROR",
	"Error: something",
	"http://x",
	"error: something went wrong",
	"panic: runtime error: invalid memory address or nil pointer dereference",
	"goroutine 1 [running]:",
	"2024/01/15 10:23:45 ERROR something failed",
	"2024/01/15 10:23:45 [error] 1234#0: *1 connect() failed",
	"127.0.0.1 - - [15/Jan/2024:10:23:45 +0000] \"GET / HTTP/1.1\" 500 12 \"-\" \"curl/8\"",
	"Jan 15 10:23:45 web1 sshd[123]: Failed password for root",
	"<11>1 2024-01-15T10:23:45Z host app 123 - - boom",
	"[Mon Jan 15 10:23:45.123456 2024] [core:error] [pid 1234] AH00124: boom",
	"app/controllers/users_controller.rb:5:in `show'",
	"[req-1] NoMethodError (undefined method `name' for nil):",
	"Started GET \"/users/1\" for 127.0.0.1 at 2024-01-15 10:23:45 +0000",
	"2024-01-15T10:23:45.123Z\tERROR\tapp/main.go:42\tboom",
	"time=\"2024-01-15T10:23:45Z\" level=error msg=boom",
	"\x00\x01\xff\xfe",
}

// checkFmtDecoys checks that f turns down every decoy.
func checkFmtDecoys(t *testing.T, f Format) {
	t.Helper()
	for _, d := range fmtDecoys {
		var h Header
		h.Reset()
		if f.Header([]byte(d), &h) {
			t.Errorf("%s read decoy %q as a header (level %v, msg %q)", f.Name(), d, h.Level, h.Msg)
		}
	}
}

// TestHeaderFormatErrorRecords pins, independently of the goldens, where
// the records at ERROR and above of each sample start and end (checked by
// hand against the files), framed with auto-detection.
func TestHeaderFormatErrorRecords(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"logback-boot2.log", []string{"21-77 ERROR", "80-80 ERROR", "81-126 ERROR"}},
		{"logback-boot3.log", []string{"16-60 ERROR", "63-75 ERROR"}},
		{"logback-default.log", []string{"5-22 ERROR", "25-32 ERROR"}},
		{"log4j-service.log", []string{"5-39 ERROR", "42-54 FATAL"}},
		{"log4j-wildfly.log", []string{"8-28 ERROR", "30-30 ERROR"}},
		{"python-basic.log", []string{"4-17 ERROR", "18-18 CRITICAL"}},
		{"python-celery.log", []string{"7-24 ERROR", "27-28 ERROR"}},
		{"python-django.log", []string{"5-49 ERROR", "50-50 ERROR", "52-61 ERROR"}},
		{"python-flask.log", []string{"4-24 ERROR", "27-47 ERROR"}},
		{"python-gunicorn.log", []string{"6-6 CRITICAL", "7-19 ERROR", "21-21 ERROR"}},
		{"rails-legacy.log", []string{"6-20 FATAL"}},
		{"rails-production.log", []string{"10-33 FATAL", "35-37 ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "formats", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			p, err := New(Options{}, func(r *Record) {
				if r.Level.IsError() {
					got = append(got, fmt.Sprintf("%d-%d %v", r.Line, r.EndLine, r.Level))
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			lr := NewLineReader(bytes.NewReader(data), 0)
			for {
				l, err := lr.Next()
				if err != nil {
					break
				}
				p.Feed(l)
			}
			p.Flush()
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("error records %v, want %v", got, tt.want)
			}
		})
	}
}

// BenchmarkHeaderFormats measures a typical header line and a trace line of
// each format.
func BenchmarkHeaderFormats(b *testing.B) {
	tests := []struct {
		format, kind, line string
	}{
		{"log4j", "header", "2024-01-15 10:23:45,123 ERROR [main] MyService:42 - Failed to process order 17"},
		{"log4j", "jboss", "2024-01-15 10:23:45,123 ERROR [io.undertow.request] (default task-1) UT005023: Exception handling request"},
		{"log4j", "trace", "\tat com.example.demo.service.OrderService.placeOrder(OrderService.java:42)"},
		{"python", "header", "2024-01-15 10:23:45,123 ERROR [app.views] Payment declined for order 17"},
		{"python", "django", "ERROR 2024-01-15 10:24:02,441 log 31 140310614379264 Internal Server Error: /api/orders/17/pay"},
		{"python", "trace", `  File "/app/shop/views.py", line 88, in pay`},
		{"rails", "header", `I, [2024-01-15T10:23:45.001522 #2817]  INFO -- : [5e0a4c1b-8f3d-4a2e-b7c6-1d9e0f2a3b4c] Started GET "/orders/17" for 203.0.113.9`},
		{"rails", "trace", "[9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f] app/services/refund_service.rb:22:in `call'"},
	}
	for _, tt := range tests {
		b.Run(tt.format+"/"+tt.kind, func(b *testing.B) {
			f := textFormats[tt.format]()
			line := []byte(tt.line)
			var h Header
			for b.Loop() {
				h.Reset()
				f.Header(line, &h)
			}
		})
	}
}

// assertNoHeaderAllocs checks that f reads every line without allocating.
func assertNoHeaderAllocs(t *testing.T, f Format, lines [][]byte) {
	t.Helper()
	var h Header
	n := testing.AllocsPerRun(50, func() {
		for _, l := range lines {
			h.Reset()
			f.Header(l, &h)
		}
	})
	if n != 0 {
		t.Errorf("%s: %v allocations per run, want 0", f.Name(), n)
	}
}
