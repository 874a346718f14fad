// Command loggen writes a realistic Spring Boot log for tattle's benchmarks
// and demo:
//
//	go run ./cmd/loggen -lines 1000000 -o bench-out/spring-1m.log
//	go run ./cmd/loggen -lines 3000 -rate 300 -rotate 1500 -o demo-out/logs/shop.log
//
// With -rate it writes in real time, record by record, as an application
// does; with -rotate it also renames the file to FILE.1 (then .2, ...) and
// starts a new one every N lines, as logrotate does.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tattle-dev/tattle/internal/loggen"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "physical lines to write")
	rate := flag.Float64("error-rate", 0.013, "share of records that are ERROR records")
	seed := flag.Uint64("seed", 1, "random seed; the output is a pure function of it")
	out := flag.String("o", "", "output file (default standard output)")
	perSec := flag.Int("rate", 0, "write in real time at about this many lines per second (needs -o)")
	rotate := flag.Int("rotate", 0, "with -rate: rename the file and start a new one every N lines")
	flag.Parse()
	if err := run(*lines, *rate, *seed, *out, *perSec, *rotate); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(lines int, rate float64, seed uint64, out string, perSec, rotate int) error {
	if perSec > 0 {
		if out == "" {
			return fmt.Errorf("-rate needs -o FILE")
		}
		return live(lines, rate, seed, out, perSec, rotate)
	}
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	st, err := loggen.SpringBoot(w, loggen.Options{Lines: lines, ErrorRate: rate, Seed: seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loggen: %d lines, %d records, %d errors (%.2f%% of records), %d trace lines\n",
		st.Lines, st.Records, st.Errors, 100*float64(st.Errors)/float64(max(st.Records, 1)), st.TraceLines)
	return nil
}

// live generates the log in memory and appends it to path record by record
// at about perSec lines per second, rotating every rotate lines.
func live(lines int, rate float64, seed uint64, path string, perSec, rotate int) error {
	pr, pw := io.Pipe()
	go func() {
		_, err := loggen.SpringBoot(pw, loggen.Options{Lines: lines, ErrorRate: rate, Seed: seed, Start: time.Now().UTC()})
		pw.CloseWithError(err)
	}()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	start := time.Now()
	n, rotations, since := 0, 0, 0
	var rec []byte // the record being gathered: loggers write one in one write
	write := func() error {
		if len(rec) == 0 {
			return nil
		}
		if rotate > 0 && since >= rotate { // between records, as a logger rotates
			since = 0
			rotations++
			f.Close()
			if err := os.Rename(path, fmt.Sprintf("%s.%d", path, rotations)); err != nil {
				return err
			}
			var err error
			if f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
				return err
			}
		}
		_, err := f.Write(rec)
		rec = rec[:0]
		return err
	}
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) > 0 && line[0] >= '0' && line[0] <= '9' { // a new record's timestamp
			if err := write(); err != nil {
				return err
			}
			if ahead := time.Duration(n)*time.Second/time.Duration(perSec) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		rec = append(append(rec, line...), '\n')
		n++
		since++
	}
	if err := write(); err != nil {
		return err
	}
	f.Close()
	fmt.Fprintf(os.Stderr, "loggen: wrote %d lines to %s in %v, %d rotations\n", n, path, time.Since(start).Round(time.Millisecond), rotations)
	return sc.Err()
}
