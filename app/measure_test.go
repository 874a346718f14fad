//go:build measure

package app

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The measurements issue 3 asks for, on the real binary (bin/tattle, built
// by `make build`), in a child process. They report figures and assert
// only that events arrive; built only with -tags measure (`make stress`),
// never part of `make test`.

func measureBin(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "bin", "tattle"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: run make build first", bin)
	}
	return bin
}

type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

func startBin(t *testing.T, bin, cfg, events string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, "run", "-c", cfg, "--events-out", events)}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

// cpuTicks is the process's user+system time in clock ticks (1/100 s).
func (p *proc) cpuTicks(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// peakRSS is VmHWM in KiB.
func (p *proc) peakRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("tattle: %v\n%s", err, p.stderr.String())
	}
}

func measureConfig(t *testing.T, dir, glob string, rules int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[tattle]\nstate_dir = %q\nlisten = \"\"\n\n[[source]]\nname = \"app\"\npaths = [%q]\nstart = \"beginning\"\n", filepath.Join(dir, "state"), glob)
	for i := 0; i < rules; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "\n[[rule]]\ncode = \"R%d\"\nmessage = 'payment %d (declined|failed)'\n", i, i)
		case 1:
			fmt.Fprintf(&b, "\n[[rule]]\ncode = \"R%d\"\nlevel = [\"ERROR\"]\nexception = 'Custom%dException'\n", i, i)
		case 2:
			fmt.Fprintf(&b, "\n[[rule]]\ncode = \"R%d\"\nlogger = '^c\\.e\\.svc%d\\.'\nlevel = [\"WARN\", \"ERROR\"]\n", i, i)
		case 3:
			fmt.Fprintf(&b, "\n[[rule]]\ncode = \"R%d\"\nmessage = 'timeout after \\d+ ms in job%d'\n", i, i)
		case 4:
			fmt.Fprintf(&b, "\n[[rule]]\ncode = \"R%d\"\nframe = 'com\\.example\\.mod%d\\.'\n", i, i)
		}
	}
	b.WriteString("\n[[rule]]\nname = \"other-errors\"\nlevel = [\"ERROR\", \"FATAL\"]\n")
	p := filepath.Join(dir, "tattle.toml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func waitSize(t *testing.T, path string, min int64, within time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(path); err == nil && fi.Size() >= min {
			return time.Now(), true
		}
		time.Sleep(50 * time.Microsecond)
	}
	return time.Time{}, false
}

// Latency from writing a single-line ERROR to its event in --events-out,
// on an otherwise idle daemon. Target: p99 at most 5 ms.
func TestMeasureLatency(t *testing.T) {
	bin := measureBin(t)
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	path := filepath.Join(logs, "app.log")
	os.WriteFile(path, nil, 0o644)
	events := filepath.Join(dir, "events.jsonl")
	p := startBin(t, bin, measureConfig(t, dir, filepath.Join(logs, "*.log"), 0), events)
	defer p.stop(t)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	defer f.Close()
	time.Sleep(500 * time.Millisecond) // startup; the file is followed from its start anyway
	var lat []time.Duration
	var size int64
	for i := 0; i < 300; i++ {
		line := fmt.Sprintf("%s ERROR 1 --- [main] c.e.App : request %d failed\n", time.Now().UTC().Format("2006-01-02 15:04:05.000"), i)
		t0 := time.Now()
		f.WriteString(line)
		want := []byte(fmt.Sprintf("request %d failed", i))
		var t1 time.Time
		for {
			var ok bool
			if t1, ok = waitSize(t, events, size+1, 2*time.Second); !ok {
				t.Fatalf("event %d never arrived", i)
			}
			b, _ := os.ReadFile(events)
			size = int64(len(b))
			if bytes.Contains(b[bytes.LastIndexByte(b[:len(b)-1], '\n')+1:], want) {
				break // the event just written, not an earlier one
			}
		}
		lat = append(lat, t1.Sub(t0))
		time.Sleep(20 * time.Millisecond) // single events, not a stream
	}
	slices.Sort(lat)
	pct := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	t.Logf("latency write -> events-out over %d single-line ERRORs: p50 %v, p90 %v, p99 %v, max %v",
		len(lat), pct(0.5), pct(0.9), pct(0.99), lat[len(lat)-1])
}

// CPU used while following one file at 1,000 lines/s for 30 s. Target:
// at most 0.1 s.
func TestMeasureCPU(t *testing.T) {
	bin := measureBin(t)
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	path := filepath.Join(logs, "app.log")
	os.WriteFile(path, nil, 0o644)
	p := startBin(t, bin, measureConfig(t, dir, filepath.Join(logs, "*.log"), 0), filepath.Join(dir, "events.jsonl"))
	defer p.stop(t)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	defer f.Close()
	time.Sleep(time.Second)
	before := p.cpuTicks(t)
	start := time.Now()
	n := 0
	for time.Since(start) < 30*time.Second {
		for due := int(time.Since(start).Seconds() * 1000); n < due; n++ {
			level := "INFO"
			if n%100 == 0 {
				level = "ERROR"
			}
			fmt.Fprintf(f, "%s %5s 1 --- [nio-8080-exec-1] c.e.shop.web.OrderController : order %d handled in 12 ms\n",
				time.Now().UTC().Format("2006-01-02 15:04:05.000"), level, n)
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	cpu := p.cpuTicks(t) - before
	t.Logf("following one file at 1,000 lines/s for %v (%d lines): tattle CPU %.2f s (user+system, /proc/PID/stat, 10 ms ticks)",
		time.Since(start).Round(time.Millisecond), n, float64(cpu)/100)
}

// Peak RSS while following 100 files with 50 rules. Target: at most 20 MB.
func TestMeasureRSS100Files(t *testing.T) {
	bin := measureBin(t)
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	var files []*os.File
	for i := 0; i < 100; i++ {
		f, err := os.Create(filepath.Join(logs, fmt.Sprintf("svc%03d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files = append(files, f)
	}
	events := filepath.Join(dir, "events.jsonl")
	p := startBin(t, bin, measureConfig(t, dir, filepath.Join(logs, "*.log"), 50), events)
	defer p.stop(t)
	start := time.Now()
	lines := 0
	for time.Since(start) < 10*time.Second {
		for i, f := range files {
			if lines%7 == 0 {
				fmt.Fprintf(f, "%s ERROR 1 --- [main] c.e.svc%d.Worker : job %d failed\njava.lang.IllegalStateException: boom %d\n\tat com.example.mod%d.Worker.run(Worker.java:%d)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n",
					time.Now().UTC().Format("2006-01-02 15:04:05.000"), i, lines, lines, i, lines%100)
			} else {
				fmt.Fprintf(f, "%s  INFO 1 --- [main] c.e.svc%d.Worker : job %d done in %d ms\n", time.Now().UTC().Format("2006-01-02 15:04:05.000"), i, lines, lines%300)
			}
			lines++
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(time.Second)
	t.Logf("following 100 files with 51 rules for 10 s (%d records written): peak RSS %d KiB (VmHWM)", lines, p.peakRSS(t))
}
