package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The structured formats' own samples are checked against goldens; run
// `go test ./parsers -run TestStructuredGolden -update-structured` to
// rewrite them, and read the diff.

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
