package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tattle-dev/tattle/parsers"
)

// logBuilder writes a log line by line and remembers where each event
// that should be reported starts and ends: the ground truth the scan's
// output is checked against.
type logBuilder struct {
	b    strings.Builder
	line int64
	want []span
}

type span struct {
	Line, End int64
	Language  string
}

func (lb *logBuilder) add(text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		lb.b.WriteString(l)
		lb.b.WriteByte('\n')
		lb.line++
	}
}

// event adds text that must come out as exactly one event.
func (lb *logBuilder) event(text, lang string) {
	start := lb.line + 1
	lb.add(text)
	lb.want = append(lb.want, span{start, lb.line, lang})
}

func scanJSON(t *testing.T, path string, format string) []parsers.Event {
	t.Helper()
	var out, errb bytes.Buffer
	_, err := Scan(context.Background(), ScanOptions{JSON: true, Format: format, Files: []string{path}, Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, errb.String())
	}
	var evs []parsers.Event
	dec := json.NewDecoder(&out)
	for dec.More() {
		var ev parsers.Event
		if err := dec.Decode(&ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func checkSpans(t *testing.T, lb *logBuilder, evs []parsers.Event) {
	t.Helper()
	var got []span
	for _, ev := range evs {
		got = append(got, span{ev.Line, ev.EndLine, ev.Language})
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Line < got[j].Line })
	if fmt.Sprint(got) != fmt.Sprint(lb.want) {
		t.Errorf("events:\n got %v\nwant %v", got, lb.want)
		lines := strings.Split(lb.b.String(), "\n")
		for _, s := range got {
			t.Logf("got %d-%d: %q ... %q", s.Line, s.End, lines[s.Line-1], lines[s.End-1])
		}
	}
}

func writeLog(t *testing.T, lb *logBuilder) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(p, []byte(lb.b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// headerless decoys: ordinary lines that mention errors and exceptions.
var plainDecoys = []string{
	"Starting worker pool with 4 threads",
	"Retrying after Exception in handler (attempt 2 of 5)",
	"error count: 0, warnings: 3",
	"at least once delivery is enabled",
	"The user panicked at the checkout page, said support",
	"Connection refused by peer, will retry in 5s",
	"    indented note: nothing failed",
}

func corpusSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "detect-exceptions", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\n")
}

// A crash log without record headers, holding traces of every language
// between ordinary lines: every trace is one event with its exact first
// and last line, and no ordinary line is part of one.
func TestScanHeaderlessAllLanguages(t *testing.T) {
	samples := []struct{ file, lang string }{
		{"java_exc.txt", "java"}, {"complex_java_exc.txt", "java"}, {"nested_java_exc.txt", "java"},
		{"python_exc.txt", "python"}, {"go_exc.txt", "go"}, {"go_signal_exc.txt", "go"},
		{"node_js_exc.txt", "js"}, {"client_js_exc.txt", "js"}, {"ruby_exc.txt", "ruby"}, {"rails_exc.txt", "ruby"},
		{"php_exc.txt", "php"}, {"csharp_nested_exc.txt", "dotnet"}, {"csharp_async_exc.txt", "dotnet"},
		{"dart_exc.txt", "dart"}, {"dart_type_err.txt", "dart"},
	}
	var lb logBuilder
	for i, s := range samples {
		lb.add(plainDecoys[i%len(plainDecoys)])
		lb.event(corpusSample(t, s.file), s.lang)
		lb.add(plainDecoys[(i+3)%len(plainDecoys)])
	}
	lb.event(rustPanic, "rust")
	lb.add("exit code 101")
	lb.event(pythonChained, "python")
	lb.add("")
	lb.add("worker restarted")
	checkSpans(t, &lb, scanJSON(t, writeLog(t, &lb), ""))
}

const rustPanic = `thread 'main' panicked at src/main.rs:14:9:
called ` + "`Option::unwrap()`" + ` on a ` + "`None`" + ` value
stack backtrace:
   0: rust_begin_unwind
             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/std/src/panicking.rs:645:5
   1: core::panicking::panic_fmt
             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/core/src/panicking.rs:72:14
   2: shop::load_config
             at ./src/main.rs:14:9
   3: shop::main
             at ./src/main.rs:5:5
note: Some details are omitted, run with ` + "`RUST_BACKTRACE=full`" + ` for a verbose backtrace.`

const pythonChained = `Traceback (most recent call last):
  File "/srv/app/db.py", line 12, in connect
    return pool.get(timeout=2)
TimeoutError: pool exhausted

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/srv/app/main.py", line 30, in <module>
    run()
  File "/srv/app/main.py", line 22, in run
    db = connect()
  File "/srv/app/db.py", line 14, in connect
    raise DatabaseUnavailable("primary") from e
app.db.DatabaseUnavailable: primary`

// A Spring Boot log: ERROR records with their traces are events from the
// header to the last frame; INFO and WARN records that mention errors or
// carry a trace are not events.
func TestScanSpringBoot(t *testing.T) {
	ts := func(i int) string { return fmt.Sprintf("2026-11-25 10:%02d:%02d.%03d", i/60%60, i%60, i%1000) }
	hdr := func(i int, level, logger, msg string) string {
		return fmt.Sprintf("%s %5s 4242 --- [nio-8080-exec-%d] %-40s : %s", ts(i), level, i%10, logger, msg)
	}
	javaTrace := strings.SplitN(corpusSample(t, "complex_java_exc.txt"), "\n", 2)[1]
	var lb logBuilder
	for i := 0; i < 200; i++ {
		switch i % 20 {
		case 3:
			lb.add(hdr(i, "INFO", "c.e.shop.web.OrderController", "Retry on SQLException enabled; 0 errors so far"))
		case 5:
			lb.event(hdr(i, "ERROR", "c.e.shop.web.OrderController", fmt.Sprintf("Order %d failed", i))+
				"\njavax.servlet.ServletException: Something bad happened\n"+javaTrace, "java")
		case 9:
			lb.add(hdr(i, "WARN", "c.e.shop.cache.ProductCache", "Cache refresh failed, serving stale data") +
				"\njava.io.IOException: timeout\n\tat com.example.shop.cache.ProductCache.refresh(ProductCache.java:88)")
		case 13:
			lb.event(hdr(i, "ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper", "Connection to db:5432 refused"), "")
		default:
			lb.add(hdr(i, "INFO", "c.e.shop.web.OrderController", fmt.Sprintf("Order %d created", i)))
		}
	}
	evs := scanJSON(t, writeLog(t, &lb), "")
	checkSpans(t, &lb, evs)
	// events that differ only in ids and numbers share a group
	codes := map[string]int{}
	for _, ev := range evs {
		codes[ev.Code]++
		if ev.Format != "logback" {
			t.Errorf("format %q", ev.Format)
		}
	}
	if len(codes) != 2 {
		t.Errorf("codes %v, want 2 groups", codes)
	}
}

// Reading with auto-detection and with the named format gives the same
// events for every bundled example log.
func TestScanExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "logs", "*.log"))
	if len(files) < 4 {
		t.Fatalf("found %d example logs", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			evs := scanJSON(t, f, "")
			if len(evs) == 0 {
				t.Fatalf("no events")
			}
			again := scanJSON(t, f, evs[0].Format)
			if len(again) != len(evs) {
				t.Errorf("auto gave %d events, --format %s gave %d", len(evs), evs[0].Format, len(again))
			}
		})
	}
}
