package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func metricsBody(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// metricValue reads one unlabelled metric.
func metricValue(t *testing.T, addr, name string) int64 {
	t.Helper()
	for _, l := range strings.Split(metricsBody(t, addr), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			return n
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// waitMetric waits until ok(value of name) holds.
func waitMetric(t *testing.T, addr, name string, ok func(int64) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok(metricValue(t, addr, name)) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("metric %s stayed at %d", name, metricValue(t, addr, name))
}

func atLeast(n int64) func(int64) bool { return func(v int64) bool { return v >= n } }

// A new configuration is validated and swapped in on SIGHUP and when the
// file changes; an invalid one is refused and the running one stays.
func TestRunReload(t *testing.T) {
	dir, logs := testDirs(t)
	cfgPath := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	base, _ := os.ReadFile(cfgPath)
	out := filepath.Join(dir, "events.jsonl")
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	addrc := make(chan string, 1)
	go func() {
		done <- Run(ctx, RunOptions{ConfigPath: cfgPath, EventsOut: out, Signals: hup,
			Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
			Listening: func(a string) { addrc <- a }})
	}()
	addr := <-addrc
	w := newAppWriter(t, filepath.Join(logs, "app.log"))
	waitFollowing(t, addr, 1)

	// 1. With the built-in rules, ERROR records are events.
	for i := 0; i < 14; i++ {
		w.record(t)
	}
	waitEvents(t, out, 2, 10*time.Second)

	// 2. An invalid file (a typo in a key) is refused, on SIGHUP and on
	// the file change alike: the built-in rules go on matching.
	if err := os.WriteFile(cfgPath, append(bytes.Clone(base), []byte("\n[[rule]]\nmesage = 'x'\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	waitMetric(t, addr, "tattle_config_reload_failures_total", atLeast(1))
	if n := metricValue(t, addr, "tattle_config_reloads_total"); n != 0 {
		t.Fatalf("an invalid configuration was applied (%d reloads)", n)
	}
	for i := 0; i < 7; i++ {
		w.record(t)
	}
	waitEvents(t, out, 3, 10*time.Second)

	// 3. A valid file with one rule that ignores order failures applies:
	// later ERROR records no longer match.
	rule := "\n[[rule]]\ncode = \"ONLY-PANICS\"\nmessage = 'panic'\n"
	if err := os.WriteFile(cfgPath, append(bytes.Clone(base), []byte(rule)...), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	waitMetric(t, addr, "tattle_config_reloads_total", atLeast(1))
	for i := 0; i < 70; i++ {
		w.record(t)
	}
	w.f.Close()
	// every record has been read and framed (the last one after the idle
	// flush), so any event the new rules let through would be out
	waitMetric(t, addr, "tattle_records_total", atLeast(int64(w.n)))
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(readEvents(t, out)); n != 3 {
		t.Errorf("%d events after the reload, want the 3 from before it", n)
	}
}
