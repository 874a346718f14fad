package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/tattle-dev/tattle/app"
)

func runRun(ctx context.Context, args []string, stderr io.Writer) int {
	fs := newFlagSet("run", stderr)
	config := fs.String("c", "tattle.toml", "configuration file")
	eventsOut := fs.String("events-out", "", "append every matched event to this file as a JSON line")
	logJSON := fs.Bool("log-json", false, "write the daemon's own log as JSON lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tattle run [-c tattle.toml] [--events-out PATH]")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "error: run takes no arguments (got %q)\n", rest)
		return exitUsage
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if *logJSON {
		h = slog.NewJSONHandler(stderr, nil)
	}
	err = app.Run(ctx, app.RunOptions{ConfigPath: *config, EventsOut: *eventsOut, Logger: slog.New(h)})
	return exitCode(err, stderr, "run 'tattle check' to validate the configuration")
}
