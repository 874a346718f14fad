package tailer

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The numbered lines the test writers append: content is a pure function of
// the number, so a reader can tell a line complete, torn or foreign.
func testLine(n int) string {
	size := 20 + (n*7)%60
	if n%500 == 499 {
		size = 6000 // some lines span pages and reads
	}
	return fmt.Sprintf("line %06d %s\n", n, strings.Repeat(string(rune('a'+n%26)), size))
}

// recorder is the test Handler: it rebuilds each *File's byte stream,
// checks that offsets are contiguous and remembers every event.
type recorder struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every call
	files   []*fileRec
	byFile  map[*File]*fileRec
	openErr []*File
	errOf   map[string][]error // Error events by path
	faults  []string           // broken promises seen on the fly
	// hook, if set, runs at the start of Data, outside the lock.
	hook func(f *File, off int64, p []byte)
	// noBytes keeps only the line tally, not the streams (stress runs).
	noBytes bool

	count     map[int]int // complete, intact lines by number
	bad       []string
	fragBytes int64 // torn lines cut off by a truncation
}

type fileRec struct {
	f      *File
	next   int64
	segs   [][]byte // a new segment starts at each Truncated
	carry  []byte   // the partial last line of the current segment
	events []Event
}

func newRecorder() *recorder {
	return &recorder{changed: make(chan struct{}), byFile: map[*File]*fileRec{}, errOf: map[string][]error{}, count: map[int]int{}}
}

// countLines tallies the complete lines in p, keeping a partial last line
// in fr.carry for the next call.
func (r *recorder) countLines(fr *fileRec, p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			fr.carry = append(fr.carry, p...)
			return
		}
		line := p[:i+1]
		if len(fr.carry) > 0 {
			line = append(fr.carry, line...)
			fr.carry = fr.carry[:0]
		}
		p = p[i+1:]
		n, err := strconv.Atoi(string(line[min(5, len(line)):min(11, len(line))]))
		if err != nil || string(line) != testLine(n) {
			r.bad = append(r.bad, fmt.Sprintf("%s: %.60q", fr.f.Path, line))
			continue
		}
		r.count[n]++
	}
}

func (r *recorder) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *recorder) Data(f *File, off int64, p []byte) {
	if h := r.hook; h != nil {
		h(f, off, p)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fr := r.byFile[f]
	switch {
	case fr == nil:
		r.faults = append(r.faults, fmt.Sprintf("%s: Data before Opened", f.Path))
		return
	case off != fr.next:
		r.faults = append(r.faults, fmt.Sprintf("%s: Data at %d, want %d", f.Path, off, fr.next))
	case len(p) == 0:
		r.faults = append(r.faults, fmt.Sprintf("%s: empty Data at %d", f.Path, off))
	}
	if !r.noBytes {
		last := len(fr.segs) - 1
		fr.segs[last] = append(fr.segs[last], p...)
	}
	r.countLines(fr, p)
	fr.next = off + int64(len(p))
	r.notify()
}

func (r *recorder) Event(f *File, e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.notify()
	if e.Kind == Error {
		r.errOf[f.Path] = append(r.errOf[f.Path], e.Err)
	}
	fr := r.byFile[f]
	if e.Kind == Opened {
		if fr != nil {
			r.faults = append(r.faults, fmt.Sprintf("%s: Opened twice", f.Path))
		}
		fr = &fileRec{f: f, next: e.Offset, segs: [][]byte{nil}}
		r.byFile[f] = fr
		r.files = append(r.files, fr)
	}
	if fr == nil {
		if e.Kind == Error && f.Info == nil {
			r.openErr = append(r.openErr, f)
			return
		}
		r.faults = append(r.faults, fmt.Sprintf("%s: %v before Opened", f.Path, e.Kind))
		return
	}
	if n := len(fr.events); n > 0 && fr.events[n-1].Kind == Closed {
		r.faults = append(r.faults, fmt.Sprintf("%s: %v after Closed", f.Path, e.Kind))
	}
	if e.Kind == Truncated {
		fr.next = 0
		fr.segs = append(fr.segs, nil)
		r.fragBytes += int64(len(fr.carry))
		fr.carry = nil
	}
	fr.events = append(fr.events, e)
}

// waitFor waits until cond holds, re-checking it on every handler call and
// every 10 ms (for conditions on metrics or goroutines).
func (r *recorder) waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

func (r *recorder) locked(fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn()
}

// tally is what the streams held: how many times each line number came
// complete and intact, and the torn or foreign pieces.
type tally struct {
	count     map[int]int
	bad       []string
	fragBytes int64 // bytes of torn lines at the end of a segment
}

func (r *recorder) tally() tally {
	r.mu.Lock()
	defer r.mu.Unlock()
	tl := tally{count: maps.Clone(r.count), bad: slices.Clone(r.bad), fragBytes: r.fragBytes}
	for _, fr := range r.files {
		tl.fragBytes += int64(len(fr.carry))
	}
	return tl
}

func (r *recorder) distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.count)
}

func (r *recorder) seen(n int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[n] > 0
}

// eventsOf lists the event kinds of every *File opened under path.
func (r *recorder) eventsOf(path string) [][]EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]EventKind
	for _, fr := range r.files {
		if fr.f.Path != path {
			continue
		}
		var ks []EventKind
		for _, e := range fr.events {
			ks = append(ks, e.Kind)
		}
		out = append(out, ks)
	}
	return out
}

// checkLifecycles checks after shutdown that every *File began with Opened,
// ended with Closed, and that the recorder saw no broken promise.
func (r *recorder) checkLifecycles(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.faults {
		t.Error(f)
	}
	for _, fr := range r.files {
		ev := fr.events
		if len(ev) == 0 || ev[0].Kind != Opened || ev[len(ev)-1].Kind != Closed {
			t.Errorf("%s (ino %d): events %v, want Opened ... Closed", fr.f.Path, fr.f.Ino, ev)
			continue
		}
		if got, want := ev[len(ev)-1].Offset, fr.next; got != want {
			t.Errorf("%s: Closed at %d, delivered up to %d", fr.f.Path, got, want)
		}
	}
}

// running is a Tailer under test.
type running struct {
	tl     *Tailer
	rec    *recorder
	cancel context.CancelFunc
	done   chan error
}

func startTailer(t *testing.T, opts Options, tweak func(*Tailer)) *running {
	t.Helper()
	rec, ok := opts.Handler.(*recorder)
	if !ok {
		rec = newRecorder()
		opts.Handler = rec
	}
	if opts.Metrics == nil {
		opts.Metrics = new(Metrics)
	}
	tl, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(tl)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rn := &running{tl: tl, rec: rec, cancel: cancel, done: make(chan error, 1)}
	go func() { rn.done <- tl.Run(ctx) }()
	t.Cleanup(func() { rn.stop(t) })
	return rn
}

// stop cancels Run and waits for it; Run must return promptly.
func (rn *running) stop(t *testing.T) {
	t.Helper()
	if rn.cancel == nil {
		return
	}
	rn.cancel()
	rn.cancel = nil
	select {
	case err := <-rn.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s of cancel")
	}
}

// writer appends numbered lines at a steady rate, one write per line as a
// logger does.
type writer struct {
	t    *testing.T
	path string
	f    *os.File
	next int // next line number
	rate int // lines per second
}

func newWriter(t *testing.T, path string, rate int) *writer {
	w := &writer{t: t, path: path, rate: rate}
	w.open()
	return w
}

func (w *writer) open() {
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		w.t.Error(err)
		return
	}
	w.f = f
}

func (w *writer) close() {
	if err := w.f.Close(); err != nil {
		w.t.Error(err)
	}
}

// write appends count lines, pacing them to the rate in 2 ms slices.
func (w *writer) write(count int) {
	start := time.Now()
	for i := 0; i < count; i++ {
		if _, err := w.f.WriteString(testLine(w.next)); err != nil {
			w.t.Errorf("write line %d: %v", w.next, err)
			return
		}
		w.next++
		if w.rate > 0 && i%max(1, w.rate/500) == 0 {
			due := start.Add(time.Duration(i) * time.Second / time.Duration(w.rate))
			if d := time.Until(due); d > 0 {
				time.Sleep(d) // pacing the writer, not waiting for the tailer
			}
		}
	}
}

func tempLog(t *testing.T, name string) (dir, path string) {
	dir = t.TempDir()
	return dir, filepath.Join(dir, name)
}
