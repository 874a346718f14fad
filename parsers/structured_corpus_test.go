package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The structured formats' own samples are checked against goldens; run
// `go test ./parsers -run TestStructuredGolden -update-structured` to
// rewrite them, and read the diff.
var updateStructured = flag.Bool("update-structured", false, "rewrite the goldens of testdata/formats/{json,docker,cri}*")

// fluentBitDir holds Fluent Bit's tail test data (see SOURCES.md).
const fluentBitDir = "../testdata/corpus/fluent-bit"

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// outValues reads the string field key of each JSON line of a Fluent Bit
// .out file.
func outValues(t *testing.T, path, key string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, path)))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		s, ok := m[key].(string)
		if !ok {
			t.Fatalf("%s: no string %q in %s", path, key, sc.Bytes())
		}
		out = append(out, s)
	}
	return out
}

// Fluent Bit's docker mode samples: the records are the joined lines of the
// .out file, with the format named and detected. Two samples also expect
// lines without a date to join the dated line above them ("first line
// detection"), which needs an inner header format that reads a line
// starting with a bare date as a header.
func TestFluentBitDocker(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fluentBitDir, "dockermode*.log"))
	if err != nil || len(files) != 5 {
		t.Fatalf("found %d dockermode samples (%v), want 5", len(files), err)
	}
	for _, file := range files {
		want := outValues(t, strings.TrimSuffix(file, ".log")+".out", "log")
		for i := range want {
			want[i] = strings.TrimSuffix(want[i], "\n")
		}
		for _, format := range []string{"docker", "auto"} {
			t.Run(filepath.Base(file)+"/"+format, func(t *testing.T) {
				recs, st, name := parseStructured(t, Options{Format: format}, string(readFile(t, file)))
				if !strings.HasPrefix(name, "docker+") {
					t.Errorf("format = %q", name)
				}
				if st.ParseErrors != 0 {
					t.Errorf("ParseErrors = %d", st.ParseErrors)
				}
				var got []string
				for _, r := range recs {
					got = append(got, r.Text)
				}
				if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
					t.Errorf("records\n%q\nwant\n%q", got, want)
				}
			})
		}
	}
}

// Fluent Bit's multiline_001: a Java trace logged one line per JSON record
// is one record, its messages joined.
func TestFluentBitJSONMultiline(t *testing.T) {
	file := filepath.Join(fluentBitDir, "multiline_001.log")
	want := outValues(t, filepath.Join(fluentBitDir, "multiline_001.out"), "message")
	if len(want) != 1 {
		t.Fatalf("multiline_001.out has %d records, want 1", len(want))
	}
	for _, format := range []string{"json", "auto"} {
		t.Run(format, func(t *testing.T) {
			recs, st, _ := parseStructured(t, Options{Format: format}, string(readFile(t, file)))
			if st.ParseErrors != 0 {
				t.Errorf("ParseErrors = %d", st.ParseErrors)
			}
			if len(recs) != 1 || recs[0].Text != want[0] {
				t.Fatalf("records:\n%s\nwant one with text %q", dumpRecs(recs), want[0])
			}
			r := recs[0]
			if r.Line != 1 || r.End != 6 || r.Time != "2006-07-28T13:22:04Z" || r.Fields != "key1=12345 key2=abc" {
				t.Errorf("record %#v", r)
			}
		})
	}
}

// goldenDump writes the records of one input the way the goldens hold
// them: a line of fields per record, then its text, indented.
func goldenDump(t *testing.T, opts Options, input []byte) string {
	t.Helper()
	var b strings.Builder
	p, err := New(opts, func(r *Record) {
		fmt.Fprintf(&b, "record %d-%d", r.Line, r.EndLine)
		if l := r.Level.String(); l != "" {
			fmt.Fprintf(&b, " level=%s", l)
		}
		if tm, ok := r.Time(); ok {
			fmt.Fprintf(&b, " time=%s", tm.UTC().Format(time.RFC3339Nano))
		}
		for _, kv := range []struct {
			k string
			v []byte
		}{{"logger", r.Logger()}, {"thread", r.Thread()}} {
			if len(kv.v) > 0 {
				fmt.Fprintf(&b, " %s=%q", kv.k, kv.v)
			}
		}
		if r.Truncated {
			b.WriteString(" truncated")
		}
		b.WriteString("\n")
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
	lr := NewLineReader(bytes.NewReader(input), 0)
	for {
		l, err := lr.Next()
		if err != nil {
			break
		}
		p.Feed(l)
	}
	p.Flush()
	st := p.Stats()
	fmt.Fprintf(&b, "format %s, %d records, %d parse errors\n", p.Format(), st.Records, st.ParseErrors)
	return b.String()
}

// Each sample of testdata/formats/{json,docker,cri}-*.log frames as its
// golden says, with the format named (json files name their preset:
// json-<preset>.log, json-generic.log for none) and detected.
func TestStructuredGolden(t *testing.T) {
	var files []string
	for _, pat := range []string{"json-*.log", "docker-*.log", "cri-*.log"} {
		m, err := filepath.Glob(filepath.Join("testdata", "formats", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 8 {
		t.Fatalf("found %d samples, want at least 8", len(files))
	}
	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), ".log")
		t.Run(base, func(t *testing.T) {
			kind, rest, _ := strings.Cut(base, "-")
			opts := Options{Format: kind}
			if kind == "json" && rest != "generic" {
				opts.Preset = rest
			}
			input := readFile(t, file)
			got := goldenDump(t, opts, input)
			golden := strings.TrimSuffix(file, ".log") + ".golden"
			if *updateStructured {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := string(readFile(t, golden)); got != want {
				t.Errorf("%s differs from %s:\n%s", file, golden, got)
			}
			// Auto-detection frames the same records: the generic JSON
			// mapping reads the keys of these presets too. (The last
			// line, the format's name, is checked elsewhere.)
			auto := goldenDump(t, Options{Format: "auto"}, input)
			if records(auto) != records(got) {
				t.Errorf("auto-detected:\n%s", auto)
			}
		})
	}
}

// records drops the last line of a golden dump.
func records(dump string) string {
	dump = strings.TrimSuffix(dump, "\n")
	if i := strings.LastIndexByte(dump, '\n'); i >= 0 {
		return dump[:i]
	}
	return ""
}
