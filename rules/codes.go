package rules

// Auto codes name incidents in alerts: a mnemonic of the exception type, a
// dash and the first hex characters of the fingerprint, upper-cased
// (NPE-7F3A). The mnemonic rule (Mnemonic):
//
//   - the simple name of the type: after the last '.', ':', '/', '\' or
//     '$' (java.lang.NullPointerException, ActiveRecord::RecordNotFound,
//     Outer$InnerException), without generic arguments;
//   - a CamelCase name gives the initial of each word, and a run of
//     capitals or digits (an acronym) whole: NullPointerException NPE,
//     KeyError KE, IllegalArgumentException IAE, SQLException SQLE,
//     IOException IOE, S3Exception S3E, boundsError BE;
//   - a name without capitals gives its first word upper-cased: panic
//     PANIC, "fatal error" FATAL;
//   - at most 8 characters, A-Z and 0-9;
//   - no exception: HTTP and the status for an access-log event
//     (HTTP503), else ERR.
//
// Distinct groups get distinct codes: the CodeBook remembers which
// fingerprint holds each code, and a later fingerprint whose code is taken
// gets one more hex character until it is free (NPE-7F3A, then NPE-7F3A0).
// The first to arrive keeps the short code; persisting the book (Export,
// Import) keeps codes stable across restarts.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tattle-dev/tattle/parsers"
)

const (
	codeHexLen   = 4
	maxMnemonic  = 8
	defaultCodes = 100000
)

// Mnemonic is the code prefix of an event (see the file comment).
func Mnemonic(ev *parsers.Event) string {
	if ev.Exception != "" {
		if m := TypeMnemonic(ev.Exception); m != "" {
			return m
		}
	}
	if ev.Status >= 100 && ev.Status <= 999 {
		return "HTTP" + strconv.Itoa(ev.Status)
	}
	return "ERR"
}

// TypeMnemonic is the mnemonic of an exception type name, "" when the name
// has no letters or digits.
func TypeMnemonic(name string) string {
	simple := simpleTypeName(name)
	hasUpper := false
	for _, r := range simple {
		if unicode.IsUpper(r) {
			hasUpper = true
			break
		}
	}
	var b strings.Builder
	if !hasUpper {
		for _, r := range simple {
			if !isCodeRune(unicode.ToUpper(r)) {
				if b.Len() > 0 {
					break
				}
				continue
			}
			b.WriteRune(unicode.ToUpper(r))
		}
		return capMnemonic(b.String())
	}
	rs := []rune(simple)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r) && i == 0:
			// A run of capitals and digits; its last capital starts
			// the next word when a lower-case letter follows it.
			j := i
			for j < len(rs) && (unicode.IsUpper(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			if j < len(rs) && unicode.IsLower(rs[j]) && j-i > 1 && unicode.IsUpper(rs[j-1]) {
				j--
			}
			for _, x := range rs[i:j] {
				if isCodeRune(unicode.ToUpper(x)) {
					b.WriteRune(unicode.ToUpper(x))
				}
			}
			if j == i { // a single capital starting a word
				b.WriteRune(unicode.ToUpper(r))
				j = i + 1
			}
			for j < len(rs) && (unicode.IsLower(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			i = j
		case unicode.IsLower(r) && i == 0:
			// camelCase: the first word counts too.
			if isCodeRune(unicode.ToUpper(r)) {
				b.WriteRune(unicode.ToUpper(r))
			}
			i++
			for i < len(rs) && (unicode.IsLower(rs[i]) || unicode.IsDigit(rs[i])) {
				i++
			}
		default:
			i++
		}
	}
	return capMnemonic(b.String())
}

func isCodeRune(r rune) bool { return 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' }

func capMnemonic(s string) string {
	if len(s) > maxMnemonic {
		s = s[:maxMnemonic]
	}
	return s
}

// simpleTypeName strips the namespace and generic arguments of a type.
func simpleTypeName(name string) string {
	if i := strings.IndexAny(name, "<["); i > 0 {
		name = name[:i]
	}
	name = strings.TrimRight(name, ".:/\\$ ")
	if i := strings.LastIndexAny(name, ".:/\\$"); i >= 0 {
		name = name[i+1:]
	}
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	return strings.TrimSpace(name)
}

// CodeBook assigns auto codes so that distinct fingerprints never share
// one. It is safe for concurrent use.
type CodeBook struct {
	mu     sync.Mutex
	byFP   map[string]string // fingerprint -> code
	byCode map[string]string // code -> fingerprint ("" for reserved codes)
	// Max bounds the fingerprints remembered, so that a log that defeats
	// masking cannot grow the book without end. Past it, codes are still
	// derived from fingerprints but not checked for collisions.
	Max int
}

// NewCodeBook returns an empty book that remembers up to 100,000 codes.
func NewCodeBook() *CodeBook {
	return &CodeBook{byFP: map[string]string{}, byCode: map[string]string{}, Max: defaultCodes}
}

// Reserve keeps a code (a rule's own code) from being given out.
func (b *CodeBook) Reserve(code string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.byCode[code]; !ok {
		b.byCode[code] = ""
	}
}

// Code returns the code of fingerprint fp, assigning prefix-XXXX (the
// first hex characters of fp, upper-cased, more of them when the shorter
// code is taken) on first sight.
func (b *CodeBook) Code(prefix, fp string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.byFP[fp]; ok {
		return c
	}
	up := strings.ToUpper(fp)
	full := len(b.byFP) >= b.Max
	n := min(codeHexLen, len(up))
	for ; n <= len(up); n++ {
		code := prefix + "-" + up[:n]
		if full {
			return code
		}
		if owner, taken := b.byCode[code]; !taken || owner == fp {
			b.byFP[fp], b.byCode[code] = code, fp
			return code
		}
	}
	// Every prefix of fp is taken (a reserved code can shadow the whole
	// fingerprint): count on.
	for k := 2; ; k++ {
		code := fmt.Sprintf("%s-%s-%d", prefix, up, k)
		if _, taken := b.byCode[code]; !taken {
			b.byFP[fp], b.byCode[code] = code, fp
			return code
		}
	}
}

// Len is the number of fingerprints with a code.
func (b *CodeBook) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.byFP)
}

// Export returns a copy of the assignments, fingerprint to code.
func (b *CodeBook) Export() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]string, len(b.byFP))
	for fp, c := range b.byFP {
		out[fp] = c
	}
	return out
}

// Import adds saved assignments. It fails, changing nothing, when two
// fingerprints would share a code or a fingerprint already has another
// code.
func (b *CodeBook) Import(m map[string]string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	seen := make(map[string]string, len(m))
	for _, fp := range sortedKeys(m) {
		c := m[fp]
		if fp == "" || c == "" {
			return fmt.Errorf("code book: empty fingerprint or code")
		}
		if other, ok := seen[c]; ok {
			return fmt.Errorf("code book: code %s is given to both %s and %s", c, other, fp)
		}
		seen[c] = fp
		if have, ok := b.byFP[fp]; ok && have != c {
			return fmt.Errorf("code book: fingerprint %s has code %s, not %s", fp, have, c)
		}
		if owner, ok := b.byCode[c]; ok && owner != fp {
			return fmt.Errorf("code book: code %s is already taken", c)
		}
	}
	for fp, c := range m {
		b.byFP[fp], b.byCode[c] = c, fp
	}
	return nil
}

// codesOf lists a book's codes, sorted (tests, debugging).
func (b *CodeBook) codesOf() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.byFP))
	for _, c := range b.byFP {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
