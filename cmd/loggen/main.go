// Command loggen writes a realistic Spring Boot log for tattle's benchmarks:
//
//	go run ./cmd/loggen -lines 1000000 -o bench-out/spring-1m.log
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tattle-dev/tattle/internal/loggen"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "physical lines to write")
	rate := flag.Float64("error-rate", 0.013, "share of records that are ERROR records")
	seed := flag.Uint64("seed", 1, "random seed; the output is a pure function of it")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	st, err := loggen.SpringBoot(w, loggen.Options{Lines: *lines, ErrorRate: *rate, Seed: *seed})
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "loggen: %d lines, %d records, %d errors (%.2f%% of records), %d trace lines\n",
		st.Lines, st.Records, st.Errors, 100*float64(st.Errors)/float64(max(st.Records, 1)), st.TraceLines)
}
