package rules

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tattle-dev/tattle/parsers"
)

// Typical lines a rule does not match: the bulk of every log.
var infoLines = []string{
	"2024-05-01 10:00:00.123  INFO 12345 --- [nio-8080-exec-1] c.e.web.OrderController : Processing order 12345 for customer 678 in 23 ms",
	"2024-05-01 10:00:00.456  INFO 12345 --- [nio-8080-exec-2] o.s.web.servlet.DispatcherServlet : Completed initialization in 2 ms",
	`10.0.0.7 - - [01/May/2024:10:00:01 +0000] "GET /api/orders/12345?expand=items HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
	`{"level":"info","ts":1714557601.123,"caller":"server/handler.go:88","msg":"request done","path":"/api/orders","status":200,"duration":0.012}`,
	"[2024-05-01 10:00:02,001] INFO in app: GET /healthz 200 took 1.2ms user=anonymous session=9f8e7d6c5b4a",
	"May  1 10:00:03 web-1 systemd[1]: Started Session 42 of user deploy.",
}

func BenchmarkLiteralAlternation(b *testing.B) {
	const pattern = `ERROR|Exception|FATAL`
	lines := make([][]byte, len(infoLines))
	for i, l := range infoLines {
		lines[i] = []byte(l)
	}
	re := regexp.MustCompile(pattern)
	m, err := compileMatcher(pattern)
	if err != nil {
		b.Fatal(err)
	}
	if !m.pure {
		b.Fatal("pattern not read as literals")
	}
	bytesPerOp := 0
	for _, l := range lines {
		bytesPerOp += len(l)
	}
	b.Run("regexp", func(b *testing.B) {
		b.SetBytes(int64(bytesPerOp))
		for b.Loop() {
			for _, l := range lines {
				if re.Match(l) {
					b.Fatal("matched")
				}
			}
		}
	})
	b.Run("matcher", func(b *testing.B) {
		b.SetBytes(int64(bytesPerOp))
		for b.Loop() {
			for _, l := range lines {
				if m.match(l) {
					b.Fatal("matched")
				}
			}
		}
	})
}

// fiftyRules is a configuration with 50 rules of the kinds users write.
func fiftyRules() string {
	var b strings.Builder
	b.WriteString("[[source]]\nname = \"api\"\npaths = [\"/var/log/api/*.log\"]\n")
	b.WriteString("[[source]]\nname = \"web\"\npaths = [\"/var/log/nginx/*.log\"]\n")
	messages := []string{`Connection (refused|reset)`, `timed? ?out`, `(?i)deadlock`, `Too many open files`,
		`OutOfMemoryError|StackOverflowError`, `could not (connect|resolve|acquire)`, `payment .* failed`,
		`^Unhandled`, `HikariPool-\d+ - Connection is not available`, `disk (full|quota)`}
	n := 0
	rule := func(body string) {
		n++
		fmt.Fprintf(&b, "[[rule]]\ncode = \"R%d\"\n%s\n", n, body)
	}
	for i := range 20 {
		rule(fmt.Sprintf("level = [\"ERROR\", \"FATAL\"]\nmessage = '%s|case%d'", messages[i%len(messages)], i))
	}
	for i := range 10 {
		rule(fmt.Sprintf("min_level = \"WARN\"\nlogger = '^com\\.example\\.mod%d\\.'", i))
	}
	for i := range 8 {
		rule(fmt.Sprintf("message = '%s|never%d'", messages[i%len(messages)], i))
	}
	for i := range 6 {
		rule(fmt.Sprintf("sources = [\"web\"]\nstatus = [\"50%d\", \"520-529\"]\npath = '^/api/v%d/'", i, i))
	}
	for i := range 6 {
		rule(fmt.Sprintf("level = [\"ERROR\"]\nexception = 'SQLException|Timeout%d'", i))
	}
	return b.String()
}

func BenchmarkEngineMatch50Rules(b *testing.B) {
	c, err := parse([]byte(fiftyRules()), "bench.toml", testEnv)
	if err != nil {
		b.Fatal(err)
	}
	if len(c.Rules) != 50 {
		b.Fatalf("%d rules", len(c.Rules))
	}
	e, err := NewEngine(c)
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{
		"INFO [nio-8080-exec-1] com.example.web.OrderController - Processing order 12345 for customer 678 in 23 ms",
		"INFO [nio-8080-exec-2] org.springframework.web.servlet.DispatcherServlet - Completed initialization in 2 ms",
		"INFO [scheduling-1] com.example.jobs.Cleanup - Removed 42 expired sessions from the store",
		"DEBUG [main] com.zaxxer.hikari.HikariConfig - HikariPool-1 - configuration: maximumPoolSize 10",
		"INFO [http-nio-8080-exec-7] com.example.payments.Gateway - payment 0e1f2a3b accepted for 12.50 EUR",
		"WARN [main] org.hibernate.orm.deprecation - HHH90000025: MySQL8Dialect does not need to be specified explicitly",
	}
	recs := keptRecords(b, regexOpts(appPattern), texts)
	b.ResetTimer()
	for b.Loop() {
		for _, r := range recs {
			if e.Match("api", r) != nil {
				b.Fatal("matched")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// BenchmarkEngineEvent is the cost of building a matched event: trace
// analysis, masking, fingerprint and code.
func BenchmarkEngineEvent(b *testing.B) {
	e, err := NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	recs := keptRecords(b, regexOpts(appPattern), []string{
		"ERROR [w] com.example.Web - order 12345 failed for user 0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b after 532ms",
	})
	r := recs[0]
	rule := e.Match("", r)
	if rule == nil {
		b.Fatal("no rule")
	}
	for b.Loop() {
		if ev := e.Event("", "app.log", r, rule); ev.Code == "" {
			b.Fatal("no code")
		}
	}
}

var _ = parsers.LevelError
