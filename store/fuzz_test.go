package store

import (
	"bytes"
	"errors"
	"maps"
	"reflect"
	"testing"
)

// FuzzOpen feeds arbitrary bytes to Open as the snapshot, the only
// journal, or a journal after a valid one. Open must load them or return
// ErrCorrupt without touching the files, never panic or hang; what it
// loads must survive Close and another Open unchanged.
func FuzzOpen(f *testing.F) {
	var emptySnap bytes.Buffer
	emptySnap.WriteString(snapshotMagic)
	writeFrame(&emptySnap, appendNum(nil, opSnapshotHeader, 1))
	writeFrame(&emptySnap, appendNum(nil, opEnd, 0))
	validJ1 := journalFile(1, "a", "b")

	sbase, jbase := snapshotBase(f), journalBase(f)
	f.Add(uint8(0), sbase["state.db"])
	f.Add(uint8(0), sbase["state.db"][:40])
	f.Add(uint8(1), jbase[j1])
	f.Add(uint8(1), jbase[j1][:len(jbase[j1])-5])
	f.Add(uint8(1), append(jbase[j1], make([]byte, 64)...))
	f.Add(uint8(1), []byte{})
	f.Add(uint8(2), journalFile(2, "c"))
	f.Add(uint8(2), []byte(journalMagic))

	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		dir := t.TempDir()
		files := map[string][]byte{}
		switch kind % 3 {
		case 0:
			files["state.db"] = data
		case 1:
			files["state.db"] = emptySnap.Bytes()
			files[j1] = data
		case 2:
			files["state.db"] = emptySnap.Bytes()
			files[j1] = validJ1
			files[j2] = data
		}
		writeFiles(t, dir, files)
		before := dirFiles(t, dir)
		s, err := Open(dir, Options{})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open: %v, want nil or ErrCorrupt", err)
			}
			if after := dirFiles(t, dir); !maps.EqualFunc(before, after, bytes.Equal) {
				t.Fatal("a failed Open changed the files")
			}
			return
		}
		state := dump(s)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		s, err = Open(dir, Options{})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer s.Close()
		if got := dump(s); !reflect.DeepEqual(got, state) {
			t.Fatalf("state changed across Close and Open")
		}
		if r := s.Recovery(); len(r.Torn) != 0 {
			t.Fatalf("torn tails after a clean Close: %v", r.Torn)
		}
	})
}
