package rules

// This file reads the decoded TOML maps into a Config, section by section,
// and validates every field. Each getter records the key it reads, so that
// whatever a table holds beyond them is reported as an unknown key.

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tattle-dev/tattle/parsers"
)

type decoder struct {
	file string
	pos  posIndex
	env  func(string) (string, bool)
	errs []*FieldError
	// declared names every source and channel table, valid or not, so
	// that a rule naming a broken one is not also told it does not exist.
	declared map[string]bool
}

// table is one TOML table being read.
type table struct {
	path  string
	m     map[string]any
	known []string
}

func (t *table) field(key string) string { return joinPath(t.path, renderKey(key)) }

// locate finds the position of a field path, falling back to its nearest
// recorded parent (a missing key is reported at its table's header).
func (d *decoder) locate(field string, atKey bool) position {
	for p := field; p != ""; p = parentPath(p) {
		if e, ok := d.pos[p]; ok {
			if atKey || p != field {
				return e.key
			}
			return e.val
		}
	}
	return position{}
}

func (d *decoder) add(field string, atKey bool, msg string, err error) {
	p := d.locate(field, atKey)
	d.errs = append(d.errs, &FieldError{File: d.file, Line: p.line, Col: p.col, Field: field, Msg: msg, Err: err})
}

// errorf reports a problem with a field's value.
func (d *decoder) errorf(field, format string, args ...any) {
	d.add(field, false, fmt.Sprintf(format, args...), nil)
}

// parentPath drops the last segment of a field path ("rule[2].x" ->
// "rule[2]" -> "rule"), minding quoted segments.
func parentPath(p string) string {
	last := 0 // start of the last segment, including its separator
	for i := 0; i < len(p); {
		switch p[i] {
		case '"':
			q, err := strconv.QuotedPrefix(p[i:])
			if err != nil {
				return ""
			}
			i += len(q)
		case '.', '[':
			last = i
			i++
		default:
			i++
		}
	}
	return p[:last]
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		return "datetime"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	case []map[string]any:
		return "array of tables"
	}
	return fmt.Sprintf("%T", v)
}

func (d *decoder) get(t *table, key string) (any, bool) {
	t.known = append(t.known, key)
	v, ok := t.m[key]
	return v, ok
}

// sub reads a sub-table; ok is false when absent or not a table.
func (d *decoder) sub(parent *table, key string) (*table, bool) {
	v, ok := d.get(parent, key)
	if !ok {
		return nil, false
	}
	return d.asTable(parent.field(key), v)
}

func (d *decoder) asTable(path string, v any) (*table, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		d.errorf(path, "must be a table (got %s)", typeName(v))
		return nil, false
	}
	return &table{path: path, m: m}, true
}

// expand applies ${VAR} expansion to a string read from field.
func (d *decoder) expand(field, s string) (string, bool) {
	out, err := expandEnv(s, d.env)
	if err != nil {
		d.add(field, false, err.Error(), nil)
		return "", false
	}
	return out, true
}

// str reads a string; ok is false when absent or wrong.
func (d *decoder) str(t *table, key string) (string, bool) {
	v, ok := d.get(t, key)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		d.errorf(t.field(key), "must be a string (got %s)", typeName(v))
		return "", false
	}
	return d.expand(t.field(key), s)
}

// strs reads a list of strings; a single string is a list of one.
func (d *decoder) strs(t *table, key string) ([]string, bool) {
	v, ok := d.get(t, key)
	if !ok {
		return nil, false
	}
	f := t.field(key)
	switch v := v.(type) {
	case string:
		s, ok := d.expand(f, v)
		if !ok {
			return nil, false
		}
		return []string{s}, true
	case []any:
		out := make([]string, 0, len(v))
		good := true
		for i, el := range v {
			ef := f + "[" + strconv.Itoa(i) + "]"
			s, isStr := el.(string)
			if !isStr {
				d.errorf(ef, "must be a string (got %s)", typeName(el))
				good = false
				continue
			}
			s, ok := d.expand(ef, s)
			if !ok {
				good = false
				continue
			}
			out = append(out, s)
		}
		return out, good
	}
	d.errorf(f, "must be a list of strings (got %s)", typeName(v))
	return nil, false
}

// strMap reads a table of strings.
func (d *decoder) strMap(t *table, key string) (map[string]string, bool) {
	sub, ok := d.sub(t, key)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(sub.m))
	good := true
	for _, k := range sortedKeys(sub.m) {
		v := sub.m[k]
		s, isStr := v.(string)
		if !isStr {
			d.errorf(sub.field(k), "must be a string (got %s)", typeName(v))
			good = false
			continue
		}
		s, ok := d.expand(sub.field(k), s)
		if !ok {
			good = false
			continue
		}
		out[k] = s
	}
	return out, good
}

// integer reads an integer within [lo, hi].
func (d *decoder) integer(t *table, key string, lo, hi int64) (int, bool) {
	v, ok := d.get(t, key)
	if !ok {
		return 0, false
	}
	n, isInt := v.(int64)
	if !isInt {
		d.errorf(t.field(key), "must be an integer (got %s)", typeName(v))
		return 0, false
	}
	if n < lo || n > hi {
		d.errorf(t.field(key), "must be between %d and %d (got %d)", lo, hi, n)
		return 0, false
	}
	return int(n), true
}

const durationHint = "use a number and a unit such as 90s, 5m, 1h"

// duration reads a duration string; positive requires > 0, else >= 0.
func (d *decoder) duration(t *table, key string, positive bool) (time.Duration, bool) {
	v, ok := d.get(t, key)
	if !ok {
		return 0, false
	}
	f := t.field(key)
	s, isStr := v.(string)
	if !isStr {
		d.errorf(f, "must be a duration string such as \"5m\" (got %s)", typeName(v))
		return 0, false
	}
	s, ok = d.expand(f, s)
	if !ok {
		return 0, false
	}
	dur, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		d.errorf(f, "bad duration %q (%s)", s, durationHint)
		return 0, false
	}
	if positive && dur <= 0 {
		d.errorf(f, "must be > 0 (got %s)", dur)
		return 0, false
	}
	if dur < 0 {
		d.errorf(f, "must not be negative (got %s)", dur)
		return 0, false
	}
	return dur, true
}

// unknownKeys reports keys of t that no getter read.
func (d *decoder) unknownKeys(t *table, what string) {
	for _, k := range sortedKeys(t.m) {
		if containsStr(t.known, k) {
			continue
		}
		msg := "unknown key"
		if what != "" {
			msg += " for " + what
		}
		if near := nearest(k, t.known); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		} else {
			msg += " (known: " + strings.Join(t.known, ", ") + ")"
		}
		d.add(t.field(k), true, msg, nil)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nearest returns the known key within edit distance 2 of k, if one is.
func nearest(k string, known []string) string {
	best, bestD := "", 3
	for _, c := range known {
		if dist := editDistance(k, c, bestD); dist < bestD {
			best, bestD = c, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or max when it is
// at least max (keys are short; this bounds the work on long ones).
func editDistance(a, b string, max int) int {
	if len(a) > 64 || len(b) > 64 {
		return max
	}
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > max {
		return max
	}
	return prev[len(b)]
}

var nameRE = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

const nameRule = "must be 1-64 characters of a-z, 0-9, _ and -"

var codeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,23}$`)

// config reads the whole document.
func (d *decoder) config(m map[string]any) *Config {
	root := &table{m: m}
	c := &Config{Tattle: Tattle{Listen: DefaultListen, FlushInterval: DefaultFlushInterval}}
	if t, ok := d.sub(root, "tattle"); ok {
		d.tattle(t, &c.Tattle)
	}
	d.declared = map[string]bool{}
	var srcIdx []int // [[source]] index of each kept source
	for i, t := range d.tables(root, "source") {
		if name, ok := t.m["name"].(string); ok {
			d.declared["source "+name] = true
		}
		if s := d.source(t); s != nil {
			if j := indexOfSource(c.Sources, s.Name); j >= 0 {
				d.errorf(t.field("name"), "%q is already used by source[%d]", s.Name, srcIdx[j])
				continue
			}
			c.Sources = append(c.Sources, s)
			srcIdx = append(srcIdx, i)
		}
	}
	if ct, ok := d.sub(root, "channel"); ok {
		for _, name := range sortedKeys(ct.m) {
			f := ct.field(name)
			d.declared["channel "+name] = true
			t, ok := d.asTable(f, ct.m[name])
			if !ok {
				continue
			}
			if !nameRE.MatchString(name) {
				d.add(f, true, fmt.Sprintf("channel name %q %s", name, nameRule), nil)
				continue
			}
			if ch := d.channel(name, t); ch != nil {
				c.Channels = append(c.Channels, ch)
			}
		}
	}
	var channelNames []string
	for _, ch := range c.Channels {
		channelNames = append(channelNames, ch.Name)
	}
	ruleTables := d.tables(root, "rule")
	var ruleIdx []int // [[rule]] index of each kept rule
	for i, t := range ruleTables {
		r := d.rule(t, c)
		if r == nil {
			continue
		}
		dup := false
		for j, o := range c.Rules {
			switch {
			case r.Code != "" && o.Code == r.Code:
				d.errorf(t.field("code"), "%q is already used by rule[%d]", r.Code, ruleIdx[j])
				dup = true
			case o.Name == r.Name:
				if _, named := t.m["name"]; named {
					d.errorf(t.field("name"), "%q is already used by rule[%d]", r.Name, ruleIdx[j])
				} else {
					d.errorf(t.path, "matches exactly what rule[%d] matches, so it never would (give one of them a name or a code)", ruleIdx[j])
				}
				dup = true
			}
			if dup {
				break
			}
		}
		if !dup {
			c.Rules = append(c.Rules, r)
			ruleIdx = append(ruleIdx, i)
		}
	}
	if len(ruleTables) == 0 {
		c.Rules = builtinRules(channelNames)
	}
	d.unknownKeys(root, "")
	return c
}

func indexOfSource(list []*Source, name string) int {
	for i, s := range list {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// tables reads an array of tables such as [[rule]].
func (d *decoder) tables(root *table, key string) []*table {
	v, ok := d.get(root, key)
	if !ok {
		return nil
	}
	arr, isArr := v.([]map[string]any)
	if list, isList := v.([]any); isList {
		// An inline array of tables: rule = [{ code = "A" }, ...].
		isArr = true
		for _, el := range list {
			m, isMap := el.(map[string]any)
			if !isMap {
				isArr = false
				break
			}
			arr = append(arr, m)
		}
	}
	if !isArr {
		d.errorf(root.field(key), "must be written as [[%s]] tables (got %s)", key, typeName(v))
		return nil
	}
	out := make([]*table, len(arr))
	for i, m := range arr {
		out[i] = &table{path: key + "[" + strconv.Itoa(i) + "]", m: m}
	}
	return out
}

const (
	maxLineBytesLimit  = 16 << 20
	maxEventLinesLimit = 1000000
	maxEventBytesLimit = 64 << 20
)

func (d *decoder) limits(t *table, l *parsers.Limits) {
	if n, ok := d.integer(t, "max_line_bytes", 256, maxLineBytesLimit); ok {
		l.MaxLineBytes = n
	}
	if n, ok := d.integer(t, "max_event_lines", 1, maxEventLinesLimit); ok {
		l.MaxEventLines = n
	}
	if n, ok := d.integer(t, "max_event_bytes", 256, maxEventBytesLimit); ok {
		l.MaxEventBytes = n
	}
}

func (d *decoder) tattle(t *table, c *Tattle) {
	if s, ok := d.str(t, "state_dir"); ok {
		c.StateDir = s
	}
	if s, ok := d.str(t, "listen"); ok {
		if s != "" && !validHostPort(s) {
			d.errorf(t.field("listen"), "want host:port such as %q, or \"\" to turn the listener off (got %q)", DefaultListen, s)
		}
		c.Listen = s
	}
	if s, ok := d.str(t, "public_url"); ok {
		if s != "" && !validHTTPURL(s) {
			d.errorf(t.field("public_url"), "want an http or https URL such as \"http://ops.example.com:9740\"")
		}
		c.PublicURL = s
	}
	if s, ok := d.str(t, "hostname"); ok {
		c.Hostname = s
	}
	d.limits(t, &c.Limits)
	if dur, ok := d.duration(t, "flush_interval", true); ok {
		c.FlushInterval = dur
	}
	d.unknownKeys(t, "")
}

func validHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

// validHTTPURL checks an http(s) URL. Callers never print the URL or the
// parse error, which quotes it: URLs may carry credentials.
func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (d *decoder) source(t *table) *Source {
	s := &Source{Format: "auto", Start: "end"}
	good := true
	name, ok := d.str(t, "name")
	switch {
	case !ok:
		if _, present := t.m["name"]; !present {
			d.errorf(t.path, "missing name")
		}
		good = false
	case !nameRE.MatchString(name):
		d.errorf(t.field("name"), "%s (got %q)", nameRule, name)
		good = false
	}
	s.Name = name
	if paths, ok := d.strs(t, "paths"); ok {
		s.Paths = paths
		if len(paths) == 0 {
			d.errorf(t.field("paths"), "must list at least one glob")
		}
		d.globs(t.field("paths"), paths)
	} else if _, present := t.m["paths"]; !present {
		d.errorf(t.path, "missing paths")
	}
	if ex, ok := d.strs(t, "exclude"); ok {
		s.Exclude = ex
		d.globs(t.field("exclude"), ex)
	}
	if f, ok := d.str(t, "format"); ok {
		s.Format = f
		if !containsStr(parsers.FormatNames(), f) {
			d.errorf(t.field("format"), "unknown format %q (known: %s)", f, strings.Join(parsers.FormatNames(), ", "))
			good = false
		}
	}
	pattern, hasPattern := d.str(t, "pattern")
	s.Pattern = pattern
	switch {
	case s.Format == "regex" && !hasPattern:
		if _, present := t.m["pattern"]; !present {
			d.errorf(t.field("format"), "format \"regex\" needs a pattern with named groups, such as pattern = '^(?P<level>[A-Z]+) (?P<message>.*)$'")
		}
	case s.Format == "regex":
		if _, err := regexp.Compile(pattern); err != nil {
			d.add(t.field("pattern"), false, regexMsg(err), err)
		} else if _, err := parsers.NewRegexFormat(pattern); err != nil {
			d.errorf(t.field("pattern"), "has no named group such as (?P<level>...) or (?P<message>...)")
		}
	case hasPattern:
		d.errorf(t.field("pattern"), "is used only with format \"regex\" (format is %q)", s.Format)
	}
	jsonish := s.Format == "json" || s.Format == "auto"
	if p, ok := d.str(t, "preset"); ok {
		s.Preset = p
		if !jsonish {
			d.errorf(t.field("preset"), "is used only with format \"json\" or \"auto\" (format is %q)", s.Format)
		} else if err := checkJSONOptions(parsers.FormatOptions{Preset: p}); err != nil {
			d.add(t.field("preset"), false, err.Error(), err)
		}
	}
	if _, present := t.m["fields"]; present {
		if fm, ok := d.strMap(t, "fields"); ok {
			s.Fields = fm
			if !jsonish {
				d.errorf(t.field("fields"), "is used only with format \"json\" or \"auto\" (format is %q)", s.Format)
			} else if err := checkJSONOptions(parsers.FormatOptions{Fields: fm}); err != nil {
				d.add(t.field("fields"), false, err.Error(), err)
			}
		}
	} else {
		d.get(t, "fields")
	}
	if l, ok := d.strs(t, "in_app"); ok {
		s.InApp = l
	}
	if st, ok := d.str(t, "start"); ok {
		if st != "end" && st != "beginning" {
			d.errorf(t.field("start"), "must be \"end\" or \"beginning\" (got %q)", st)
		}
		s.Start = st
	}
	d.limits(t, &s.Limits)
	d.unknownKeys(t, "")
	if !good {
		return nil
	}
	return s
}

// checkJSONOptions lets the json format judge a preset or field mapping,
// when the parsers have it.
func checkJSONOptions(fo parsers.FormatOptions) error {
	if !containsStr(parsers.FormatNames(), "json") {
		return nil
	}
	_, err := parsers.New(parsers.Options{Format: "json", FormatOptions: fo}, nil)
	return err
}

func (d *decoder) globs(field string, list []string) {
	for i, g := range list {
		switch {
		case g == "":
			d.errorf(field+"["+strconv.Itoa(i)+"]", "empty glob")
		case !doublestar.ValidatePattern(g):
			d.errorf(field+"["+strconv.Itoa(i)+"]", "bad glob %q", g)
		}
	}
}

// regexMsg words a regexp compile error without Go's prefix.
func regexMsg(err error) string {
	if se, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("bad regex: %s: `%s`", se.Code, se.Expr)
	}
	return "bad regex: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

var levelNamesList = func() string {
	var names []string
	for l := parsers.LevelTrace; l.String() != ""; l++ {
		names = append(names, l.String())
	}
	return strings.Join(names, ", ")
}()

var groupByFields = []string{"source", "file", "level", "logger", "thread", "message", "language", "exception", "status", "method", "path"}

func (d *decoder) rule(t *table, c *Config) *Rule {
	r := &Rule{Severity: SeverityError, Repeat: DefaultRepeat, Resolve: DefaultResolve}
	good := true
	fail := func() { good = false }
	name, hasName := d.str(t, "name")
	if hasName && !nameRE.MatchString(name) {
		d.errorf(t.field("name"), "%s (got %q)", nameRule, name)
		fail()
	}
	if code, ok := d.str(t, "code"); ok {
		if !codeRE.MatchString(code) {
			d.errorf(t.field("code"), "must be 1-24 characters of A-Z, 0-9, _ and -, starting with a letter or digit (got %q)", code)
			fail()
		}
		r.Code = code
	}
	if s, ok := d.str(t, "title"); ok {
		r.Title = s
	}
	if srcs, ok := d.strs(t, "sources"); ok {
		for i, s := range srcs {
			if c.Source(s) == nil && !d.declared["source "+s] {
				d.errorf(t.field("sources")+"["+strconv.Itoa(i)+"]", "unknown source %q (%s)", s, definedList("source", sourceNames(c)))
				fail()
			}
		}
		r.Sources = srcs
	}
	levels, hasLevels := d.strs(t, "level")
	if hasLevels {
		var set [16]bool
		for i, s := range levels {
			l, ok := parsers.LevelByName(s)
			if !ok {
				d.errorf(t.field("level")+"["+strconv.Itoa(i)+"]", "unknown level %q (known: %s)", s, levelNamesList)
				fail()
				continue
			}
			if !set[l] {
				set[l] = true
				r.Levels = append(r.Levels, l)
			}
		}
		if len(levels) == 0 {
			d.errorf(t.field("level"), "must list at least one level")
			fail()
		}
	}
	if s, ok := d.str(t, "min_level"); ok {
		l, known := parsers.LevelByName(s)
		switch {
		case hasLevels:
			d.errorf(t.field("min_level"), "set level or min_level, not both")
			fail()
		case !known:
			d.errorf(t.field("min_level"), "unknown level %q (known: %s)", s, levelNamesList)
			fail()
		default:
			for ; l.String() != ""; l++ {
				r.Levels = append(r.Levels, l)
			}
		}
	}
	for _, rx := range []struct {
		key string
		dst *string
	}{{"logger", &r.Logger}, {"message", &r.Message}, {"exception", &r.Exception}, {"frame", &r.Frame}, {"path", &r.Path}, {"ignore", &r.Ignore}} {
		if s, ok := d.str(t, rx.key); ok {
			if _, err := regexp.Compile(s); err != nil {
				d.add(t.field(rx.key), false, regexMsg(err), err)
				fail()
			}
			*rx.dst = s
		}
	}
	if v, ok := d.get(t, "status"); ok {
		if rs, ok := d.statusList(t.field("status"), v); ok {
			r.Status = rs
		} else {
			fail()
		}
	}
	if _, present := t.m["fields"]; present {
		fm, ok := d.strMap(t, "fields")
		if !ok {
			fail()
		}
		for _, k := range sortedKeys(fm) {
			if _, err := regexp.Compile(fm[k]); err != nil {
				sub := &table{path: t.field("fields")}
				d.add(sub.field(k), false, regexMsg(err), err)
				fail()
			}
		}
		r.Fields = fm
	} else {
		d.get(t, "fields")
	}
	if s, ok := d.str(t, "severity"); ok {
		switch s {
		case SeverityCritical, SeverityError, SeverityWarning, SeverityInfo:
			r.Severity = s
		default:
			d.errorf(t.field("severity"), "must be one of critical, error, warning, info (got %q)", s)
			fail()
		}
	}
	if names, ok := d.strs(t, "notify"); ok {
		for i, n := range names {
			if c.Channel(n) == nil && !d.declared["channel "+n] {
				var defined []string
				for _, ch := range c.Channels {
					defined = append(defined, ch.Name)
				}
				d.errorf(t.field("notify")+"["+strconv.Itoa(i)+"]", "unknown channel %q (%s)", n, definedList("channel", defined))
				fail()
			}
		}
		r.Notify = names
	}
	if gb, ok := d.strs(t, "group_by"); ok {
		for i, g := range gb {
			if !containsStr(groupByFields, g) && !(strings.HasPrefix(g, "fields.") && len(g) > len("fields.")) {
				d.errorf(t.field("group_by")+"["+strconv.Itoa(i)+"]", "unknown event field %q (known: %s, fields.NAME)", g, strings.Join(groupByFields, ", "))
				fail()
			}
		}
		r.GroupBy = gb
	}
	if s, ok := d.str(t, "threshold"); ok {
		th, msg := parseThreshold(s)
		if msg != "" {
			d.errorf(t.field("threshold"), "%s", msg)
			fail()
		}
		r.Threshold = th
	}
	if dur, ok := d.duration(t, "repeat", true); ok {
		r.Repeat = dur
	}
	if dur, ok := d.duration(t, "resolve", true); ok {
		r.Resolve = dur
	}
	if dur, ok := d.duration(t, "group_wait", false); ok {
		r.GroupWait = dur
	}
	d.unknownKeys(t, "")
	if !good {
		return nil
	}
	switch {
	case hasName:
		r.Name = name
	case r.Code != "":
		r.Name = r.Code
	default:
		r.Name = ruleIdentity(r)
	}
	return r
}

func sourceNames(c *Config) []string {
	var out []string
	for _, s := range c.Sources {
		out = append(out, s.Name)
	}
	return out
}

func definedList(what string, names []string) string {
	if len(names) == 0 {
		return "no " + what + " is defined"
	}
	return "defined: " + strings.Join(names, ", ")
}

// statusList reads status = ["500-599", "404", "5xx"] (integers too).
func (d *decoder) statusList(field string, v any) ([]StatusRange, bool) {
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case string, int64:
		items = []any{v}
	default:
		d.errorf(field, "must be a list of statuses such as [\"5xx\", \"404\"] (got %s)", typeName(v))
		return nil, false
	}
	var out []StatusRange
	good := true
	for i, it := range items {
		f := field
		if _, isList := v.([]any); isList {
			f = field + "[" + strconv.Itoa(i) + "]"
		}
		var text string
		switch it := it.(type) {
		case string:
			text = it
		case int64:
			text = strconv.FormatInt(it, 10)
		default:
			d.errorf(f, "must be a status such as 404, \"500-599\" or \"5xx\" (got %s)", typeName(it))
			good = false
			continue
		}
		r, msg := parseStatus(text)
		if msg != "" {
			d.errorf(f, "%s", msg)
			good = false
			continue
		}
		out = append(out, r)
	}
	if len(items) == 0 {
		d.errorf(field, "must list at least one status")
		good = false
	}
	return out, good
}

// parseStatus reads "404", "500-599" or "5xx"; msg says what is wrong.
func parseStatus(s string) (StatusRange, string) {
	bad := fmt.Sprintf("want a status, a range or a class such as 404, \"500-599\" or \"5xx\" (got %q)", s)
	t := strings.TrimSpace(s)
	if len(t) == 3 && t[0] >= '1' && t[0] <= '9' && strings.EqualFold(t[1:], "xx") {
		lo := int(t[0]-'0') * 100
		return StatusRange{lo, lo + 99}, ""
	}
	num := func(x string) (int, bool) {
		x = strings.TrimSpace(x)
		if len(x) != 3 {
			return 0, false
		}
		n, err := strconv.Atoi(x)
		return n, err == nil && n >= 100 && n <= 999
	}
	if lo, hi, isRange := strings.Cut(t, "-"); isRange {
		a, ok1 := num(lo)
		b, ok2 := num(hi)
		if !ok1 || !ok2 {
			return StatusRange{}, bad
		}
		if a > b {
			return StatusRange{}, fmt.Sprintf("range %q is backwards", s)
		}
		return StatusRange{a, b}, ""
	}
	n, ok := num(t)
	if !ok {
		return StatusRange{}, bad
	}
	return StatusRange{n, n}, ""
}

// parseThreshold reads "N in WINDOW"; msg says what is wrong.
func parseThreshold(s string) (Threshold, string) {
	parts := strings.Fields(s)
	if len(parts) != 3 || !strings.EqualFold(parts[1], "in") {
		return Threshold{}, fmt.Sprintf("want \"N in WINDOW\" such as \"5 in 1m\" (got %q)", s)
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil {
		return Threshold{}, fmt.Sprintf("want \"N in WINDOW\" such as \"5 in 1m\" (got %q)", s)
	}
	if n < 1 || n > 1000000 {
		return Threshold{}, fmt.Sprintf("count must be between 1 and 1000000 (got %d)", n)
	}
	w, err := time.ParseDuration(parts[2])
	if err != nil {
		return Threshold{}, fmt.Sprintf("bad window %q (%s)", parts[2], durationHint)
	}
	if w <= 0 {
		return Threshold{}, fmt.Sprintf("window must be > 0 (got %s)", w)
	}
	return Threshold{Count: n, Window: w}, ""
}
