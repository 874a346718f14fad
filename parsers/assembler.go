package parsers

import (
	"github.com/tattle-dev/tattle/parsers/traces"
)

// Limits bound one event.
type Limits struct {
	MaxLineBytes  int // a longer line is cut (LineReader); default 64 KiB
	MaxEventLines int // default 5,000
	MaxEventBytes int // default 1 MiB
}

// Default event limits.
const (
	DefaultMaxEventLines = 5000
	DefaultMaxEventBytes = 1 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = DefaultMaxLineBytes
	}
	if l.MaxEventLines <= 0 {
		l.MaxEventLines = DefaultMaxEventLines
	}
	if l.MaxEventBytes <= 0 {
		l.MaxEventBytes = DefaultMaxEventBytes
	}
	return l
}

// Stats count what the framing saw. They only grow.
type Stats struct {
	Records         int64 // records emitted
	TruncatedEvents int64 // records cut at the event limits
	DroppedLines    int64 // lines left out of truncated records
	DroppedBytes    int64 // bytes left out of truncated records
	CutLines        int64 // logical lines that arrived cut at the line limit
	ParseErrors     int64 // structured lines that did not decode
}

// Assembler frames logical lines into records. Lines that a Format reads as
// headers start records and the lines after them are continuations; where
// there is no header (before the first one, in plain text, or after a strong
// trace start such as a Go panic), a traces.Detector decides which lines
// form a stack trace, and every other line is a record of its own.
type Assembler struct {
	f     Format
	lim   Limits
	inApp traces.InApp
	emit  func(*Record)
	det   traces.Detector
	h     Header
	cur   Record
	open  bool
	// held lines (Hold verdicts, or blank lines after a headered record)
	// wait for the next line to decide where they belong.
	held     []heldLine
	heldText []byte
	Stats    Stats
}

type heldLine struct {
	num, end int64
	off, n   int
	cut      bool
}

// NewAssembler returns an assembler that frames with f and calls emit for
// each record. The *Record passed to emit is reused afterwards.
func NewAssembler(f Format, lim Limits, inApp traces.InApp, emit func(*Record)) *Assembler {
	if f == nil {
		f = plain{}
	}
	return &Assembler{f: f, lim: lim.withDefaults(), inApp: inApp, emit: emit}
}

// Add frames the next logical line.
func (a *Assembler) Add(l Logical) {
	if l.Cut {
		a.Stats.CutLines++
	}
	if l.Err != "" {
		a.Stats.ParseErrors++
	}
	if l.Cont && a.open {
		a.appendHeld()
		a.appendLine(l.Num, l.EndNum, l.Text)
		return
	}
	if l.H != nil {
		v := a.det.Feed(l.Text)
		if a.open && l.H.Level == LevelNone {
			switch v {
			case traces.Continue:
				a.appendHeld()
				a.appendLine(l.Num, l.EndNum, l.Text)
				a.appendText(l.Num, l.EndNum, l.H.Stack)
				a.cur.Language = a.det.Language()
				return
			case traces.Hold:
				// a blank record between goroutines of a panic
				// spread over JSON records
				if len(l.H.Stack) == 0 {
					a.hold(l)
					return
				}
			}
		}
		a.start(l, l.H, false)
		return
	}
	a.h.Reset()
	if a.f.Header(l.Text, &a.h) {
		a.det.Reset()
		a.start(l, &a.h, false)
		return
	}
	if a.open && !a.cur.Headerless {
		a.continuation(l)
		return
	}
	switch a.det.Feed(l.Text) {
	case traces.Continue:
		if a.open {
			a.appendHeld()
			a.appendLine(l.Num, l.EndNum, l.Text)
			a.cur.Language = a.det.Language()
			return
		}
	case traces.Hold:
		if a.open {
			a.hold(l)
			return
		}
	default:
		// A blank line is no record: it waits with the held lines in
		// case a trace goes on after it, and is dropped otherwise.
		if isBlank(l.Text) {
			if a.open {
				a.hold(l)
			}
			return
		}
	}
	a.start(l, nil, true)
}

// continuation frames a line without a header after a record that has one.
// It belongs to that record (SPEC: continuation lines belong to the record
// above them; Python's DETAIL lines after an exception and Java's
// multi-line messages depend on it), except a strong trace start: a Go
// panic after an INFO line is a crash of its own, and from there the trace
// detector frames the lines. A logger's own panic or fatal record (zap's
// Panic, logrus' Panic: log, then panic) keeps its panic.
func (a *Assembler) continuation(l Logical) {
	if a.cur.Level < LevelFatal && traces.StrongStart(l.Text) {
		a.det.Reset()
		a.det.Feed(l.Text)
		a.start(l, nil, true)
		return
	}
	if isBlank(l.Text) {
		a.hold(l)
		return
	}
	a.appendHeld()
	a.appendLine(l.Num, l.EndNum, l.Text)
}

// Pending returns the first physical line the assembler holds that is not
// yet part of an emitted record (the open record, or held lines), and
// whether it holds any. A follower may commit its offset only up to there.
func (a *Assembler) Pending() (int64, bool) {
	if a.open {
		return a.cur.Line, true
	}
	if len(a.held) > 0 {
		return a.held[0].num, true
	}
	return 0, false
}

// FlushSettled emits the record in progress if it is a header line with
// nothing after it yet (no continuation, nothing held): at the end of what
// a follower has read, such a record is almost surely complete, since
// loggers write a record and its trace in one write. A trace or a record
// with continuation lines waits for Flush after a longer quiet time.
func (a *Assembler) FlushSettled() {
	if a.open && !a.cur.Headerless && a.cur.Lines == 1 && len(a.held) == 0 {
		a.finish()
		a.det.Reset()
	}
}

// Flush emits the record in progress and any held lines; call it at the
// end of the input and when the input has been idle.
func (a *Assembler) Flush() {
	a.finish()
	a.det.Reset()
}

func (a *Assembler) start(l Logical, h *Header, headerless bool) {
	a.finish()
	r := &a.cur
	r.reset()
	r.Line, r.EndLine = l.Num, l.EndNum
	r.Headerless = headerless
	r.inApp = a.inApp
	r.format = a.f.Name()
	text := a.firstLine(r, l.Text)
	r.Lines = 1
	if h != nil {
		r.setHeader(h)
		if h.Msg == nil {
			r.msg = r.put(l.Text)
		}
		if len(h.Stack) > 0 {
			a.appendText(l.Num, l.EndNum, h.Stack)
		}
	} else {
		r.msg = r.put(text)
		if !traces.StrongStart(text) {
			// "panic: x" is a crash, not a PANIC-level record.
			r.Level = leadingLevel(text)
		}
	}
	a.open = true
}

// leadingLevel reads a level word at the start of a plain line. To keep
// prose such as "error count: 0" from reading as a level, the word must be
// bracketed ("[error]", "<ERROR>"), followed by a colon ("error: ..."), or
// written in capitals and followed by a space ("ERROR disk full").
func leadingLevel(b []byte) Level {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	var open byte
	if i < len(b) && (b[i] == '[' || b[i] == '<') {
		open = b[i]
		i++
	}
	j, upper := i, true
	for j < len(b) && j-i < 10 && ('a' <= b[j] && b[j] <= 'z' || 'A' <= b[j] && b[j] <= 'Z') {
		if b[j] >= 'a' {
			upper = false
		}
		j++
	}
	if j-i < 4 || j == len(b) {
		return LevelNone
	}
	ok := false
	switch c := b[j]; {
	case open == '[':
		ok = c == ']'
	case open == '<':
		ok = c == '>'
	case c == ':':
		ok = true
	case c == ' ':
		ok = upper
	}
	if !ok {
		return LevelNone
	}
	return ParseLevel(b[i:j])
}

// firstLine puts the first line of r in place, cut at the event byte limit
// (a line may be longer than an event when max_line_bytes is larger than
// max_event_bytes), and returns what was kept.
func (a *Assembler) firstLine(r *Record, text []byte) []byte {
	if len(text) > a.lim.MaxEventBytes {
		a.Stats.DroppedBytes += int64(len(text) - a.lim.MaxEventBytes)
		text = text[:a.lim.MaxEventBytes]
		r.Truncated = true
	}
	r.Text = append(r.Text, text...)
	return text
}

// appendText appends text that may hold several lines (a stack field).
func (a *Assembler) appendText(num, end int64, text []byte) {
	for len(text) > 0 {
		i := indexNL(text)
		if i < 0 {
			a.appendLine(num, end, text)
			return
		}
		a.appendLine(num, end, trimCR(text[:i]))
		text = text[i+1:]
	}
}

func (a *Assembler) appendLine(num, end int64, text []byte) {
	r := &a.cur
	if end > r.EndLine {
		r.EndLine = end
	}
	if r.Lines >= a.lim.MaxEventLines || len(r.Text)+1+len(text) > a.lim.MaxEventBytes {
		if !r.Truncated {
			r.Truncated = true
		}
		a.Stats.DroppedLines++
		a.Stats.DroppedBytes += int64(len(text)) + 1
		return
	}
	r.Text = append(r.Text, '\n')
	r.Text = append(r.Text, text...)
	r.Lines++
}

func (a *Assembler) hold(l Logical) {
	off := len(a.heldText)
	a.heldText = append(a.heldText, l.Text...)
	a.held = append(a.held, heldLine{num: l.Num, end: l.EndNum, off: off, n: len(l.Text), cut: l.Cut})
	if len(a.heldText) > a.lim.MaxEventBytes || len(a.held) > a.lim.MaxEventLines {
		// Held lines are bounded like an event: past the limits they
		// are released as records of their own.
		a.finish()
	}
}

// appendHeld moves held lines into the current record.
func (a *Assembler) appendHeld() {
	for _, h := range a.held {
		a.appendLine(h.num, h.end, a.heldText[h.off:h.off+h.n])
	}
	a.held, a.heldText = a.held[:0], a.heldText[:0]
}

// finish emits the current record, then held lines that are not blank as
// records of their own.
func (a *Assembler) finish() {
	if a.open {
		a.open = false
		a.emitCur()
	}
	if len(a.held) == 0 {
		return
	}
	held := a.held
	a.held = nil
	for _, h := range held {
		text := a.heldText[h.off : h.off+h.n]
		if isBlank(text) {
			continue
		}
		r := &a.cur
		r.reset()
		r.Line, r.EndLine, r.Lines = h.num, h.end, 1
		r.Headerless = true
		r.inApp = a.inApp
		r.format = a.f.Name()
		text = a.firstLine(r, text)
		r.msg = r.put(text)
		r.Level = leadingLevel(text)
		a.emitCur()
	}
	a.held, a.heldText = held[:0], a.heldText[:0]
}

func (a *Assembler) emitCur() {
	a.Stats.Records++
	if a.cur.Truncated {
		a.Stats.TruncatedEvents++
	}
	if a.emit != nil {
		a.emit(&a.cur)
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
