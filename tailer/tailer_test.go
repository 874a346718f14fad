package tailer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func writeFile(t *testing.T, path string, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path string, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
}

func lines(from, to int) string {
	var b strings.Builder
	for n := from; n < to; n++ {
		b.WriteString(testLine(n))
	}
	return b.String()
}

// stream is everything delivered for the *Files opened under path, each
// *File's segments joined by "|".
func (r *recorder) stream(path string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, fr := range r.files {
		if fr.f.Path == path {
			var parts []string
			for _, s := range fr.segs {
				parts = append(parts, string(s))
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
	return out
}

func (r *recorder) firstEvent(path string, kind EventKind) (Event, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, fr := range r.files {
		if fr.f.Path != path {
			continue
		}
		for _, e := range fr.events {
			if e.Kind == kind {
				return e, true
			}
		}
	}
	return Event{}, false
}

func (r *recorder) hasStream(path, want string) func() bool {
	return func() bool {
		s := r.stream(path)
		return len(s) > 0 && s[len(s)-1] == want
	}
}

// TestTruncationLossCounted makes the loss exact: the tailer is held inside
// Data after its first chunk of a file it knows is 20 KB long; the file is
// then truncated and rewritten, so the rest of the old content can never
// be read and must show up, byte for byte, as lost.
func TestTruncationLossCounted(t *testing.T) {
	for _, poll := range []bool{false, true} {
		name := map[bool]string{false: "inotify", true: "polling"}[poll]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir, path := tempLog(t, "app.log")
			old := lines(0, 300)
			writeFile(t, path, old)
			held, release := make(chan struct{}), make(chan struct{})
			rec := newRecorder()
			first := true
			rec.hook = func(f *File, off int64, p []byte) {
				if first {
					first = false
					close(held)
					<-release
				}
			}
			rn := startTailer(t, Options{
				Sources:   []Source{{Name: "app", Paths: []string{dir + "/*.log"}, Start: StartBeginning}},
				ReadSize:  4096,
				ForcePoll: poll, Poll: 20 * time.Millisecond,
				Handler: rec,
			}, nil)
			<-held
			fresh := lines(1000, 1010)
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			appendFile(t, path, fresh)
			close(release)
			rn.rec.waitFor(t, "the new content", 5*time.Second, rn.rec.hasStream(path, old[:4096]+"|"+fresh))
			tr, ok := rn.rec.firstEvent(path, Truncated)
			want := Event{Kind: Truncated, Offset: 4096, Size: int64(len(fresh)), Lost: int64(len(old) - 4096)}
			if !ok || tr != want {
				t.Errorf("Truncated event %+v, want %+v", tr, want)
			}
			if got := rn.tl.Metrics().LostTruncated.Load(); got != want.Lost {
				t.Errorf("lost_bytes{truncated} = %d, want %d", got, want.Lost)
			}
			rn.stop(t)
			rn.rec.checkLifecycles(t)
		})
	}
}

func TestStartAndResume(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pre := lines(0, 3)
	for _, name := range []string{"end/a.log", "beginning/b.log", "end/resumed.log", "end/beyond.log"} {
		writeFile(t, filepath.Join(dir, name), pre)
	}
	resumeAt := int64(len(testLine(0)))
	rn := startTailer(t, Options{
		Sources: []Source{
			{Name: "e", Paths: []string{dir + "/end/*.log"}}, // Start defaults to end
			{Name: "b", Paths: []string{dir + "/beginning/*.log"}, Start: StartBeginning},
		},
		Resume: func(path string, f *os.File) (int64, bool) {
			switch filepath.Base(path) {
			case "resumed.log":
				return resumeAt, true
			case "beyond.log":
				return 1 << 20, true
			}
			return 0, false
		},
	}, nil)
	more := lines(3, 5)
	rn.rec.waitFor(t, "four files opened", 5*time.Second, func() bool { return rn.tl.Metrics().Opens.Load() == 4 })
	for _, name := range []string{"end/a.log", "beginning/b.log", "end/resumed.log", "end/beyond.log"} {
		appendFile(t, filepath.Join(dir, name), more)
	}
	// Appears while running: read from its beginning despite start=end.
	writeFile(t, filepath.Join(dir, "end/new.log"), pre)
	appendFile(t, filepath.Join(dir, "end/new.log"), more)

	cases := []struct {
		name    string
		opened  Event
		stream  string
		truncTo int64
	}{
		{"end/a.log", Event{Kind: Opened, Offset: int64(len(pre))}, more, 0},
		{"beginning/b.log", Event{Kind: Opened}, pre + more, 0},
		{"end/resumed.log", Event{Kind: Opened, Offset: resumeAt, Resumed: true}, pre[resumeAt:] + more, 0},
		// Truncated while we were away: a new segment from 0.
		{"end/beyond.log", Event{Kind: Opened, Resumed: true}, "|" + pre + more, 1 << 20},
		{"end/new.log", Event{Kind: Opened}, pre + more, 0},
	}
	for _, c := range cases {
		path := filepath.ToSlash(filepath.Join(dir, c.name))
		rn.rec.waitFor(t, c.name+" content", 5*time.Second, rn.rec.hasStream(path, c.stream))
		if got, _ := rn.rec.firstEvent(path, Opened); got != c.opened {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.opened)
		}
		tr, ok := rn.rec.firstEvent(path, Truncated)
		if ok != (c.truncTo > 0) || tr.Offset != c.truncTo {
			t.Errorf("%s: Truncated %v %+v, want offset %d", c.name, ok, tr, c.truncTo)
		}
	}
	rn.stop(t)
	rn.rec.checkLifecycles(t)
}

// TestRotatedWhileDown: the lead followed app.log up to line 5 and stopped;
// while it was down the app wrote lines 5-10, the file was rotated to
// app.log.1 and the new app.log got lines 10-15. On start the old file is
// found by its inode and finished from the saved offset, and the new file
// is read from its start although start = end.
func TestRotatedWhileDown(t *testing.T) {
	t.Parallel()
	dir, path := tempLog(t, "app.log")
	writeFile(t, path, lines(0, 10))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	old := idOf(fi)
	saved := int64(len(lines(0, 5)))
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, lines(10, 15))
	writeFile(t, filepath.Join(dir, "other.log"), lines(0, 3)) // start = end applies
	rn := startTailer(t, Options{
		Sources:  []Source{{Name: "app", Paths: []string{dir + "/*.log"}}},
		Previous: []Previous{{Path: path, Dev: old.dev, Ino: old.ino}},
		Resume: func(p string, f *os.File) (int64, bool) {
			fi, err := f.Stat()
			if err == nil && idOf(fi) == old {
				return saved, true
			}
			return 0, false
		},
		DrainQuiet: 50 * time.Millisecond,
	}, nil)
	m := rn.tl.Metrics()
	rn.rec.waitFor(t, "both files", 5*time.Second, func() bool { return m.Rotations.Load() == 1 && len(rn.rec.stream(filepath.ToSlash(path))) == 1 })
	rn.rec.waitFor(t, "the new file", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(path), lines(10, 15)))
	rn.stop(t)
	rn.rec.checkLifecycles(t)
	if got := rn.rec.stream(filepath.ToSlash(path + ".1")); len(got) != 1 || got[0] != lines(5, 10) {
		t.Errorf("old file delivered %q, want lines 5-10", got)
	}
	if got, _ := rn.rec.firstEvent(filepath.ToSlash(path+".1"), Opened); got != (Event{Kind: Opened, Offset: saved, Resumed: true}) {
		t.Errorf("old file %+v", got)
	}
	if got := rn.rec.eventsOf(filepath.ToSlash(path + ".1")); len(got) != 1 || !slices.Equal(got[0], []EventKind{Opened, Rotated, Closed}) {
		t.Errorf("old file events %v, want opened, rotated, closed", got)
	}
	if got, _ := rn.rec.firstEvent(filepath.ToSlash(filepath.Join(dir, "other.log")), Opened); got.Offset != int64(len(lines(0, 3))) {
		t.Errorf("other.log opened at %d, want its end", got.Offset)
	}
}

// TestNewFiles: files that appear later, in directories created after the
// start (also below "**"), are found through the directory watches alone
// (the rescan period is an hour), and excluded ones are never opened.
func TestNewFiles(t *testing.T) {
	for _, poll := range []bool{false, true} {
		name := map[bool]string{false: "inotify", true: "polling"}[poll]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			rescan := time.Hour
			if poll {
				// Without inotify only the rescan finds new files.
				rescan = 50 * time.Millisecond
			}
			rn := startTailer(t, Options{
				Sources: []Source{
					{Name: "deep", Paths: []string{dir + "/logs/**/*.log"}, Exclude: []string{"*.skip.log", dir + "/logs/private/**"}},
					{Name: "later", Paths: []string{dir + "/not/yet/there/*.log"}},
				},
				Rescan:    rescan,
				ForcePoll: poll, Poll: 20 * time.Millisecond,
			}, nil)
			rn.rec.waitFor(t, "the first scan", 5*time.Second, func() bool { return rn.tl.Metrics().Rescans.Load() >= 1 })
			files := map[string]bool{ // path -> followed
				"logs/top.log":           true,
				"logs/a/b/c/deep.log":    true,
				"not/yet/there/late.log": true,
				"logs/a/x.skip.log":      false,
				"logs/private/p.log":     false,
				"logs/a/notes.txt":       false,
			}
			content := lines(0, 20)
			for name := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			for name, followed := range files {
				if followed {
					path := filepath.ToSlash(filepath.Join(dir, name))
					rn.rec.waitFor(t, name, 10*time.Second, rn.rec.hasStream(path, content))
				}
			}
			scans := rn.tl.Metrics().Rescans.Load()
			if poll {
				rn.rec.waitFor(t, "two more rescans", 5*time.Second, func() bool { return rn.tl.Metrics().Rescans.Load() >= scans+2 })
			}
			rn.stop(t)
			rn.rec.checkLifecycles(t)
			for name, followed := range files {
				path := filepath.ToSlash(filepath.Join(dir, name))
				if got := len(rn.rec.eventsOf(path)) > 0; got != followed {
					t.Errorf("%s followed = %v, want %v", name, got, followed)
				}
			}
		})
	}
}

// TestUnfollowable: paths that cannot be read are reported once each, over
// many rescans, and the other files keep flowing; a permission problem that
// is fixed is picked up again. Root bypasses file permissions, so the
// permission denial is injected at open; the FIFO and the symlink loop are
// real.
func TestUnfollowable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.log")
	denied := filepath.Join(dir, "denied.log")
	writeFile(t, good, "")
	writeFile(t, denied, lines(0, 2))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.log"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop.log", filepath.Join(dir, "loop.log")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.log"), 0o755); err != nil {
		t.Fatal(err)
	}
	denyOpen := make(chan bool, 1)
	denyOpen <- true
	rn := startTailer(t, Options{
		Sources: []Source{{Name: "app", Paths: []string{dir + "/*.log"}, Start: StartBeginning}},
		Rescan:  20 * time.Millisecond,
	}, func(tl *Tailer) {
		tl.open = func(path string) (*os.File, error) {
			if filepath.Base(path) == "denied.log" {
				deny := <-denyOpen
				denyOpen <- deny
				if deny {
					return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}
				}
			}
			return openFile(path)
		}
	})
	m := rn.tl.Metrics()
	rn.rec.waitFor(t, "ten rescans", 5*time.Second, func() bool { return m.Rescans.Load() >= 10 })
	appendFile(t, good, lines(0, 50))
	rn.rec.waitFor(t, "good.log", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(good), lines(0, 50)))

	var errs map[string][]error
	rn.rec.locked(func() { errs = maps2(rn.rec.errOf) })
	wantErr := map[string]error{
		"denied.log": syscall.EACCES,
		"fifo.log":   nil, // not a regular file
		"loop.log":   syscall.ELOOP,
	}
	if len(errs) != len(wantErr) {
		t.Errorf("errors reported for %d paths, want %d: %v", len(errs), len(wantErr), errs)
	}
	for name, want := range wantErr {
		got := errs[filepath.ToSlash(filepath.Join(dir, name))]
		if len(got) != 1 {
			t.Errorf("%s: %d errors reported, want exactly 1: %v", name, len(got), got)
			continue
		}
		if want != nil && !errors.Is(got[0], want) {
			t.Errorf("%s: error %v, want %v", name, got[0], want)
		}
		if want == nil && !strings.Contains(got[0].Error(), "not a regular file") {
			t.Errorf("%s: error %v, want not a regular file", name, got[0])
		}
	}
	if got := m.OpenErrors.Load(); got != 3 {
		t.Errorf("OpenErrors = %d, want 3", got)
	}

	// Fixed: the next rescan follows it; it was seen at startup, so it
	// keeps the startup policy (beginning).
	<-denyOpen
	denyOpen <- false
	rn.rec.waitFor(t, "denied.log after the fix", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(denied), lines(0, 2)))
	rn.stop(t)
	rn.rec.checkLifecycles(t)
}

func maps2(m map[string][]error) map[string][]error {
	out := map[string][]error{}
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

// TestIdle: Idle comes once after data stops, not again while the file
// stays quiet; more data arms it again.
func TestIdle(t *testing.T) {
	t.Parallel()
	dir, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	clk := newFakeClock()
	rn := startTailer(t, Options{
		Sources: []Source{{Name: "app", Paths: []string{dir + "/*.log"}}},
		Idle:    time.Second,
		Clock:   clk,
	}, nil)
	rn.rec.waitFor(t, "opened", 5*time.Second, func() bool { return rn.tl.Metrics().Opens.Load() == 1 })
	idles := func() int {
		n := 0
		for _, ks := range rn.rec.eventsOf(filepath.ToSlash(path)) {
			for _, k := range ks {
				if k == Idle {
					n++
				}
			}
		}
		return n
	}
	for round := 1; round <= 2; round++ {
		appendFile(t, path, testLine(round))
		rn.rec.waitFor(t, "data", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(path), lines(1, round+1)))
		rn.rec.waitFor(t, "idle timer armed", 5*time.Second, func() bool { return clk.armed(time.Second) })
		clk.advance(999 * time.Millisecond)
		if got := idles(); got != round-1 {
			t.Fatalf("round %d: %d Idle events before the idle time, want %d", round, got, round-1)
		}
		clk.advance(time.Millisecond)
		rn.rec.waitFor(t, "Idle", 5*time.Second, func() bool { return idles() == round })
		// Fired and not rearmed: nothing can send a second Idle until
		// more data comes.
		if clk.armed(time.Second) {
			t.Fatalf("round %d: idle timer armed again with no new data", round)
		}
		clk.advance(time.Hour)
		if got := idles(); got != round {
			t.Fatalf("round %d: %d Idle events after a quiet hour, want %d", round, got, round)
		}
	}
	rn.stop(t)
	rn.rec.checkLifecycles(t)
}

// TestShutdown: Run returns promptly on cancel with files open, draining
// and blocked nowhere, and leaves no goroutine behind. Not parallel, so the
// goroutine census sees only this test.
func TestShutdown(t *testing.T) {
	dir := t.TempDir()
	for i := range 100 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("f%03d.log", i)), lines(0, 10))
	}
	rn := startTailer(t, Options{
		Sources:    []Source{{Name: "app", Paths: []string{dir + "/*.log"}, Start: StartBeginning}},
		DrainQuiet: time.Hour, // one file stays draining until shutdown
	}, nil)
	m := rn.tl.Metrics()
	rn.rec.waitFor(t, "100 files read", 10*time.Second, func() bool { return m.BytesRead.Load() == int64(100*len(lines(0, 10))) })
	if err := os.Rename(filepath.Join(dir, "f000.log"), filepath.Join(dir, "f000.old")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "f000.log"), "")
	rn.rec.waitFor(t, "the new f000.log", 5*time.Second, func() bool { return m.Opens.Load() == 101 })
	if got := m.FilesOpen.Load(); got != 101 {
		t.Errorf("FilesOpen = %d, want 101 (one draining)", got)
	}
	start := time.Now()
	rn.stop(t)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Run took %v to return", d)
	}
	if got := m.FilesOpen.Load(); got != 0 {
		t.Errorf("FilesOpen = %d after Run returned, want 0", got)
	}
	rn.rec.checkLifecycles(t)
	rn.rec.waitFor(t, "no tailer or fsnotify goroutine left", 5*time.Second, func() bool {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		return !bytes.Contains(buf, []byte("tailer.(*follower)")) &&
			!bytes.Contains(buf, []byte("tailer.(*Tailer).Run")) &&
			!bytes.Contains(buf, []byte("fsnotify"))
	})
}

// TestHugeLine: a 256 MiB file without a newline (sparse, so all NULs, as
// binary as it gets) costs one read buffer, in chunks of at most ReadSize.
// Not parallel, so the allocation count is this test's.
func TestHugeLine(t *testing.T) {
	dir, path := tempLog(t, "huge.log")
	const size = 256 << 20
	writeFile(t, path, "")
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
	h := &chunkHandler{}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tl, err := New(Options{Sources: []Source{{Name: "a", Paths: []string{dir + "/*.log"}, Start: StartBeginning}}, Handler: h, ReadSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tl.Run(ctx) }()
	rec := newRecorder() // only for its waitFor
	rec.waitFor(t, "the whole file", 60*time.Second, func() bool { return h.bytes.Load() == size })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := h.maxChunk.Load(); got != 64<<10 {
		t.Errorf("largest chunk %d, want %d", got, 64<<10)
	}
	if got := h.gaps.Load(); got != 0 {
		t.Errorf("%d chunks not contiguous", got)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 4<<20 {
		t.Errorf("reading %d bytes allocated %d bytes, want < 4 MiB", size, alloc)
	}
	t.Logf("read %d bytes in %d-byte chunks; allocated %d bytes in all", size, h.maxChunk.Load(), alloc)
}

type chunkHandler struct {
	bytes, maxChunk, gaps atomic.Int64
}

func (h *chunkHandler) Data(f *File, off int64, p []byte) {
	if h.bytes.Load() != off {
		h.gaps.Add(1)
	}
	h.bytes.Add(int64(len(p)))
	if int64(len(p)) > h.maxChunk.Load() {
		h.maxChunk.Store(int64(len(p)))
	}
}

func (h *chunkHandler) Event(f *File, e Event) {}

// TestNoInotify: when no inotify instance is left the tailer polls, says
// so in its metrics, and still follows files and their rotation.
func TestNoInotify(t *testing.T) {
	t.Parallel()
	dir, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	rn := startTailer(t, Options{
		Sources:    []Source{{Name: "app", Paths: []string{dir + "/*.log"}}},
		Poll:       20 * time.Millisecond,
		DrainQuiet: 100 * time.Millisecond,
	}, func(tl *Tailer) {
		tl.newWatcher = func() (*fsnotify.Watcher, error) {
			return nil, fmt.Errorf("inotify_init1: %w", syscall.EMFILE)
		}
	})
	m := rn.tl.Metrics()
	rn.rec.waitFor(t, "opened", 5*time.Second, func() bool { return m.Opens.Load() == 1 })
	appendFile(t, path, lines(0, 10))
	rn.rec.waitFor(t, "lines", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(path), lines(0, 10)))
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path+".1", lines(10, 12)) // late write to the renamed file
	appendFile(t, path, lines(12, 20))
	rn.rec.waitFor(t, "the new file", 5*time.Second, rn.rec.hasStream(filepath.ToSlash(path), lines(12, 20)))
	rn.rec.waitFor(t, "the old file drained", 5*time.Second, func() bool { return m.Rotations.Load() == 1 })
	if got := m.Polling.Load(); got != 1 {
		t.Errorf("Polling = %d, want 1", got)
	}
	rn.stop(t)
	rn.rec.checkLifecycles(t)
	if got := rn.rec.stream(filepath.ToSlash(path)); len(got) != 2 || got[0] != lines(0, 12) {
		t.Errorf("streams %q, want the old file with its late lines, then the new one", got)
	}
}

func TestNewErrors(t *testing.T) {
	h := newRecorder()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"no handler", Options{}, "tailer: no Handler"},
		{"bad start", Options{Handler: h, Sources: []Source{{Name: "a", Paths: []string{"/x"}, Start: "middle"}}},
			`tailer: source "a": start must be "end" or "beginning" (got "middle")`},
		{"no paths", Options{Handler: h, Sources: []Source{{Name: "a"}}}, `tailer: source[0] "a": no paths`},
		{"bad glob", Options{Handler: h, Sources: []Source{{Name: "a", Paths: []string{"/x/[a"}}}}, `tailer: source "a": bad glob "/x/[a"`},
		{"bad exclude", Options{Handler: h, Sources: []Source{{Name: "a", Paths: []string{"/x"}, Exclude: []string{"{a"}}}}, `tailer: source "a": bad exclude glob "{a"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.opts)
			if err == nil || err.Error() != c.want {
				t.Errorf("New: %v, want %s", err, c.want)
			}
		})
	}
}

func TestExclude(t *testing.T) {
	s := source{paths: []string{"/var/log/**/*"}, exclude: []string{"*.gz", "/var/log/private/**"}}
	cases := []struct {
		path string
		want bool
	}{
		{"/var/log/app.log", true},
		{"/var/log/a/b/app.log", true},
		{"/var/log/app.log.1.gz", false},
		{"/var/log/a/app.gz", false},
		{"/var/log/private/x.log", false},
		{"/var/log/privatex.log", true},
		{"/etc/passwd", false},
	}
	for _, c := range cases {
		if got := s.matches(c.path); got != c.want {
			t.Errorf("matches(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}
