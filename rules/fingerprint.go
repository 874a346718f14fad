package rules

// Fingerprints group what a person would call "the same error" (SPEC,
// "Codes and fingerprints"). The key hashed, by kind of event:
//
//   - with a stack trace: the exception types of the chain, and the frames
//     of the app's own code as module.function (never line numbers). When
//     no frame is in-app, all frames are used. Of a Go crash, only the
//     failing goroutine's frames count (Trace.Primary), not the other
//     goroutines' stacks, which differ from crash to crash. At most maxFrames frames
//     count: the first ones in text order (for Python, whose tracebacks
//     list the innermost call last, the last ones), after consecutive
//     repeats (recursion) are collapsed. Frame.Frames carry no exception
//     index, so the cap is per trace, not per exception of the chain.
//     Generated names are normalised (see normalizeIdent): CGLIB and
//     lambda classes, $Proxy12, GeneratedMethodAccessor7, lambda$main$0,
//     Java anonymous classes Foo$1, Go closures func1/func2 (stripped:
//     their numbering moves when an unrelated closure is added), .NET
//     b__0_0 and d__5. A frame without a module is keyed by its function
//     and its file's base name (hashed bundle names masked).
//   - an access-log event: the status, the method and the masked path
//     (MaskPath), query dropped.
//   - otherwise: the logger and the masked message (MaskMessage). Masking
//     runs before hashing, so a later secret-masking step cannot split a
//     group: a secret looks variable and is masked here already.
//
// The rule is part of every key (by its Name: name key, code, or a hash of
// its conditions, never its place in the file), so two rules never share
// an incident. A rule with a code and no group_by has one fingerprint for
// all its events; with group_by, the fingerprint is the rule and the
// group_by values (message and path masked).
//
// The fingerprint is the first 16 hex characters of a SHA-256.

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/parsers/traces"
)

// maxFrames bounds the frames a trace fingerprint uses.
const maxFrames = 20

// fpVersion changes when the key changes, so that old state does not
// silently mix with new groups.
const fpVersion = "tattle-fp-1"

type fpHasher struct{ parts []string }

func (h *fpHasher) add(s ...string) { h.parts = append(h.parts, s...) }

func (h *fpHasher) sum() string {
	d := sha256.New()
	for _, p := range h.parts {
		d.Write([]byte(strconv.Itoa(len(p))))
		d.Write([]byte{':'})
		d.Write([]byte(p))
	}
	return hex.EncodeToString(d.Sum(nil))[:16]
}

// Fingerprint returns the group key of an event matched by rule.
func Fingerprint(rule *Rule, ev *parsers.Event) string {
	h := &fpHasher{}
	h.add(fpVersion, rule.Name)
	switch {
	case len(rule.GroupBy) > 0:
		h.add("group")
		for _, f := range rule.GroupBy {
			h.add(f, groupValue(ev, f))
		}
	case rule.Code != "":
		h.add("code")
	default:
		contentKey(h, ev)
	}
	return h.sum()
}

// ContentFingerprint is the fingerprint an event gets from its content
// alone under the rule called ruleName (no code, no group_by).
func ContentFingerprint(ruleName string, ev *parsers.Event) string {
	return Fingerprint(&Rule{Name: ruleName}, ev)
}

func contentKey(h *fpHasher, ev *parsers.Event) {
	if t := ev.Trace; t != nil && (t.Exception != "" || len(t.Frames) > 0) {
		h.add("trace")
		for _, ty := range t.Types() {
			h.add(normalizeIdent(ty))
		}
		h.add("frames")
		for _, k := range frameKeys(t) {
			h.add(k)
		}
		return
	}
	if ev.Exception != "" {
		// A trace summary without its analysis (an event read back from
		// JSON): the types still tell errors apart.
		h.add("trace", normalizeIdent(ev.Exception))
		for _, c := range ev.Causes {
			h.add(normalizeIdent(c))
		}
		h.add("frames")
		return
	}
	if ev.Status != 0 {
		h.add("access", strconv.Itoa(ev.Status), strings.ToUpper(ev.Method), MaskPath(ev.Path))
		return
	}
	h.add("message", ev.Logger, MaskMessage(ev.Message))
}

// groupValue is the value of an event field named in group_by.
func groupValue(ev *parsers.Event, f string) string {
	switch f {
	case "source":
		return ev.Source
	case "file":
		return ev.File
	case "level":
		return ev.Level
	case "logger":
		return ev.Logger
	case "thread":
		return ev.Thread
	case "message":
		return MaskMessage(ev.Message)
	case "language":
		return ev.Language
	case "exception":
		return ev.Exception
	case "status":
		if ev.Status == 0 {
			return ""
		}
		return strconv.Itoa(ev.Status)
	case "method":
		return ev.Method
	case "path":
		return MaskPath(ev.Path)
	}
	if name, ok := strings.CutPrefix(f, "fields."); ok {
		return ev.Fields[name]
	}
	return ""
}

// frameKeys picks and normalises the frames a trace fingerprint uses.
func frameKeys(t *traces.Trace) []string {
	frames := t.Frames
	if t.Primary > 0 && t.Primary < len(frames) {
		frames = frames[:t.Primary] // a Go crash: not the other goroutines
	}
	var picked []*traces.Frame
	for i := range frames {
		if frames[i].InApp {
			picked = append(picked, &frames[i])
		}
	}
	if len(picked) == 0 {
		for i := range frames {
			picked = append(picked, &frames[i])
		}
	}
	var keys []string
	add := func(f *traces.Frame) {
		k := frameKey(f)
		if k == "" || len(keys) > 0 && keys[len(keys)-1] == k {
			return
		}
		keys = append(keys, k)
	}
	if t.Language == "python" {
		for i := len(picked) - 1; i >= 0 && len(keys) < maxFrames; i-- {
			add(picked[i])
		}
		// Back to text order, so the key reads like the trace.
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
		return keys
	}
	for _, f := range picked {
		if len(keys) >= maxFrames {
			break
		}
		add(f)
	}
	return keys
}

func frameKey(f *traces.Frame) string {
	mod, fn := normalizeIdent(f.Module), normalizeIdent(f.Function)
	switch {
	case mod != "" && fn != "":
		return mod + "." + fn
	case mod != "":
		return mod
	}
	file := ""
	if f.File != "" {
		file = maskSegment(path.Base(strings.ReplaceAll(f.File, `\`, "/")))
	}
	if fn == "" {
		return file
	}
	if file == "" {
		return fn
	}
	return fn + "@" + file
}

// Generated-name patterns, applied in order (see normalizeIdent).
var (
	reCGLIB      = regexp.MustCompile(`\$\$.*$`)               // Foo$$EnhancerBySpringCGLIB$$abc, Foo$$Lambda$12/0x...
	reHibernate  = regexp.MustCompile(`\$HibernateProxy\$.*$`) // Foo$HibernateProxy$xYz
	reNumbered   = regexp.MustCompile(`(\$Proxy|jdk\.proxy|Accessor|DisplayClass|\.func|\.gowrap)\d+(\.\d+)*`)
	reDollarNum  = regexp.MustCompile(`\$\d+`)          // lambda$main$0, Foo$1
	reDunderNum  = regexp.MustCompile(`__\d[\d_]*`)     // .NET <Main>b__0_0, d__5; Rails view methods
	reHexLiteral = regexp.MustCompile(`0x[0-9a-fA-F]+`) // addresses
	reLongNumber = regexp.MustCompile(`\d{5,}`)         // timestamps and ids in generated names
)

// normalizeIdent removes the parts of a type, module or function name that
// differ between runs or builds of the same code.
func normalizeIdent(s string) string {
	if s == "" {
		return s
	}
	// Every pattern but the CGLIB and Hibernate ones needs a digit, and
	// most names have none: this check keeps the regexps off the hot path
	// (they were a third of scan time on a Spring Boot log).
	if strings.Contains(s, "$$") {
		s = reCGLIB.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "$HibernateProxy$") {
		s = reHibernate.ReplaceAllString(s, "$$HibernateProxy")
	}
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	if strings.Contains(s, "Proxy") || strings.Contains(s, "proxy") || strings.Contains(s, "Accessor") ||
		strings.Contains(s, "DisplayClass") || strings.Contains(s, ".func") || strings.Contains(s, ".gowrap") {
		s = reNumbered.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "$") {
		s = reDollarNum.ReplaceAllString(s, "$$N")
	}
	if strings.Contains(s, "__") {
		s = reDunderNum.ReplaceAllString(s, "__N")
	}
	if strings.Contains(s, "0x") {
		s = reHexLiteral.ReplaceAllString(s, "0x")
	}
	if hasDigitRun(s, 5) {
		s = reLongNumber.ReplaceAllString(s, "N")
	}
	return s
}

// hasDigitRun reports whether s holds n or more digits in a row.
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
