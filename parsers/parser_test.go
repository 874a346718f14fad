package parsers

import (
	"bytes"
	"testing"
)

// The whole parsing stage on arbitrary bytes, in every format and in auto
// mode: no panic, records in order, within the limits, and every line of
// the input accounted for (in a record, dropped for a limit, or blank).
func FuzzParser(f *testing.F) {
	seeds := []string{
		"2024-01-15 10:23:45.123 ERROR 1 --- [main] c.e.App : boom\njava.lang.IllegalStateException: x\n\tat c.e.App.run(App.java:1)\n",
		`{"log":"2020-03-24 Multi \n"}` + "\n" + `{"log":"part"}` + "\n" + `{"log":" two\n"}` + "\n",
		"2016-10-06T00:17:09.669794202Z stdout P part one\n2016-10-06T00:17:09.669794202Z stdout F  and two\n",
		`{"level":"error","msg":"x","stack":"Error: x\n    at f (/a.js:1:2)"}` + "\n",
		"panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n",
		"<34>Oct 11 22:14:15 host su[1]: failed\n127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 500 1\n",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i))
	}
	formats := []string{"auto", "plain", "logback", "log4j", "python", "go", "rails", "nginx", "syslog", "json", "docker", "cri", "timestamp"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		format := formats[int(which)%len(formats)]
		lim := Limits{MaxLineBytes: 256, MaxEventLines: 8, MaxEventBytes: 512}
		var prevEnd, lines int64
		p, err := New(Options{Format: format, Limits: lim}, func(r *Record) {
			if r.Line > r.EndLine || r.Line <= prevEnd {
				t.Fatalf("%s: record %d-%d after %d", format, r.Line, r.EndLine, prevEnd)
			}
			prevEnd = r.EndLine
			if len(r.Text) > lim.MaxEventBytes || r.Lines > lim.MaxEventLines {
				t.Fatalf("%s: record of %d bytes, %d lines over the limits", format, len(r.Text), r.Lines)
			}
			r.Event("s", "f") // analysis and field copies must not panic either
		})
		if err != nil {
			t.Fatal(err)
		}
		lr := NewLineReader(bytes.NewReader(data), lim.MaxLineBytes)
		for {
			l, err := lr.Next()
			if err != nil {
				break
			}
			lines++
			p.Feed(l)
		}
		p.Flush()
		if prevEnd > lines {
			t.Fatalf("%s: record ends at line %d of %d", format, prevEnd, lines)
		}
	})
}

func TestParserPending(t *testing.T) {
	type step struct {
		line    string
		pending int64 // 0: none
	}
	tests := []struct {
		name   string
		format string
		steps  []step
		flush  int64 // pending after Flush: always none
	}{
		{"logback record open until the next header", "logback", []step{
			{"2024-01-15 10:23:45.123 ERROR 1 --- [main] c.e.App : boom", 1},
			{"java.lang.IllegalStateException: x", 1},
			{"\tat c.e.App.run(App.java:1)", 1},
			{"2024-01-15 10:23:46.123  INFO 1 --- [main] c.e.App : ok", 4},
		}, 0},
		{"auto-detection sample", "auto", []step{
			{"2024-01-15 10:23:45.123  INFO 1 --- [main] c.e.App : a", 1},
			{"2024-01-15 10:23:46.123  INFO 1 --- [main] c.e.App : b", 1},
		}, 0},
		{"docker partial chain", "docker", []step{
			{`{"log":"full\n","stream":"stdout"}`, 1},
			{`{"log":"part","stream":"stdout"}`, 1},
			// still sampling the inner text for its format: line 1 waits
			{`{"log":" two\n","stream":"stdout"}`, 1},
		}, 0},
		{"plain blank lines held after a trace", "plain", []step{
			{"panic: boom", 1},
			{"", 1},
			{"goroutine 1 [running]:", 1},
			{"plain", 4},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(Options{Format: tt.format}, func(*Record) {})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				p.Feed(Line{Num: int64(i + 1), Bytes: []byte(s.line)})
				got, ok := p.Pending()
				if !ok {
					got = 0
				}
				if got != s.pending {
					t.Fatalf("after line %d %q: pending %d (ok %v), want %d", i+1, s.line, got, ok, s.pending)
				}
			}
			p.Flush()
			if n, ok := p.Pending(); ok {
				t.Errorf("after Flush: pending %d", n)
			}
		})
	}
}
