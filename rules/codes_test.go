package rules

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tattle-dev/tattle/parsers"
)

func TestTypeMnemonic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"java.lang.NullPointerException", "NPE"},
		{"KeyError", "KE"},
		{"java.lang.IllegalArgumentException", "IAE"},
		{"java.sql.SQLException", "SQLE"},
		{"java.io.IOException", "IOE"},
		{"software.amazon.awssdk.services.s3.model.S3Exception", "S3E"},
		{"OAuth2Exception", "OAE"},
		{"ActiveRecord::RecordNotFound", "RNF"},
		{"System.InvalidOperationException", "IOE"},
		{"TypeError", "TE"},
		{"json.decoder.JSONDecodeError", "JSONDE"},
		{"runtime.boundsError", "BE"},
		{"panic", "PANIC"},
		{"fatal error", "FATAL"},
		{"com.example.Outer$InnerException", "IE"},
		{"List<String>Exception", "L"},
		{"ECONNREFUSED", "ECONNREF"},
		{"Exception", "E"},
		{"VeryLongNameWithManyWordsInsideException", "VLNWMWIE"},
		{"...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TypeMnemonic(tt.in); got != tt.want {
			t.Errorf("TypeMnemonic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMnemonic(t *testing.T) {
	tests := []struct {
		ev   parsers.Event
		want string
	}{
		{parsers.Event{Exception: "java.lang.NullPointerException"}, "NPE"},
		{parsers.Event{Status: 503, Method: "GET"}, "HTTP503"},
		{parsers.Event{Message: "boom"}, "ERR"},
		{parsers.Event{Exception: "..."}, "ERR"},
	}
	for _, tt := range tests {
		if got := Mnemonic(&tt.ev); got != tt.want {
			t.Errorf("Mnemonic(%+v) = %q, want %q", tt.ev, got, tt.want)
		}
	}
}

func TestCodeBookCollisions(t *testing.T) {
	b := NewCodeBook()
	steps := []struct{ prefix, fp, want string }{
		{"NPE", "7f3a000000000001", "NPE-7F3A"},
		{"NPE", "7f3a000000000002", "NPE-7F3A0"},  // collides on 4, extends
		{"NPE", "7f3a000000000001", "NPE-7F3A"},   // first come keeps the short code
		{"NPE", "7f3a0b0000000000", "NPE-7F3A0B"}, // collides on 4 and 5
		{"KE", "7f3a000000000003", "KE-7F3A"},     // another prefix: no collision
		{"NPE", "7f3a000000000002", "NPE-7F3A0"},
	}
	for i, s := range steps {
		if got := b.Code(s.prefix, s.fp); got != s.want {
			t.Errorf("step %d: Code(%s, %s) = %s, want %s", i, s.prefix, s.fp, got, s.want)
		}
	}
	if got := strings.Join(b.codesOf(), " "); got != "KE-7F3A NPE-7F3A NPE-7F3A0 NPE-7F3A0B" {
		t.Errorf("codes = %s", got)
	}

	// A reserved code (a rule's own) is never given out.
	r := NewCodeBook()
	r.Reserve("DB-ABCD")
	if got := r.Code("DB", "abcd123400000000"); got != "DB-ABCD1" {
		t.Errorf("reserved: got %s", got)
	}
	// A fingerprint whose every prefix is taken still gets a code of its own.
	r.Reserve("X-AB")
	r.Reserve("X-ABC")
	if got := r.Code("X", "ab"); got != "X-AB-2" {
		t.Errorf("exhausted: got %s", got)
	}
	if got := r.Code("X", "abc"); got != "X-ABC-2" {
		t.Errorf("exhausted: got %s", got)
	}
}

func TestCodeBookExportImport(t *testing.T) {
	b := NewCodeBook()
	b.Code("NPE", "7f3a000000000001")
	b.Code("NPE", "7f3a000000000002")
	b.Code("ERR", "0123456789abcdef")
	saved := b.Export()
	want := map[string]string{"7f3a000000000001": "NPE-7F3A", "7f3a000000000002": "NPE-7F3A0", "0123456789abcdef": "ERR-0123"}
	if !reflect.DeepEqual(saved, want) {
		t.Fatalf("Export = %v", saved)
	}
	// After a restart the second fingerprint keeps its long code, even if
	// it arrives first.
	n := NewCodeBook()
	if err := n.Import(saved); err != nil {
		t.Fatal(err)
	}
	if got := n.Code("NPE", "7f3a000000000002"); got != "NPE-7F3A0" {
		t.Errorf("after import: %s", got)
	}
	if got := n.Code("NPE", "7f3a000000000003"); got != "NPE-7F3A00" {
		t.Errorf("new after import: %s", got)
	}
	if n.Len() != 4 {
		t.Errorf("Len = %d", n.Len())
	}

	bad := []struct {
		name string
		m    map[string]string
		want string
	}{
		{"shared code", map[string]string{"aa": "X-AA", "bb": "X-AA"}, "code book: code X-AA is given to both aa and bb"},
		{"other code", map[string]string{"7f3a000000000001": "NPE-1"}, "code book: fingerprint 7f3a000000000001 has code NPE-7F3A, not NPE-1"},
		{"taken", map[string]string{"ffff": "NPE-7F3A"}, "code book: code NPE-7F3A is already taken"},
		{"empty", map[string]string{"": "X"}, "code book: empty fingerprint or code"},
	}
	for _, tt := range bad {
		err := n.Import(tt.m)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Import = %v, want %s", tt.name, err, tt.want)
		}
	}
	if n.Len() != 4 {
		t.Errorf("a failed import changed the book: Len = %d", n.Len())
	}
}

func TestCodeBookBounded(t *testing.T) {
	b := NewCodeBook()
	b.Max = 2
	b.Code("A", "1111aaaa")
	b.Code("A", "2222aaaa")
	if got := b.Code("A", "3333aaaa"); got != "A-3333" {
		t.Errorf("past Max: %s", got)
	}
	if b.Len() != 2 {
		t.Errorf("Len = %d, want 2", b.Len())
	}
}

func TestCodeBookConcurrent(t *testing.T) {
	b := NewCodeBook()
	var wg sync.WaitGroup
	codes := make([][]string, 4)
	for w := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				fp := strings.Repeat("ab", 2) + string(rune('a'+i%26)) + strings.Repeat("0", 11) + string(rune('a'+i/26))
				codes[w] = append(codes[w], b.Code("E", fp))
			}
		}()
	}
	wg.Wait()
	for w := 1; w < len(codes); w++ {
		if !reflect.DeepEqual(codes[w], codes[0]) {
			t.Fatal("workers saw different codes for the same fingerprints")
		}
	}
	seen := map[string]bool{}
	for _, c := range codes[0] {
		seen[c] = true
	}
	if len(seen) != 200 {
		t.Errorf("%d distinct codes for 200 fingerprints", len(seen))
	}
}
