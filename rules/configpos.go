package rules

// This file locates keys and values in a TOML document. BurntSushi/toml
// reports positions only for syntax errors: its MetaData keeps one position
// per key path without array indexes (every [[rule]]'s "threshold" shares
// one slot, the last one written), and does not export it. So after the
// document has parsed, a small scanner walks the text once and records
// where each field path ("rule[2].threshold", "source[0].paths[1]",
// "channel.ops.token") starts. The paths are the ones error messages print,
// so an error finds its position by its own field path.
//
// The scanner runs only on text that BurntSushi accepted, but it never
// trusts that: every read is bounds-checked and every loop advances, so odd
// input costs at most a wrong or missing position, never a panic.

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// position is a 1-based line and byte column; the zero position is unknown.
type position struct{ line, col int }

// posEntry is where a field's key and its value start. Table headers
// record the header for both.
type posEntry struct{ key, val position }

type posIndex map[string]posEntry

// maxScanDepth bounds nested arrays and inline tables the scanner descends
// into; deeper values are skipped without recording positions.
const maxScanDepth = 32

type posScanner struct {
	s      string
	i      int
	lines  []int // offsets where lines start
	idx    posIndex
	arrays map[string]int // array-of-tables path -> elements seen
}

func indexPositions(data []byte) posIndex {
	sc := &posScanner{s: string(data), idx: posIndex{}, arrays: map[string]int{}}
	sc.lines = append(sc.lines, 0)
	for i := 0; i < len(sc.s); i++ {
		if sc.s[i] == '\n' {
			sc.lines = append(sc.lines, i+1)
		}
	}
	sc.document()
	return sc.idx
}

func (sc *posScanner) pos(off int) position {
	ln := sort.SearchInts(sc.lines, off+1) // first line start > off
	return position{line: ln, col: off - sc.lines[ln-1] + 1}
}

func (sc *posScanner) record(path string, key, val int) {
	if _, ok := sc.idx[path]; ok {
		return
	}
	sc.idx[path] = posEntry{key: sc.pos(key), val: sc.pos(val)}
}

func (sc *posScanner) eof() bool { return sc.i >= len(sc.s) }

func (sc *posScanner) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *posScanner) skipSpace() {
	for sc.i < len(sc.s) && (sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t') {
		sc.i++
	}
}

// skipBlank skips whitespace, newlines and comments.
func (sc *posScanner) skipBlank() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n':
			sc.i++
		case '#':
			sc.skipLine()
		default:
			return
		}
	}
}

// skipLine moves past the next newline.
func (sc *posScanner) skipLine() {
	if j := strings.IndexByte(sc.s[sc.i:], '\n'); j >= 0 {
		sc.i += j + 1
	} else {
		sc.i = len(sc.s)
	}
}

func (sc *posScanner) document() {
	table := ""
	for {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		start := sc.i
		if sc.peek() == '[' {
			array := strings.HasPrefix(sc.s[sc.i:], "[[")
			if array {
				sc.i += 2
			} else {
				sc.i++
			}
			segs := sc.key()
			if len(segs) == 0 {
				sc.skipLine()
				continue
			}
			if array {
				parent := sc.resolve("", segs[:len(segs)-1])
				base := joinPath(parent, renderKey(segs[len(segs)-1]))
				n := sc.arrays[base]
				sc.arrays[base] = n + 1
				table = base + "[" + strconv.Itoa(n) + "]"
			} else {
				table = sc.resolve("", segs)
			}
			sc.record(table, start, start)
			sc.skipLine()
			continue
		}
		before := sc.i
		sc.keyValue(table, 0)
		if sc.i == before {
			sc.i++ // not a key: never loop in place
		}
		sc.skipLine()
	}
}

// resolve appends key segments to a table path, stepping into the last
// element of each array of tables on the way.
func (sc *posScanner) resolve(path string, segs []string) string {
	for _, seg := range segs {
		path = joinPath(path, renderKey(seg))
		if n, ok := sc.arrays[path]; ok && n > 0 {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

// keyValue reads "key = value" and records the key and what is inside the
// value.
func (sc *posScanner) keyValue(table string, depth int) {
	keyAt := sc.i
	segs := sc.key()
	if len(segs) == 0 {
		return
	}
	path := table
	for i, seg := range segs {
		path = joinPath(path, renderKey(seg))
		if i < len(segs)-1 {
			sc.record(path, keyAt, keyAt)
		}
	}
	sc.skipSpace()
	if sc.peek() != '=' {
		return
	}
	sc.i++
	sc.skipSpace()
	sc.record(path, keyAt, sc.i)
	sc.value(path, depth)
}

// key reads a dotted key and returns its decoded segments.
func (sc *posScanner) key() []string {
	var segs []string
	for {
		sc.skipSpace()
		seg, ok := sc.simpleKey()
		if !ok {
			return segs
		}
		segs = append(segs, seg)
		sc.skipSpace()
		if sc.peek() != '.' {
			return segs
		}
		sc.i++
	}
}

func (sc *posScanner) simpleKey() (string, bool) {
	switch sc.peek() {
	case '"':
		return sc.basicString()
	case '\'':
		sc.i++
		j := strings.IndexAny(sc.s[sc.i:], "'\n")
		if j < 0 || sc.s[sc.i+j] != '\'' {
			sc.i = len(sc.s)
			return "", false
		}
		k := sc.s[sc.i : sc.i+j]
		sc.i += j + 1
		return k, true
	}
	j := sc.i
	for j < len(sc.s) && isBareKeyByte(sc.s[j]) {
		j++
	}
	if j == sc.i {
		return "", false
	}
	k := sc.s[sc.i:j]
	sc.i = j
	return k, true
}

func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// basicString reads a one-line "..." string and decodes its escapes (keys
// may be written with escapes).
func (sc *posScanner) basicString() (string, bool) {
	sc.i++ // opening quote
	var b strings.Builder
	for sc.i < len(sc.s) {
		c := sc.s[sc.i]
		switch c {
		case '"':
			sc.i++
			return b.String(), true
		case '\n':
			return b.String(), false
		case '\\':
			sc.i++
			if sc.eof() {
				return b.String(), false
			}
			e := sc.s[sc.i]
			sc.i++
			switch e {
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case 'e':
				b.WriteByte(0x1b)
			case 'x', 'u', 'U':
				n := 2
				if e == 'u' {
					n = 4
				} else if e == 'U' {
					n = 8
				}
				if sc.i+n > len(sc.s) {
					sc.i = len(sc.s)
					return b.String(), false
				}
				v, err := strconv.ParseUint(sc.s[sc.i:sc.i+n], 16, 32)
				sc.i += n
				if err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
				}
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			sc.i++
		}
	}
	return b.String(), false
}

// value skips one value, recording array elements and inline-table keys.
func (sc *posScanner) value(path string, depth int) {
	if strings.HasPrefix(sc.s[sc.i:], `"""`) {
		sc.multiline(`"""`, true)
		return
	}
	if strings.HasPrefix(sc.s[sc.i:], `'''`) {
		sc.multiline(`'''`, false)
		return
	}
	switch sc.peek() {
	case '"':
		sc.basicString()
	case '\'':
		sc.simpleKey()
	case '[':
		sc.array(path, depth)
	case '{':
		sc.inlineTable(path, depth)
	default:
		for sc.i < len(sc.s) && !strings.ContainsRune(",]}#\r\n", rune(sc.s[sc.i])) {
			sc.i++
		}
	}
}

// multiline skips a multi-line string, including up to two quotes that
// TOML lets stand next to the closing delimiter.
func (sc *posScanner) multiline(delim string, escapes bool) {
	sc.i += 3
	for sc.i < len(sc.s) {
		if escapes && sc.s[sc.i] == '\\' {
			sc.i += 2
			continue
		}
		if strings.HasPrefix(sc.s[sc.i:], delim) {
			sc.i += 3
			for k := 0; k < 2 && sc.peek() == delim[0]; k++ {
				sc.i++
			}
			return
		}
		sc.i++
	}
	sc.i = len(sc.s)
}

func (sc *posScanner) array(path string, depth int) {
	if depth >= maxScanDepth {
		sc.skipNested()
		return
	}
	sc.i++ // [
	for n := 0; ; n++ {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		if sc.peek() == ']' {
			sc.i++
			return
		}
		el := path + "[" + strconv.Itoa(n) + "]"
		sc.record(el, sc.i, sc.i)
		before := sc.i
		sc.value(el, depth+1)
		sc.skipBlank()
		switch sc.peek() {
		case ',':
			sc.i++
		case ']':
			sc.i++
			return
		default:
			if sc.i == before {
				sc.i++
			}
		}
	}
}

func (sc *posScanner) inlineTable(path string, depth int) {
	if depth >= maxScanDepth {
		sc.skipNested()
		return
	}
	sc.i++ // {
	for {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		if sc.peek() == '}' {
			sc.i++
			return
		}
		before := sc.i
		sc.keyValue(path, depth+1)
		sc.skipBlank()
		switch sc.peek() {
		case ',':
			sc.i++
		case '}':
			sc.i++
			return
		default:
			if sc.i == before {
				sc.i++
			}
		}
	}
}

// skipNested skips a bracketed value too deep to record, minding strings.
func (sc *posScanner) skipNested() {
	level := 0
	for sc.i < len(sc.s) {
		switch c := sc.s[sc.i]; c {
		case '[', '{':
			level++
			sc.i++
		case ']', '}':
			level--
			sc.i++
			if level <= 0 {
				return
			}
		case '"', '\'':
			sc.value("", maxScanDepth)
		case '#':
			sc.skipLine()
		default:
			sc.i++
		}
	}
}

// renderKey writes a key segment as a field path shows it: bare when TOML
// allows, quoted otherwise.
func renderKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBareKeyByte(k[i]) {
			return strconv.Quote(k)
		}
	}
	return k
}

func joinPath(parent, seg string) string {
	if parent == "" {
		return seg
	}
	return parent + "." + seg
}
