package rules

// This file makes a rule's regular expressions cheap on the lines they do
// not match, which is nearly every line. regexp/syntax tells what literal
// text every match must contain; a line without it is rejected with a
// substring search and the regexp never runs. A pattern that is nothing but
// literals (ERROR|Exception|FATAL, colou?r, [Ee]rror) needs no regexp at
// all. Two cases need care to stay exactly equal to regexp.Match:
//
//   - (?i) literals: Unicode folding pairs some ASCII letters with non-ASCII
//     runes ((?i)k matches the Kelvin sign U+212A, (?i)s matches U+017F), so
//     only letters whose whole fold orbit is ASCII are searched by ASCII
//     case folding; a literal is cut around the others.
//   - invalid UTF-8: regexp reads each bad byte as U+FFFD, which a byte
//     search for U+FFFD's encoding would not find, so literals holding
//     U+FFFD are cut around it too.

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lit is a literal a match must contain. A fold literal is lower-case
// ASCII and matches in any ASCII case.
type lit struct {
	s    string
	fold bool
}

// litSet holds literals of which a text must contain at least one; b
// caches them as bytes for the search.
type litSet struct {
	lits []lit
	b    [][]byte
}

func newLitSet(ls []lit) litSet {
	set := litSet{lits: ls, b: make([][]byte, len(ls))}
	for i, l := range ls {
		set.b[i] = []byte(l.s)
	}
	return set
}

// matcher is one compiled rule pattern.
type matcher struct {
	re *regexp.Regexp
	// pure: the pattern matches exactly the texts that contain one of
	// any, and the regexp is never run.
	pure bool
	any  litSet
	// alts, when !pure and non-nil: a match contains, for one of the
	// alternatives, a literal of each of its sets. The regexp runs only
	// on text that does. A pattern whose top is an alternation gets one
	// alternative per branch; others get one.
	alts [][]litSet
}

const (
	maxLits   = 16  // literals in a set
	maxLitLen = 256 // bytes in one literal
	maxSets   = 3   // sets one alternative checks
)

func compileMatcher(pattern string) (*matcher, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	m := &matcher{re: re}
	sre, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return m, nil // regexp accepted it, so this does not happen
	}
	sre = sre.Simplify()
	in := analyze(sre, 0)
	if in.exactOK && !in.assert && len(in.exact) <= maxLits && !weakSet(in.exact) {
		m.pure, m.any = true, newLitSet(in.exact)
		return m, nil
	}
	top := sre
	for top.Op == syntax.OpCapture {
		top = top.Sub[0]
	}
	if top.Op == syntax.OpAlternate && len(top.Sub) <= maxLits && !(in.exactOK && usable(in.exact)) {
		var alts [][]litSet
		for _, br := range top.Sub {
			conj := conjunction(analyze(br, 1))
			if conj == nil {
				alts = nil // a branch without literals: no prefilter
				break
			}
			alts = append(alts, conj)
		}
		if alts != nil {
			m.alts = alts
			return m, nil
		}
	}
	if conj := conjunction(in); conj != nil {
		m.alts = [][]litSet{conj}
	}
	return m, nil
}

// conjunction is the sets a node's every match holds a literal of.
func conjunction(in info) []litSet {
	if in.exactOK && usable(in.exact) {
		return []litSet{newLitSet(in.exact)}
	}
	var out []litSet
	for _, set := range bestSets(in.reqs, maxSets) {
		out = append(out, newLitSet(set))
	}
	return out
}

// prefilter reports whether b may match: some alternative's sets all hit.
func (m *matcher) prefilter(b []byte) bool {
	if m.alts == nil {
		return true
	}
next:
	for _, conj := range m.alts {
		for i := range conj {
			if !containsAny(b, conj[i]) {
				continue next
			}
		}
		return true
	}
	return false
}

func (m *matcher) prefilterString(s string) bool {
	if m.alts == nil {
		return true
	}
next:
	for _, conj := range m.alts {
		for i := range conj {
			if !containsAnyString(s, conj[i]) {
				continue next
			}
		}
		return true
	}
	return false
}

// match reports whether b matches the pattern.
func (m *matcher) match(b []byte) bool {
	if m.pure {
		return containsAny(b, m.any)
	}
	return m.prefilter(b) && m.re.Match(b)
}

func (m *matcher) matchString(s string) bool {
	if m.pure {
		return containsAnyString(s, m.any)
	}
	return m.prefilterString(s) && m.re.MatchString(s)
}

// info is what analyze learned about a pattern node.
type info struct {
	// exact is every string the node can match (empty-width assertions
	// read as ""), when exactOK.
	exact   []lit
	exactOK bool
	// reqs: every match of the node contains a literal of each set.
	reqs [][]lit
	// assert: the node holds an empty-width assertion, so exact is a
	// superset of the truth and cannot decide a match alone.
	assert bool
}

func exactInfo(ls []lit) info { return info{exact: ls, exactOK: true} }

const maxDepth = 200

func analyze(re *syntax.Regexp, depth int) info {
	if depth > maxDepth {
		return info{assert: true}
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return exactInfo([]lit{})
	case syntax.OpEmptyMatch:
		return exactInfo([]lit{{}})
	case syntax.OpLiteral:
		return literalInfo(re.Rune, re.Flags&syntax.FoldCase != 0)
	case syntax.OpCharClass:
		return classInfo(re.Rune)
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		in := exactInfo([]lit{{}})
		in.assert = true
		return in
	case syntax.OpCapture:
		return analyze(re.Sub[0], depth+1)
	case syntax.OpStar:
		return info{assert: analyze(re.Sub[0], depth+1).assert}
	case syntax.OpQuest:
		sub := analyze(re.Sub[0], depth+1)
		out := info{assert: sub.assert}
		if sub.exactOK && len(sub.exact) < maxLits {
			out.exact, out.exactOK = union(sub.exact, []lit{{}})
		}
		return out
	case syntax.OpPlus:
		return atLeastOnce(analyze(re.Sub[0], depth+1))
	case syntax.OpRepeat:
		sub := analyze(re.Sub[0], depth+1)
		if re.Min < 1 {
			return info{assert: sub.assert}
		}
		return atLeastOnce(sub)
	case syntax.OpConcat:
		return concatInfo(re.Sub, depth)
	case syntax.OpAlternate:
		return alternateInfo(re.Sub, depth)
	}
	// Any character, and whatever else: no literal is required.
	return info{}
}

// atLeastOnce: a match holds at least one match of the node.
func atLeastOnce(sub info) info {
	return info{assert: sub.assert, reqs: requirements(sub)}
}

// requirements lists the node's "contains one of" sets.
func requirements(in info) [][]lit {
	out := append([][]lit(nil), in.reqs...)
	if in.exactOK && usable(in.exact) {
		out = append(out, in.exact)
	}
	return out
}

// usable: a set that constrains a match (no "") and is worth searching.
func usable(set []lit) bool {
	if len(set) > maxLits || weakSet(set) {
		return false
	}
	for _, l := range set {
		if l.s == "" {
			return false
		}
	}
	return true
}

func shortest(set []lit) int {
	n := maxLitLen + 1
	for _, l := range set {
		n = min(n, len(l.s))
	}
	return n
}

// bestSets picks up to n usable sets, the most selective first: the
// longest shortest literal, then the fewest literals.
func bestSets(sets [][]lit, n int) [][]lit {
	var out [][]lit
	for _, s := range sets {
		if !usable(s) {
			continue
		}
		dup := false
		for _, o := range out {
			if slices.Equal(o, s) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := shortest(out[i]), shortest(out[j])
		if a != b {
			return a > b
		}
		return len(out[i]) < len(out[j])
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// weakSet: many one-byte literals (\d, [a-z]) cost more searches than
// the regexp they would spare.
func weakSet(c []lit) bool {
	if len(c) <= 3 {
		return false
	}
	for _, l := range c {
		if len(l.s) == 1 {
			return true
		}
	}
	return false
}

// foldSafe reports whether r's case-folding orbit is all ASCII.
func foldSafe(r rune) bool {
	if r >= utf8.RuneSelf {
		return false
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func literalInfo(runes []rune, fold bool) info {
	// Cut the literal into pieces a byte search handles exactly.
	var pieces []string
	var cur strings.Builder
	whole := true
	for _, r := range runes {
		ok := r != utf8.RuneError && (!fold || foldSafe(r))
		if !ok {
			whole = false
			pieces = append(pieces, cur.String())
			cur.Reset()
			continue
		}
		if fold {
			r = unicode.ToLower(r)
		}
		cur.WriteRune(r)
	}
	pieces = append(pieces, cur.String())
	mk := func(s string) lit {
		return lit{s: s, fold: fold && hasASCIILetter(s)}
	}
	if whole && fold && letterCount(pieces[0]) <= 2 {
		// A short folded literal (often [Ee] written as a class) joins
		// case-sensitive neighbours better as its few case variants.
		return exactInfo(caseVariants(pieces[0]))
	}
	if whole {
		if len(pieces[0]) > maxLitLen {
			return info{reqs: [][]lit{{mk(pieces[0][:maxLitLen])}}}
		}
		return exactInfo([]lit{mk(pieces[0])})
	}
	// Every piece is required.
	var reqs [][]lit
	for _, p := range pieces {
		if len(p) > maxLitLen {
			p = p[:maxLitLen]
		}
		if p != "" {
			reqs = append(reqs, []lit{mk(p)})
		}
	}
	return info{reqs: bestSets(reqs, maxSets)}
}

func letterCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; 'a' <= c && c <= 'z' {
			n++
		}
	}
	return n
}

// caseVariants spells lower-case ASCII s in every mix of cases.
func caseVariants(s string) []lit {
	out := []lit{{}}
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := make([]lit, 0, 2*len(out))
		for _, l := range out {
			next = append(next, lit{s: l.s + string(c)})
			if 'a' <= c && c <= 'z' {
				next = append(next, lit{s: l.s + string(c-('a'-'A'))})
			}
		}
		out = next
	}
	return out
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// classInfo turns a small character class into its runes.
func classInfo(ranges []rune) info {
	var out []lit
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi-lo >= maxLits || len(out)+int(hi-lo)+1 > maxLits {
			return info{}
		}
		for r := lo; r <= hi; r++ {
			if r == utf8.RuneError || r > unicode.MaxRune || (0xD800 <= r && r <= 0xDFFF) {
				return info{}
			}
			out = append(out, lit{s: string(r)})
		}
	}
	return exactInfo(out)
}

func union(a, b []lit) ([]lit, bool) {
	out := make([]lit, 0, len(a)+len(b))
	out = append(out, a...)
	for _, l := range b {
		dup := false
		for _, o := range out {
			if o == l {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out, len(out) <= maxLits
}

// joinLit concatenates two literals when one search can find the result:
// same folding, or the case-sensitive side has no letters.
func joinLit(a, b lit) (lit, bool) {
	if a.fold != b.fold {
		switch {
		case a.s == "" || !a.fold && !hasASCIILetter(a.s) && isASCII(a.s):
			a.fold = b.fold
		case b.s == "" || !b.fold && !hasASCIILetter(b.s) && isASCII(b.s):
			b.fold = a.fold
		default:
			return lit{}, false
		}
	}
	if len(a.s)+len(b.s) > maxLitLen {
		return lit{}, false
	}
	return lit{s: a.s + b.s, fold: a.fold}, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// product is every concatenation of a string of a with one of b.
func product(a, b []lit) ([]lit, bool) {
	if len(a)*len(b) > maxLits {
		return nil, false
	}
	out := make([]lit, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			j, ok := joinLit(x, y)
			if !ok {
				return nil, false
			}
			out = append(out, j)
		}
	}
	out, _ = union(out, nil)
	return out, true
}

func concatInfo(subs []*syntax.Regexp, depth int) info {
	out := info{}
	run := []lit{{}} // product of the current run of exact parts
	allExact := true
	for _, s := range subs {
		in := analyze(s, depth+1)
		out.assert = out.assert || in.assert
		if in.exactOK {
			if p, ok := product(run, in.exact); ok {
				run = p
				continue
			}
			// Too many or unjoinable: close the run and start anew.
			allExact = false
			out.reqs = append(out.reqs, run)
			run = in.exact
			continue
		}
		allExact = false
		out.reqs = append(out.reqs, run)
		out.reqs = append(out.reqs, in.reqs...)
		run = []lit{{}}
	}
	if allExact {
		out.exact, out.exactOK, out.reqs = run, true, nil
		return out
	}
	out.reqs = bestSets(append(out.reqs, run), maxSets)
	return out
}

// alternateInfo: a match matches one branch, so it contains one literal of
// the union of one required set per branch.
func alternateInfo(subs []*syntax.Regexp, depth int) info {
	out := info{exactOK: true}
	var either []lit
	eitherOK := true
	for _, s := range subs {
		in := analyze(s, depth+1)
		out.assert = out.assert || in.assert
		if out.exactOK {
			if in.exactOK {
				out.exact, out.exactOK = union(out.exact, in.exact)
			} else {
				out.exactOK = false
			}
		}
		if eitherOK {
			if best := bestSets(requirements(in), 1); len(best) == 1 {
				either, eitherOK = union(either, best[0])
			} else {
				eitherOK = false
			}
		}
	}
	if !out.exactOK {
		out.exact = nil
	}
	if eitherOK {
		out.reqs = [][]lit{either}
	}
	return out
}

func containsAny(b []byte, set litSet) bool {
	for i, l := range set.lits {
		if l.fold {
			if containsFold(b, l.s) {
				return true
			}
		} else if bytes.Contains(b, set.b[i]) {
			return true
		}
	}
	return false
}

func containsAnyString(s string, set litSet) bool {
	for _, l := range set.lits {
		if l.fold {
			if containsFold([]byte(s), l.s) {
				return true
			}
		} else if strings.Contains(s, l.s) {
			return true
		}
	}
	return false
}

// containsFold reports whether b contains l (lower-case ASCII) in any
// ASCII case. It anchors on a byte of l that is not a letter when there is
// one (an exact IndexByte), else on the first letter in both cases.
func containsFold(b []byte, l string) bool {
	n := len(l)
	if n == 0 {
		return true
	}
	if len(b) < n {
		return false
	}
	k := -1
	for i := 0; i < n; i++ {
		if c := l[i]; !('a' <= c && c <= 'z') {
			k = i
			break
		}
	}
	if k >= 0 {
		c := l[k]
		for off := k; off <= len(b)-(n-k); {
			j := bytes.IndexByte(b[off:len(b)-(n-k-1)], c)
			if j < 0 {
				return false
			}
			start := off + j - k
			if equalFoldLower(b[start:start+n], l) {
				return true
			}
			off += j + 1
		}
		return false
	}
	lo, up := l[0], l[0]-('a'-'A')
	last := len(b) - n // last start
	nextLo, nextUp := -2, -2
	for pos := 0; pos <= last; {
		if nextLo < pos && nextLo != -1 {
			nextLo = indexFrom(b[:last+1], lo, pos)
		}
		if nextUp < pos && nextUp != -1 {
			nextUp = indexFrom(b[:last+1], up, pos)
		}
		p := nextLo
		if p < 0 || nextUp >= 0 && nextUp < p {
			p = nextUp
		}
		if p < 0 {
			return false
		}
		if equalFoldLower(b[p+1:p+n], l[1:]) {
			return true
		}
		pos = p + 1
	}
	return false
}

func indexFrom(b []byte, c byte, from int) int {
	if from >= len(b) {
		return -1
	}
	j := bytes.IndexByte(b[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}

// equalFoldLower compares b with lower-case ASCII l, ignoring ASCII case.
func equalFoldLower(b []byte, l string) bool {
	for i := 0; i < len(l); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != l[i] {
			return false
		}
	}
	return true
}
