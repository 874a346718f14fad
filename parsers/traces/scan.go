package traces

import "bytes"

// Small byte helpers shared by the detector and the analysers. They take
// []byte and never allocate; comparisons against string constants compile
// to plain memory compares.

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// isIdent reports whether c may appear in a type or function name as the
// languages here print them (Java inner classes use '$').
func isIdent(c byte) bool {
	return isLower(c) || isUpper(c) || isDigit(c) || c == '_' || c == '$'
}

func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func contains(b []byte, s string) bool { return index(b, s) >= 0 }

// index is bytes.Index for a string needle, without copying the needle
// into a []byte on every call.
func index(b []byte, s string) int {
	if len(s) == 0 {
		return 0
	}
	c := s[0]
	for i := 0; i+len(s) <= len(b); {
		j := bytes.IndexByte(b[i:len(b)-len(s)+1], c)
		if j < 0 {
			return -1
		}
		i += j
		if string(b[i:i+len(s)]) == s {
			return i
		}
		i++
	}
	return -1
}

func trimCR(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

func trimLeft(b []byte) []byte {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return b[i:]
}

func trimRight(b []byte) []byte {
	i := len(b)
	for i > 0 && (isSpace(b[i-1]) || b[i-1] == '\r') {
		i--
	}
	return b[:i]
}

func trim(b []byte) []byte { return trimRight(trimLeft(b)) }

func isBlank(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) && c != '\r' {
			return false
		}
	}
	return true
}

// indented reports whether b starts with a space or a tab.
func indented(b []byte) bool { return len(b) > 0 && isSpace(b[0]) }

// atoi reads a bounded decimal number; 0 when b is not one.
func atoi(b []byte) int {
	if len(b) == 0 || len(b) > 9 {
		return 0
	}
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// digitsBefore returns the start of the run of digits that ends at end.
func digitsBefore(b []byte, end int) int {
	i := end
	for i > 0 && isDigit(b[i-1]) {
		i--
	}
	return i
}

// lastIndexOutside returns the last index of sep in b that is not inside
// (), [] or <> brackets, or -1. It is used to split a qualified name such as
// Dictionary`2[System.String,System.Int32].get_Item at its last dot.
func lastIndexOutside(b []byte, sep string) int {
	depth := 0
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ')', ']', '>':
			depth++
		case '(', '[', '<':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 && b[i] == sep[0] && hasPrefix(b[i:], sep) {
				return i
			}
		}
	}
	return -1
}

// openOfLast returns the index of the '(' that opens the bracket group
// closing at the end of b, or -1. b must end with ')'.
func openOfLast(b []byte) int {
	depth := 0
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// lineNumbers splits a location written as file:line or file:line:col
// (from the right, so that "C:\x" or "dart:core/x" keep their colons) into
// the file and the line. ok is false when no line number ends loc.
func lineNumbers(loc []byte) (file []byte, line int, ok bool) {
	i := digitsBefore(loc, len(loc))
	if i == len(loc) || i == 0 || loc[i-1] != ':' {
		return loc, 0, false
	}
	last := loc[i:]
	file = loc[:i-1]
	j := digitsBefore(file, len(file))
	if j < len(file) && j > 0 && file[j-1] == ':' {
		return file[:j-1], atoi(file[j:]), true
	}
	return file, atoi(last), true
}

// lastIndex is bytes.LastIndex for a string needle, without copying it.
func lastIndex(b []byte, s string) int {
	if len(s) == 0 {
		return len(b)
	}
	c := s[0]
	for end := len(b) - len(s) + 1; end > 0; {
		j := bytes.LastIndexByte(b[:end], c)
		if j < 0 {
			return -1
		}
		if string(b[j:j+len(s)]) == s {
			return j
		}
		end = j
	}
	return -1
}
