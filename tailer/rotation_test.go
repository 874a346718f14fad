package tailer

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Each rotation runs between two batches of the writer; a concurrent one
// runs while the writer appends its next batch.
type rotation struct {
	name       string
	concurrent bool
	lossless   bool
	finishes   EventKind // how each rotated-away *File ends, if lossless
	do         func(t *testing.T, w *writer, k int)
}

var rotations = []rotation{
	{
		name: "rename", lossless: true, finishes: Rotated,
		do: func(t *testing.T, w *writer, k int) {
			mustRename(t, w.path, fmt.Sprintf("%s.%d", w.path, k))
			w.close()
			w.open()
		},
	},
	{
		// The application keeps writing to its old descriptor after
		// logrotate renamed the file, until it gets round to reopening.
		name: "rename-late-writes", lossless: true, finishes: Rotated,
		do: func(t *testing.T, w *writer, k int) {
			mustRename(t, w.path, fmt.Sprintf("%s.%d", w.path, k))
			w.write(300)
			w.close()
			w.open()
		},
	},
	{
		name: "delete-recreate", lossless: true, finishes: Deleted,
		do: func(t *testing.T, w *writer, k int) {
			if err := os.Remove(w.path); err != nil {
				t.Error(err)
			}
			w.write(100) // still going to the deleted file
			w.close()
			w.open()
		},
	},
	{
		name: "copytruncate", concurrent: true,
		do: func(t *testing.T, w *writer, k int) {
			src, err := os.Open(w.path)
			if err != nil {
				t.Error(err)
				return
			}
			defer src.Close()
			dst, err := os.Create(fmt.Sprintf("%s.%d", w.path, k))
			if err != nil {
				t.Error(err)
				return
			}
			defer dst.Close()
			if _, err := io.Copy(dst, src); err != nil {
				t.Error(err)
			}
			if err := os.Truncate(w.path, 0); err != nil {
				t.Error(err)
			}
		},
	},
	{
		name: "truncate", concurrent: true,
		do: func(t *testing.T, w *writer, k int) {
			if err := os.Truncate(w.path, 0); err != nil {
				t.Error(err)
			}
		},
	},
}

func mustRename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Error(err)
	}
}

type rotationCase struct {
	rotation
	glob  string // relative to the directory; default app.log
	poll  bool
	lines int
	rate  int
	every int
	// noBytes keeps only the tally (full-scale runs).
	noBytes bool
}

// runRotation writes lines while rotating the file every so often under a
// running tailer, then checks what the handler got.
func runRotation(t *testing.T, c rotationCase) {
	dir, path := tempLog(t, "app.log")
	glob := c.glob
	if glob == "" {
		glob = "app.log"
	}
	w := newWriter(t, path, c.rate)
	rec := newRecorder()
	rec.noBytes = c.noBytes
	rn := startTailer(t, Options{
		Handler:    rec,
		Sources:    []Source{{Name: "app", Paths: []string{filepath.Join(dir, glob)}, Start: StartBeginning}},
		DrainQuiet: 300 * time.Millisecond,
		Idle:       50 * time.Millisecond,
		ForcePoll:  c.poll,
		Poll:       20 * time.Millisecond,
	}, nil)
	m := rn.tl.Metrics()
	rn.rec.waitFor(t, "app.log opened", 5*time.Second, func() bool { return m.Opens.Load() >= 1 })

	n, rotated := 0, 0
	began := time.Now()
	for n < c.lines {
		batch := min(c.every, c.lines-n)
		w.write(batch)
		n += batch
		if n >= c.lines {
			break
		}
		rotated++
		k := rotated
		if !c.concurrent {
			c.do(t, w, k)
			n = w.next
			continue
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			c.do(t, w, k)
		}()
		batch = min(c.every/4, c.lines-n)
		w.write(batch)
		n += batch
		<-done
	}
	total := w.next
	wrote := time.Since(began)
	if c.lossless {
		rn.rec.waitFor(t, "every line delivered", 30*time.Second, func() bool { return rn.rec.distinct() == total })
		rn.rec.waitFor(t, "every rotated file drained", 10*time.Second, func() bool {
			return int(m.Rotations.Load()+m.Deletions.Load()) == rotated
		})
	} else {
		rn.rec.waitFor(t, "the last line delivered", 30*time.Second, func() bool { return rn.rec.seen(total - 1) })
	}
	w.close()
	rn.stop(t)
	rn.rec.checkLifecycles(t)

	tl := rn.rec.tally()
	for _, b := range tl.bad {
		t.Errorf("torn or foreign line: %s", b)
	}
	var missing []int
	var missingBytes int64
	for i := range total {
		switch c := tl.count[i]; {
		case c == 0:
			missing = append(missing, i)
			missingBytes += int64(len(testLine(i)))
		case c > 1:
			t.Errorf("line %d delivered %d times", i, c)
		}
	}
	for n := range tl.count {
		if n >= total {
			t.Errorf("line %d delivered, never written", n)
		}
	}
	lost := m.LostTruncated.Load()
	t.Logf("%d lines in %v (%.0f lines/s), %d rotations: %d missing (%d bytes, %d of them delivered as torn pieces), lost_bytes{truncated}=%d, truncations=%d",
		total, wrote.Round(time.Millisecond), float64(total)/wrote.Seconds(), rotated, len(missing), missingBytes, tl.fragBytes, lost, m.Truncations.Load())

	if c.lossless {
		if len(missing) > 0 {
			t.Errorf("%d lines lost, first %d", len(missing), missing[0])
		}
		if tl.fragBytes != 0 || lost != 0 || m.Truncations.Load() != 0 {
			t.Errorf("torn bytes %d, lost %d, truncations %d; want 0", tl.fragBytes, lost, m.Truncations.Load())
		}
		var finished int
		for _, kinds := range rn.rec.eventsOf(filepath.ToSlash(path)) {
			if slices.Contains(kinds, c.finishes) {
				finished++
			}
		}
		if finished != rotated {
			t.Errorf("%d files at %s ended with %v, want %d", finished, path, c.finishes, rotated)
		}
		return
	}
	// Truncation: a line can only be missing because it was written after
	// the tailer's last look and before a truncation, so the missing lines
	// form at most one run per truncation, and the lost-bytes count never
	// exceeds what is missing.
	if got := m.Truncations.Load(); got != int64(rotated) {
		t.Errorf("truncations = %d, want %d", got, rotated)
	}
	runs := 0
	for i, n := range missing {
		if i == 0 || missing[i-1] != n-1 {
			runs++
		}
	}
	if runs > rotated {
		t.Errorf("missing lines form %d runs, more than the %d truncations: %v", runs, rotated, missing)
	}
	if lost > missingBytes-tl.fragBytes {
		t.Errorf("lost_bytes %d > bytes actually missing %d", lost, missingBytes-tl.fragBytes)
	}
}

func TestRotation(t *testing.T) {
	for _, r := range rotations {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			runRotation(t, rotationCase{rotation: r, lines: 20000, rate: 5000, every: 4000})
		})
	}
	// A glob that also matches the rotated names: the renamed file must
	// not be read again from its start.
	t.Run("rename-glob-matches-rotated", func(t *testing.T) {
		t.Parallel()
		runRotation(t, rotationCase{rotation: rotations[0], glob: "app.log*", lines: 20000, rate: 5000, every: 4000})
	})
}

func TestRotationPolling(t *testing.T) {
	for _, r := range rotations {
		if r.name != "rename" && r.name != "rename-late-writes" && r.name != "truncate" {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			runRotation(t, rotationCase{rotation: r, poll: true, lines: 20000, rate: 5000, every: 4000})
		})
	}
}
