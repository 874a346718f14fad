package app

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/tattle-dev/tattle/parsers"
)

// Bad files beside a good one: a 128 MiB line with no newline (the full
// 1 GiB case is in `make bench`), a binary file, a file of invalid UTF-8
// and a path that cannot be read (a FIFO: tests run as root, which reads
// any file). The daemon keeps following the good file, reports each
// problem once, and its memory stays bounded.
func TestRunBadInput(t *testing.T) {
	dir, logs := testDirs(t)

	huge, err := os.Create(filepath.Join(logs, "huge.log"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("ERROR x"), 1<<17) // 896 KiB
	for written := 0; written < 128<<20; written += len(chunk) {
		if _, err := huge.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	huge.Close()
	r := rand.New(rand.NewPCG(3, 4))
	bin := make([]byte, 1<<20)
	for i := range bin {
		bin[i] = byte(r.UintN(256))
	}
	os.WriteFile(filepath.Join(logs, "binary.log"), bin, 0o644)
	os.WriteFile(filepath.Join(logs, "utf8.log"), []byte("ERROR bad \xff\xfe bytes \xc3\x28 here\nERROR nul \x00\x00 inside\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(logs, "fifo.log"), 0o644); err != nil {
		t.Fatal(err)
	}

	cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	out := filepath.Join(dir, "events.jsonl")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d := startDaemon(t, cfg, out)
	addr := <-d.addr
	w := newAppWriter(t, filepath.Join(logs, "good.log"))
	waitFollowing(t, addr, 4) // huge, binary, utf8, good; not the FIFO
	for i := 0; i < 700; i++ {
		w.record(t)
	}
	w.f.Close()
	evs := waitEvents(t, out, len(w.errors)+2, 15*time.Second)
	waitMetric(t, addr, "tattle_lines_cut_total", atLeast(1))
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	body := metricsBody(t, addr)
	errs := metricValue(t, addr, "tattle_read_errors_total")
	d.stop(t)

	var good []parsers.Event
	utf8Events := 0
	for _, ev := range evs {
		switch filepath.Base(ev.File) {
		case "good.log":
			good = append(good, ev)
		case "utf8.log":
			utf8Events++
		}
	}
	checkEvents(t, w, good, false)
	if utf8Events != 2 {
		t.Errorf("%d events from the invalid UTF-8 file, want 2", utf8Events)
	}
	if errs != 1 {
		t.Errorf("read errors %d, want the FIFO reported once", errs)
	}
	if !bytes.Contains([]byte(body), []byte(`tattle_lost_bytes_total{reason="line_cut"}`)) {
		t.Errorf("the cut line is not in the lost bytes:\n%s", body)
	}
	// The 128 MiB line must not have been held: the heap grew by far less.
	if grew := int64(after.HeapSys) - int64(before.HeapSys); grew > 64<<20 {
		t.Errorf("heap grew by %d MiB while reading a 128 MiB line", grew>>20)
	}
}
