package parsers

import "bytes"

// This file owns the header formats of JVM loggers: "logback" (Spring Boot's
// default pattern and logback's own default) and "log4j" (log4j 1 and 2,
// JBoss/WildFly, and the logback shapes, which look the same).
//
// Auto-detection tries logback before log4j and python, and a tie goes to
// the earlier format. So logback accepts only shapes no other logger prints
// (Spring Boot's "--- [thread] logger :" and logback's "[thread] LEVEL
// logger - "). log4j is generous, but leaves Python's lines to the python
// format: it turns down level words Java never prints (WARNING, CRITICAL), a
// level first followed by neither a thread nor a logger (Django's verbose
// format), and, on a line without a logger, an unpadded four-letter level
// ("INFO [app.views] msg", "INFO msg"), since Java loggers pad the level to
// five ("%-5p").

func init() {
	registerFormat("logback", func() Format { return logbackFormat{} })
	registerFormat("log4j", func() Format { return log4jFormat{} })
}

type logbackFormat struct{}

func (logbackFormat) Name() string { return "logback" }

// Header reads
//
//	2024-01-15 10:23:45.123  INFO 12345 --- [           main] c.e.demo.App  : msg
//	2024-01-15T10:23:45.123+01:00 ERROR 12345 --- [demo] [main] c.e.d.App : msg
//	10:23:45.123 [main] ERROR com.example.App - msg
//	2024-01-15 10:23:45,123 [http-nio-8080-exec-1] WARN  com.example.App -- msg
func (logbackFormat) Header(line []byte, h *Header) bool {
	if !isDigit(byteAt(line, 0)) {
		return false
	}
	i, layout := jvmStamp(line, 0)
	if i < 0 {
		return false
	}
	h.Time, h.TimeLayout = line[:i], layout
	return logbackShapes(line, i, h)
}

// logbackShapes reads the rest of a logback line after the stamp: Spring
// Boot's shape, or logback's default with the thread first.
func logbackShapes(line []byte, i int, h *Header) bool {
	if byteAt(line, skipSpaces(line, i)) == '[' {
		return threadFirstHeader(line, i, h)
	}
	return bootHeader(line, i, h)
}

type log4jFormat struct{}

func (log4jFormat) Name() string { return "log4j" }

// Header reads the logback shapes and
//
//	2024-01-15 10:23:45,123 ERROR [main] MyService:42 - msg
//	2024-01-15 10:23:45,123 ERROR [org.jboss.as] (default task-1) msg
//	ERROR 2024-01-15 10:23:45,123 [main] com.example.App: msg
//	2024-01-15 10:23:45,123 INFO  com.example.App - msg
//	2024-01-15 10:23:45,123 [ERROR] [main] com.example.App - msg
func (log4jFormat) Header(line []byte, h *Header) bool {
	c := byteAt(line, 0)
	if isDigit(c) {
		i, layout := jvmStamp(line, 0)
		if i < 0 {
			return false
		}
		h.Time, h.TimeLayout = line[:i], layout
		if logbackShapes(line, i, h) {
			return true
		}
		l, pad, j := jvmLevelField(line, i)
		if j < 0 {
			return false
		}
		h.Level = l
		return jvmFields(line, j, pad, h)
	}
	if !isUpper(c) {
		return false
	}
	// %-5p %d ...: the level first.
	l, i := jvmLevelAt(line, 0)
	if i < 0 || !isSpace(byteAt(line, i)) {
		return false
	}
	s := skipSpaces(line, i)
	e, layout := jvmStamp(line, s)
	if e < 0 {
		return false
	}
	h.Level, h.Time, h.TimeLayout = l, line[s:e], layout
	// Django's verbose format prints "ERROR 2024-01-15 ... module 12 34 msg":
	// a level first must be followed by a thread or a logger.
	return jvmFields(line, e, false, h)
}

// jvmStamp reads the time stamps of Java date patterns: ISO dates with '-',
// "15 Jan 2024" dates and times alone. Dates with '/' are Go's and nginx's.
func jvmStamp(line []byte, i int) (int, string) {
	if byteAt(line, i+4) == '/' {
		return -1, ""
	}
	return scanStamp(line, i)
}

// jvmLevelAt reads a level as Java loggers print it: upper case, one of
// the six log4j levels.
func jvmLevelAt(b []byte, i int) (Level, int) {
	j := letterRun(b, i)
	if j-i < 4 || j-i > 5 || isDigit(byteAt(b, j)) {
		return LevelNone, -1
	}
	var l Level
	switch string(b[i:j]) {
	case "TRACE":
		l = LevelTrace
	case "DEBUG":
		l = LevelDebug
	case "INFO":
		l = LevelInfo
	case "WARN":
		l = LevelWarn
	case "ERROR":
		l = LevelError
	case "FATAL":
		l = LevelFatal
	default:
		return LevelNone, -1
	}
	return l, j
}

// jvmLevelField reads the spaces after a stamp and a level, bare or in
// brackets ("[INFO ]"), and reports whether the level was padded to five
// characters, the mark of "%-5p" that sets log4j apart from Python.
func jvmLevelField(line []byte, i int) (l Level, padded bool, end int) {
	if byteAt(line, i) != ' ' {
		return LevelNone, false, -1 // tabs are zap's console encoder
	}
	s := skipSpaces(line, i)
	br := byteAt(line, s) == '['
	if br {
		s++
	}
	l, e := jvmLevelAt(line, s)
	if e < 0 {
		return LevelNone, false, -1
	}
	padded = e-s == 5 || s-i > 1 && !br
	if br {
		p := skipSpaces(line, e)
		if byteAt(line, p) != ']' {
			return LevelNone, false, -1
		}
		padded = padded || p > e
		e = p + 1
	}
	switch byteAt(line, e) {
	case ' ', '\t':
		padded = padded || byteAt(line, e+1) == ' '
	case 0:
	default:
		return LevelNone, false, -1
	}
	return l, padded, e
}

// bootHeader reads the rest of a Spring Boot line after the stamp:
//
//	"  INFO 12345 --- [demo] [           main] c.e.demo.App   : msg"
//
// The level may be followed by a Sleuth bracket ("[app,trace,span,true]"),
// the pid may be missing, the application name bracket is optional and a
// correlation bracket ("[trace-span] ") may follow the thread.
func bootHeader(line []byte, i int, h *Header) bool {
	s := spacesAt(line, i)
	if s < 0 {
		return false
	}
	l, e := jvmLevelAt(line, s)
	if e < 0 {
		return false
	}
	e = spacesAt(line, e)
	if byteAt(line, e) == '[' {
		_, e = bracketAt(line, e, '[', ']')
		e = spacesAt(line, e)
	}
	if isDigit(byteAt(line, e)) {
		e = spacesAt(line, numberAt(line, e, 10))
	}
	e = prefixAt(line, e, "---")
	e = spacesAt(line, e)
	if e < 0 {
		return false
	}
	// Up to three brackets: [app] [thread] [correlation], each optional
	// but the thread.
	var br [3][2]int
	n := 0
	for n < len(br) && byteAt(line, e) == '[' {
		in, end := bracketAt(line, e, '[', ']')
		if end < 0 {
			return false
		}
		br[n] = [2]int{in, end - 1}
		n++
		e = skipSpaces(line, end)
	}
	var th [2]int
	switch {
	case n == 0:
		return false
	case n == 1:
		th = br[0]
	case n == 2 && isCorrelation(line[br[1][0]:br[1][1]]):
		th = br[0]
	default:
		th = br[1]
	}
	le := wordEnd(line, e)
	if le == e {
		return false
	}
	c := skipSpaces(line, le)
	if byteAt(line, c) != ':' {
		return false
	}
	m := c + 1
	if !isSpace(byteAt(line, m)) && m < len(line) {
		return false
	}
	if m < len(line) {
		m++
	}
	h.Level = l
	h.Thread = trimSpaces(line[th[0]:th[1]])
	h.Logger = line[e:le]
	h.Msg = line[m:]
	return true
}

// isCorrelation tells a Boot correlation id ("6b1f...-2c4e...", or blanks
// when there is none) from a thread name.
func isCorrelation(b []byte) bool {
	for _, c := range b {
		if !(isDigit(c) || 'a' <= c && c <= 'f' || c == '-' || c == ' ') {
			return false
		}
	}
	return true
}

// threadFirstHeader reads logback's default shape after the stamp:
// " [thread] LEVEL logger - msg", where logback 1.3+ prints "-%kvp-", so
// "--" when there are no key-value pairs.
func threadFirstHeader(line []byte, i int, h *Header) bool {
	s := spacesAt(line, i)
	in, be := bracketAt(line, s, '[', ']')
	e := spacesAt(line, be)
	if e < 0 {
		return false
	}
	l, le := jvmLevelAt(line, e)
	le = spacesAt(line, le)
	if le < 0 {
		return false
	}
	we := wordEnd(line, le)
	m := dashSep(line, we)
	if m < 0 || we == le {
		return false
	}
	h.Level = l
	h.Thread = trimSpaces(line[in : be-1])
	h.Logger = line[le:we]
	h.Msg = line[m:]
	return true
}

// dashSep reads the " - " (or " -- ", or "  - " after an empty NDC) that
// ends a logger field at i and returns where the message starts.
func dashSep(line []byte, i int) int {
	j := spacesAt(line, i)
	if byteAt(line, j) != '-' {
		return -1
	}
	j++
	if byteAt(line, j) == '-' {
		j++
	}
	switch {
	case j == len(line):
		return j
	case isSpace(line[j]):
		return j + 1
	}
	return -1
}

// jvmFields reads what follows the level in log4j shapes: an optional
// "[thread]" (or "[logger] (thread)", JBoss), then a logger ended by " - "
// or ':', then the message. padded says the level was padded to five, which
// lets a line with no logger through ("%d %-5p [%t] %m").
func jvmFields(line []byte, i int, padded bool, h *Header) bool {
	i = skipSpaces(line, i)
	var bracket []byte
	if byteAt(line, i) == '[' {
		in, end := bracketAt(line, i, '[', ']')
		if end < 0 {
			return false
		}
		bracket = line[in : end-1]
		i = skipSpaces(line, end)
		if byteAt(line, i) == '(' {
			tin, tend := bracketAt(line, i, '(', ')')
			if tend < 0 {
				return false
			}
			h.Logger = trimSpaces(bracket)
			h.Thread = line[tin : tend-1]
			h.Msg = line[skipSpaces(line, tend):]
			return true
		}
		h.Thread = trimSpaces(bracket)
	}
	we := wordEnd(line, i)
	if we > i {
		if m := dashSep(line, we); m >= 0 {
			h.Logger = trimLineNumber(line[i:we])
			h.Msg = line[m:]
			return true
		}
		// "logger: msg" after a thread, or with a dotted logger name
		// (a bare "Failed: x" is a message).
		if line[we-1] == ':' && we-i > 1 && (bracket != nil || padded && bytes.IndexByte(line[i:we], '.') >= 0) {
			h.Logger = trimLineNumber(line[i : we-1])
			h.Msg = line[skipSpaces(line, we):]
			return true
		}
	}
	if padded && !bootTail(line, i) {
		h.Msg = line[i:]
		return true
	}
	return false
}

// bootTail reports whether the text at i is what follows the level in a
// Spring Boot line ("12345 --- [", "--- ["), so that the formats with a
// "time level message" fallback leave Boot lines that bootHeader turned
// down (a thread or logger missing) alone.
func bootTail(line []byte, i int) bool {
	if isDigit(byteAt(line, i)) {
		i = spacesAt(line, numberAt(line, i, 10))
	}
	return prefixAt(line, i, "--- ") >= 0
}

// trimLineNumber drops the ":42" that "%c{1}:%L" appends to a logger.
func trimLineNumber(b []byte) []byte {
	j := len(b)
	for j > 0 && isDigit(b[j-1]) {
		j--
	}
	if j < len(b) && j > 1 && b[j-1] == ':' {
		return b[:j-1]
	}
	return b
}
