package app

import (
	"sync"
	"time"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/rules"
)

// position is where reading a file may resume: every record that starts
// before Offset has been handed on. Line counts the lines before Offset.
type position struct {
	Offset, Line int64
}

// maxQueue bounds the line offsets a consumer remembers for one pending
// record. A record is bounded by max_event_lines, but a container log's
// partial-line chain is not; past the bound the oldest are dropped and the
// resume position may pass the start of that one record.
const maxQueue = 1 << 16

type linePos struct{ num, off int64 }

// consumer is the per-file stage after the tailer: it splits the bytes of
// one file into lines, frames and matches them, hands matched events on,
// and publishes the position up to which everything has been handed on.
// Data, Flush, End and Restart are called from the file's own goroutine,
// FlushIfQuiet from the daemon's flush ticker (work serialises them); Safe
// from any.
type consumer struct {
	work     sync.Mutex
	lastData time.Time // when the last bytes arrived (under work)

	source string
	path   string
	opts   parsers.Options
	engine func() *rules.Engine
	sink   func(*parsers.Event)
	m      *Metrics

	split  *parsers.Splitter
	parser *parsers.Parser
	q      []linePos

	mu   sync.Mutex
	safe position

	// report, when set, is told of a problem in the file the first time
	// it occurs (a line cut at the limit); reported says which were.
	report   func(problem string)
	reported map[string]bool

	seen parsers.Stats // parser stats already counted in m
	cut  int64         // splitter cuts already counted in m
	// cutBytes: splitter bytes dropped already counted in m
	cutBytes int64
}

func newConsumer(source, path string, opts parsers.Options, start position, engine func() *rules.Engine, sink func(*parsers.Event), m *Metrics) (*consumer, error) {
	c := &consumer{source: source, path: path, opts: opts, engine: engine, sink: sink, m: m, safe: start}
	if err := c.reset(start); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *consumer) reset(start position) error {
	p, err := parsers.New(c.opts, c.record)
	if err != nil {
		return err
	}
	c.parser = p
	c.split = parsers.NewSplitter(c.opts.MaxLineBytes, start.Offset, start.Line)
	c.q = c.q[:0]
	c.seen, c.cut, c.cutBytes = parsers.Stats{}, 0, 0
	c.setSafe(start)
	return nil
}

// Data takes the next bytes of the file.
func (c *consumer) Data(p []byte) {
	c.work.Lock()
	defer c.work.Unlock()
	c.lastData = time.Now()
	c.m.Bytes.Add(int64(len(p)))
	c.split.Write(p, c.line)
	c.publish()
}

// Flush completes the record in progress: the file has been quiet for the
// flush interval, or tattle is stopping.
func (c *consumer) Flush() {
	c.work.Lock()
	defer c.work.Unlock()
	c.parser.Flush()
	c.publish()
}

// FlushSettled completes the record in progress if it is a lone header
// line: the reader has just reached the end of what was written. It
// reports whether a record is still pending.
func (c *consumer) FlushSettled() bool {
	c.work.Lock()
	defer c.work.Unlock()
	c.parser.FlushSettled()
	c.publish()
	_, pending := c.parser.Pending()
	return pending
}

// FlushIfQuiet completes the record in progress if no data came for quiet,
// and reports whether a record is still pending.
func (c *consumer) FlushIfQuiet(now time.Time, quiet time.Duration) bool {
	c.work.Lock()
	defer c.work.Unlock()
	_, pending := c.parser.Pending()
	if pending && now.Sub(c.lastData) >= quiet {
		c.parser.Flush()
		c.publish()
		_, pending = c.parser.Pending()
	}
	return pending
}

// End completes everything: the file has been read to its very end and
// will not grow (rotated away or deleted).
func (c *consumer) End() {
	c.work.Lock()
	defer c.work.Unlock()
	c.end()
}

func (c *consumer) end() {
	c.split.Flush(c.line)
	c.parser.Flush()
	c.publish()
}

// Restart starts over at the beginning of the file after a truncation.
func (c *consumer) Restart() error {
	c.work.Lock()
	defer c.work.Unlock()
	c.end()
	return c.reset(position{})
}

// Safe returns the position up to which everything has been handed on.
func (c *consumer) Safe() position {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.safe
}

func (c *consumer) setSafe(p position) {
	c.mu.Lock()
	c.safe = p
	c.mu.Unlock()
}

func (c *consumer) line(l parsers.Line) {
	c.m.Lines.Add(1)
	if len(c.q) >= maxQueue {
		n := copy(c.q, c.q[len(c.q)/2:])
		c.q = c.q[:n]
	}
	c.q = append(c.q, linePos{l.Num, l.Offset})
	c.parser.Feed(l)
}

func (c *consumer) record(r *parsers.Record) {
	c.m.Records.Add(1)
	eng := c.engine()
	rule := eng.Match(c.source, r)
	if rule == nil {
		return
	}
	c.m.Events.Add(1)
	c.sink(eng.Event(c.source, c.path, r, rule))
}

func (c *consumer) once(problem string) {
	if c.report == nil || c.reported[problem] {
		return
	}
	if c.reported == nil {
		c.reported = map[string]bool{}
	}
	c.reported[problem] = true
	c.report(problem)
}

// publish computes the resume position after the lines fed so far: the
// start of the first line not yet in an emitted record, else the start of
// the unfinished last line.
func (c *consumer) publish() {
	st := c.parser.Stats()
	if st.TruncatedEvents > c.seen.TruncatedEvents {
		c.once("an event longer than max_event_lines or max_event_bytes was cut and flagged truncated")
	}
	if st.ParseErrors > c.seen.ParseErrors {
		c.once("lines that did not decode in the file's format are kept as plain text (parse_errors)")
	}
	c.m.EventsTruncated.Add(st.TruncatedEvents - c.seen.TruncatedEvents)
	c.m.ParseErrors.Add(st.ParseErrors - c.seen.ParseErrors)
	c.m.AddLost("event_cut", st.DroppedBytes-c.seen.DroppedBytes)
	c.seen = st
	if c.split.CutLines > c.cut {
		c.once("a line longer than max_line_bytes was cut; the rest of it is counted as lost bytes (line_cut)")
	}
	c.m.LinesCut.Add(c.split.CutLines - c.cut)
	c.cut = c.split.CutLines
	c.m.AddLost("line_cut", c.split.CutBytes-c.cutBytes)
	c.cutBytes = c.split.CutBytes

	pend, ok := c.parser.Pending()
	if !ok {
		off, line := c.split.Position()
		c.q = c.q[:0]
		c.setSafe(position{off, line})
		return
	}
	i := 0
	for i < len(c.q) && c.q[i].num < pend {
		i++
	}
	if i > 0 {
		n := copy(c.q, c.q[i:])
		c.q = c.q[:n]
	}
	if len(c.q) > 0 {
		c.setSafe(position{c.q[0].off, c.q[0].num - 1})
	}
}
