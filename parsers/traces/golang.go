package traces

import (
	"bytes"
	"strings"
)

// golang reads a Go crash: "panic: ..." lines (a recovered and re-raised
// panic prints several), "fatal error: ...", net/http's "http: panic
// serving ADDR: ...", and goroutine blocks of function and file lines.
//
// The exception is the last panic printed (the one that ended the
// program), the earlier ones are causes. Its type is "runtime.Error" when
// the message is a Go runtime error ("runtime error: ...", "interface
// conversion: ...", "assignment to entry in nil map", the channel
// errors), "panic" for any other panic value, and "fatal error" for a
// fatal error. Primary counts the frames of the first goroutine, the one
// that crashed.
func (a *analysis) golang() {
	type panicLine struct{ typ, msg string }
	var panics []panicLine
	goroutines := 0
	fileDue := false // the last frame waits for its file line
	for {
		l, ok := a.it.next()
		if !ok {
			break
		}
		if isBlank(l.b) {
			fileDue = false
			continue
		}
		t := l.trimLeft()
		indent := len(t.b) < len(l.b)
		switch {
		case hasPrefix(t.b, "panic: "):
			msg := t.from(len("panic: ")).trimRight()
			if i := lastIndex(msg.b, " [recovered"); i >= 0 && msg.b[len(msg.b)-1] == ']' {
				msg = msg.to(i)
			}
			panics = append(panics, panicLine{goPanicType(msg.b), msg.s})
			fileDue = false
		case !indent && hasPrefix(l.b, "fatal error: "):
			panics = append(panics, panicLine{"fatal error", l.from(len("fatal error: ")).trim().s})
			fileDue = false
		case len(panics) == 0 && goroutines == 0 && contains(l.b, "http: panic serving "):
			r := l.from(index(l.b, "http: panic serving ") + len("http: panic serving "))
			if i := index(r.b, ": "); i >= 0 {
				r = r.from(i + 2)
			}
			panics = append(panics, panicLine{goPanicType(r.b), r.trim().s})
		case !indent && goroutineHeader(l.b):
			goroutines++
			if goroutines == 2 {
				a.t.Primary = len(a.t.Frames)
			}
			fileDue = false
		case indent && fileDue:
			if f := a.lastFrame(); f != nil {
				f.File, f.Line = goFileLine(t)
			}
			fileDue = false
		case !indent && hasPrefix(l.b, "created by "):
			name := l.from(len("created by ")).trimRight()
			if i := index(name.b, " in goroutine "); i >= 0 {
				name = name.to(i)
			}
			a.frame(goFrame(name))
			fileDue = true
		case goFuncLine(l.b):
			a.frame(goFrame(l.to(openOfLast(l.b))))
			fileDue = true
		default:
			fileDue = false
		}
	}
	if n := len(panics); n > 0 {
		a.t.Exception, a.t.Message = panics[n-1].typ, panics[n-1].msg
		for _, p := range panics[:n-1] {
			a.cause(p.typ)
		}
	}
}

// goPanicType names the type of a panic from its message.
func goPanicType(msg []byte) string {
	for _, p := range []string{
		"runtime error: ", "interface conversion: ", "assignment to entry in nil map",
		"close of nil channel", "close of closed channel", "send on closed channel",
	} {
		if hasPrefix(msg, p) {
			return "runtime.Error"
		}
	}
	return "panic"
}

// goFrame splits a function name at the first dot after the last slash:
// "net/http.(*conn).serve.func1" is module net/http, function
// (*conn).serve.func1; "main.main.func1" is main, main.func1. A name with
// no dot is a runtime builtin ("panic").
func goFrame(name ln) Frame {
	slash := bytes.LastIndexByte(name.b, '/')
	dot := bytes.IndexByte(name.b[slash+1:], '.')
	if dot < 0 {
		return Frame{Module: "runtime", Function: name.s}
	}
	dot += slash + 1
	return Frame{Module: name.s[:dot], Function: name.s[dot+1:]}
}

// goFileLine reads "/usr/local/go/src/runtime/panic.go:542 +0x46c fp=...".
func goFileLine(t ln) (string, int) {
	t = t.trimRight()
	if i := index(t.b, " +0x"); i >= 0 {
		t = t.to(i)
	}
	file, line, _ := lineNumbers(t.b)
	return t.s[:len(file)], line
}

// goStdlib reports whether a package path belongs to Go's standard library:
// its first element is one of the standard top-level packages.
func goStdlib(mod string) bool {
	first := mod
	if i := strings.IndexByte(first, '/'); i >= 0 {
		first = first[:i]
	}
	switch first {
	case "archive", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context",
		"crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt",
		"go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math",
		"mime", "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort",
		"strconv", "strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode",
		"unique", "unsafe", "vendor", "weak":
		return true
	}
	return false
}
