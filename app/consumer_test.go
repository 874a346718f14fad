package app

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/tattle-dev/tattle/internal/loggen"
	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/rules"
)

type seenEvent struct {
	line, end int64
	code      string
}

// runConsumer feeds data from start in random chunks until stopAt (or the
// end, when stopAt < 0) and returns the events, the published position and
// where reading stopped.
func runConsumer(t *testing.T, data []byte, start position, chunk int, stopAt int64, r *rand.Rand) ([]seenEvent, position, int64) {
	t.Helper()
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []seenEvent
	c, err := newConsumer("app", "app.log", parsers.Options{Format: "auto"}, start,
		func() *rules.Engine { return eng },
		func(ev *parsers.Event) { got = append(got, seenEvent{ev.Line, ev.EndLine, ev.Code}) },
		NewMetrics())
	if err != nil {
		t.Fatal(err)
	}
	off := start.Offset
	for off < int64(len(data)) && (stopAt < 0 || off < stopAt) {
		n := int64(1 + r.IntN(chunk))
		end := min(off+n, int64(len(data)))
		c.Data(data[off:end])
		off = end
	}
	if stopAt < 0 {
		c.End()
	}
	return got, c.Safe(), off
}

// A consumer killed at any moment and restarted from the position it last
// published loses no event, reports the same line numbers, and repeats
// only events that start at or after that position.
func TestConsumerResumeLosesNothing(t *testing.T) {
	var buf bytes.Buffer
	if _, err := loggen.SpringBoot(&buf, loggen.Options{Lines: 3000, ErrorRate: 0.05, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	r := rand.New(rand.NewPCG(1, 2))
	want, _, _ := runConsumer(t, data, position{}, 4096, -1, r)
	if len(want) < 20 {
		t.Fatalf("only %d events in the sample", len(want))
	}
	for trial := 0; trial < 40; trial++ {
		before, safe, crash := runConsumer(t, data, position{}, 1+r.IntN(8192), int64(r.IntN(len(data))), r)
		if safe.Offset > crash {
			t.Fatalf("safe offset %d past the crash at %d", safe.Offset, crash)
		}
		if safe.Offset > 0 && data[safe.Offset-1] != '\n' {
			t.Fatalf("safe offset %d is not at a line start", safe.Offset)
		}
		if got := int64(bytes.Count(data[:safe.Offset], []byte("\n"))); got != safe.Line {
			t.Fatalf("safe line %d, but %d lines precede offset %d", safe.Line, got, safe.Offset)
		}
		after, _, _ := runConsumer(t, data, safe, 1+r.IntN(8192), -1, r)
		seen := map[seenEvent]int{}
		for _, e := range before {
			seen[e]++
		}
		for _, e := range after {
			if seen[e] > 0 && e.line <= safe.Line {
				t.Fatalf("trial %d: event %v before the resume line %d delivered twice", trial, e, safe.Line)
			}
			seen[e]++
		}
		for _, e := range want {
			if seen[e] == 0 {
				t.Fatalf("trial %d (crash at %d, resumed at %+v): event %v lost", trial, crash, safe, e)
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("trial %d: %d distinct events, want %d", trial, len(seen), len(want))
		}
	}
}

func TestConsumerMetrics(t *testing.T) {
	eng, _ := rules.NewEngine(nil)
	m := NewMetrics()
	c, err := newConsumer("app", "x.log", parsers.Options{Format: "plain", Limits: parsers.Limits{MaxLineBytes: 24, MaxEventLines: 2}}, position{},
		func() *rules.Engine { return eng }, func(*parsers.Event) {}, m)
	if err != nil {
		t.Fatal(err)
	}
	// one line cut (9 bytes over), one error, one crash trace over 2 lines
	c.Data([]byte("ERROR: 0123456789abcdefghijklmnop\npanic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/x.go:1\nok\n"))
	c.End()
	var out bytes.Buffer
	m.WriteText(&out)
	for _, want := range []string{
		"tattle_lines_total 7\n", "tattle_lines_cut_total 1\n", "tattle_events_total 2\n", "tattle_events_truncated_total 1\n",
		`tattle_lost_bytes_total{reason="line_cut"} 9` + "\n",
	} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("metrics lack %q:\n%s", want, out.String())
		}
	}
}
