package parsers

// This file owns formats "nginx" and "apache": the access logs of the
// Common/Combined Log Format family, which both servers (and lighttpd,
// Traefik, HAProxy in CLF mode, ...) write, plus each server's own error
// log: nginx's error.log under "nginx", Apache's error_log under "apache".
//
// An access line is read as
//
//	CLIENTS [dd/Mon/yyyy:hh:mm:ss -zzzz] "REQUEST" STATUS BYTES [REST]
//
// where CLIENTS is whatever the server wrote before the time (host, ident
// and user; an X-Forwarded-For chain, quoted or not; a lighttpd virtual
// host; IPv6 addresses), REQUEST is "METHOD TARGET PROTOCOL" or anything
// else a client sent (an empty request "" with 400, binary garbage), BYTES
// is a number or "-", and REST holds the referer, the user agent and any
// further fields.
//
// Choices the format makes, since the logs do not say:
//   - Level is ERROR for a 5xx status, WARN for a 4xx and INFO otherwise, so
//     that level rules work on access logs too.
//   - DurationMS is set only from the first of: a decimal number with a
//     fraction in REST ("0.123", nginx's $request_time and
//     $upstream_response_time), taken as seconds; a "rt=" or "request_time="
//     key, in seconds; a number with the unit "ms" (Traefik's "3ms"). Bare
//     integers are left alone: Apache's %D (microseconds), %T (seconds) and
//     %{ms}T (milliseconds) and byte counts (%I, %O) all print one, and
//     nothing in the line tells them apart.
//   - Path is the request target as written, query included.
//   - Msg starts at the request's opening quote, so that it carries the
//     request, the status and what follows.
//   - Every access line is a record of its own.

import "bytes"

func init() {
	registerFormat("nginx", func() Format { return accessFormat{nginx: true} })
	registerFormat("apache", func() Format { return accessFormat{} })
}

// accessFormat reads access lines; nginx adds nginx's error.log lines, and
// apache adds Apache's error_log lines.
type accessFormat struct{ nginx bool }

func (f accessFormat) Name() string {
	if f.nginx {
		return "nginx"
	}
	return "apache"
}

// maxClients bounds the part of an access line before the time, so a long
// line that is not an access line is rejected after a bounded search.
const maxClients = 1024

// clfLayout parses the time of an access line.
const clfLayout = "02/Jan/2006:15:04:05 -0700"

func (f accessFormat) Header(line []byte, h *Header) bool {
	if len(line) < 40 {
		// The shortest access line, `- - - [..time..] "" 400 0`, is longer.
		return false
	}
	c := line[0]
	if c <= ' ' || c >= 0x7f {
		return false
	}
	if f.nginx {
		if isDigit(c) && line[4] == '/' && nginxErrorHeader(line, h) {
			return true
		}
	} else if c == '[' {
		return apacheErrorHeader(line, h)
	}
	return accessHeader(line, h)
}

// accessHeader reads a CLF-family access line.
func accessHeader(line []byte, h *Header) bool {
	open := bytes.IndexByte(line[:min(len(line), maxClients)], '[')
	if open < 2 || line[open-1] != ' ' {
		return false
	}
	t := clfTimeAt(line, open+1)
	if t < 0 || byteAt(line, t) != ']' || byteAt(line, t+1) != ' ' || byteAt(line, t+2) != '"' {
		return false
	}
	for _, c := range line[:open] {
		if c < ' ' || c == 0x7f {
			return false
		}
	}
	q := t + 2 // the request's opening quote
	qe := quoteEnd(line, q+1)
	if qe < 0 {
		return false
	}
	i := byteIs(line, qe+1, ' ')
	st := digitsAt(line, i, 3)
	if st < 0 {
		return false
	}
	status := int(line[i]-'0')*100 + int(line[i+1]-'0')*10 + int(line[i+2]-'0')
	if status < 100 || status > 599 {
		return false
	}
	i = byteIs(line, st, ' ')
	var b int
	if byteAt(line, i) == '-' {
		b = i + 1
	} else {
		b = numberAt(line, i, 20)
	}
	if b < 0 || b < len(line) && line[b] != ' ' {
		return false
	}

	h.Time = line[open+1 : t]
	h.TimeLayout = clfLayout
	h.Status = status
	h.Method, h.Path = splitRequest(line[q+1 : qe])
	h.Msg = line[q:]
	h.DurationMS = requestTimeMS(line[b:])
	switch {
	case status >= 500:
		h.Level = LevelError
	case status >= 400:
		h.Level = LevelWarn
	default:
		h.Level = LevelInfo
	}
	return true
}

// clfTimeAt reads "10/Oct/2000:13:55:36 -0700" at i and returns its end.
func clfTimeAt(b []byte, i int) int {
	j := digitsAt(b, i, 2)
	j = byteIs(b, j, '/')
	j = mmmAt(b, j)
	j = byteIs(b, j, '/')
	j = digitsAt(b, j, 4)
	j = byteIs(b, j, ':')
	j = clockAt(b, j)
	j = byteIs(b, j, ' ')
	if c := byteAt(b, j); c != '+' && c != '-' {
		return -1
	}
	j = digitsAt(b, j+1, 4)
	if j < 0 || !dayOK(b[i:i+2]) {
		return -1
	}
	return j
}

// quoteEnd returns the index of the '"' that ends a quoted string whose
// contents start at i, passing over quotes escaped with a backslash (Apache
// writes \" and \\; nginx writes \x22), or -1 when the string does not end.
func quoteEnd(b []byte, i int) int {
	if i < 0 || i > len(b) {
		return -1
	}
	start := i
	for i < len(b) {
		k := bytes.IndexByte(b[i:], '"')
		if k < 0 {
			return -1
		}
		j := i + k
		n := 0
		for p := j - 1; p >= start && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		i = j + 1
	}
	return -1
}

// splitRequest reads "METHOD TARGET PROTOCOL" (or "METHOD TARGET", as HTTP/0.9
// sends) and returns the method and target, or nils when the request is not
// of that shape (empty, a TLS handshake sent to a plain port, ...).
func splitRequest(r []byte) (method, target []byte) {
	sp := bytes.IndexByte(r, ' ')
	if sp <= 0 || sp > 24 {
		return nil, nil
	}
	for _, c := range r[:sp] {
		if !isUpper(c) && c != '-' && c != '_' {
			return nil, nil
		}
	}
	rest := r[sp+1:]
	if k := bytes.LastIndexByte(rest, ' '); k >= 0 && prefixAt(rest, k+1, "HTTP/") >= 0 {
		rest = rest[:k]
	}
	if len(rest) == 0 {
		return nil, nil
	}
	return r[:sp], rest
}

// requestTimeMS finds the request duration in the fields after the byte
// count (see the file comment) and returns it in milliseconds, or -1.
func requestTimeMS(b []byte) float64 {
	i := 0
	for i < len(b) {
		switch b[i] {
		case ' ', ',':
			i++
			continue
		case '"':
			e := quoteEnd(b, i+1)
			if e < 0 {
				return -1
			}
			i = e + 1
			continue
		}
		e := i
		for e < len(b) && b[e] != ' ' && b[e] != '=' && b[e] != '"' {
			e++
		}
		if byteAt(b, e) != '=' {
			if ms, ok := secondsToMS(trimComma(b[i:e])); ok {
				return ms
			}
			if ms, ok := unitMS(b[i:e]); ok {
				return ms
			}
			i = e
			if byteAt(b, i) == '"' {
				// A token running into a quote: not a field this reads.
				i++
			}
			continue
		}
		key := b[i:e]
		v := e + 1
		var val []byte
		if byteAt(b, v) == '"' {
			ve := quoteEnd(b, v+1)
			if ve < 0 {
				return -1
			}
			val, i = b[v+1:ve], ve+1
		} else {
			i = v
			for i < len(b) && b[i] != ' ' {
				i++
			}
			val = b[v:i]
		}
		if string(key) == "rt" || string(key) == "request_time" {
			if ms, ok := secondsToMS(trimComma(val)); ok {
				return ms
			}
		}
	}
	return -1
}

func trimComma(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == ',' {
		return b[:n-1]
	}
	return b
}

// secondsToMS reads "12.345" (seconds with a fraction of one to nine
// digits) and returns it in milliseconds.
func secondsToMS(b []byte) (float64, bool) {
	dot := bytes.IndexByte(b, '.')
	if dot < 1 || dot > 9 || len(b)-dot-1 < 1 || len(b)-dot-1 > 9 {
		return 0, false
	}
	var whole, frac, scale int64 = 0, 0, 1
	for _, c := range b[:dot] {
		if !isDigit(c) {
			return 0, false
		}
		whole = whole*10 + int64(c-'0')
	}
	for _, c := range b[dot+1:] {
		if !isDigit(c) {
			return 0, false
		}
		frac = frac*10 + int64(c-'0')
		scale *= 10
	}
	return float64(whole)*1000 + float64(frac)*1000/float64(scale), true
}

// unitMS reads a whole number of milliseconds written with its unit, as
// Traefik ends its access lines: "3ms".
func unitMS(b []byte) (float64, bool) {
	n := len(b) - 2
	if n < 1 || n > 12 || b[n] != 'm' || b[n+1] != 's' || numberAt(b, 0, 12) != n {
		return 0, false
	}
	var v int64
	for _, c := range b[:n] {
		v = v*10 + int64(c-'0')
	}
	return float64(v), true
}

// nginxErrorAt reads the part of an nginx error.log line after the time,
// "[error] 1234#5678: ", at i. It returns the level, the end of "pid#tid"
// and the end of what it read.
func nginxErrorAt(b []byte, i int) (l Level, tid, end int) {
	j := byteIs(b, i, '[')
	if j < 0 {
		return LevelNone, -1, -1
	}
	k := j
	for k < len(b) && 'a' <= b[k] && b[k] <= 'z' {
		k++
	}
	if k-j < 4 || byteAt(b, k) != ']' {
		return LevelNone, -1, -1
	}
	l = ParseLevel(b[j:k])
	if l == LevelNone {
		return LevelNone, -1, -1
	}
	k = byteIs(b, k+1, ' ')
	k = numberAt(b, k, 10)
	k = byteIs(b, k, '#')
	tid = numberAt(b, k, 20)
	end = byteIs(b, tid, ':')
	if end < 0 {
		return LevelNone, -1, -1
	}
	if byteAt(b, end) == ' ' {
		end++
	}
	return l, tid, end
}

// nginxErrorHeader reads an nginx error.log line:
//
//	2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed (111: ...) while
//	connecting to upstream, client: 1.2.3.4, server: x, request: "GET /api
//	HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "x"
//
// Thread is "pid#tid"; Msg starts after the connection number "*5", which
// differs for every request. The request's method and path fill Method and
// Path (Status stays 0: the line is not an access record), and the client,
// server, upstream and host fields are named Fields.
func nginxErrorHeader(line []byte, h *Header) bool {
	d, j := dateAt(line, 0)
	if d != dateYMDSl || byteAt(line, j) != ' ' {
		return false
	}
	t := clockAt(line, j+1)
	if t < 0 || byteAt(line, t) != ' ' {
		return false
	}
	l, tid, end := nginxErrorAt(line, t+1)
	if end < 0 {
		return false
	}
	msg := end
	if byteAt(line, msg) == '*' {
		if k := byteIs(line, numberAt(line, msg+1, 20), ' '); k >= 0 {
			msg = k
		}
	}
	h.Time = line[:t]
	h.TimeLayout = "2006/01/02 15:04:05"
	h.Level = l
	h.Thread = line[bytes.LastIndexByte(line[:tid], ' ')+1 : tid]
	h.Msg = line[msg:]
	nginxErrorFields(line[msg:], h)
	return true
}

// nginxErrorFields reads the ", client: ..., server: ..., request: "..."" tail
// nginx appends to errors about a request.
func nginxErrorFields(m []byte, h *Header) {
	i := bytes.Index(m, []byte(", client: "))
	if i < 0 {
		return
	}
	i += 2
	for i < len(m) {
		k := i
		for k < len(m) && (isLetter(m[k]) || m[k] == '_') {
			k++
		}
		if k == i || prefixAt(m, k, ": ") < 0 {
			return
		}
		key := m[i:k]
		v := k + 2
		var val []byte
		if byteAt(m, v) == '"' {
			e := quoteEnd(m, v+1)
			if e < 0 {
				return
			}
			val, i = m[v+1:e], e+1
		} else {
			e := bytes.Index(m[v:], []byte(", "))
			if e < 0 {
				e = len(m) - v
			}
			val, i = m[v:v+e], v+e
		}
		switch string(key) {
		case "request":
			h.Method, h.Path = splitRequest(val)
		case "client":
			h.Fields = append(h.Fields, Field{Key: "client", Value: val})
		case "server":
			h.Fields = append(h.Fields, Field{Key: "server", Value: val})
		case "upstream":
			h.Fields = append(h.Fields, Field{Key: "upstream", Value: val})
		case "host":
			h.Fields = append(h.Fields, Field{Key: "host", Value: val})
		}
		if prefixAt(m, i, ", ") < 0 {
			return
		}
		i += 2
	}
}

// apacheErrorHeader reads an Apache error_log line, 2.4 and 2.2 styles:
//
//	[Mon Jan 15 10:23:45.123456 2024] [proxy:error] [pid 1234:tid 5678] [client 1.2.3.4:5678] AH01114: msg
//	[Mon Jan 15 10:23:45 2024] [error] [client 1.2.3.4] File does not exist: /var/www/x
//
// Thread is the "pid ...:tid ..." bracket's contents, the module ("proxy")
// is Logger, and the client is a named Field.
func apacheErrorHeader(line []byte, h *Header) bool {
	t := ctimeAt(line, 1)
	if t < 0 || byteAt(line, t) != ']' || byteAt(line, t+1) != ' ' {
		return false
	}
	in, end := bracketAt(line, t+2, '[', ']')
	if in < 0 {
		return false
	}
	lv := line[in : end-1]
	if c := bytes.LastIndexByte(lv, ':'); c >= 0 {
		h.Logger = lv[:c]
		lv = lv[c+1:]
	}
	l := apacheLevel(lv)
	if l == LevelNone {
		h.Logger = nil
		return false
	}
	i := end
	for byteAt(line, i) == ' ' && byteAt(line, i+1) == '[' {
		in, e := bracketAt(line, i+1, '[', ']')
		if in < 0 {
			break
		}
		v := line[in : e-1]
		switch {
		case prefixAt(v, 0, "pid ") >= 0:
			h.Thread = v
		case prefixAt(v, 0, "client ") >= 0:
			h.Fields = append(h.Fields, Field{Key: "client", Value: v[len("client "):]})
		default:
			// Not one of the brackets Apache writes before the message.
			e = i
		}
		if e == i {
			break
		}
		i = e
	}
	h.Time = line[1:t]
	h.TimeLayout = "Mon Jan _2 15:04:05 2006"
	h.Level = l
	h.Msg = line[skipSpaces(line, i):]
	return true
}

// apacheLevel reads Apache's LogLevel names (trace1 to trace8 included).
func apacheLevel(b []byte) Level {
	if len(b) == 6 && prefixAt(b, 0, "trace") >= 0 && '1' <= b[5] && b[5] <= '8' {
		return LevelTrace
	}
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return LevelNone
		}
	}
	return ParseLevel(b)
}

var weekdays = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// ctimeAt reads "Mon Jan 15 10:23:45[.123456] 2024" at i (the day may be
// padded with a space) and returns its end.
func ctimeAt(b []byte, i int) int {
	if i < 0 || len(b)-i < 24 {
		return -1
	}
	ok := false
	for _, w := range weekdays {
		if string(b[i:i+3]) == w {
			ok = true
			break
		}
	}
	if !ok {
		return -1
	}
	j := byteIs(b, i+3, ' ')
	j = mmmAt(b, j)
	j = byteIs(b, j, ' ')
	j = dayAt(b, j)
	j = byteIs(b, j, ' ')
	j = clockAt(b, j)
	j = byteIs(b, j, ' ')
	return digitsAt(b, j, 4)
}

// dayAt reads a day of the month written with two digits, or padded with a
// space ("15", "05", " 5").
func dayAt(b []byte, i int) int {
	if byteAt(b, i) == ' ' && '1' <= byteAt(b, i+1) && byteAt(b, i+1) <= '9' {
		return i + 2
	}
	if digitsAt(b, i, 2) < 0 || !dayOK(b[i:i+2]) {
		return -1
	}
	return i + 2
}

// dayOK reports whether two digits are a day of the month, 01 to 31.
func dayOK(d []byte) bool {
	n := int(d[0]-'0')*10 + int(d[1]-'0')
	return 1 <= n && n <= 31
}

// mmmAt reads a three-letter English month name at i. (A switch: it is
// called on every line that starts like a syslog line.)
func mmmAt(b []byte, i int) int {
	if i < 0 || len(b)-i < 3 {
		return -1
	}
	switch string(b[i : i+3]) {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return i + 3
	}
	return -1
}
