package traces

// PLACEHOLDER: replaced by the real implementation.

// Detector follows headerless text line by line and decides which lines
// form a stack trace. The zero Detector is ready to use.
type Detector struct {
	lang string
}

// Feed classifies the next line (without its newline).
func (d *Detector) Feed(line []byte) Verdict { return New }

// Language is the language of the trace the current record holds, "" when
// the current record is not (yet) a trace of more than its first line.
func (d *Detector) Language() string { return d.lang }

// Reset forgets the current record, as at the start of a file.
func (d *Detector) Reset() { *d = Detector{} }

// StrongStart reports whether line starts a trace that never belongs to the
// record above it even in a log with record headers: a Go "panic:" or
// "fatal error:", a Rust "thread '...' panicked at", a Dart "Unhandled
// exception:". Java and Python traces do belong to the record that logged
// them and are not strong starts.
func StrongStart(line []byte) bool { return false }

// Analyze reads the stack trace in text (a record's message and continuation
// lines) and returns nil when text holds none.
func Analyze(text []byte, opt Options) *Trace { return nil }
