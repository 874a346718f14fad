package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	snapshotName  = "state.db"
	tempName      = "state.db.tmp"
	lockName      = "lock"
	journalPrefix = "journal."
)

func journalName(gen uint64) string { return fmt.Sprintf("%s%010d", journalPrefix, gen) }

// parseJournalName accepts exactly the names journalName makes.
func parseJournalName(name string) (uint64, bool) {
	digits, ok := strings.CutPrefix(name, journalPrefix)
	if !ok || len(digits) < 10 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	gen, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || gen == 0 || journalName(gen) != name {
		return 0, false
	}
	return gen, true
}

// loaded is the state as read from disk, before Open changes anything.
type loaded struct {
	data     map[string]map[string][]byte
	entries  int
	haveSnap bool
	next     uint64   // first journal generation the snapshot does not hold
	journals []uint64 // generations >= next, ascending and contiguous
	stale    []uint64 // generations < next: folded into the snapshot already
	lastGen  uint64   // highest generation on disk, 0 when none
	lastRecs int      // records in the last journal
	haveTemp bool
	rec      Recovery
}

// load reads the state directory without modifying anything in it.
func load(dir string) (*loaded, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read state dir: %w", err)
	}
	l := &loaded{data: map[string]map[string][]byte{}, next: 1}
	var gens []uint64
	for _, e := range ents {
		switch name := e.Name(); {
		case name == snapshotName:
			l.haveSnap = true
		case name == tempName:
			l.haveTemp = true
		default:
			if gen, ok := parseJournalName(name); ok {
				gens = append(gens, gen)
			}
		}
	}
	slices.Sort(gens)
	if len(gens) > 0 {
		l.lastGen = gens[len(gens)-1]
	}

	if l.haveSnap {
		if err := l.readSnapshot(filepath.Join(dir, snapshotName)); err != nil {
			return nil, err
		}
		l.rec.Snapshot = true
	} else if len(gens) > 0 {
		// Open writes the first snapshot before the first journal, so a
		// journal without a snapshot means the snapshot was lost.
		return nil, &CorruptError{Path: filepath.Join(dir, snapshotName),
			Reason: fmt.Sprintf("missing, but %s exists", journalName(gens[0]))}
	}

	for _, g := range gens {
		if g < l.next {
			l.stale = append(l.stale, g)
			continue
		}
		want := l.next + uint64(len(l.journals))
		if g != want {
			return nil, &CorruptError{Path: filepath.Join(dir, journalName(want)),
				Reason: fmt.Sprintf("missing, but %s exists", journalName(g))}
		}
		l.journals = append(l.journals, g)
	}

	var torn []TornTail // torn tails so far; valid only if no record follows
	for _, g := range l.journals {
		path := filepath.Join(dir, journalName(g))
		recs, t, err := l.replay(path, g, torn)
		if err != nil {
			return nil, err
		}
		if t != nil {
			torn = append(torn, *t)
		}
		l.rec.Records += recs
		l.rec.Journals++
		l.lastRecs = recs
	}
	l.rec.Torn = torn
	return l, nil
}

func (l *loaded) readSnapshot(path string) error {
	f, size, err := openRead(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fr := newFrameReader(f, size)
	corrupt := func(d *damage) error {
		return &CorruptError{Path: path, Record: d.record, Offset: d.offset, Reason: d.reason}
	}
	d, err := fr.readMagic(snapshotMagic, "snapshot")
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if d != nil {
		return corrupt(d)
	}
	var prevSection, prevKey string
	puts := uint64(0)
	for i := 0; ; i++ {
		at := fr.off
		p, d, err := fr.next()
		if err == io.EOF {
			return &CorruptError{Path: path, Reason: fmt.Sprintf("ends at byte %d without its end record", at)}
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if d != nil {
			return corrupt(d)
		}
		r, err := decodeRecord(p)
		bad := func(reason string) error {
			return corrupt(&damage{record: fr.record, offset: at, reason: reason})
		}
		if err != nil {
			return bad(err.Error())
		}
		switch {
		case i == 0 && r.op == opSnapshotHeader:
			if r.num == 0 {
				return bad("next journal generation is 0")
			}
			l.next = r.num
		case i == 0:
			return bad(fmt.Sprintf("first record is kind %d, want the snapshot header", r.op))
		case r.op == opPut:
			if i > 1 && (r.section < prevSection || r.section == prevSection && r.key <= prevKey) {
				return bad(fmt.Sprintf("entry %q/%q out of order", r.section, r.key))
			}
			prevSection, prevKey = r.section, r.key
			l.put(r.section, r.key, r.value)
			puts++
		case r.op == opEnd:
			if r.num != puts {
				return bad(fmt.Sprintf("end record counts %d entries, read %d", r.num, puts))
			}
			if fr.off != size {
				return corrupt(&damage{record: fr.record + 1, offset: fr.off,
					reason: fmt.Sprintf("%d bytes after the end record", size-fr.off)})
			}
			return nil
		default:
			return bad(fmt.Sprintf("unexpected record kind %d in a snapshot", r.op))
		}
	}
}

// replay applies one journal. earlier holds the torn tails of the journals
// before it: they were only torn tails if this journal holds no record.
func (l *loaded) replay(path string, gen uint64, earlier []TornTail) (int, *TornTail, error) {
	f, size, err := openRead(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	fr := newFrameReader(f, size)
	torn := func(d *damage) (*TornTail, error) {
		if !d.crashOK {
			return nil, &CorruptError{Path: path, Record: d.record, Offset: d.offset, Reason: d.reason}
		}
		return &TornTail{Path: path, Record: d.record, Offset: d.offset, Bytes: size - d.offset, Reason: d.reason}, nil
	}
	d, err := fr.readMagic(journalMagic, "journal")
	if err != nil {
		return 0, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if d != nil {
		t, err := torn(d)
		return 0, t, err
	}
	recs := 0
	for i := 0; ; i++ {
		at := fr.off
		p, d, err := fr.next()
		switch {
		case err == io.EOF && i == 0:
			// The magic and the header record are written together; the
			// file ends between them only if that write was cut short.
			d = &damage{record: 1, offset: at, reason: "file ends before the journal header record", crashOK: true}
		case err == io.EOF:
			return recs, nil, nil
		case err != nil:
			return 0, nil, fmt.Errorf("read %s: %w", path, err)
		}
		if d != nil {
			t, err := torn(d)
			return recs, t, err
		}
		r, err := decodeRecord(p)
		bad := func(reason string) error {
			return &CorruptError{Path: path, Record: fr.record, Offset: at, Reason: reason}
		}
		if err != nil {
			return 0, nil, bad(err.Error())
		}
		if i == 0 {
			if r.op != opJournalHeader {
				return 0, nil, bad(fmt.Sprintf("first record is kind %d, want the journal header", r.op))
			}
			if r.num != gen {
				return 0, nil, bad(fmt.Sprintf("header says generation %d, the name says %d", r.num, gen))
			}
			continue
		}
		if len(earlier) > 0 {
			// A crash tears only the end of what was written last, and a
			// journal is synced before the next one gets records. Valid
			// records after a tear mean the tear was not a crash.
			t := earlier[0]
			return 0, nil, &CorruptError{Path: t.Path, Record: t.Record, Offset: t.Offset,
				Reason: fmt.Sprintf("%s, but %s holds records after it", t.Reason, filepath.Base(path))}
		}
		switch r.op {
		case opPut:
			l.put(r.section, r.key, r.value)
		case opDelete:
			l.del(r.section, r.key)
		default:
			return 0, nil, bad(fmt.Sprintf("unexpected record kind %d in a journal", r.op))
		}
		recs++
	}
}

func (l *loaded) put(section, key string, value []byte) {
	m := l.data[section]
	if m == nil {
		m = map[string][]byte{}
		l.data[section] = m
	}
	if _, ok := m[key]; !ok {
		l.entries++
	}
	m[key] = value
}

func (l *loaded) del(section, key string) {
	m := l.data[section]
	if _, ok := m[key]; !ok {
		return
	}
	delete(m, key)
	l.entries--
	if len(m) == 0 {
		delete(l.data, section)
	}
}

func openRead(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("open %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("stat %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("open %s: not a regular file", path)
	}
	return f, fi.Size(), nil
}
