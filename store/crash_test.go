//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
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

// The crash tests run this test binary again as a child that writes to a
// store and is killed (by the parent at random, or by itself at a named
// point). TestHelperWriter is that child; in a normal run it does nothing.
const (
	envHelper  = "TATTLE_STORE_HELPER"
	envDir     = "TATTLE_STORE_DIR"
	envSeed    = "TATTLE_STORE_SEED"
	envCrashAt = "TATTLE_STORE_CRASH_AT"
)

func TestHelperWriter(t *testing.T) {
	mode := os.Getenv(envHelper)
	if mode == "" {
		return
	}
	if err := runHelper(mode, os.Getenv(envDir)); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func seqKey(n int) string { return fmt.Sprintf("%08d", n) }

// seqValue varies in length (0 to ~500 bytes) so records straddle the
// write buffer's edges.
func seqValue(n int) string { return strings.Repeat(strconv.Itoa(n)+",", n%61) }

func runHelper(mode, dir string) error {
	armed := false
	point := os.Getenv(envCrashAt)
	opts := Options{testHook: func(p string) {
		if armed && p == point {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}}
	switch mode {
	case "writer":
		seed, err := strconv.ParseUint(os.Getenv(envSeed), 10, 64)
		if err != nil {
			return err
		}
		// A small journal limit makes checkpoints come every few batches;
		// small buffers make records reach the file in pieces between
		// Syncs. Kills land in both.
		rng := rand.New(rand.NewPCG(seed, uint64(os.Getpid())))
		buffer := []int{64, 1 << 10, 64 << 10}[rng.IntN(3)]
		s, err := Open(dir, Options{MaxJournalBytes: 16 << 10, BufferSize: buffer})
		if err != nil {
			return err
		}
		n := len(s.List("seq"))
		for batch := 0; n < 1_000_000; batch++ {
			for range 1 + rng.IntN(8) {
				n++
				if err := s.Put("seq", seqKey(n), []byte(seqValue(n))); err != nil {
					return err
				}
				if err := s.Put("meta", "last", []byte(strconv.Itoa(n))); err != nil {
					return err
				}
			}
			if batch%13 == 12 {
				err = s.Checkpoint()
			} else {
				err = s.Sync()
			}
			if err != nil {
				return err
			}
			if _, err := fmt.Printf("synced %d\n", n); err != nil {
				return nil // the parent has gone
			}
		}
		return errors.New("writer was never killed")
	case "checkpoint":
		s, err := Open(dir, opts)
		if err != nil {
			return err
		}
		for i := 1; i <= 5; i++ {
			if err := s.Put("s", fmt.Sprintf("k%d", i), []byte("v")); err != nil {
				return err
			}
		}
		if err := s.Sync(); err != nil {
			return err
		}
		if err := s.Put("s", "k6", []byte("buffered")); err != nil {
			return err
		}
		armed = true
		if err := s.Checkpoint(); err != nil {
			return err
		}
		return fmt.Errorf("checkpoint never reached %q", point)
	case "open":
		armed = true
		if _, err := Open(dir, opts); err != nil {
			return err
		}
		return fmt.Errorf("open never reached %q", point)
	}
	return fmt.Errorf("unknown helper mode %q", mode)
}

func helperCmd(mode, dir string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), append(env, envHelper+"="+mode, envDir+"="+dir)...)
	return cmd
}

// TestCrashKill9 kills a writer at random moments, 20 times, and checks
// after each kill that the store opens, holds every record the writer had
// reported synced, and holds a prefix of its changes.
func TestCrashKill9(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envSeed); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (set %s to repeat)", seed, envSeed)
	rng := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	lastSynced := 0
	var mid, torn, compacted int
	for round := range 20 {
		cmd := helperCmd("writer", dir, envSeed+"="+strconv.FormatUint(rng.Uint64(), 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Lines go through a channel so that the kill can come at any
		// moment, not just right after a report.
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		var other []string
		reports := 0
		take := func(line string) {
			n, ok := strings.CutPrefix(line, "synced ")
			if !ok {
				other = append(other, line)
				return
			}
			v, err := strconv.Atoi(n)
			if err != nil || v < lastSynced {
				t.Fatalf("round %d: bad report %q after %d", round, line, lastSynced)
			}
			lastSynced = v
			reports++
		}
		// The kill comes at a random moment once the child has synced
		// once (so every round makes progress); the watchdog ends a child
		// that never gets that far, and the round fails below.
		var kill <-chan time.Time
		watchdog := time.NewTimer(30 * time.Second)
	wait:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break wait
				}
				take(line)
				if reports == 1 && kill == nil {
					kill = time.After(time.Duration(rng.Int64N(int64(40 * time.Millisecond))))
				}
			case <-kill:
				break wait
			case <-watchdog.C:
				break wait
			}
		}
		watchdog.Stop()
		cmd.Process.Signal(syscall.SIGKILL)
		for line := range lines { // reports written before the kill count too
			take(line)
		}
		err = cmd.Wait()
		if reports == 0 {
			t.Fatalf("round %d: child made no progress (%v): %q", round, err, other)
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, not by SIGKILL: %q", round, err, other)
		}

		names := fileNames(dirFiles(t, dir))
		journals := 0
		for _, n := range names {
			if _, ok := parseJournalName(n); ok {
				journals++
			}
		}
		if journals > 1 || slices.Contains(names, tempName) {
			mid++ // killed inside a checkpoint
		}

		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("round %d: Open after kill: %v (files %v)", round, err, names)
		}
		r := s.Recovery()
		if len(r.Torn) > 0 {
			torn++
		}
		if r.Compacted {
			compacted++
		}
		kvs := s.List("seq")
		if len(kvs) < lastSynced {
			t.Fatalf("round %d: %d records survived, but %d were synced", round, len(kvs), lastSynced)
		}
		for i, kv := range kvs {
			if kv.Key != seqKey(i+1) || string(kv.Value) != seqValue(i+1) {
				t.Fatalf("round %d: entry %d is %q=%.20q: not a prefix", round, i, kv.Key, kv.Value)
			}
		}
		last, _ := s.Get("meta", "last")
		if m := len(kvs); m > 0 && string(last) != strconv.Itoa(m) && string(last) != strconv.Itoa(m-1) {
			t.Fatalf("round %d: meta/last = %q with %d records: not a prefix", round, last, m)
		}
		s.abandon() // leave the files as recovery left them for the next child
	}
	t.Logf("%d records synced; kills inside a checkpoint: %d, torn tails: %d, compacted at open: %d",
		lastSynced, mid, torn, compacted)
}

// TestCrashPoints kills the process at each step of a checkpoint, and of
// the compaction Open does after a torn tail, and checks the exact state.
func TestCrashPoints(t *testing.T) {
	all5 := []string{"k1", "k2", "k3", "k4", "k5"}
	all6 := append(slices.Clone(all5), "k6")
	cases := []struct {
		mode, point string
		files       []string // left by the crash
		keys        []string // after Open
		compacted   bool
		torn        int
	}{
		// The buffered k6 had not reached the file yet.
		{"checkpoint", "journal-created", []string{"state.db", j1, j2}, all5, true, 0},
		{"checkpoint", "switched", []string{"state.db", j1, j2}, all6, true, 0},
		{"checkpoint", "snapshot-synced", []string{"state.db", tempName, j1, j2}, all6, true, 0},
		{"checkpoint", "snapshot-renamed", []string{"state.db", j1, j2}, all6, false, 0},
		{"checkpoint", "journal-removed", []string{"state.db", j2}, all6, false, 0},
		// Open found r5 torn and was folding r1..r4 into a snapshot.
		{"open", "snapshot-synced", []string{"state.db", tempName, j1}, fiveKeys[:4], true, 1},
		{"open", "snapshot-renamed", []string{"state.db", j1}, fiveKeys[:4], false, 0},
		{"open", "journal-removed", []string{"state.db"}, fiveKeys[:4], false, 0},
	}
	var torn map[string][]byte
	for _, c := range cases {
		t.Run(c.mode+"/"+c.point, func(t *testing.T) {
			dir := t.TempDir()
			if c.mode == "open" {
				if torn == nil {
					torn = journalBase(t)
					torn[j1] = torn[j1][:len(torn[j1])-3]
				}
				writeFiles(t, dir, torn)
			}
			var stdout bytes.Buffer
			cmd := helperCmd(c.mode, dir, envCrashAt+"="+c.point)
			cmd.Stdout = &stdout
			err := cmd.Run()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v, %q", c.point, err, stdout.String())
			}
			if got := fileNames(dirFiles(t, dir)); !sameSet(got, c.files) {
				t.Fatalf("files after the crash = %v, want %v", got, c.files)
			}
			s := mustOpen(t, dir, Options{})
			defer s.Close()
			if got := keysOf(s); !slices.Equal(got, c.keys) {
				t.Fatalf("keys = %v, want %v", got, c.keys)
			}
			r := s.Recovery()
			if r.Compacted != c.compacted || len(r.Torn) != c.torn {
				t.Fatalf("Recovery = %+v, want compacted %v and %d torn", r, c.compacted, c.torn)
			}
			if _, err := os.Stat(filepath.Join(dir, tempName)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("temp snapshot still there after Open: %v", err)
			}
		})
	}
}
