//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func keyOfPath(t *testing.T, path string) FileKey {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := KeyOf(f)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func matchesPath(t *testing.T, k FileKey, path string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ok, err := k.Matches(f)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestKeyOf(t *testing.T) {
	line := "2024-05-01 12:00:00 ERROR boom\n"
	cases := []struct {
		name    string
		content string
		headLen int
	}{
		{"empty", "", 0},
		{"short", "hello\n", 6},
		{"exactly the head", strings.Repeat("x", HeadBytes), HeadBytes},
		{"long", strings.Repeat(line, 100), HeadBytes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			writeFile(t, path, c.content)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Seek(3, 0); err != nil {
				t.Fatal(err)
			}
			k, err := KeyOf(f)
			if err != nil {
				t.Fatal(err)
			}
			var st syscall.Stat_t
			if err := syscall.Stat(path, &st); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(c.content[:c.headLen]))
			want := FileKey{Dev: uint64(st.Dev), Ino: uint64(st.Ino), HeadLen: c.headLen, Head: hex.EncodeToString(sum[:16])}
			if k != want {
				t.Fatalf("KeyOf = %+v, want %+v", k, want)
			}
			if pos, _ := f.Seek(0, 1); pos != 3 {
				t.Fatalf("KeyOf moved the file offset to %d", pos)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	head := strings.Repeat("2024-05-01 12:00:00 INFO started\n", 40) // > HeadBytes
	cases := []struct {
		name    string
		initial string
		change  func(t *testing.T, path string) string // returns the path to check
		want    bool
	}{
		{"unchanged", head, func(t *testing.T, p string) string { return p }, true},
		{"renamed", head, func(t *testing.T, p string) string {
			if err := os.Rename(p, p+".1"); err != nil {
				t.Fatal(err)
			}
			return p + ".1"
		}, true},
		{"grown", head, func(t *testing.T, p string) string {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteString(strings.Repeat("more\n", 1000))
			return p
		}, true},
		{"short file grown", "first line\n", func(t *testing.T, p string) string {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteString(head)
			return p
		}, true},
		{"new file at the same path", head, func(t *testing.T, p string) string {
			// logrotate's create: the old file moves away, a new one with
			// the same first bytes takes its name.
			if err := os.Rename(p, p+".1"); err != nil {
				t.Fatal(err)
			}
			writeFile(t, p, head)
			return p
		}, false},
		{"same inode, other first bytes", head, func(t *testing.T, p string) string {
			// A file truncated and rewritten in place keeps its inode; as
			// does a freed inode reused for a new file.
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteAt([]byte("2024-05-02"), 0)
			return p
		}, false},
		{"same inode, other byte just inside the head", head, func(t *testing.T, p string) string {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteAt([]byte("#"), HeadBytes-1)
			return p
		}, false},
		{"same inode, other byte just past the head", head, func(t *testing.T, p string) string {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteAt([]byte("#"), HeadBytes)
			return p
		}, true},
		{"shrank below the head", head, func(t *testing.T, p string) string {
			if err := os.Truncate(p, 100); err != nil {
				t.Fatal(err)
			}
			return p
		}, false},
		{"truncated to nothing", head, func(t *testing.T, p string) string {
			if err := os.Truncate(p, 0); err != nil {
				t.Fatal(err)
			}
			return p
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			writeFile(t, path, c.initial)
			k := keyOfPath(t, path)
			check := c.change(t, path)
			if got := matchesPath(t, k, check); got != c.want {
				t.Fatalf("Matches = %v, want %v", got, c.want)
			}
		})
	}
}

func TestFindByKey(t *testing.T) {
	dir := t.TempDir()
	content := strings.Repeat("GET /api/orders/17 500\n", 100)
	path := filepath.Join(dir, "access.log")
	writeFile(t, path, content)
	k := keyOfPath(t, path)
	// Rotated while tattle was down: renamed, and a new file created.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, content)
	writeFile(t, path+".2", content)

	cases := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"rotated name", []string{path, path + ".2", path + ".1"}, path + ".1"},
		{"missing candidates skipped", []string{filepath.Join(dir, "gone.log"), path + ".1"}, path + ".1"},
		{"not among the candidates", []string{path, path + ".2"}, ""},
		{"directory", []string{dir}, ""},
		{"none", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok, err := FindByKey(k, c.candidates)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want || ok != (c.want != "") {
				t.Fatalf("FindByKey = %q, %v; want %q", got, ok, c.want)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	at := time.Date(2024, 5, 1, 12, 0, 0, 123456789, time.UTC)
	a := Position{Path: "/var/log/api/b.log", Key: FileKey{Dev: 0x803, Ino: 42, HeadLen: 1024, Head: strings.Repeat("ab", 16)},
		Offset: 4096, Line: 77, Updated: at}
	b := Position{Path: "/var/log/api/a.log", Key: FileKey{Dev: 0x803, Ino: 43, HeadLen: 10, Head: strings.Repeat("cd", 16)},
		Offset: 10, Line: 1, Updated: at.Add(time.Second)}
	c := Position{Path: "/var/log/api/c.log", Key: FileKey{Dev: 0x803, Ino: 44, HeadLen: 0, Head: strings.Repeat("ef", 16)},
		Updated: at.Add(2 * time.Second)}
	for _, p := range []Position{a, b, c} {
		if err := s.SetPosition(p); err != nil {
			t.Fatal(err)
		}
	}
	a.Offset, a.Line = 8192, 150 // a later commit replaces the first
	if err := s.SetPosition(a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePosition(c.Key); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPosition(Position{Path: "x", Offset: -1}); err == nil || err.Error() != "set position of x: negative offset -1 or line 0" {
		t.Fatalf("negative offset: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, dir, Options{})
	defer s.Close()
	got, err := s.Positions()
	if err != nil {
		t.Fatal(err)
	}
	if want := []Position{b, a}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Positions = %+v\nwant        %+v", got, want)
	}
	if p, ok, err := s.Position(a.Key); err != nil || !ok || !reflect.DeepEqual(p, a) {
		t.Fatalf("Position(a) = %+v, %v, %v", p, ok, err)
	}
	if _, ok, err := s.Position(c.Key); err != nil || ok {
		t.Fatalf("Position(deleted) = %v, %v", ok, err)
	}
	raw, _ := s.Get(OffsetsSection, a.Key.String())
	if want := `{"path":"/var/log/api/b.log","dev":2051,"ino":42,"head_len":1024,"head":"` + a.Key.Head +
		`","offset":8192,"line":150,"updated":"2024-05-01T12:00:00.123456789Z"}`; string(raw) != want {
		t.Fatalf("stored value = %s\nwant           %s", raw, want)
	}
	if a.Key.String() != "803:2a:1024:"+a.Key.Head {
		t.Fatalf("key = %s", a.Key)
	}
	// A value that is not a position is an error, not a silent skip.
	mustPut(t, s, OffsetsSection, "bogus", "{}")
	if _, err := s.Positions(); err == nil || err.Error() != "position bogus: value is for key 0:0:0:" {
		t.Fatalf("Positions with a bad value: %v", err)
	}
}
