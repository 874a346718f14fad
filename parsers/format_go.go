package parsers

// This file owns format "go": the text that Go's common loggers write.
//
//	2009/11/10 23:00:00.123456 main.go:12: msg                      std log (flags, prefix)
//	2024-01-15T10:23:45.123Z	ERROR	api	api/handler.go:42	msg	{"k": 1}   zap console
//	time="2024-01-15T10:23:45Z" level=error msg="failed" user=42     logrus text
//	ERRO[0042] failed to load                     user=42            logrus on a terminal
//	time=2024-01-15T10:23:45.123+01:00 level=ERROR msg="failed"      slog text
//	ts=2024-01-15T10:23:45.123Z caller=main.go:42 level=error msg=x  go-kit, log15 (logfmt)
//	E0115 10:23:45.123456   12345 handler.go:42] msg                 klog / glog
//	2024-01-15T10:23:45.123+0100 [ERROR] agent.http: msg             hclog
//	10:23AM ERR msg user=42                                          zerolog console
//
// Fields: Logger is zap's logger-name column, the std log prefix ("[api] ",
// "api: "), hclog's name, or a logfmt "logger" or "component" key. Thread is
// klog's thread id. A caller ("main.go:12", zap's caller column, a logfmt
// "caller" or "source") is the named Field "caller"; a logfmt "err" or
// "error" is the Field "error".
//
// Level: std log has none, so a std log line takes it from its prefix when
// the prefix is a level ("ERROR: ") or from a level word at the start of its
// message ("ERROR: ...", "[ERROR] ...", "error: ..."); otherwise it is none.
//
// Msg is the rest of the line after the header fields, except in logfmt
// lines, where it is the value of the msg key: a bare value as is, a quoted
// value without its quotes and with its escapes (\" \\ \n) left as written,
// since unescaping would need a copy. That Msg is not a suffix of the line;
// Record.Body then reads the whole line.
//
// Times: klog's "0115 10:23:45.123456" has no year and parses to year 0
// (layout "0102 15:04:05"), zerolog's "10:23AM" has no date and is not
// parsed; the caller decides what to do with them. zap's epoch times
// ("1.7053e+09") are decoded into TimeValue.
//
// Nginx's error.log lines ("2024/01/15 10:23:45 [error] 12#12: ...") have the
// std log's shape; they are left to format "nginx".

import (
	"bytes"
	"math"
	"strconv"
	"time"
)

func init() { registerFormat("go", func() Format { return goFormat{} }) }

type goFormat struct{}

func (goFormat) Name() string { return "go" }

// maxGoPrefix bounds the std log prefix before the date.
const maxGoPrefix = 40

func (goFormat) Header(line []byte, h *Header) bool {
	if len(line) < 7 {
		return false
	}
	c := line[0]
	switch {
	case isDigit(c):
		return goStamped(line, h)
	case c == 't' || c == 'l':
		if goLogfmt(line, h) {
			return true
		}
	case (c == 'I' || c == 'W' || c == 'E' || c == 'F') && isDigit(line[1]):
		return klogHeader(line, h)
	}
	if isUpper(c) && line[4] == '[' && logrusTTY(line, h) {
		return true
	}
	return goPrefixed(line, h)
}

// goStamped reads the lines that start with a time.
func goStamped(line []byte, h *Header) bool {
	e, layout := scanStamp(line, 0)
	if e < 0 {
		if c := line[1]; c == ':' || isDigit(c) && line[2] == ':' {
			return zerologHeader(line, h)
		}
		return zapEpoch(line, h)
	}
	switch line[4] {
	case '/':
		if line[10] != ' ' {
			return false
		}
		return goStdLog(line, 0, e, layout, h)
	case '-':
		switch byteAt(line, e) {
		case '\t':
			if !zapColumns(line, e+1, h) {
				return false
			}
			h.Time, h.TimeLayout = line[:e], layout
			return true
		case ' ':
			if byteAt(line, e+1) == '[' {
				return hclogHeader(line, e, layout, h)
			}
			return zerologHeader(line, h)
		}
	}
	return false
}

// goPrefixed reads a std log line with a prefix: "[api] 2009/11/10 ...".
func goPrefixed(line []byte, h *Header) bool {
	c := line[0]
	if c <= ' ' || c >= 0x7f {
		return false
	}
	sp := bytes.IndexByte(line[:min(len(line), maxGoPrefix+1)], ' ')
	if sp < 1 || !isDigit(byteAt(line, sp+1)) || byteAt(line, sp+5) != '/' {
		return false
	}
	d, j := dateAt(line, sp+1)
	if d != dateYMDSl || byteAt(line, j) != ' ' {
		return false
	}
	e, layout := scanStamp(line, sp+1)
	if e < 0 || !goStdLog(line, sp+1, e, layout, h) {
		return false
	}
	p := line[:sp]
	if n := len(p); n > 0 && p[n-1] == ':' {
		p = p[:n-1]
	}
	if n := len(p); n > 1 && p[0] == '[' && p[n-1] == ']' {
		p = p[1 : n-1]
	}
	if l := ParseLevel(p); len(p) >= 3 && l != LevelNone {
		h.Level = l
	} else if len(p) > 0 {
		h.Logger = p
	}
	return true
}

// goStdLog reads the rest of a std log line whose date and time are
// line[start:e]: an optional "file.go:12: " and the message.
func goStdLog(line []byte, start, e int, layout string, h *Header) bool {
	if byteAt(line, e) != ' ' {
		return false
	}
	i := e + 1
	if _, _, end := nginxErrorAt(line, i); end >= 0 {
		return false
	}
	h.Time, h.TimeLayout = line[start:e], layout
	if w := wordEnd(line, i); w-1 > i && line[w-1] == ':' && isGoCaller(line[i:w-1]) {
		h.Fields = append(h.Fields, Field{Key: "caller", Value: line[i : w-1]})
		i = skipSpaces(line, w)
	}
	h.Level = msgLevelAt(line, i)
	h.Msg = line[i:]
	return true
}

// isGoCaller reports whether b reads "path/file.go:123".
func isGoCaller(b []byte) bool {
	c := bytes.LastIndexByte(b, ':')
	if c < 4 || c == len(b)-1 || len(b)-c > 8 || string(b[c-3:c]) != ".go" {
		return false
	}
	for _, d := range b[c+1:] {
		if !isDigit(d) {
			return false
		}
	}
	for _, d := range b[:c] {
		if d <= ' ' {
			return false
		}
	}
	return true
}

// zapColumns reads the tab-separated columns of zap's console encoder after
// the time, from the level column at i:
//
//	LEVEL [LOGGER] [CALLER] MESSAGE [{"json": "fields"}]
//
// A column is the caller when it reads "file.go:12", and the logger when it
// is one word followed by the caller or by a message that is not the JSON
// fields.
func zapColumns(line []byte, i int, h *Header) bool {
	lt := tabAt(line, i)
	if lt == len(line) {
		return false
	}
	lv := stripANSI(line[i:lt])
	l := ParseLevel(lv)
	if l == LevelNone || len(lv) < 4 {
		return false
	}
	h.Level = l
	i = lt + 1
	c1 := tabAt(line, i)
	switch {
	case isGoCaller(line[i:c1]):
		h.Fields = append(h.Fields, Field{Key: "caller", Value: line[i:c1]})
		i = min(c1+1, len(line))
	case c1 < len(line) && c1 > i && bytes.IndexByte(line[i:c1], ' ') < 0:
		c2 := tabAt(line, c1+1)
		if isGoCaller(line[c1+1 : c2]) {
			h.Logger = line[i:c1]
			h.Fields = append(h.Fields, Field{Key: "caller", Value: line[c1+1 : c2]})
			i = min(c2+1, len(line))
		} else if c2 > c1+1 && line[c1+1] != '{' {
			h.Logger = line[i:c1]
			i = c1 + 1
		}
	}
	h.Msg = line[i:]
	return true
}

// tabAt returns the index of the first tab at or after i, or len(b).
// Columns are short, so it looks byte by byte before it calls IndexByte.
func tabAt(b []byte, i int) int {
	for lim := min(len(b), i+32); i < lim; i++ {
		if b[i] == '\t' {
			return i
		}
	}
	if i < len(b) {
		if k := bytes.IndexByte(b[i:], '\t'); k >= 0 {
			return i + k
		}
	}
	return len(b)
}

// stripANSI removes the colour codes zap's CapitalColorLevelEncoder puts
// around the level: "\x1b[31mERROR\x1b[0m".
func stripANSI(b []byte) []byte {
	if len(b) == 0 || b[0] != 0x1b {
		return b
	}
	if m := bytes.IndexByte(b, 'm'); m > 0 {
		b = b[m+1:]
	}
	if k := bytes.IndexByte(b, 0x1b); k >= 0 {
		b = b[:k]
	}
	return b
}

// zapEpoch reads a zap console line whose time is an epoch number:
// seconds ("1.7053142251234567e+09"), milliseconds or nanoseconds.
func zapEpoch(line []byte, h *Header) bool {
	tab := bytes.IndexByte(line[:min(len(line), 32)], '\t')
	if tab < 1 {
		return false
	}
	for _, c := range line[:tab] {
		if !isDigit(c) && c != '.' && c != 'e' && c != '+' {
			return false
		}
	}
	f, err := strconv.ParseFloat(string(line[:tab]), 64)
	if err != nil || f < 1e8 || !zapColumns(line, tab+1, h) {
		return false
	}
	// Seconds, milliseconds, microseconds or nanoseconds since 1973.
	for f >= 1e11 {
		f /= 1000
	}
	sec, frac := math.Modf(f)
	h.TimeValue = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	h.Time = line[:tab]
	return true
}

// hclogHeader reads "2024-01-15T10:23:45.123+0100 [ERROR] name: msg"; the
// stamp ends at e.
func hclogHeader(line []byte, e int, layout string, h *Header) bool {
	if line[10] != 'T' || !stampHasZone(layout) {
		return false
	}
	j := e + 2
	k := j
	for k < len(line) && isUpper(line[k]) {
		k++
	}
	if byteAt(line, k) != ']' || byteAt(line, k+1) != ' ' {
		return false
	}
	switch string(line[j:k]) {
	case "TRACE", "DEBUG", "INFO", "WARN", "ERROR":
	default:
		return false
	}
	h.Level = ParseLevel(line[j:k])
	h.Time, h.TimeLayout = line[:e], layout
	i := skipSpaces(line, k+1)
	n := i
	for n < len(line) && ('a' <= line[n] && line[n] <= 'z' || isDigit(line[n]) || line[n] == '.' || line[n] == '-' || line[n] == '_') {
		n++
	}
	if n > i && prefixAt(line, n, ": ") >= 0 {
		h.Logger = line[i:n]
		i = n + 2
	}
	h.Msg = line[i:]
	return true
}

// zerologHeader reads zerolog's console writer without colours:
// "10:23AM ERR msg k=v" or "2024-01-15T10:23:45Z ERR msg".
func zerologHeader(line []byte, h *Header) bool {
	e := -1
	layout := ""
	if c := bytes.IndexByte(line[:min(len(line), 3)], ':'); c > 0 {
		e = digitsAt(line, c+1, 2)
		if e < 0 || !isDigit(line[0]) || c == 2 && !isDigit(line[1]) {
			return false
		}
		if prefixAt(line, e, "AM") < 0 && prefixAt(line, e, "PM") < 0 {
			return false
		}
		e += 2
	} else {
		e, layout = scanStamp(line, 0)
		if e < 0 || line[4] != '-' {
			return false
		}
	}
	if byteAt(line, e) != ' ' || byteAt(line, e+4) != ' ' && e+4 != len(line) || e+4 > len(line) {
		return false
	}
	var l Level
	switch string(line[e+1 : e+4]) {
	case "TRC":
		l = LevelTrace
	case "DBG":
		l = LevelDebug
	case "INF":
		l = LevelInfo
	case "WRN":
		l = LevelWarn
	case "ERR":
		l = LevelError
	case "FTL":
		l = LevelFatal
	case "PNC":
		l = LevelPanic
	default:
		return false
	}
	h.Time, h.TimeLayout = line[:e], layout
	h.Level = l
	h.Msg = line[min(e+5, len(line)):]
	return true
}

// logrusTTY reads logrus's text formatter on a terminal:
// "ERRO[0042] msg   k=v", or with FullTimestamp "ERRO[2024-01-15T10:23:45Z] msg".
func logrusTTY(line []byte, h *Header) bool {
	var l Level
	switch string(line[:4]) {
	case "TRAC":
		l = LevelTrace
	case "DEBU":
		l = LevelDebug
	case "INFO":
		l = LevelInfo
	case "WARN":
		l = LevelWarn
	case "ERRO":
		l = LevelError
	case "FATA":
		l = LevelFatal
	case "PANI":
		l = LevelPanic
	default:
		return false
	}
	in, end := bracketAt(line, 4, '[', ']')
	if in < 0 {
		return false
	}
	v := line[in : end-1]
	if n := numberAt(v, 0, 12); n == len(v) && n >= 4 {
		// seconds since the program started: not a time
	} else if e, layout := scanStamp(v, 0); e == len(v) && layout != "" {
		h.Time, h.TimeLayout = v, layout
	} else {
		return false
	}
	if end < len(line) {
		if line[end] != ' ' {
			h.Time, h.TimeLayout = nil, ""
			return false
		}
		end++
	}
	h.Level = l
	h.Msg = line[end:]
	return true
}

// klogHeader reads klog's (and glog's) header:
// "E0115 10:23:45.123456   12345 handler.go:42] msg".
func klogHeader(line []byte, h *Header) bool {
	j := digitsAt(line, 1, 4)
	if j < 0 || !monthDayOK(line[1:5]) || byteAt(line, j) != ' ' {
		return false
	}
	t := clockAt(line, j+1)
	k := spacesAt(line, t)
	th := numberAt(line, k, 12)
	c := byteIs(line, th, ' ')
	if c < 0 {
		return false
	}
	ce := c
	for ce < len(line) && ce-c < 256 && line[ce] != ']' && line[ce] > ' ' {
		ce++
	}
	caller := line[c:ce]
	colon := bytes.LastIndexByte(caller, ':')
	if byteAt(line, ce) != ']' || colon < 1 || numberAt(caller, colon+1, 8) != len(caller) {
		return false
	}
	switch line[0] {
	case 'I':
		h.Level = LevelInfo
	case 'W':
		h.Level = LevelWarn
	case 'E':
		h.Level = LevelError
	default:
		h.Level = LevelFatal
	}
	h.Time, h.TimeLayout = line[1:t], "0102 15:04:05"
	h.Thread = line[k:th]
	h.Fields = append(h.Fields, Field{Key: "caller", Value: caller})
	h.Msg = line[skipSpaces(line, ce+1):]
	return true
}

// maxLogfmtPairs bounds how many key=value pairs a logfmt line is read for.
const maxLogfmtPairs = 16

// goLogfmt reads a logfmt line (logrus text, slog text, go-kit, log15). Its
// first key must be a time or a level, and it needs a known level, or a
// time and a msg.
func goLogfmt(line []byte, h *Header) bool {
	var (
		lvl                          Level
		tm, msg, logger              []byte
		caller, errv                 []byte
		layout                       string
		haveMsg, haveCaller, haveErr bool
		i                            int
	)
	for n := 0; n < maxLogfmtPairs && i < len(line); n++ {
		k := i
		for k < len(line) && k-i <= 32 && isKeyByte(line[k]) {
			k++
		}
		if k == i || byteAt(line, k) != '=' {
			break
		}
		key := line[i:k]
		v := k + 1
		var val []byte
		if byteAt(line, v) == '"' {
			e := quoteEnd(line, v+1)
			if e < 0 {
				break
			}
			val, i = line[v+1:e], e+1
		} else {
			e := v
			for e < len(line) && line[e] != ' ' {
				e++
			}
			val, i = line[v:e], e
		}
		switch string(key) {
		case "time", "ts", "t":
			if e, l := scanStamp(val, 0); e == len(val) && l != "" {
				tm, layout = val, l
			}
		case "level", "lvl":
			lvl = logfmtLevel(val)
		default:
			if n == 0 {
				return false
			}
			switch string(key) {
			case "msg", "message":
				msg, haveMsg = val, true
			case "logger", "component":
				logger = val
			case "caller", "source":
				caller, haveCaller = val, true
			case "err", "error":
				errv, haveErr = val, true
			}
		}
		if i < len(line) {
			if line[i] != ' ' {
				break
			}
			i++
		}
	}
	if lvl == LevelNone && !(tm != nil && haveMsg) {
		return false
	}
	h.Level = lvl
	h.Time, h.TimeLayout = tm, layout
	h.Msg = msg
	if haveMsg && msg == nil {
		h.Msg = line[len(line):]
	}
	h.Logger = logger
	if haveCaller {
		h.Fields = append(h.Fields, Field{Key: "caller", Value: caller})
	}
	if haveErr {
		h.Fields = append(h.Fields, Field{Key: "error", Value: errv})
	}
	return true
}

// keyBytes are the bytes of a logfmt key, as a bit set of the ASCII codes
// 0-63 and 64-127: - . / 0-9, and A-Z _ a-z.
const (
	keyBytesLo uint64 = 1<<'-' | 1<<'.' | 1<<'/' | (1<<10-1)<<'0'
	keyBytesHi uint64 = (1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64)
)

func isKeyByte(c byte) bool {
	if c < 64 {
		return keyBytesLo>>c&1 != 0
	}
	return c < 128 && keyBytesHi>>(c-64)&1 != 0
}

// logfmtLevel reads a logfmt level value: slog's "ERROR" and "INFO+2",
// logrus's "warning", log15's "eror" and "dbug".
func logfmtLevel(v []byte) Level {
	for k := 1; k < len(v); k++ {
		if (v[k] == '+' || v[k] == '-') && numberAt(v, k+1, 3) == len(v) {
			v = v[:k]
			break
		}
	}
	switch string(v) {
	case "eror":
		return LevelError
	case "dbug":
		return LevelDebug
	}
	return ParseLevel(v)
}

// monthDayOK reports whether four digits are a month and a day: "0115".
func monthDayOK(b []byte) bool {
	m := int(b[0]-'0')*10 + int(b[1]-'0')
	return 1 <= m && m <= 12 && dayOK(b[2:4])
}

// stampHasZone reports whether a layout from scanStamp ends with a zone.
func stampHasZone(layout string) bool {
	return len(layout) > 2 && layout[len(layout)-2:] != "05"
}
