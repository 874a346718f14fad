package parsers

import (
	"bytes"
	"testing"
)

const (
	isoSpace = "2006-01-02 15:04:05"
	isoT     = "2006-01-02T15:04:05"
	isoTZ    = "2006-01-02T15:04:05Z07:00"
)

// jvmCommon are lines both JVM formats read the same way: Spring Boot's
// patterns and logback's default.
var jvmCommon = []fmtCase{
	{name: "boot2 info", line: "2024-01-15 10:23:45.123  INFO 12345 --- [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 2.1 seconds (JVM running for 2.6)",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "c.e.demo.DemoApplication", thread: "main", msg: "Started DemoApplication in 2.1 seconds (JVM running for 2.6)"},
	{name: "boot2 error", line: "2024-01-15 10:23:47.891 ERROR 12345 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception",
		ok: true, level: LevelError, time: "2024-01-15 10:23:47.891", layout: isoSpace,
		logger: "o.a.c.c.C.[.[.[/].[dispatcherServlet]", thread: "nio-8080-exec-1", msg: "Servlet.service() for servlet [dispatcherServlet] threw exception"},
	{name: "boot2 warn no pid", line: "2024-01-15 10:23:45.123  WARN   --- [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator     : HHH000342: Could not obtain connection",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "o.h.e.j.e.i.JdbcEnvironmentInitiator", thread: "main", msg: "HHH000342: Could not obtain connection"},
	{name: "boot2 sleuth", line: "2024-01-15 10:23:45.123 ERROR [demo,5f1a2b3c4d5e6f70,5f1a2b3c4d5e6f70,true] 12345 --- [nio-8080-exec-3] c.e.demo.OrderController : Order failed",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "c.e.demo.OrderController", thread: "nio-8080-exec-3", msg: "Order failed"},
	{name: "boot3", line: "2024-01-15T10:23:45.123+01:00  INFO 12345 --- [           main] c.e.d.DemoApplication                    : Starting DemoApplication using Java 21",
		ok: true, level: LevelInfo, time: "2024-01-15T10:23:45.123+01:00", layout: isoTZ,
		logger: "c.e.d.DemoApplication", thread: "main", msg: "Starting DemoApplication using Java 21"},
	{name: "boot3 app name", line: "2024-01-15T10:23:45.123+01:00 ERROR 12345 --- [demo] [nio-8080-exec-1] c.e.d.DemoApplication : boom",
		ok: true, level: LevelError, time: "2024-01-15T10:23:45.123+01:00", layout: isoTZ,
		logger: "c.e.d.DemoApplication", thread: "nio-8080-exec-1", msg: "boom"},
	{name: "boot3.4 unpadded", line: "2024-01-15T10:23:45.123Z ERROR 12345 --- [demo] [main] c.e.d.DemoApplication : boom",
		ok: true, level: LevelError, time: "2024-01-15T10:23:45.123Z", layout: isoTZ,
		logger: "c.e.d.DemoApplication", thread: "main", msg: "boom"},
	{name: "boot3 correlation", line: "2024-01-15T10:23:45.123Z ERROR 1 --- [demo] [nio-8080-exec-2] [6b1f0a3c9e2d4f5a6b1f0a3c9e2d4f5a-6b1f0a3c9e2d4f5a] c.e.d.Api : boom",
		ok: true, level: LevelError, time: "2024-01-15T10:23:45.123Z", layout: isoTZ,
		logger: "c.e.d.Api", thread: "nio-8080-exec-2", msg: "boom"},
	{name: "boot3 thread and blank correlation", line: "2024-01-15T10:23:45.123Z  INFO 1 --- [main] [                                                 ] c.e.d.Api : up",
		ok: true, level: LevelInfo, time: "2024-01-15T10:23:45.123Z", layout: isoTZ,
		logger: "c.e.d.Api", thread: "main", msg: "up"},
	{name: "boot empty message", line: "2024-01-15 10:23:45.123 ERROR 1 --- [main] c.e.Api :",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "c.e.Api", thread: "main", msg: ""},
	{name: "boot thread with spaces", line: "2024-01-15 10:23:45.123 ERROR 1 --- [pool thread [2]] c.e.Api : x",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "c.e.Api", thread: "pool thread [2]", msg: "x"},
	{name: "logback default", line: "10:23:45.123 [main] ERROR com.example.App - Something failed",
		ok: true, level: LevelError, time: "10:23:45.123", layout: "",
		logger: "com.example.App", thread: "main", msg: "Something failed"},
	{name: "logback default padded", line: "10:23:45.123 [http-nio-8080-exec-1] INFO  com.example.App - ok",
		ok: true, level: LevelInfo, time: "10:23:45.123", layout: "",
		logger: "com.example.App", thread: "http-nio-8080-exec-1", msg: "ok"},
	{name: "logback kvp dashes", line: "10:23:45.123 [main] WARN  com.example.App -- slow",
		ok: true, level: LevelWarn, time: "10:23:45.123", layout: "",
		logger: "com.example.App", thread: "main", msg: "slow"},
	{name: "logback with date", line: "2024-01-15 10:23:45.123 [main] ERROR com.example.App - msg",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "msg"},
	{name: "logback iso comma", line: "2024-01-15 10:23:45,123 [Thread-3 worker] DEBUG c.e.Sync - tick",
		ok: true, level: LevelDebug, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "c.e.Sync", thread: "Thread-3 worker", msg: "tick"},
	{name: "ttcc empty ndc", line: "2024-01-15 10:23:45,123 [main] ERROR com.example.App  - msg",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "msg"},
	{name: "logback message at end", line: "10:23:45.123 [main] ERROR com.example.App -",
		ok: true, level: LevelError, time: "10:23:45.123", layout: "",
		logger: "com.example.App", thread: "main", msg: ""},
}

// jvmRejected are lines neither JVM format reads.
var jvmRejected = []fmtCase{
	{name: "python asctime unpadded info", line: "2024-01-15 10:23:45,123 INFO [app.views] request done"},
	{name: "python warning", line: "2024-01-15 10:23:45,123 WARNING [app.views] slow"},
	{name: "python critical", line: "2024-01-15 10:23:45,123 CRITICAL app: down"},
	{name: "python dash", line: "2024-01-15 10:23:45,123 - app.views - ERROR - boom"},
	{name: "python bracket level", line: "2024-01-15 10:23:45,123 [INFO] app.views: ok"},
	{name: "python default", line: "ERROR:root:Something failed"},
	{name: "django", line: "ERROR 2024-01-15 10:23:45,123 log 1234 5678 Internal Server Error: /api/x"},
	{name: "flask", line: "[2024-01-15 10:23:45,123] ERROR in app: Exception on /x [GET]"},
	{name: "gunicorn", line: "[2024-01-15 10:23:45 +0000] [1234] [ERROR] Worker timeout"},
	{name: "celery", line: "[2024-01-15 10:23:45,123: ERROR/MainProcess] Task failed"},
	{name: "rails", line: "E, [2024-01-15T10:23:45.123456 #1234] ERROR -- : boom"},
	{name: "level word lower", line: "10:23:45.123 [main] error com.example.App - x"},
	{name: "level unknown", line: "10:23:45.123 [main] SEVERE com.example.App - x"},
	{name: "no separator", line: "10:23:45.123 [main] ERROR com.example.App x"},
	{name: "unclosed thread", line: "10:23:45.123 [main ERROR com.example.App - x"},
	{name: "boot no logger colon", line: "2024-01-15 10:23:45.123 ERROR 1 --- [main] c.e.Api boom"},
	{name: "boot no thread", line: "2024-01-15 10:23:45.123 ERROR 1 --- c.e.Api : boom"},
	{name: "boot no thread no pid", line: "2024-01-15 10:23:45.123 ERROR --- c.e.Api : boom"},
	{name: "stamp then prose", line: "2024-01-15 10:23:45.123 Something failed badly"},
	{name: "lone stamp", line: "10:23:45.123"},
	{name: "go slog", line: "2024/01/15 10:23:45 ERROR boom"},
	{name: "level glued", line: "2024-01-15 10:23:45.123 ERRORS [main] x - y"},
	{name: "bad date", line: "2024-02-30 10:23:45.123 [main] ERROR c.e.App - x"},
}

// log4jOnly are the shapes log4j reads and logback does not.
var log4jOnly = []fmtCase{
	{name: "c1 line", line: "2024-01-15 10:23:45,123 ERROR [main] MyService:42 - Failed to process order 17",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "MyService", thread: "main", msg: "Failed to process order 17"},
	{name: "c1 padded info", line: "2024-01-15 10:23:45,123 INFO  [main] MyService:42 - ok",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "MyService", thread: "main", msg: "ok"},
	{name: "jboss", line: "2024-01-15 10:23:45,123 ERROR [org.jboss.as.controller.management-operation] (Controller Boot Thread) WFLYCTL0013: Operation failed",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "org.jboss.as.controller.management-operation", thread: "Controller Boot Thread", msg: "WFLYCTL0013: Operation failed"},
	{name: "jboss padded info", line: "2024-01-15 10:23:45,123 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: starting",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "org.jboss.as", thread: "MSC service thread 1-2", msg: "WFLYSRV0049: starting"},
	{name: "jboss time only", line: "10:23:45,123 ERROR [io.undertow.request] (default task-1) UT005023: Exception handling request to /api",
		ok: true, level: LevelError, time: "10:23:45,123", layout: "",
		logger: "io.undertow.request", thread: "default task-1", msg: "UT005023: Exception handling request to /api"},
	{name: "level first", line: "ERROR 2024-01-15 10:23:45,123 [main] com.example.App: boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "boom"},
	{name: "level first padded", line: "INFO  2024-01-15 10:23:45,123 [main] com.example.App: up",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "up"},
	{name: "no thread", line: "2024-01-15 10:23:45,123 WARN  com.example.App - slow",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "", msg: "slow"},
	{name: "unpadded with logger", line: "2024-01-15 10:23:45,123 INFO [main] com.example.App - up",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "up"},
	{name: "thread no logger padded", line: "2024-01-15 10:23:45,123 INFO  [main] up and running",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "", thread: "main", msg: "up and running"},
	{name: "level and message", line: "2024-01-15 10:23:45,123 ERROR Something failed",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "", thread: "", msg: "Something failed"},
	{name: "bracketed level", line: "2024-01-15 10:23:45,123 [ERROR] [main] com.example.App - boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "com.example.App", thread: "main", msg: "boom"},
	{name: "bracketed padded level", line: "2024-01-15 10:23:45,123 [INFO ] c.e.App: up",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "c.e.App", thread: "", msg: "up"},
	{name: "capitalised word is message", line: "2024-01-15 10:23:45,123 ERROR Failed: boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "", thread: "", msg: "Failed: boom"},
	{name: "date format DATE", line: "15 Jan 2024 10:23:45,123 FATAL [main] c.e.App - dead",
		ok: true, level: LevelFatal, time: "15 Jan 2024 10:23:45,123", layout: "02 Jan 2006 15:04:05",
		logger: "c.e.App", thread: "main", msg: "dead"},
	{name: "level first needs thread or logger", line: "ERROR 2024-01-15 10:23:45,123 Something failed"},
	{name: "unpadded dotted logger", line: "2024-01-15 10:23:45,123 INFO c.e.App: up"},
	{name: "iso8601 T", line: "2024-01-15T10:23:45,123 ERROR [main] c.e.App - x",
		ok: true, level: LevelError, time: "2024-01-15T10:23:45,123", layout: isoT,
		logger: "c.e.App", thread: "main", msg: "x"},
}

func TestLogbackHeader(t *testing.T) {
	var cases []fmtCase
	cases = append(cases, jvmCommon...)
	cases = append(cases, jvmRejected...)
	for _, c := range log4jOnly {
		c.ok = false
		cases = append(cases, c)
	}
	checkFmtCases(t, logbackFormat{}, cases)
}

func TestLog4jHeader(t *testing.T) {
	var cases []fmtCase
	cases = append(cases, jvmCommon...)
	cases = append(cases, jvmRejected...)
	cases = append(cases, log4jOnly...)
	checkFmtCases(t, log4jFormat{}, cases)
}

func TestJVMDecoys(t *testing.T) {
	checkFmtDecoys(t, logbackFormat{})
	checkFmtDecoys(t, log4jFormat{})
}

func TestJVMRegistered(t *testing.T) {
	for _, name := range []string{"logback", "log4j"} {
		mk := textFormats[name]
		if mk == nil {
			t.Fatalf("%s is not registered", name)
		}
		if got := mk().Name(); got != name {
			t.Errorf("textFormats[%q]().Name() = %q", name, got)
		}
	}
}

func TestJVMHeaderAllocs(t *testing.T) {
	lines := [][]byte{
		[]byte(jvmCommon[0].line),
		[]byte(jvmCommon[5].line),
		[]byte(log4jOnly[2].line),
		[]byte("\tat com.example.Foo.bar(Foo.java:42)"),
	}
	for _, f := range []Format{logbackFormat{}, log4jFormat{}} {
		var h Header
		n := testing.AllocsPerRun(100, func() {
			for _, l := range lines {
				h.Reset()
				f.Header(l, &h)
			}
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", f.Name(), n)
		}
	}
}

// fuzzFmtHeader checks the Header contract on any bytes: no panic, and on a
// header a valid level and a message that is the tail of the line.
func fuzzFmtHeader(t *testing.T, f Format, line []byte) {
	var h Header
	h.Reset()
	orig := bytes.Clone(line)
	ok := f.Header(line, &h)
	if !bytes.Equal(line, orig) {
		t.Fatalf("Header changed the line")
	}
	if !ok {
		return
	}
	if h.Level > LevelEmerg {
		t.Errorf("invalid level %d", h.Level)
	}
	if h.Msg == nil || !isTailOf(line, h.Msg) {
		t.Errorf("Msg %q is not a suffix of %q", h.Msg, line)
	}
	for _, field := range [][]byte{h.Time, h.Logger, h.Thread} {
		if len(field) > 0 && !bytes.Contains(line, field) {
			t.Errorf("field %q is not in the line", field)
		}
	}
	if len(h.Time) > 0 && h.TimeLayout != "" {
		if _, ok := ParseTime(h.Time, h.TimeLayout); !ok {
			t.Errorf("time %q does not parse with %q", h.Time, h.TimeLayout)
		}
	}
}

func jvmSeeds(f *testing.F) {
	for _, c := range jvmCommon {
		f.Add([]byte(c.line))
	}
	for _, c := range log4jOnly {
		f.Add([]byte(c.line))
	}
	for _, d := range fmtDecoys {
		f.Add([]byte(d))
	}
}

func FuzzLogback(f *testing.F) {
	jvmSeeds(f)
	f.Fuzz(func(t *testing.T, line []byte) { fuzzFmtHeader(t, logbackFormat{}, line) })
}

func FuzzLog4j(f *testing.F) {
	jvmSeeds(f)
	f.Fuzz(func(t *testing.T, line []byte) { fuzzFmtHeader(t, log4jFormat{}, line) })
}

func BenchmarkLogbackHeader(b *testing.B) {
	lines := [][]byte{
		[]byte("2024-01-15 10:23:47.891 ERROR 12345 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception"),
		[]byte("10:23:45.123 [http-nio-8080-exec-1] INFO  com.example.App - request done"),
	}
	for _, l := range lines {
		b.Run(string(l[:12]), func(b *testing.B) {
			f := logbackFormat{}
			var h Header
			b.SetBytes(int64(len(l)))
			for b.Loop() {
				h.Reset()
				if !f.Header(l, &h) {
					b.Fatal("not a header")
				}
			}
		})
	}
}

func BenchmarkLogbackContinuation(b *testing.B) {
	l := []byte("\tat com.example.demo.service.OrderService.placeOrder(OrderService.java:42)")
	f := logbackFormat{}
	var h Header
	for b.Loop() {
		h.Reset()
		if f.Header(l, &h) {
			b.Fatal("a header")
		}
	}
}
