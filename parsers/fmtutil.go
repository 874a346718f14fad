package parsers

import "bytes"

// This file holds the byte-scanning helpers shared by the header formats
// (logback, log4j, python, rails, go, access logs, syslog). They take a line
// and an index and return the index after what they read, or -1 when the
// bytes at the index are not what they read, so a format is a chain of calls
// that bails out at the first -1. None of them allocates or panics, whatever
// the bytes and whatever the index (a negative or out-of-range index reads as
// "nothing there").

// maxBracket bounds how far bracketAt looks for the closing bracket, so a
// long continuation line that happens to start with '[' is rejected quickly.
const maxBracket = 256

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' }

// byteAt returns b[i], or 0 when i is outside b.
func byteAt(b []byte, i int) byte {
	if i < 0 || i >= len(b) {
		return 0
	}
	return b[i]
}

// skipSpaces returns the index of the first byte at or after i that is not a
// space or tab (len(b) at the end).
func skipSpaces(b []byte, i int) int {
	if i < 0 {
		return -1
	}
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// spacesAt reads one or more spaces or tabs at i.
func spacesAt(b []byte, i int) int {
	j := skipSpaces(b, i)
	if j <= i {
		return -1
	}
	return j
}

// byteIs reads the byte c at i.
func byteIs(b []byte, i int, c byte) int {
	if i < 0 || i >= len(b) || b[i] != c {
		return -1
	}
	return i + 1
}

// prefixAt reads the literal s at i.
func prefixAt(b []byte, i int, s string) int {
	if i < 0 || len(b)-i < len(s) || string(b[i:i+len(s)]) != s {
		return -1
	}
	return i + len(s)
}

// digitsAt reads exactly n digits at i.
func digitsAt(b []byte, i, n int) int {
	if i < 0 || len(b)-i < n {
		return -1
	}
	for k := i; k < i+n; k++ {
		if !isDigit(b[k]) {
			return -1
		}
	}
	return i + n
}

// numberAt reads one to max digits at i.
func numberAt(b []byte, i, max int) int {
	if i < 0 {
		return -1
	}
	j := i
	for j < len(b) && j-i < max && isDigit(b[j]) {
		j++
	}
	if j == i || j < len(b) && isDigit(b[j]) {
		return -1
	}
	return j
}

// wordEnd returns the index of the first space or tab at or after i.
func wordEnd(b []byte, i int) int {
	if i < 0 {
		return -1
	}
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	return i
}

// trimSpaces returns b without leading and trailing spaces and tabs.
func trimSpaces(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// bracketAt reads a token enclosed in open and close at i, such as
// "[http-nio-8080-exec-1]" or "(default task-1)". Nested pairs are allowed
// inside (thread names like "[pool-2-thread-[1]]" exist); the contents are
// b[in:end-1] where end is the returned index after the closing bracket.
func bracketAt(b []byte, i int, open, close byte) (in, end int) {
	if byteIs(b, i, open) < 0 {
		return -1, -1
	}
	lim := min(len(b), i+maxBracket)
	// Most tokens hold no nested bracket: find the close with IndexByte
	// and check there is no open before it.
	c := bytes.IndexByte(b[i+1:lim], close)
	if c < 0 {
		return -1, -1
	}
	if bytes.IndexByte(b[i+1:i+1+c], open) < 0 {
		return i + 1, i + 2 + c
	}
	depth := 0
	for k := i + 1; k < lim; k++ {
		switch b[k] {
		case open:
			depth++
		case close:
			if depth == 0 {
				return i + 1, k + 1
			}
			depth--
		}
	}
	return -1, -1
}

// letterRun returns the end of the run of ASCII letters starting at i.
func letterRun(b []byte, i int) int {
	if i < 0 {
		return -1
	}
	for i < len(b) && isLetter(b[i]) {
		i++
	}
	return i
}

// levelWordAt reads a level word of three or more letters at i (any case:
// "ERROR", "warn", "Info") that is not followed by another letter or digit,
// and returns its level and end. One-letter levels are left to the formats
// that print them (Rails "E,"), since a lone letter reads as a level too
// easily.
func levelWordAt(b []byte, i int) (Level, int) {
	if i < 0 || i >= len(b) {
		return LevelNone, -1
	}
	j := letterRun(b, i)
	if j-i < 3 || j < len(b) && isDigit(b[j]) {
		return LevelNone, -1
	}
	l := ParseLevel(b[i:j])
	if l == LevelNone {
		return LevelNone, -1
	}
	return l, j
}

// upperLevelAt is levelWordAt for the loggers that print the level in
// capitals: a capitalised word ("Error: ...") is prose, not a level.
func upperLevelAt(b []byte, i int) (Level, int) {
	l, j := levelWordAt(b, i)
	if j < 0 {
		return LevelNone, -1
	}
	for k := i; k < j; k++ {
		if !isUpper(b[k]) {
			return LevelNone, -1
		}
	}
	return l, j
}

// findLevel looks for an upper-case level word among the first maxWords
// words from i, where words are separated by spaces and may be wrapped in
// brackets ("[ERROR]") or followed by ':' or ','. It returns the level and
// the bounds of the word, or -1s.
func findLevel(b []byte, i, maxWords int) (l Level, start, end int) {
	if i < 0 {
		return LevelNone, -1, -1
	}
	for w := 0; w < maxWords; w++ {
		i = skipSpaces(b, i)
		if i >= len(b) {
			break
		}
		s := i
		if b[s] == '[' || b[s] == '(' || b[s] == '<' {
			s++
		}
		if l, e := upperLevelAt(b, s); e >= 0 {
			switch byteAt(b, e) {
			case 0, ' ', '\t', ']', ')', '>', ':', ',', '|':
				return l, s, e
			}
		}
		i = wordEnd(b, i)
	}
	return LevelNone, -1, -1
}

// Date shapes, separators and zones of the time stamps scanStamp reads; the
// layout of a stamp is stampLayouts[date][sep][zone]. Fractions of seconds
// are left out of the layouts: time.Parse accepts a fraction after the
// seconds (with '.' or ',') when the layout does not mention one.
const (
	dateNone  = iota // time only: no layout, since a time without a date is not parsed
	dateYMD          // 2024-01-15
	dateYMDSl        // 2024/01/15
	dateDMY          // 15 Jan 2024
	dateDMYD         // 15-Jan-2024
	nDates
)

const (
	zoneNone    = iota
	zoneColon   // Z or +01:00
	zoneCompact // +0100
	zoneShort   // +01
	zoneSpaced  // " +0100"
	nZones
)

// stampLayouts is built once at init and only read.
var stampLayouts = buildStampLayouts()

func buildStampLayouts() (t [nDates][2][nZones]string) {
	dates := [nDates]string{"", "2006-01-02", "2006/01/02", "02 Jan 2006", "02-Jan-2006"}
	zones := [nZones]string{"", "Z07:00", "Z0700", "Z07", " -0700"}
	for d := 1; d < nDates; d++ {
		for s, sep := range [2]string{" ", "T"} {
			for z := range zones {
				t[d][s][z] = dates[d] + sep + "15:04:05" + zones[z]
			}
		}
	}
	return t
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthAt reads a three-letter English month name at i.
func monthAt(b []byte, i int) int {
	if i < 0 || len(b)-i < 3 {
		return -1
	}
	for _, m := range months {
		if string(b[i:i+3]) == m {
			return i + 3
		}
	}
	return -1
}

// dateAt reads a date at i and returns its shape and end.
func dateAt(b []byte, i int) (shape, end int) {
	if i < 0 || len(b)-i < 10 {
		return dateNone, -1
	}
	if d := b[i : i+10]; d[4] == '-' || d[4] == '/' {
		y1, y2, m, day := num2(d[0:]), num2(d[2:]), num2(d[5:]), num2(d[8:])
		if y1|y2|m|day < 0 || d[7] != d[4] || !validYMD(y1*100+y2, m, day) {
			return dateNone, -1
		}
		if d[4] == '/' {
			return dateYMDSl, i + 10
		}
		return dateYMD, i + 10
	}
	j := digitsAt(b, i, 2)
	sep := byteAt(b, j)
	if j < 0 || sep != ' ' && sep != '-' {
		return dateNone, -1
	}
	k := monthAt(b, j+1)
	k = byteIs(b, k, sep)
	k = digitsAt(b, k, 4)
	if k < 0 || !validYMD(twoDigits(b[k-4:])*100+twoDigits(b[k-2:]), monthNumber(b[j+1:j+4]), twoDigits(b[i:])) {
		return dateNone, -1
	}
	if sep == '-' {
		return dateDMYD, k
	}
	return dateDMY, k
}

// validYMD checks a date the way time.Parse will, so that a stamp scanStamp
// accepts is one its layout parses (no 2024-02-30).
func validYMD(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	if m == 2 {
		leap := y%4 == 0 && (y%100 != 0 || y%400 == 0)
		return d <= 28 || d == 29 && leap
	}
	return d <= 30 || d == 31 && m != 4 && m != 6 && m != 9 && m != 11
}

// twoDigits returns the number b[0:2] writes; the caller has checked the
// digits.
func twoDigits(b []byte) int { return int(b[0]-'0')*10 + int(b[1]-'0') }

// num2 returns the number the two digits b[0:2] write, or -1 when they are
// not digits.
func num2(b []byte) int {
	x, y := b[0]-'0', b[1]-'0'
	if x > 9 || y > 9 {
		return -1
	}
	return int(x)*10 + int(y)
}

// monthNumber returns the number (1-12) of a month name monthAt read.
func monthNumber(name []byte) int {
	for k, m := range months {
		if string(name) == m {
			return k + 1
		}
	}
	return 0
}

// clockAt reads HH:MM:SS with an optional fraction of one to nine digits
// after '.' or ','.
func clockAt(b []byte, i int) int {
	if i < 0 || len(b)-i < 8 {
		return -1
	}
	c := b[i : i+8]
	h, m, sec := num2(c[0:]), num2(c[3:]), num2(c[6:])
	if h|m|sec < 0 || c[2] != ':' || c[5] != ':' || h > 23 || m > 59 || sec > 59 {
		return -1
	}
	j := i + 8
	if c := byteAt(b, j); (c == '.' || c == ',') && isDigit(byteAt(b, j+1)) {
		k := j + 1
		for k < len(b) && k-j <= 9 && isDigit(b[k]) {
			k++
		}
		if isDigit(byteAt(b, k)) {
			return -1
		}
		j = k
	}
	return j
}

// zoneAt reads a zone right after a clock: Z, +01:00, +0100 or +01, or a
// space and +0100 (only when it ends the token: " +0100]" or " -0700 ").
func zoneAt(b []byte, i int) (zone, end int) {
	switch byteAt(b, i) {
	case 'Z':
		return zoneColon, i + 1
	case '+', '-':
		j := digitsAt(b, i+1, 2)
		if j < 0 || twoDigits(b[i+1:]) > 18 {
			return zoneNone, i
		}
		if k := digitsAt(b, byteIs(b, j, ':'), 2); k >= 0 {
			if b[k-2] > '5' {
				return zoneNone, i
			}
			return zoneColon, k
		}
		if k := digitsAt(b, j, 2); k >= 0 {
			if b[k-2] > '5' {
				return zoneNone, i
			}
			return zoneCompact, k
		}
		return zoneShort, j
	case ' ':
		c := byteAt(b, i+1)
		if c != '+' && c != '-' {
			return zoneNone, i
		}
		j := digitsAt(b, i+2, 4)
		if j < 0 || twoDigits(b[i+2:]) > 18 || b[i+4] > '5' {
			return zoneNone, i
		}
		switch byteAt(b, j) {
		case 0, ' ', ']':
			return zoneSpaced, j
		}
	}
	return zoneNone, i
}

// scanStamp reads a date-time at i in one of the shapes loggers print by
// default:
//
//	2024-01-15 10:23:45,123       2024-01-15T10:23:45.123+01:00
//	2024/01/15 10:23:45.123456    2024-01-15 10:23:45 +0000
//	15 Jan 2024 10:23:45,123      15-Jan-2024 10:23:45.123
//	10:23:45.123                  (a time alone)
//
// It returns the end of the stamp and a Go layout that parses it ("" for a
// time alone, which has no date to parse), or -1. A date without a time is
// not a stamp.
func scanStamp(b []byte, i int) (end int, layout string) {
	if i < 0 || len(b)-i < 8 {
		return -1, ""
	}
	if byteAt(b, i+2) == ':' {
		j := clockAt(b, i)
		if j < 0 {
			return -1, ""
		}
		return j, ""
	}
	d, j := dateAt(b, i)
	if j < 0 {
		return -1, ""
	}
	sep := 0
	switch byteAt(b, j) {
	case ' ':
	case 'T':
		sep = 1
	default:
		return -1, ""
	}
	j = clockAt(b, j+1)
	if j < 0 {
		return -1, ""
	}
	z, j := zoneAt(b, j)
	return j, stampLayouts[d][sep][z]
}
