package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

type op struct {
	del          bool
	section, key string
	value        string
}

func apply(t *testing.T, s *Store, ops []op) {
	t.Helper()
	for _, o := range ops {
		var err error
		if o.del {
			err = s.Delete(o.section, o.key)
		} else {
			err = s.Put(o.section, o.key, []byte(o.value))
		}
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	big := strings.Repeat("trace line\n", 20000) // larger than the write buffer
	cases := []struct {
		name string
		ops  []op
		want map[string]map[string]string
	}{
		{"empty", nil, map[string]map[string]string{}},
		{"one", []op{{section: "offsets", key: "a", value: "1"}},
			map[string]map[string]string{"offsets": {"a": "1"}}},
		{"overwrite", []op{
			{section: "codes", key: "NPE-7F3A", value: "v1"},
			{section: "codes", key: "NPE-7F3A", value: "v2"},
		}, map[string]map[string]string{"codes": {"NPE-7F3A": "v2"}}},
		{"delete", []op{
			{section: "outbox", key: "1", value: "x"},
			{section: "outbox", key: "2", value: "y"},
			{del: true, section: "outbox", key: "1"},
			{del: true, section: "outbox", key: "missing"},
		}, map[string]map[string]string{"outbox": {"2": "y"}}},
		{"delete last empties section", []op{
			{section: "silences", key: "DB-CONN", value: "2h"},
			{del: true, section: "silences", key: "DB-CONN"},
		}, map[string]map[string]string{}},
		{"empty key and value, binary bytes", []op{
			{section: "s", key: "", value: ""},
			{section: "s", key: "\x00\xff\n", value: "\x00\x01\xfe invalid \xc3\x28"},
		}, map[string]map[string]string{"s": {"": "", "\x00\xff\n": "\x00\x01\xfe invalid \xc3\x28"}}},
		{"big value", []op{{section: "outbox", key: "n1", value: big}},
			map[string]map[string]string{"outbox": {"n1": big}}},
	}
	// How the store is left before it is opened again.
	endings := []struct {
		name string
		end  func(t *testing.T, s *Store)
	}{
		{"close", func(t *testing.T, s *Store) {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"sync then crash", func(t *testing.T, s *Store) { mustSync(t, s); s.abandon() }},
		{"checkpoint then crash", func(t *testing.T, s *Store) {
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			s.abandon()
		}},
	}
	for _, c := range cases {
		for _, e := range endings {
			t.Run(c.name+"/"+e.name, func(t *testing.T) {
				dir := t.TempDir()
				s := mustOpen(t, dir, Options{})
				apply(t, s, c.ops)
				if got := dump(s); !reflect.DeepEqual(got, c.want) {
					t.Fatalf("live state = %q, want %q", got, c.want)
				}
				e.end(t, s)
				s2 := mustOpen(t, dir, Options{})
				defer s2.Close()
				if got := dump(s2); !reflect.DeepEqual(got, c.want) {
					t.Fatalf("reopened state = %q, want %q", got, c.want)
				}
				if r := s2.Recovery(); len(r.Torn) != 0 {
					t.Fatalf("torn tails after a clean end: %v", r.Torn)
				}
			})
		}
	}
}

func TestManySections(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{MaxJournalRecords: 500})
	want := map[string]map[string]string{}
	for i := range 40 {
		sec := fmt.Sprintf("section-%02d", i)
		want[sec] = map[string]string{}
		for j := range 30 {
			k, v := fmt.Sprintf("k%03d", j), fmt.Sprintf("v-%d-%d", i, j)
			mustPut(t, s, sec, k, v)
			want[sec][k] = v
		}
		mustSync(t, s) // crosses MaxJournalRecords: compacts along the way
	}
	if st := s.Stats(); st.Entries != 1200 || st.JournalRecords >= 500 {
		t.Fatalf("Stats = %+v, want 1200 entries and a compacted journal", st)
	}
	s.abandon()
	s = mustOpen(t, dir, Options{})
	defer s.Close()
	if got := dump(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("state differs after reopen")
	}
	kvs := s.List("section-07")
	if len(kvs) != 30 || kvs[0].Key != "k000" || kvs[29].Key != "k029" || string(kvs[3].Value) != "v-7-3" {
		t.Fatalf("List = %d entries starting %q", len(kvs), kvs[0].Key)
	}
	if secs := s.Sections(); len(secs) != 40 || !slices.IsSorted(secs) {
		t.Fatalf("Sections = %v", secs)
	}
}

func TestCopies(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{})
	defer s.Close()
	v := []byte("abc")
	if err := s.Put("s", "k", v); err != nil {
		t.Fatal(err)
	}
	v[0] = 'X' // the caller reuses its buffer
	got, ok := s.Get("s", "k")
	if !ok || string(got) != "abc" {
		t.Fatalf("Get = %q, %v; want abc", got, ok)
	}
	got[1] = 'Y'
	if again, _ := s.Get("s", "k"); string(again) != "abc" {
		t.Fatalf("Get after modifying a returned value = %q", again)
	}
	s.List("s")[0].Value[0] = 'Z'
	if again, _ := s.Get("s", "k"); string(again) != "abc" {
		t.Fatalf("Get after modifying a listed value = %q", again)
	}
	if _, ok := s.Get("s", "other"); ok {
		t.Fatal("Get of a missing key reported ok")
	}
}

func TestUnsyncedChangesArePrefix(t *testing.T) {
	// With a large buffer nothing after the last Sync reaches the file.
	// With a 16-byte buffer the 19-byte frames reach it in 16-byte pieces:
	// after k2's Sync the buffer is empty; k3 (19) and k4's header (12) fill
	// it at 3+12 = 15, and the first byte of k4's payload makes it flush, so
	// the file holds k3 whole and 13 bytes of k4: a torn tail. Both are
	// prefixes of the changes.
	cases := []struct {
		name   string
		buffer int
		want   []string
		torn   string
	}{
		{"buffered", 1 << 20, []string{"k1", "k2"}, ""},
		{"written through", 16, []string{"k1", "k2", "k3"}, "file ends inside the record (13 of 19 bytes)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpen(t, dir, Options{BufferSize: c.buffer})
			mustPut(t, s, "s", "k1", "1")
			mustPut(t, s, "s", "k2", "2")
			mustSync(t, s)
			mustPut(t, s, "s", "k3", "3")
			mustPut(t, s, "s", "k4", "4")
			s.abandon()
			s = mustOpen(t, dir, Options{})
			defer s.Close()
			var keys []string
			for _, kv := range s.List("s") {
				keys = append(keys, kv.Key)
			}
			if !slices.Equal(keys, c.want) {
				t.Fatalf("keys = %v, want %v", keys, c.want)
			}
			torn := s.Recovery().Torn
			switch {
			case c.torn == "" && len(torn) != 0:
				t.Fatalf("torn = %v, want none", torn)
			case c.torn != "" && (len(torn) != 1 || torn[0].Reason != c.torn):
				t.Fatalf("torn = %v, want one with reason %q", torn, c.torn)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{MaxKeySize: 8, MaxValueSize: 16})
	defer s.Close()
	cases := []struct {
		name         string
		section, key string
		value        int
		want         string
	}{
		{"ok at limits", strings.Repeat("s", MaxSectionSize), "12345678", 16, ""},
		{"empty section", "", "k", 1, `put "k": empty section name`},
		{"section", strings.Repeat("s", MaxSectionSize+1), "k", 1,
			"put: section name of 65 bytes exceeds 64 bytes (MaxSectionSize): too large"},
		{"key", "sec", "123456789", 1,
			`put sec/"123456789": key of 9 bytes exceeds 8 bytes (Options.MaxKeySize): too large`},
		{"value", "sec", "k", 17,
			`put sec/"k": value of 17 bytes exceeds 16 bytes (Options.MaxValueSize): too large`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Put(c.section, c.key, make([]byte, c.value))
			if c.want == "" {
				if err != nil {
					t.Fatalf("Put: %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("Put error = %v, want %q", err, c.want)
			}
			if c.section != "" && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("errors.Is(%v, ErrTooLarge) = false", err)
			}
		})
	}
	if st := s.Stats(); st.Entries != 1 {
		t.Fatalf("rejected puts changed the state: %+v", st)
	}
}

func TestOptionsValidation(t *testing.T) {
	cases := []struct {
		opts Options
		want string
	}{
		{Options{MaxKeySize: MaxKeyLimit + 1}, "MaxKeySize 65537: want 1 to 65536"},
		{Options{MaxValueSize: -1}, "MaxValueSize -1: want 1 to 67108864"},
		{Options{MaxJournalBytes: -5}, "MaxJournalBytes -5: want > 0"},
		{Options{MaxJournalRecords: -1}, "MaxJournalRecords -1: want > 0"},
		{Options{BufferSize: -1}, "BufferSize -1: want > 0"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Open(dir, c.opts)
			want := "open state dir " + dir + ": " + c.want
			if err == nil || err.Error() != want {
				t.Fatalf("Open error = %v, want %q", err, want)
			}
		})
	}
}

func TestLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state") // Open creates it
	s := mustOpen(t, dir, Options{})
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir mode = %v, %v; want 0700", fi.Mode(), err)
	}
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	want := fmt.Sprintf("state dir %s is held by pid %d: %v", dir, os.Getpid(), ErrLocked)
	if err.Error() != want {
		t.Fatalf("second Open error = %q, want %q", err, want)
	}
	mustPut(t, s, "s", "k", "v")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, dir, Options{})
	defer s2.Close()
	if v, ok := s2.Get("s", "k"); !ok || string(v) != "v" {
		t.Fatalf("Get after reopen = %q, %v", v, ok)
	}
}

func TestClosed(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checks := map[string]error{
		"Put":        s.Put("s", "k", nil),
		"Delete":     s.Delete("s", "k"),
		"Sync":       s.Sync(),
		"Checkpoint": s.Checkpoint(),
		"Close":      s.Close(),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
	if _, ok := s.Get("s", "k"); ok {
		t.Error("Get after Close found a value")
	}
}

func TestFilesAfterCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	if got := fileNames(dirFiles(t, dir)); !sameSet(got, []string{"state.db", "journal.0000000001"}) {
		t.Fatalf("files of a new dir = %v", got)
	}
	mustPut(t, s, "s", "k", "v")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	files := dirFiles(t, dir)
	if got := fileNames(files); !sameSet(got, []string{"state.db", "journal.0000000002"}) {
		t.Fatalf("files after Checkpoint = %v", got)
	}
	// The snapshot's bytes follow the documented format exactly.
	var want bytes.Buffer
	want.WriteString(snapshotMagic)
	writeFrame(&want, appendNum(nil, opSnapshotHeader, 2))
	writeFrame(&want, appendKV(nil, opPut, "s", "k", []byte("v")))
	writeFrame(&want, appendNum(nil, opEnd, 1))
	if !bytes.Equal(files["state.db"], want.Bytes()) {
		t.Fatalf("state.db = %q\nwant      %q", files["state.db"], want.Bytes())
	}
	// A checkpoint with nothing new writes nothing.
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got := fileNames(dirFiles(t, dir)); !sameSet(got, []string{"state.db", "journal.0000000002"}) {
		t.Fatalf("files after an idle Checkpoint = %v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A clean reopen appends to the empty journal Close left.
	s = mustOpen(t, dir, Options{})
	defer s.Close()
	if r := s.Recovery(); r.Compacted || r.Journals != 1 || r.Records != 0 || !r.Snapshot {
		t.Fatalf("Recovery = %+v", r)
	}
	if got := fileNames(dirFiles(t, dir)); !sameSet(got, []string{"state.db", "journal.0000000002"}) {
		t.Fatalf("files after reopen = %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Writers, syncers and checkpoints at once, under the race detector; the
// state after reopening is exactly what the writers wrote.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{MaxJournalBytes: 4 << 10})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 4 {
		wg.Go(func() {
			for i := range 300 {
				if err := s.Put(fmt.Sprintf("w%d", w), fmt.Sprintf("%04d", i), []byte(strings.Repeat("x", i%50))); err != nil {
					errs <- err
					return
				}
				if i%7 == 0 {
					if err := s.Sync(); err != nil {
						errs <- err
						return
					}
				}
				if i%2 == 1 {
					if err := s.Delete(fmt.Sprintf("w%d", w), fmt.Sprintf("%04d", i-1)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if err := s.Checkpoint(); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dir, Options{})
	defer s.Close()
	for w := range 4 {
		kvs := s.List(fmt.Sprintf("w%d", w))
		if len(kvs) != 150 {
			t.Fatalf("w%d has %d keys, want 150", w, len(kvs))
		}
		for j, kv := range kvs {
			i := 2*j + 1
			if kv.Key != fmt.Sprintf("%04d", i) || string(kv.Value) != strings.Repeat("x", i%50) {
				t.Fatalf("w%d entry %d = %q=%q", w, j, kv.Key, kv.Value)
			}
		}
	}
}
