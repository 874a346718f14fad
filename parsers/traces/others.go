package traces

import (
	"bytes"
	"strings"
)

// Readers of Ruby, PHP, Dart and Rust traces.

// ruby reads Rails' " NoMethodError (message):" and Ruby's
// "app.rb:3:in 'foo': message (RuntimeError)" lines (a later one is a
// cause, as Ruby 3 prints them), and frames with or without "from " and a
// gem prefix ("actionpack (5.1.4) lib/...").
func (a *analysis) ruby() {
	for {
		l, ok := a.it.next()
		if !ok {
			return
		}
		r := l.trimRight()
		switch {
		case len(r.b) > 2 && hasSuffix(r.b, "):") && railsStart(r.b) && a.t.Exception == "":
			s := r.trimLeft()
			sp := bytes.IndexByte(s.b, ' ')
			a.t.Exception = s.s[:sp]
			a.t.Message = s.sub(sp+2, len(s.b)-2).trim().s
		case len(r.b) > 2 && r.b[len(r.b)-1] == ')' && rubyStart(r.b):
			k := lastIndex(r.b, " (")
			typ := r.s[k+2 : len(r.b)-1]
			head := r.to(k)
			f := rubyFrame(head)
			a.frame(f)
			msg := ""
			if i := index(head.b[index(head.b, ":in "):], ": "); i >= 0 {
				msg = head.from(index(head.b, ":in ") + i + 2).trim().s
			}
			if a.t.Exception == "" {
				a.t.Exception, a.t.Message = typ, msg
			} else {
				a.cause(typ)
			}
		case isRubyFrame(l.b):
			a.frame(rubyFrame(l))
		}
	}
}

// rubyFrame reads "[from ][gem (1.2.3) ]path:12:in 'label'". Ruby 3.4
// labels name the class ("'Foo#bar'", "'block in Foo.baz'"), which
// becomes the module; a gem frame's module is the gem.
func rubyFrame(l ln) Frame {
	t := l.trimLeft()
	t = t.from(len(t.b) - len(skipRubyIndex(t.b)))
	if c, ok := t.cutPrefix("from "); ok {
		t = c
	}
	var f Frame
	if sp := index(t.b, " ("); sp > 0 && bytes.IndexByte(t.b[:sp], '/') < 0 {
		if e := index(t.b[sp:], ") "); e > 0 && e < 32 {
			f.Module = t.s[:sp]
			t = t.from(sp + e + 2)
		}
	}
	i := index(t.b, ":in ")
	if i < 0 {
		return f
	}
	j := digitsBefore(t.b, i)
	if j == 0 || j == i {
		return f
	}
	f.File, f.Line = t.s[:j-1], atoi(t.b[j:i])
	lab := t.from(i + 4)
	if len(lab.b) > 0 && (lab.b[0] == '`' || lab.b[0] == '\'') {
		lab = lab.from(1)
	}
	if q := bytes.IndexByte(lab.b, '\''); q >= 0 {
		lab = lab.to(q)
	}
	// The class is in the label's last word: "block in Foo#bar".
	w := bytes.LastIndexByte(lab.b, ' ') + 1
	word := lab.from(w)
	k := bytes.IndexByte(word.b, '#')
	if k <= 0 && len(word.b) > 0 && isUpper(word.b[0]) {
		k = bytes.LastIndexByte(word.b, '.')
	}
	if k > 0 && f.Module == "" {
		f.Module = word.s[:k]
		f.Function = lab.s[:w] + word.s[k+1:]
		return f
	}
	f.Function = lab.s
	return f
}

// php reads "PHP Fatal error:  Uncaught Exception: msg in /p/x.php:5", the
// older "exception 'Exception' with message 'msg' in /p/x.php:5", PHP's
// "Next Exception: ..." chain (the last one printed is the outermost, the
// earlier ones are causes), "#N path(line): Class->method()" frames and
// Xdebug's "PHP   1. f() /p/x.php:3" frames. "{main}" is not a frame.
func (a *analysis) php() {
	type exc struct{ typ, msg string }
	var excs []exc
	for {
		l, ok := a.it.next()
		if !ok {
			break
		}
		switch {
		case len(excs) == 0 && len(a.t.Frames) == 0:
			if typ, msg, ok := phpException(l); ok {
				excs = append(excs, exc{typ, msg})
			}
		case hasPrefix(l.b, "Next "):
			if typ, msg, ok := phpException(l.from(5)); ok {
				excs = append(excs, exc{typ, msg})
			}
		case hashFrame(l.b) == langPHP:
			if f, ok := phpFrame(l); ok {
				a.frame(f)
			}
		case xdebugFrame(l.b):
			a.frame(xdebugFrameOf(l))
		}
	}
	if n := len(excs); n > 0 {
		a.t.Exception, a.t.Message = excs[n-1].typ, excs[n-1].msg
		for _, e := range excs[:n-1] {
			a.cause(e.typ)
		}
	}
}

// phpException reads an uncaught exception or a PHP error line. A PHP error
// that is not an exception ("PHP Fatal error:  Allowed memory size ...")
// has the error's kind as its type: "Fatal error".
func phpException(l ln) (typ, msg string, ok bool) {
	t := l.trim()
	if i := index(t.b, "Uncaught "); i >= 0 {
		t = t.from(i + len("Uncaught "))
	} else if c, ok := t.cutPrefix("PHP "); ok {
		if i := bytes.IndexByte(c.b, ':'); i > 0 && bytes.IndexByte(c.b[:i], ' ') >= 0 || i > 0 && isUpper(c.b[0]) {
			return c.s[:i], phpMessage(c.from(i + 1)), true
		}
	}
	if c, ok := t.cutPrefix("exception '"); ok {
		q := bytes.IndexByte(c.b, '\'')
		if q <= 0 {
			return "", "", false
		}
		typ = c.s[:q]
		r := c.from(q)
		if m, ok := r.cutPrefix("' with message '"); ok {
			if e := lastIndex(m.b, "' in "); e >= 0 {
				m = m.to(e)
			}
			msg = m.s
		}
		return typ, msg, true
	}
	i := 0
	for i < len(t.b) && (isIdent(t.b[i]) || t.b[i] == '\\') {
		i++
	}
	if i == 0 || i == len(t.b) || t.b[i] != ':' {
		return "", "", false
	}
	return t.s[:i], phpMessage(t.from(i + 1)), true
}

// phpMessage drops the " in /p/x.php:5" (or " on line 5") location.
func phpMessage(m ln) string {
	m = m.trim()
	if i := lastIndex(m.b, " in "); i >= 0 {
		m = m.to(i)
	}
	return m.s
}

// phpFrame reads "#0 /p/x.php(9): Class->method(args)" and
// "#1 [internal function]: f()".
func phpFrame(l ln) (Frame, bool) {
	var f Frame
	sp := bytes.IndexByte(l.b, ' ')
	r := l.from(sp + 1)
	if hasPrefix(r.b, "{main}") {
		return f, false
	}
	call := r
	if c, ok := r.cutPrefix("[internal function]: "); ok {
		call = c
	} else if i := index(r.b, "): "); i > 0 {
		loc := r.to(i)
		if p := bytes.LastIndexByte(loc.b, '('); p > 0 {
			f.File, f.Line = loc.s[:p], atoi(loc.b[p+1:])
		}
		call = r.from(i + 3)
	}
	name := call
	if p := bytes.IndexByte(name.b, '('); p >= 0 {
		name = name.to(p)
	}
	switch {
	case contains(name.b, "->"):
		i := index(name.b, "->")
		f.Module, f.Function = name.s[:i], name.s[i+2:]
	case contains(name.b, "::"):
		i := index(name.b, "::")
		f.Module, f.Function = name.s[:i], name.s[i+2:]
	default:
		f.Function = name.s
	}
	return f, true
}

// xdebugFrameOf reads "PHP   2. Foo->bar() /p/x.php:12".
func xdebugFrameOf(l ln) Frame {
	var f Frame
	t := l.from(4).trimLeft()
	t = t.from(bytes.IndexByte(t.b, '.') + 1).trim()
	sp := bytes.LastIndexByte(t.b, ' ')
	if sp < 0 {
		return f
	}
	loc := t.from(sp + 1)
	file, line, _ := lineNumbers(loc.b)
	f.File, f.Line = loc.s[:len(file)], line
	name := t.to(sp)
	if p := bytes.IndexByte(name.b, '('); p >= 0 {
		name = name.to(p)
	}
	if i := index(name.b, "->"); i >= 0 {
		f.Module, f.Function = name.s[:i], name.s[i+2:]
	} else if i := index(name.b, "::"); i >= 0 {
		f.Module, f.Function = name.s[:i], name.s[i+2:]
	} else {
		f.Function = name.s
	}
	return f
}

// dart reads "Unhandled exception:" and the message line below it, a
// Flutter "EXCEPTION CAUGHT BY" box, and "#N      function (uri:line:col)"
// frames. The type comes from the message as Dart's errors print
// themselves: "FormatException: ...", "Instance of 'MyError'", "Bad
// state: ..." (StateError), "Invalid argument(s): ..." (ArgumentError) and
// so on; failing that, from a first frame "_TypeError._throwNew".
func (a *analysis) dart() {
	due := false // the message line is next
	for {
		l, ok := a.it.next()
		if !ok {
			break
		}
		switch {
		case dartStart(l.b):
			due = a.t.Exception == "" && a.t.Message == ""
		case due:
			if isBlank(l.b) {
				continue
			}
			typ, msg := dartType(l.trim())
			if typ != "" {
				a.t.Exception = typ
			}
			a.t.Message, due = msg, false
		case hashFrame(l.b) == langDart:
			a.frame(dartFrame(l))
		case a.t.Exception == "" && hasPrefix(l.b, "The following ") && contains(l.b, " was thrown"):
			w := l.from(len("The following "))
			if sp := bytes.IndexByte(w.b, ' '); sp >= 0 {
				w = w.to(sp)
			}
			switch {
			case string(w.b) == "assertion":
				a.t.Exception = "AssertionError"
			case len(w.b) > 0 && (isUpper(w.b[0]) || w.b[0] == '_'):
				a.t.Exception = strings.TrimLeft(w.s, "_")
			}
			due = a.t.Message == ""
		case a.t.Exception == "" && a.t.Message == "" && len(a.t.Frames) == 0:
			if typ, msg, ok := typed(l); ok {
				a.t.Exception, a.t.Message = typ, msg
			}
		}
	}
	if a.t.Exception == "" && len(a.t.Frames) > 0 {
		if fn := a.t.Frames[0].Function; strings.HasSuffix(fn, "._throwNew") {
			a.t.Exception = strings.TrimLeft(strings.TrimSuffix(fn, "._throwNew"), "_")
		}
	}
}

// dartMessages maps how Dart's core errors print themselves to their types.
var dartMessages = [...]struct{ prefix, typ string }{
	{"Bad state: ", "StateError"},
	{"Invalid argument", "ArgumentError"},
	{"RangeError", "RangeError"},
	{"Unsupported operation: ", "UnsupportedError"},
	{"Assertion failed", "AssertionError"},
	{"Concurrent modification during iteration", "ConcurrentModificationError"},
	{"Out of Memory", "OutOfMemoryError"},
	{"Stack Overflow", "StackOverflowError"},
	{"Reading static variable '", "CyclicInitializationError"},
	{"Cannot instantiate abstract class ", "AbstractClassInstantiationError"},
	{"Null check operator used on a null value", "TypeError"},
	{"type '", "TypeError"},
	{"LateInitializationError: ", "LateInitializationError"},
}

// dartType reads the message line of a Dart error.
func dartType(l ln) (typ, msg string) {
	if c, ok := l.cutPrefix("Instance of '"); ok {
		if q := bytes.IndexByte(c.b, '\''); q > 0 {
			return c.s[:q], ""
		}
	}
	for _, m := range dartMessages {
		if hasPrefix(l.b, m.prefix) {
			return m.typ, l.s
		}
	}
	if contains(l.b, "Switch case fall-through") {
		return "FallThroughError", l.s
	}
	name := leadingName(l)
	if len(name.b) == len(l.b) && typeName(name.b, false) {
		return name.s, ""
	}
	if len(name.b) > 0 && len(name.b) < len(l.b) && l.b[len(name.b)] == ':' && isUpper(name.b[0]) {
		return name.s, l.from(len(name.b) + 1).trim().s
	}
	return "", l.s
}

// dartFrame reads "#3      main.<anonymous closure> (file:///x.dart:12:20)".
// Module is the library's package ("package:flutter") or core library
// ("dart:core-patch"); "" for a file.
func dartFrame(l ln) Frame {
	var f Frame
	r := l.from(bytes.IndexByte(l.b, ' ')).trim()
	k := lastIndex(r.b, " (")
	if k < 0 {
		f.Function = r.s
		return f
	}
	f.Function = r.s[:k]
	loc := r.sub(k+2, len(r.b)-1)
	file, line, _ := lineNumbers(loc.b)
	f.File, f.Line = loc.s[:len(file)], line
	switch {
	case strings.HasPrefix(f.File, "package:"), strings.HasPrefix(f.File, "dart:"):
		if i := strings.IndexByte(f.File, '/'); i > 0 {
			f.Module = f.File[:i]
		}
	}
	return f
}

// rust reads "thread 'main' panicked at src/main.rs:2:5:" with the message
// on the next line (or the older "panicked at 'message', src/main.rs:2:5")
// and the "stack backtrace:" frames, "  12: crate::module::function" each
// followed by "at file:line:col". The exception is "panic".
func (a *analysis) rust() {
	due := false
	for {
		l, ok := a.it.next()
		if !ok {
			return
		}
		t := l.trimLeft()
		indent := len(t.b) < len(l.b)
		switch k := rustPanic(l.b); {
		case k != kNone:
			if a.t.Exception != "" {
				a.cause("panic")
				continue
			}
			a.t.Exception = "panic"
			if k == kRustOld {
				m := l.from(index(l.b, "' panicked at '") + len("' panicked at '"))
				if e := lastIndex(m.b, "', "); e >= 0 {
					m = m.to(e)
				}
				a.t.Message = m.s
			} else {
				due = true
			}
		case due:
			a.t.Message = l.trim().s
			due = false
		case indent && numberedFrame(t.b):
			a.frame(rustFrame(t.from(bytes.IndexByte(t.b, ':') + 1).trim()))
		case indent && hasPrefix(t.b, "at "):
			if f := a.lastFrame(); f != nil && f.File == "" {
				loc := t.from(3).trim()
				file, line, _ := lineNumbers(loc.b)
				f.File, f.Line = loc.s[:len(file)], line
			}
		}
	}
}

// rustFrame reads "core::panicking::panic_fmt", "<T as a::B>::call", and
// the verbose "0x55d7c2b7d1a3 - std::rt::lang_start::h5e9e1a0a1e9c1f83".
// The module is the path before the last "::", the hash suffix is dropped.
func rustFrame(name ln) Frame {
	if hasPrefix(name.b, "0x") {
		if i := index(name.b, " - "); i >= 0 {
			name = name.from(i + 3)
		}
	}
	if n := len(name.b); n > 19 && string(name.b[n-19:n-16]) == "::h" && allHex(name.b[n-16:]) {
		name = name.to(n - 19)
	}
	mod, fn := splitLast(name, "::")
	return Frame{Module: mod, Function: fn}
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
