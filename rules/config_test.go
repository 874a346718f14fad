package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tattle-dev/tattle/parsers"
)

// testEnv is the environment the config tests see.
func testEnv(k string) (string, bool) {
	v, ok := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1111-SECRETTOKEN",
		"SMTP_PASSWORD":   "pw-SECRETPASS",
		"HOOK_URL":        "https://hooks.example.com/services/SECRETHOOK",
		"EMPTY":           "",
		"TEAM":            "payments",
	}[k]
	return v, ok
}

// secrets are the values no error or printout may contain.
var secrets = []string{"SECRETTOKEN", "SECRETPASS", "SECRETHOOK", "SECRETHDR", "SECRETURLPW", "hunter2"}

const fullConfig = `# a complete configuration
[tattle]
state_dir = "/var/lib/tattle"
listen = "127.0.0.1:9999"
public_url = "http://ops.example.com:9740"
hostname = "api-1"
max_line_bytes = 65536
max_event_lines = 2000
max_event_bytes = 524288
flush_interval = "2s"

[[source]]
name = "api"
paths = ["/var/log/api/*.log", "/var/log/api/**/*.log"]
exclude = ["*.gz"]
format = "regex"
pattern = '^(?P<level>[A-Z]+) (?P<message>.*)$'
in_app = ["com.example."]
start = "beginning"
max_event_lines = 100

[[source]]
name = "web"
paths = "/var/log/nginx/access.log"

[[rule]]
code = "DB-CONN"
title = "Database connection lost"
sources = ["api"]
level = ["ERROR", "FATAL"]
exception = 'SQLException|CannotGetJdbcConnection'   # any type in the chain
message = 'Connection (refused|reset)'
severity = "critical"
notify = ["ops", "oncall"]
threshold = "5 in 1m"
repeat = "2h"
resolve = "15m"
group_wait = "10s"

[[rule]]
name = "slow-5xx"
sources = ["web"]
status = ["5xx", "404", 418, "520-529"]
path = '^/api/'
group_by = ["path", "fields.tenant"]
ignore = 'healthz'
logger = 'nginx'
frame = 'com\.example\.'
fields = { tenant = '${TEAM}|internal' }

[[rule]]
min_level = "WARN"
title = "Anything worse than INFO"

[channel.ops]
type = "slack"
token = "${SLACK_BOT_TOKEN}"
channel = "C0123ABCD"
api_url = "http://127.0.0.1:8080/api/"

[channel.oncall]
type = "email"
smtp = "smtp.example.com:587"
username = "alerts@example.com"
password = "${SMTP_PASSWORD}"
from = "tattle <alerts@example.com>"
to = ["oncall@example.com", "Ops <ops@example.com>"]
tls = "tls"

[channel.hook]
type = "webhook"
url = "${HOOK_URL}"
headers = { Authorization = "Bearer SECRETHDR", "X-Team" = "$${literal}" }

[channel.incoming]
type = "slack"
webhook_url = "${HOOK_URL}"

[channel.stdout]
type = "console"
`

func TestParseFullConfig(t *testing.T) {
	c, err := parse([]byte(fullConfig), "tattle.toml", testEnv)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	// The third rule has neither name nor code: its name is a hash of
	// what it matches.
	anon := &Rule{Levels: []parsers.Level{parsers.LevelWarn, parsers.LevelError, parsers.LevelCritical,
		parsers.LevelSevere, parsers.LevelFatal, parsers.LevelPanic, parsers.LevelAlert, parsers.LevelEmerg}}
	want := &Config{
		File: "tattle.toml",
		Tattle: Tattle{
			StateDir: "/var/lib/tattle", Listen: "127.0.0.1:9999", PublicURL: "http://ops.example.com:9740",
			Hostname: "api-1", Limits: parsers.Limits{MaxLineBytes: 65536, MaxEventLines: 2000, MaxEventBytes: 524288},
			FlushInterval: 2 * time.Second,
		},
		Sources: []*Source{
			{Name: "api", Paths: []string{"/var/log/api/*.log", "/var/log/api/**/*.log"}, Exclude: []string{"*.gz"},
				Format: "regex", Pattern: `^(?P<level>[A-Z]+) (?P<message>.*)$`, InApp: []string{"com.example."},
				Start: "beginning", Limits: parsers.Limits{MaxEventLines: 100}},
			{Name: "web", Paths: []string{"/var/log/nginx/access.log"}, Format: "auto", Start: "end"},
		},
		Rules: []*Rule{
			{Name: "DB-CONN", Code: "DB-CONN", Title: "Database connection lost", Sources: []string{"api"},
				Levels: []parsers.Level{parsers.LevelError, parsers.LevelFatal}, Exception: "SQLException|CannotGetJdbcConnection",
				Message: "Connection (refused|reset)", Severity: "critical", Notify: []string{"ops", "oncall"},
				Threshold: Threshold{5, time.Minute}, Repeat: 2 * time.Hour, Resolve: 15 * time.Minute, GroupWait: 10 * time.Second},
			{Name: "slow-5xx", Sources: []string{"web"}, Status: []StatusRange{{500, 599}, {404, 404}, {418, 418}, {520, 529}},
				Path: "^/api/", GroupBy: []string{"path", "fields.tenant"}, Ignore: "healthz", Logger: "nginx", Frame: `com\.example\.`,
				Fields: map[string]string{"tenant": "payments|internal"}, Severity: "error", Repeat: DefaultRepeat, Resolve: DefaultResolve},
			{Name: ruleIdentity(anon), Title: "Anything worse than INFO", Levels: anon.Levels,
				Severity: "error", Repeat: DefaultRepeat, Resolve: DefaultResolve},
		},
		Channels: []*Channel{
			{Name: "hook", Type: "webhook", Webhook: &Webhook{URL: "https://hooks.example.com/services/SECRETHOOK",
				Headers: map[string]Secret{"Authorization": "Bearer SECRETHDR", "X-Team": "${literal}"}}},
			{Name: "incoming", Type: "slack", Slack: &Slack{Mode: "webhook", WebhookURL: "https://hooks.example.com/services/SECRETHOOK"}},
			{Name: "oncall", Type: "email", Email: &Email{SMTP: "smtp.example.com:587", Username: "alerts@example.com",
				Password: "pw-SECRETPASS", From: "tattle <alerts@example.com>", To: []string{"oncall@example.com", "Ops <ops@example.com>"}, TLS: "tls"}},
			{Name: "ops", Type: "slack", Slack: &Slack{Mode: "bot", Token: "xoxb-1111-SECRETTOKEN", Channel: "C0123ABCD", APIURL: "http://127.0.0.1:8080/api/"}},
			{Name: "stdout", Type: "console"},
		},
	}
	if !strings.HasPrefix(c.Rules[2].Name, "rule-") || len(c.Rules[2].Name) != len("rule-")+8 {
		t.Errorf("anonymous rule name = %q, want rule-XXXXXXXX", c.Rules[2].Name)
	}
	if !reflect.DeepEqual(c, want) {
		gotJSON, _ := json.MarshalIndent(c, "", " ")
		wantJSON, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("config mismatch\ngot:  %s\nwant: %s", gotJSON, wantJSON)
		for i := range min(len(c.Rules), len(want.Rules)) {
			if !reflect.DeepEqual(c.Rules[i], want.Rules[i]) {
				t.Errorf("rule[%d]: got %+v\nwant %+v", i, *c.Rules[i], *want.Rules[i])
			}
		}
	}
	if got := c.String(); got != "2 sources, 3 rules, 5 channels" {
		t.Errorf("String() = %q", got)
	}
	if _, err := NewEngine(c); err != nil {
		t.Errorf("NewEngine: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	sources := "[[source]]\nname = \"api\"\npaths = [\"/var/log/api.log\"]\n"
	tests := []struct {
		name, toml, want string
	}{
		{"unknown top-level key", "colour = 1\n",
			"tattle.toml:1:1: colour: unknown key (known: tattle, source, channel, rule)"},
		{"unknown key in tattle", "[tattle]\nlisten = \"127.0.0.1:1\"\nlistn = \"x\"\n",
			`tattle.toml:3:1: tattle.listn: unknown key (did you mean "listen"?)`},
		{"unknown key in rule", "[[rule]]\ncode = \"A\"\n\n[[rule]]\ncode = \"B\"\ntreshold = \"5 in 1m\"\n",
			`tattle.toml:6:1: rule[1].treshold: unknown key (did you mean "threshold"?)`},
		{"unknown key in source", sources + "formats = \"auto\"\n",
			`tattle.toml:4:1: source[0].formats: unknown key (did you mean "format"?)`},
		{"unknown key for channel type", "[channel.ops]\ntype = \"slack\"\ntoken = \"x\"\nchannel = \"C1\"\nsmtp = \"mail:25\"\n",
			"tattle.toml:5:1: channel.ops.smtp: unknown key for a slack channel (known: type, token, channel, webhook_url, api_url, mode)"},
		{"console takes nothing", "[channel.out]\ntype = \"console\"\nurl = \"http://x\"\n",
			"tattle.toml:3:1: channel.out.url: unknown key for a console channel (known: type)"},
		{"bad regex", "[[rule]]\nmessage = 'Connection (refused'\n",
			"tattle.toml:2:11: rule[0].message: bad regex: missing closing ): `Connection (refused`"},
		{"bad regex in fields", "[[rule]]\nfields = { user = '[a-' }\n",
			"tattle.toml:2:19: rule[0].fields.user: bad regex: missing closing ]: `[a-`"},
		{"unknown source", sources + "[[rule]]\nsources = [\"api\", \"wbe\"]\n",
			`tattle.toml:5:19: rule[0].sources[1]: unknown source "wbe" (defined: api)`},
		{"unknown channel", "[channel.ops]\ntype = \"console\"\n[[rule]]\nnotify = [\"opz\"]\n",
			`tattle.toml:4:11: rule[0].notify[0]: unknown channel "opz" (defined: ops)`},
		{"broken channel is not also unknown", "[channel.ops]\ntype = \"teams\"\n[[rule]]\nnotify = [\"ops\"]\n",
			`tattle.toml:2:8: channel.ops.type: must be one of slack, email, webhook, console (got "teams")`},
		{"broken source is not also unknown", "[[source]]\nname = \"api\"\npaths = [\"/x\"]\nformat = \"nope\"\n[[rule]]\nsources = [\"api\"]\n",
			`tattle.toml:4:10: source[0].format: unknown format "nope" (known: ` + strings.Join(parsers.FormatNames(), ", ") + ")"},
		{"bad threshold", "[[rule]]\nthreshold = \"5/1m\"\n",
			`tattle.toml:2:13: rule[0].threshold: want "N in WINDOW" such as "5 in 1m" (got "5/1m")`},
		{"zero window", "[[rule]]\ncode = \"A\"\n[[rule]]\ncode = \"B\"\n[[rule]]\ncode = \"C\"\nthreshold = \"5 in 0s\"\n",
			"tattle.toml:7:13: rule[2].threshold: window must be > 0 (got 0s)"},
		{"zero count", "[[rule]]\nthreshold = \"0 in 1m\"\n",
			"tattle.toml:2:13: rule[0].threshold: count must be between 1 and 1000000 (got 0)"},
		{"bad window", "[[rule]]\nthreshold = \"5 in 1 minute\"\n",
			`tattle.toml:2:13: rule[0].threshold: want "N in WINDOW" such as "5 in 1m" (got "5 in 1 minute")`},
		{"bad duration", "[[rule]]\nrepeat = \"1 hour\"\n",
			`tattle.toml:2:10: rule[0].repeat: bad duration "1 hour" (use a number and a unit such as 90s, 5m, 1h)`},
		{"negative duration", "[[rule]]\nresolve = \"-5m\"\n",
			"tattle.toml:2:11: rule[0].resolve: must be > 0 (got -5m0s)"},
		{"negative group_wait", "[[rule]]\ngroup_wait = \"-1s\"\n",
			"tattle.toml:2:14: rule[0].group_wait: must not be negative (got -1s)"},
		{"integer duration", "[[rule]]\nrepeat = 3600\n",
			`tattle.toml:2:10: rule[0].repeat: must be a duration string such as "5m" (got integer)`},
		{"zero flush interval", "[tattle]\nflush_interval = \"0s\"\n",
			"tattle.toml:2:18: tattle.flush_interval: must be > 0 (got 0s)"},
		{"bad status range", "[[rule]]\nstatus = [\"5xx\", \"599-500\"]\n",
			`tattle.toml:2:18: rule[0].status[1]: range "599-500" is backwards`},
		{"bad status", "[[rule]]\nstatus = \"5xxx\"\n",
			`tattle.toml:2:10: rule[0].status: want a status, a range or a class such as 404, "500-599" or "5xx" (got "5xxx")`},
		{"duplicate code", "[[rule]]\ncode = \"DB\"\n[[rule]]\ncode = \"API\"\n[[rule]]\ncode = \"DB\"\n",
			`tattle.toml:6:8: rule[2].code: "DB" is already used by rule[0]`},
		{"bad code", "[[rule]]\ncode = \"db conn\"\n",
			`tattle.toml:2:8: rule[0].code: must be 1-24 characters of A-Z, 0-9, _ and -, starting with a letter or digit (got "db conn")`},
		{"identical rules", "[[rule]]\nmessage = 'x'\n[[rule]]\nmessage = 'x'\n",
			"tattle.toml:3:1: rule[1]: matches exactly what rule[0] matches, so it never would (give one of them a name or a code)"},
		{"unset variable", "[channel.ops]\ntype = \"slack\"\ntoken = \"${SLACK_TOKEN_TYPO}\"\nchannel = \"C1\"\n",
			"tattle.toml:3:9: channel.ops.token: environment variable SLACK_TOKEN_TYPO is not set"},
		{"unterminated variable", "[tattle]\nhostname = \"${HOST\"\n",
			"tattle.toml:2:12: tattle.hostname: unterminated ${ (write $${ for a literal ${)"},
		{"regex format without pattern", "[[source]]\nname = \"api\"\npaths = [\"/x\"]\nformat = \"regex\"\n",
			`tattle.toml:4:10: source[0].format: format "regex" needs a pattern with named groups, such as pattern = '^(?P<level>[A-Z]+) (?P<message>.*)$'`},
		{"regex pattern without named group", sources + "format = \"regex\"\npattern = '^\\w+ .*'\n",
			"tattle.toml:5:11: source[0].pattern: has no named group such as (?P<level>...) or (?P<message>...)"},
		{"pattern without regex format", sources + "pattern = '(?P<message>.*)'\n",
			`tattle.toml:4:11: source[0].pattern: is used only with format "regex" (format is "auto")`},
		{"unknown format", sources + "format = \"logbak\"\n",
			`tattle.toml:4:10: source[0].format: unknown format "logbak" (known: ` + strings.Join(parsers.FormatNames(), ", ") + ")"},
		{"bad glob", "[[source]]\nname = \"api\"\npaths = [\"/var/log/[a.log\"]\n",
			`tattle.toml:3:10: source[0].paths[0]: bad glob "/var/log/[a.log"`},
		{"missing paths", "[[source]]\nname = \"api\"\n",
			"tattle.toml:1:1: source[0]: missing paths"},
		{"duplicate source", sources + sources,
			`tattle.toml:5:8: source[1].name: "api" is already used by source[0]`},
		{"bad source name", "[[source]]\nname = \"My API\"\npaths = [\"/x\"]\n",
			`tattle.toml:2:8: source[0].name: must be 1-64 characters of a-z, 0-9, _ and - (got "My API")`},
		{"unknown level", "[[rule]]\nlevel = [\"ERROR\", \"WARNNG\"]\n",
			`tattle.toml:2:19: rule[0].level[1]: unknown level "WARNNG" (known: TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRITICAL, SEVERE, FATAL, PANIC, ALERT, EMERG)`},
		{"level and min_level", "[[rule]]\nlevel = [\"ERROR\"]\nmin_level = \"WARN\"\n",
			"tattle.toml:3:13: rule[0].min_level: set level or min_level, not both"},
		{"bad severity", "[[rule]]\nseverity = \"high\"\n",
			`tattle.toml:2:12: rule[0].severity: must be one of critical, error, warning, info (got "high")`},
		{"bad group_by", "[[rule]]\ngroup_by = [\"host\"]\n",
			`tattle.toml:2:13: rule[0].group_by[0]: unknown event field "host" (known: source, file, level, logger, thread, message, language, exception, status, method, path, fields.NAME)`},
		{"wrong type", "[[rule]]\ntitle = 5\n",
			"tattle.toml:2:9: rule[0].title: must be a string (got integer)"},
		{"wrong element type", "[[rule]]\nnotify = [\"a\", 2]\n",
			"tattle.toml:2:16: rule[0].notify[1]: must be a string (got integer)"},
		{"rule as a table", "[rule]\ncode = \"A\"\n",
			"tattle.toml:1:1: rule: must be written as [[rule]] tables (got table)"},
		{"inline array of rules", "rule = [{ code = \"A\" }, { code = \"B\", threshold = \"1 in 0s\" }]\n",
			"tattle.toml:1:51: rule[1].threshold: window must be > 0 (got 0s)"},
		{"array of non-tables", "source = [1, 2]\n",
			"tattle.toml:1:10: source: must be written as [[source]] tables (got array)"},
		{"bad listen", "[tattle]\nlisten = \"9740\"\n",
			`tattle.toml:2:10: tattle.listen: want host:port such as "127.0.0.1:9740", or "" to turn the listener off (got "9740")`},
		{"limit out of range", "[tattle]\nmax_event_lines = 0\n",
			"tattle.toml:2:19: tattle.max_event_lines: must be between 1 and 1000000 (got 0)"},
		{"missing channel type", "[channel.ops]\nchannel = \"C1\"\n",
			"tattle.toml:1:1: channel.ops: missing type (one of slack, email, webhook, console)"},
		{"unknown channel type", "[channel.ops]\ntype = \"teams\"\n",
			`tattle.toml:2:8: channel.ops.type: must be one of slack, email, webhook, console (got "teams")`},
		{"slack bot without channel", "[channel.ops]\ntype = \"slack\"\ntoken = \"t\"\n",
			`tattle.toml:1:1: channel.ops: missing channel (a channel ID such as "C0123ABCD")`},
		{"slack webhook with token", "[channel.ops]\ntype = \"slack\"\nmode = \"webhook\"\nwebhook_url = \"https://h\"\ntoken = \"t\"\n",
			`tattle.toml:5:9: channel.ops.token: is used only with mode "bot"`},
		{"email without recipients", "[channel.mail]\ntype = \"email\"\nsmtp = \"smtp:25\"\nfrom = \"a@example.com\"\n",
			"tattle.toml:1:1: channel.mail: missing to (the recipients)"},
		{"bad email address", "[channel.mail]\ntype = \"email\"\nsmtp = \"smtp:25\"\nfrom = \"a@example.com\"\nto = [\"oncall\"]\n",
			`tattle.toml:5:7: channel.mail.to[0]: want an address such as "oncall@example.com" (got "oncall")`},
		{"syntax error", "[[rule]]\ncode = \"A\ntitle = \"x\"\n",
			"tattle.toml:2:10: syntax error: strings cannot contain newlines"},
		{"duplicate key", "[tattle]\nlisten = \"a:1\"\nlisten = \"b:2\"\n",
			"tattle.toml:3:1: syntax error: Key 'tattle.listen' has already been defined."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.toml), "tattle.toml", testEnv)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false")
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Errors) != 1 {
				t.Errorf("want one *ConfigError entry, got %#v", err)
			}
		})
	}
}

// TestParseErrorsAll checks that one load reports every problem, in file
// order.
func TestParseErrorsAll(t *testing.T) {
	in := "[[rule]]\nnotify = [\"x\"]\nseverity = \"high\"\n\n[tattle]\nbogus = true\n"
	want := `tattle.toml:2:11: rule[0].notify[0]: unknown channel "x" (no channel is defined)
tattle.toml:3:12: rule[0].severity: must be one of critical, error, warning, info (got "high")
tattle.toml:6:1: tattle.bogus: unknown key (known: state_dir, listen, public_url, hostname, max_line_bytes, max_event_lines, max_event_bytes, flush_interval)`
	_, err := parse([]byte(in), "tattle.toml", testEnv)
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
}

func TestSecretsNeverShown(t *testing.T) {
	tests := []struct {
		name, toml string
	}{
		{"syntax error in token", "[channel.ops]\ntype = \"slack\"\ntoken = xoxb-hunter2\n"},
		{"syntax error in password", "[channel.m]\npassword = hunter2 hunter2\n"},
		{"syntax error in header", "[channel.h]\ntype = \"webhook\"\nheaders = { Authorization = Bearer-hunter2 }\n"},
		{"bad webhook url", "[channel.h]\ntype = \"webhook\"\nurl = \"ftp://user:SECRETURLPW@host/x\"\n"},
		{"bad url syntax", "[channel.h]\ntype = \"webhook\"\nurl = \"http://user:SECRETURLPW@[::1/x\"\n"},
		{"bad slack webhook url", "[channel.s]\ntype = \"slack\"\nwebhook_url = \"hooks.slack.com/SECRETHOOK\"\n"},
		{"bad public url", "[tattle]\npublic_url = \"http//user:SECRETURLPW@ops\"\n"},
		{"token in wrong mode", "[channel.s]\ntype = \"slack\"\nmode = \"webhook\"\nwebhook_url = \"${HOOK_URL}\"\ntoken = \"${SLACK_BOT_TOKEN}\"\n"},
		{"unknown key next to secrets", "[channel.s]\ntype = \"email\"\nsmtp = \"m:25\"\nfrom = \"a@b.c\"\nto = \"a@b.c\"\npassword = \"${SMTP_PASSWORD}\"\nusername = \"u\"\nbogus = \"hunter2\"\n"},
		{"password without username", "[channel.s]\ntype = \"email\"\nsmtp = \"m:25\"\nfrom = \"a@b.c\"\nto = \"a@b.c\"\npassword = \"hunter2\"\n"},
		{"bad variable name in secret", "[channel.s]\ntype = \"slack\"\nchannel = \"C\"\ntoken = \"${hunter2 SECRETTOKEN}\"\n"},
		{"unterminated variable in secret", "[channel.s]\ntype = \"slack\"\nchannel = \"C\"\ntoken = \"hunter2${SECRETTOKEN\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.toml), "tattle.toml", testEnv)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error shows secret %q: %v", s, err)
				}
			}
		})
	}

	c, err := parse([]byte(fullConfig), "tattle.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	var outs []string
	outs = append(outs, c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c))
	for _, ch := range c.Channels {
		outs = append(outs, ch.String(), fmt.Sprintf("%v", ch), fmt.Sprintf("%+v", *ch))
		if ch.Slack != nil {
			outs = append(outs, fmt.Sprintf("%v %+v %#v %s %q %x", *ch.Slack, *ch.Slack, *ch.Slack, ch.Slack.Token, ch.Slack.Token, ch.Slack.WebhookURL))
		}
		if ch.Email != nil {
			outs = append(outs, fmt.Sprintf("%v %+v %#v", *ch.Email, *ch.Email, *ch.Email))
		}
		if ch.Webhook != nil {
			outs = append(outs, fmt.Sprintf("%v %+v %#v", *ch.Webhook, *ch.Webhook, *ch.Webhook))
		}
	}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	for _, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("printout shows secret %q: %s", s, out)
			}
		}
	}
	// The values are still there for the notifiers.
	if ops := c.Channel("ops"); string(ops.Slack.Token) != "xoxb-1111-SECRETTOKEN" {
		t.Errorf("token = %q", string(ops.Slack.Token))
	}
	if got := fmt.Sprint(c.Channel("ops")); got != "ops (slack, channel C0123ABCD)" {
		t.Errorf("channel String() = %q", got)
	}
}

func TestExpandEnv(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"plain", "plain", ""},
		{"${TEAM}", "payments", ""},
		{"a-${TEAM}-b-${TEAM}", "a-payments-b-payments", ""},
		{"$${TEAM}", "${TEAM}", ""},
		{"x$${TEAM}y${TEAM}", "x${TEAM}ypayments", ""},
		{"^end$", "^end$", ""},
		{"$TEAM", "$TEAM", ""},
		{"${EMPTY}", "", ""},
		{"${NOPE}", "", "environment variable NOPE is not set"},
		{"${TEAM", "", "unterminated ${ (write $${ for a literal ${)"},
		{"${}", "", "${...} must hold a variable name: letters, digits and _, not starting with a digit (write $${ for a literal ${)"},
		{"${1X}", "", "${...} must hold a variable name: letters, digits and _, not starting with a digit (write $${ for a literal ${)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := expandEnv(tt.in, testEnv)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.err {
				t.Errorf("expandEnv(%q) = %q, %q; want %q, %q", tt.in, got, gotErr, tt.want, tt.err)
			}
		})
	}
}

func TestDefaultAndBuiltins(t *testing.T) {
	c := Default()
	if len(c.Sources) != 0 || len(c.Channels) != 0 || c.Tattle.Listen != DefaultListen || c.Tattle.FlushInterval != time.Second {
		t.Errorf("Default() = %+v", c)
	}
	var names []string
	for _, r := range c.Rules {
		names = append(names, r.Name)
		if !r.Builtin {
			t.Errorf("rule %s not flagged built-in", r.Name)
		}
	}
	if got := strings.Join(names, ","); got != "error,crash,http-5xx" {
		t.Errorf("built-in rules = %s", got)
	}
	if got := c.String(); got != "0 sources, 3 built-in rules, 0 channels" {
		t.Errorf("String() = %q", got)
	}
	// A file without rules gets the built-ins, notifying every channel.
	c2, err := parse([]byte("[channel.b]\ntype = \"console\"\n[channel.a]\ntype = \"console\"\n"), "t.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c2.Rules {
		if !r.Builtin || strings.Join(r.Notify, ",") != "a,b" {
			t.Errorf("rule %s: builtin %v notify %v", r.Name, r.Builtin, r.Notify)
		}
	}
}

func TestSourceFor(t *testing.T) {
	in := `
[[source]]
name = "api"
paths = ["/var/log/api/**/*.log"]
exclude = ["*debug*", "/var/log/api/old/**"]

[[source]]
name = "all"
paths = ["/var/log/**"]
exclude = ["*.gz"]
`
	c, err := parse([]byte(in), "t.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{"/var/log/api/app.log", "api"},
		{"/var/log/api/2024/01/app.log", "api"},
		{"/var/log/api/app-debug.log", "all"}, // excluded by base name from api
		{"/var/log/api/old/app.log", "all"},   // excluded by full path from api
		{"/var/log/api/app.log.gz", "none"},   // api wants *.log, all excludes *.gz
		{"/var/log/syslog", "all"},
		{"/var/log/../log/api/x.log", "api"},
		{"/srv/app.log", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got := "none"
			if s := c.SourceFor(tt.path); s != nil {
				got = s.Name
			}
			if got != tt.want {
				t.Errorf("SourceFor(%q) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}

func TestParserOptions(t *testing.T) {
	c, err := parse([]byte(fullConfig), "tattle.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Source("api").ParserOptions(c)
	want := parsers.Options{
		Format:        "regex",
		FormatOptions: parsers.FormatOptions{Pattern: `^(?P<level>[A-Z]+) (?P<message>.*)$`},
		Limits:        parsers.Limits{MaxLineBytes: 65536, MaxEventLines: 100, MaxEventBytes: 524288},
		InApp:         []string{"com.example."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParserOptions = %+v, want %+v", got, want)
	}
	if got := c.Source("web").ParserOptions(nil); got.Format != "auto" || got.Limits != (parsers.Limits{}) {
		t.Errorf("ParserOptions(nil) = %+v", got)
	}
	// The options build a parser.
	if _, err := parsers.New(got, func(*parsers.Record) {}); err != nil {
		t.Errorf("parsers.New: %v", err)
	}
}

func TestLoadAndCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "tattle.toml")
	cfg := "[[source]]\nname = \"api\"\npaths = [\"/x/*.log\"]\n[[source]]\nname = \"web\"\npaths = [\"/y\"]\n" +
		"[[rule]]\ncode = \"A\"\n[channel.c]\ntype = \"console\"\n"
	if err := os.WriteFile(good, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := Check(good)
	if err != nil || sum != good+": ok: 2 sources, 1 rule, 1 channel" {
		t.Errorf("Check = %q, %v", sum, err)
	}
	c, err := Load(good)
	if err != nil || c.File != good {
		t.Fatalf("Load = %v, %v", c, err)
	}

	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[[rule]]\nthreshold = \"1 in 0s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Check(bad)
	if err == nil || err.Error() != bad+":2:13: rule[0].threshold: window must be > 0 (got 0s)" || !errors.Is(err, ErrInvalid) {
		t.Errorf("Check(bad) = %v", err)
	}

	_, err = Check(filepath.Join(dir, "missing.toml"))
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrInvalid) {
		t.Errorf("Check(missing) = %v", err)
	}
}

func TestPositions(t *testing.T) {
	in := `# comment with [brackets] and = signs
top = """multi
[not.a.table]
x = 1"""
lit = '''it's [also] "fine"'''
"quoted key" = 1
dotted.key.here = "v"

[[rule]]
a = [
  "one",   # comment ]
  ["nested", 2],
  { k = 'v' },
]

[[rule]]
inline = { x = 1, y.z = "w", "q k" = 2 }

[rule.sub]
deep = true

[ channel . "my ops" ]
type = 'x'
`
	idx := indexPositions([]byte(in))
	tests := []struct {
		path     string
		key, val position
	}{
		{"top", position{2, 1}, position{2, 7}},
		{"lit", position{5, 1}, position{5, 7}},
		{`"quoted key"`, position{6, 1}, position{6, 16}},
		{"dotted.key.here", position{7, 1}, position{7, 19}},
		{"rule[0]", position{9, 1}, position{9, 1}},
		{"rule[0].a", position{10, 1}, position{10, 5}},
		{"rule[0].a[0]", position{11, 3}, position{11, 3}},
		{"rule[0].a[1][1]", position{12, 14}, position{12, 14}},
		{"rule[0].a[2].k", position{13, 5}, position{13, 9}},
		{"rule[1]", position{16, 1}, position{16, 1}},
		{"rule[1].inline.x", position{17, 12}, position{17, 16}},
		{"rule[1].inline.y.z", position{17, 19}, position{17, 25}},
		{`rule[1].inline."q k"`, position{17, 30}, position{17, 38}},
		{"rule[1].sub", position{19, 1}, position{19, 1}},
		{"rule[1].sub.deep", position{20, 1}, position{20, 8}},
		{`channel."my ops".type`, position{23, 1}, position{23, 8}},
	}
	for _, tt := range tests {
		got, ok := idx[tt.path]
		if !ok {
			t.Errorf("%s: not found", tt.path)
			continue
		}
		if got.key != tt.key || got.val != tt.val {
			t.Errorf("%s: key %v val %v, want key %v val %v", tt.path, got.key, got.val, tt.key, tt.val)
		}
	}
	for _, p := range []string{"not.a.table", "not", "x", "brackets"} {
		if _, ok := idx[p]; ok {
			t.Errorf("%s recorded from inside a string or comment", p)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(fullConfig))
	f.Add([]byte("[[rule]]\nthreshold = \"5 in 0s\"\n"))
	f.Add([]byte("a = [[[[{x = '''y'''}]]]]\n"))
	f.Add([]byte("[channel.x]\ntype = \"webhook\"\nurl = \"${X\"\n"))
	f.Add([]byte("\"\\u00e9\" = { \"\\\"\" = 1 }\n[[a.b]]\n[a.b.c]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parse(data, "f.toml", testEnv)
		if err != nil {
			if c != nil {
				t.Fatal("config with error")
			}
			_ = err.Error()
			return
		}
		if _, err := NewEngine(c); err != nil {
			t.Fatalf("valid config does not compile: %v", err)
		}
		_ = c.String()
	})
}
