package traces

import (
	"bytes"
	"strings"
)

// pyExc is one exception line of a Python traceback.
type pyExc struct {
	typ, msg string
	depth    int // nesting in exception group boxes, 0 outside any
	section  int // which top-level traceback of a chain
}

// python reads chained tracebacks and exception groups. The exception is
// the top-level exception of the last traceback (the last raised); every
// other exception line, earlier links of the chain and the members of
// groups, is a cause, in text order.
func (a *analysis) python() {
	var excs []pyExc
	section, base := 0, 0
	expect := false // the next unindented line is an exception line
	for {
		l, ok := a.it.next()
		if !ok {
			break
		}
		c, depth, box := pyBox(l)
		switch box {
		case boxOpen:
			expect = true // a group member follows
			continue
		case boxClose:
			expect = false
			continue
		}
		t := c.trimLeft()
		if len(t.b) == 0 {
			continue
		}
		if hasPrefix(t.b, "Traceback (most recent call last):") || hasPrefix(t.b, "Exception Group Traceback (most recent call last):") {
			// Only the outermost tracebacks are unboxed or drawn with
			// a '+' margin; those inside a group use '|'.
			if box == boxNone || box == boxPlus {
				section++
				base = depth
			}
			expect = true
			continue
		}
		if len(t.b) < len(c.b) { // indented: a frame or a source line
			if pyFileLine(t.b) {
				a.frame(pyFrame(t))
				expect = true
			}
			continue
		}
		if pyChainLine(t.b) || !expect {
			expect = false
			continue
		}
		if typ, msg, ok := pyExcLine(t); ok {
			if section == 0 {
				section, base = 1, depth
			}
			excs = append(excs, pyExc{typ, msg, depth, section})
		}
		expect = false
	}
	main := -1
	for i := range excs {
		if excs[i].section == section && excs[i].depth == base {
			main = i
			break
		}
	}
	if main < 0 {
		main = len(excs) - 1
	}
	for i, e := range excs {
		if i == main {
			a.t.Exception, a.t.Message = e.typ, e.msg
			continue
		}
		a.cause(e.typ)
	}
}

// How a line sits in the box Python draws around an exception group.
const (
	boxNone  = iota // not in a box
	boxPipe         // "  | content"
	boxPlus         // "  + Exception Group Traceback ..." (outermost group)
	boxOpen         // "  +-+---------------- 1 ----------------"
	boxClose        // "  +------------------------------------"
)

// pyBox strips the margin of an exception group's box and returns the
// content and its nesting depth (0 outside any box).
func pyBox(l ln) (c ln, depth, box int) {
	i := 0
	for i < len(l.b) && l.b[i] == ' ' {
		i++
	}
	if i == 0 || i == len(l.b) {
		return l, 0, boxNone
	}
	depth = i/2 + 1
	switch l.b[i] {
	case '|':
		c = l.from(i + 1)
		if len(c.b) > 0 && c.b[0] == ' ' {
			c = c.from(1)
		}
		return c, depth, boxPipe
	case '+':
		if i+1 < len(l.b) && l.b[i+1] == ' ' {
			return l.from(i + 2), depth, boxPlus
		}
		if i+1 < len(l.b) && l.b[i+1] == '-' {
			if contains(l.b[i:], "- ") {
				return ln{}, depth, boxOpen
			}
			return ln{}, depth, boxClose
		}
	}
	return l, 0, boxNone
}

// pyExcLine reads "module.Type: message" or a bare "Type".
func pyExcLine(t ln) (typ, msg string, ok bool) {
	name := leadingName(t)
	if len(name.b) == 0 || isDigit(name.b[0]) || name.b[0] == '.' {
		return "", "", false
	}
	rest := t.from(len(name.b))
	if len(rest.b) == 0 {
		return name.s, "", true
	}
	if rest.b[0] == ':' {
		return name.s, rest.from(1).trim().s, true
	}
	return "", "", false
}

// pyFrame reads `File "/app/views.py", line 12, in handler`.
func pyFrame(t ln) Frame {
	var f Frame
	r := t.from(len(`File "`))
	q := bytes.Index(r.b, []byte(`", line `))
	if q < 0 {
		return f
	}
	f.File = r.s[:q]
	r = r.from(q + len(`", line `))
	i := 0
	for i < len(r.b) && isDigit(r.b[i]) {
		i++
	}
	f.Line = atoi(r.b[:i])
	if c, ok := r.from(i).cutPrefix(", in "); ok {
		f.Function = c.trim().s
	}
	f.Module = pyModule(f.File)
	return f
}

// pyModule derives a module name from a file path: the dotted path below
// site-packages, dist-packages or lib/pythonX.Y for libraries and the
// standard library, the dotted relative path for a relative file, and the
// file's base name for any other absolute path (whose leading directories
// change from one deployment to the next). "<frozen importlib._bootstrap>"
// gives importlib._bootstrap; "<stdin>" and "<string>" give "".
func pyModule(file string) string {
	if strings.HasPrefix(file, "<frozen ") && strings.HasSuffix(file, ">") {
		return file[len("<frozen ") : len(file)-1]
	}
	if strings.HasPrefix(file, "<") {
		return ""
	}
	p := file
	if strings.IndexByte(p, '\\') >= 0 {
		p = strings.ReplaceAll(p, "\\", "/")
	}
	p = strings.TrimSuffix(p, ".py")
	rel := ""
	switch {
	case strings.Contains(p, "/site-packages/"):
		rel = p[strings.LastIndex(p, "/site-packages/")+len("/site-packages/"):]
	case strings.Contains(p, "/dist-packages/"):
		rel = p[strings.LastIndex(p, "/dist-packages/")+len("/dist-packages/"):]
	default:
		if i := pyLibDir(p); i >= 0 {
			rel = p[i:]
		} else if !strings.HasPrefix(p, "/") && !(len(p) > 2 && p[1] == ':') {
			rel = strings.TrimPrefix(p, "./")
		} else {
			rel = p[strings.LastIndexByte(p, '/')+1:]
		}
	}
	rel = strings.TrimSuffix(rel, "/__init__")
	return strings.ReplaceAll(rel, "/", ".")
}

// pyLibDir returns where the path below ".../lib/pythonX.Y/" starts, or -1.
func pyLibDir(p string) int {
	for from := 0; from < len(p); {
		i := strings.Index(p[from:], "/lib/python")
		if i < 0 {
			return -1
		}
		j := from + i + len("/lib/python")
		for j < len(p) && (isDigit(p[j]) || p[j] == '.') {
			j++
		}
		if j < len(p) && p[j] == '/' && j > from+i+len("/lib/python") {
			return j + 1
		}
		from = j
	}
	return -1
}
