package parsers

import (
	"fmt"
	"regexp"
	"strconv"
)

// regexFormat is format "regex": a line that matches the pattern starts a
// record, and the pattern's named groups are its fields. The groups time,
// level, logger, thread, message (or msg), status, method, path and
// duration_ms (or duration, in ms) fill the event fields of the same name;
// any other named group becomes a named field for rules to match.
type regexFormat struct {
	re   *regexp.Regexp
	idx  map[string]int
	rest []regexField
	m    []int
}

type regexField struct {
	name string
	i    int
}

// NewRegexFormat compiles a regex format. It is an error for the pattern to
// be empty, invalid, or to have no named group.
func NewRegexFormat(pattern string) (Format, error) {
	if pattern == "" {
		return nil, fmt.Errorf("format regex needs a pattern")
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("pattern: %w", err)
	}
	f := &regexFormat{re: re, idx: map[string]int{}}
	known := map[string]string{"time": "time", "level": "level", "logger": "logger", "thread": "thread",
		"message": "message", "msg": "message", "status": "status", "method": "method", "path": "path",
		"duration_ms": "duration_ms", "duration": "duration_ms"}
	for i, n := range re.SubexpNames() {
		if n == "" {
			continue
		}
		if k, ok := known[n]; ok {
			f.idx[k] = i
		} else {
			f.rest = append(f.rest, regexField{n, i})
		}
	}
	if len(f.idx)+len(f.rest) == 0 {
		return nil, fmt.Errorf("pattern %q has no named group such as (?P<level>...)", pattern)
	}
	return f, nil
}

func (f *regexFormat) Name() string { return "regex" }

func (f *regexFormat) Header(line []byte, h *Header) bool {
	f.m = f.re.FindSubmatchIndex(line)
	if f.m == nil {
		return false
	}
	g := func(name string) []byte {
		i, ok := f.idx[name]
		if !ok || f.m[2*i] < 0 {
			return nil
		}
		return line[f.m[2*i]:f.m[2*i+1]]
	}
	h.Time = g("time")
	h.Level = ParseLevel(g("level"))
	h.Logger = g("logger")
	h.Thread = g("thread")
	h.Msg = g("message")
	h.Method = g("method")
	h.Path = g("path")
	if s := g("status"); s != nil {
		if n, err := strconv.Atoi(string(s)); err == nil && n >= 100 && n <= 999 {
			h.Status = n
		}
	}
	if d := g("duration_ms"); d != nil {
		if v, err := strconv.ParseFloat(string(d), 64); err == nil && v >= 0 {
			h.DurationMS = v
		}
	}
	for _, rf := range f.rest {
		if f.m[2*rf.i] >= 0 {
			h.Fields = append(h.Fields, Field{Key: rf.name, Value: line[f.m[2*rf.i]:f.m[2*rf.i+1]]})
		}
	}
	return true
}
