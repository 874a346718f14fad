package parsers

import (
	"time"

	"github.com/tattle-dev/tattle/parsers/traces"
)

// Header holds the fields a Format found in the first line of a record.
// Byte slices point into the line (or into the format's scratch space) and are
// valid only until the next call on the Format; the assembler copies them.
type Header struct {
	Level  Level
	Time   []byte // the time as written
	Logger []byte
	Thread []byte
	// Msg is the message: the part of the line after the header fields. A
	// Format that finds no message leaves it nil and the whole line is used.
	Msg []byte
	// TimeValue is set by formats that decode the time themselves (JSON
	// epochs, container wrappers); otherwise Time is parsed on demand.
	TimeValue time.Time
	// TimeLayout, when set, is the layout that parses Time.
	TimeLayout string

	// Access-log fields. Status 0 means the record is not an access record.
	Status     int
	Method     []byte
	Path       []byte
	DurationMS float64 // < 0 when absent
	// Stack is a stack trace carried in a field of a structured record; it
	// is appended to the record's text as continuation lines.
	Stack []byte
	// Fields are further named fields (regex groups, JSON keys), in order.
	Fields []Field
}

// Field is one named field of a record.
type Field struct {
	Key   string
	Value []byte
}

// Reset clears h for reuse, keeping its capacity.
func (h *Header) Reset() {
	f := h.Fields[:0]
	*h = Header{DurationMS: -1, Fields: f}
}

// span locates a field inside a Record's arena.
type span struct{ off, n int32 }

// Record is one framed log record: a header line and its continuation lines,
// a stack trace found by its language, or a plain line. A Record and
// everything it points to is reused by the Assembler after the callback that
// received it returns: copy what you keep (Event does).
type Record struct {
	Line, EndLine int64 // physical lines
	Lines         int   // logical lines of text
	// Text is the whole record, its logical lines joined by '\n'.
	Text []byte
	// Level etc. are the header fields (see Header).
	Level      Level
	Status     int
	DurationMS float64
	Truncated  bool // cut at the event limits
	Headerless bool // no Format header: a plain line or a detected trace
	// Language is the trace language the framing saw, if any.
	Language string

	timeValue                               time.Time
	timeLayout                              string
	arena                                   []byte // field bytes
	time, logger, thread, msg, method, path span
	fields                                  []fieldSpan
	format                                  string
	trace                                   *traces.Trace
	traced                                  bool
	inApp                                   traces.InApp
}

type fieldSpan struct {
	key string
	v   span
}

func (r *Record) get(s span) []byte { return r.arena[s.off : s.off+s.n] }

func (r *Record) put(b []byte) span {
	s := span{int32(len(r.arena)), int32(len(b))}
	r.arena = append(r.arena, b...)
	return s
}

// Logger, Thread, Method, Path and TimeText return header fields; they are
// valid while the Record is.
func (r *Record) Logger() []byte   { return r.get(r.logger) }
func (r *Record) Thread() []byte   { return r.get(r.thread) }
func (r *Record) Method() []byte   { return r.get(r.method) }
func (r *Record) Path() []byte     { return r.get(r.path) }
func (r *Record) TimeText() []byte { return r.get(r.time) }

// Message returns the message of the header line (the whole first line when
// the format found no message).
func (r *Record) Message() []byte { return r.get(r.msg) }

// Field returns the named field and whether the record has it. The header
// fields are available by their JSON names too (level, logger, thread,
// message, method, path).
func (r *Record) Field(key string) ([]byte, bool) {
	for _, f := range r.fields {
		if f.key == key {
			return r.get(f.v), true
		}
	}
	switch key {
	case "logger":
		return r.Logger(), r.logger.n > 0
	case "thread":
		return r.Thread(), r.thread.n > 0
	case "message":
		return r.Message(), true
	case "method":
		return r.Method(), r.method.n > 0
	case "path":
		return r.Path(), r.path.n > 0
	case "level":
		s := r.Level.String()
		return []byte(s), s != ""
	}
	return nil, false
}

// Format names the format that framed the record.
func (r *Record) Format() string { return r.format }

// Body is the text the trace analysis reads: the message of the first line
// followed by the continuation lines.
func (r *Record) Body() []byte {
	if r.Headerless || r.msg.n == 0 {
		return r.Text
	}
	// The message is a suffix of the first text line for text formats; for
	// structured formats Text already starts with the message.
	first := r.Text
	if i := indexNL(first); i >= 0 {
		first = first[:i]
	}
	m := r.Message()
	if len(m) <= len(first) && string(first[len(first)-len(m):]) == string(m) {
		return r.Text[len(first)-len(m):]
	}
	return r.Text
}

// Trace returns the stack trace in the record, analysing it on first use, or
// nil when the record holds none.
func (r *Record) Trace() *traces.Trace {
	if !r.traced {
		r.traced = true
		r.trace = traces.Analyze(r.Body(), traces.Options{Language: r.Language, InApp: r.inApp})
	}
	return r.trace
}

// HasTrace reports whether the record holds a stack trace.
func (r *Record) HasTrace() bool {
	if r.Language != "" {
		return true
	}
	if r.Lines < 2 && r.Headerless {
		return false
	}
	return r.Trace() != nil
}

// Time returns the record's time, parsed on demand, and whether it has one.
func (r *Record) Time() (time.Time, bool) {
	if !r.timeValue.IsZero() {
		return r.timeValue, true
	}
	if r.time.n == 0 {
		return time.Time{}, false
	}
	t, ok := ParseTime(r.TimeText(), r.timeLayout)
	if ok {
		r.timeValue = t
	}
	return t, ok
}

func indexNL(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// reset prepares r for a new record.
func (r *Record) reset() {
	text, arena, fields := r.Text[:0], r.arena[:0], r.fields[:0]
	*r = Record{Text: text, arena: arena, fields: fields, DurationMS: -1}
}

// setHeader copies h's fields into r's arena.
func (r *Record) setHeader(h *Header) {
	r.Level = h.Level
	r.Status = h.Status
	r.DurationMS = h.DurationMS
	r.timeValue = h.TimeValue
	r.timeLayout = h.TimeLayout
	r.time = r.put(h.Time)
	r.logger = r.put(h.Logger)
	r.thread = r.put(h.Thread)
	r.msg = r.put(h.Msg)
	r.method = r.put(h.Method)
	r.path = r.put(h.Path)
	for _, f := range h.Fields {
		r.fields = append(r.fields, fieldSpan{f.Key, r.put(f.Value)})
	}
}
