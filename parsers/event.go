package parsers

import (
	"time"

	"github.com/tattle-dev/tattle/parsers/traces"
)

// Event is a matched record as tattle reports it: the schema of
// `scan --json` and `run --events-out`. Absent fields are omitted.
type Event struct {
	Source  string    `json:"source,omitempty"`
	File    string    `json:"file,omitempty"`
	Line    int64     `json:"line"`
	EndLine int64     `json:"end_line"`
	Time    time.Time `json:"time,omitzero"`
	Level   string    `json:"level,omitempty"`
	Logger  string    `json:"logger,omitempty"`
	Thread  string    `json:"thread,omitempty"`
	Message string    `json:"message,omitempty"`
	Format  string    `json:"format,omitempty"`

	Language  string   `json:"language,omitempty"`
	Exception string   `json:"exception,omitempty"`
	Causes    []string `json:"causes,omitempty"`
	Frames    int      `json:"frames,omitempty"`
	Stack     string   `json:"stack"`
	Truncated bool     `json:"truncated,omitempty"`

	Status     int      `json:"status,omitempty"`
	Method     string   `json:"method,omitempty"`
	Path       string   `json:"path,omitempty"`
	DurationMS *float64 `json:"duration_ms,omitempty"`

	Fields map[string]string `json:"fields,omitempty"`

	Rule        string `json:"rule,omitempty"`
	Code        string `json:"code,omitempty"`
	Title       string `json:"title,omitempty"`
	Severity    string `json:"severity,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`

	// Trace is the analysed stack trace (frames in full), for grouping and
	// alerts; the JSON carries its summary fields above.
	Trace *traces.Trace `json:"-"`
}

// Event copies the record into an Event, analysing its trace. source and
// file name where it came from.
func (r *Record) Event(source, file string) *Event {
	e := &Event{
		Source:    source,
		File:      file,
		Line:      r.Line,
		EndLine:   r.EndLine,
		Level:     r.Level.String(),
		Logger:    string(r.Logger()),
		Thread:    string(r.Thread()),
		Message:   string(firstLine(r.Message())),
		Format:    r.format,
		Stack:     string(r.Text),
		Truncated: r.Truncated,
		Status:    r.Status,
		Method:    string(r.Method()),
		Path:      string(r.Path()),
	}
	if t, ok := r.Time(); ok {
		e.Time = t
	}
	if r.DurationMS >= 0 && r.Status != 0 {
		d := r.DurationMS
		e.DurationMS = &d
	}
	if len(r.fields) > 0 {
		e.Fields = make(map[string]string, len(r.fields))
		for _, f := range r.fields {
			e.Fields[f.key] = string(r.get(f.v))
		}
	}
	if t := r.Trace(); t != nil {
		e.Trace = t
		e.Language = t.Language
		e.Exception = t.Exception
		e.Causes = t.Causes
		e.Frames = len(t.Frames)
	} else if r.Language != "" {
		e.Language = r.Language
	}
	return e
}

func firstLine(b []byte) []byte {
	if i := indexNL(b); i >= 0 {
		return trimCR(b[:i])
	}
	return b
}
