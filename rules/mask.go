package rules

// This file masks the variable parts of messages and request paths, so
// that two occurrences of one error that differ only in an order id, a
// duration or a client address group together. Masking works in one pass
// over the bytes, without regexps: it runs on every matched event.

import (
	"strings"
)

const (
	// maxMaskInput bounds the bytes of a message that are masked; grouping
	// uses the first 64 KiB of a longer message.
	maxMaskInput = 64 << 10
	// maxMasked bounds the masked text. Masking comes first, so the cut
	// falls at the same place for messages that differ only in masked
	// parts.
	maxMasked = 1024
)

// MaskMessage replaces the variable parts of a one-line message: the
// values of secret-looking keys (password=..., token: ..., Bearer ...:
// <secret>, so that a secret never splits a group whatever it looks like),
// numbers
// (<n>, keeping a unit such as ms), hex (<hex>), UUIDs (<uuid>), IPv4 and
// IPv6 addresses with an optional port (<ip>), e-mail addresses (<email>),
// URLs (<url>), quoted values ('<q>', "<q>", `<q>`) and long ids mixing
// letters and digits (<id>). Runs of spaces become one space. Timestamps
// come out as masked numbers and separators, the same shape every time.
func MaskMessage(s string) string {
	if len(s) > maxMaskInput {
		s = s[:maxMaskInput]
	}
	var b strings.Builder
	b.Grow(min(len(s), maxMasked))
	for i := 0; i < len(s) && b.Len() < maxMasked; {
		c := s[i]
		boundary := i == 0 || !isWordByte(s[i-1])
		if boundary {
			if n := matchURL(s[i:]); n > 0 {
				b.WriteString("<url>")
				i += n
				continue
			}
			if n := matchEmail(s[i:]); n > 0 {
				b.WriteString("<email>")
				i += n
				continue
			}
			if n := matchUUID(s[i:]); n > 0 {
				b.WriteString("<uuid>")
				i += n
				continue
			}
			if n := matchIPv4(s[i:]); n > 0 {
				b.WriteString("<ip>")
				i += n
				continue
			}
			if n := matchIPv6(s[i:]); n > 0 {
				b.WriteString("<ip>")
				i += n
				continue
			}
			if n := matchHexLiteral(s[i:]); n > 0 {
				b.WriteString("<hex>")
				i += n
				continue
			}
			if c == '"' || c == '\'' || c == '`' {
				if n := matchQuoted(s[i:]); n > 0 {
					b.WriteByte(c)
					b.WriteString("<q>")
					b.WriteByte(c)
					i += n
					continue
				}
			}
		}
		if isAlnum(c) {
			n := wordLen(s[i:])
			maskWord(&b, s[i:i+n])
			i += n
			if secretKey(s, i-n, i) {
				if sep, v := secretValue(s[i-n:i], s[i:]); v > 0 {
					b.WriteString(s[i : i+sep])
					b.WriteString("<secret>")
					i += sep + v
				}
			}
			continue
		}
		if c == ' ' || c == '\t' {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(c)
		i++
	}
	out := b.String()
	if len(out) > maxMasked {
		out = out[:maxMasked]
	}
	return out
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isWordByte: bytes that continue a token, so that a token starting
// after one is not at a boundary (no "<ip>" inside "x10.0.0.1"). Bytes of
// multi-byte UTF-8 count as letters.
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' || c >= 0x80 }

// wordLen is the length of the alphanumeric run at the start of s, with
// decimal points and thousands separators inside a number.
func wordLen(s string) int {
	n := 0
	digits := true
	for n < len(s) {
		c := s[n]
		if isAlnum(c) {
			digits = digits && isDigit(c)
			n++
			continue
		}
		if (c == '.' || c == ',') && digits && n > 0 && n+1 < len(s) && isDigit(s[n+1]) {
			n++
			continue
		}
		break
	}
	return n
}

// maskWord writes the masked form of one alphanumeric word.
func maskWord(b *strings.Builder, w string) {
	letters, digits, hex := 0, 0, true
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case isDigit(c):
			digits++
		case c == '.' || c == ',':
		default:
			letters++
			hex = hex && isHex(c)
		}
	}
	switch {
	case digits == 0:
		b.WriteString(w)
	case letters == 0:
		b.WriteString("<n>")
	case unitSuffix(w) > 0:
		// 123ms, 1.5s, 64KiB, 5xx
		b.WriteString("<n>")
		b.WriteString(w[len(w)-unitSuffix(w):])
	case hex:
		b.WriteString("<hex>")
	case len(w) >= 8:
		b.WriteString("<id>")
	default:
		// user42, v2, h2c: keep the letters, mask the numbers.
		for i := 0; i < len(w); {
			if isDigit(w[i]) {
				for i < len(w) && isDigit(w[i]) {
					i++
				}
				b.WriteString("<n>")
				continue
			}
			b.WriteByte(w[i])
			i++
		}
	}
}

// unitSuffix is the length of the letters ending w when w is a number
// followed by letters only; 0 otherwise.
func unitSuffix(w string) int {
	i := 0
	for i < len(w) && (isDigit(w[i]) || w[i] == '.' || w[i] == ',') {
		i++
	}
	if i == 0 || i == len(w) {
		return 0
	}
	for j := i; j < len(w); j++ {
		if isDigit(w[j]) {
			return 0
		}
	}
	return len(w) - i
}

// matchURL matches scheme://... up to a space, a quote or a closing
// bracket.
func matchURL(s string) int {
	i := 0
	for i < len(s) && i < 32 && (isAlnum(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-') {
		i++
	}
	if i == 0 || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') || !strings.HasPrefix(s[i:], "://") {
		return 0
	}
	i += 3
	for i < len(s) {
		c := s[i]
		if c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == ')' || c == ']' || c == '}' {
			break
		}
		i++
	}
	return i
}

// matchEmail matches local@domain.tld.
func matchEmail(s string) int {
	i := 0
	for i < len(s) && i < 128 && (isAlnum(s[i]) || strings.IndexByte("._%+-", s[i]) >= 0) {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != '@' {
		return 0
	}
	j := i + 1
	labels, labelLen := 0, 0
	for j < len(s) {
		c := s[j]
		if isAlnum(c) || c == '-' {
			labelLen++
			j++
			continue
		}
		if c == '.' && labelLen > 0 && j+1 < len(s) && isAlnum(s[j+1]) {
			labels++
			labelLen = 0
			j++
			continue
		}
		break
	}
	if labels == 0 || labelLen == 0 {
		return 0
	}
	return j
}

// matchUUID matches 8-4-4-4-12 hex digits not followed by a word byte.
func matchUUID(s string) int {
	if len(s) < 36 {
		return 0
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return 0
			}
		default:
			if !isHex(s[i]) {
				return 0
			}
		}
	}
	if len(s) > 36 && isWordByte(s[36]) {
		return 0
	}
	return 36
}

// matchIPv4 matches a dotted quad and an optional :port.
func matchIPv4(s string) int {
	i := 0
	for part := 0; part < 4; part++ {
		if part > 0 {
			if i >= len(s) || s[i] != '.' {
				return 0
			}
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) && i-start < 3 {
			i++
		}
		if i == start {
			return 0
		}
	}
	if i < len(s) && (isWordByte(s[i]) || s[i] == '.' && i+1 < len(s) && isDigit(s[i+1])) {
		return 0
	}
	return i + portLen(s[i:])
}

// portLen matches ":digits" not followed by a word byte.
func portLen(s string) int {
	if len(s) < 2 || s[0] != ':' || !isDigit(s[1]) {
		return 0
	}
	j := 1
	for j < len(s) && isDigit(s[j]) && j <= 5 {
		j++
	}
	if j < len(s) && isWordByte(s[j]) {
		return 0
	}
	return j
}

// matchIPv6 matches hex groups separated by colons, with "::" or eight
// groups (so that 12:34:56 stays a time), and an embedded IPv4 tail.
func matchIPv6(s string) int {
	if len(s) < 2 || !(isHex(s[0]) || s[0] == ':' && s[1] == ':') {
		return 0
	}
	i, colons, groupLen := 0, 0, 0
	double := false
	for i < len(s) && i < 45 {
		c := s[i]
		switch {
		case isHex(c):
			groupLen++
			if groupLen > 4 {
				return 0
			}
		case c == ':':
			if i+1 < len(s) && s[i+1] == ':' {
				if double {
					return 0
				}
				double = true
				colons++
				i++
			}
			colons++
			groupLen = 0
		case c == '.':
			// an IPv4 tail: ::ffff:10.0.0.1
			start := i - groupLen
			if n := matchIPv4(s[start:]); n > 0 && (double || colons == 6) {
				return start + n
			}
			return 0
		default:
			goto done
		}
		i++
	}
done:
	if i < len(s) && isWordByte(s[i]) {
		return 0
	}
	if colons < 2 || !(double || colons == 7) {
		return 0
	}
	return i
}

// matchHexLiteral matches 0x followed by hex digits.
func matchHexLiteral(s string) int {
	if len(s) < 3 || s[0] != '0' || s[1]|0x20 != 'x' || !isHex(s[2]) {
		return 0
	}
	i := 2
	for i < len(s) && isHex(s[i]) {
		i++
	}
	if i < len(s) && isWordByte(s[i]) {
		return 0
	}
	return i
}

// matchQuoted matches a quoted value on one line, at most 256 bytes,
// whose closing quote is not followed by a word byte (so "can't" and
// "it's" do not open a quote that runs to the next apostrophe).
func matchQuoted(s string) int {
	q := s[0]
	for i := 1; i < len(s) && i <= 256; i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			if i+1 < len(s) && isWordByte(s[i+1]) {
				return 0
			}
			return i + 1
		case '\n':
			return 0
		}
	}
	return 0
}

// MaskPath masks the variable segments of a request path and drops the
// query and fragment: numeric ids, UUIDs, hex and other ids become :id;
// the hash in a hashed asset name (app.3f9a1c2b.js, index-BnRz0aCd.js)
// becomes :hash.
func MaskPath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if len(p) > maxMaskInput {
		p = p[:maxMaskInput]
	}
	var b strings.Builder
	for i, seg := range strings.SplitN(p, "/", 67) {
		if i > 0 {
			b.WriteByte('/')
		}
		if i > 64 || b.Len() > maxMasked {
			b.WriteString("...")
			break
		}
		b.WriteString(maskSegment(seg))
	}
	out := b.String()
	if len(out) > maxMasked {
		out = out[:maxMasked]
	}
	return out
}

func maskSegment(seg string) string {
	if seg == "" {
		return seg
	}
	if idLike(seg) || matchUUID(seg) == len(seg) || strings.ContainsAny(seg, "@") || strings.Contains(seg, "%40") {
		return ":id"
	}
	// A file name: mask hash-like parts between the separators.
	ext := strings.LastIndexByte(seg, '.')
	hasExt := ext > 0 && ext < len(seg)-1 && len(seg)-ext <= 6
	var b strings.Builder
	start := 0
	for i := 0; i <= len(seg); i++ {
		if i < len(seg) && seg[i] != '.' && seg[i] != '-' && seg[i] != '_' {
			continue
		}
		part := seg[start:i]
		switch {
		case part == "":
		case hasExt && start > ext:
			b.WriteString(part) // the extension
		case isAllDigits(part):
			b.WriteString(":id")
		case hashLike(part, hasExt):
			b.WriteString(":hash")
		default:
			b.WriteString(part)
		}
		if i < len(seg) {
			b.WriteByte(seg[i])
		}
		start = i + 1
	}
	return b.String()
}

// idLike: a whole segment that is a number, hex with a digit, or a long
// token mixing letters and digits.
func idLike(s string) bool {
	letters, digits, hex := 0, 0, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits++
		case isAlnum(c) || c == '-' || c == '_':
			letters++
			hex = hex && isHex(c)
		default:
			return false
		}
	}
	switch {
	case digits == 0:
		return false
	case letters == 0:
		return true
	case hex && len(s) >= 6:
		return true
	}
	return len(s) >= 16 || len(s) >= 8 && digits >= 2
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// hashLike: a part of a file name that is a content hash: hex with a
// digit (6+), letters and digits (8+), or, in an asset name, 8+ letters of
// mixed case with capitals inside (base64 hashes of bundlers).
func hashLike(p string, asset bool) bool {
	letters, digits, upperInside, lower, hex := 0, 0, 0, 0, true
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case isDigit(c):
			digits++
		case 'a' <= c && c <= 'z':
			letters++
			lower++
			hex = hex && isHex(c)
		case 'A' <= c && c <= 'Z':
			letters++
			if i > 0 {
				upperInside++
			}
			hex = hex && isHex(c)
		default:
			return false
		}
	}
	switch {
	case digits > 0 && hex && len(p) >= 6:
		return true
	case digits > 0 && letters > 0 && len(p) >= 8:
		return true
	case asset && len(p) >= 8 && lower > 0 && upperInside >= 2:
		return true
	}
	return false
}

// secretKey reports whether the word s[start:end] names a secret value:
// password, token, secret, Authorization, Bearer, api_key and the like.
func secretKey(s string, start, end int) bool {
	switch strings.ToLower(s[start:end]) {
	case "password", "passwd", "pwd", "secret", "token", "apikey", "authorization",
		"credential", "credentials", "bearer", "signature":
		return true
	case "key":
		// api_key, access-key, private_key; a bare "key" is too common.
		if start < 2 || (s[start-1] != '_' && s[start-1] != '-') {
			return false
		}
		prev := strings.ToLower(s[max(0, start-8) : start-1])
		for _, p := range []string{"api", "access", "secret", "private"} {
			if strings.HasSuffix(prev, p) {
				return true
			}
		}
	}
	return false
}

// secretValue reads what follows a secret key: the separator ("=" or ":"
// with spaces, or only spaces after Bearer), an auth scheme word, an
// opening quote, then the value up to a space, quote or delimiter. It
// returns the length of what precedes the value and of the value; 0 for
// the value when there is none.
func secretValue(key, s string) (sep, val int) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	switch {
	case i < len(s) && (s[i] == '=' || s[i] == ':'):
		i++
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	case i > 0 && strings.EqualFold(key, "bearer"):
	default:
		return 0, 0
	}
	// "Authorization: Bearer xyz": the scheme word stays.
	if j := wordLen(s[i:]); j > 0 && (strings.EqualFold(s[i:i+j], "bearer") || strings.EqualFold(s[i:i+j], "basic")) {
		i += j
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		i++
	}
	j := i
	for j < len(s) && s[j] > ' ' && strings.IndexByte("\"'&,;)]}", s[j]) < 0 {
		j++
	}
	if j == i {
		return 0, 0
	}
	return i, j - i
}
