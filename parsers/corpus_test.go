package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds test data copied from other projects (see its SOURCES.md).
const corpusDir = "../testdata/corpus"

func corpusLanguage(name string) string {
	for prefix, lang := range map[string]string{
		"java_": "java", "complex_java": "java", "nested_java": "java",
		"node_js": "js", "client_js": "js", "v8_js": "js",
		"python": "python", "php": "php", "go_": "go", "csharp": "dotnet",
		"ruby": "ruby", "rails": "ruby", "dart_": "dart",
	} {
		if strings.HasPrefix(name, prefix) {
			return lang
		}
	}
	return ""
}

type framed struct {
	Line, End int64
	Lang      string
	Lines     int
	Text      string
}

func parseAll(t *testing.T, opts Options, data []byte) ([]framed, string) {
	t.Helper()
	var out []framed
	p, err := New(opts, func(r *Record) {
		lang := r.Language
		if lang == "" && r.Lines > 1 {
			// a trace attached to a record with a header
			if tr := r.Trace(); tr != nil {
				lang = tr.Language
			}
		}
		out = append(out, framed{r.Line, r.EndLine, lang, r.Lines, string(r.Text)})
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
	return out, p.Format()
}

// Every sample of fluent-plugin-detect-exceptions comes out as exactly one
// record holding all its lines, with the right language, alone and between
// two ordinary lines; the negative sample gives no trace.
func TestCorpusDetectExceptions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "detect-exceptions", "*.txt"))
	if err != nil || len(files) < 40 {
		t.Fatalf("corpus not found (%d files, %v): see testdata/corpus/SOURCES.md", len(files), err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		if name == "java_exc_part1.txt" || name == "java_exc_part2.txt" {
			continue // halves of java_exc.txt, which is tested whole
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lang := corpusLanguage(name)
		t.Run(name, func(t *testing.T) {
			lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
			for _, wrap := range []bool{false, true} {
				in := string(data)
				offset := int64(0)
				before, after := "plain before", "plain after"
				if strings.HasPrefix(in, "2019/01/15 07:48:05 ") {
					// go_http.txt is a Go log line with a header: in a
					// log with headers a plain line after the trace
					// would continue it (SPEC), so the neighbours are
					// records with headers of the same format.
					before, after = "2019/01/15 07:48:04 before", "2019/01/15 07:48:06 after"
				}
				if wrap {
					in = before + "\n" + strings.TrimRight(in, "\n") + "\n" + after + "\n"
					offset = 1
				}
				recs, format := parseAll(t, Options{Format: "auto"}, []byte(in))
				var traced []framed
				for _, r := range recs {
					if r.Lang != "" {
						traced = append(traced, r)
					}
				}
				if lang == "" {
					if len(traced) != 0 {
						t.Fatalf("wrap=%v: negative sample gave traces %+v", wrap, traced)
					}
					continue
				}
				if len(traced) != 1 {
					t.Fatalf("wrap=%v format %s: %d traces, want 1: %+v", wrap, format, len(traced), recs)
				}
				tr := traced[0]
				if tr.Lang != lang {
					t.Errorf("wrap=%v: language %q, want %q", wrap, tr.Lang, lang)
				}
				first := firstNonBlank(lines)
				if tr.Line != int64(first+1)+offset || tr.End != int64(len(lines))+offset {
					t.Errorf("wrap=%v: trace lines %d-%d, want %d-%d", wrap, tr.Line, tr.End, int64(first+1)+offset, int64(len(lines))+offset)
				}
				if wrap {
					if recs[0].Text != before || recs[len(recs)-1].Text != after {
						t.Errorf("plain lines swallowed: first %q last %q", recs[0].Text, recs[len(recs)-1].Text)
					}
					if len(recs) != 3 {
						t.Errorf("%d records, want 3", len(recs))
					}
				}
			}
		})
	}
}

func firstNonBlank(lines []string) int {
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			return i
		}
	}
	return 0
}
