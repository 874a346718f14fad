package parsers

import (
	"bytes"
	"fmt"
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
		// Container logs interleave stdout and stderr chains of partial
		// lines, so their records may leave out of line order.
		container := format == "docker" || format == "cri" || format == "auto"
		p, err := New(Options{Format: format, Limits: lim}, func(r *Record) {
			if r.Line > r.EndLine || !container && r.Line <= prevEnd {
				t.Fatalf("%s: record %d-%d after %d", format, r.Line, r.EndLine, prevEnd)
			}
			prevEnd = max(prevEnd, r.EndLine)
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
			if len(l.Bytes)%7 == 0 {
				p.FlushSettled() // a live file going quiet here and there
			}
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

// A live file that starts with a plain banner and goes quiet is read as
// plain text for now; when records with headers follow, their format takes
// over, and its records are framed (their traces joined) and reported.
func TestParserProvisionalPlain(t *testing.T) {
	var recs []string
	var detected []string
	p, err := New(Options{OnDetect: func(f string, n int) { detected = append(detected, f) }}, func(r *Record) {
		recs = append(recs, fmt.Sprintf("%d-%d %s", r.Line, r.EndLine, r.Level))
	})
	if err != nil {
		t.Fatal(err)
	}
	feed := func(n int64, s string) { p.Feed(Line{Num: n, Bytes: []byte(s)}) }
	feed(1, "Starting shop with profile prod")
	p.FlushSettled() // the file went quiet after its first line
	if p.Format() != "plain" || len(recs) != 0 {
		t.Fatalf("format %q, records %v", p.Format(), recs)
	}
	n := int64(2)
	for i := 0; i < 70; i++ {
		level := "INFO"
		if i == 6 {
			level = "ERROR"
		}
		feed(n, fmt.Sprintf("2026-11-25 10:00:%02d.000 %5s 1 --- [main] c.e.shop.App : step %d", i%60, level, i))
		n++
		if i == 6 {
			feed(n, "java.lang.IllegalStateException: boom")
			feed(n+1, "\tat com.example.shop.App.run(App.java:12)")
			n += 2
		}
	}
	p.Flush()
	if fmt.Sprint(detected) != "[plain logback]" {
		t.Errorf("detected %v, want plain then logback", detected)
	}
	found := false
	for _, r := range recs {
		if r == "8-10 ERROR" { // after the switch at 4 resampled lines
			found = true
		}
	}
	if !found {
		t.Errorf("the ERROR record with its trace (lines 8-10) is not framed as one: %v", recs[:12])
	}
}

// The first line of a new file is decided on at once when the file goes
// quiet: a lone ERROR header is emitted without waiting for 64 lines.
func TestParserSettledDecidesEarly(t *testing.T) {
	var recs []string
	p, _ := New(Options{}, func(r *Record) { recs = append(recs, r.Level.String()) })
	p.Feed(Line{Num: 1, Bytes: []byte("2026-11-25 10:00:00.000 ERROR 1 --- [main] c.e.shop.App : boom")})
	p.FlushSettled()
	if p.Format() != "logback" || fmt.Sprint(recs) != "[ERROR]" {
		t.Fatalf("format %q, records %v", p.Format(), recs)
	}
}
