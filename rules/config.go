package rules

// This file owns tattle.toml: its Go shape, loading and validation. The
// file is parsed by BurntSushi/toml into plain maps and then read field by
// field against the schema below, so that every problem (an unknown key, a
// wrong type, a bad regex, an impossible duration) is reported with its
// field path and the position configpos.go found for that path, and so that
// no error ever quotes a secret. (Decoding into structs and asking
// MetaData.Undecoded() for unknown keys was measured and rejected: with
// BurntSushi/toml v1.6.0 an error in the first [[rule]] is reported at the
// line of the last one, and Undecoded keys carry no array index.)

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/tattle-dev/tattle/parsers"
)

// Defaults of the [tattle] section and of rules.
const (
	DefaultListen        = "127.0.0.1:9740"
	DefaultFlushInterval = time.Second
	DefaultRepeat        = time.Hour
	DefaultResolve       = 30 * time.Minute
)

// Severities, most severe first.
const (
	SeverityCritical = "critical"
	SeverityError    = "error"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"
)

// Channel types.
const (
	ChannelSlack   = "slack"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
	ChannelConsole = "console"
)

// maxConfigBytes bounds what Load reads: a configuration is a few
// kilobytes, and anything larger is a mistake (a log passed with -c).
const maxConfigBytes = 4 << 20

// Config is a loaded, validated configuration.
type Config struct {
	// File is the path it was read from ("" for Default).
	File    string
	Tattle  Tattle
	Sources []*Source // in file order
	// Rules are the file's rules in file order, or the built-in rules
	// when the file has none (each with Builtin set).
	Rules    []*Rule
	Channels []*Channel // sorted by name
}

// Tattle is the [tattle] section.
type Tattle struct {
	// StateDir holds offsets, incidents and the outbox; "" leaves the
	// choice to the program.
	StateDir string
	// Listen is the address of the incident page, API and /metrics;
	// "" turns the listener off.
	Listen string
	// PublicURL is the base of links in alerts; "" when not set.
	PublicURL string
	// Hostname names this host in alerts; "" means the OS host name.
	Hostname string
	// Limits bound lines and events for every source (zero: the parsers'
	// defaults); a source may override each.
	Limits parsers.Limits
	// FlushInterval is how often buffered state is written out.
	FlushInterval time.Duration
}

// Source is one [[source]]: log files matched by globs.
type Source struct {
	Name    string
	Paths   []string // doublestar globs; ** crosses directories
	Exclude []string // globs; one without a '/' matches the base name
	Format  string   // a parsers.FormatNames() name; "auto" by default
	Pattern string   // format "regex"
	Preset  string   // format "json": a field-mapping preset
	Fields  map[string]string
	InApp   []string
	Start   string // "end" (default) or "beginning"
	// Limits override the [tattle] limits where non-zero.
	Limits parsers.Limits
}

// Rule is one [[rule]], or a built-in rule.
type Rule struct {
	// Name identifies the rule in events, fingerprints and state. It is
	// the rule's name key, else its code, else "rule-" and a hash of what
	// the rule matches, so that it does not depend on the rule's place in
	// the file.
	Name string
	// Code names the rule's incidents: one incident (and this code) for
	// all its events, or with GroupBy one per group, coded Code-XXXX from
	// the group's fingerprint. "" gives every fingerprint an auto code.
	Code  string
	Title string
	// Sources the rule applies to; nil means all.
	Sources []string
	// Levels the rule accepts; nil means any level.
	Levels []parsers.Level
	// Regular expressions (RE2); "" means no condition. Message and
	// Ignore read the record's message, then its continuation lines (a
	// trace's "Caused by: ... Connection refused"); Exception any type of
	// the chain; Frame any frame's module.function or file.
	Logger, Message, Exception, Frame, Path, Ignore string
	Status                                          []StatusRange
	// Fields maps named fields to regular expressions.
	Fields    map[string]string
	Severity  string
	Notify    []string
	GroupBy   []string
	Threshold Threshold
	Repeat    time.Duration
	Resolve   time.Duration
	GroupWait time.Duration
	Builtin   bool

	// requireTrace: only records holding a stack trace (built-in crash).
	requireTrace bool
}

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Lo, Hi int }

func (s StatusRange) contains(n int) bool { return s.Lo <= n && n <= s.Hi }

// Threshold is "Count in Window": an incident opens once Count events
// arrive within Window. The zero Threshold opens on the first event.
type Threshold struct {
	Count  int
	Window time.Duration
}

func (t Threshold) String() string {
	if t.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d in %s", t.Count, t.Window)
}

// Secret is a string that never prints: fmt, %v, %+v, %#v and JSON all
// show "<secret>". Use string(s) where the value is needed.
type Secret string

func (s Secret) String() string   { return redacted(s) }
func (s Secret) GoString() string { return `"` + redacted(s) + `"` }

// MarshalText keeps secrets out of JSON and TOML dumps of a Config.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted(s)), nil }

func redacted(s Secret) string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// Channel is one [channel.NAME]; exactly one of the type blocks is set
// (none for console).
type Channel struct {
	Name    string
	Type    string
	Slack   *Slack
	Email   *Email
	Webhook *Webhook
}

// Slack posts with a bot token (mode "bot": threads, snippets) or to an
// incoming webhook (mode "webhook").
type Slack struct {
	Mode       string
	Token      Secret
	Channel    string
	APIURL     string // another API base URL (tests, proxies); "" for Slack's
	WebhookURL Secret
}

// Email sends through an SMTP server.
type Email struct {
	SMTP     string // host:port
	Username string
	Password Secret
	From     string
	To       []string
	TLS      string // "starttls", "tls" (implicit) or "none"
}

// Webhook posts JSON to a URL.
type Webhook struct {
	URL     Secret
	Headers map[string]Secret
}

// String describes the channel without its secrets.
func (ch *Channel) String() string {
	switch {
	case ch.Slack != nil && ch.Slack.Mode == "webhook":
		return fmt.Sprintf("%s (slack, incoming webhook)", ch.Name)
	case ch.Slack != nil:
		return fmt.Sprintf("%s (slack, channel %s)", ch.Name, ch.Slack.Channel)
	case ch.Email != nil:
		return fmt.Sprintf("%s (email to %s via %s)", ch.Name, strings.Join(ch.Email.To, ", "), ch.Email.SMTP)
	case ch.Webhook != nil:
		return fmt.Sprintf("%s (webhook)", ch.Name)
	}
	return fmt.Sprintf("%s (%s)", ch.Name, ch.Type)
}

// String summarises the configuration; it never shows secrets.
func (c *Config) String() string {
	var b strings.Builder
	b.WriteString(plural(len(c.Sources), "source"))
	b.WriteString(", ")
	if len(c.Rules) > 0 && c.Rules[0].Builtin {
		b.WriteString(plural(len(c.Rules), "built-in rule"))
	} else {
		b.WriteString(plural(len(c.Rules), "rule"))
	}
	b.WriteString(", ")
	b.WriteString(plural(len(c.Channels), "channel"))
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Channel returns the channel called name, or nil.
func (c *Config) Channel(name string) *Channel {
	i := sort.Search(len(c.Channels), func(i int) bool { return c.Channels[i].Name >= name })
	if i < len(c.Channels) && c.Channels[i].Name == name {
		return c.Channels[i]
	}
	return nil
}

// Source returns the source called name, or nil.
func (c *Config) Source(name string) *Source {
	for _, s := range c.Sources {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SourceFor returns the first source, in file order, whose paths match
// the file and whose excludes do not; nil when none does. A relative path
// is also tried made absolute, so that "logs/api.log" finds a source whose
// glob is absolute.
func (c *Config) SourceFor(path string) *Source {
	if c == nil || path == "" {
		return nil
	}
	alt := ""
	if !filepath.IsAbs(path) {
		if abs, err := filepath.Abs(path); err == nil {
			alt = abs
		}
	}
	for _, s := range c.Sources {
		if s.Matches(path) || alt != "" && s.Matches(alt) {
			return s
		}
	}
	return nil
}

// Matches reports whether the file is one of the source's.
func (s *Source) Matches(path string) bool {
	path = filepath.Clean(path)
	hit := false
	for _, p := range s.Paths {
		if doublestar.MatchUnvalidated(filepath.Clean(p), path) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	base := filepath.Base(path)
	for _, x := range s.Exclude {
		if strings.ContainsRune(x, '/') {
			if doublestar.MatchUnvalidated(filepath.Clean(x), path) {
				return false
			}
		} else if doublestar.MatchUnvalidated(x, base) {
			return false
		}
	}
	return true
}

// ParserOptions returns the parser settings for the source's files: its
// format and the limits of the source, else of [tattle] (c may be nil).
func (s *Source) ParserOptions(c *Config) parsers.Options {
	lim := s.Limits
	if c != nil {
		if lim.MaxLineBytes == 0 {
			lim.MaxLineBytes = c.Tattle.Limits.MaxLineBytes
		}
		if lim.MaxEventLines == 0 {
			lim.MaxEventLines = c.Tattle.Limits.MaxEventLines
		}
		if lim.MaxEventBytes == 0 {
			lim.MaxEventBytes = c.Tattle.Limits.MaxEventBytes
		}
	}
	return parsers.Options{
		Format: s.Format,
		FormatOptions: parsers.FormatOptions{
			Pattern: s.Pattern,
			Fields:  s.Fields,
			Preset:  s.Preset,
		},
		Limits: lim,
		InApp:  s.InApp,
	}
}

// Default is the configuration used with no file: no sources, no
// channels, the built-in rules.
func Default() *Config {
	return &Config{
		Tattle: Tattle{Listen: DefaultListen, FlushInterval: DefaultFlushInterval},
		Rules:  builtinRules(nil),
	}
}

// Load reads and validates the configuration file at path. A file that
// cannot be read is an error wrapping the OS error; a file that is wrong
// is a *ConfigError (errors.Is(err, ErrInvalid)).
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxConfigBytes {
		return nil, newConfigError([]*FieldError{{File: path,
			Msg: fmt.Sprintf("file is larger than %d MiB; is it the configuration?", maxConfigBytes>>20)}})
	}
	return Parse(data, path)
}

// Parse validates a configuration; name is the file name errors show.
// ${VAR} in string values expands from the environment.
func Parse(data []byte, name string) (*Config, error) {
	return parse(data, name, os.LookupEnv)
}

func parse(data []byte, name string, lookup func(string) (string, bool)) (*Config, error) {
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		return nil, newConfigError([]*FieldError{syntaxError(name, data, err)})
	}
	d := &decoder{file: name, pos: indexPositions(data), env: lookup}
	c := d.config(m)
	if err := newConfigError(d.errs); err != nil {
		return nil, err
	}
	c.File = name
	return c, nil
}

// secretKeys are keys whose values must never be shown.
var secretKeys = map[string]bool{"token": true, "password": true, "webhook_url": true, "url": true, "headers": true}

func syntaxError(file string, data []byte, err error) *FieldError {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &FieldError{File: file, Msg: err.Error()}
	}
	fe := &FieldError{File: file, Line: pe.Position.Line, Msg: "syntax error: " + pe.Message}
	if start := pe.Position.Start; start >= 0 && start <= len(data) {
		ls := strings.LastIndexByte(string(data[:start]), '\n') + 1
		fe.Col = start - ls + 1
	} else if fe.Line > 0 {
		fe.Col = 1
	}
	for _, k := range strings.Split(pe.LastKey, ".") {
		if secretKeys[strings.Trim(k, `"`)] {
			// The lexer quotes the offending text, which here is part
			// of a secret.
			fe.Msg = "syntax error in the value of " + pe.LastKey + " (not shown: it holds a secret)"
			break
		}
	}
	return fe
}

// builtinRules are the rules of a configuration without [[rule]] (SPEC):
// errors by level, traces that carry no level (a crash on stderr), and
// access-log 5xx. They notify every channel.
func builtinRules(notify []string) []*Rule {
	var errLevels []parsers.Level
	for l := parsers.LevelError; l.String() != ""; l++ {
		errLevels = append(errLevels, l)
	}
	base := func(name, sev string) *Rule {
		return &Rule{Name: name, Severity: sev, Notify: notify, Builtin: true,
			Repeat: DefaultRepeat, Resolve: DefaultResolve}
	}
	errRule := base("error", SeverityError)
	errRule.Levels = errLevels
	crash := base("crash", SeverityCritical)
	crash.Levels = []parsers.Level{parsers.LevelNone}
	crash.requireTrace = true
	http := base("http-5xx", SeverityError)
	http.Status = []StatusRange{{500, 599}}
	return []*Rule{errRule, crash, http}
}

// ruleIdentity hashes what a rule matches, for the name of a rule that has
// neither name nor code: it survives reordering and retitling, and changes
// when the rule starts matching something else.
func ruleIdentity(r *Rule) string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			io.WriteString(h, p)
			h.Write([]byte{0})
		}
	}
	w(r.Sources...)
	for _, l := range r.Levels {
		w(l.String())
	}
	w("|", r.Logger, r.Message, r.Exception, r.Frame, r.Path, r.Ignore)
	for _, s := range r.Status {
		w(fmt.Sprint(s.Lo, "-", s.Hi))
	}
	keys := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w(k, r.Fields[k])
	}
	w(r.GroupBy...)
	return "rule-" + hex.EncodeToString(h.Sum(nil))[:8]
}
