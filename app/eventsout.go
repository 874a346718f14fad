package app

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/tattle-dev/tattle/parsers"
)

// eventsOut appends matched events to a file as JSON lines (run
// --events-out). Writes are buffered and flushed after each batch a
// follower hands on, so an event reaches the file within one read of its
// line; Sync makes them durable before offsets are committed.
type eventsOut struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *bufio.Writer
	enc  *json.Encoder
	err  error // the first write error; reported once, then every write fails
}

func openEventsOut(path string) (*eventsOut, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("events-out: %w", err)
	}
	e := &eventsOut{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10)}
	e.enc = json.NewEncoder(e.w)
	e.enc.SetEscapeHTML(false)
	return e, nil
}

// Write appends one event (buffered).
func (e *eventsOut) Write(ev *parsers.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return e.err
	}
	if err := e.enc.Encode(ev); err != nil {
		e.err = fmt.Errorf("events-out %s: %w", e.path, err)
	}
	return e.err
}

// Flush writes buffered events to the file.
func (e *eventsOut) Flush() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		if err := e.w.Flush(); err != nil {
			e.err = fmt.Errorf("events-out %s: %w", e.path, err)
		}
	}
	return e.err
}

// Sync flushes and fsyncs: every event written so far survives a crash.
func (e *eventsOut) Sync() error {
	if err := e.Flush(); err != nil {
		return err
	}
	if err := e.f.Sync(); err != nil {
		return fmt.Errorf("events-out %s: %w", e.path, err)
	}
	return nil
}

func (e *eventsOut) Close() error {
	err := e.Sync()
	if cerr := e.f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}
