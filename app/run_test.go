package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tattle-dev/tattle/parsers"
)

// appWriter appends a Spring Boot style log: numbered records, every
// errEvery-th an ERROR with a trace of traceLines lines, as an application
// does (one write per record, so a trace is never split across writes).
type appWriter struct {
	path       string
	f          *os.File
	n          int
	errEvery   int
	traceLines int
	errors     []int // numbers of the ERROR records written
}

func newAppWriter(t *testing.T, path string) *appWriter {
	t.Helper()
	w := &appWriter{path: path, errEvery: 7, traceLines: 12}
	w.reopen(t)
	return w
}

func (w *appWriter) reopen(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	w.f = f
}

func (w *appWriter) record(t *testing.T) {
	t.Helper()
	w.n++
	ts := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).Add(time.Duration(w.n) * time.Millisecond).Format("2006-01-02 15:04:05.000")
	var b strings.Builder
	if w.n%w.errEvery == 0 {
		w.errors = append(w.errors, w.n)
		fmt.Fprintf(&b, "%s ERROR 1 --- [nio-8080-exec-1] c.e.shop.web.OrderController : Order %d failed\n", ts, w.n)
		b.WriteString("java.lang.IllegalStateException: order has no lines\n")
		for i := 0; i < w.traceLines-2; i++ {
			fmt.Fprintf(&b, "\tat com.example.shop.service.OrderService.step%d(OrderService.java:%d)\n", i, 10+i)
		}
		b.WriteString("\t... 42 more\n")
	} else {
		fmt.Fprintf(&b, "%s  INFO 1 --- [nio-8080-exec-2] c.e.shop.web.OrderController : Order %d created, 0 errors\n", ts, w.n)
	}
	if _, err := w.f.WriteString(b.String()); err != nil {
		t.Fatal(err)
	}
}

var orderRe = regexp.MustCompile(`Order (\d+) failed`)

// readEvents reads the complete JSON lines of an events-out file.
func readEvents(t *testing.T, path string) []parsers.Event {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	var evs []parsers.Event
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var ev parsers.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			continue // a line being written
		}
		evs = append(evs, ev)
	}
	return evs
}

// checkEvents verifies that every ERROR record written arrived whole, and
// returns how many arrived more than once.
func checkEvents(t *testing.T, w *appWriter, evs []parsers.Event, allowDup bool) int {
	t.Helper()
	count := map[int]int{}
	for _, ev := range evs {
		m := orderRe.FindStringSubmatch(ev.Message)
		if m == nil {
			t.Errorf("unexpected event %q at %s:%d", ev.Message, ev.File, ev.Line)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		count[n]++
		if lines := strings.Count(ev.Stack, "\n") + 1; lines != w.traceLines+1 || ev.EndLine-ev.Line != int64(w.traceLines) {
			t.Errorf("event %d: %d lines (%d-%d), want %d: the trace is incomplete or joined", n, lines, ev.Line, ev.EndLine, w.traceLines+1)
		}
		if ev.Exception != "java.lang.IllegalStateException" {
			t.Errorf("event %d: exception %q", n, ev.Exception)
		}
	}
	lost, dup := 0, 0
	for _, n := range w.errors {
		switch c := count[n]; {
		case c == 0:
			lost++
			if lost <= 5 {
				t.Errorf("event %d lost", n)
			}
		case c > 1:
			dup += c - 1
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d events lost", lost, len(w.errors))
	}
	if dup > 0 && !allowDup {
		t.Errorf("%d events duplicated", dup)
	}
	return dup
}

type daemonRun struct {
	cancel context.CancelFunc
	done   chan error
	addr   chan string
}

func startDaemon(t *testing.T, config, eventsOut string) *daemonRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &daemonRun{cancel: cancel, done: make(chan error, 1), addr: make(chan string, 1)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	go func() {
		r.done <- Run(ctx, RunOptions{ConfigPath: config, EventsOut: eventsOut, Logger: log,
			CheckpointEvery: 200 * time.Millisecond,
			Listening:       func(a string) { r.addr <- a }, Signals: make(chan os.Signal)})
	}()
	return r
}

func (r *daemonRun) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(shutdownGrace + time.Second):
		t.Fatal("the daemon did not stop within the shutdown grace")
	}
}

// testDirs makes a temporary directory with a logs directory in it.
func testDirs(t *testing.T) (dir, logs string) {
	t.Helper()
	dir = t.TempDir()
	logs = filepath.Join(dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, logs
}

func writeConfig(t *testing.T, dir, glob string) string {
	t.Helper()
	cfg := fmt.Sprintf(`[tattle]
state_dir = %q
listen = "127.0.0.1:0"
flush_interval = "200ms"

[[source]]
name = "app"
paths = [%q]
start = "beginning"
`, filepath.Join(dir, "state"), glob)
	p := filepath.Join(dir, "tattle.toml")
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// waitFollowing waits until the daemon follows n files (tattle_files_open),
// so that a test does not rotate a file away before it was ever seen.
func waitFollowing(t *testing.T, addr string, n int) {
	t.Helper()
	want := fmt.Sprintf("tattle_files_open %d\n", n)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(body, []byte(want)) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the daemon does not follow %d files", n)
}

// waitEvents waits until the events-out file holds want distinct events
// (repeats after a crash do not count), or the deadline passes, and
// returns them all.
func waitEvents(t *testing.T, path string, want int, within time.Duration) []parsers.Event {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		evs := readEvents(t, path)
		distinct := map[string]bool{}
		for _, ev := range evs {
			distinct[ev.Message] = true // messages are unique per record in these tests
		}
		if len(distinct) >= want || time.Now().After(deadline) {
			return evs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Logs rotated under the running daemon, as logrotate does: rename and
// create, rename with late writes to the old file, delete and recreate.
// Every event arrives exactly once and whole.
func TestRunRotation(t *testing.T) {
	for _, mode := range []string{"rename", "rename-late-writes", "delete-recreate"} {
		t.Run(mode, func(t *testing.T) {
			dir, logs := testDirs(t)
			path := filepath.Join(logs, "app.log")
			w := newAppWriter(t, path)
			cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
			out := filepath.Join(dir, "events.jsonl")
			d := startDaemon(t, cfg, out)
			waitFollowing(t, <-d.addr, 1)
			for round := 0; round < 6; round++ {
				// about 3,000 records/s and a rotation every 300 ms:
				// far faster than logrotate or size-based rolling of a
				// small service. (A file that lives under 100 ms at the
				// path while written non-stop can be missed: see the
				// tailer's batching.)
				for i := 0; i < 900; i++ {
					w.record(t)
					if i%30 == 29 {
						time.Sleep(10 * time.Millisecond)
					}
				}
				old := w.f
				switch mode {
				case "rename":
					os.Rename(path, fmt.Sprintf("%s.%d", path, round))
					old.Close()
					w.reopen(t)
				case "rename-late-writes":
					os.Rename(path, fmt.Sprintf("%s.%d", path, round))
					for i := 0; i < 50; i++ { // the app still holds the old file
						w.record(t)
					}
					old.Close()
					w.reopen(t)
				case "delete-recreate":
					// Wait until the daemon has read everything: after
					// an unlink the bytes are still readable through
					// its open file, but a test must not depend on
					// timing it cannot see; the tailer drains it.
					os.Remove(path)
					old.Close()
					w.reopen(t)
				}
			}
			for i := 0; i < 100; i++ {
				w.record(t)
			}
			w.f.Close()
			evs := waitEvents(t, out, len(w.errors), 15*time.Second)
			d.stop(t)
			checkEvents(t, w, readEvents(t, out), false)
			if len(evs) < len(w.errors) {
				t.Logf("only %d of %d events before the deadline", len(evs), len(w.errors))
			}
		})
	}
}

// A file truncated in place (copytruncate): nothing that was in the file
// when the daemon read it is lost, each truncation is counted, and since
// the daemon had read everything before each truncation, no lost bytes are
// reported (the exact accounting of unread bytes is tested in package
// tailer).
func TestRunCopyTruncate(t *testing.T) {
	dir, logs := testDirs(t)
	path := filepath.Join(logs, "app.log")
	w := newAppWriter(t, path)
	cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	out := filepath.Join(dir, "events.jsonl")
	d := startDaemon(t, cfg, out)
	addr := <-d.addr
	waitFollowing(t, addr, 1)
	for round := 0; round < 3; round++ {
		for i := 0; i < 200; i++ {
			w.record(t)
		}
		// let the daemon read it all before the truncation: this test is
		// about what was read, not about the race copytruncate has
		want := len(w.errors)
		waitEvents(t, out, want, 10*time.Second)
		data, _ := os.ReadFile(path)
		os.WriteFile(fmt.Sprintf("%s.%d", path, round), data, 0o644)
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		// Wait until the truncation is seen before writing again: a file
		// that grows past the old offset before the tailer looks hides
		// its truncation from any reader that judges by size (a limit the
		// README states); this test is about what happens once it is seen.
		waitMetric(t, addr, "tattle_truncations_total", atLeast(int64(round+1)))
	}
	for i := 0; i < 100; i++ {
		w.record(t)
	}
	waitEvents(t, out, len(w.errors), 10*time.Second)
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d.stop(t)
	w.f.Close()
	checkEvents(t, w, readEvents(t, out), false)
	if !bytes.Contains(body, []byte("tattle_truncations_total 3\n")) {
		t.Errorf("truncations not counted:\n%s", body)
	}
	if bytes.Contains(body, []byte(`tattle_lost_bytes_total{reason="truncated"}`)) {
		t.Errorf("lost bytes reported although everything was read before each truncation:\n%s", body)
	}
}

// A file that appears under the glob while the daemon runs is read from
// its beginning, also in a directory created after the start.
func TestRunNewFiles(t *testing.T) {
	dir, logs := testDirs(t)
	cfg := writeConfig(t, dir, filepath.Join(logs, "**", "*.log"))
	out := filepath.Join(dir, "events.jsonl")
	d := startDaemon(t, cfg, out)
	<-d.addr
	var ws []*appWriter
	for i, p := range []string{filepath.Join(logs, "a.log"), filepath.Join(logs, "later", "deep", "b.log")} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		w := newAppWriter(t, p)
		w.n = i * 100000 // distinct order numbers per file
		for j := 0; j < 100; j++ {
			w.record(t)
		}
		w.f.Close()
		ws = append(ws, w)
	}
	total := len(ws[0].errors) + len(ws[1].errors)
	waitEvents(t, out, total, 15*time.Second)
	d.stop(t)
	evs := readEvents(t, out)
	byFile := map[string][]parsers.Event{}
	for _, ev := range evs {
		byFile[ev.File] = append(byFile[ev.File], ev)
	}
	for _, w := range ws {
		checkEvents(t, w, byFile[w.path], false)
	}
}

// Stopped and started again, the daemon goes on where it stopped: nothing
// lost, nothing repeated after a clean stop.
func TestRunRestartResumes(t *testing.T) {
	dir, logs := testDirs(t)
	path := filepath.Join(logs, "app.log")
	w := newAppWriter(t, path)
	cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	out := filepath.Join(dir, "events.jsonl")
	for round := 0; round < 3; round++ {
		d := startDaemon(t, cfg, out)
		waitFollowing(t, <-d.addr, 1)
		for i := 0; i < 200; i++ {
			w.record(t)
		}
		waitEvents(t, out, len(w.errors), 10*time.Second)
		d.stop(t)
		// written while the daemon is down
		for i := 0; i < 100; i++ {
			w.record(t)
		}
		if round == 1 { // rotated while down: the old file is found under its new name
			w.f.Close()
			os.Rename(path, path+".1")
			w.reopen(t)
			for i := 0; i < 50; i++ {
				w.record(t)
			}
		}
	}
	d := startDaemon(t, cfg, out)
	<-d.addr
	waitEvents(t, out, len(w.errors), 10*time.Second)
	d.stop(t)
	w.f.Close()
	checkEvents(t, w, readEvents(t, out), false)
}

// SIGTERM (context cancel) stops the daemon within the grace period, and
// /healthz and /metrics answer while it runs.
func TestRunHTTP(t *testing.T) {
	dir, logs := testDirs(t)
	cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	d := startDaemon(t, cfg, "")
	addr := <-d.addr
	for _, tt := range []struct{ path, want string }{{"/healthz", "ok\n"}, {"/metrics", "# TYPE tattle_lines_total counter"}} {
		var body []byte
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			resp, err := http.Get("http://" + addr + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !bytes.Contains(body, []byte(tt.want)) {
			t.Errorf("%s: %q does not contain %q", tt.path, body, tt.want)
		}
	}
	start := time.Now()
	d.stop(t)
	if el := time.Since(start); el > shutdownGrace {
		t.Errorf("stopped in %v", el)
	}
}
