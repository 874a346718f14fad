package parsers

// This file owns the "python" header format: the shapes Python's logging
// module prints with its default and most common format strings, and those
// of Django, Flask, gunicorn, celery and loguru. The level must be one of
// the names Python prints, in capitals, so prose such as "Error: x" is never
// a header.

func init() {
	registerFormat("python", func() Format { return pythonFormat{} })
}

type pythonFormat struct{}

func (pythonFormat) Name() string { return "python" }

// Header reads
//
//	ERROR:app.db:msg                                   (the default format)
//	2024-01-15 10:23:45,123 ERROR [app.views] msg
//	2024-01-15 10:23:45,123 ERROR msg
//	2024-01-15 10:23:45,123 - app.views - ERROR - msg
//	2024-01-15 10:23:45,123 [ERROR] app.views: msg
//	2024-01-15 10:23:45.123 | ERROR    | app.views:run:42 - msg   (loguru)
//	[2024-01-15 10:23:45,123] ERROR in views: msg              (Flask)
//	ERROR 2024-01-15 10:23:45,123 views 1234 5678 msg          (Django)
//	[2024-01-15 10:23:45 +0000] [1234] [ERROR] msg             (gunicorn)
//	[2024-01-15 10:23:45,123: ERROR/MainProcess] msg           (celery)
func (pythonFormat) Header(line []byte, h *Header) bool {
	c := byteAt(line, 0)
	switch {
	case isDigit(c):
		e, layout := pyStamp(line, 0)
		if e < 0 {
			return false
		}
		h.Time, h.TimeLayout = line[:e], layout
		return pyAfterStamp(line, e, h)
	case c == '[':
		return pyBracketed(line, h)
	case isUpper(c):
		return pyLevelFirst(line, h)
	}
	return false
}

// pyStamp reads asctime ("2024-01-15 10:23:45,123") and the other ISO
// shapes; dates with '/' are left to the Go and nginx formats.
func pyStamp(line []byte, i int) (int, string) {
	if byteAt(line, i+4) == '/' {
		return -1, ""
	}
	return scanStamp(line, i)
}

// pyLevelAt reads a level name as Python's logging prints it, and loguru's
// TRACE and SUCCESS.
func pyLevelAt(b []byte, i int) (Level, int) {
	j := letterRun(b, i)
	if j-i < 4 || j-i > 8 || isDigit(byteAt(b, j)) || byteAt(b, j) == '_' {
		return LevelNone, -1
	}
	var l Level
	switch string(b[i:j]) {
	case "DEBUG":
		l = LevelDebug
	case "INFO", "SUCCESS":
		l = LevelInfo
	case "WARNING", "WARN":
		l = LevelWarn
	case "ERROR":
		l = LevelError
	case "CRITICAL":
		l = LevelCritical
	case "FATAL":
		l = LevelFatal
	case "TRACE":
		l = LevelTrace
	default:
		return LevelNone, -1
	}
	return l, j
}

// isNameByte reports whether c can be part of a logger or module name.
func isNameByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-'
}

// nameEnd returns the end of the logger name at i.
func nameEnd(b []byte, i int) int {
	for i < len(b) && isNameByte(b[i]) {
		i++
	}
	return i
}

// pyAfterStamp reads what follows asctime.
func pyAfterStamp(line []byte, i int, h *Header) bool {
	// " - name - LEVEL - msg", or " - LEVEL - msg" without the name.
	if j := prefixAt(line, i, " - "); j >= 0 {
		if l, e := pyLevelAt(line, j); e >= 0 {
			if m := pyDash(line, e); m >= 0 {
				h.Level, h.Msg = l, line[m:]
				return true
			}
		}
		ne := nameEnd(line, j)
		k := prefixAt(line, ne, " - ")
		if ne == j || k < 0 {
			return false
		}
		l, e := pyLevelAt(line, k)
		m := pyDash(line, e)
		if m < 0 {
			return false
		}
		h.Level, h.Logger, h.Msg = l, line[j:ne], line[m:]
		return true
	}
	// loguru: " | LEVEL    | name:function:42 - msg".
	if j := prefixAt(line, i, " | "); j >= 0 {
		l, e := pyLevelAt(line, j)
		e = prefixAt(line, skipSpaces(line, e), "| ")
		if e < 0 {
			return false
		}
		we := wordEnd(line, e)
		m := prefixAt(line, we, " - ")
		if m < 0 || we == e {
			return false
		}
		h.Level, h.Logger, h.Msg = l, loguruName(line[e:we]), line[m:]
		return true
	}
	// ":LEVEL:name:msg" ("%(asctime)s:%(levelname)s:%(name)s:%(message)s").
	if byteAt(line, i) == ':' {
		l, e := pyLevelAt(line, i+1)
		if byteIs(line, e, ':') < 0 {
			return false
		}
		ne := nameEnd(line, e+1)
		if ne == e+1 || byteAt(line, ne) != ':' {
			return false
		}
		h.Level, h.Logger, h.Msg = l, line[e+1:ne], line[ne+1:]
		return true
	}
	if byteAt(line, i) != ' ' {
		return false // tabs are zap's console encoder
	}
	s := skipSpaces(line, i)
	// " [LEVEL] name: msg" or " [LEVEL] msg".
	if byteAt(line, s) == '[' {
		l, e := pyLevelAt(line, s+1)
		e = byteIs(line, skipSpaces(line, e), ']')
		if e < 0 || e < len(line) && !isSpace(line[e]) {
			return false
		}
		h.Level = l
		pyNameAndMsg(line, skipSpaces(line, e), h)
		return true
	}
	// " LEVEL [name] msg", " LEVEL name: msg", " LEVEL msg".
	l, e := pyLevelAt(line, s)
	if e < 0 {
		return false
	}
	switch byteAt(line, e) {
	case ' ', '\t':
	case ':':
		// " LEVEL:name:msg" after the time.
		ne := nameEnd(line, e+1)
		if ne == e+1 || byteAt(line, ne) != ':' {
			return false
		}
		h.Level, h.Logger, h.Msg = l, line[e+1:ne], line[ne+1:]
		return true
	case 0:
		h.Level, h.Msg = l, line[e:]
		return true
	default:
		return false
	}
	m := skipSpaces(line, e)
	if bootTail(line, m) {
		return false
	}
	h.Level = l
	if byteAt(line, m) == '[' {
		if in, end := bracketAt(line, m, '[', ']'); end >= 0 && end-in > 1 {
			if end == len(line) || isSpace(line[end]) {
				h.Logger = line[in : end-1]
				h.Msg = line[skipSpaces(line, end):]
				return true
			}
		}
	}
	pyNameAndMsg(line, m, h)
	return true
}

// pyDash reads the " - " after a level, which "%(levelname)-8s" pads with
// more spaces, and returns where the message starts; the line may end there.
func pyDash(line []byte, i int) int {
	if i == len(line) {
		return i
	}
	d := spacesAt(line, i)
	if byteAt(line, d) != '-' {
		return -1
	}
	switch {
	case d+1 == len(line):
		return d + 1
	case line[d+1] == ' ':
		return d + 2
	}
	return -1
}

// pyNameAndMsg reads "name: msg" at i when the word there reads as a logger
// name (starting in lower case or '_', as module names do: a capitalised
// "Failed: x" is the message), else the message alone.
func pyNameAndMsg(line []byte, i int, h *Header) {
	c := byteAt(line, i)
	if 'a' <= c && c <= 'z' || c == '_' {
		ne := nameEnd(line, i)
		if byteAt(line, ne) == ':' && (ne+1 == len(line) || isSpace(line[ne+1])) {
			h.Logger = line[i:ne]
			h.Msg = line[skipSpaces(line, ne+1):]
			return
		}
	}
	h.Msg = line[i:]
}

// loguruName drops the ":function:line" loguru appends to the module name.
func loguruName(b []byte) []byte {
	for i, c := range b {
		if c == ':' {
			return b[:i]
		}
	}
	return b
}

// pyBracketed reads the shapes that start with the time in brackets: Flask,
// gunicorn and celery.
func pyBracketed(line []byte, h *Header) bool {
	e, layout := pyStamp(line, 1)
	if e < 0 {
		return false
	}
	h.Time, h.TimeLayout = line[1:e], layout
	switch byteAt(line, e) {
	case ']':
	case ':':
		// celery: "[2024-01-15 10:23:45,123: ERROR/MainProcess] msg".
		l, le := pyLevelAt(line, skipSpaces(line, e+1))
		if byteIs(line, le, '/') < 0 {
			return false
		}
		in, end := le+1, le+1
		for end < len(line) && end-in < maxBracket && line[end] != ']' {
			end++
		}
		if byteAt(line, end) != ']' || end == in {
			return false
		}
		h.Level, h.Thread = l, line[in:end]
		h.Msg = line[skipSpaces(line, end+1):]
		return true
	default:
		return false
	}
	s := spacesAt(line, e+1)
	if s < 0 {
		return false
	}
	if byteAt(line, s) == '[' {
		// gunicorn: "[1234] [ERROR] msg".
		p := numberAt(line, s+1, 10)
		p = byteIs(line, p, ']')
		p = spacesAt(line, p)
		p = byteIs(line, p, '[')
		if p < 0 {
			return false
		}
		l, le := pyLevelAt(line, p)
		le = byteIs(line, le, ']')
		if le < 0 {
			return false
		}
		h.Level = l
		h.Msg = line[skipSpaces(line, le):]
		return true
	}
	// Flask: "ERROR in views: msg", or "ERROR: msg", or "ERROR msg".
	l, le := pyLevelAt(line, s)
	if le < 0 {
		return false
	}
	h.Level = l
	if m := prefixAt(line, le, " in "); m >= 0 {
		ne := nameEnd(line, m)
		if ne > m && byteAt(line, ne) == ':' {
			h.Logger = line[m:ne]
			h.Msg = line[skipSpaces(line, ne+1):]
			return true
		}
	}
	switch byteAt(line, le) {
	case ':':
		le++
	case ' ', '\t', 0:
	default:
		return false
	}
	h.Msg = line[skipSpaces(line, le):]
	return true
}

// pyLevelFirst reads "LEVEL:name:msg" (logging's default format) and
// Django's verbose "LEVEL asctime module process thread msg".
func pyLevelFirst(line []byte, h *Header) bool {
	l, e := pyLevelAt(line, 0)
	if e < 0 {
		return false
	}
	switch byteAt(line, e) {
	case ':':
		// The name is what getLogger was given: no spaces, and not the
		// "//" of a URL.
		ne := e + 1
		for ne < len(line) && line[ne] != ':' && !isSpace(line[ne]) && line[ne] != '/' {
			ne++
		}
		if ne == e+1 || byteAt(line, ne) != ':' {
			return false
		}
		h.Level, h.Logger, h.Msg = l, line[e+1:ne], line[ne+1:]
		return true
	case ' ':
	default:
		return false
	}
	s := skipSpaces(line, e)
	te, layout := pyStamp(line, s)
	if te < 0 || byteAt(line, te) != ' ' && te != len(line) {
		return false
	}
	h.Level, h.Time, h.TimeLayout = l, line[s:te], layout
	m := skipSpaces(line, te)
	// Django: "views 1234 140245 msg".
	ne := nameEnd(line, m)
	p := numberAt(line, byteIs(line, ne, ' '), 10)
	t := numberAt(line, byteIs(line, p, ' '), 20)
	if ne > m && t >= 0 && (t == len(line) || line[t] == ' ') {
		h.Logger = line[m:ne]
		h.Thread = line[p+1 : t]
		if t < len(line) {
			t++
		}
		h.Msg = line[t:]
		return true
	}
	h.Msg = line[m:]
	return true
}
