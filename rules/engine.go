package rules

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/parsers/traces"
)

// Engine matches records against the rules of a configuration and turns
// matched records into events with a rule, code and fingerprint. Match and
// Event are safe for concurrent use on different records (the CodeBook
// locks).
type Engine struct {
	rules     []*compiledRule
	bySource  map[string][]*compiledRule
	anySource []*compiledRule // rules for a source the config does not name
	codes     *CodeBook
}

type compiledRule struct {
	rule         *Rule
	levels       uint32 // bit per parsers.Level; 0 accepts any level
	status       []StatusRange
	logger       *matcher
	message      *matcher
	path         *matcher
	exception    *matcher
	frame        *matcher
	ignore       *matcher
	fields       []fieldMatcher
	requireTrace bool
}

type fieldMatcher struct {
	key string
	m   *matcher
}

// NewEngine compiles cfg's rules (the built-in rules for a nil cfg).
func NewEngine(cfg *Config) (*Engine, error) {
	if cfg == nil {
		cfg = Default()
	}
	e := &Engine{bySource: map[string][]*compiledRule{}, codes: NewCodeBook()}
	for i, r := range cfg.Rules {
		c, err := compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("rule[%d] %s: %w", i, r.Name, err)
		}
		e.rules = append(e.rules, c)
		if r.Code != "" && len(r.GroupBy) == 0 {
			e.codes.Reserve(r.Code)
		}
	}
	for _, s := range cfg.Sources {
		var list []*compiledRule
		for _, c := range e.rules {
			if len(c.rule.Sources) == 0 || containsStr(c.rule.Sources, s.Name) {
				list = append(list, c)
			}
		}
		e.bySource[s.Name] = list
	}
	for _, c := range e.rules {
		if len(c.rule.Sources) == 0 {
			e.anySource = append(e.anySource, c)
		}
	}
	return e, nil
}

func compileRule(r *Rule) (*compiledRule, error) {
	c := &compiledRule{rule: r, status: r.Status, requireTrace: r.requireTrace}
	for _, l := range r.Levels {
		if int(l) >= 32 {
			return nil, fmt.Errorf("level %d out of range", l)
		}
		c.levels |= 1 << l
	}
	for _, p := range []struct {
		name, pattern string
		dst           **matcher
	}{{"logger", r.Logger, &c.logger}, {"message", r.Message, &c.message}, {"path", r.Path, &c.path},
		{"exception", r.Exception, &c.exception}, {"frame", r.Frame, &c.frame}, {"ignore", r.Ignore, &c.ignore}} {
		if p.pattern == "" {
			continue
		}
		m, err := compileMatcher(p.pattern)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		*p.dst = m
	}
	for _, k := range sortedKeys(r.Fields) {
		m, err := compileMatcher(r.Fields[k])
		if err != nil {
			return nil, fmt.Errorf("fields.%s: %w", k, err)
		}
		c.fields = append(c.fields, fieldMatcher{k, m})
	}
	return c, nil
}

// Codes is the engine's code book (to persist it, or seed it at start).
func (e *Engine) Codes() *CodeBook { return e.codes }

// Match returns the first rule, in configuration order, that matches the
// record from the named source, or nil.
func (e *Engine) Match(source string, r *parsers.Record) *Rule {
	list, ok := e.bySource[source]
	if !ok {
		list = e.anySource
	}
	for _, c := range list {
		if c.match(r) {
			return c.rule
		}
	}
	return nil
}

// messageOf is the record's message: the header's, else its first line.
func messageOf(r *parsers.Record) []byte {
	if m := r.Message(); len(m) > 0 {
		return m
	}
	t := r.Text
	if i := bytes.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	return t
}

// continuation is the text after the record's first line: the lines of a
// stack trace with its exception messages ("Caused by: ... Connection
// refused"), nil for a one-line record.
func continuation(r *parsers.Record) []byte {
	if r.Lines < 2 {
		return nil
	}
	if i := bytes.IndexByte(r.Text, '\n'); i >= 0 {
		return r.Text[i+1:]
	}
	return nil
}

// match checks the cheap conditions first (level, status, header fields,
// the first line), then the continuation lines, and analyses the trace
// only for a rule that asks about exceptions, frames or traces.
//
// message and ignore read the message, then the continuation lines, so
// that an exception message anywhere in the chain counts.
func (c *compiledRule) match(r *parsers.Record) bool {
	if c.levels != 0 && (r.Level >= 32 || c.levels&(1<<r.Level) == 0) {
		return false
	}
	if len(c.status) > 0 {
		hit := false
		for _, s := range c.status {
			if s.contains(r.Status) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	if c.logger != nil && !c.logger.match(r.Logger()) {
		return false
	}
	if c.path != nil && !c.path.match(r.Path()) {
		return false
	}
	for _, f := range c.fields {
		v, ok := r.Field(f.key)
		if !ok || !f.m.match(v) {
			return false
		}
	}
	if c.message != nil || c.ignore != nil {
		msg := messageOf(r)
		if c.ignore != nil && c.ignore.match(msg) {
			return false
		}
		if c.message != nil && !c.message.match(msg) {
			rest := continuation(r)
			if rest == nil || !c.message.match(rest) {
				return false
			}
		}
		if c.ignore != nil {
			if rest := continuation(r); rest != nil && c.ignore.match(rest) {
				return false
			}
		}
	}
	if c.requireTrace && !r.HasTrace() {
		return false
	}
	if c.exception == nil && c.frame == nil {
		return true
	}
	t := r.Trace()
	if c.exception != nil && !anyType(c.exception, t) {
		return false
	}
	if c.frame != nil && !anyFrame(c.frame, t) {
		return false
	}
	return true
}

func anyType(m *matcher, t *traces.Trace) bool {
	if t == nil {
		return false
	}
	if t.Exception != "" && m.matchString(t.Exception) {
		return true
	}
	for _, c := range t.Causes {
		if m.matchString(c) {
			return true
		}
	}
	return false
}

// anyFrame matches "module.function" and the file of each frame.
func anyFrame(m *matcher, t *traces.Trace) bool {
	if t == nil {
		return false
	}
	var buf []byte
	for i := range t.Frames {
		f := &t.Frames[i]
		buf = append(buf[:0], f.Module...)
		if f.Module != "" && f.Function != "" {
			buf = append(buf, '.')
		}
		buf = append(buf, f.Function...)
		if len(buf) > 0 && m.match(buf) {
			return true
		}
		if f.File != "" && m.matchString(f.File) {
			return true
		}
	}
	return false
}

// Event turns a record that rule matched into an event with the rule's
// name, severity and title, the fingerprint and the code. A nil rule gives
// the bare event.
func (e *Engine) Event(source, file string, r *parsers.Record, rule *Rule) *parsers.Event {
	ev := r.Event(source, file)
	if rule == nil {
		return ev
	}
	ev.Rule = rule.Name
	ev.Severity = rule.Severity
	ev.Fingerprint = Fingerprint(rule, ev)
	switch {
	case rule.Code != "" && len(rule.GroupBy) == 0:
		ev.Code = rule.Code
	case rule.Code != "":
		ev.Code = e.codes.Code(rule.Code, ev.Fingerprint)
	default:
		ev.Code = e.codes.Code(Mnemonic(ev), ev.Fingerprint)
	}
	ev.Title = rule.Title
	if ev.Title == "" {
		ev.Title = AutoTitle(ev)
	}
	return ev
}

// maxTitleRunes bounds an automatic title; Slack headers hold 150
// characters and the severity and code share them.
const maxTitleRunes = 120

// AutoTitle is the title of an event whose rule has none: the exception
// and its message, the request for an access-log event, else the message.
func AutoTitle(ev *parsers.Event) string {
	var t string
	switch {
	case ev.Exception != "":
		t = ev.Exception
		msg := ""
		if ev.Trace != nil {
			msg = ev.Trace.Message
		}
		if msg == "" && !strings.Contains(ev.Message, ev.Exception) {
			msg = ev.Message
		}
		if msg != "" {
			t += ": " + msg
		}
	case ev.Status != 0:
		t = fmt.Sprintf("HTTP %d", ev.Status)
		if ev.Method != "" || ev.Path != "" {
			t += " on " + strings.TrimSpace(ev.Method+" "+MaskPath(ev.Path))
		}
	default:
		t = ev.Message
	}
	return clip(t, maxTitleRunes)
}

// clip makes s valid UTF-8 on one line and cuts it to n runes.
func clip(s string, n int) string {
	if len(s) > 8*n {
		s = s[:8*n]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i] + "…"
}
