package main

import (
	"fmt"
	"io"

	"github.com/tattle-dev/tattle/app"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	config := fs.String("c", "tattle.toml", "configuration file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tattle check [-c tattle.toml]")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "error: check takes no arguments (got %q)\n", rest)
		return exitUsage
	}
	summary, err := app.Check(*config)
	if err != nil {
		return exitCode(err, stderr, "fix the configuration and run 'tattle check' again")
	}
	fmt.Fprintln(stdout, summary)
	return exitOK
}
