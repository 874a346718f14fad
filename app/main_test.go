package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestMain doubles as the daemon of the crash tests: with
// TATTLE_TEST_DAEMON set to a configuration path, the test binary runs
// `tattle run` on it until it is killed or sent SIGTERM.
func TestMain(m *testing.M) {
	if cfg := os.Getenv("TATTLE_TEST_DAEMON"); cfg != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		err := Run(ctx, RunOptions{
			ConfigPath:      cfg,
			EventsOut:       os.Getenv("TATTLE_TEST_EVENTS"),
			Logger:          slog.New(slog.NewTextHandler(os.Stderr, nil)),
			CheckpointEvery: 200 * time.Millisecond,
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
