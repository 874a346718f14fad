//go:build measure

package tailer

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The full-scale runs take minutes and a quiet machine; they run only with
// -tags measure (see stress mode in the package doc for the figures).
// stress marks a full-scale test; the file is built only with -tags
// measure (`make stress`), so it never runs in `make test`.
func stress(t *testing.T) { t.Helper() }

// TestMain doubles as the out-of-process writer of TestStressCPU, so that
// the writer's CPU is not counted as the tailer's.
func TestMain(m *testing.M) {
	if path := os.Getenv("TATTLE_TEST_WRITER"); path != "" {
		rate, _ := strconv.Atoi(os.Getenv("TATTLE_TEST_RATE"))
		count, _ := strconv.Atoi(os.Getenv("TATTLE_TEST_COUNT"))
		os.Exit(writeLines(path, rate, count))
	}
	os.Exit(m.Run())
}

func writeLines(path string, rate, count int) int {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 1
	}
	defer f.Close()
	start := time.Now()
	for i := range count {
		if _, err := f.WriteString(testLine(i)); err != nil {
			return 1
		}
		if d := time.Until(start.Add(time.Duration(i+1) * time.Second / time.Duration(rate))); d > 0 {
			time.Sleep(d)
		}
	}
	return 0
}

func TestStressRotation(t *testing.T) {
	stress(t)
	for _, r := range rotations {
		if !r.lossless {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			runRotation(t, rotationCase{rotation: r, lines: 1_000_000, rate: 100_000, every: 100_000, noBytes: true})
		})
	}
	t.Run("rename-polling", func(t *testing.T) {
		runRotation(t, rotationCase{rotation: rotations[0], poll: true, lines: 1_000_000, rate: 100_000, every: 100_000, noBytes: true})
	})
}

// countHandler is the cheapest Handler, so the CPU measured is the
// tailer's.
type countHandler struct {
	bytes atomic.Int64
}

func (h *countHandler) Data(f *File, off int64, p []byte) { h.bytes.Add(int64(len(p))) }
func (h *countHandler) Event(f *File, e Event)            {}

// TestStressCPU measures the CPU the tailer process uses while another
// process appends 1,000 lines/s to one file for 30 s.
func TestStressCPU(t *testing.T) {
	stress(t)
	const rate, seconds = 1000, 30
	dir, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	h := &countHandler{}
	tl, err := New(Options{Sources: []Source{{Name: "app", Paths: []string{dir + "/*.log"}}}, Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tl.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for tl.Metrics().Opens.Load() == 0 {
		time.Sleep(time.Millisecond) // waiting for a condition, bounded by the test timeout
	}

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TATTLE_TEST_WRITER="+path,
		"TATTLE_TEST_RATE="+strconv.Itoa(rate), "TATTLE_TEST_COUNT="+strconv.Itoa(rate*seconds))
	var before, after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer: %v %s", err, out)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for h.bytes.Load() != fi.Size() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		t.Fatal(err)
	}
	if h.bytes.Load() != fi.Size() {
		t.Fatalf("read %d of %d bytes", h.bytes.Load(), fi.Size())
	}
	cpu := func(r syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	user := time.Duration(after.Utime.Nano() - before.Utime.Nano())
	sys := time.Duration(after.Stime.Nano() - before.Stime.Nano())
	t.Logf("following one file at %d lines/s for %v (%d bytes): tailer process CPU %v (user %v, sys %v), %d read rounds",
		rate, time.Since(start).Round(time.Millisecond), fi.Size(), cpu(after)-cpu(before), user, sys, tl.Metrics().ReadRounds.Load())
}
