package parsers

import (
	"fmt"
	"sort"
)

// Format frames and reads text records whose first line carries a header.
// Header is called for each line: it reports whether the line starts a new
// record and, if it does, fills h (which the caller has Reset). It must not
// keep line, must not allocate on lines that are not headers, and must
// never panic, whatever the bytes.
type Format interface {
	Name() string
	Header(line []byte, h *Header) bool
}

// Unwrapper decodes a structured format (JSON lines, container log
// wrappers) whose physical lines are not the text of the log. Unwrap decodes
// one physical line and calls emit for each logical line it completes; Flush
// emits what is pending at the end of the input.
type Unwrapper interface {
	Name() string
	Unwrap(l Line, emit func(Logical))
	Flush(emit func(Logical))
}

// Logical is one logical line handed from an Unwrapper to the framing.
type Logical struct {
	Num, EndNum int64 // physical lines it came from
	Text        []byte
	Cut         bool
	// H, when set, is the header the wrapper decoded: the line starts a
	// record with these fields, unless it has no level and reads as the
	// continuation of a trace.
	H *Header
	// Cont forces the line to continue the current record (a stack field).
	Cont bool
	// Err names what was wrong with the physical line (not JSON, ...); the
	// line's raw bytes are in Text and it is framed as plain text.
	Err string
}

// FormatOptions configure the formats that need settings.
type FormatOptions struct {
	// Pattern is the regular expression of format "regex".
	Pattern string
	// Fields maps event fields (message, level, time, logger, thread,
	// stack, ...) to JSON keys (dotted paths) for format "json".
	Fields map[string]string
	// Preset is a JSON field-mapping preset: logstash, bunyan, pino,
	// winston, zap, logrus, slog, or "" for the generic mapping.
	Preset string
}

// textFormats are the header formats, in the order auto-detection prefers
// them when two match equally.
var textFormats = map[string]func() Format{}

// unwrappers are the structured formats.
var unwrappers = map[string]func(FormatOptions) (Unwrapper, error){}

// registerFormat adds a header format; called from init functions.
func registerFormat(name string, f func() Format) { textFormats[name] = f }

// registerUnwrapper adds a structured format and the test auto-detection
// uses to recognise its lines; called from init functions.
func registerUnwrapper(name string, f func(FormatOptions) (Unwrapper, error), sniff func(line []byte) bool) {
	unwrappers[name] = f
	sniffers[name] = sniff
}

// FormatNames lists every format name accepted in configuration.
func FormatNames() []string {
	names := []string{"auto", "plain", "regex"}
	for n := range textFormats {
		names = append(names, n)
	}
	for n := range unwrappers {
		names = append(names, n)
	}
	sort.Strings(names[3:])
	return names
}

// ErrUnknownFormat is returned for a format name tattle does not know.
type ErrUnknownFormat struct{ Name string }

func (e *ErrUnknownFormat) Error() string {
	return fmt.Sprintf("unknown format %q (known: %v)", e.Name, FormatNames())
}

// plain is the format with no headers: every line starts a record unless
// the trace detector continues it.
type plain struct{}

func (plain) Name() string                       { return "plain" }
func (plain) Header(line []byte, h *Header) bool { return false }
