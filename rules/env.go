package rules

import (
	"errors"
	"strings"
)

// expandEnv replaces ${VAR} in s with the variable's value and $${ with a
// literal ${. A lone $ (as in a regex's "end of line") is kept. Errors
// name the variable but never print s or any value, since s may be a
// secret.
func expandEnv(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			// $${ is the escape: write everything up to the first $ and
			// the literal ${.
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return "", errors.New("unterminated ${ (write $${ for a literal ${)")
		}
		name := s[i+2 : i+2+end]
		if !validEnvName(name) {
			return "", errors.New("${...} must hold a variable name: letters, digits and _, not starting with a digit (write $${ for a literal ${)")
		}
		v, ok := lookup(name)
		if !ok {
			return "", errors.New("environment variable " + name + " is not set")
		}
		b.WriteString(v)
		s = s[i+2+end+1:]
	}
}

func validEnvName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
