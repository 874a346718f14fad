package parsers

import (
	"bytes"
	"testing"
)

const railsLayout = "2006-01-02T15:04:05"

var railsCases = []fmtCase{
	{name: "info tagged", line: `I, [2024-01-15T10:23:45.123456 #1234]  INFO -- : [8f2c1e7a-51d4-4c2b-9d0e-3a7b6f1c2d3e] Started GET "/users/1" for 1.2.3.4 at 2024-01-15 10:23:45 +0000`,
		ok: true, level: LevelInfo, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: `[8f2c1e7a-51d4-4c2b-9d0e-3a7b6f1c2d3e] Started GET "/users/1" for 1.2.3.4 at 2024-01-15 10:23:45 +0000`},
	{name: "error progname", line: "E, [2024-01-15T10:23:45.123456 #1234] ERROR -- app: Payment gateway timeout",
		ok: true, level: LevelError, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		logger: "app", msg: "Payment gateway timeout"},
	{name: "fatal blank", line: "F, [2024-01-15T10:23:45.123456 #1234] FATAL -- : [req-1]   ",
		ok: true, level: LevelFatal, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: "[req-1]   "},
	{name: "fatal exception", line: "F, [2024-01-15T10:23:45.123456 #1234] FATAL -- : NoMethodError (undefined method `name' for nil):",
		ok: true, level: LevelFatal, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: "NoMethodError (undefined method `name' for nil):"},
	{name: "warn", line: "W, [2024-01-15T10:23:45.123456 #1]  WARN -- sidekiq: slow job",
		ok: true, level: LevelWarn, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		logger: "sidekiq", msg: "slow job"},
	{name: "debug", line: "D, [2024-01-15T10:23:45.123456 #1] DEBUG -- :   User Load (0.4ms)  SELECT \"users\".* FROM \"users\"",
		ok: true, level: LevelDebug, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: "  User Load (0.4ms)  SELECT \"users\".* FROM \"users\""},
	{name: "any", line: "A, [2024-01-15T10:23:45.123456 #1]   ANY -- : hello",
		ok: true, level: LevelNone, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: "hello"},
	{name: "empty message", line: "I, [2024-01-15T10:23:45.123456 #1]  INFO -- :",
		ok: true, level: LevelInfo, time: "2024-01-15T10:23:45.123456", layout: railsLayout,
		msg: ""},

	// Turned down.
	{name: "letter mismatch", line: "I, [2024-01-15T10:23:45.123456 #1] ERROR -- : x"},
	{name: "lower level", line: "e, [2024-01-15T10:23:45.123456 #1] error -- : x"},
	{name: "no pid", line: "E, [2024-01-15T10:23:45.123456] ERROR -- : x"},
	{name: "no dashes", line: "E, [2024-01-15T10:23:45.123456 #1] ERROR : x"},
	{name: "no colon", line: "E, [2024-01-15T10:23:45.123456 #1] ERROR -- x"},
	{name: "time only", line: "E, [10:23:45.123456 #1] ERROR -- : x"},
	{name: "unknown level", line: "S, [2024-01-15T10:23:45.123456 #1] SEVERE -- : x"},
	{name: "tagged continuation", line: "[req-1] NoMethodError (undefined method `name' for nil):"},
	{name: "tagged frame", line: "[req-1] app/controllers/users_controller.rb:5:in `show'"},
	{name: "dev started", line: `Started GET "/" for ::1 at 2024-01-15 10:23:45 +0000`},
	{name: "dev processing", line: "Processing by UsersController#show as HTML"},
	{name: "python default", line: "ERROR:root:x"},
	{name: "logback", line: "10:23:45.123 [main] ERROR com.example.App - x"},
}

func TestRailsHeader(t *testing.T) {
	checkFmtCases(t, &railsFormat{}, railsCases)
}

func TestRailsDecoys(t *testing.T) {
	checkFmtDecoys(t, &railsFormat{})
}

func TestRailsRegistered(t *testing.T) {
	mk := textFormats["rails"]
	if mk == nil || mk().Name() != "rails" {
		t.Fatal("rails is not registered")
	}
	if mk() == mk() {
		t.Error("rails keeps state, so each call must make a new Format")
	}
}

// TestRailsErrorRun checks the framing of exceptions logged a line at a time
// (Rails 5, or a backtrace logged line by line): the lines of the report
// continue the record of the error that started them.
func TestRailsErrorRun(t *testing.T) {
	const (
		i1 = "I, [2024-01-15T10:23:45.100000 #1234]  INFO -- : [req-1] "
		f1 = "F, [2024-01-15T10:23:45.120000 #1234] FATAL -- : [req-1] "
		f2 = "F, [2024-01-15T10:23:45.120000 #1234] FATAL -- : [req-2] "
		fp = "F, [2024-01-15T10:23:45.120000 #999] FATAL -- : [req-1] "
		e0 = "E, [2024-01-15T10:23:45.130000 #1234] ERROR -- : "
	)
	tests := []struct {
		name  string
		lines []string
		heads []bool
	}{
		{"rails 5 report", []string{
			i1 + "Completed 500 Internal Server Error in 12ms",
			f1 + "  ",
			f1 + "NoMethodError (undefined method `name' for nil:NilClass):",
			f1 + "  ",
			f1 + "app/controllers/users_controller.rb:5:in `show'",
			f1 + "  app/models/user.rb:9:in `block in find'",
			i1 + "Started GET \"/\" for 1.2.3.4",
		}, []bool{true, true, false, false, false, false, true}},
		{"backtrace logged line by line", []string{
			e0 + "Charge failed: card declined",
			e0 + "/app/lib/billing.rb:40:in 'Billing.charge'",
			e0 + "/app/lib/billing.rb:12:in 'block in run'",
			e0 + "Charge failed: card declined",
		}, []bool{true, false, false, true}},
		{"other request or process breaks the run", []string{
			f1 + "  ",
			f2 + "app/controllers/a.rb:5:in `show'",
			fp + "app/controllers/a.rb:5:in `show'",
			f1 + "app/controllers/a.rb:5:in `show'",
		}, []bool{true, true, true, true}},
		{"info ends the run", []string{
			f1 + "  ",
			i1 + "Completed 500",
			f1 + "app/controllers/a.rb:5:in `show'",
		}, []bool{true, true, true}},
		{"frame at info level is a header", []string{
			i1 + "x",
			i1 + "app/controllers/a.rb:5:in `show'",
		}, []bool{true, true}},
		{"modern report is one header and bare lines", []string{
			f1 + "  ",
			"[req-1] NoMethodError (undefined method `name' for nil):",
			"[req-1]   ",
			"[req-1] app/controllers/users_controller.rb:5:in `show'",
		}, []bool{true, false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &railsFormat{}
			var h Header
			for i, l := range tt.lines {
				h.Reset()
				if got := f.Header([]byte(l), &h); got != tt.heads[i] {
					t.Errorf("line %d %q: header = %v, want %v", i, l, got, tt.heads[i])
				}
			}
		})
	}
}

func TestRailsTraceLine(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", true},
		{"  ", true},
		{"app/controllers/a.rb:5:in `show'", true},
		{"  /usr/lib/ruby/3.4.0/net/http.rb:1603:in 'Net::HTTP#request'", true},
		{"NoMethodError (undefined method `x' for nil):", true},
		{"ActionController::RoutingError (No route matches [GET] \"/x\"):", true},
		{"Completed 500 Internal Server Error in 5ms", false},
		{"listening on localhost:3000", false},
		{"Error (x)", false},
		{":5:in `x'", false},
	}
	for _, tt := range tests {
		if got := railsTraceLine([]byte(tt.in)); got != tt.want {
			t.Errorf("railsTraceLine(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRailsHeaderAllocs(t *testing.T) {
	var lines [][]byte
	for _, c := range railsCases {
		lines = append(lines, []byte(c.line))
	}
	assertNoHeaderAllocs(t, &railsFormat{}, lines)
}

func FuzzRails(f *testing.F) {
	for _, c := range railsCases {
		f.Add([]byte(c.line))
	}
	for _, d := range fmtDecoys {
		f.Add([]byte(d))
	}
	f.Add([]byte("F, [2024-01-15T10:23:45.1 #1] FATAL -- : [r] x\nF, [2024-01-15T10:23:45.1 #1] FATAL -- : [r] a.rb:1:in `b'"))
	f.Fuzz(func(t *testing.T, in []byte) {
		// The input's lines go through one Format, so that its error-run
		// state is fuzzed too.
		fm := &railsFormat{}
		for _, line := range bytes.Split(in, []byte("\n")) {
			fuzzFmtHeader(t, fm, line)
		}
	})
}
