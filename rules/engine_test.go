package rules

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/tattle-dev/tattle/parsers"
)

// Formats the engine tests read real text with: the regex format is part
// of the parsers' exported API and does not change under us.
const (
	appPattern    = `^(?P<level>[A-Z]+) \[(?P<thread>[^\]]*)\] (?P<logger>\S+) - (?P<message>.*)$`
	accessPattern = `^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3})$`
	tenantPattern = `^(?P<level>[A-Z]+) tenant=(?P<tenant>\w+) (?P<message>.*)$`
)

type matched struct {
	line int64
	rule string // "-" when no rule matched
	ev   *parsers.Event
}

func (m matched) String() string { return fmt.Sprintf("%d:%s", m.line, m.rule) }

// runEngine parses text with opts and matches every record.
func runEngine(t testing.TB, e *Engine, opts parsers.Options, source, text string) []matched {
	t.Helper()
	var out []matched
	p, err := parsers.New(opts, func(r *parsers.Record) {
		m := matched{line: r.Line, rule: "-"}
		if rule := e.Match(source, r); rule != nil {
			m.rule = rule.Name
			m.ev = e.Event(source, "app.log", r, rule)
		}
		out = append(out, m)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		p.Feed(parsers.Line{Num: int64(i + 1), Bytes: []byte(l)})
	}
	p.Flush()
	return out
}

func summary(ms []matched) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.String())
	}
	return strings.Join(parts, " ")
}

func regexOpts(pattern string) parsers.Options {
	return parsers.Options{Format: "regex", FormatOptions: parsers.FormatOptions{Pattern: pattern}, InApp: []string{"com.example."}}
}

func TestBuiltinRules(t *testing.T) {
	e, err := NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		opts   parsers.Options
		text   string
		want   string
		severe string // severity of the first match
	}{
		{"error level", regexOpts(appPattern),
			"ERROR [main] com.example.Svc - boom\nFATAL [main] com.example.Svc - dead\nCRITICAL [w] x - c\n",
			"1:error 2:error 3:error", "error"},
		{"info and warn are not errors", regexOpts(appPattern),
			"INFO [main] com.example.Svc - started\nWARN [main] com.example.Svc - slow\nDEBUG [main] x - y\n",
			"1:- 2:- 3:-", ""},
		{"warn with a trace is not an error", regexOpts(appPattern),
			"WARN [main] com.example.Svc - retrying\njava.lang.IllegalStateException: x\n\tat com.example.A.b(A.java:1)\nINFO [main] x - ok\n",
			"1:- 4:-", ""},
		{"error with a trace", regexOpts(appPattern),
			"ERROR [main] com.example.Svc - failed\njava.lang.IllegalStateException: x\n\tat com.example.A.b(A.java:1)\n",
			"1:error", "error"},
		{"trace without a level is a crash", parsers.Options{Format: "plain"},
			"starting\nException in thread \"main\" java.lang.IllegalStateException: boom\n\tat com.example.Main.main(Main.java:5)\nbye\n",
			"1:- 2:crash 4:-", "critical"},
		{"plain error line", parsers.Options{Format: "plain"},
			"ERROR: disk full\nnothing to see\n", "1:error 2:-", "error"},
		{"access 5xx", regexOpts(accessPattern),
			"GET /api/orders/1 200\nGET /api/orders/2 503\nPOST /api/login 404\nGET /x 500\nGET /y 599\n",
			"1:- 2:http-5xx 3:- 4:http-5xx 5:http-5xx", "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runEngine(t, e, tt.opts, "", tt.text)
			if s := summary(got); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
			for _, m := range got {
				if m.ev != nil {
					if m.ev.Severity != tt.severe {
						t.Errorf("line %d severity %q, want %q", m.line, m.ev.Severity, tt.severe)
					}
					break
				}
			}
		})
	}
}

const rulesConfig = `
[[source]]
name = "api"
paths = ["/var/log/api/*.log"]

[[source]]
name = "web"
paths = ["/var/log/nginx/*.log"]

[[rule]]
code = "DB-CONN"
title = "Database connection lost"
sources = ["api"]
level = ["ERROR", "FATAL"]
exception = 'SQLException|CannotGetJdbcConnection'
message = 'Connection (refused|reset)'
severity = "critical"

[[rule]]
code = "PAY"
sources = ["api"]
logger = '^com\.example\.pay\.'
min_level = "WARN"
ignore = 'card declined'

[[rule]]
code = "ORDER-NPE"
level = ["ERROR"]
frame = 'OrderService\.save'
exception = 'NullPointerException'

[[rule]]
code = "WEB5"
sources = ["web"]
status = ["5xx"]
path = '^/api/'

[[rule]]
code = "ACME"
fields = { tenant = '^acme$' }
level = ["ERROR"]

[[rule]]
name = "errors"
min_level = "ERROR"
ignore = '(?i)healthcheck'
`

func TestRuleMatching(t *testing.T) {
	c, err := parse([]byte(rulesConfig), "t.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(c)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, source, pattern, text, want string
	}{
		{"level, exception and message", "api", appPattern,
			"ERROR [db] com.example.Repo - Connection refused by db:5432\n" + // no exception: falls to errors
				"ERROR [db] com.example.Repo - Query failed: Connection reset\njava.sql.SQLException: I/O error\n\tat com.example.Repo.find(Repo.java:10)\n" +
				"WARN [db] com.example.Repo - Connection refused\njava.sql.SQLException: x\n\tat com.example.Repo.find(Repo.java:10)\n",
			"1:errors 2:DB-CONN 5:-"},
		{"message found in the exception", "api", appPattern,
			"ERROR [db] com.example.Repo - Failed to obtain JDBC Connection\n" +
				"org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n" +
				"\tat com.example.Repo.find(Repo.java:10)\n" +
				"Caused by: java.net.ConnectException: Connection refused\n" +
				"\tat java.net.PlainSocketImpl.connect(PlainSocketImpl.java:1)\n",
			"1:DB-CONN"},
		{"sources restrict rules", "web", appPattern,
			"ERROR [db] com.example.Repo - Query failed: Connection reset\njava.sql.SQLException: I/O error\n\tat com.example.Repo.find(Repo.java:10)\n",
			"1:errors"},
		{"logger, min_level and ignore", "api", appPattern,
			"WARN [p] com.example.pay.Gateway - timeout\nINFO [p] com.example.pay.Gateway - paid\n" +
				"ERROR [p] com.example.pay.Gateway - card declined for 4242\nERROR [p] com.example.shop.Cart - boom\n",
			"1:PAY 2:- 3:errors 4:errors"},
		{"frame and exception", "api", appPattern,
			"ERROR [w] com.example.Web - request failed\njava.lang.NullPointerException: null\n\tat com.example.OrderService.save(OrderService.java:42)\n\tat com.example.Web.post(Web.java:7)\n" +
				"ERROR [w] com.example.Web - request failed\njava.lang.NullPointerException: null\n\tat com.example.UserService.save(UserService.java:42)\n",
			"1:ORDER-NPE 5:errors"},
		{"status and path", "web", accessPattern,
			"GET /api/orders/7 502\nGET /static/app.js 500\nGET /api/orders/7 200\n",
			"1:WEB5 2:- 3:-"},
		{"status rule only for its source", "api", accessPattern,
			"GET /api/orders/7 502\n",
			"1:-"},
		{"named fields", "api", tenantPattern,
			"ERROR tenant=acme payment failed\nERROR tenant=globex payment failed\nINFO tenant=acme ok\n",
			"1:ACME 2:errors 3:-"},
		{"ignore is case-insensitive", "other", appPattern,
			"ERROR [h] com.example.Health - HealthCheck failed\nERROR [h] com.example.Health - db down\n",
			"1:- 2:errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runEngine(t, e, regexOpts(tt.pattern), tt.source, tt.text)
			if s := summary(got); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func TestEngineEvent(t *testing.T) {
	in := rulesConfig + `
[[rule]]
code = "BYPATH"
status = ["4xx"]
group_by = ["path"]
`
	c, err := parse([]byte(in), "t.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(c)
	if err != nil {
		t.Fatal(err)
	}
	got := runEngine(t, e, regexOpts(appPattern), "api",
		"ERROR [db] com.example.Repo - Query failed: Connection reset\njava.sql.SQLException: I/O error\n\tat com.example.Repo.find(Repo.java:10)\n"+
			"ERROR [w] com.example.Web - order 42 failed\nERROR [w] com.example.Web - order 43 failed\n")
	if s := summary(got); s != "1:DB-CONN 4:errors 5:errors" {
		t.Fatalf("got %s", s)
	}
	db := got[0].ev
	if db.Rule != "DB-CONN" || db.Code != "DB-CONN" || db.Title != "Database connection lost" || db.Severity != "critical" ||
		db.Source != "api" || db.File != "app.log" || db.Exception != "java.sql.SQLException" || db.Line != 1 || db.EndLine != 3 {
		t.Errorf("DB-CONN event = %+v", db)
	}
	if db.Fingerprint != Fingerprint(c.Rules[0], db) || len(db.Fingerprint) != 16 {
		t.Errorf("fingerprint %q", db.Fingerprint)
	}
	// Code-less rule: auto code from the fingerprint, the same for both
	// orders, title from the message.
	a, b := got[1].ev, got[2].ev
	if a.Fingerprint != b.Fingerprint || a.Code != b.Code {
		t.Errorf("orders 42 and 43 differ: %s/%s %s/%s", a.Fingerprint, a.Code, b.Fingerprint, b.Code)
	}
	if want := "ERR-" + strings.ToUpper(a.Fingerprint[:4]); a.Code != want {
		t.Errorf("code %s, want %s", a.Code, want)
	}
	if a.Title != "order 42 failed" || a.Severity != "error" || a.Rule != "errors" {
		t.Errorf("event = %+v", a)
	}

	// group_by: the rule's code and a suffix per group.
	acc := runEngine(t, e, regexOpts(accessPattern), "web", "GET /api/a/1 404\nGET /api/a/2?x=1 404\nGET /api/b 404\n")
	if s := summary(acc); s != "1:BYPATH 2:BYPATH 3:BYPATH" {
		t.Fatalf("got %s", s)
	}
	if acc[0].ev.Code != acc[1].ev.Code || acc[0].ev.Code == acc[2].ev.Code {
		t.Errorf("group codes %s %s %s", acc[0].ev.Code, acc[1].ev.Code, acc[2].ev.Code)
	}
	if want := "BYPATH-" + strings.ToUpper(acc[0].ev.Fingerprint[:4]); acc[0].ev.Code != want {
		t.Errorf("code %s, want %s", acc[0].ev.Code, want)
	}
	if acc[0].ev.Title != "HTTP 404 on GET /api/a/:id" {
		t.Errorf("title %q", acc[0].ev.Title)
	}
	// Without a rule, the bare event.
	bare := runEngine(t, e, regexOpts(appPattern), "api", "INFO [m] x - hi\n")
	if bare[0].ev != nil {
		t.Errorf("INFO matched %v", bare[0].ev)
	}
}

func TestBuiltinCodesAndTitles(t *testing.T) {
	e, err := NewEngine(Default())
	if err != nil {
		t.Fatal(err)
	}
	got := runEngine(t, e, regexOpts(appPattern), "",
		"ERROR [w] com.example.Web - request failed\njava.lang.NullPointerException: Cannot invoke \"String.length()\"\n\tat com.example.OrderService.save(OrderService.java:42)\n"+
			"ERROR [w] com.example.Web - request failed\njava.lang.NullPointerException: Cannot invoke \"String.length()\"\n\tat com.example.OrderService.save(OrderService.java:57)\n"+
			"ERROR [w] com.example.Web - request failed\njava.lang.IllegalArgumentException: bad id\n\tat com.example.OrderService.save(OrderService.java:42)\n")
	if s := summary(got); s != "1:error 4:error 7:error" {
		t.Fatalf("got %s", s)
	}
	npe1, npe2, iae := got[0].ev, got[1].ev, got[2].ev
	if npe1.Fingerprint != npe2.Fingerprint {
		t.Errorf("line numbers split a group: %s %s", npe1.Fingerprint, npe2.Fingerprint)
	}
	if npe1.Fingerprint == iae.Fingerprint {
		t.Errorf("different exceptions share %s", npe1.Fingerprint)
	}
	if want := "NPE-" + strings.ToUpper(npe1.Fingerprint[:4]); npe1.Code != want {
		t.Errorf("code %s, want %s", npe1.Code, want)
	}
	if want := "IAE-" + strings.ToUpper(iae.Fingerprint[:4]); iae.Code != want {
		t.Errorf("code %s, want %s", iae.Code, want)
	}
	if npe1.Title != `java.lang.NullPointerException: Cannot invoke "String.length()"` {
		t.Errorf("title %q", npe1.Title)
	}
}

// TestMatchDoesNotAllocate: on records no rule wants, Match allocates
// nothing; in particular it does not analyse their traces (analysis
// allocates its result). Each record is fresh, since a record keeps its
// analysed trace.
func TestMatchDoesNotAllocate(t *testing.T) {
	c, err := parse([]byte(rulesConfig), "t.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(c)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"INFO [main] com.example.Svc - started in 42 ms",
		"WARN [main] com.example.Svc - slow query\njava.lang.IllegalStateException: x\n\tat com.example.A.b(A.java:1)",
		"INFO [main] com.example.Svc - panic: not really",
	}
	// The malloc counter is process-wide: another goroutine can bump it
	// between the two reads. A Match that allocates does so on every
	// fresh record, so only an allocation seen on every attempt fails.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, text := range texts {
		var least uint64 = 1 << 62
		for range 5 {
			r := keptRecords(t, regexOpts(appPattern), []string{text})[0]
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rule := e.Match("api", r)
			runtime.ReadMemStats(&after)
			if rule != nil {
				t.Fatalf("%q matched %s", text, rule.Name)
			}
			least = min(least, after.Mallocs-before.Mallocs)
		}
		if least != 0 {
			t.Errorf("Match allocated %d times on %q", least, text)
		}
	}
	// The check can fail: a rule that asks about exceptions analyses.
	r := keptRecords(t, regexOpts(appPattern), texts[1:2])[0]
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r.Trace()
	runtime.ReadMemStats(&after)
	if after.Mallocs == before.Mallocs {
		t.Error("trace analysis does not allocate: the check above proves nothing")
	}
}

// keptRecords parses each text with a parser of its own, so that each
// record stays valid after parsing.
func keptRecords(t testing.TB, opts parsers.Options, texts []string) []*parsers.Record {
	t.Helper()
	var out []*parsers.Record
	for _, text := range texts {
		var got *parsers.Record
		p, err := parsers.New(opts, func(r *parsers.Record) {
			if got == nil {
				got = r
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(text, "\n") {
			p.Feed(parsers.Line{Num: int64(i + 1), Bytes: []byte(l)})
		}
		p.Flush()
		if got == nil {
			t.Fatalf("no record from %q", text)
		}
		out = append(out, got)
	}
	return out
}
