package traces

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds the samples of fluent-plugin-detect-exceptions (see
// testdata/corpus/SOURCES.md at the top of the repository).
const corpusDir = "../../testdata/corpus/detect-exceptions"

// rec is one record as the framing would build it from the verdicts.
type rec struct {
	lines []string
	lang  string // Language() after the record's last Continue
}

func (r rec) text() string { return strings.Join(r.lines, "\n") }

// frame applies the verdicts the way parsers.Assembler does for headerless
// text: New starts a record, Continue appends the held lines and the line,
// Hold keeps a line until the next verdict; held lines followed by New (or
// by the end) become records of their own, blank ones are dropped.
func frame(d *Detector, lines []string) []rec {
	var out []rec
	var cur *rec
	var held []string
	finish := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
		for _, h := range held {
			if strings.TrimSpace(h) != "" {
				out = append(out, rec{lines: []string{h}})
			}
		}
		held = nil
	}
	for _, l := range lines {
		switch d.Feed([]byte(l)) {
		case Continue:
			if cur != nil {
				cur.lines = append(cur.lines, held...)
				cur.lines = append(cur.lines, l)
				cur.lang = d.Language()
				held = nil
				continue
			}
		case Hold:
			if cur != nil {
				held = append(held, l)
				continue
			}
		}
		finish()
		cur = &rec{lines: []string{l}}
	}
	finish()
	return out
}

// corpusLang is the language of each corpus sample, by file name prefix.
func corpusLang(name string) string {
	for _, p := range []struct{ prefix, lang string }{
		{"java_", "java"}, {"complex_java", "java"}, {"nested_java", "java"},
		{"node_js", "js"}, {"client_js", "js"}, {"v8_js", "js"},
		{"python", "python"}, {"php", "php"}, {"go_", "go"}, {"csharp", "dotnet"},
		{"ruby", "ruby"}, {"rails", "ruby"}, {"dart_", "dart"},
	} {
		if strings.HasPrefix(name, p.prefix) {
			return p.lang
		}
	}
	return ""
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if err != nil || len(files) != 41 {
		t.Fatalf("corpus: %d files, %v (want 41 in %s)", len(files), err, corpusDir)
	}
	return files
}

// Every corpus sample between two plain lines comes out as exactly three
// records: the plain line, the whole sample with its language, the plain
// line.
func TestDetectorCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			sample := readLines(t, path)
			lang := corpusLang(name)
			in := append(append([]string{"plain before"}, sample...), "plain after")
			var d Detector
			recs := frame(&d, in)
			if lang == "" {
				if len(recs) != len(in) {
					t.Errorf("negative sample: %d records, want %d: %q", len(recs), len(in), recs)
				}
				for _, r := range recs {
					if r.lang != "" || len(r.lines) != 1 {
						t.Errorf("negative sample gave a trace: %q (%s)", r.lines, r.lang)
					}
				}
				return
			}
			if len(recs) != 3 {
				t.Fatalf("%d records, want 3:\n%s", len(recs), dump(recs))
			}
			if got := recs[0].text(); got != "plain before" {
				t.Errorf("first record %q", got)
			}
			if got := recs[2].text(); got != "plain after" {
				t.Errorf("last record %q", got)
			}
			if got, want := recs[1].text(), strings.Join(sample, "\n"); got != want {
				t.Errorf("trace record:\n%s\nwant:\n%s", got, want)
			}
			if recs[1].lang != lang {
				t.Errorf("language %q, want %q", recs[1].lang, lang)
			}
			if recs[0].lang != "" || recs[2].lang != "" {
				t.Errorf("plain lines have languages %q, %q", recs[0].lang, recs[2].lang)
			}
		})
	}
}

func dump(recs []rec) string {
	var b strings.Builder
	for i, r := range recs {
		b.WriteString("--- record ")
		b.WriteString(string(rune('0' + i%10)))
		b.WriteString(" [" + r.lang + "]\n")
		b.WriteString(r.text())
		b.WriteString("\n")
	}
	return b.String()
}

// testdataLang is the language of each of this package's samples.
func testdataLang(name string) string {
	for _, p := range []struct{ prefix, lang string }{
		{"java_", "java"}, {"kotlin_", "java"}, {"scala_", "java"},
		{"python_", "python"}, {"go_", "go"}, {"node_", "js"}, {"browser_", "js"},
		{"ruby_", "ruby"}, {"rails", "ruby"}, {"php_", "php"}, {"dotnet_", "dotnet"},
		{"dart_", "dart"}, {"flutter_", "dart"}, {"rust_", "rust"},
	} {
		if strings.HasPrefix(name, p.prefix) {
			return p.lang
		}
	}
	return ""
}

func testdataFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) < 20 {
		t.Fatalf("testdata: %d files, %v", len(files), err)
	}
	return files
}

// This package's own samples, one or more per language and shape, frame
// like the corpus: exactly one trace record between the plain lines.
func TestDetectorTestdata(t *testing.T) {
	for _, path := range testdataFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			lang := testdataLang(name)
			if lang == "" {
				t.Fatalf("no language for %s", name)
			}
			sample := readLines(t, path)
			var d Detector
			recs := frame(&d, append(append([]string{"plain before"}, sample...), "plain after"))
			if len(recs) != 3 {
				t.Fatalf("%d records, want 3:\n%s", len(recs), dump(recs))
			}
			if recs[0].text() != "plain before" || recs[2].text() != "plain after" {
				t.Errorf("plain records %q, %q", recs[0].text(), recs[2].text())
			}
			if got, want := recs[1].text(), strings.Join(sample, "\n"); got != want {
				t.Errorf("trace record:\n%s\nwant:\n%s", got, want)
			}
			if recs[1].lang != lang {
				t.Errorf("language %q, want %q", recs[1].lang, lang)
			}
		})
	}
}

// Verdicts and Language line by line for the shapes the framing relies on.
func TestDetectorVerdicts(t *testing.T) {
	const (
		N = New
		C = Continue
		H = Hold
	)
	tests := []struct {
		name  string
		lines []string
		want  []Verdict
		langs []string // Language() after each line
	}{
		{
			name: "java then plain",
			lines: []string{
				"java.lang.IllegalStateException: boom",
				"\tat com.example.Foo.bar(Foo.java:10)",
				"\tat java.lang.Thread.run(Thread.java:750)",
				"another line...",
			},
			want:  []Verdict{N, C, C, N},
			langs: []string{"", "java", "java", ""},
		},
		{
			name: "go panic, goroutines, plain",
			lines: []string{
				"panic: boom",
				"",
				"goroutine 1 [running]:",
				"main.main()",
				"\t/app/main.go:5 +0x1d",
				"",
				"goroutine 2 [chan receive]:",
				"main.worker(0xc000010000)",
				"\t/app/main.go:9 +0x25",
				"",
				"INFO server started",
			},
			want:  []Verdict{N, H, C, C, C, H, C, C, C, H, N},
			langs: []string{"", "", "go", "go", "go", "go", "go", "go", "go", "go", ""},
		},
		{
			name: "python, blank, plain",
			lines: []string{
				"Traceback (most recent call last):",
				`  File "/app/x.py", line 3, in <module>`,
				"    f()",
				"ValueError: bad",
				"",
				"plain",
			},
			want:  []Verdict{N, C, C, C, H, N},
			langs: []string{"", "python", "python", "python", "python", ""},
		},
		{
			name: "python chain",
			lines: []string{
				"Traceback (most recent call last):",
				`  File "/app/x.py", line 3, in <module>`,
				"KeyError: 'a'",
				"",
				"During handling of the above exception, another exception occurred:",
				"",
				"Traceback (most recent call last):",
				`  File "/app/x.py", line 5, in <module>`,
				"ValueError: b",
			},
			want:  []Verdict{N, C, C, H, C, H, C, C, C},
			langs: []string{"", "python", "python", "python", "python", "python", "python", "python", "python"},
		},
		{
			name:  "lone exception line",
			lines: []string{"Exception: foo", "next line"},
			want:  []Verdict{N, N},
			langs: []string{"", ""},
		},
		{
			name:  "lone exception line, blank, plain",
			lines: []string{"Exception: foo", "", "plain"},
			want:  []Verdict{N, H, N},
			langs: []string{"", "", ""},
		},
		{
			name: "two java traces back to back",
			lines: []string{
				"java.lang.IllegalStateException: a",
				"\tat com.example.A.a(A.java:1)",
				"java.lang.IllegalArgumentException: b",
				"\tat com.example.B.b(B.java:2)",
			},
			want:  []Verdict{N, C, N, C},
			langs: []string{"", "java", "", "java"},
		},
		{
			name: "message lines before the first frame",
			lines: []string{
				"com.example.BadThing: first line",
				"second line of the message",
				"\tat com.example.A.a(A.java:1)",
			},
			want:  []Verdict{N, H, C},
			langs: []string{"", "", "java"},
		},
		{
			name: "a log line naming an exception holds no lines",
			lines: []string{
				"WARN retry failed: java.net.ConnectException: Connection refused",
				"INFO retrying in 5s",
				"\tat com.example.A.a(A.java:1)",
			},
			want:  []Verdict{N, N, N},
			langs: []string{"", "", ""},
		},
		{
			name: "a weak exception line holds no message lines",
			lines: []string{
				"Error: upstream failed",
				"second line",
				"    at handler (/app/x.js:1:2)",
			},
			want:  []Verdict{N, N, N},
			langs: []string{"", "", ""},
		},
		{
			name: "dart message lines",
			lines: []string{
				"Unhandled exception:",
				"FormatException: bad",
				"#0      main (file:///app/bin/x.dart:3:5)",
				"plain",
			},
			want:  []Verdict{N, H, C, N},
			langs: []string{"", "", "dart", ""},
		},
		{
			name: "rust message, then plain",
			lines: []string{
				"thread 'main' panicked at src/main.rs:2:5:",
				"explicit panic",
				"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
				"plain",
			},
			want:  []Verdict{N, C, C, N},
			langs: []string{"", "rust", "rust", ""},
		},
		{
			name: "orphan frames start a trace of their own",
			lines: []string{
				"plain",
				"\tat com.example.A.a(A.java:1)",
				"\tat com.example.B.b(B.java:2)",
			},
			want:  []Verdict{N, N, C},
			langs: []string{"", "", "java"},
		},
		{
			name: "kotlin and dotnet frames decide the language",
			lines: []string{
				"Error: boom",
				"   at Shop.Orders.Save() in /src/Orders.cs:line 5",
				"Exception: boom",
				"\tat com.x.Foo$bar$1.invokeSuspend(Foo.kt:12)",
			},
			want:  []Verdict{N, C, N, C},
			langs: []string{"", "dotnet", "", "java"},
		},
		{
			name: "go http panic",
			lines: []string{
				"2024/05/01 12:00:00 http: panic serving 10.0.0.7:51234: boom",
				"goroutine 24 [running]:",
				"net/http.(*conn).serve.func1()",
				"\t/usr/local/go/src/net/http/server.go:1898 +0xbe",
				"2024/05/01 12:00:01 next request",
			},
			want:  []Verdict{N, C, C, C, N},
			langs: []string{"", "go", "go", "go", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Detector
			for i, l := range tt.lines {
				v := d.Feed([]byte(l))
				if v != tt.want[i] {
					t.Errorf("line %d %q: verdict %d, want %d", i, l, v, tt.want[i])
				}
				if got := d.Language(); got != tt.langs[i] {
					t.Errorf("line %d %q: language %q, want %q", i, l, got, tt.langs[i])
				}
			}
		})
	}
}

// Lines that mention exceptions, panics and frames in passing start no
// trace and continue none: each is a record of its own, none has a
// language.
func TestDetectorDecoys(t *testing.T) {
	decoys := []string{
		"INFO Retrying after Exception in handler",
		"WARN error count: 0",
		"at least once",
		"  at least once per hour",
		"It sounds tympanic: a word which means like a drum.",
		"the operator panicked at the sight of the bill",
		"thread 'worker' started",
		"Error handling was improved in this release",
		"ERROR: disk /dev/sda1 is 95% full",
		"Errors: none",
		"INFO panic mode disabled",
		"fatal error count is zero",
		"goroutine leak check passed",
		"Traceback requested by user",
		`File "notes.txt" saved`,
		"#0 is the first ticket",
		"Unhandled exception: none today",
		"Caused by: a user typo",
		"Exception",
		"INFO exception rate 0.1%",
		"java.lang is a package",
		"Stack trace follows below, maybe",
		"2024/05/01 12:00:00 http: server started",
		"Started GET \"/orders\" for 10.0.0.5 at 2024-05-01 12:00:00 +0000",
		"Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 1.2ms)",
	}
	var d Detector
	recs := frame(&d, decoys)
	if len(recs) != len(decoys) {
		t.Fatalf("%d records for %d decoys:\n%s", len(recs), len(decoys), dump(recs))
	}
	for i, r := range recs {
		if r.lang != "" || r.text() != decoys[i] {
			t.Errorf("record %d: %q [%s], want %q alone", i, r.text(), r.lang, decoys[i])
		}
	}
	// Fed between the lines of a trace, a decoy ends it.
	d.Reset()
	lines := []string{"java.lang.IllegalStateException: boom", "\tat com.example.A.a(A.java:1)"}
	for _, dc := range decoys {
		if strings.HasPrefix(dc, "  at ") {
			continue // an indented "at" line inside a Java trace is taken for a frame
		}
		lines = append(lines, dc, "\tat com.example.A.a(A.java:1)")
	}
	recs = frame(&d, lines)
	if len(recs[0].lines) != 2 {
		t.Errorf("decoy joined the trace: %q", recs[0].lines)
	}
}

// CRLF line endings left on the lines change no verdict.
func TestDetectorCRLF(t *testing.T) {
	files := append(corpusFiles(t), testdataFiles(t)...)
	for _, path := range files {
		lines := readLines(t, path)
		lines = append(append([]string{"plain before"}, lines...), "plain after")
		var a, b Detector
		for i, l := range lines {
			va, vb := a.Feed([]byte(l)), b.Feed([]byte(l+"\r"))
			if va != vb || a.Language() != b.Language() {
				t.Errorf("%s line %d %q: %d %q without CR, %d %q with", filepath.Base(path), i, l, va, a.Language(), vb, b.Language())
				break
			}
		}
	}
}

// Invalid UTF-8 and NUL bytes inside a trace neither end it nor panic.
func TestDetectorBinary(t *testing.T) {
	var d Detector
	lines := []string{
		"java.lang.IllegalStateException: caf\xe9 \x00 \xff\xfe",
		"\tat com.example.Caf\xe9.run(Caf\xe9.java:1)",
		"\tat com.example.\x00.run(\x00.java:2)",
		"\xff\xfe\x00\x00",
	}
	want := []Verdict{New, Continue, Continue, New}
	for i, l := range lines {
		if v := d.Feed([]byte(l)); v != want[i] {
			t.Errorf("line %d: verdict %d, want %d", i, v, want[i])
		}
	}
	junk := [][]byte{nil, {}, {0}, {'\t'}, {'#'}, {'#', '0', ' '}, {0xE2}, []byte("panic: \xff"), []byte("thread '"), []byte("goroutine "),
		[]byte("\tat "), []byte("\tat ("), []byte("\tat )"), []byte("  File \""), []byte(" (x):"), []byte("a:in '"), []byte(":in ')"),
		[]byte("  +"), []byte("  |"), []byte("]:"), []byte(" ]:"), []byte(" [:"), []byte("(0x):"), []byte(" (0x:"), []byte(")"), []byte("):")}
	for _, start := range [][]byte{nil, []byte("panic: x"), []byte("Traceback (most recent call last):"), []byte("Unhandled exception:"),
		[]byte("Error: x"), []byte("java.lang.X: y"), []byte("thread 'main' panicked at src/main.rs:1:1:"), []byte(" X (y):"),
		[]byte("══╡ EXCEPTION CAUGHT BY X ╞══"), []byte("node:internal/x:1"), []byte("PHP Fatal error:  Uncaught X: y"), []byte("#0 /x.php(1): f()")} {
		for _, j := range junk {
			d.Reset()
			d.Feed(start)
			d.Feed(j)
			d.Feed(j)
			if l := d.Language(); l != "" && !knownLanguage(l) {
				t.Errorf("language %q", l)
			}
		}
	}
}

// A 100,000-line trace stays one record.
func TestDetectorLongTrace(t *testing.T) {
	var d Detector
	if d.Feed([]byte("java.lang.StackOverflowError")) != New {
		t.Fatal("start not New")
	}
	line := []byte("\tat com.example.Recursive.call(Recursive.java:12)")
	for i := range 100000 {
		if v := d.Feed(line); v != Continue {
			t.Fatalf("frame %d: verdict %d", i, v)
		}
	}
	if d.Language() != "java" {
		t.Errorf("language %q", d.Language())
	}
	d.Reset()
	d.Feed([]byte("panic: deep"))
	d.Feed([]byte("goroutine 1 [running]:"))
	for i := range 50000 {
		if d.Feed([]byte("main.recurse(...)")) != Continue || d.Feed([]byte("\t/app/main.go:7")) != Continue {
			t.Fatalf("go frame %d ended the trace", i)
		}
	}
}

func TestStrongStart(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"panic: runtime error: index out of range [1] with length 1", true},
		{"panic: boom [recovered]", true},
		{"fatal error: all goroutines are asleep - deadlock!", true},
		{"thread 'main' panicked at src/main.rs:2:5:", true},
		{"thread '<unnamed>' panicked at 'boom', src/lib.rs:9:1", true},
		{"Unhandled exception:", true},
		{"Unhandled exception: ", true},
		{"\tpanic: nested", false},
		{"panic:", false},
		{"panicked at the disco", false},
		{"thread 'main' started", false},
		{"Unhandled exception. System.Exception: x", false},
		{"Traceback (most recent call last):", false},
		{"java.lang.IllegalStateException: x", false},
		{"Exception in thread \"main\" java.lang.Error", true},
		{"Exception in thread main java.lang.Error", false},
		{"\tException in thread \"main\" java.lang.Error", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := StrongStart([]byte(tt.line)); got != tt.want {
			t.Errorf("StrongStart(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// Feed and StrongStart do not allocate.
func TestDetectorAllocs(t *testing.T) {
	var lines [][]byte
	for _, path := range append(corpusFiles(t), testdataFiles(t)...) {
		for _, l := range readLines(t, path) {
			lines = append(lines, []byte(l))
		}
	}
	lines = append(lines, ordinaryLines...)
	var d Detector
	allocs := testing.AllocsPerRun(10, func() {
		for _, l := range lines {
			d.Feed(l)
			StrongStart(l)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

func TestIndexHelpers(t *testing.T) {
	for _, tt := range []struct{ s, sep string }{
		{"", ""}, {"a", ""}, {"", "a"}, {"abc", "c"}, {"abcabc", "bc"}, {"aaa", "aa"}, {"ab", "abc"},
		{"x (y) (z)", " ("}, {"in in in", " in "}, {"::a::b", "::"},
	} {
		if got, want := index([]byte(tt.s), tt.sep), strings.Index(tt.s, tt.sep); got != want {
			t.Errorf("index(%q, %q) = %d, want %d", tt.s, tt.sep, got, want)
		}
		if got, want := lastIndex([]byte(tt.s), tt.sep), strings.LastIndex(tt.s, tt.sep); got != want {
			t.Errorf("lastIndex(%q, %q) = %d, want %d", tt.s, tt.sep, got, want)
		}
	}
}
