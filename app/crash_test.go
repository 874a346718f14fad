package app

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// daemonProc is `tattle run` in a child process, to be killed for real.
type daemonProc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

func startProc(t *testing.T, config, events string) *daemonProc {
	t.Helper()
	p := &daemonProc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	p.cmd.Env = append(os.Environ(), "TATTLE_TEST_DAEMON="+config, "TATTLE_TEST_EVENTS="+events)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *daemonProc) kill(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func (p *daemonProc) term(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("daemon exited with %v:\n%s", err, p.stderr.String())
		}
	case <-time.After(shutdownGrace + 2*time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("daemon did not stop within %v after SIGTERM", shutdownGrace)
	}
}

// kill -9 the daemon at random moments while an application keeps writing
// and rotating its log, some rotations while the daemon is down; start it
// again each time. No event is lost, and an event is repeated only if it
// was written shortly before a kill (inside the last checkpoint interval,
// plus the time it takes to read it).
func TestRunKill9(t *testing.T) {
	dir, logs := testDirs(t)
	path := filepath.Join(logs, "app.log")
	cfg := writeConfig(t, dir, filepath.Join(logs, "*.log"))
	events := filepath.Join(dir, "events.jsonl")
	w := newAppWriter(t, path)
	written := map[int]time.Time{}
	r := rand.New(rand.NewPCG(7, 9))

	p := startProc(t, cfg, events)
	var kills []time.Time
	deadline := time.Now().Add(6 * time.Second)
	nextKill := time.Now().Add(time.Duration(500+r.IntN(1000)) * time.Millisecond)
	down := false
	var upAt time.Time
	for time.Now().Before(deadline) {
		for i := 0; i < 20; i++ {
			w.record(t)
			written[w.n] = time.Now()
		}
		// Rotate about every 0.6 s, more rarely than the longest downtime
		// (0.4 s), so that no file lives and is rotated away wholly while
		// tattle is down: such a file, renamed out of the globs, no tool
		// could ever see. Some rotations happen while it is down.
		if w.n%1200 < 20 {
			w.f.Close()
			os.Rename(path, fmt.Sprintf("%s.%d", path, w.n))
			w.reopen(t)
			t.Logf("rotated after record %d (down: %v)", w.n, down)
		}
		now := time.Now()
		switch {
		case !down && now.After(nextKill):
			p.kill(t)
			kills = append(kills, now)
			t.Logf("kill -9 after record %d", w.n)
			down, upAt = true, now.Add(time.Duration(100+r.IntN(300))*time.Millisecond)
		case down && now.After(upAt):
			p = startProc(t, cfg, events)
			t.Logf("restart after record %d", w.n)
			down = false
			nextKill = now.Add(time.Duration(500+r.IntN(1000)) * time.Millisecond)
		}
		time.Sleep(10 * time.Millisecond) // about 2,000 records/s
	}
	if down {
		p = startProc(t, cfg, events)
	}
	w.f.Close()
	waitEvents(t, events, len(w.errors), 20*time.Second)
	p.term(t)

	evs := readEvents(t, events)
	dup := checkEvents(t, w, evs, true)
	count := map[int]int{}
	for _, ev := range evs {
		if m := orderRe.FindStringSubmatch(ev.Message); m != nil {
			n, _ := strconv.Atoi(m[1])
			count[n]++
		}
	}
	const window = 200*time.Millisecond + 1500*time.Millisecond // checkpoint interval + reading lag
	for n, c := range count {
		if c < 2 {
			continue
		}
		near := false
		for _, k := range kills {
			if d := k.Sub(written[n]); d >= -50*time.Millisecond && d <= window {
				near = true
			}
		}
		if !near {
			t.Errorf("event %d (written %v) repeated %d times, not within %v before a kill (kills at %v)", n, written[n].Format("15:04:05.000"), c, window, kills)
		}
	}
	t.Logf("%d kills, %d events, %d repeated", len(kills), len(w.errors), dup)
	if len(kills) < 2 {
		t.Errorf("only %d kills happened", len(kills))
	}
	if t.Failed() {
		t.Logf("last daemon's log:\n%s", p.stderr.String())
	}
}
