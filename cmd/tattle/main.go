// Command tattle tails application and access logs, finds errors and stack
// traces, groups them into incidents with short codes and alerts on them.
// This file only reads the command line; package app does the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/tattle-dev/tattle/app"
)

// Exit codes, per SPEC.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  tattle run    [-c tattle.toml] [--events-out PATH]
  tattle scan   [-c tattle.toml] [--json] [--format F] FILE... | -
  tattle check  [-c tattle.toml]
  tattle version

Run 'tattle COMMAND -h' for a command's flags.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "scan":
		return runScan(ctx, rest, stdin, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "run":
		return runRun(ctx, rest, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "tattle", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "error: unknown command %q\n%s", cmd, usage)
	return exitUsage
}

// exitCode maps an error to the exit code and prints it with a hint.
func exitCode(err error, stderr io.Writer, hint string) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "error: %v\n", err)
	var ue *app.UsageError
	if errors.As(err, &ue) {
		if hint != "" {
			fmt.Fprintf(stderr, "hint: %s\n", hint)
		}
		return exitUsage
	}
	return exitFailure
}
