package store

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Options bound the store. Zero fields take the defaults.
type Options struct {
	// MaxKeySize is the longest key, in bytes (default 1024, at most
	// MaxKeyLimit). Section names are at most MaxSectionSize bytes.
	MaxKeySize int
	// MaxValueSize is the largest value, in bytes (default 16 MiB, at most
	// MaxValueLimit). It is large because the outbox holds whole traces.
	MaxValueSize int
	// MaxJournalBytes and MaxJournalRecords make Sync compact the journal
	// into a new snapshot once it holds this much (defaults 16 MiB and
	// 100,000 records). They bound the time Open spends replaying.
	MaxJournalBytes   int64
	MaxJournalRecords int64
	// BufferSize is the journal write buffer (default 64 KiB): changes
	// reach the file when it fills, or at Sync, Checkpoint and Close.
	BufferSize int

	// testHook, when set, is called at named points of a checkpoint so
	// that tests can kill the process exactly there.
	testHook func(point string)
}

func (o Options) withDefaults() (Options, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MaxKeySize, 1024)
	def(&o.MaxValueSize, 16<<20)
	def64(&o.MaxJournalBytes, 16<<20)
	def64(&o.MaxJournalRecords, 100_000)
	def(&o.BufferSize, 64<<10)
	switch {
	case o.MaxKeySize < 0 || o.MaxKeySize > MaxKeyLimit:
		return o, fmt.Errorf("MaxKeySize %d: want 1 to %d", o.MaxKeySize, MaxKeyLimit)
	case o.MaxValueSize < 0 || o.MaxValueSize > MaxValueLimit:
		return o, fmt.Errorf("MaxValueSize %d: want 1 to %d", o.MaxValueSize, MaxValueLimit)
	case o.MaxJournalBytes < 0:
		return o, fmt.Errorf("MaxJournalBytes %d: want > 0", o.MaxJournalBytes)
	case o.MaxJournalRecords < 0:
		return o, fmt.Errorf("MaxJournalRecords %d: want > 0", o.MaxJournalRecords)
	case o.BufferSize < 0:
		return o, fmt.Errorf("BufferSize %d: want > 0", o.BufferSize)
	}
	return o, nil
}

// KV is one entry of a section.
type KV struct {
	Key   string
	Value []byte
}

// Stats describe the store for metrics.
type Stats struct {
	Entries        int   // keys in all sections
	JournalBytes   int64 // size of the current journal, buffered bytes included
	JournalRecords int64 // records in the current journal
}

// Store is the state of one state directory. All methods are safe for
// concurrent use.
type Store struct {
	dir  string
	opts Options
	lock *os.File
	rec  Recovery

	// cpMu serialises checkpoints (and Close) without blocking writers
	// while a snapshot is written.
	cpMu sync.Mutex

	mu       sync.Mutex
	data     map[string]map[string][]byte // values are never modified in place
	entries  int
	jf       *os.File
	jw       *bufio.Writer
	gen      uint64 // generation of jf
	jBytes   int64
	jRecords int64
	dirty    bool // jw got records since jf was last fsynced
	pending  bool // older journals exist that no snapshot holds yet
	failed   error
	closed   bool
	scratch  []byte
}

// Open locks dir (creating it with mode 0700 if needed) and loads the
// state in it. A state file that cannot be read or decoded is an error
// (errors.Is(err, ErrCorrupt) for undecodable ones) and the directory is
// left exactly as it was, apart from the lock file; another process
// holding dir gives ErrLocked.
// Torn journal tails are dropped and reported by Recovery.
func Open(dir string, opts Options) (*Store, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("open state dir %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	lock, err := lockDir(dir, filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, opts: opts, lock: lock}
	if err := s.start(); err != nil {
		_ = unlockDir(lock)
		return nil, err
	}
	return s, nil
}

func (s *Store) start() error {
	l, err := load(s.dir)
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	// Everything below runs only on a state that loaded whole.
	s.data, s.entries, s.rec = l.data, l.entries, l.rec
	if len(l.stale) > 0 {
		// The rename that made these journals stale may not be durable
		// yet if the last process died right after it: make it so before
		// deleting what the old snapshot would still need.
		if err := syncDir(s.dir); err != nil {
			return err
		}
	}
	if l.haveTemp {
		// A snapshot that was never renamed into place is not state.
		if err := os.Remove(s.path(tempName)); err != nil {
			return fmt.Errorf("remove leftover %s: %w", s.path(tempName), err)
		}
	}
	if err := s.removeJournalsBelow(l.next); err != nil {
		return err
	}
	switch {
	case !l.haveSnap:
		// A new directory: the snapshot comes first, so that a journal
		// without a snapshot is always a sign of loss.
		if err := writeSnapshot(s.dir, 1, nil, s.at); err != nil {
			return err
		}
		return s.openJournal(1, false)
	case len(l.journals) == 0:
		return s.openJournal(l.next, false)
	case len(l.journals) == 1 && len(l.rec.Torn) == 0:
		s.jRecords = int64(l.lastRecs)
		return s.openJournal(l.journals[0], true)
	default:
		// Fold torn or several journals into a snapshot rather than
		// appending after a tear. Until the new journal exists, no record
		// can follow the tear, so a crash in here leaves a loadable state.
		next := l.lastGen + 1
		entries := s.entryList()
		sortEntries(entries)
		if err := writeSnapshot(s.dir, next, entries, s.at); err != nil {
			return err
		}
		if err := s.removeJournalsBelow(next); err != nil {
			return err
		}
		s.rec.Compacted = true
		return s.openJournal(next, false)
	}
}

func (s *Store) path(name string) string { return filepath.Join(s.dir, name) }

func (s *Store) at(point string) {
	if s.opts.testHook != nil {
		s.opts.testHook(point)
	}
}

// openJournal makes gen the current journal: a new file, or the existing
// one when reuse is set (its records are intact and already counted).
func (s *Store) openJournal(gen uint64, reuse bool) error {
	var f *os.File
	if reuse {
		path := s.path(journalName(gen))
		var err error
		if f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err != nil {
			return fmt.Errorf("open %s: %w", path, err)
		}
		// After a kill -9 its tail may still be only in the page cache:
		// make what Open loaded durable before anyone acts on it.
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("fsync %s: %w", path, err)
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return fmt.Errorf("stat %s: %w", path, err)
		}
		s.jBytes = fi.Size()
	} else {
		var err error
		if f, err = createJournal(s.dir, gen); err != nil {
			return err
		}
		s.jBytes, s.jRecords = journalHeadLen(gen), 0
	}
	s.jf, s.gen = f, gen
	s.jw = bufio.NewWriterSize(f, s.opts.BufferSize)
	return nil
}

func journalHeadLen(gen uint64) int64 {
	return int64(magicLen + frameHeadLen + len(appendNum(nil, opJournalHeader, gen)))
}

// createJournal creates journal gen with its header and makes both the
// file and its directory entry durable, so a later Sync of the file alone
// is enough.
func createJournal(dir string, gen uint64) (*os.File, error) {
	path := filepath.Join(dir, journalName(gen))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	fail := func(err error) (*os.File, error) {
		f.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("create journal %s: %w", path, err)
	}
	hw := sliceWriter{b: []byte(journalMagic)}
	if _, err := writeFrame(&hw, appendNum(nil, opJournalHeader, gen)); err != nil {
		return fail(err)
	}
	if _, err := f.Write(hw.b); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	return f, nil
}

type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// writeSnapshot writes a complete snapshot to a temporary file, makes it
// durable, renames it over the old one and makes the rename durable. At
// every moment the directory holds either the old snapshot or the new one,
// whole.
func writeSnapshot(dir string, next uint64, entries []entry, at func(string)) (err error) {
	tmp := filepath.Join(dir, tempName)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			_ = os.Remove(tmp)
			err = fmt.Errorf("write snapshot %s: %w", tmp, err)
		}
	}()
	w := bufio.NewWriterSize(f, 256<<10)
	if _, err := w.WriteString(snapshotMagic); err != nil {
		return err
	}
	buf := appendNum(nil, opSnapshotHeader, next)
	if _, err := writeFrame(w, buf); err != nil {
		return err
	}
	for _, e := range entries {
		buf = appendKV(buf[:0], opPut, e.section, e.key, e.value)
		if _, err := writeFrame(w, buf); err != nil {
			return err
		}
	}
	if _, err := writeFrame(w, appendNum(buf[:0], opEnd, uint64(len(entries)))); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	at("snapshot-synced")
	if err := os.Rename(tmp, filepath.Join(dir, snapshotName)); err != nil {
		return err
	}
	at("snapshot-renamed")
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

// removeJournalsBelow deletes journals that a durable snapshot holds. If
// a removal is lost in a crash, Open finds the file below the snapshot's
// generation and removes it again.
func (s *Store) removeJournalsBelow(next uint64) error {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("read state dir: %w", err)
	}
	for _, e := range ents {
		if gen, ok := parseJournalName(e.Name()); ok && gen < next {
			if err := os.Remove(s.path(e.Name())); err != nil {
				return fmt.Errorf("remove folded journal: %w", err)
			}
			s.at("journal-removed")
		}
	}
	return nil
}

type entry struct {
	section, key string
	value        []byte
}

// entryList copies the state for a snapshot, sorted. The caller holds mu
// or owns the store alone; values are shared, which is safe because they
// are never modified in place.
func (s *Store) entryList() []entry {
	out := make([]entry, 0, s.entries)
	for sec, m := range s.data {
		for k, v := range m {
			out = append(out, entry{sec, k, v})
		}
	}
	return out
}

func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int {
		if c := cmp.Compare(a.section, b.section); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
}

// Recovery reports what Open found: torn tails dropped, journals replayed.
func (s *Store) Recovery() Recovery { return s.rec }

// Dir returns the state directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) usable() error {
	if s.closed {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("store failed earlier, restart to recover from disk: %w", s.failed)
	}
	return nil
}

func (s *Store) checkSize(verb, section, key string, value int) error {
	switch {
	case section == "":
		return fmt.Errorf("%s %q: empty section name", verb, short(key))
	case len(section) > MaxSectionSize:
		return fmt.Errorf("%s: section name of %d bytes exceeds %d bytes (MaxSectionSize): %w",
			verb, len(section), MaxSectionSize, ErrTooLarge)
	case len(key) > s.opts.MaxKeySize:
		return fmt.Errorf("%s %s/%q: key of %d bytes exceeds %d bytes (Options.MaxKeySize): %w",
			verb, section, short(key), len(key), s.opts.MaxKeySize, ErrTooLarge)
	case value > s.opts.MaxValueSize:
		return fmt.Errorf("%s %s/%q: value of %d bytes exceeds %d bytes (Options.MaxValueSize): %w",
			verb, section, short(key), value, s.opts.MaxValueSize, ErrTooLarge)
	}
	return nil
}

// short keeps error messages readable when a key is long.
func short(key string) string {
	if len(key) > 64 {
		return key[:64] + "..."
	}
	return key
}

// appendRecord writes one record into the journal buffer. A write error
// fails the store for good: after a failed write or fsync the file's
// contents are unknown, and only a restart (which reads the disk) can tell
// what survived.
func (s *Store) appendRecord(op byte, section, key string, value []byte) error {
	s.scratch = appendKV(s.scratch[:0], op, section, key, value)
	n, err := writeFrame(s.jw, s.scratch)
	if cap(s.scratch) > 1<<20 {
		s.scratch = nil // do not keep a huge value's buffer around
	}
	if err != nil {
		s.failed = fmt.Errorf("write %s: %w", s.jf.Name(), err)
		return s.failed
	}
	s.jBytes += int64(n)
	s.jRecords++
	s.dirty = true
	return nil
}

// Put sets section/key to a copy of value. The change is visible at once
// and durable after the next Sync.
func (s *Store) Put(section, key string, value []byte) error {
	if err := s.checkSize("put", section, key, len(value)); err != nil {
		return err
	}
	v := append(make([]byte, 0, len(value)), value...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.appendRecord(opPut, section, key, v); err != nil {
		return err
	}
	m := s.data[section]
	if m == nil {
		m = map[string][]byte{}
		s.data[section] = m
	}
	if _, ok := m[key]; !ok {
		s.entries++
	}
	m[key] = v
	return nil
}

// Delete removes section/key; deleting a missing key is not an error.
func (s *Store) Delete(section, key string) error {
	if err := s.checkSize("delete", section, key, 0); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	m := s.data[section]
	if _, ok := m[key]; !ok {
		return nil
	}
	if err := s.appendRecord(opDelete, section, key, nil); err != nil {
		return err
	}
	delete(m, key)
	s.entries--
	if len(m) == 0 {
		delete(s.data, section)
	}
	return nil
}

// Get returns a copy of the value of section/key.
func (s *Store) Get(section, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.data[section][key]
	if !ok {
		return nil, false
	}
	return append(make([]byte, 0, len(v)), v...), true
}

// List returns copies of the entries of a section, sorted by key.
func (s *Store) List(section string) []KV {
	s.mu.Lock()
	m := s.data[section]
	out := make([]KV, 0, len(m))
	for k, v := range m {
		out = append(out, KV{Key: k, Value: append(make([]byte, 0, len(v)), v...)})
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b KV) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// Sections returns the names of the sections that hold entries, sorted.
func (s *Store) Sections() []string {
	s.mu.Lock()
	out := make([]string, 0, len(s.data))
	for sec := range s.data {
		out = append(out, sec)
	}
	s.mu.Unlock()
	slices.Sort(out)
	return out
}

// Stats returns sizes for metrics.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Entries: s.entries, JournalBytes: s.jBytes, JournalRecords: s.jRecords}
}

// flushSync writes buffered records and fsyncs the journal. Caller holds mu.
func (s *Store) flushSync() error {
	if err := s.jw.Flush(); err != nil {
		s.failed = fmt.Errorf("write %s: %w", s.jf.Name(), err)
		return s.failed
	}
	if !s.dirty {
		return nil
	}
	if err := s.jf.Sync(); err != nil {
		s.failed = fmt.Errorf("fsync %s: %w", s.jf.Name(), err)
		return s.failed
	}
	s.dirty = false
	return nil
}

func (s *Store) overLimit() bool {
	return s.jBytes >= s.opts.MaxJournalBytes || s.jRecords >= s.opts.MaxJournalRecords
}

// Sync makes every change made so far durable. When the journal has grown
// past MaxJournalBytes or MaxJournalRecords it then compacts it as
// Checkpoint does. Writers wait while the journal is fsynced; a Sync with
// nothing new since the last one costs no fsync.
func (s *Store) Sync() error {
	s.mu.Lock()
	err := s.usable()
	if err == nil {
		err = s.flushSync()
	}
	over := err == nil && s.overLimit()
	s.mu.Unlock()
	if err != nil || !over {
		return err
	}
	s.cpMu.Lock()
	defer s.cpMu.Unlock()
	if err := s.checkpoint(true); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// Checkpoint makes every change durable and compacts the journal into a
// new snapshot. Writers are blocked only while the current journal is
// fsynced and the state is copied, not while the snapshot is written.
func (s *Store) Checkpoint() error {
	s.cpMu.Lock()
	defer s.cpMu.Unlock()
	return s.checkpoint(false)
}

// checkpoint runs with cpMu held:
//
//  1. create journal g+1 (synced, with its directory entry);
//  2. under mu: fsync journal g, switch writers to g+1, copy the state;
//  3. write the copy as a snapshot holding everything before g+1;
//  4. remove journals below g+1.
//
// Journal g is synced before g+1 can get a record, so a crash never leaves
// a torn journal followed by records (which Open would call corruption).
func (s *Store) checkpoint(onlyIfOver bool) error {
	s.mu.Lock()
	if err := s.usable(); err != nil {
		s.mu.Unlock()
		return err
	}
	if (onlyIfOver && !s.overLimit()) || (s.jRecords == 0 && !s.pending) {
		err := s.flushSync()
		s.mu.Unlock()
		return err
	}
	next := s.gen + 1
	s.mu.Unlock()

	nf, err := createJournal(s.dir, next)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	s.at("journal-created")

	s.mu.Lock()
	err = s.usable()
	if err == nil {
		err = s.flushSync()
	}
	if err != nil {
		s.mu.Unlock()
		nf.Close()
		_ = os.Remove(nf.Name())
		return fmt.Errorf("checkpoint: %w", err)
	}
	old := s.jf
	s.jf, s.gen = nf, next
	s.jw.Reset(nf)
	s.jBytes, s.jRecords, s.dirty = journalHeadLen(next), 0, false
	s.pending = true
	entries := s.entryList()
	s.mu.Unlock()
	if err := old.Close(); err != nil {
		return fmt.Errorf("checkpoint: close %s: %w", old.Name(), err)
	}
	s.at("switched")

	sortEntries(entries)
	if err := writeSnapshot(s.dir, next, entries, s.at); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := s.removeJournalsBelow(next); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	s.mu.Lock()
	s.pending = false
	s.mu.Unlock()
	return nil
}

// Close checkpoints, closes the journal and releases the directory lock.
// The lock is released even when the checkpoint fails; every change that
// reached the journal is then still on disk for the next Open.
func (s *Store) Close() error {
	s.cpMu.Lock()
	defer s.cpMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.mu.Unlock()

	errs := []error{}
	if err := s.checkpoint(false); err != nil {
		errs = append(errs, err)
	}
	s.mu.Lock()
	if s.failed == nil {
		// Writes that raced with the checkpoint above.
		if err := s.flushSync(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.jf.Close(); err != nil && s.failed == nil {
		errs = append(errs, fmt.Errorf("close %s: %w", s.jf.Name(), err))
	}
	s.closed = true
	s.data = nil
	s.mu.Unlock()
	if err := unlockDir(s.lock); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close state dir %s: %w", s.dir, err)
	}
	return nil
}
