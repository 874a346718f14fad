package rules

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestMatcherAnalysis(t *testing.T) {
	type L = []lit
	type C = []L // a conjunction of sets
	tests := []struct {
		pattern string
		pure    bool
		alts    []C // pure: one set that decides; else the prefilter (nil: none)
	}{
		{`ERROR|Exception|FATAL`, true, []C{{{{"ERROR", false}, {"Exception", false}, {"FATAL", false}}}}},
		{`Connection (refused|reset)`, true, []C{{{{"Connection refused", false}, {"Connection reset", false}}}}},
		{`colou?r`, true, []C{{{{"colour", false}, {"color", false}}}}},
		{`[Ee]rror`, true, []C{{{{"error", false}, {"Error", false}}}}},
		{`(?i)on`, true, []C{{{{"on", false}, {"oN", false}, {"On", false}, {"ON", false}}}}},
		{`(?i)ok`, false, []C{{{{"o", true}}}}}, // k folds with U+212A
		{`timeout`, true, []C{{{{"timeout", false}}}}},
		{`(?i)error|fatal`, true, []C{{{{"error", true}, {"fatal", true}}}}},
		{`(?i)http 5`, true, []C{{{{"http 5", true}}}}},
		{`^ERROR`, false, []C{{{{"ERROR", false}}}}},
		{`^ERROR|^FATAL`, false, []C{{{{"ERROR", false}, {"FATAL", false}}}}},
		{`\bdeadlock\b`, false, []C{{{{"deadlock", false}}}}},
		{`Connection (refused|reset) to \d+`, false, []C{{{{"Connection refused to ", false}, {"Connection reset to ", false}}}}},
		{`user \d+ not found`, false, []C{{{{" not found", false}}, {{"user ", false}}}}},
		{`payment .* failed`, false, []C{{{{"payment ", false}}, {{" failed", false}}}}},
		{`payment .* failed|timed? out`, false, []C{
			{{{"payment ", false}}, {{" failed", false}}},
			{{{"timed out", false}, {"time out", false}}},
		}},
		{`payment .* failed|.*`, false, nil},
		{`a.b.c.d.e`, false, []C{{{{"a", false}}, {{"b", false}}, {{"c", false}}}}},
		{`(foo|ba.r)x`, false, []C{{{{"foo", false}, {"ba", false}}, {{"x", false}}}}},
		{`(?i)mask`, false, []C{{{{"ma", true}}}}},      // k and s fold with non-ASCII runes
		{`(?i)Kelvin`, false, []C{{{{"elvin", true}}}}}, // K folds with U+212A
		{`x+y+`, false, []C{{{{"x", false}}, {{"y", false}}}}},
		{`\d+`, false, nil},
		{`.*`, false, nil},
		{`a?`, true, []C{{{{"a", false}, {"", false}}}}},
		{`caf\x{FFFD}s`, false, []C{{{{"caf", false}}, {{"s", false}}}}},
		{`(?i)x|\d`, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			m, err := compileMatcher(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			var got []C
			if m.pure {
				got = []C{{m.any.lits}}
			}
			for _, conj := range m.alts {
				var c C
				for _, set := range conj {
					c = append(c, set.lits)
				}
				got = append(got, c)
			}
			if m.pure != tt.pure || !reflect.DeepEqual(got, tt.alts) {
				t.Errorf("pure %v alts %+v, want pure %v alts %+v", m.pure, got, tt.pure, tt.alts)
			}
		})
	}
}

// matcherPatterns are checked against regexp on random text.
var matcherPatterns = []string{
	`ERROR|Exception|FATAL`, `Connection (refused|reset)`, `colou?r`, `[Ee]rror`, `(?i)error|fatal`,
	`(?i)mask`, `(?i)kelvin`, `(?i)ss`, `(?i)straße`, `^ERROR`, `ERROR$`, `(?m)^ERROR`, `\bERR\b`,
	`user \d+ not found`, `foo.*bar`, `(foo|ba.r)x`, `x+y+`, `a?`, `a{2,3}b`, `(?i)[a-c]x`, `é|ü`,
	`(?i)é`, `caf\x{FFFD}`, `\x{FFFD}`, `[^a]`, `(?s)a.b`, `(?U)a+?b`, `(a|b)(c|d)(e|f)(g|h)(i|j)`,
	`(?i)Error: (?-i)Timeout`, `time ?out|TIMEOUT`, `payment .* failed|timed? out`, `^ERROR|^FATAL|x\d`, `\Qa.b\E`, `(?i)İ|ı`, `ab|`, `(?i)a\x{212A}`,
}

// randomText draws from the bytes and runes the patterns care about,
// including invalid UTF-8, folding partners of ASCII letters and U+FFFD.
func randomText(rng *rand.Rand) []byte {
	pieces := []string{"a", "b", "c", "x", "y", "r", "o", "u", "l", "E", "R", "O", "e", "ERROR", "error",
		"Error", "FATAL", "Exception", "Connection ", "refused", "reset", "colour", "color", "mask", "MASK",
		"kelvin", "\u212a", "\u017f", "s", "S", "k", "K", "ß", "ẞ", "straße", "STRASSE", "é", "É", "ü", "caf",
		"\uFFFD", "\xff", "\xc3", "\xe2\x84", " ", "\n", "\t", "user ", "42", " not found", "foo", "bar", "baz",
		"İ", "ı", "i", "I", "time", "out", "TIMEOUT", "Timeout", ".", "a.b", "ERR", "_", "-",
		"user 42 not found", "payment 5 failed", "timed out", "x4", "acegi", "bdfhj", "ERROR: Timeout", "error: timeout", "aab", "aaab", "OK", "oK"}
	n := rng.IntN(12)
	var b []byte
	for range n {
		if rng.IntN(10) == 0 {
			b = append(b, byte(rng.IntN(256)))
			continue
		}
		b = append(b, pieces[rng.IntN(len(pieces))]...)
	}
	return b
}

func TestMatcherAgreesWithRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, p := range matcherPatterns {
		m, err := compileMatcher(p)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(p)
		hits := 0
		for range 20000 {
			in := randomText(rng)
			want := re.Match(in)
			if want {
				hits++
			}
			if got := m.match(in); got != want {
				t.Fatalf("%s on %q: matcher %v, regexp %v", p, in, got, want)
			}
			if got := m.matchString(string(in)); got != want {
				t.Fatalf("%s on %q: matchString %v, regexp %v", p, in, got, want)
			}
		}
		if hits == 0 && p != `caf\x{FFFD}` {
			// Each pattern should see both outcomes, or the check is
			// weaker than it looks.
			t.Errorf("%s never matched the random text", p)
		}
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		in, lit string
		want    bool
	}{
		{"an ERROR here", "error", true},
		{"an ErRoR", "error", true},
		{"an erro", "error", false},
		{"", "error", false},
		{"xHTTP 5", "http 5", true},
		{"HTTP  5", "http 5", false},
		{"eeeeeeeeeeerror", "error", true},
		{"EEEEEEEEEEEEerroR", "error", true},
		{"error", "error", true},
		{"@rror", "`rror", false},
	}
	for _, tt := range tests {
		if got := containsFold([]byte(tt.in), tt.lit); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v", tt.in, tt.lit, got)
		}
	}
}

func FuzzMatcher(f *testing.F) {
	for _, p := range matcherPatterns {
		f.Add(p, "an ERROR: Connection refused for user 42 kelvin \u212a straße")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			if _, err2 := compileMatcher(pattern); err2 == nil {
				t.Fatalf("compileMatcher accepted %q that regexp rejects", pattern)
			}
			return
		}
		m, err := compileMatcher(pattern)
		if err != nil {
			t.Fatalf("compileMatcher(%q): %v", pattern, err)
		}
		for _, in := range []string{input, strings.ToUpper(input), strings.ToLower(input)} {
			want := re.MatchString(in)
			if got := m.match([]byte(in)); got != want {
				t.Fatalf("%q on %q: matcher %v, regexp %v", pattern, in, got, want)
			}
			if got := m.matchString(in); got != want {
				t.Fatalf("%q on %q: matchString %v, regexp %v", pattern, in, got, want)
			}
		}
	})
}
