package traces

import "bytes"

// Recognisers for the lines that start a trace and for the frame shapes of
// each language. They are shared by the Detector (which must stay cheap on
// ordinary lines) and by Analyze. None of them allocates.

// Language names reported by Detector.Language and Trace.Language.
const (
	langJava   = "java"
	langPython = "python"
	langGo     = "go"
	langJS     = "js"
	langRuby   = "ruby"
	langPHP    = "php"
	langDotnet = "dotnet"
	langDart   = "dart"
	langRust   = "rust"
)

// knownLanguage reports whether s is one of the names above.
func knownLanguage(s string) bool {
	switch s {
	case langJava, langPython, langGo, langJS, langRuby, langPHP, langDotnet, langDart, langRust:
		return true
	}
	return false
}

// kind is what a line that may start a trace looks like.
type kind uint8

const (
	kNone      kind = iota
	kTyped          // an exception line: "Type: message" or a bare type
	kHeader         // a line announcing a stack trace ("... stack trace")
	kAtFrame        // an "at" frame with no exception line above it
	kPyStart        // Traceback (most recent call last):
	kPyGroup        // + Exception Group Traceback (most recent call last):
	kPyFrame        // a Python "File" line with no Traceback above it
	kGoPanic        // panic:, fatal error:, http: panic serving
	kGoroutine      // goroutine 1 [running]:
	kRust           // thread 'main' panicked at src/main.rs:2:5:
	kRustOld        // thread 'main' panicked at 'msg', src/main.rs:2:5
	kDart           // Unhandled exception:
	kFlutter        // ══╡ EXCEPTION CAUGHT BY ... ╞══
	kPHP            // PHP Fatal error: ..., exception 'X' with message '...'
	kHashPHP        // #0 /p/x.php(9): f()
	kHashDart       // #0      main (file:///x.dart:1:2)
	kRuby           // app.rb:3:in 'f': msg (E), or Rails " NoMethodError (...):"
	kNodeLoc        // /app/x.js:12 (Node prints it above an uncaught error)
)

// start classifies line as the possible first line of a trace. For kTyped,
// lang is a guess from the exception type and strong reports that lines of
// a multi-line message may follow before the first frame.
func start(line []byte) (k kind, lang string, strong bool) {
	if len(line) == 0 {
		return kNone, "", false
	}
	switch c := line[0]; c {
	case ' ', '\t':
		if k, lang := indentedStart(line); k != kNone {
			return k, lang, false
		}
	case 'p':
		if hasPrefix(line, "panic: ") {
			return kGoPanic, langGo, true
		}
	case 'f':
		if hasPrefix(line, "fatal error: ") {
			return kGoPanic, langGo, true
		}
		if nodeLoc(line) {
			return kNodeLoc, langJS, false
		}
	case 't':
		if r := rustPanic(line); r != kNone {
			return r, langRust, true
		}
	case 'U':
		if dartStart(line) {
			return kDart, langDart, true
		}
	case 'T':
		if hasPrefix(line, "Traceback (most recent call last):") {
			return kPyStart, langPython, true
		}
	case 'g':
		if goroutineHeader(line) {
			return kGoroutine, langGo, true
		}
	case 0xE2:
		if flutterStart(line) {
			return kFlutter, langDart, true
		}
	case 'P':
		if hasPrefix(line, "PHP Stack trace:") {
			return kHashPHP, langPHP, false // Xdebug's frames follow
		}
		if phpStart(line) {
			// Warnings and notices have no trace below them.
			return kPHP, langPHP, hasPrefix(line, "PHP Fatal error:")
		}
	case 'e':
		if phpOldStart(line) {
			return kPHP, langPHP, true
		}
	case '#':
		if len(line) > 2 && line[1] == '0' && line[2] == ' ' {
			switch hashFrame(line) {
			case langPHP:
				return kHashPHP, langPHP, false
			case langDart:
				return kHashDart, langDart, false
			}
		}
	case '/', 'n':
		if nodeLoc(line) {
			return kNodeLoc, langJS, false
		}
	}
	return generalStart(line)
}

// generalStart finds the starts that may follow a log prefix: exception
// lines, Python's Traceback, Go's http panic, Ruby's and Rails' exception
// lines.
func generalStart(line []byte) (kind, string, bool) {
	t := trimRight(line)
	if len(t) < 3 {
		return kNone, "", false
	}
	switch t[len(t)-1] {
	case ')':
		if rubyStart(t) {
			return kRuby, langRuby, false
		}
	case ':':
		if t[len(t)-2] == ')' && railsStart(t) {
			return kRuby, langRuby, false
		}
	}
	var k kind
	var s, e int
	switch {
	case keyword(t) || qualifiedStart(t):
		k, s, e = scanColons(t)
	case httpPanic(t):
		k = kGoPanic
	}
	switch k {
	case kTyped:
		lang, strong := typedHint(t, s, e)
		return kTyped, lang, strong
	case kPyStart:
		return kPyStart, langPython, true
	case kGoPanic:
		return kGoPanic, langGo, true
	}
	if stackHeader(t) {
		return kHeader, "", false
	}
	return kNone, "", false
}

// keyword reports whether line holds Exception, Error, Throwable or
// Traceback: every line scanColons accepts does, but for one that opens
// with a qualified class name (see qualifiedStart). It looks only at the
// capitals E and T, rare in ordinary lines, so that those cost two fast
// byte searches.
func keyword(line []byte) bool {
	for i := 0; i < len(line); {
		j := bytes.IndexByte(line[i:], 'E')
		if j < 0 {
			break
		}
		i += j
		if hasPrefix(line[i:], "Exception") || hasPrefix(line[i:], "Error") {
			return true
		}
		i++
	}
	for i := 0; i < len(line); {
		j := bytes.IndexByte(line[i:], 'T')
		if j < 0 {
			break
		}
		i += j
		if hasPrefix(line[i:], "Throwable") || hasPrefix(line[i:], "Traceback") {
			return true
		}
		i++
	}
	return false
}

// qualifiedStart reports a line that starts with a qualified class name and
// a colon, "org.junit.ComparisonFailure: expected", which scanColons takes
// for an exception line.
func qualifiedStart(line []byte) bool {
	t := trimLeft(line)
	if len(t) == 0 || !isLower(t[0]) {
		return false
	}
	i := 0
	for i < len(t) && (isIdent(t[i]) || t[i] == '.') {
		i++
	}
	return i < len(t) && t[i] == ':' && typeName(t[:i], true)
}

// httpPanic recognises net/http's "http: panic serving 10.0.0.1:1234: ...",
// at the start of the line or after the prefix of Go's log package
// ("2009/01/23 01:23:23[.123456] [file.go:12: ]").
func httpPanic(line []byte) bool {
	const msg = "http: panic serving "
	if hasPrefix(line, msg) {
		return true
	}
	if len(line) < 20+len(msg) || !isDigit(line[0]) || line[4] != '/' || line[10] != ' ' || line[13] != ':' {
		return false
	}
	i := 19
	if line[i] == '.' {
		i++
		for i < len(line) && isDigit(line[i]) {
			i++
		}
	}
	if i >= len(line) || line[i] != ' ' {
		return false
	}
	rest := line[i+1:]
	if hasPrefix(rest, msg) {
		return true
	}
	// Lshortfile or Llongfile: "server.go:3195: ".
	sp := bytes.IndexByte(rest, ' ')
	return sp > 2 && rest[sp-1] == ':' && hasPrefix(rest[sp+1:], msg)
}

// indentedStart recognises the frames that start a trace when the exception
// line above them was not seen (a file read from its middle, a log format
// that puts the frames on lines of their own).
func indentedStart(line []byte) (kind, string) {
	t := trimLeft(line)
	if len(t) == 0 {
		return kNone, ""
	}
	switch t[0] {
	case 'a', 'e':
		if rest, ok := atRest(t); ok && frameLike(rest) {
			if lang, sure := atFrameLang(rest); sure {
				return kAtFrame, lang
			}
		}
	case 'F':
		if pyFileLine(t) {
			return kPyFrame, langPython
		}
	case '+':
		if hasPrefix(t, "+ Exception Group Traceback (most recent call last):") {
			return kPyGroup, langPython
		}
	case 'f':
		if hasPrefix(t, "from ") && isRubyFrame(t) {
			return kRuby, langRuby
		}
	}
	return kNone, ""
}

// scanColons looks at every colon that ends a word ("X: " or a colon at the
// end of the line) for an exception type, Python's Traceback header or Go's
// "http: panic serving", and at the line's last word for a bare exception
// type. It returns the first exception type's bounds.
func scanColons(line []byte) (k kind, s, e int) {
	lead := len(line) - len(trimLeft(line))
	for i := 0; i < len(line); {
		j := bytes.IndexByte(line[i:], ':')
		if j < 0 {
			break
		}
		c := i + j
		i = c + 1
		if c+1 < len(line) && !isSpace(line[c+1]) {
			continue
		}
		if c == 0 {
			continue
		}
		end := c
		switch line[c-1] {
		case ')':
			if c+1 == len(line) && hasSuffix(line[:c+1], "Traceback (most recent call last):") {
				return kPyStart, 0, 0
			}
			// .NET: "SqlException (0x80131904): message".
			k := c - 2
			for k > 0 && c-k < 24 && line[k] != '(' {
				k--
			}
			if k < 2 || line[k] != '(' || line[k-1] != ' ' || !hasPrefix(line[k+1:c], "0x") {
				continue
			}
			end = k - 1
		case 'p':
			if hasSuffix(line[:c], "http") && hasPrefix(line[c+1:], " panic serving ") {
				return kGoPanic, 0, 0
			}
		}
		if line[end-1] == ']' {
			// Node: "Error [ERR_HTTP_HEADERS_SENT]: message".
			k := end - 2
			for k > 0 && end-k < 64 && line[k] != '[' && line[k] != ' ' {
				k--
			}
			if k > 1 && line[k] == '[' && line[k-1] == ' ' {
				end = k - 1
			}
		}
		st := end
		for st > 0 && (isIdent(line[st-1]) || line[st-1] == '.') {
			st--
		}
		if st < end && typeName(line[st:end], st == lead) {
			return kTyped, st, end
		}
	}
	// A line that ends with a type: a bare "Error", "Caused by: x.FooException",
	// "Exception in thread "main" java.lang.StackOverflowError".
	st := len(line)
	for st > 0 && (isIdent(line[st-1]) || line[st-1] == '.') {
		st--
	}
	if st == len(line) {
		return kNone, 0, 0
	}
	tok := line[st:]
	if !typeName(tok, false) {
		return kNone, 0, 0
	}
	if st == lead || bytes.IndexByte(tok, '.') >= 0 || (st >= 2 && line[st-1] == ' ' && line[st-2] == ':') {
		return kTyped, st, len(line)
	}
	return kNone, 0, 0
}

// typeName reports whether tok names an exception type: its last part ends
// with Exception, Error or Throwable (before any '$' of an inner class), or,
// at the start of a line, it is a qualified class name such as
// org.junit.ComparisonFailure.
func typeName(tok []byte, atStart bool) bool {
	if len(tok) == 0 || isDigit(tok[0]) || tok[0] == '.' || tok[0] == '$' || tok[len(tok)-1] == '.' {
		return false
	}
	dot := bytes.LastIndexByte(tok, '.')
	last := tok[dot+1:]
	if k := bytes.IndexByte(last, '$'); k > 0 {
		last = last[:k]
	}
	if hasSuffix(last, "Exception") || hasSuffix(last, "Error") || hasSuffix(last, "Throwable") {
		return !contains(tok, "..")
	}
	if !atStart || dot < 0 || !isLower(tok[0]) || !isUpper(last[0]) || len(last) < 2 {
		return false
	}
	return !contains(tok, "..")
}

// typedHint guesses the language of an exception line from its type and
// says whether its message may span lines before the first frame: only
// when the line is a crash report (the type opens the line, or follows
// "Exception in thread", "Uncaught" or .NET's "Unhandled exception.") and
// the type is qualified or named by such a prefix. A log line that names
// an exception in passing holds no lines.
func typedHint(line []byte, s, e int) (lang string, strong bool) {
	tok := line[s:e]
	before := line[:s]
	dotted := bytes.IndexByte(tok, '.') >= 0
	opens := isBlank(before)
	switch {
	case hasPrefix(line, "Unhandled exception. ") || hasPrefix(line, "Unhandled Exception: "):
		return langDotnet, true
	case hasPrefix(tok, "System.") || hasPrefix(tok, "Microsoft.") || contains(line, " ---> "):
		return langDotnet, opens
	case contains(before, "Exception in thread "):
		return langJava, true
	case contains(before, "Uncaught "):
		return langJS, true
	case e+2 < len(line) && line[e] == ' ' && line[e+1] == '[':
		return langJS, opens
	case dotted:
		return langJava, opens
	case jsBuiltin(tok):
		return langJS, false
	}
	return "", false
}

// jsBuiltin reports whether tok is an error type of the JavaScript runtime.
func jsBuiltin(tok []byte) bool {
	switch string(tok) {
	case "Error", "TypeError", "ReferenceError", "SyntaxError", "RangeError",
		"EvalError", "URIError", "AggregateError", "InternalError", "DOMException":
		return true
	}
	return false
}

// stackHeader reports a line that announces a trace below it, such as
// "V8 errors stack trace" or "Stack trace:".
func stackHeader(t []byte) bool {
	if len(t) > 0 && t[len(t)-1] == ':' {
		t = t[:len(t)-1]
	}
	if len(t) < 11 {
		return false
	}
	tail := t[len(t)-11:]
	return (tail[0] == 's' || tail[0] == 'S') && string(tail[1:]) == "tack trace"
}

// atRest returns what follows "at " in a frame line trimmed of its indent.
func atRest(t []byte) ([]byte, bool) {
	if hasPrefix(t, "at ") {
		return t[3:], true
	}
	if hasPrefix(t, "eval at ") {
		return t[8:], true
	}
	return nil, false
}

// frameLike reports whether the text after "at " looks like a frame rather
// than prose ("at least once"): a name with arguments or a location, a bare
// name or location, or a name followed by " (location)".
func frameLike(r []byte) bool {
	if hasPrefix(r, "async ") {
		r = r[6:]
	}
	if hasPrefix(r, "new ") {
		r = r[4:]
	}
	if len(r) == 0 || r[0] == ' ' {
		return false
	}
	sp := bytes.IndexByte(r, ' ')
	tok := r
	if sp >= 0 {
		tok = r[:sp]
	}
	if bytes.IndexByte(tok, '(') >= 0 {
		return true
	}
	if sp < 0 {
		return true
	}
	after := r[sp:]
	return hasPrefix(after, " (") || hasPrefix(after, " [as ") || string(after) == " {"
}

// atFrameLang tells Java, JavaScript and .NET "at" frames apart by shape.
// sure is false when the frame could be any of them (a bare name).
func atFrameLang(rest []byte) (lang string, sure bool) {
	if contains(rest, ":line ") || contains(rest, "[0x") || contains(rest, "<filename unknown>") {
		return langDotnet, true
	}
	if hasPrefix(rest, "async ") || hasPrefix(rest, "new ") {
		return langJS, true
	}
	r := rest
	if hasSuffix(r, " {") {
		r = r[:len(r)-2]
	}
	if len(r) == 0 {
		return "", false
	}
	sp := bytes.IndexByte(r, ' ')
	p := bytes.IndexByte(r, '(')
	if p >= 0 && (sp < 0 || p < sp) {
		if r[len(r)-1] != ')' {
			return "", false
		}
		in := r[p+1 : len(r)-1]
		switch {
		case len(in) == 0:
			return langDotnet, true
		case contains(in, ".java") || contains(in, ".kt") || contains(in, ".scala") ||
			contains(in, ".groovy") || contains(in, ".clj") || contains(in, "Native Method") ||
			contains(in, "Unknown Source") || contains(in, "<generated>"):
			return langJava, true
		case jsLoc(in):
			return langJS, true
		case bytes.IndexByte(in, ' ') >= 0:
			return langDotnet, true
		}
		return "", false
	}
	if sp < 0 {
		if jsLoc(r) {
			return langJS, true
		}
		return "", false
	}
	if r[len(r)-1] == ')' {
		if k := index(r, " ("); k >= 0 {
			in := r[k+2 : len(r)-1]
			if jsLoc(in) || string(in) == "native" || string(in) == "<anonymous>" ||
				string(in) == "unknown location" || hasPrefix(in, "index ") || hasPrefix(in, "node:") ||
				hasPrefix(in, "eval at ") {
				return langJS, true
			}
		}
	}
	return "", false
}

// jsLoc reports whether b ends with ":line:column".
func jsLoc(b []byte) bool {
	i := digitsBefore(b, len(b))
	if i == len(b) || i == 0 || b[i-1] != ':' {
		return false
	}
	j := digitsBefore(b, i-1)
	return j < i-1 && j > 0 && b[j-1] == ':'
}

// nodeLoc recognises the "path:line" Node prints above the source line and
// caret of an uncaught error.
func nodeLoc(line []byte) bool {
	if len(line) < 4 || !isDigit(line[len(line)-1]) || bytes.IndexByte(line, ' ') >= 0 {
		return false
	}
	if line[0] != '/' && !hasPrefix(line, "node:") && !hasPrefix(line, "file:///") {
		return false
	}
	i := digitsBefore(line, len(line))
	return i > 1 && line[i-1] == ':' && !jsLoc(line)
}

// pyFileLine recognises `File "path", line 12, in f` (trimmed of indent).
func pyFileLine(t []byte) bool {
	return hasPrefix(t, "File \"") && contains(t, "\", line ")
}

// goroutineHeader recognises "goroutine 12 [running]:".
func goroutineHeader(line []byte) bool {
	if !hasPrefix(line, "goroutine ") {
		return false
	}
	i := len("goroutine ")
	j := i
	for j < len(line) && isDigit(line[j]) {
		j++
	}
	t := trimRight(line)
	return j > i && j < len(line) && line[j] == ' ' && len(t) > 0 && t[len(t)-1] == ':'
}

// goFuncLine recognises a Go traceback function line: a name without
// spaces followed by its arguments, "main.(*T).run(0xc000010000, ...)".
func goFuncLine(line []byte) bool {
	if len(line) < 3 || isSpace(line[0]) || line[len(line)-1] != ')' {
		return false
	}
	open := openOfLast(line)
	if open <= 0 {
		return false
	}
	return bytes.IndexByte(line[:open], ' ') < 0 && bytes.IndexByte(line[:open], '\t') < 0
}

// rustPanic recognises "thread 'main' panicked at ...". kRust is the form
// with the message on the next line (Rust 1.73 and later), kRustOld the
// form with the quoted message on the same line.
func rustPanic(line []byte) kind {
	if !hasPrefix(line, "thread '") {
		return kNone
	}
	i := index(line[8:], "' panicked at ")
	if i < 0 {
		return kNone
	}
	rest := line[8+i+len("' panicked at "):]
	if len(rest) > 0 && rest[0] == '\'' {
		return kRustOld
	}
	return kRust
}

func dartStart(line []byte) bool {
	return string(trimRight(line)) == "Unhandled exception:"
}

func flutterStart(line []byte) bool {
	return hasPrefix(line, "══╡ EXCEPTION CAUGHT BY ")
}

// flutterRule is the line of ═ that closes a Flutter exception box.
func flutterRule(line []byte) bool {
	return hasPrefix(line, "════")
}

func phpStart(line []byte) bool {
	return hasPrefix(line, "PHP Fatal error:") || hasPrefix(line, "PHP Warning:") ||
		hasPrefix(line, "PHP Notice:") || hasPrefix(line, "PHP Parse error:")
}

func phpOldStart(line []byte) bool {
	return hasPrefix(line, "exception '") && contains(line, "' with message '")
}

// hashFrame tells the "#N" frames of PHP and Dart apart; "" when line is
// neither.
func hashFrame(line []byte) string {
	if len(line) < 4 || line[0] != '#' {
		return ""
	}
	i := 1
	for i < len(line) && isDigit(line[i]) {
		i++
	}
	if i == 1 || i >= len(line) || line[i] != ' ' {
		return ""
	}
	rest := line[i+1:]
	if len(rest) == 0 {
		return ""
	}
	if rest[0] != ' ' {
		switch {
		case rest[0] == '{' || rest[0] == '[':
			return langPHP
		case index(rest, "): ") > 0:
			return langPHP
		}
	}
	rest = trimLeft(rest)
	if len(rest) > 0 && rest[len(rest)-1] == ')' && index(rest, " (") > 0 {
		return langDart
	}
	return ""
}

// isRubyFrame recognises "path:12:in 'method'" with an optional indent,
// "from " or gem prefix ("actionpack (5.1.4) lib/x.rb:63:in `call'").
func isRubyFrame(line []byte) bool {
	t := skipRubyIndex(trimLeft(line))
	if hasPrefix(t, "from ") {
		t = t[5:]
	}
	i := index(t, ":in ")
	if i <= 0 || i+4 >= len(t) {
		return false
	}
	if q := t[i+4]; q != '`' && q != '\'' {
		return false
	}
	j := digitsBefore(t, i)
	return j < i && j > 1 && t[j-1] == ':'
}

// skipRubyIndex skips the "12: " that numbers the frames of the reversed
// backtraces of Ruby 2.5 to 2.7.
func skipRubyIndex(t []byte) []byte {
	if numberedFrame(t) {
		return trimLeft(t[bytes.IndexByte(t, ':')+1:])
	}
	return t
}

// rubyStart recognises Ruby's uncaught exception line,
// "app.rb:3:in 'foo': message (RuntimeError)".
func rubyStart(t []byte) bool {
	if len(t) < 4 || t[len(t)-1] != ')' {
		return false
	}
	k := bytes.LastIndexByte(t, '(') - 1
	if k < 1 || t[k] != ' ' || !constName(t[k+2:len(t)-1]) {
		return false
	}
	head := t[:k]
	i := index(head, ":in ")
	if i <= 0 || !isRubyFrame(head) {
		return false
	}
	return contains(head[i:], "': ") || contains(head[i:], "`: ")
}

// railsStart recognises the exception line Rails logs above a trace,
// " NoMethodError (undefined method `x' for nil):".
func railsStart(t []byte) bool {
	s := trimLeft(t)
	if len(t)-len(s) > 2 || len(s) == 0 || !isUpper(s[0]) {
		return false
	}
	sp := bytes.IndexByte(s, ' ')
	return sp > 0 && constName(s[:sp]) && sp+1 < len(s) && s[sp+1] == '(' &&
		string(s[:sp]) != "Traceback"
}

// constName reports a Ruby constant path such as ActiveRecord::RecordNotFound.
func constName(b []byte) bool {
	if len(b) == 0 || !isUpper(b[0]) {
		return false
	}
	for _, c := range b {
		if !isIdent(c) && c != ':' {
			return false
		}
	}
	return true
}

// numberedFrame recognises the "12: " index of a Rust backtrace frame (or
// of a Ruby 2.5 reversed backtrace).
func numberedFrame(t []byte) bool {
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i > 0 && i < len(t) && t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ')
}

// pyChainLine recognises the sentences between chained Python tracebacks.
func pyChainLine(line []byte) bool {
	return hasPrefix(line, "During handling of the above exception, another exception occurred:") ||
		hasPrefix(line, "The above exception was the direct cause of the following exception:")
}
