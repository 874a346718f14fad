package parsers

// This file owns the "rails" header format: Ruby's Logger::Formatter, which
// Rails production logs use:
//
//	I, [2024-01-15T10:23:45.123456 #1234]  INFO -- : [req-id] Started GET "/x"
//	E, [2024-01-15T10:23:45.123456 #1234] ERROR -- app: msg
//
// Framing of errors. Rails 6.1 and later log an exception as one FATAL
// message whose lines after the first are printed bare, each prefixed with
// the request's tags:
//
//	F, [... #1234] FATAL -- : [req-id]
//	[req-id] NoMethodError (undefined method `name' for nil):
//	[req-id] app/controllers/users_controller.rb:5:in `show'
//
// Those bare lines are not headers, so the exception and its frames continue
// the FATAL record. Rails 5 and earlier, and apps that log a backtrace line
// by line, print a header on every line instead. So that a trace is still one
// record, a header at ERROR or above continues the record in progress,
// instead of starting one, when that record was started by an ERROR-or-above
// header of the same process and tags, and the new line's message (after the
// tags) is blank, a Ruby frame ("x.rb:5:in `y'"), or an exception line
// ("Name (message):"). Any other header ends that run. This makes the format
// stateful: each Parser makes its own.

func init() {
	registerFormat("rails", func() Format { return &railsFormat{} })
}

type railsFormat struct {
	// The error run: the last header started a record at ERROR or above;
	// pid and tags identify its process and request.
	inRun       bool
	pid         [20]byte
	pidN        int
	tags        [64]byte
	tagsN       int // length of the whole tags text, which may exceed tags
	tagsPrefixN int
}

func (*railsFormat) Name() string { return "rails" }

func (f *railsFormat) Header(line []byte, h *Header) bool {
	c := byteAt(line, 0)
	if c < 'A' || c > 'W' || byteAt(line, 1) != ',' || byteAt(line, 2) != ' ' || byteAt(line, 3) != '[' {
		return false
	}
	e, layout := scanStamp(line, 4)
	if e < 0 || byteAt(line, 6) == ':' {
		return false // a time alone is not what Logger prints
	}
	p := prefixAt(line, e, " #")
	pe := numberAt(line, p, 20)
	le := byteIs(line, pe, ']')
	le = spacesAt(line, le)
	if le < 0 {
		return false
	}
	we := letterRun(line, le)
	var l Level
	switch string(line[le:we]) {
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
	case "ANY":
	default:
		return false
	}
	if line[le] != c {
		return false
	}
	// " -- progname: msg"; progname is often empty.
	g := prefixAt(line, we, " -- ")
	if g < 0 {
		return false
	}
	colon := -1
	for k := g; k < len(line) && k-g < maxBracket; k++ {
		if line[k] == ':' && (k+1 == len(line) || line[k+1] == ' ') {
			colon = k
			break
		}
	}
	if colon < 0 {
		return false
	}
	m := colon + 1
	if m < len(line) {
		m++
	}
	msg := line[m:]
	tagsEnd := railsTags(msg)
	pid := line[p:pe]
	if l >= LevelError && f.inRun && f.sameRun(pid, msg[:tagsEnd]) && railsTraceLine(msg[tagsEnd:]) {
		return false
	}
	f.inRun = l >= LevelError
	if f.inRun {
		f.pidN = copy(f.pid[:], pid)
		f.tagsPrefixN = copy(f.tags[:], msg[:tagsEnd])
		f.tagsN = tagsEnd
	}
	h.Level = l
	h.Time, h.TimeLayout = line[4:e], layout
	h.Logger = trimSpaces(line[g:colon])
	h.Msg = msg
	return true
}

// sameRun reports whether pid and tags are those of the error run.
func (f *railsFormat) sameRun(pid, tags []byte) bool {
	if len(pid) != f.pidN || string(pid) != string(f.pid[:f.pidN]) || len(tags) != f.tagsN {
		return false
	}
	return string(tags[:f.tagsPrefixN]) == string(f.tags[:f.tagsPrefixN])
}

// railsTags returns the end of the "[tag] [tag] " prefix of a message that
// ActiveSupport::TaggedLogging adds.
func railsTags(msg []byte) int {
	i := 0
	for byteAt(msg, i) == '[' {
		_, end := bracketAt(msg, i, '[', ']')
		if end < 0 || byteAt(msg, end) != ' ' {
			break
		}
		i = end + 1
	}
	return i
}

// railsTraceLine reports whether a message (tags removed) is a line of an
// exception report: blank, a Ruby frame or "Name (message):".
func railsTraceLine(b []byte) bool {
	if isBlank(b) || isRubyFrame(b) {
		return true
	}
	// "NoMethodError (undefined method ...):" or
	// "ActionController::RoutingError (No route matches [GET] \"/x\"):".
	i := 0
	for i < len(b) && (isLetter(b[i]) || isDigit(b[i]) || b[i] == '_' || b[i] == ':') {
		i++
	}
	if i == 0 || !isUpper(b[0]) || prefixAt(b, i, " (") < 0 {
		return false
	}
	n := len(b)
	return n >= 2 && b[n-2] == ')' && b[n-1] == ':'
}

// isRubyFrame reports whether b is a backtrace line: "path.rb:5:in `name'"
// or "path.rb:5:in 'Class#name'" (Ruby 3.4), possibly indented.
func isRubyFrame(b []byte) bool {
	i := skipSpaces(b, 0)
	lim := min(len(b), i+1024)
	for k := i; k+4 < lim; k++ {
		if b[k] != ':' || !isDigit(b[k+1]) {
			continue
		}
		j := k + 1
		for j < lim && isDigit(b[j]) {
			j++
		}
		if prefixAt(b, j, ":in ") >= 0 {
			return k > i
		}
	}
	return false
}
