package store

import (
	"encoding/binary"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// abandon drops a store the way a crash does: no flush, no checkpoint;
// files closed and the lock released (the kernel does both for a dead
// process). Buffered records are lost, as they would be.
func (s *Store) abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jf.Close()
	unlockDir(s.lock)
	s.closed = true
}

// dump returns the whole state as section -> key -> value.
func dump(s *Store) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, sec := range s.Sections() {
		m := map[string]string{}
		for _, kv := range s.List(sec) {
			m[kv.Key] = string(kv.Value)
		}
		out[sec] = m
	}
	return out
}

func mustOpen(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func mustPut(t testing.TB, s *Store, section, key, value string) {
	t.Helper()
	if err := s.Put(section, key, []byte(value)); err != nil {
		t.Fatalf("Put(%q, %q): %v", section, key, err)
	}
}

func mustSync(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Sync(); err != nil {
		t.Fatalf("Sync: %v", err)
	}
}

// dirFiles returns the contents of every file in dir except the lock file.
func dirFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		if e.Name() == lockName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func writeFiles(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func fileNames(files map[string][]byte) []string {
	names := []string{}
	for n := range maps.Keys(files) {
		names = append(names, n)
	}
	return names
}

// span is where one frame lies in a file.
type span struct{ off, end int }

// frameSpans walks a state file by its length fields alone, independently
// of the reader under test.
func frameSpans(t testing.TB, b []byte) []span {
	t.Helper()
	var out []span
	for off := magicLen; off < len(b); {
		if off+frameHeadLen > len(b) {
			t.Fatalf("frameSpans: partial header at %d", off)
		}
		end := off + frameHeadLen + int(binary.LittleEndian.Uint32(b[off:]))
		if end > len(b) {
			t.Fatalf("frameSpans: frame at %d runs to %d, past %d", off, end, len(b))
		}
		out = append(out, span{off, end})
		off = end
	}
	return out
}
