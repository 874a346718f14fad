package tailer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/fsnotify/fsnotify"
)

// Defaults for the zero values of Options.
const (
	DefaultRescan     = 10 * time.Second
	DefaultReadSize   = 256 << 10
	DefaultIdle       = 250 * time.Millisecond
	DefaultDrainQuiet = 2 * time.Second
	DefaultPoll       = 250 * time.Millisecond
	DefaultBatch      = 100 * time.Millisecond
	// minBatch is the first pause after an event that ends a quiet spell.
	minBatch = 2 * time.Millisecond
)

// Start policies for a file first seen when the tailer starts.
const (
	StartEnd       = "end"
	StartBeginning = "beginning"
)

// Source is one [[source]] of the config, as far as the tailer cares.
type Source struct {
	Name string
	// Paths are doublestar globs ("**" crosses directories). Relative
	// globs are taken from the working directory at New.
	Paths []string
	// Exclude globs drop matches: one without '/' is matched against the
	// base name, one with '/' against the whole path.
	Exclude []string
	// Start is StartEnd (the default) or StartBeginning, for a file found
	// at startup that Resume does not know. Files that appear while the
	// tailer runs are always read from their beginning.
	Start string
}

// Handler receives what the tailer reads. Data and Event for one *File are
// called from that file's goroutine, one after the other; calls for
// different files run concurrently, so the handler must be safe for that.
// Error events for a path that could not be opened come from Run's own
// goroutine, on a *File of their own.
type Handler interface {
	// Data hands on bytes read at offset off of f. p is only valid until
	// Data returns. Offsets of one *File are contiguous, except that
	// after a Truncated event they start again at 0.
	Data(f *File, off int64, p []byte)
	// Event reports a change in f's life; see EventKind.
	Event(f *File, e Event)
}

// EventKind says what happened to a file.
type EventKind int

const (
	// Opened is the first event of every *File: Offset is where reading
	// starts, Resumed says it came from Resume (or from a file this tailer
	// already read under another name).
	Opened EventKind = iota + 1
	// Idle: the file delivered data, reached its end, and then no new
	// byte came for Options.Idle. It is sent once per such quiet spell,
	// never repeated while the file stays quiet. The lead flushes held
	// multi-line records on it.
	Idle
	// Rotated: the path now names another file, or nothing, and this file
	// still has a link (it was renamed). Sent after its last byte,
	// late writes included, was delivered (see the drain rule in the
	// package doc); Closed follows.
	Rotated
	// Deleted: like Rotated, for a file whose last link is gone.
	Deleted
	// Truncated: the file became shorter than the offset read so far.
	// Offset is that offset, Size the size seen, Lost the bytes known to
	// have been in the file beyond Offset that could not be read. The
	// next Data starts at offset 0.
	Truncated
	// Error: a problem with the file (open, stat or read failure, not a
	// regular file). Each distinct problem is sent once per file or path.
	Error
	// Closed is the last event of every *File: its drain ended or the
	// tailer is shutting down. Offset is the final offset.
	Closed
)

var kindNames = [...]string{"", "opened", "idle", "rotated", "deleted", "truncated", "error", "closed"}

func (k EventKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one report about a file; which fields are set depends on Kind.
type Event struct {
	Kind    EventKind
	Offset  int64
	Resumed bool
	Size    int64
	Lost    int64
	Err     error
}

// File is one open file, one identity: a rotation gives the new file at the
// same path a new *File. Key offsets by Dev and Ino, not by Path.
type File struct {
	// Path is the name the file was opened under; after a rename it is
	// still that name.
	Path   string
	Source string
	Dev    uint64
	Ino    uint64
	// Info is the file's fstat at open time; nil on the *File of an
	// Error for a path that could not be opened.
	Info os.FileInfo
}

// Options configure a Tailer. Only Sources and Handler are required.
type Options struct {
	Sources []Source
	// Resume says where to resume a file seen before (the lead asks its
	// store by device, inode and the file's first bytes, read through f
	// with ReadAt). ok=false lets the Start policy apply.
	Resume func(path string, f *os.File) (offset int64, ok bool)
	// Previous lists the files the lead was following when it last
	// stopped. A path that names another file now was rotated while we
	// were away: the file found there is read from its beginning (not by
	// Start), and the old file, if it is still in the same directory
	// under another name, is found by device and inode, resumed through
	// Resume and drained like any rotated file (ending with Rotated).
	Previous []Previous
	Handler  Handler
	// Rescan is the period of the full glob rescan (DefaultRescan). Each
	// rescan also makes every followed file look for new data, a safety
	// net for file systems whose writes inotify does not see.
	Rescan time.Duration
	// ReadSize is the bytes per read (DefaultReadSize): the size of the
	// one buffer a file borrows while it reads.
	ReadSize int
	// Idle is the quiet time after EOF before an Idle event
	// (DefaultIdle); a negative value sends Idle at once each time the
	// file reaches its end after new data.
	Idle time.Duration
	// DrainQuiet is how long a rotated or deleted file must stay without
	// new bytes before it is closed (DefaultDrainQuiet).
	DrainQuiet time.Duration
	// Poll is the period of the polling fallback (DefaultPoll).
	Poll time.Duration
	// Batch is the longest pause between two rounds of inotify events
	// (DefaultBatch). The first event after a quiet spell is handled at
	// once; then event handling pauses for 2 ms, and each time events
	// were waiting when a pause ended the next pause doubles, up to
	// Batch; a pause that ends with nothing waiting resets it. The kernel
	// merges repeated events meanwhile, so a file written continuously
	// is read about once per Batch, while a line written after a quiet
	// moment is read at once. A negative value handles every event at
	// once (each wake-up costs CPU: see the package doc).
	Batch time.Duration
	// ForcePoll uses the polling mode even when inotify works.
	ForcePoll bool
	Logger    *slog.Logger
	Metrics   *Metrics
	Clock     Clock
}

// Previous is a file followed before a restart.
type Previous struct {
	Path     string
	Dev, Ino uint64
}

// Tailer follows the files of its sources; see the package doc.
type Tailer struct {
	opts    Options
	sources []source
	log     *slog.Logger
	m       *Metrics
	clock   Clock
	// open is os-level open, a field so tests can inject failures root
	// would not get (permission denied).
	open func(path string) (*os.File, error)
	// newWatcher is fsnotify.NewWatcher, a field so tests can make inotify
	// run out without taking the machine's instances.
	newWatcher func() (*fsnotify.Watcher, error)
	// bufs lends read buffers for one read round: 100 quiet files do not
	// hold 100 buffers, only the files reading right now do.
	bufs sync.Pool
}

type source struct {
	name    string
	paths   []string
	exclude []string
	start   string
}

// New checks the options and fills in defaults.
func New(opts Options) (*Tailer, error) {
	if opts.Handler == nil {
		return nil, errors.New("tailer: no Handler")
	}
	if opts.Rescan <= 0 {
		opts.Rescan = DefaultRescan
	}
	if opts.ReadSize <= 0 {
		opts.ReadSize = DefaultReadSize
	}
	if opts.Idle == 0 {
		opts.Idle = DefaultIdle
	}
	if opts.DrainQuiet <= 0 {
		opts.DrainQuiet = DefaultDrainQuiet
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Batch == 0 {
		opts.Batch = DefaultBatch
	}
	t := &Tailer{opts: opts, log: opts.Logger, m: opts.Metrics, clock: opts.Clock, open: openFile, newWatcher: fsnotify.NewWatcher}
	t.bufs.New = func() any {
		b := make([]byte, t.opts.ReadSize)
		return &b
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.m == nil {
		t.m = new(Metrics)
	}
	if t.clock == nil {
		t.clock = realClock{}
	}
	for i, s := range opts.Sources {
		src := source{name: s.Name, start: s.Start}
		switch s.Start {
		case "":
			src.start = StartEnd
		case StartEnd, StartBeginning:
		default:
			return nil, fmt.Errorf("tailer: source %q: start must be %q or %q (got %q)", s.Name, StartEnd, StartBeginning, s.Start)
		}
		if len(s.Paths) == 0 {
			return nil, fmt.Errorf("tailer: source[%d] %q: no paths", i, s.Name)
		}
		for _, p := range s.Paths {
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, fmt.Errorf("tailer: source %q: path %q: %w", s.Name, p, err)
			}
			abs = filepath.ToSlash(abs)
			if !doublestar.ValidatePattern(abs) {
				return nil, fmt.Errorf("tailer: source %q: bad glob %q", s.Name, p)
			}
			src.paths = append(src.paths, abs)
		}
		for _, p := range s.Exclude {
			if !doublestar.ValidatePattern(p) {
				return nil, fmt.Errorf("tailer: source %q: bad exclude glob %q", s.Name, p)
			}
			src.exclude = append(src.exclude, p)
		}
		t.sources = append(t.sources, src)
	}
	return t, nil
}

// Metrics returns the counters the tailer updates.
func (t *Tailer) Metrics() *Metrics { return t.m }

func openFile(path string) (*os.File, error) {
	// O_NONBLOCK: a FIFO swapped in between our stat and open must not
	// block the open forever; regular files ignore the flag.
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// matches says whether path (absolute, slash-separated) belongs to src.
func (s *source) matches(path string) bool {
	in := false
	for _, p := range s.paths {
		if doublestar.MatchUnvalidated(p, path) {
			in = true
			break
		}
	}
	return in && !s.excluded(path)
}

func (s *source) excluded(path string) bool {
	for _, e := range s.exclude {
		name := path
		if !strings.Contains(e, "/") {
			name = filepath.Base(path)
		}
		if doublestar.MatchUnvalidated(e, name) {
			return true
		}
	}
	return false
}

type fileID struct{ dev, ino uint64 }

func idOf(fi os.FileInfo) fileID {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fileID{uint64(st.Dev), uint64(st.Ino)}
	}
	return fileID{}
}

func nlinkOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// msg is what a follower tells Run.
type msg struct {
	fl *follower
	// release: fl's path now names another file (or none); fl drains.
	// Otherwise fl has stopped.
	release bool
	off     int64
	linked  bool // the stopped file still has a name
}

type failure struct {
	text    string
	startup bool
}

// run is the state of one Run call, owned by Run's goroutine.
type run struct {
	t      *Tailer
	ctx    context.Context
	wg     sync.WaitGroup
	msgs   chan msg
	bound  map[string]*follower // path -> the follower reading it
	byID   map[fileID]*follower // every open file, draining ones too
	known  map[fileID]int64     // closed files still linked: where they ended
	failed map[string]failure   // paths reported as unfollowable
	// moved are paths of Options.Previous that name another file now.
	moved map[string]bool
	// vacant are paths whose file was rotated away before a new one was
	// there; in the polling mode each tick looks for the new file, which
	// inotify's Create would announce.
	vacant  map[string]*source
	watcher *fsnotify.Watcher
	watched map[string]bool
	badDirs map[string]string // directories whose watch failed, reported once
	pollT   Ticker
	pollC   <-chan time.Time
}

// Run follows the files until ctx is done, then stops every file goroutine
// and returns nil. It returns an error only if it cannot start. Run must
// not be called twice at once.
func (t *Tailer) Run(ctx context.Context) error {
	r := &run{
		t:       t,
		ctx:     ctx,
		msgs:    make(chan msg),
		bound:   map[string]*follower{},
		byID:    map[fileID]*follower{},
		known:   map[fileID]int64{},
		failed:  map[string]failure{},
		vacant:  map[string]*source{},
		moved:   map[string]bool{},
		watched: map[string]bool{},
		badDirs: map[string]string{},
	}
	defer r.stop()
	if !t.opts.ForcePoll {
		r.startWatcher()
	} else {
		r.startPolling("polling forced by configuration", nil)
	}
	r.findPrevious()
	r.fullScan(true)
	r.moved = nil
	rescan := t.clock.NewTicker(t.opts.Rescan)
	defer rescan.Stop()
	var batchT Timer
	var batchC <-chan time.Time
	defer func() {
		if batchT != nil {
			batchT.Stop()
		}
	}()
	paused, pause := false, minBatch
	// round handles ev and what is queued behind it, then pauses.
	round := func(ev fsnotify.Event) {
		r.onEvent(ev)
		if t.opts.Batch < 0 {
			return
		}
		r.drainEvents()
		paused = true
		if batchT == nil {
			batchT = t.clock.NewTimer(pause)
			batchC = batchT.C()
		} else {
			batchT.Reset(pause)
		}
	}
	for {
		var events <-chan fsnotify.Event
		var errs <-chan error
		if r.watcher != nil {
			events, errs = r.watcher.Events, r.watcher.Errors
		}
		if paused {
			events = nil
		}
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				r.startPolling("inotify watcher stopped", nil)
				continue
			}
			round(ev)
		case <-batchC:
			paused = false
			if r.watcher == nil {
				continue
			}
			select {
			case ev, ok := <-r.watcher.Events:
				if !ok {
					r.startPolling("inotify watcher stopped", nil)
					continue
				}
				// Busy: events came during the pause.
				pause = min(2*pause, max(t.opts.Batch, minBatch))
				round(ev)
			default:
				pause = minBatch
			}
		case err, ok := <-errs:
			if !ok {
				r.startPolling("inotify watcher stopped", nil)
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				t.log.Warn("inotify queue overflow; rescanning")
			} else {
				t.log.Warn("inotify error; rescanning", "err", err)
			}
			r.fullScan(false)
			r.wakeAll()
		case m := <-r.msgs:
			r.onMsg(m)
		case <-rescan.C():
			r.fullScan(false)
			r.wakeAll()
		case <-r.pollC:
			for path, src := range r.vacant {
				r.consider(path, src, false)
			}
			r.wakeAll()
		}
	}
}

// drainEvents handles the events already queued, without waiting.
func (r *run) drainEvents() {
	for r.watcher != nil {
		select {
		case ev, ok := <-r.watcher.Events:
			if !ok {
				return
			}
			r.onEvent(ev)
		default:
			return
		}
	}
}

func (r *run) stop() {
	r.wg.Wait()
	if r.watcher != nil {
		r.watcher.Close()
	}
	if r.pollT != nil {
		r.pollT.Stop()
	}
}

func (r *run) startWatcher() {
	inst, watches, err := inotifyLimits()
	if err != nil {
		r.t.log.Debug("cannot read inotify limits", "err", err)
	} else {
		r.t.log.Debug("inotify limits", "max_user_instances", inst, "max_user_watches", watches)
		if need := len(r.wantedDirs()); watches > 0 && need > watches {
			r.startPolling("more directories to watch than fs.inotify.max_user_watches", fmt.Errorf("need %d, limit %d", need, watches))
			return
		}
	}
	w, err := r.t.newWatcher()
	if err != nil {
		// EMFILE here means fs.inotify.max_user_instances is used up.
		r.startPolling("cannot create an inotify watcher", err)
		return
	}
	r.watcher = w
}

// startPolling switches to the polling fallback: every Poll each followed
// file reads to its end and checks for rotation and truncation, which
// loses nothing that inotify would have caught, at some latency.
func (r *run) startPolling(why string, err error) {
	if r.pollT != nil {
		return
	}
	if r.watcher != nil {
		r.watcher.Close()
		r.watcher = nil
		r.watched = map[string]bool{}
	}
	if r.t.opts.ForcePoll {
		r.t.log.Info("tailer polling", "reason", why, "every", r.t.opts.Poll)
	} else {
		r.t.log.Warn("tailer falls back to polling", "reason", why, "err", err, "every", r.t.opts.Poll)
	}
	r.t.m.Polling.Store(1)
	r.pollT = r.t.clock.NewTicker(r.t.opts.Poll)
	r.pollC = r.pollT.C()
}

func (r *run) wakeAll() {
	for _, fl := range r.bound {
		fl.poke()
	}
}

func (r *run) onEvent(ev fsnotify.Event) {
	name := filepath.ToSlash(ev.Name)
	if fl := r.bound[name]; fl != nil {
		// Any change to a followed path, including a rename or a new file
		// over it: the follower reads to its end and then checks whether
		// the path still names its file.
		fl.poke()
		return
	}
	switch {
	case ev.Has(fsnotify.Create):
		fi, err := os.Stat(ev.Name)
		if err != nil {
			return
		}
		if fi.IsDir() {
			// A new directory may hold matches already and needs a watch
			// of its own before more files appear in it.
			r.fullScan(false)
			return
		}
		if src := r.sourceOf(name); src != nil {
			r.consider(name, src, false)
		}
	case ev.Has(fsnotify.Chmod):
		// A permission fix is the one change worth retrying at once.
		if _, ok := r.failed[name]; ok {
			if src := r.sourceOf(name); src != nil {
				r.consider(name, src, false)
			}
		}
	}
}

func (r *run) sourceOf(path string) *source {
	for i := range r.t.sources {
		if r.t.sources[i].matches(path) {
			return &r.t.sources[i]
		}
	}
	return nil
}

func (r *run) onMsg(m msg) {
	fl := m.fl
	if m.release {
		if r.bound[fl.path] == fl {
			delete(r.bound, fl.path)
		}
		if src := r.sourceOf(fl.path); src != nil {
			r.consider(fl.path, src, false)
			if r.bound[fl.path] == nil {
				r.vacant[fl.path] = src
			}
		}
		return
	}
	if r.bound[fl.path] == fl {
		delete(r.bound, fl.path)
	}
	if r.byID[fl.id] == fl {
		delete(r.byID, fl.id)
	}
	if m.linked {
		// It may live on under a name the globs match (app.log.1 for
		// "app.log*"): remember where it ended so it is not read twice.
		r.known[fl.id] = m.off
		r.fullScan(false)
	}
}

// fullScan globs every source, follows new matches, retries failed ones and
// refreshes the directory watches.
func (r *run) fullScan(startup bool) {
	seen := map[string]bool{}
	ids := map[fileID]bool{}
	for i := range r.t.sources {
		src := &r.t.sources[i]
		for _, p := range src.paths {
			matches, _ := doublestar.FilepathGlob(p)
			for _, m := range matches {
				m = filepath.ToSlash(m)
				if seen[m] || src.excluded(m) {
					continue
				}
				seen[m] = true
				if fi, err := os.Stat(m); err == nil {
					ids[idOf(fi)] = true
				}
				r.consider(m, src, startup)
			}
		}
	}
	for p := range r.failed {
		if !seen[p] {
			delete(r.failed, p)
		}
	}
	for p := range r.vacant {
		if !seen[p] {
			delete(r.vacant, p)
		}
	}
	for id := range r.known {
		if !ids[id] {
			delete(r.known, id)
		}
	}
	r.refreshWatches()
	r.t.m.Rescans.Add(1)
}

// consider follows path unless it is already followed, under this name or
// another.
func (r *run) consider(path string, src *source, startup bool) {
	if fl := r.bound[path]; fl != nil {
		fl.poke()
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// Gone between the glob or event and now: nothing to report.
			delete(r.failed, path)
			return
		}
		r.reportOpen(path, src, err, startup)
		return
	}
	if fi.IsDir() {
		return
	}
	if !fi.Mode().IsRegular() {
		r.reportOpen(path, src, fmt.Errorf("%s: not a regular file (%v)", path, fi.Mode().Type()), startup)
		return
	}
	if _, ok := r.byID[idOf(fi)]; ok {
		return
	}
	f, err := r.t.open(filepath.FromSlash(path))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		r.reportOpen(path, src, err, startup)
		return
	}
	fi, err = f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s: not a regular file (%v)", path, fi.Mode().Type())
	}
	if err != nil {
		f.Close()
		r.reportOpen(path, src, err, startup)
		return
	}
	id := idOf(fi)
	if _, ok := r.byID[id]; ok {
		f.Close()
		return
	}
	if old, ok := r.failed[path]; ok {
		startup = startup || old.startup
		delete(r.failed, path)
	}
	if r.moved[path] {
		startup = false // a new file since we last looked: all of it is news
	}
	file := &File{Path: path, Source: src.name, Dev: id.dev, Ino: id.ino, Info: fi}
	fl := newFollower(r, file, f, id)
	size := fi.Size()
	switch off, ok := r.known[id]; {
	case ok && off <= size:
		fl.off, fl.resumed = off, true
	case r.t.opts.Resume != nil:
		if off, ok := r.t.opts.Resume(path, f); ok {
			if off > size {
				// Shorter than where we stopped: truncated while we
				// were away. What was lost cannot be known.
				fl.resumeBeyond = off
			} else if off > 0 {
				fl.off = off
			}
			fl.resumed = true
			break
		}
		fallthrough
	default:
		if startup && src.start == StartEnd {
			fl.off = size
		}
	}
	delete(r.known, id)
	fl.seen = fl.off
	r.bound[path] = fl
	r.byID[id] = fl
	delete(r.vacant, path)
	r.t.m.Opens.Add(1)
	r.t.m.FilesOpen.Add(1)
	r.wg.Add(1)
	go fl.run(r.ctx)
}

// findPrevious looks for the files of Options.Previous that were rotated
// while the tailer was down and starts draining the ones Resume knows.
// Those a glob matches under their new name are left to the first scan.
func (r *run) findPrevious() {
	for _, p := range r.t.opts.Previous {
		path := filepath.ToSlash(p.Path)
		want := fileID{p.Dev, p.Ino}
		if fi, err := os.Stat(path); err == nil && idOf(fi) == want {
			continue
		}
		r.moved[path] = true
		src := r.sourceOf(path)
		if src == nil || r.t.opts.Resume == nil {
			continue
		}
		entries, err := os.ReadDir(filepath.Dir(filepath.FromSlash(path)))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			fi, err := e.Info()
			if err != nil || idOf(fi) != want {
				continue
			}
			name := filepath.ToSlash(filepath.Join(filepath.Dir(path), e.Name()))
			if r.sourceOf(name) == nil {
				r.drainPrevious(name, src, want)
			}
			break
		}
	}
}

func (r *run) drainPrevious(path string, src *source, want fileID) {
	if _, ok := r.byID[want]; ok {
		return
	}
	f, err := r.t.open(filepath.FromSlash(path))
	if err != nil {
		r.reportOpen(path, src, err, true)
		return
	}
	fi, err := f.Stat()
	if err != nil || idOf(fi) != want {
		f.Close()
		return
	}
	off, ok := r.t.opts.Resume(path, f)
	if !ok || off > fi.Size() {
		f.Close()
		return
	}
	file := &File{Path: path, Source: src.name, Dev: want.dev, Ino: want.ino, Info: fi}
	fl := newFollower(r, file, f, want)
	off = max(off, 0)
	fl.off, fl.seen, fl.resumed, fl.orphan = off, off, true, true
	r.byID[want] = fl
	r.t.m.Opens.Add(1)
	r.t.m.FilesOpen.Add(1)
	r.wg.Add(1)
	go fl.run(r.ctx)
}

// reportOpen reports a path that cannot be followed, once per problem: the
// same failure on every rescan stays silent.
func (r *run) reportOpen(path string, src *source, err error, startup bool) {
	text := err.Error()
	if old, ok := r.failed[path]; ok && old.text == text {
		return
	}
	r.failed[path] = failure{text: text, startup: startup}
	r.t.m.OpenErrors.Add(1)
	r.t.log.Warn("cannot follow file", "source", src.name, "path", path, "err", err)
	r.t.opts.Handler.Event(&File{Path: path, Source: src.name}, Event{Kind: Error, Err: err})
}

// wantedDirs are the directories whose changes can bring new matches: the
// fixed part of each glob (or its nearest existing ancestor, to see it
// created), and every existing directory the glob's directory part
// matches.
func (r *run) wantedDirs() map[string]bool {
	dirs := map[string]bool{}
	for _, src := range r.t.sources {
		for _, p := range src.paths {
			base, rest := doublestar.SplitPattern(p)
			if base == "" || base == "." {
				base = "/"
			}
			d := base
			for {
				if fi, err := os.Stat(d); err == nil && fi.IsDir() {
					dirs[d] = true
					break
				}
				parent := filepath.Dir(d)
				if parent == d {
					break
				}
				d = parent
			}
			if d != base {
				continue // the rest cannot exist yet
			}
			comps := strings.Split(rest, "/")
			for i := 1; i < len(comps); i++ {
				prefix := strings.TrimSuffix(base, "/") + "/" + strings.Join(comps[:i], "/")
				matches, _ := doublestar.FilepathGlob(prefix)
				for _, m := range matches {
					if fi, err := os.Stat(m); err == nil && fi.IsDir() {
						dirs[filepath.ToSlash(m)] = true
					}
				}
			}
		}
	}
	return dirs
}

func (r *run) refreshWatches() {
	if r.watcher == nil {
		return
	}
	want := r.wantedDirs()
	added := false
	// Files are opened before their directory is watched: whatever was
	// written in between raised no event, so a new watch wakes every
	// follower to read it (otherwise it would wait for the next rescan).
	defer func() {
		if added {
			r.wakeAll()
		}
	}()
	for d := range want {
		if r.watched[d] {
			continue
		}
		if err := r.watcher.Add(filepath.FromSlash(d)); err != nil {
			if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
				// fs.inotify.max_user_watches is used up.
				r.startPolling("cannot add an inotify watch", err)
				return
			}
			if !errors.Is(err, fs.ErrNotExist) && r.badDirs[d] != err.Error() {
				r.badDirs[d] = err.Error()
				r.t.log.Warn("cannot watch directory; its files are seen on rescans", "dir", d, "err", err)
			}
			continue
		}
		r.watched[d] = true
		added = true
		delete(r.badDirs, d)
	}
	for d := range r.watched {
		if !want[d] {
			r.watcher.Remove(filepath.FromSlash(d))
			delete(r.watched, d)
		}
	}
}
