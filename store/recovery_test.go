package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

const j1, j2, j3 = "journal.0000000001", "journal.0000000002", "journal.0000000003"

var fiveKeys = []string{"r1", "r2", "r3", "r4", "r5"}

// journalBase is a new dir with five synced puts left by a crash:
// state.db (empty, next 1) and journal 1 (header and five records).
func journalBase(t testing.TB) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	for i, k := range fiveKeys {
		mustPut(t, s, "s", k, fmt.Sprintf("value %d %s", i+1, bytes.Repeat([]byte{'v'}, i*7)))
	}
	mustSync(t, s)
	s.abandon()
	files := dirFiles(t, dir)
	if got := fileNames(files); !sameSet(got, []string{"state.db", j1}) {
		t.Fatalf("journalBase files = %v", got)
	}
	return files
}

// snapshotBase holds the same five puts in state.db (next 2) and an empty
// journal 2.
func snapshotBase(t testing.TB) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	for i, k := range fiveKeys {
		mustPut(t, s, "s", k, fmt.Sprintf("value %d %s", i+1, bytes.Repeat([]byte{'v'}, i*7)))
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	s.abandon()
	files := dirFiles(t, dir)
	if got := fileNames(files); !sameSet(got, []string{"state.db", j2}) {
		t.Fatalf("snapshotBase files = %v", got)
	}
	return files
}

// journalFile builds a journal of generation gen holding puts of keys.
func journalFile(gen uint64, keys ...string) []byte {
	var b bytes.Buffer
	b.WriteString(journalMagic)
	writeFrame(&b, appendNum(nil, opJournalHeader, gen))
	for _, k := range keys {
		writeFrame(&b, appendKV(nil, opPut, "s", k, []byte("x")))
	}
	return b.Bytes()
}

// rawFrame frames an arbitrary payload with correct checksums.
func rawFrame(payload []byte) []byte {
	var b bytes.Buffer
	writeFrame(&b, payload)
	return b.Bytes()
}

func keysOf(s *Store) []string {
	var keys []string
	for _, kv := range s.List("s") {
		keys = append(keys, kv.Key)
	}
	return keys
}

func flip(b []byte, i int) []byte {
	b = slices.Clone(b)
	b[i] ^= 0x20
	return b
}

func cloneFiles(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = slices.Clone(v)
	}
	return out
}

// Every cut of the journal, at every byte: the records wholly before the
// cut load, the partial one is dropped and reported, and Open compacts.
func TestTornTailEveryCut(t *testing.T) {
	base := journalBase(t)
	journal := base[j1]
	spans := frameSpans(t, journal)
	if len(spans) != 6 {
		t.Fatalf("journal has %d frames, want header and 5 puts", len(spans))
	}
	for cut := 0; cut < len(journal); cut++ {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			dir := t.TempDir()
			files := cloneFiles(base)
			files[j1] = journal[:cut]
			writeFiles(t, dir, files)

			// What the cut should leave, from the frame layout alone.
			var whole []string
			var want *TornTail
			path := filepath.Join(dir, j1)
			switch {
			case cut < magicLen:
				want = &TornTail{Path: path, Bytes: int64(cut),
					Reason: fmt.Sprintf("file ends inside its 8-byte header (%d bytes)", cut)}
			case cut == magicLen:
				want = &TornTail{Path: path, Record: 1, Offset: magicLen,
					Reason: "file ends before the journal header record"}
			}
			for i, sp := range spans {
				switch {
				case sp.end <= cut:
					if i > 0 {
						whole = append(whole, fiveKeys[i-1])
					}
				case sp.off < cut:
					k := cut - sp.off
					reason := fmt.Sprintf("file ends inside the record (%d of %d bytes)", k, sp.end-sp.off)
					if k < frameHeadLen {
						reason = fmt.Sprintf("file ends inside the record header (%d of %d bytes)", k, frameHeadLen)
					}
					want = &TornTail{Path: path, Record: i + 1, Offset: int64(sp.off), Bytes: int64(k), Reason: reason}
				}
			}

			s := mustOpen(t, dir, Options{})
			if got := keysOf(s); !slices.Equal(got, whole) {
				t.Fatalf("keys = %v, want %v", got, whole)
			}
			r := s.Recovery()
			switch {
			case want == nil && len(r.Torn) != 0:
				t.Fatalf("torn = %v, want none", r.Torn)
			case want != nil && (len(r.Torn) != 1 || r.Torn[0] != *want):
				t.Fatalf("torn = %+v\nwant    %+v", r.Torn, *want)
			}
			if want != nil {
				// Not appended after a tear: folded into a new snapshot.
				if !r.Compacted {
					t.Fatal("a torn journal was not compacted")
				}
				if got := fileNames(dirFiles(t, dir)); !sameSet(got, []string{"state.db", j2}) {
					t.Fatalf("files after Open = %v", got)
				}
			}
			mustPut(t, s, "s", "zz-after", "1")
			mustSync(t, s)
			s.abandon()
			s = mustOpen(t, dir, Options{})
			defer s.Close()
			if got := keysOf(s); !slices.Equal(got, append(slices.Clone(whole), "zz-after")) {
				t.Fatalf("keys after a second open = %v", got)
			}
			if r := s.Recovery(); len(r.Torn) != 0 {
				t.Fatalf("second open found torn tails: %v", r.Torn)
			}
		})
	}
}

func TestTornTailShapes(t *testing.T) {
	base := journalBase(t)
	spans := frameSpans(t, base[j1])
	last := spans[len(spans)-1]
	size := len(base[j1])
	cases := []struct {
		name   string
		change func(files map[string][]byte)
		keys   []string
		torn   []TornTail // Path is a file name here
	}{
		{"zeroed tail after the last record", func(f map[string][]byte) {
			f[j1] = append(f[j1], make([]byte, 4096)...)
		}, fiveKeys, []TornTail{{Path: j1, Record: 7, Offset: int64(size), Bytes: 4096, Reason: "zeroed tail (4096 bytes)"}}},
		{"last record zeroed in place", func(f map[string][]byte) {
			clear(f[j1][last.off:])
		}, fiveKeys[:4], []TornTail{{Path: j1, Record: 6, Offset: int64(last.off), Bytes: int64(size - last.off),
			Reason: fmt.Sprintf("zeroed tail (%d bytes)", size-last.off)}}},
		{"last record's payload damaged", func(f map[string][]byte) {
			f[j1] = flip(f[j1], size-2)
		}, fiveKeys[:4], []TornTail{{Path: j1, Record: 6, Offset: int64(last.off), Bytes: int64(size - last.off),
			Reason: "checksum mismatch in the final record"}}},
		{"next journal created, header torn", func(f map[string][]byte) {
			f[j2] = []byte(journalMagic)[:5]
		}, fiveKeys, []TornTail{{Path: j2, Bytes: 5, Reason: "file ends inside its 8-byte header (5 bytes)"}}},
		{"torn journal, next one without records", func(f map[string][]byte) {
			f[j1] = f[j1][:size-3]
			f[j2] = journalFile(2)
		}, fiveKeys[:4], []TornTail{{Path: j1, Record: 6, Offset: int64(last.off), Bytes: int64(size - 3 - last.off),
			Reason: fmt.Sprintf("file ends inside the record (%d of %d bytes)", size-3-last.off, last.end-last.off)}}},
		{"both torn, the second in its header record", func(f map[string][]byte) {
			f[j1] = f[j1][:size-3]
			f[j2] = journalFile(2)[:magicLen+4]
		}, fiveKeys[:4], []TornTail{
			{Path: j1, Record: 6, Offset: int64(last.off), Bytes: int64(size - 3 - last.off),
				Reason: fmt.Sprintf("file ends inside the record (%d of %d bytes)", size-3-last.off, last.end-last.off)},
			{Path: j2, Record: 1, Offset: magicLen, Bytes: 4, Reason: "file ends inside the record header (4 of 12 bytes)"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := cloneFiles(base)
			c.change(files)
			writeFiles(t, dir, files)
			s := mustOpen(t, dir, Options{})
			defer s.Close()
			if got := keysOf(s); !slices.Equal(got, c.keys) {
				t.Fatalf("keys = %v, want %v", got, c.keys)
			}
			want := slices.Clone(c.torn)
			for i := range want {
				want[i].Path = filepath.Join(dir, want[i].Path)
			}
			if got := s.Recovery().Torn; !reflect.DeepEqual(got, want) {
				t.Fatalf("torn = %+v\nwant    %+v", got, want)
			}
		})
	}
}

func TestCorrupt(t *testing.T) {
	jbase := journalBase(t)
	sbase := snapshotBase(t)
	js := frameSpans(t, jbase[j1])
	ss := frameSpans(t, sbase["state.db"])
	jsize, ssize := len(jbase[j1]), len(sbase["state.db"])
	lastJ := js[len(js)-1]

	type change func(f map[string][]byte)
	cases := []struct {
		name   string
		base   map[string][]byte
		change change
		file   string
		record int
		offset int
		reason string
	}{
		{"snapshot payload byte", sbase, func(f map[string][]byte) {
			f["state.db"] = flip(f["state.db"], (ss[3].off+ss[3].end)/2)
		}, "state.db", 4, ss[3].off, "checksum mismatch"},
		{"snapshot length byte", sbase, func(f map[string][]byte) {
			f["state.db"] = flip(f["state.db"], ss[3].off)
		}, "state.db", 4, ss[3].off, "record header checksum mismatch"},
		{"snapshot payload checksum", sbase, func(f map[string][]byte) {
			f["state.db"] = flip(f["state.db"], ss[2].off+9)
		}, "state.db", 3, ss[2].off, "checksum mismatch"},
		{"snapshot final record damaged", sbase, func(f map[string][]byte) {
			f["state.db"] = flip(f["state.db"], ssize-1)
		}, "state.db", 7, ss[6].off, "checksum mismatch in the final record"},
		{"snapshot cut inside a record", sbase, func(f map[string][]byte) {
			f["state.db"] = f["state.db"][:ss[4].off+15]
		}, "state.db", 5, ss[4].off, fmt.Sprintf("file ends inside the record (15 of %d bytes)", ss[4].end-ss[4].off)},
		{"snapshot without its end record", sbase, func(f map[string][]byte) {
			f["state.db"] = f["state.db"][:ss[6].off]
		}, "state.db", 0, 0, fmt.Sprintf("ends at byte %d without its end record", ss[6].off)},
		{"snapshot bad magic", sbase, func(f map[string][]byte) {
			f["state.db"][0] = 'X'
		}, "state.db", 0, 0, `bad file header "XTLSNAP\x01": not a tattle snapshot`},
		{"snapshot empty file", sbase, func(f map[string][]byte) {
			f["state.db"] = nil
		}, "state.db", 0, 0, "file ends inside its 8-byte header (0 bytes)"},
		{"bytes after the snapshot's end", sbase, func(f map[string][]byte) {
			f["state.db"] = append(f["state.db"], "junk"...)
		}, "state.db", 8, ssize, "4 bytes after the end record"},
		{"snapshot entries out of order", sbase, func(f map[string][]byte) {
			b := f["state.db"]
			r2, r3 := slices.Clone(b[ss[2].off:ss[2].end]), slices.Clone(b[ss[3].off:ss[3].end])
			f["state.db"] = slices.Concat(b[:ss[2].off], r3, r2, b[ss[3].end:])
		}, "state.db", 4, ss[2].off + (ss[3].end - ss[3].off), `entry "s"/"r2" out of order`},

		{"journal payload byte, not the last record", jbase, func(f map[string][]byte) {
			f[j1] = flip(f[j1], (js[2].off+js[2].end)/2)
		}, j1, 3, js[2].off, "checksum mismatch"},
		{"journal length byte, not the last record", jbase, func(f map[string][]byte) {
			f[j1] = flip(f[j1], js[2].off+1)
		}, j1, 3, js[2].off, "record header checksum mismatch"},
		{"journal damaged header followed by non-zero bytes", jbase, func(f map[string][]byte) {
			f[j1] = append(f[j1], "garbage that is not a frame"...)
		}, j1, 7, jsize, "record header checksum mismatch"},
		{"journal torn, records in the next journal", jbase, func(f map[string][]byte) {
			f[j1] = f[j1][:jsize-3]
			f[j2] = journalFile(2, "late")
		}, j1, 6, lastJ.off, fmt.Sprintf("file ends inside the record (%d of %d bytes), but %s holds records after it",
			jsize-3-lastJ.off, lastJ.end-lastJ.off, j2)},
		{"journal bad magic", jbase, func(f map[string][]byte) {
			f[j1][3] = 'x'
		}, j1, 0, 0, `bad file header "TTLxRNL\x01": not a tattle journal`},
		{"journal without a snapshot", jbase, func(f map[string][]byte) {
			delete(f, "state.db")
		}, "state.db", 0, 0, "missing, but " + j1 + " exists"},
		{"a journal missing in the sequence", jbase, func(f map[string][]byte) {
			f[j3] = journalFile(3, "x")
		}, j2, 0, 0, "missing, but " + j3 + " exists"},
		{"journal header names another generation", jbase, func(f map[string][]byte) {
			f[j1] = journalFile(2, "x")
		}, j1, 1, magicLen, "header says generation 2, the name says 1"},
		{"journal starts without its header", jbase, func(f map[string][]byte) {
			f[j1] = slices.Concat([]byte(journalMagic), rawFrame(appendKV(nil, opPut, "s", "k", nil)))
		}, j1, 1, magicLen, "first record is kind 3, want the journal header"},
		{"checksummed but undecodable record, last in the file", jbase, func(f map[string][]byte) {
			f[j1] = append(f[j1], rawFrame([]byte{opPut, 0})...)
		}, j1, 7, jsize, "empty section name"},
		{"unknown record kind", jbase, func(f map[string][]byte) {
			f[j1] = slices.Concat(f[j1][:js[2].off], rawFrame([]byte{9}), f[j1][js[2].off:])
		}, j1, 3, js[2].off, "unknown record kind 9"},
		{"impossible length under an intact header", jbase, func(f map[string][]byte) {
			var h [frameHeadLen]byte
			binary.LittleEndian.PutUint32(h[0:4], 0xffffffff)
			binary.LittleEndian.PutUint32(h[4:8], checksum(h[0:4]))
			f[j1] = append(f[j1], h[:]...)
		}, j1, 7, jsize, fmt.Sprintf("record length 4294967295 exceeds the format limit %d", maxPayload)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := cloneFiles(c.base)
			c.change(files)
			writeFiles(t, dir, files)
			before := dirFiles(t, dir)

			_, err := Open(dir, Options{})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v, want ErrCorrupt", err)
			}
			path := filepath.Join(dir, c.file)
			want := fmt.Sprintf("load state: %s: record %d at byte %d: %s", path, c.record, c.offset, c.reason)
			if c.record == 0 {
				want = fmt.Sprintf("load state: %s: %s", path, c.reason)
			}
			if err.Error() != want {
				t.Fatalf("Open error:\n got %q\nwant %q", err, want)
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Path != path || ce.Record != c.record || ce.Offset != int64(c.offset) {
				t.Fatalf("CorruptError = %+v", ce)
			}
			if after := dirFiles(t, dir); !maps.EqualFunc(before, after, bytes.Equal) {
				t.Fatalf("Open changed the files: before %v, after %v", fileNames(before), fileNames(after))
			}
			// And the lock was released: the next attempt fails the same way.
			if _, err2 := Open(dir, Options{}); err2 == nil || err2.Error() != want {
				t.Fatalf("second Open = %v", err2)
			}
		})
	}
}

// A checkpoint that crashed after its rename leaves journals the snapshot
// already holds; a crash while writing the snapshot leaves a temp file.
// Open removes both and loads the rest.
func TestLeftovers(t *testing.T) {
	sbase := snapshotBase(t)
	jbase := journalBase(t)
	dir := t.TempDir()
	files := cloneFiles(sbase)
	files[j1] = jbase[j1] // folded into state.db (next 2) already
	files[tempName] = []byte("half a snapshot")
	files[j2] = journalFile(2, "r6")
	writeFiles(t, dir, files)
	s := mustOpen(t, dir, Options{})
	defer s.Close()
	if got := keysOf(s); !slices.Equal(got, append(slices.Clone(fiveKeys), "r6")) {
		t.Fatalf("keys = %v", got)
	}
	if got := fileNames(dirFiles(t, dir)); !sameSet(got, []string{"state.db", j2}) {
		t.Fatalf("files = %v", got)
	}
	if r := s.Recovery(); !r.Snapshot || r.Journals != 1 || r.Records != 1 || r.Compacted || len(r.Torn) != 0 {
		t.Fatalf("Recovery = %+v", r)
	}
}
