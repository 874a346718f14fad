package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/rules"
	"github.com/tattle-dev/tattle/store"
	"github.com/tattle-dev/tattle/tailer"
)

// RunOptions configure the daemon.
type RunOptions struct {
	ConfigPath string
	// EventsOut, when set, is a file every matched event is appended to
	// as a JSON line.
	EventsOut string
	Logger    *slog.Logger
	// Listening, when set, is told the address of the HTTP listener once
	// it accepts connections (tests listen on port 0).
	Listening func(addr string)
	// CheckpointEvery is the period of state checkpoints (default 5s).
	CheckpointEvery time.Duration
	// Signals, when set, replaces the process's SIGHUP (reload) channel;
	// tests send on it.
	Signals <-chan os.Signal
}

// shutdownGrace bounds the time from SIGTERM to exit: flush, checkpoint and
// close must fit in it.
const shutdownGrace = 5 * time.Second

// defaultCheckpointEvery is how often offsets are made durable while
// running. A crash repeats at most this much (at-least-once), never loses.
const defaultCheckpointEvery = 5 * time.Second

// softMemoryLimit is the daemon's default soft memory limit (Go runtime).
const softMemoryLimit = 16 << 20

// settleAfter is the quiet time after which a record that is a lone header
// line is emitted, so single-line errors reach --events-out within a few
// milliseconds. Other records wait for flush_interval of quiet, checked by
// a timer armed only while some file holds one (a ticker running always
// cost a following daemon more CPU than its reading).
const settleAfter = 2 * time.Millisecond

// readSize is the tailer's read buffer per file being read.
const readSize = 64 << 10

// Run is `tattle run`: it follows every file the sources match until ctx is
// done, then flushes, checkpoints and returns nil. Configuration errors are
// UsageErrors.
func Run(ctx context.Context, opts RunOptions) error {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	cfg, err := rules.Load(opts.ConfigPath)
	if err != nil {
		return &UsageError{err}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit keeps the heap's slack small on a small server:
		// the collector works harder near it instead of letting the heap
		// double. GOMEMLIMIT in the environment overrides it.
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if len(cfg.Sources) == 0 {
		return &UsageError{fmt.Errorf("%s: run needs at least one [[source]] with the paths to follow", opts.ConfigPath)}
	}
	eng, err := rules.NewEngine(cfg)
	if err != nil {
		return &UsageError{err}
	}
	stateDir := cfg.Tattle.StateDir
	if stateDir == "" {
		stateDir = filepath.Join(filepath.Dir(opts.ConfigPath), "tattle-state")
		log.Info("no [tattle] state_dir: keeping state beside the configuration", "state_dir", stateDir)
	}
	st, err := store.Open(stateDir, store.Options{})
	if err != nil {
		return err
	}
	if rec := st.Recovery(); len(rec.Torn) > 0 {
		log.Warn("state recovered after a crash: torn journal tails dropped", "torn", fmt.Sprintf("%+v", rec.Torn))
	}
	d := &daemon{
		opts:  opts,
		log:   log,
		st:    st,
		m:     NewMetrics(),
		files: map[*tailer.File]*fileState{},
		keys:  map[fileID]store.FileKey{},
		last:  map[fileID]position{},

		wantFlush: make(chan struct{}, 1),
	}
	d.cfg.Store(cfg)
	d.eng.Store(eng)
	if opts.EventsOut != "" {
		if d.events, err = openEventsOut(opts.EventsOut); err != nil {
			st.Close()
			return err
		}
	}
	return d.run(ctx)
}

type fileID struct{ dev, ino uint64 }

// daemon is one running `tattle run`.
type daemon struct {
	opts   RunOptions
	log    *slog.Logger
	st     *store.Store
	m      *Metrics
	events *eventsOut
	cfg    atomic.Pointer[rules.Config]
	eng    atomic.Pointer[rules.Engine]

	mu    sync.Mutex
	files map[*tailer.File]*fileState
	keys  map[fileID]store.FileKey // identities read in Resume
	last  map[fileID]position      // where a closed file stopped, for a rename within the run
	// closed holds the final positions of files closed since the last
	// checkpoint.
	closed []store.Position

	healthy atomic.Bool
	// wantFlush asks the run loop to arm the flush timer.
	wantFlush chan struct{}
}

type fileState struct {
	c       *consumer
	key     store.FileKey
	path    string
	drained bool // rotated or deleted: its end is final
}

func (d *daemon) engine() *rules.Engine { return d.eng.Load() }

func (d *daemon) sink(ev *parsers.Event) {
	if d.events != nil {
		if err := d.events.Write(ev); err != nil {
			d.log.Error("writing events", "err", err)
		}
	}
}

func (d *daemon) run(ctx context.Context) (err error) {
	defer func() {
		if cerr := d.st.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if d.events != nil {
			if cerr := d.events.Close(); err == nil && cerr != nil {
				err = cerr
			}
		}
	}()
	srv, err := d.listen()
	if err != nil {
		return err
	}
	if srv != nil {
		defer srv.Close()
	}

	hup := d.opts.Signals
	if hup == nil {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGHUP)
		defer signal.Stop(c)
		hup = c
	}
	cfgChanged := d.watchConfig(ctx)

	every := d.opts.CheckpointEvery
	if every <= 0 {
		every = defaultCheckpointEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	flush := time.NewTimer(time.Hour)
	flush.Stop()
	var flushC <-chan time.Time

	for {
		tctx, stopTailer := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan error, 1)
		t, err := d.newTailer()
		if err != nil {
			stopTailer()
			return err
		}
		go func() { done <- t.Run(tctx) }()
		d.healthy.Store(true)
		d.log.Info("following", "sources", len(d.cfg.Load().Sources))

		restart := false
		for !restart {
			select {
			case <-ctx.Done():
				return d.shutdown(stopTailer, done)
			case err := <-done:
				stopTailer()
				d.healthy.Store(false)
				return fmt.Errorf("tailer stopped: %w", err)
			case <-tick.C:
				d.checkpoint()
			case <-d.wantFlush:
				if flushC == nil {
					flush.Reset(d.flushInterval())
					flushC = flush.C
				}
			case now := <-flushC:
				flushC = nil
				if d.flushQuiet(now) {
					flush.Reset(d.flushInterval() / 4)
					flushC = flush.C
				}
			case <-hup:
				restart = d.reload("SIGHUP")
			case <-cfgChanged:
				restart = d.reload("the configuration file changed")
			}
		}
		// New sources: stop following, save where each file stopped,
		// and follow again under the new configuration.
		stopTailer()
		if err := <-done; err != nil {
			return fmt.Errorf("tailer stopped: %w", err)
		}
		d.checkpoint()
	}
}

// shutdown stops the tailer, flushes and checkpoints within shutdownGrace.
func (d *daemon) shutdown(stopTailer context.CancelFunc, done <-chan error) error {
	d.healthy.Store(false)
	stopTailer()
	select {
	case err := <-done:
		if err != nil {
			d.log.Error("tailer", "err", err)
		}
	case <-time.After(shutdownGrace):
		d.log.Error("the tailer did not stop in time; checkpointing what is known")
	}
	d.checkpoint()
	d.log.Info("stopped")
	return nil
}

func (d *daemon) newTailer() (*tailer.Tailer, error) {
	cfg := d.cfg.Load()
	prev, err := d.previous()
	if err != nil {
		return nil, err
	}
	var srcs []tailer.Source
	for _, s := range cfg.Sources {
		srcs = append(srcs, tailer.Source{Name: s.Name, Paths: s.Paths, Exclude: s.Exclude, Start: s.Start})
	}
	return tailer.New(tailer.Options{
		Sources:  srcs,
		Resume:   d.resume,
		Previous: prev,
		Handler:  d,
		// At the end of what was written: lone header lines are
		// complete (settleAfter); other records wait for flush_interval
		// (flushQuiet, on the daemon's ticker).
		Idle:   settleAfter,
		Logger: d.log,
		// One buffer per file being read at the moment: 64 KiB keeps 100
		// busy files near the 20 MB target (256 KiB measured 31.6 MB).
		ReadSize: readSize,
	})
}

// resume tells the tailer where to resume a file: where a saved position
// with the same identity (device, inode, first bytes) stopped.
func (d *daemon) resume(path string, f *os.File) (int64, bool) {
	key, err := store.KeyOf(f)
	if err != nil {
		d.log.Warn("reading a file's identity", "path", path, "err", err)
		return 0, false
	}
	id := fileID{key.Dev, key.Ino}
	d.mu.Lock()
	d.keys[id] = key
	d.mu.Unlock()
	if p, ok := d.findPosition(f, key); ok {
		if p.Key != key {
			// Keyed when the file was shorter (fewer head bytes): the
			// next checkpoint saves it under its full key; one file,
			// one position.
			if err := d.st.DeletePosition(p.Key); err != nil {
				d.log.Warn("re-keying a saved position", "path", path, "err", err)
			}
		}
		d.mu.Lock()
		d.last[id] = position{p.Offset, p.Line}
		d.mu.Unlock()
		return p.Offset, true
	}
	return 0, false
}

// findPosition finds the saved position of the file open as f.
func (d *daemon) findPosition(f *os.File, key store.FileKey) (store.Position, bool) {
	ps, err := d.st.Positions()
	if err != nil {
		d.log.Error("reading saved positions", "err", err)
		return store.Position{}, false
	}
	for _, p := range ps {
		if p.Key.Dev != key.Dev || p.Key.Ino != key.Ino {
			continue
		}
		if ok, err := p.Key.Matches(f); err == nil && ok {
			return p, true
		}
	}
	return store.Position{}, false
}

// previous lists the files followed before, for the tailer to find those
// rotated while tattle was down (in the same directory, by device and
// inode) and finish them from their saved positions; the new file at such a
// path is then read from its start. One position per file: an older key of
// the same file (saved when the file was shorter) is dropped.
func (d *daemon) previous() ([]tailer.Previous, error) {
	all, err := d.st.Positions()
	if err != nil {
		return nil, err
	}
	newest := map[fileID]store.Position{}
	for _, p := range all {
		id := fileID{p.Key.Dev, p.Key.Ino}
		if q, ok := newest[id]; !ok || p.Updated.After(q.Updated) {
			newest[id] = p
		}
	}
	var out []tailer.Previous
	for _, p := range all {
		if q := newest[fileID{p.Key.Dev, p.Key.Ino}]; q.Key != p.Key {
			if err := d.st.DeletePosition(p.Key); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, tailer.Previous{Path: p.Path, Dev: p.Key.Dev, Ino: p.Key.Ino})
	}
	return out, nil
}

// Data implements tailer.Handler.
func (d *daemon) Data(f *tailer.File, off int64, p []byte) {
	d.mu.Lock()
	fs := d.files[f]
	d.mu.Unlock()
	if fs == nil {
		return // the tailer always sends Opened first; nothing to feed
	}
	fs.c.Data(p)
	if d.events != nil {
		if err := d.events.Flush(); err != nil {
			d.log.Error("writing events", "err", err)
		}
	}
}

// Event implements tailer.Handler.
func (d *daemon) Event(f *tailer.File, e tailer.Event) {
	switch e.Kind {
	case tailer.Opened:
		d.opened(f, e)
	case tailer.Idle:
		d.withFile(f, func(fs *fileState) {
			if fs.c.FlushSettled() {
				select { // a record waits: arm the flush timer
				case d.wantFlush <- struct{}{}:
				default:
				}
			}
		})
		if d.events != nil {
			d.events.Flush()
		}
	case tailer.Rotated, tailer.Deleted:
		d.m.Rotations.Add(1)
		d.withFile(f, func(fs *fileState) { fs.drained = true })
	case tailer.Truncated:
		d.m.Truncations.Add(1)
		d.m.AddLost("truncated", e.Lost)
		d.log.Warn("file truncated", "path", f.Path, "offset", e.Offset, "size", e.Size, "lost_bytes", e.Lost)
		d.withFile(f, func(fs *fileState) {
			if err := fs.c.Restart(); err != nil {
				d.log.Error("restarting a truncated file", "path", f.Path, "err", err)
			}
		})
	case tailer.Error:
		d.m.ReadErrors.Add(1)
		d.log.Error("cannot follow a file", "path", f.Path, "err", e.Err)
	case tailer.Closed:
		d.closedFile(f)
	}
}

func (d *daemon) withFile(f *tailer.File, fn func(*fileState)) {
	d.mu.Lock()
	fs := d.files[f]
	d.mu.Unlock()
	if fs != nil {
		fn(fs)
	}
}

func (d *daemon) opened(f *tailer.File, e tailer.Event) {
	cfg := d.cfg.Load()
	src := cfg.Source(f.Source)
	if src == nil {
		return
	}
	id := fileID{f.Dev, f.Ino}
	d.mu.Lock()
	key, haveKey := d.keys[id]
	start, known := d.last[id]
	d.mu.Unlock()
	if !known || start.Offset != e.Offset {
		start = position{Offset: e.Offset}
		if e.Offset > 0 {
			// Started at the end of a file seen for the first time: its
			// lines are numbered from where reading starts.
			start.Line = countLines(f.Path, e.Offset)
		}
	}
	if !haveKey {
		if fh, err := os.Open(f.Path); err == nil {
			if k, err := store.KeyOf(fh); err == nil && k.Dev == f.Dev && k.Ino == f.Ino {
				key = k
			}
			fh.Close()
		}
	}
	c, err := newConsumer(src.Name, f.Path, src.ParserOptions(cfg), start, d.engine, d.sink, d.m)
	if err != nil {
		d.log.Error("cannot parse a file", "path", f.Path, "err", err)
		return
	}
	path := f.Path
	c.report = func(problem string) { d.log.Warn(problem, "path", path) }
	d.m.FilesOpen.Add(1)
	d.mu.Lock()
	d.files[f] = &fileState{c: c, key: key, path: f.Path}
	d.mu.Unlock()
	d.log.Info("following", "path", f.Path, "source", f.Source, "offset", e.Offset, "resumed", e.Resumed)
}

func (d *daemon) closedFile(f *tailer.File) {
	d.mu.Lock()
	fs := d.files[f]
	delete(d.files, f)
	d.mu.Unlock()
	if fs == nil {
		return
	}
	d.m.FilesOpen.Add(-1)
	if fs.drained {
		fs.c.End() // the file will not grow: its last line is final
	} else {
		fs.c.Flush() // stopping: an unfinished last line is read again next time
	}
	if d.events != nil {
		d.events.Flush()
	}
	safe := fs.c.Safe()
	d.mu.Lock()
	d.last[fileID{f.Dev, f.Ino}] = safe
	if fs.key.Dev != 0 || fs.key.Ino != 0 {
		d.closed = append(d.closed, store.Position{Path: fs.path, Key: fs.key, Offset: safe.Offset, Line: safe.Line, Updated: time.Now()})
	}
	d.mu.Unlock()
}

func (d *daemon) flushInterval() time.Duration {
	if q := d.cfg.Load().Tattle.FlushInterval; q > 0 {
		return q
	}
	return rules.DefaultFlushInterval
}

// flushQuiet completes the multi-line records of files that have been
// quiet for flush_interval, and reports whether some file still holds one.
func (d *daemon) flushQuiet(now time.Time) bool {
	quiet := d.flushInterval()
	d.mu.Lock()
	cs := make([]*consumer, 0, len(d.files))
	for _, fs := range d.files {
		cs = append(cs, fs.c)
	}
	d.mu.Unlock()
	pending := false
	for _, c := range cs {
		if c.FlushIfQuiet(now, quiet) {
			pending = true
		}
	}
	if d.events != nil {
		if err := d.events.Flush(); err != nil {
			d.log.Error("writing events", "err", err)
		}
	}
	return pending
}

// checkpoint makes the events handed on so far durable, then saves where
// each file stands: an offset is committed only after the events before it.
func (d *daemon) checkpoint() {
	var stale []store.FileKey
	d.mu.Lock()
	ps := slices.Clone(d.closed)
	d.closed = d.closed[:0]
	for _, fs := range d.files {
		if fs.key.Dev == 0 && fs.key.Ino == 0 {
			continue
		}
		if fs.key.HeadLen < store.HeadBytes {
			// Keyed while short: key it again by its fuller head, so
			// that a later file reusing the inode is not taken for it.
			if k, ok := rekey(fs.path, fs.key); ok {
				stale = append(stale, fs.key)
				fs.key = k
			}
		}
		safe := fs.c.Safe()
		ps = append(ps, store.Position{Path: fs.path, Key: fs.key, Offset: safe.Offset, Line: safe.Line, Updated: time.Now()})
	}
	d.mu.Unlock()
	if d.events != nil {
		if err := d.events.Sync(); err != nil {
			d.m.CheckpointFails.Add(1)
			d.log.Error("checkpoint: events not durable, offsets not saved", "err", err)
			return
		}
	}
	for _, k := range stale {
		if err := d.st.DeletePosition(k); err != nil {
			d.log.Warn("checkpoint: dropping a re-keyed position", "err", err)
		}
	}
	for _, p := range ps {
		if err := d.st.SetPosition(p); err != nil {
			d.m.CheckpointFails.Add(1)
			d.log.Error("checkpoint", "path", p.Path, "err", err)
			return
		}
	}
	if err := d.st.Sync(); err != nil {
		d.m.CheckpointFails.Add(1)
		d.log.Error("checkpoint", "err", err)
		return
	}
	d.m.Checkpoints.Add(1)
}

// reload validates the configuration again and swaps it in; an invalid one
// is logged and the old one stays. It reports whether the sources changed,
// so that following must restart.
func (d *daemon) reload(why string) bool {
	old := d.cfg.Load()
	cfg, err := rules.Load(d.opts.ConfigPath)
	if err == nil && len(cfg.Sources) == 0 {
		err = fmt.Errorf("%s: run needs at least one [[source]]", d.opts.ConfigPath)
	}
	var eng *rules.Engine
	if err == nil {
		eng, err = rules.NewEngine(cfg)
	}
	if err != nil {
		d.m.ReloadFailures.Add(1)
		d.log.Error("configuration not reloaded; keeping the running one", "why", why, "err", err)
		return false
	}
	d.cfg.Store(cfg)
	d.eng.Store(eng)
	d.m.ConfigReloads.Add(1)
	changed := !sameSources(old, cfg)
	d.log.Info("configuration reloaded", "why", why, "sources_changed", changed)
	return changed
}

func sameSources(a, b *rules.Config) bool {
	if len(a.Sources) != len(b.Sources) {
		return false
	}
	for i := range a.Sources {
		x, y := a.Sources[i], b.Sources[i]
		if x.Name != y.Name || !slices.Equal(x.Paths, y.Paths) || !slices.Equal(x.Exclude, y.Exclude) ||
			x.Start != y.Start || fmt.Sprint(x.ParserOptions(a)) != fmt.Sprint(y.ParserOptions(b)) {
			return false
		}
	}
	return true
}

// watchConfig reports changes of the configuration file (editors replace
// it, so its directory is watched). No watch, no reports: SIGHUP still works.
func (d *daemon) watchConfig(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		d.log.Warn("not watching the configuration file; reload with SIGHUP", "err", err)
		return out
	}
	abs, _ := filepath.Abs(d.opts.ConfigPath)
	if err := w.Add(filepath.Dir(abs)); err != nil {
		w.Close()
		d.log.Warn("not watching the configuration file; reload with SIGHUP", "err", err)
		return out
	}
	go func() {
		defer w.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if p, _ := filepath.Abs(ev.Name); p == abs && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
					select {
					case out <- struct{}{}:
					default:
					}
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return out
}

// listen starts the HTTP listener for /metrics and /healthz.
func (d *daemon) listen() (*http.Server, error) {
	addr := d.cfg.Load().Tattle.Listen
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler: d.m.Handler(func() error {
			if !d.healthy.Load() {
				return errors.New("not following")
			}
			return nil
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(ln)
	d.log.Info("listening", "addr", ln.Addr().String())
	if d.opts.Listening != nil {
		d.opts.Listening(ln.Addr().String())
	}
	return srv, nil
}

// rekey reads the identity of the file at path again if it is still the
// file old names (same device and inode, same first bytes).
func rekey(path string, old store.FileKey) (store.FileKey, bool) {
	f, err := os.Open(path)
	if err != nil {
		return old, false
	}
	defer f.Close()
	if ok, err := old.Matches(f); err != nil || !ok {
		return old, false
	}
	k, err := store.KeyOf(f)
	if err != nil || k.Dev != old.Dev || k.Ino != old.Ino || k.HeadLen <= old.HeadLen {
		return old, false
	}
	return k, true
}

// countLines counts the newlines in the first n bytes of the file at path.
func countLines(path string, n int64) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 256<<10)
	var lines int64
	for n > 0 {
		k, err := f.Read(buf[:min(int64(len(buf)), n)])
		for _, c := range buf[:k] {
			if c == '\n' {
				lines++
			}
		}
		n -= int64(k)
		if err != nil {
			break
		}
	}
	return lines
}
