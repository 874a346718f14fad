package traces

import (
	"bytes"
	"strings"
)

// Readers of the languages whose frames start with "at": Java (Kotlin and
// Scala too), JavaScript and .NET.

// java reads "Type: message", "at pkg.Class.method(File.java:12)" frames,
// "Caused by:" and "Suppressed:" causes.
func (a *analysis) java() {
	for {
		l, ok := a.it.next()
		if !ok {
			return
		}
		t := l.trimLeft()
		if rest, ok := atRest(t.b); ok && len(t.b) < len(l.b) {
			a.frame(javaFrame(t.from(len(t.b) - len(rest))))
			continue
		}
		if c, ok := t.cutPrefix("Caused by: "); ok {
			a.cause(causeType(c))
			continue
		}
		if c, ok := t.cutPrefix("Suppressed: "); ok {
			a.cause(causeType(c))
			continue
		}
		if c, ok := t.cutPrefix("Wrapped by: "); ok {
			a.cause(causeType(c))
			continue
		}
		if a.t.Exception == "" && len(a.t.Frames) == 0 {
			if typ, msg, ok := typed(l); ok {
				a.t.Exception, a.t.Message = typ, msg
			}
		}
	}
}

// causeType reads the type at the start of a "Caused by: " line.
func causeType(c ln) string {
	c = c.trimLeft()
	if typ, _, ok := typed(c); ok {
		return typ
	}
	return leadingName(c).s
}

// javaFrame reads "[loader/][module@version/]pkg.Class.method(File.java:12)".
// It works on indexes into r and slices r.s once per field, since it runs
// for every frame.
func javaFrame(r ln) Frame {
	b := trimRight(r.b)
	end := len(b)
	if p := bytes.IndexByte(b, '('); p >= 0 {
		end = p
	}
	start := bytes.LastIndexByte(b[:end], '/') + 1
	var f Frame
	if dot := bytes.LastIndexByte(b[start:end], '.'); dot >= 0 {
		f.Module, f.Function = r.s[start:start+dot], r.s[start+dot+1:end]
	} else {
		f.Function = r.s[start:end]
	}
	if end == len(b) {
		return f
	}
	in := b[end+1:]
	if c := bytes.IndexByte(in, ')'); c >= 0 {
		in = in[:c]
	}
	if bytes.IndexByte(in, ' ') >= 0 { // Native Method, Unknown Source
		return f
	}
	file, line, _ := lineNumbers(in)
	f.File, f.Line = r.s[end+1:end+1+len(file)], line
	return f
}

// js reads "TypeError: message", V8 frames ("at fn (file:1:2)", "at
// file:1:2"), and the causes Node prints in an inspected error
// ("[cause]: Error: ...", the errors of an AggregateError).
func (a *analysis) js() {
	for {
		l, ok := a.it.next()
		if !ok {
			return
		}
		t := l.trimLeft()
		if rest, ok := atRest(t.b); ok && len(t.b) < len(l.b) && frameLike(rest) {
			a.frame(jsFrame(t.from(len(t.b) - len(rest))))
			continue
		}
		if a.t.Exception == "" {
			if c, ok := l.cutPrefix("["); ok && hasSuffix(l.b, "] {") && len(a.t.Frames) == 0 {
				// Node: "[UnhandledPromiseRejection: message] {".
				if i := bytes.IndexByte(c.b, ':'); i > 0 && bytes.IndexByte(c.b[:i], ' ') < 0 {
					a.t.Exception = c.s[:i]
					a.t.Message = c.sub(i+1, len(c.b)-3).trim().s
					continue
				}
			}
			if len(a.t.Frames) == 0 {
				u, _ := t.cutPrefix("Uncaught ")
				u, _ = u.cutPrefix("(in promise) ")
				if typ, msg, ok := typed(u); ok {
					a.t.Exception, a.t.Message = typ, msg
				}
			}
			continue
		}
		for _, p := range []string{"[cause]: ", "Caused by: ", "caused by: "} {
			if c, ok := t.cutPrefix(p); ok {
				t = c
				break
			}
		}
		if typ, _, ok := typed(t); ok && hasPrefix(t.b, typ) {
			a.cause(typ)
		}
	}
}

// jsFrame reads "fn (file:1:2)", "fn [as alias] (file:1:2)", "file:1:2",
// "new Foo (file:1:2)", "async fn (file:1:2)", a bare "fn", and V8's "eval
// at" forms. File loses any query string.
func jsFrame(r ln) Frame {
	r = r.trimRight()
	if c, ok := r.cutPrefix("async "); ok {
		r = c
	}
	if c, ok := r.cutPrefix("new "); ok {
		r = c
	}
	if hasSuffix(r.b, " {") {
		r = r.to(len(r.b) - 2).trimRight()
	}
	var f Frame
	if len(r.b) == 0 {
		return f
	}
	var loc ln
	p := bytes.IndexByte(r.b, '(')
	switch {
	case r.b[len(r.b)-1] == ')' && p >= 0:
		k := index(r.b, " (")
		if k >= 0 && k < p {
			f.Function, loc = r.s[:k], r.sub(k+2, len(r.b)-1)
		} else {
			f.Function, loc = r.s[:p], r.sub(p+1, len(r.b)-1)
		}
		if i := strings.Index(f.Function, " [as "); i >= 0 {
			f.Function = f.Function[:i]
		}
		// "eval at outer (file.js:1:2), <anonymous>:3:4": the file that
		// ran the eval is the one that names the code.
		for n := 0; n < 8 && hasPrefix(loc.b, "eval at "); n++ {
			j := index(loc.b, " (")
			if j < 0 {
				break
			}
			loc = loc.from(j + 2)
			if c := bytes.IndexByte(loc.b, ')'); c >= 0 && !hasPrefix(loc.b, "eval at ") {
				loc = loc.to(c)
			}
		}
	case jsLoc(r.b) || lineOnly(r.b):
		loc = r
	default:
		f.Function = r.s
		return f
	}
	file, line, _ := lineNumbers(loc.b)
	f.File, f.Line = loc.s[:len(file)], line
	if q := bytes.IndexByte(file, '?'); q > 0 {
		f.File = f.File[:q]
	}
	return f
}

// lineOnly reports a location with a line and no column: "file.js:12".
func lineOnly(b []byte) bool {
	i := digitsBefore(b, len(b))
	return i < len(b) && i > 1 && b[i-1] == ':' && bytes.IndexByte(b, ' ') < 0
}

// dotnet reads "Type: message ---> Inner: message", "at Ns.Type.Method(...)
// in file:line N" frames (and Mono's "[0x00000] in file:N"), and
// " ---> Inner: message" lines.
func (a *analysis) dotnet() {
	for {
		l, ok := a.it.next()
		if !ok {
			return
		}
		t := l.trimLeft()
		if rest, ok := atRest(t.b); ok && len(t.b) < len(l.b) {
			a.frame(dotnetFrame(t.from(len(t.b) - len(rest))))
			continue
		}
		if c, ok := t.cutPrefix("---> "); ok {
			if c2, ok := c.cutPrefix("(Inner Exception #"); ok {
				if i := bytes.IndexByte(c2.b, ')'); i >= 0 {
					c = c2.from(i + 1).trimLeft()
				}
			}
			a.dotnetChain(c, true)
			continue
		}
		if a.t.Exception == "" && len(a.t.Frames) == 0 {
			for _, p := range []string{"Unhandled exception. ", "Unhandled Exception: ", "Unhandled exception: "} {
				if c, ok := t.cutPrefix(p); ok {
					t = c
					break
				}
			}
			a.dotnetChain(t, false)
		}
	}
}

// dotnetChain reads "Type: message ---> Inner: message ---> ...".
func (a *analysis) dotnetChain(l ln, inner bool) {
	for n := 0; len(l.b) > 0; n++ {
		seg := l
		rest := ln{}
		if i := index(l.b, " ---> "); i >= 0 {
			seg, rest = l.to(i), l.from(i+6)
		}
		if typ, msg, ok := typed(seg); ok {
			if !inner && a.t.Exception == "" {
				a.t.Exception, a.t.Message = typ, msg
			} else {
				a.cause(typ)
			}
		} else if n == 0 {
			return
		}
		if i := index(rest.b, "<---"); i >= 0 {
			rest = rest.to(i)
		}
		l = rest
	}
}

// dotnetFrame reads "Ns.Type.Method(args) in /p/f.cs:line 36" and Mono's
// "Ns.Type.Method (args) [0x00000] in /p/f.cs:36". An async state machine
// frame, "Ns.Type.<Method>d__2.MoveNext()", is read as Ns.Type, Method.
func dotnetFrame(r ln) Frame {
	r = r.trimRight()
	var f Frame
	name := r
	if p := bytes.IndexByte(r.b, '('); p >= 0 {
		name = r.to(p).trimRight()
	}
	mod, fn := splitLast(name, ".")
	if fn == "MoveNext" && mod != "" {
		m := name.to(len(mod))
		if i := lastIndexOutside(m.b, "."); i >= 0 && i+1 < len(m.b) && m.b[i+1] == '<' {
			if j := bytes.IndexByte(m.b[i+1:], '>'); j > 1 && hasPrefix(m.b[i+1+j:], ">d__") {
				mod, fn = mod[:i], mod[i+2:i+1+j]
			}
		}
	}
	f.Module, f.Function = mod, fn
	k := lastIndex(r.b, " in ")
	if k < 0 || k < len(name.b) {
		return f
	}
	loc := r.from(k + 4)
	if i := lastIndex(loc.b, ":line "); i >= 0 {
		f.File, f.Line = loc.s[:i], atoi(loc.b[i+6:])
		return f
	}
	if hasPrefix(loc.b, "<filename unknown>") {
		return f
	}
	file, line, _ := lineNumbers(loc.b)
	f.File, f.Line = loc.s[:len(file)], line
	return f
}
