package parsers

// This file owns format "json": one JSON object per physical line (logstash,
// bunyan, pino, winston, zap, logrus, slog and other JSON loggers), and the
// JSON scanner that format "docker" shares.
//
// Each line becomes one Logical with a decoded Header: level, time, logger,
// thread, message and stack come from the keys the field mapping names;
// the other top-level scalar keys become Header.Fields, at most
// maxJSONFields of them, each value cut at maxJSONFieldBytes. The first
// line of the message is the Logical's text; the rest of a multi-line
// message and the stack field go in Header.Stack, which the framing appends
// as continuation lines. A line that is not a JSON object is kept as plain
// text and flagged in Logical.Err, never dropped; a JSON line cut at the
// line limit keeps what was decoded before the cut.

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func init() {
	registerUnwrapper("json", newJSONUnwrapper, sniffJSON)
}

// Bounds on what one JSON line may contribute to a record.
const (
	maxJSONFields     = 32      // Header.Fields per line
	maxJSONFieldBytes = 1 << 10 // per field value
	// maxJSONDepth bounds nesting: a deeper line is not decoded (it is kept
	// as text with Err set). The scanner is iterative, so this bounds its
	// state, not a call stack.
	maxJSONDepth = 512
	// maxJSONPathDepth bounds the segments of a mapped key path.
	maxJSONPathDepth = 8
	// maxJSONKeyCache bounds the interned field names of one unwrapper.
	maxJSONKeyCache = 1024
)

// Logical.Err values for lines that did not decode.
const (
	errNotJSONObject = "not a JSON object"
	errJSONSyntax    = "invalid JSON"
	errJSONTruncated = "truncated JSON"
	errJSONTrailing  = "data after the JSON object"
	errJSONTooDeep   = "JSON nested too deep"
)

// The event fields a mapping fills, in slot order; extra fields follow.
const (
	slotMessage = iota
	slotLevel
	slotTime
	slotLogger
	slotThread
	slotStack
	numEventSlots
)

var eventFieldNames = [numEventSlots]string{"message", "level", "time", "logger", "thread", "stack"}

// jsonMapping lists, for each event field, the key paths to try, best
// first. Paths are dotted: "err.stack" matches {"err":{"stack":...}} and
// the flat key "err.stack" alike.
type jsonMapping [numEventSlots][]string

// genericMapping is used when no preset is named: the keys the common JSON
// loggers use.
var genericMapping = jsonMapping{
	slotMessage: {"message", "msg", "@message", "log"},
	slotLevel:   {"level", "severity", "lvl", "levelname", "log.level"},
	slotTime:    {"time", "@timestamp", "timestamp", "ts", "t", "asctime"},
	slotLogger:  {"logger", "logger_name", "name", "log.logger"},
	slotThread:  {"thread", "thread_name"},
	slotStack: {"stack_trace", "stacktrace", "stack", "err.stack", "error.stack",
		"exception", "exc_info", "error.stack_trace"},
}

// jsonPresets are the mappings of the loggers tattle knows by name. The
// extra fields (slog's source) are copied into Header.Fields under the
// given names.
var jsonPresets = map[string]struct {
	m      jsonMapping
	extras [][2]string // field name, path
}{
	// logstash-logback-encoder
	"logstash": {m: jsonMapping{
		slotMessage: {"message"}, slotLevel: {"level"}, slotTime: {"@timestamp"},
		slotLogger: {"logger_name"}, slotThread: {"thread_name"}, slotStack: {"stack_trace"},
	}},
	// node-bunyan: numeric level, err serialised with its stack.
	"bunyan": {m: jsonMapping{
		slotMessage: {"msg"}, slotLevel: {"level"}, slotTime: {"time"},
		slotLogger: {"name"}, slotStack: {"err.stack"},
	}},
	// pino: numeric level, time in epoch milliseconds.
	"pino": {m: jsonMapping{
		slotMessage: {"msg"}, slotLevel: {"level"}, slotTime: {"time"},
		slotLogger: {"name"}, slotStack: {"err.stack", "err.message"},
	}},
	// winston with format.errors({stack: true}) and format.timestamp().
	"winston": {m: jsonMapping{
		slotMessage: {"message"}, slotLevel: {"level"}, slotTime: {"timestamp"},
		slotLogger: {"label"}, slotStack: {"stack"},
	}},
	// zap's production encoder: ts as epoch float seconds or ISO 8601;
	// caller stays a field.
	"zap": {m: jsonMapping{
		slotMessage: {"msg"}, slotLevel: {"level"}, slotTime: {"ts"},
		slotLogger: {"logger"}, slotStack: {"stacktrace"},
	}},
	// logrus's JSONFormatter. Logrus has no stack field; the "error" of
	// WithError says what broke, so it is appended to the text like one.
	"logrus": {m: jsonMapping{
		slotMessage: {"msg"}, slotLevel: {"level"}, slotTime: {"time"},
		slotStack: {"error"},
	}},
	// log/slog's JSONHandler; with AddSource the source is an object.
	"slog": {m: jsonMapping{
		slotMessage: {"msg"}, slotLevel: {"level"}, slotTime: {"time"},
	}, extras: [][2]string{
		{"source.function", "source.function"}, {"source.file", "source.file"}, {"source.line", "source.line"},
	}},
}

// jsonPresetNames lists the presets for error messages.
func jsonPresetNames() string {
	names := make([]string, 0, len(jsonPresets))
	for n := range jsonPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

type jsonExtra struct {
	name string
	slot int
}

// jsonUnwrapper is format "json".
type jsonUnwrapper struct {
	sc     jsonScanner
	extras []jsonExtra
	h      Header
	// Decoded values: one buffer per slot so that a value stays put while
	// the others are decoded.
	slotBuf   [numEventSlots][]byte
	joinBuf   []byte // rest of a multi-line message + stack
	fieldBuf  []byte
	fieldOff  []int // start of each field value in fieldBuf, then its end
	fieldKeys []string
	keyBuf    []byte
	used      []bool
	keys      map[string]string
}

// newJSONUnwrapper builds format "json" from opts.Preset (or the generic
// mapping) overridden by opts.Fields. Keys of opts.Fields other than the
// event fields name extra fields copied from the given path.
func newJSONUnwrapper(opts FormatOptions) (Unwrapper, error) {
	m := genericMapping
	var extraPaths [][2]string
	if opts.Preset != "" {
		p, ok := jsonPresets[opts.Preset]
		if !ok {
			return nil, fmt.Errorf("unknown json preset %q (known: %s)", opts.Preset, jsonPresetNames())
		}
		m = p.m
		extraPaths = append(extraPaths, p.extras...)
	}
	// Sorted so that errors and extra fields come out in a stable order.
	names := make([]string, 0, len(opts.Fields))
	for n := range opts.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		path := opts.Fields[name]
		if err := checkJSONPath(name, path); err != nil {
			return nil, err
		}
		if i := slices.Index(eventFieldNames[:], name); i >= 0 {
			m[i] = []string{path}
			continue
		}
		extraPaths = append(extraPaths, [2]string{name, path})
	}
	if len(extraPaths) > maxJSONFields {
		return nil, fmt.Errorf("json fields: %d extra fields, at most %d", len(extraPaths), maxJSONFields)
	}
	u := &jsonUnwrapper{keys: map[string]string{}}
	u.sc.init(numEventSlots+len(extraPaths), 1<<slotStack, true)
	for slot, paths := range m {
		for prio, p := range paths {
			u.sc.addTarget(p, slot, prio)
		}
	}
	for i, e := range extraPaths {
		slot := numEventSlots + i
		u.sc.addTarget(e[1], slot, 0)
		u.extras = append(u.extras, jsonExtra{name: e[0], slot: slot})
	}
	return u, nil
}

// checkJSONPath reports a field mapping entry that can never match.
func checkJSONPath(name, path string) error {
	if name == "" {
		return fmt.Errorf("json fields: empty field name (mapped to %q)", path)
	}
	if path == "" {
		return fmt.Errorf("json fields: field %q: empty key path", name)
	}
	segs := strings.Split(path, ".")
	if len(segs) > maxJSONPathDepth {
		return fmt.Errorf("json fields: field %q: key path %q has %d segments, at most %d", name, path, len(segs), maxJSONPathDepth)
	}
	for _, s := range segs {
		if s == "" {
			return fmt.Errorf("json fields: field %q: key path %q has an empty segment", name, path)
		}
	}
	return nil
}

func (u *jsonUnwrapper) Name() string { return "json" }

func (u *jsonUnwrapper) Flush(emit func(Logical)) {}

func (u *jsonUnwrapper) Unwrap(l Line, emit func(Logical)) {
	lg := Logical{Num: l.Num, EndNum: l.Num, Cut: l.Cut}
	if isBlank(l.Bytes) {
		// Blank lines between JSON records are not parse errors; the
		// framing drops them.
		lg.Text = l.Bytes
		emit(lg)
		return
	}
	if e := u.sc.scan(l.Bytes, l.Cut); e != "" {
		lg.Text, lg.Err = l.Bytes, e
		emit(lg)
		return
	}
	h := &u.h
	h.Reset()
	hits := u.sc.hits
	if v := hits[slotLevel].v; hits[slotLevel].set {
		h.Level = jsonLevel(&v)
	}
	if v := hits[slotTime].v; hits[slotTime].set {
		h.Time = u.text(slotTime, &v)
		if v.kind == jsonNumber {
			h.TimeValue = epochTime(v.raw)
		}
	}
	h.Logger = u.slotText(slotLogger)
	h.Thread = u.slotText(slotThread)
	msg := trimEOL(u.slotText(slotMessage))
	stack := trimEOL(u.slotText(slotStack))
	hasMsg := hits[slotMessage].set && hits[slotMessage].v.kind != jsonNull
	if !hasMsg && len(stack) > 0 {
		// A record that is all stack (an uncaught-exception logger) reads
		// best with the stack's first line as its message.
		msg, stack, hasMsg = stack, nil, true
	}
	switch nl := bytes.IndexByte(msg, '\n'); {
	case !hasMsg:
		lg.Text = l.Bytes
	case nl < 0:
		lg.Text, h.Msg, h.Stack = trimCR(msg), msg, stack
	default:
		lg.Text, h.Msg = trimCR(msg[:nl]), msg
		if len(stack) == 0 {
			h.Stack = msg[nl+1:]
		} else {
			u.joinBuf = append(append(append(u.joinBuf[:0], msg[nl+1:]...), '\n'), stack...)
			h.Stack = u.joinBuf
		}
	}
	u.fields(h)
	lg.H = h
	emit(lg)
}

// fields fills h.Fields with the extra fields and the top-level scalar keys
// that no event field took.
func (u *jsonUnwrapper) fields(h *Header) {
	sc := &u.sc
	u.used = u.used[:0]
	for range sc.tops {
		u.used = append(u.used, false)
	}
	for _, hit := range sc.hits {
		if hit.set && hit.top >= 0 {
			u.used[hit.top] = true
		}
	}
	u.fieldBuf, u.fieldOff, u.fieldKeys = u.fieldBuf[:0], u.fieldOff[:0], u.fieldKeys[:0]
	for _, e := range u.extras {
		if hit := &sc.hits[e.slot]; hit.set && hit.v.kind != jsonNull {
			u.addField(e.name, &hit.v)
		}
	}
	for i := range sc.tops {
		if t := &sc.tops[i]; !u.used[i] && t.v.kind != jsonNull && len(u.fieldKeys) < maxJSONFields {
			u.addField(u.key(t.key, t.keyEsc), &t.v)
		}
	}
	// Slices are taken once fieldBuf has stopped growing.
	for i, k := range u.fieldKeys {
		h.Fields = append(h.Fields, Field{Key: k, Value: u.fieldBuf[u.fieldOff[2*i]:u.fieldOff[2*i+1]]})
	}
}

func (u *jsonUnwrapper) addField(key string, v *jsonValue) {
	start := len(u.fieldBuf)
	u.fieldBuf = u.sc.appendValue(u.fieldBuf, v)
	if len(u.fieldBuf)-start > maxJSONFieldBytes {
		u.fieldBuf = u.fieldBuf[:start+utf8Cut(u.fieldBuf[start:], maxJSONFieldBytes)]
	}
	u.fieldKeys = append(u.fieldKeys, key)
	u.fieldOff = append(u.fieldOff, start, len(u.fieldBuf))
}

// key returns the field name for a raw JSON key, interned so that a line
// of known keys does not allocate.
func (u *jsonUnwrapper) key(raw []byte, esc bool) string {
	k := raw
	if esc {
		u.keyBuf = appendJSONString(u.keyBuf[:0], raw)
		k = u.keyBuf
	}
	if s, ok := u.keys[string(k)]; ok {
		return s
	}
	s := string(k)
	if len(u.keys) < maxJSONKeyCache {
		u.keys[s] = s
	}
	return s
}

// slotText returns the decoded text of the value found for slot, nil when
// there is none.
func (u *jsonUnwrapper) slotText(slot int) []byte {
	hit := &u.sc.hits[slot]
	if !hit.set {
		return nil
	}
	return u.text(slot, &hit.v)
}

func (u *jsonUnwrapper) text(slot int, v *jsonValue) []byte {
	switch {
	case v.kind == jsonNull:
		return nil
	case v.kind == jsonString && !v.esc && !v.partial:
		return v.raw
	}
	u.slotBuf[slot] = u.sc.appendValue(u.slotBuf[slot][:0], v)
	return u.slotBuf[slot]
}

// jsonLevel reads a level written as a word ("error", slog's "ERROR+2")
// or as a bunyan/pino number.
func jsonLevel(v *jsonValue) Level {
	switch v.kind {
	case jsonString:
		b := v.raw
		if l := ParseLevel(b); l != LevelNone {
			return l
		}
		// slog writes levels between the named ones as "INFO+2".
		if i := bytes.IndexAny(b, "+-"); i > 0 && i < len(b)-1 && allDigits(b[i+1:]) {
			return ParseLevel(b[:i])
		}
	case jsonNumber:
		// Small numbers are too ambiguous (syslog severities count
		// down, others count up); bunyan and pino start at 10.
		if n, ok := smallInt(v.raw); ok && n >= 10 {
			return numericLevel(n)
		}
	}
	return LevelNone
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// smallInt parses a non-negative integer of at most 9 digits.
func smallInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 || !allDigits(b) {
		return 0, false
	}
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n, true
}

// epochTime decodes a JSON number holding an epoch time. Its unit is
// guessed from its size, as the loggers that write epochs differ: seconds
// (zap, with a fraction), milliseconds (pino, Date.now()), microseconds or
// nanoseconds. It returns the zero time for what is not a plausible epoch.
func epochTime(b []byte) time.Time {
	if len(b) == 0 || b[0] == '-' {
		return time.Time{}
	}
	intPart, frac := b, []byte(nil)
	if i := bytes.IndexByte(b, '.'); i >= 0 {
		intPart, frac = b[:i], b[i+1:]
	}
	if bytes.ContainsAny(b, "eE") {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f < 0 || f >= 1e19 {
			return time.Time{}
		}
		// Rounded to the microsecond: a float64 holds no more of an
		// epoch in seconds.
		n := uint64(f)
		micros := uint64(math.Round((f - float64(n)) * 1e6))
		if micros >= 1e6 {
			n, micros = n+1, micros-1e6
		}
		return epochUnits(n, micros*1e3)
	}
	if !allDigits(intPart) || len(intPart) > 19 || (frac != nil && !allDigits(frac)) {
		return time.Time{}
	}
	n, err := strconv.ParseUint(string(intPart), 10, 64)
	if err != nil {
		return time.Time{}
	}
	// The fraction, in billionths of the unit.
	var fracNanos uint64
	for i := 0; i < 9; i++ {
		fracNanos *= 10
		if i < len(frac) {
			fracNanos += uint64(frac[i] - '0')
		}
	}
	return epochUnits(n, fracNanos)
}

// epochUnits turns n units plus fracNanos billionths of a unit into a time,
// picking the unit from the size of n.
func epochUnits(n, fracNanos uint64) time.Time {
	var sec, nsec uint64
	switch {
	case n < 1e11: // seconds: up to the year 5138
		sec, nsec = n, fracNanos
	case n < 1e14: // milliseconds
		sec, nsec = n/1e3, n%1e3*1e6+fracNanos/1e3
	case n < 1e17: // microseconds
		sec, nsec = n/1e6, n%1e6*1e3+fracNanos/1e6
	default: // nanoseconds
		sec, nsec = n/1e9, n%1e9
	}
	return time.Unix(int64(sec), int64(nsec)).UTC()
}

// trimEOL drops the line endings a logger left at the end of a value.
func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// utf8Cut returns the length of b cut to at most max bytes without splitting
// a UTF-8 sequence.
func utf8Cut(b []byte, max int) int {
	if len(b) <= max {
		return len(b)
	}
	n := max
	for i := 0; i < utf8.UTFMax && n > 0 && !utf8.RuneStart(b[n]); i++ {
		n--
	}
	if !utf8.RuneStart(b[n]) {
		return max // not UTF-8 anyway
	}
	return n
}

// sniffJSON reports whether line is one JSON object.
func sniffJSON(line []byte) bool {
	i := jsonSkipWS(line, jsonSkipBOM(line))
	if i >= len(line) || line[i] != '{' {
		return false
	}
	var sc jsonScanner
	return sc.scan(line, false) == ""
}

// --- the scanner ---

type jsonKind uint8

const (
	jsonString jsonKind = iota + 1
	jsonNumber
	jsonTrue
	jsonFalse
	jsonNull
	jsonStrings // an array of strings, joined by '\n' in the scanner's arr
)

// jsonValue is a scalar found by the scanner, still encoded.
type jsonValue struct {
	kind    jsonKind
	raw     []byte // a string's bytes between the quotes; a number or literal as written
	esc     bool   // raw holds backslash escapes
	partial bool   // a string cut by the end of a cut line
	off, n  int    // jsonStrings: the span in jsonScanner.arr
}

type jsonTarget struct{ slot, prio int }

type jsonHit struct {
	set  bool
	prio int
	v    jsonValue
	top  int // index in tops when the value is a top-level key, else -1
}

type jsonTop struct {
	key    []byte
	keyEsc bool
	v      jsonValue
}

// jsonScanner checks one JSON object in a single iterative pass and picks
// out the values at the key paths it was given (its targets) and, when
// asked, the top-level scalars. Subtrees that hold no target are checked
// but not looked into. Values point into the line, so they are valid until
// the line changes.
type jsonScanner struct {
	targets  map[string][]jsonTarget
	prefixes map[string]bool // proper prefixes of the target paths
	arrSlots uint64          // slots that take an array of strings
	wantTops bool
	maxTops  int

	hits  []jsonHit // per slot, the best value found
	tops  []jsonTop
	arr   []byte
	path  []byte
	kinds [maxJSONDepth/64 + 1]uint64 // bit set: the container at that depth is an array
	plen  [maxJSONPathDepth + 2]int   // path length of each tracked object
}

func (s *jsonScanner) init(slots int, arrSlots uint64, tops bool) {
	s.targets = map[string][]jsonTarget{}
	s.prefixes = map[string]bool{}
	s.hits = make([]jsonHit, slots)
	s.arrSlots = arrSlots
	s.wantTops = tops
	s.maxTops = maxJSONFields + slots
}

func (s *jsonScanner) addTarget(path string, slot, prio int) {
	s.targets[path] = append(s.targets[path], jsonTarget{slot, prio})
	for i := 0; i < len(path); i++ {
		if path[i] == '.' {
			s.prefixes[path[:i]] = true
		}
	}
}

func (s *jsonScanner) setArray(depth int, arr bool) {
	bit := uint64(1) << (depth % 64)
	if arr {
		s.kinds[depth/64] |= bit
	} else {
		s.kinds[depth/64] &^= bit
	}
}

func (s *jsonScanner) isArray(depth int) bool {
	return s.kinds[depth/64]&(1<<(depth%64)) != 0
}

// scan reads line as one JSON object and returns "" or the reason it is
// not one. With cut set (the line was cut at the line limit) running out of
// input is not an error: what was read before the cut is kept.
func (s *jsonScanner) scan(b []byte, cut bool) string {
	for i := range s.hits {
		s.hits[i] = jsonHit{top: -1}
	}
	s.tops, s.arr, s.path = s.tops[:0], s.arr[:0], s.path[:0]
	i := jsonSkipWS(b, jsonSkipBOM(b))
	if i >= len(b) || b[i] != '{' {
		return errNotJSONObject
	}
	i++
	depth := 1
	s.setArray(1, false)
	s.plen[1] = 0
	// off is the depth of the outermost container not looked into, 0
	// while every container up to depth is.
	off := 0
	if s.targets == nil && !s.wantTops {
		off = 1
	}
	// arrDepth is the depth of the array of strings being collected for
	// arrSlot, 0 when none is.
	arrDepth, arrSlot, arrPrio, arrStart := 0, 0, 0, 0
	endArr := func() {
		if h := &s.hits[arrSlot]; !h.set || arrPrio < h.prio {
			*h = jsonHit{set: true, prio: arrPrio, top: -1,
				v: jsonValue{kind: jsonStrings, off: arrStart, n: len(s.arr) - arrStart}}
		}
		arrDepth = 0
	}
	truncated := func() string {
		if !cut {
			return errJSONTruncated
		}
		if arrDepth > 0 {
			endArr()
		}
		return ""
	}
	first := true
	for {
		i = jsonSkipWS(b, i)
		if i >= len(b) {
			return truncated()
		}
		inArr := s.isArray(depth)
		closer := byte('}')
		if inArr {
			closer = ']'
		}
		if !(first && b[i] == closer) {
			var key []byte
			keyEsc := false
			if !inArr {
				if b[i] != '"' {
					return errJSONSyntax
				}
				end, esc := jsonStringEnd(b, i+1)
				if end < 0 {
					return truncated()
				}
				key, keyEsc = b[i+1:end], esc
				i = jsonSkipWS(b, end+1)
				if i >= len(b) {
					return truncated()
				}
				if b[i] != ':' {
					return errJSONSyntax
				}
				i = jsonSkipWS(b, i+1)
				if i >= len(b) {
					return truncated()
				}
				if off == 0 {
					s.path = s.path[:s.plen[depth]]
					if depth > 1 {
						s.path = append(s.path, '.')
					}
					if keyEsc {
						s.path = appendJSONString(s.path, key)
					} else {
						s.path = append(s.path, key...)
					}
				}
			}
			var v jsonValue
			switch c := b[i]; {
			case c == '{' || c == '[':
				if depth+1 > maxJSONDepth {
					return errJSONTooDeep
				}
				depth++
				s.setArray(depth, c == '[')
				i++
				first = true
				if off != 0 {
					continue
				}
				switch {
				case inArr:
					off = depth
				case c == '{' && depth <= maxJSONPathDepth && s.prefixes[string(s.path)]:
					s.plen[depth] = len(s.path)
				case c == '[' && arrDepth == 0 && s.arrayTarget(&arrSlot, &arrPrio):
					arrDepth, arrStart = depth, len(s.arr)
				default:
					off = depth
				}
				continue
			case c == '"':
				end, esc := jsonStringEnd(b, i+1)
				if end < 0 {
					if !cut {
						return errJSONTruncated
					}
					v = jsonValue{kind: jsonString, raw: b[i+1:], esc: esc, partial: true}
					i = len(b)
				} else {
					v = jsonValue{kind: jsonString, raw: b[i+1 : end], esc: esc}
					i = end + 1
				}
			case c == '-' || ('0' <= c && c <= '9'):
				end := jsonNumberEnd(b, i)
				if end < 0 {
					return errJSONSyntax
				}
				v = jsonValue{kind: jsonNumber, raw: b[i:end]}
				i = end
			default:
				var lit string
				switch c {
				case 't':
					lit, v.kind = "true", jsonTrue
				case 'f':
					lit, v.kind = "false", jsonFalse
				case 'n':
					lit, v.kind = "null", jsonNull
				default:
					return errJSONSyntax
				}
				if len(b)-i < len(lit) {
					if string(b[i:]) != lit[:len(b)-i] {
						return errJSONSyntax
					}
					return truncated()
				}
				if string(b[i:i+len(lit)]) != lit {
					return errJSONSyntax
				}
				v.raw = b[i : i+len(lit)]
				i += len(lit)
			}
			if off == 0 {
				if inArr {
					if v.kind == jsonString {
						if len(s.arr) > arrStart {
							s.arr = append(s.arr, '\n')
						}
						s.arr = s.appendValue(s.arr, &v)
					}
				} else {
					s.found(depth, key, keyEsc, &v)
				}
			}
			if v.partial {
				return truncated()
			}
		}
		// After a value: a comma, or the end of one or more containers.
		for {
			i = jsonSkipWS(b, i)
			if i >= len(b) {
				return truncated()
			}
			closer := byte('}')
			if s.isArray(depth) {
				closer = ']'
			}
			if b[i] == ',' {
				i++
				first = false
				break
			}
			if b[i] != closer {
				return errJSONSyntax
			}
			i++
			if depth == arrDepth {
				endArr()
			}
			if depth == off {
				off = 0
			}
			depth--
			if depth == 0 {
				if jsonSkipWS(b, i) < len(b) {
					return errJSONTrailing
				}
				return ""
			}
		}
	}
}

// arrayTarget reports whether the current path is a target that takes an
// array of strings, and which.
func (s *jsonScanner) arrayTarget(slot, prio *int) bool {
	for _, t := range s.targets[string(s.path)] {
		if s.arrSlots&(1<<t.slot) != 0 {
			if h := &s.hits[t.slot]; !h.set || t.prio < h.prio {
				*slot, *prio = t.slot, t.prio
				return true
			}
		}
	}
	return false
}

// found records a scalar at the current path.
func (s *jsonScanner) found(depth int, key []byte, keyEsc bool, v *jsonValue) {
	top := -1
	if depth == 1 && s.wantTops && len(s.tops) < s.maxTops {
		top = len(s.tops)
		s.tops = append(s.tops, jsonTop{key: key, keyEsc: keyEsc, v: *v})
	}
	for _, t := range s.targets[string(s.path)] {
		if h := &s.hits[t.slot]; !h.set || t.prio < h.prio {
			*h = jsonHit{set: true, prio: t.prio, v: *v, top: top}
		}
	}
}

// appendValue appends the decoded text of v.
func (s *jsonScanner) appendValue(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jsonString:
		if !v.esc {
			return append(dst, v.raw...)
		}
		return appendJSONString(dst, v.raw)
	case jsonStrings:
		return append(dst, s.arr[v.off:v.off+v.n]...)
	case jsonNull:
		return dst
	}
	return append(dst, v.raw...)
}

func jsonSkipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

func jsonSkipBOM(b []byte) int {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return 3
	}
	return 0
}

// jsonStringEnd returns the index of the quote that ends the string whose
// contents start at i, or -1 when the line ends first, and whether the
// string holds escapes.
func jsonStringEnd(b []byte, i int) (int, bool) {
	j := bytes.IndexByte(b[i:], '"')
	if j < 0 {
		return -1, bytes.IndexByte(b[i:], '\\') >= 0
	}
	k := bytes.IndexByte(b[i:i+j], '\\')
	if k < 0 {
		return i + j, false
	}
	for p := i + k; p < len(b); p++ {
		switch b[p] {
		case '\\':
			p++
		case '"':
			return p, true
		}
	}
	return -1, true
}

// jsonNumberEnd returns the end of the number at i, -1 when it is not one.
func jsonNumberEnd(b []byte, i int) int {
	digits := func() bool {
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if b[i] == '-' {
		i++
	}
	if !digits() {
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return -1
		}
	}
	return i
}

// appendJSONString appends the decoded contents of a JSON string. It is
// lenient, as logs are written by many hands: an invalid escape is kept as
// written, a lone surrogate becomes U+FFFD, invalid UTF-8 and raw control
// characters pass through, and a backslash cut by the end of the line is
// dropped.
func appendJSONString(dst, raw []byte) []byte {
	for len(raw) > 0 {
		k := bytes.IndexByte(raw, '\\')
		if k < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:k]...)
		raw = raw[k:]
		if len(raw) < 2 {
			return dst
		}
		switch c := raw[1]; c {
		case '"', '\\', '/':
			dst = append(dst, c)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := jsonUnicode(raw)
			if n == 0 {
				dst = append(dst, raw[:2]...)
				raw = raw[2:]
				continue
			}
			dst = utf8.AppendRune(dst, r)
			raw = raw[n:]
			continue
		default:
			dst = append(dst, raw[:2]...)
		}
		raw = raw[2:]
	}
	return dst
}

// jsonUnicode decodes the \uXXXX escape (and its low surrogate) at the
// start of b; n is 0 when the escape is malformed.
func jsonUnicode(b []byte) (r rune, n int) {
	r1, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if r1 < 0xD800 || r1 > 0xDFFF {
		return r1, 6
	}
	if r1 <= 0xDBFF && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
		if r2, ok := hex4(b[6:]); ok && 0xDC00 <= r2 && r2 <= 0xDFFF {
			return 0x10000 + (r1-0xD800)<<10 + (r2 - 0xDC00), 12
		}
	}
	return utf8.RuneError, 6
}

// hex4 reads the four hex digits of the \u escape at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
