package traces

// The Detector is a small state machine over lines. In each state it knows
// which lines continue the trace it follows; any other line ends the trace
// and is classified afresh as a possible start. An ordinary line costs a
// switch on its first byte, checks of its last bytes and two byte searches
// for the capitals that open Exception, Error, Throwable and Traceback (see
// start and keyword); the colon scan runs only when one is there.

type state uint8

const (
	stNone     state = iota
	stAt             // Java, JS, .NET: exception line(s), then "at" frames
	stNested         // Java: after "nested exception is:", the exception line
	stBlock          // Node: inside the { ... } of an inspected error
	stNodeLoc        // Node: source and caret lines above an uncaught error
	stPy             // Python: traceback frames
	stPyExc          // Python: after the exception line
	stPyChain        // Python: after "During handling ...", before Traceback
	stPyGroup        // Python: an exception group's box
	stGoHead         // Go: panic or fatal error lines above the goroutines
	stGo             // Go: goroutine blocks
	stRuby           // Ruby and Rails frames
	stPHP            // PHP: Stack trace: and #N frames
	stDartHead       // Dart: message lines after "Unhandled exception:"
	stDart           // Dart: #N frames
	stFlutter        // Flutter: an "EXCEPTION CAUGHT BY" box
	stRustMsg        // Rust: message and note lines after "panicked at"
	stRust           // Rust: stack backtrace
)

// Bounds on the lines the detector holds or accepts on faith.
const (
	maxBlankHold  = 4     // blank lines between parts of one trace
	maxMsgHold    = 20    // message lines between an exception and its first frame
	maxLocHold    = 6     // Node's source and caret lines above an error
	maxDartMsg    = 32    // Dart message lines before the first frame
	maxFlutter    = 10000 // lines in one Flutter box
	maxBlockDepth = 64    // nesting of Node's inspected objects
)

// Detector follows headerless text line by line and decides which lines
// form a stack trace. The zero Detector is ready to use. It holds no
// references to the lines it is fed.
type Detector struct {
	st     state
	lang   string // what Language reports: set on Continue
	cur    string // language of the trace being followed
	sure   bool   // cur comes from a frame's shape, not a guess
	frames bool   // stAt: a frame was seen since the last exception line
	strong bool   // stAt: message lines may come before the first frame; stRustMsg: the message line is due
	n      int    // lines held, or accepted, in the current phase
	depth  int    // stBlock: brace depth
}

// Feed classifies the next line (without its newline).
func (d *Detector) Feed(line []byte) Verdict {
	line = trimCR(line)
	if d.st != stNone {
		switch d.follow(line) {
		case Continue:
			d.lang = d.cur
			return Continue
		case Hold:
			return Hold
		}
	}
	d.begin(line)
	return New
}

// Language is the language of the trace the current record holds, "" when
// the current record is not (yet) a trace of more than its first line.
func (d *Detector) Language() string { return d.lang }

// Reset forgets the current record, as at the start of a file.
func (d *Detector) Reset() { *d = Detector{} }

// hold holds a line unless max lines are held already.
func (d *Detector) hold(max int) Verdict {
	if d.n >= max {
		return New
	}
	d.n++
	return Hold
}

// begin starts a new record with line.
func (d *Detector) begin(line []byte) {
	*d = Detector{}
	k, lang, strong := start(line)
	d.cur = lang
	switch k {
	case kTyped:
		d.st, d.strong = stAt, strong
	case kHeader:
		d.st = stAt
	case kAtFrame:
		d.st, d.sure, d.frames = stAt, true, true
		if hasSuffix(line, " {") {
			d.st, d.depth = stBlock, 1
		}
	case kPHP:
		d.st, d.strong = stAt, strong
	case kPyStart, kPyFrame:
		d.st = stPy
	case kPyGroup:
		d.st = stPyGroup
	case kGoPanic:
		d.st = stGoHead
	case kGoroutine:
		d.st = stGo
	case kRust:
		d.st, d.strong = stRustMsg, true
	case kRustOld:
		d.st = stRustMsg
	case kDart:
		d.st = stDartHead
	case kFlutter:
		d.st = stFlutter
	case kHashPHP:
		d.st = stPHP
	case kHashDart:
		d.st = stDart
	case kRuby:
		d.st = stRuby
	case kNodeLoc:
		d.st = stNodeLoc
	}
}

// follow returns Continue or Hold when line belongs to the trace in
// progress, New when it does not.
func (d *Detector) follow(line []byte) Verdict {
	switch d.st {
	case stAt:
		return d.followAt(line)
	case stNested:
		if isBlank(line) {
			return d.hold(maxBlankHold)
		}
		d.st, d.frames, d.strong, d.n = stAt, false, true, 0
		return Continue
	case stBlock:
		return d.followBlock(line)
	case stNodeLoc:
		if k, _, _ := start(line); k == kTyped {
			d.st, d.frames, d.strong, d.n = stAt, false, false, 0
			d.cur, d.sure = langJS, true
			return Continue
		} else if k != kNone {
			return New
		}
		if len(line) > 0 && line[0] == '[' && hasSuffix(line, "] {") {
			// "[UnhandledPromiseRejection: ...] {" and its properties.
			d.st, d.depth, d.frames, d.n = stBlock, 1, true, 0
			d.cur, d.sure = langJS, true
			return Continue
		}
		return d.hold(maxLocHold)
	case stPy:
		if isBlank(line) {
			return New
		}
		if indented(line) {
			switch t := trimLeft(line); {
			case t[0] == '+' || t[0] == '|':
				d.st = stPyGroup
			case numberedFrame(t) && isRubyFrame(t):
				// Ruby 2.5 to 2.7 print "Traceback" and their frames
				// in reverse: "\t2: from app.rb:7:in `<main>'".
				d.st, d.cur = stRuby, langRuby
			}
			return Continue
		}
		if strongLine(line) {
			return New
		}
		// The first unindented line after the frames is the exception.
		d.st, d.n = stPyExc, 0
		return Continue
	case stPyExc:
		if isBlank(line) {
			return d.hold(maxBlankHold)
		}
		if pyChainLine(line) {
			d.st, d.n = stPyChain, 0
			return Continue
		}
		return New
	case stPyChain:
		if isBlank(line) {
			return d.hold(maxBlankHold)
		}
		if hasPrefix(line, "Traceback (most recent call last):") {
			d.st, d.n = stPy, 0
			return Continue
		}
		if hasPrefix(trimLeft(line), "+ Exception Group Traceback (most recent call last):") {
			d.st, d.n = stPyGroup, 0
			return Continue
		}
		return New
	case stPyGroup:
		if isBlank(line) {
			return d.hold(maxBlankHold)
		}
		if pyChainLine(line) {
			d.st, d.n = stPyChain, 0
			return Continue
		}
		if indented(line) {
			d.n = 0
			return Continue
		}
		return New
	case stGoHead:
		return d.followGoHead(line)
	case stGo:
		return d.followGo(line)
	case stRuby:
		if isBlank(line) {
			return d.hold(2)
		}
		if isRubyFrame(line) || rubyStart(trimRight(line)) {
			d.n = 0
			return Continue
		}
		if t := trimLeft(line); hasPrefix(t, "... ") && contains(t, " levels") {
			return Continue
		}
		return New
	case stPHP:
		if isBlank(line) {
			return d.hold(maxBlankHold)
		}
		t := trimLeft(line)
		switch {
		case hasPrefix(line, "Stack trace:") || hasPrefix(line, "PHP Stack trace:") ||
			hashFrame(line) == langPHP || hasPrefix(line, "Next ") || xdebugFrame(line):
			d.n = 0
			return Continue
		case hasPrefix(t, "thrown in "):
			d.st = stNone
			return Continue
		}
		return New
	case stDartHead:
		if hashFrame(line) == langDart {
			d.st, d.n = stDart, 0
			return Continue
		}
		if strongLine(line) {
			return New
		}
		return d.hold(maxDartMsg)
	case stDart:
		if hashFrame(line) == langDart {
			return Continue
		}
		if t := trim(line); string(t) == "<asynchronous suspension>" || hasPrefix(t, "(elided ") {
			return Continue
		}
		return New
	case stFlutter:
		d.n++
		if d.n > maxFlutter {
			return New
		}
		if flutterRule(line) {
			d.st = stNone
		}
		return Continue
	case stRustMsg:
		switch {
		case hasPrefix(line, "stack backtrace:"):
			d.st, d.n = stRust, 0
			return Continue
		case hasPrefix(line, "note: "):
			d.strong, d.frames, d.n = false, true, 0
			return Continue
		case d.strong:
			d.strong = false
			return Continue
		case d.frames || strongLine(line):
			return New
		}
		return d.hold(maxMsgHold)
	case stRust:
		t := trimLeft(line)
		if indented(line) && (numberedFrame(t) || hasPrefix(t, "at ")) || hasPrefix(line, "note: ") {
			return Continue
		}
		return New
	}
	return New
}

// followAt follows Java, JavaScript and .NET traces, which share the "at"
// frame and differ in their other lines.
func (d *Detector) followAt(line []byte) Verdict {
	t := trimLeft(line)
	if len(t) == 0 {
		if d.strong && !d.frames {
			return d.hold(maxMsgHold)
		}
		return d.hold(maxBlankHold)
	}
	ind := len(t) < len(line)
	if ind {
		if rest, ok := atRest(t); ok && frameLike(rest) {
			d.frames, d.n = true, 0
			if !d.sure {
				if lang, sure := atFrameLang(rest); sure {
					d.cur, d.sure = lang, true
				} else if d.cur == "" {
					d.cur = langJS // Java and .NET frames always have a location
				}
			}
			if hasSuffix(t, " {") {
				d.st, d.depth = stBlock, 1
			}
			return Continue
		}
		if hasPrefix(t, "... ") && (contains(t, " more") || contains(t, " omitted") || contains(t, " matching ")) {
			d.n = 0
			if d.cur == "" {
				d.cur = langJava
				if contains(t, " matching ") {
					d.cur = langJS // "... 6 lines matching cause stack trace ..."
				}
			}
			return Continue
		}
		if hasPrefix(t, "Suppressed: ") {
			d.frames, d.strong, d.n = false, true, 0
			d.setCur(langJava)
			return Continue
		}
	}
	switch {
	case hasPrefix(t, "Caused by:") || hasPrefix(t, "Wrapped by:"):
		d.frames, d.strong, d.n = false, true, 0
		d.setCur(langJava)
		return Continue
	case hasPrefix(t, "--- End of ") || hasPrefix(t, "<---"):
		d.n = 0
		d.setCur(langDotnet)
		return Continue
	case hasPrefix(t, "---> "):
		d.frames, d.strong, d.n = false, true, 0
		d.setCur(langDotnet)
		return Continue
	case string(trimRight(t)) == "nested exception is:":
		d.st, d.n = stNested, 0
		d.setCur(langJava)
		return Continue
	case d.frames && hasPrefix(line, "Node.js v"):
		d.st = stNone
		return Continue
	}
	if d.frames {
		return New
	}
	// Before the first frame: the frames of PHP and Dart follow an
	// exception line too.
	switch {
	case hasPrefix(line, "Stack trace:") || hasPrefix(line, "PHP Stack trace:"):
		d.st, d.cur, d.sure, d.n = stPHP, langPHP, true, 0
		return Continue
	case line[0] == '#':
		switch hashFrame(line) {
		case langPHP:
			d.st, d.cur, d.sure, d.n = stPHP, langPHP, true, 0
			return Continue
		case langDart:
			d.st, d.cur, d.sure, d.n = stDart, langDart, true, 0
			return Continue
		}
	}
	if !d.strong {
		return New
	}
	if k, _, _ := start(line); k != kNone {
		return New
	}
	return d.hold(maxMsgHold)
}

// setCur sets the language unless a frame has decided it.
func (d *Detector) setCur(lang string) {
	if !d.sure {
		d.cur, d.sure = lang, true
	}
}

// followBlock follows the { ... } Node prints after a trace to show an
// error's properties and causes ([cause]: Error: ..., [errors]: [ ... ]).
func (d *Detector) followBlock(line []byte) Verdict {
	t := trim(line)
	if len(t) == 0 {
		return New
	}
	if t[0] == '}' || t[0] == ']' {
		d.depth--
		if d.depth <= 0 {
			d.st, d.frames, d.n = stAt, true, 0
		}
		return Continue
	}
	if !indented(line) {
		return New
	}
	if c := t[len(t)-1]; (c == '{' || c == '[') && d.depth < maxBlockDepth {
		d.depth++
	}
	return Continue
}

func (d *Detector) followGoHead(line []byte) Verdict {
	if isBlank(line) {
		return d.hold(maxMsgHold)
	}
	if goroutineHeader(line) || hasPrefix(line, "runtime stack:") {
		d.st, d.n = stGo, 0
		return Continue
	}
	if hasPrefix(line, "[signal ") || hasPrefix(line, "SIGQUIT: ") || hasPrefix(line, "PC=") ||
		indented(line) && hasPrefix(trimLeft(line), "panic: ") {
		d.n = 0
		return Continue
	}
	if k, _, _ := start(line); k != kNone {
		return New
	}
	// A panic message of several lines.
	return d.hold(maxMsgHold)
}

func (d *Detector) followGo(line []byte) Verdict {
	if isBlank(line) {
		return d.hold(maxBlankHold)
	}
	if indented(line) || goroutineHeader(line) || goFuncLine(line) ||
		hasPrefix(line, "created by ") || hasPrefix(line, "...additional frames elided...") ||
		hasPrefix(line, "runtime stack:") {
		d.n = 0
		return Continue
	}
	if hasPrefix(line, "exit status ") {
		d.st = stNone
		return Continue
	}
	return New
}

// strongLine reports a line that starts a trace of its own even where a
// trace is in progress.
func strongLine(line []byte) bool {
	return StrongStart(line) || hasPrefix(line, "Traceback (most recent call last):")
}

// xdebugFrame recognises Xdebug's "PHP   1. {main}() /p/x.php:0".
func xdebugFrame(line []byte) bool {
	if !hasPrefix(line, "PHP ") {
		return false
	}
	t := trimLeft(line[4:])
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i > 0 && i < len(t) && t[i] == '.'
}

// StrongStart reports whether line starts a trace that never belongs to the
// record above it even in a log with record headers: a Go "panic:" or
// "fatal error:", a Rust "thread '...' panicked at", a Dart "Unhandled
// exception:", the JVM's `Exception in thread "main"`. Other Java and
// Python traces do belong to the record that logged them and are not
// strong starts.
func StrongStart(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'p':
		return hasPrefix(line, "panic: ")
	case 'f':
		return hasPrefix(line, "fatal error: ")
	case 't':
		return rustPanic(line) != kNone
	case 'U':
		return dartStart(line)
	case 'E':
		// The JVM's uncaught-exception handler, never a logger's record.
		return hasPrefix(line, "Exception in thread \"")
	}
	return false
}
