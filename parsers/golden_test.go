package parsers

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/formats")

// TestGoldens frames every testdata/formats/*.log with the format its name
// starts with (json-<preset>.log names its preset; json-generic.log none)
// and compares the records with the .golden file beside it; -update
// rewrites them. Auto-detection must pick that format and frame the file
// the same way.
func TestGoldens(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "formats", "*.log"))
	if err != nil || len(files) < 30 {
		t.Fatalf("found %d sample logs: %v", len(files), err)
	}
	// Access logs of both servers read the same; nginx comes first in
	// detectOrder and wins the tie.
	detectAs := map[string]string{"apache-access.log": "nginx"}
	for _, file := range files {
		name := filepath.Base(file)
		format, rest, _ := strings.Cut(strings.TrimSuffix(name, ".log"), "-")
		opts := Options{Format: format}
		if format == "json" && rest != "generic" {
			opts.Preset = rest
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := dumpRecords(t, opts, data)
			golden := strings.TrimSuffix(file, ".log") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("records differ from %s (go test -run TestGoldens -update rewrites it)\n got:\n%s\nwant:\n%s", golden, got, want)
			}

			detected := ""
			auto := dumpRecords(t, Options{OnDetect: func(f string, _ int) { detected = f }}, data)
			wantDetect := format
			if d, ok := detectAs[name]; ok {
				wantDetect = d
			}
			if outer, _, _ := strings.Cut(detected, "+"); outer != wantDetect {
				t.Errorf("auto-detection picked %q, want %q", detected, wantDetect)
			}
			if auto != got {
				t.Errorf("auto-detected framing differs:\n%s", auto)
			}
		})
	}
}

// dumpRecords frames data and writes each record: a line with its first
// and last physical lines and its fields, its named fields, then every
// line of its text.
func dumpRecords(t *testing.T, opts Options, data []byte) string {
	t.Helper()
	var b strings.Builder
	p, err := New(opts, func(r *Record) {
		fmt.Fprintf(&b, "%d-%d", r.Line, r.EndLine)
		if r.Headerless {
			b.WriteString(" headerless")
		}
		if lv := r.Level.String(); lv != "" {
			b.WriteString(" " + lv)
		}
		if r.Status != 0 {
			fmt.Fprintf(&b, " status=%d method=%s path=%q", r.Status, r.Method(), r.Path())
		}
		if r.DurationMS >= 0 {
			fmt.Fprintf(&b, " ms=%g", r.DurationMS)
		}
		if v := r.Logger(); len(v) > 0 {
			fmt.Fprintf(&b, " logger=%q", v)
		}
		if v := r.Thread(); len(v) > 0 {
			fmt.Fprintf(&b, " thread=%q", v)
		}
		if tm, ok := r.Time(); ok {
			fmt.Fprintf(&b, " time=%s", tm.UTC().Format(time.RFC3339Nano))
		} else if v := r.TimeText(); len(v) > 0 {
			fmt.Fprintf(&b, " time=%q", v)
		}
		if r.Truncated {
			b.WriteString(" truncated")
		}
		fmt.Fprintf(&b, " msg=%q\n", firstLine(r.Message()))
		for _, f := range r.fields {
			fmt.Fprintf(&b, "  field %s=%q\n", f.key, r.get(f.v))
		}
		for _, line := range strings.Split(string(r.Text), "\n") {
			fmt.Fprintf(&b, "  | %s\n", line)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	feedParser(p, data)
	return b.String()
}

// feedParser feeds data to p line by line and flushes it.
func feedParser(p *Parser, data []byte) {
	lr := NewLineReader(bytes.NewReader(data), 0)
	for {
		l, err := lr.Next()
		if err != nil {
			break
		}
		p.Feed(l)
	}
	p.Flush()
}
