package traces

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// seed adds every corpus and testdata sample to f, alone and between plain
// lines.
func seed(f *testing.F) {
	for _, path := range append(corpusFiles(f), testdataFiles(f)...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add([]byte("plain before\n" + string(data) + "plain after\n"))
	}
	f.Add([]byte("Exception: foo\n\nplain\n"))
	f.Add([]byte("panic: x\r\n\r\ngoroutine 1 [running]:\r\nmain.main()\r\n\t/x.go:1 +0x1\r\n"))
	f.Add([]byte("\xff\xfe\x00\tat \x00(\xff.java:1)\n#0 \xff\n  | \xff\n"))
}

func FuzzDetector(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d, cr Detector
		holds := 0
		for _, line := range bytes.Split(data, []byte("\n")) {
			v := d.Feed(line)
			// The same line with a CR left on it is read the same way.
			if vc := cr.Feed(append(line[:len(line):len(line)], '\r')); vc != v || cr.Language() != d.Language() {
				t.Fatalf("%q: verdict %d %q, with CR %d %q", line, v, d.Language(), vc, cr.Language())
			}
			lang := d.Language()
			switch v {
			case New:
				holds = 0
				if lang != "" {
					t.Fatalf("%q: New with language %q", line, lang)
				}
			case Continue:
				holds = 0
				if !knownLanguage(lang) {
					t.Fatalf("%q: Continue with language %q", line, lang)
				}
			case Hold:
				holds++
				if holds > maxDartMsg {
					t.Fatalf("%d lines held in a row", holds)
				}
				if lang != "" && !knownLanguage(lang) {
					t.Fatalf("%q: language %q", line, lang)
				}
			default:
				t.Fatalf("%q: verdict %d", line, v)
			}
			StrongStart(line)
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lang := range []string{"", "java", "python", "go", "js", "ruby", "php", "dotnet", "dart", "rust"} {
			tr := Analyze(data, Options{Language: lang, InApp: InApp{Prefixes: []string{"com.example.", "/app/"}}})
			if tr == nil {
				continue
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			if len(tr.Frames) > lines {
				t.Fatalf("%d frames in %d lines", len(tr.Frames), lines)
			}
			if tr.Primary < 0 || tr.Primary > len(tr.Frames) {
				t.Fatalf("primary %d of %d frames", tr.Primary, len(tr.Frames))
			}
			if !knownLanguage(tr.Language) || lang != "" && tr.Language != lang {
				t.Fatalf("language %q (asked %q)", tr.Language, lang)
			}
			for _, s := range append([]string{tr.Exception, tr.Message}, tr.Causes...) {
				if strings.ContainsAny(s, "\n") {
					t.Fatalf("multi-line field %q", s)
				}
			}
			for _, c := range tr.Causes {
				if c == "" {
					t.Fatal("empty cause")
				}
			}
		}
	})
}
