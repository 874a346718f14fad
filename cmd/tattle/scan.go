package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/tattle-dev/tattle/app"
)

func runScan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("scan", stderr)
	config := fs.String("c", "tattle.toml", "configuration file (optional for scan)")
	asJSON := fs.Bool("json", false, "print every matched event as a JSON line instead of the table")
	format := fs.String("format", "", "format of every file (default: the source's, or auto)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tattle scan [-c tattle.toml] [--json] [--format F] FILE... | -")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "error: scan needs at least one FILE, or - for standard input")
		fs.Usage()
		return exitUsage
	}
	required := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "c" {
			required = true
		}
	})
	_, err = app.Scan(ctx, app.ScanOptions{
		ConfigPath: *config, ConfigRequired: required, JSON: *asJSON, Format: *format,
		Files: files, Stdin: stdin, Stdout: stdout, Stderr: stderr,
	})
	return exitCode(err, stderr, "run 'tattle check' to validate the configuration, or 'tattle scan -h'")
}
