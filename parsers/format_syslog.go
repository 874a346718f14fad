package parsers

// This file owns format "syslog": the lines syslog daemons write to files and
// send over the network.
//
//	<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick   (RFC 3164)
//	Aug 19 02:14:38 upload sshd[22442]: Connection from 192.168.0.1       (3164, no PRI: a file)
//	2024-01-15T10:23:45.123456+01:00 web1 nginx[88]: ...                   (rsyslog's precise file format)
//	<165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 [id@1 k="v"] msg    (RFC 5424)
//
// Level comes from the PRI's severity when there is one; a line without PRI
// (as files hold them) takes it from a level word at the start of the
// message ("ERROR", "[error]", "<error>", "error:"), or has none. Logger is
// the tag or APP-NAME without its "[pid]"; the host, the pid and the MSGID
// are named Fields. Time is as written.
//
// A line without PRI needs a tag ("sshd[22442]:", "kernel:") after the host,
// except syslogd's own "last message repeated" and "-- MARK --": a time and
// two words are not enough to tell syslog from other text.
//
// An RFC 3164 time has no year. Its TimeLayout is "Jan _2 15:04:05", which
// parses to year 0: the format reads no clock, so the caller (which knows
// when the line was read) picks the year.

func init() { registerFormat("syslog", func() Format { return syslogFormat{} }) }

type syslogFormat struct{}

func (syslogFormat) Name() string { return "syslog" }

// rfc3164Layout parses an RFC 3164 time, leaving the year 0.
const rfc3164Layout = "Jan _2 15:04:05"

func (syslogFormat) Header(line []byte, h *Header) bool {
	if len(line) < 16 {
		return false
	}
	i, pri := 0, -1
	if line[0] == '<' {
		j := numberAt(line, 1, 3)
		if byteAt(line, j) != '>' {
			return false
		}
		pri = 0
		for _, c := range line[1:j] {
			pri = pri*10 + int(c-'0')
		}
		if pri > 191 {
			return false
		}
		i = j + 1
	}
	c := byteAt(line, i)
	switch {
	case isUpper(c):
		return syslog3164(line, i, pri, h)
	case isDigit(c):
		if pri >= 0 && byteIs(line, numberAt(line, i, 3), ' ') >= 0 {
			return syslog5424(line, i, pri, h)
		}
		return syslogISO(line, i, pri, h)
	}
	return false
}

// syslog3164 reads "Oct 11 22:14:15 host tag[pid]: msg" at i.
func syslog3164(line []byte, i, pri int, h *Header) bool {
	if byteAt(line, i+3) != ' ' {
		return false
	}
	j := mmmAt(line, i)
	j = byteIs(line, j, ' ')
	j = dayAt(line, j)
	j = byteIs(line, j, ' ')
	t := clockAt(line, j)
	if t < 0 || byteAt(line, t) != ' ' {
		return false
	}
	if !syslogBody(line, t+1, pri, pri < 0, h) {
		return false
	}
	h.Time = line[i:t]
	h.TimeLayout = rfc3164Layout
	return true
}

// syslogISO reads "2024-01-15T10:23:45.123456+01:00 host tag[pid]: msg" at i,
// as rsyslog's RSYSLOG_FileFormat writes it.
func syslogISO(line []byte, i, pri int, h *Header) bool {
	e, layout := scanStamp(line, i)
	if e < 0 || byteAt(line, i+10) != 'T' || !stampHasZone(layout) || byteAt(line, e) != ' ' {
		return false
	}
	if !syslogBody(line, e+1, pri, pri < 0, h) {
		return false
	}
	h.Time = line[i:e]
	h.TimeLayout = layout
	return true
}

// syslogBody reads "host tag[pid]: msg" at i and sets the level. The host
// may be missing. The tag may be missing too when needTag is false (a line
// with PRI, which is syslog for sure) or in the lines syslogd writes itself:
// a file's line needs it, or any "Dec 14 06:41:08 Exception in thread ..."
// would read as a line from host "Exception".
func syslogBody(line []byte, i, pri int, needTag bool, h *Header) bool {
	var host, tag, pid []byte
	msg := -1
	hostEnd := wordEnd(line, i)
	if hostEnd > i && isHostname(line[i:hostEnd]) && byteAt(line, hostEnd) == ' ' {
		host = line[i:hostEnd]
		if tag, pid, msg = syslogTagAt(line, hostEnd+1); msg < 0 && (!needTag || syslogdOwn(line, hostEnd+1)) {
			msg = hostEnd + 1
		}
	} else {
		tag, pid, msg = syslogTagAt(line, i)
	}
	if msg < 0 {
		return false
	}
	h.Logger = tag
	if host != nil {
		h.Fields = append(h.Fields, Field{Key: "host", Value: host})
	}
	if pid != nil {
		h.Fields = append(h.Fields, Field{Key: "pid", Value: pid})
	}
	h.Msg = line[msg:]
	if pri >= 0 {
		h.Level = syslogSeverity(pri % 8)
	} else {
		h.Level = msgLevelAt(line, msg)
	}
	return true
}

// syslogdOwn reports whether the message at i is one syslog daemons write
// without a tag.
func syslogdOwn(line []byte, i int) bool {
	return prefixAt(line, i, "last message repeated ") >= 0 || prefixAt(line, i, "-- MARK --") >= 0
}

// isHostname reports whether b reads as a host name or address.
func isHostname(b []byte) bool {
	if len(b) > 255 {
		return false
	}
	for _, c := range b {
		if !isLetter(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' && c != ':' {
			return false
		}
	}
	return b[len(b)-1] != ':'
}

// syslogTagAt reads "tag[pid]: " or "tag: " at i and returns the tag, the
// pid and the start of the message, or -1.
func syslogTagAt(line []byte, i int) (tag, pid []byte, msg int) {
	j := i
	for j < len(line) && j-i <= 48 {
		c := line[j]
		if c <= ' ' || c == ':' || c == '[' || c == ']' || c >= 0x7f {
			break
		}
		j++
	}
	if j == i || j-i > 48 {
		return nil, nil, -1
	}
	tag = line[i:j]
	if byteAt(line, j) == '[' {
		k := j + 1
		for k < len(line) && k-j <= 32 && line[k] > ' ' && line[k] < 0x7f && line[k] != ']' {
			k++
		}
		if k == j+1 || byteAt(line, k) != ']' {
			return nil, nil, -1
		}
		pid = line[j+1 : k]
		j = k + 1
	}
	j = byteIs(line, j, ':')
	if j < 0 {
		return nil, nil, -1
	}
	if byteAt(line, j) == ' ' {
		j++
	} else if j < len(line) {
		// "tag:value" is a word with a colon in it, not a tag.
		return nil, nil, -1
	}
	return tag, pid, j
}

// syslog5424 reads an RFC 5424 line from its VERSION at i:
//
//	VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]
//
// where each of the five may be the NILVALUE "-", SD is "-" or bracketed
// elements with quoted, escaped values, and MSG may start with a BOM.
func syslog5424(line []byte, i, pri int, h *Header) bool {
	j := byteIs(line, numberAt(line, i, 3), ' ')
	var ts []byte
	layout := ""
	if byteAt(line, j) == '-' {
		j++
	} else {
		e, l := scanStamp(line, j)
		if e < 0 || byteAt(line, j+10) != 'T' {
			return false
		}
		ts, layout, j = line[j:e], l, e
	}
	j = byteIs(line, j, ' ')
	host, j := sdName(line, j, 255)
	app, j := sdName(line, j, 48)
	procid, j := sdName(line, j, 128)
	msgid, j := sdName(line, j, 32)
	switch byteAt(line, j) {
	case '-':
		j++
	case '[':
		j = sdEnd(line, j)
	default:
		return false
	}
	if j < 0 {
		return false
	}
	if j < len(line) {
		if line[j] != ' ' {
			return false
		}
		j++
		if prefixAt(line, j, "\xef\xbb\xbf") >= 0 {
			j += 3
		}
	}
	h.Time, h.TimeLayout = ts, layout
	h.Level = syslogSeverity(pri % 8)
	h.Logger = app
	h.Msg = line[j:]
	if host != nil {
		h.Fields = append(h.Fields, Field{Key: "host", Value: host})
	}
	if procid != nil {
		h.Fields = append(h.Fields, Field{Key: "pid", Value: procid})
	}
	if msgid != nil {
		h.Fields = append(h.Fields, Field{Key: "msgid", Value: msgid})
	}
	return true
}

// sdName reads an RFC 5424 header field of printable ASCII at i, followed by
// a space, and returns it (nil for "-") and the index after the space.
func sdName(b []byte, i, max int) ([]byte, int) {
	if i < 0 {
		return nil, -1
	}
	j := i
	for j < len(b) && b[j] > ' ' && b[j] < 0x7f {
		j++
	}
	if j == i || j-i > max || byteAt(b, j) != ' ' {
		return nil, -1
	}
	if j-i == 1 && b[i] == '-' {
		return nil, j + 1
	}
	return b[i:j], j + 1
}

// sdEnd reads one or more structured-data elements ("[id k="v" ...]") at i
// and returns their end. Inside a value '"', '\' and ']' are escaped with a
// backslash.
func sdEnd(b []byte, i int) int {
	for byteAt(b, i) == '[' {
		j := i + 1
		for {
			if j >= len(b) {
				return -1
			}
			c := b[j]
			if c == '"' {
				e := quoteEnd(b, j+1)
				if e < 0 {
					return -1
				}
				j = e + 1
				continue
			}
			j++
			if c == ']' {
				break
			}
		}
		if j == i+2 {
			return -1 // "[]" is no element
		}
		i = j
	}
	return i
}

// msgLevelAt reads a level word at the start of a message: "[error]",
// "<warning>", "(info)", "ERROR ", "error:" (a lower-case word needs the
// colon: "error reading" is prose).
func msgLevelAt(b []byte, i int) Level {
	var close byte
	switch byteAt(b, i) {
	case '[':
		close = ']'
	case '<':
		close = '>'
	case '(':
		close = ')'
	}
	if close != 0 {
		if l, e := levelWordAt(b, i+1); e >= 0 && byteAt(b, e) == close {
			return l
		}
		return LevelNone
	}
	l, e := levelWordAt(b, i)
	if e < 0 {
		return LevelNone
	}
	switch byteAt(b, e) {
	case ':':
		return l
	case ' ', 0:
		if _, ue := upperLevelAt(b, i); ue == e {
			return l
		}
	}
	return LevelNone
}
