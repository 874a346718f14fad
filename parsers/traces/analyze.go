package traces

import "bytes"

// maxFrames bounds the frames Analyze keeps from one text; a trace longer
// than that is cut, in text order.
const maxFrames = 1 << 17

// Analyze reads the stack trace in text (a record's message and continuation
// lines) and returns nil when text holds none: no frames, no exception line
// that continues into a trace, and no start that is a trace by itself (a Go
// panic, a Python Traceback, a Rust panic, a Dart "Unhandled exception:",
// Java's "Exception in thread", a PHP "Uncaught", .NET's "Unhandled
// exception.").
//
// The trace is found with a Detector, so text may begin with lines that are
// not part of it (the log message that reported it). Options.Language, when
// set to a known language, chooses the reader instead of the language the
// detector saw. Analyze runs in time linear in len(text) and never panics.
func Analyze(text []byte, opt Options) *Trace {
	if len(text) == 0 {
		return nil
	}
	off, lang, recognised := locate(text)
	if knownLanguage(opt.Language) {
		lang = opt.Language
	}
	if lang == "" {
		return nil
	}
	a := &analysis{it: newLines(text[off:]), t: &Trace{Language: lang}}
	// Most lines of a trace are frames: one allocation covers a typical
	// trace, and a huge text does not reserve a frame per line up front.
	a.t.Frames = make([]Frame, 0, min(bytes.Count(text[off:], []byte{'\n'})+1, 64))
	switch lang {
	case langJava:
		a.java()
	case langJS:
		a.js()
	case langDotnet:
		a.dotnet()
	case langPython:
		a.python()
	case langGo:
		a.golang()
	case langRuby:
		a.ruby()
	case langPHP:
		a.php()
	case langDart:
		a.dart()
	case langRust:
		a.rust()
	}
	t := a.t
	if len(t.Frames) == 0 && t.Exception == "" && !recognised {
		return nil
	}
	if t.Primary == 0 || t.Primary > len(t.Frames) {
		t.Primary = len(t.Frames)
	}
	for i := range t.Frames {
		t.Frames[i].InApp = inApp(lang, &t.Frames[i], opt.InApp.Prefixes)
	}
	return t
}

// locate finds where the first trace in text starts and its language, by
// feeding the lines to a Detector. When no line continues a trace, it looks
// for a start that is a trace by itself; recognised reports such a start.
func locate(text []byte) (off int, lang string, recognised bool) {
	var d Detector
	rec, found := 0, false
	for pos := 0; pos < len(text); {
		end := bytes.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		switch d.Feed(text[pos:end]) {
		case New:
			if found {
				return off, lang, recognisedAt(text[off:])
			}
			rec = pos
		case Continue:
			if !found {
				found, off = true, rec
			}
			lang = d.Language()
		}
		pos = end + 1
	}
	if found {
		return off, lang, recognisedAt(text[off:])
	}
	for pos := 0; pos < len(text); {
		end := bytes.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		if l := recognisedStart(trimCR(text[pos:end])); l != "" {
			return pos, l, true
		}
		pos = end + 1
	}
	return 0, "", false
}

// recognisedAt reports whether the first line of text is a start that is a
// trace by itself.
func recognisedAt(text []byte) bool {
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return recognisedStart(trimCR(text)) != ""
}

// recognisedStart returns the language of a line that starts a trace by
// itself, even with no frame below it.
func recognisedStart(line []byte) string {
	k, lang, _ := start(line)
	switch k {
	case kPyStart, kPyGroup, kGoPanic, kGoroutine, kRust, kRustOld, kDart, kFlutter, kRuby:
		return lang
	case kPHP:
		if contains(line, "Uncaught ") {
			return langPHP
		}
	case kTyped:
		switch {
		case contains(line, "Exception in thread \""):
			return langJava
		case hasPrefix(line, "Unhandled exception. ") || hasPrefix(line, "Unhandled Exception: "):
			return langDotnet
		}
	}
	return ""
}

// ln is one line of the text being analysed, as bytes for scanning and as
// a string sharing the same memory layout for the results: fields of the
// Trace are substrings of one copy of the text, so a trace of many frames
// costs one allocation for its strings.
type ln struct {
	b []byte
	s string
}

func (l ln) sub(i, j int) ln { return ln{l.b[i:j], l.s[i:j]} }
func (l ln) from(i int) ln   { return ln{l.b[i:], l.s[i:]} }
func (l ln) to(j int) ln     { return ln{l.b[:j], l.s[:j]} }

func (l ln) trimLeft() ln {
	return l.from(len(l.b) - len(trimLeft(l.b)))
}

func (l ln) trimRight() ln {
	return l.to(len(trimRight(l.b)))
}

func (l ln) trim() ln { return l.trimLeft().trimRight() }

// cutPrefix returns l without prefix p and whether l had it.
func (l ln) cutPrefix(p string) (ln, bool) {
	if hasPrefix(l.b, p) {
		return l.from(len(p)), true
	}
	return l, false
}

// lines iterates over the lines of a text.
type lines struct {
	b   []byte
	s   string
	pos int
}

func newLines(text []byte) *lines {
	return &lines{b: text, s: string(text)}
}

func (it *lines) next() (ln, bool) {
	if it.pos >= len(it.b) {
		return ln{}, false
	}
	end := bytes.IndexByte(it.b[it.pos:], '\n')
	if end < 0 {
		end = len(it.b)
	} else {
		end += it.pos
	}
	l := ln{it.b[it.pos:end], it.s[it.pos:end]}
	it.pos = end + 1
	return l.to(len(trimCR(l.b))), true
}

// analysis is the state shared by the readers of each language.
type analysis struct {
	it *lines
	t  *Trace
}

func (a *analysis) frame(f Frame) {
	if len(a.t.Frames) < maxFrames {
		a.t.Frames = append(a.t.Frames, f)
	}
}

// lastFrame returns the last frame, or nil.
func (a *analysis) lastFrame() *Frame {
	if len(a.t.Frames) == 0 {
		return nil
	}
	return &a.t.Frames[len(a.t.Frames)-1]
}

func (a *analysis) cause(typ string) {
	if typ != "" {
		a.t.Causes = append(a.t.Causes, typ)
	}
}

// typed finds the exception type of an exception line and its message.
func typed(l ln) (typ, msg string, ok bool) {
	k, s, e := scanColons(l.b)
	if k != kTyped {
		return "", "", false
	}
	return l.s[s:e], message(l.from(e)), true
}

// message returns the one-line message after a type: the text after the
// first ": " (or the Node code "[ERR_X]: "), trimmed.
func message(rest ln) string {
	r := rest.trimLeft()
	if len(r.b) > 0 && r.b[0] == '[' {
		if i := index(r.b, "]:"); i > 0 {
			return r.s[:i+1] + " " + r.from(i+2).trim().s
		}
	}
	if len(r.b) > 0 && r.b[0] == '(' { // .NET's HRESULT: "(0x80131904): "
		if i := index(r.b, "):"); i > 0 {
			r = r.from(i + 1)
		}
	}
	if len(r.b) > 0 && r.b[0] == ':' {
		r = r.from(1)
	}
	return r.trim().s
}

// leadingName returns the run of name characters (letters, digits, _ $ .)
// at the start of l.
func leadingName(l ln) ln {
	i := 0
	for i < len(l.b) && (isIdent(l.b[i]) || l.b[i] == '.') {
		i++
	}
	return l.to(i)
}

// splitLast splits a qualified name at its last sep outside brackets:
// module and function.
func splitLast(name ln, sep string) (mod, fn string) {
	i := lastIndexOutside(name.b, sep)
	if i < 0 {
		return "", name.s
	}
	return name.s[:i], name.s[i+len(sep):]
}
