package parsers

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The helpers in this file are shared by the tests of the go, access-log
// and syslog formats.

// hdr is a Header written out as strings, for exact comparisons in tables.
type hdr struct {
	Level        Level
	Time, Layout string
	TimeValue    string // RFC 3339 to the millisecond, when the format set one
	Logger       string
	Thread       string
	Status       int
	Method, Path string
	Dur          string // DurationMS, "" when absent
	Fields       string // "key=value key=value"
	Msg          string
}

func renderHdr(h *Header) hdr {
	r := hdr{
		Level: h.Level, Time: string(h.Time), Layout: h.TimeLayout,
		Logger: string(h.Logger), Thread: string(h.Thread),
		Status: h.Status, Method: string(h.Method), Path: string(h.Path),
		Msg: string(h.Msg),
	}
	if !h.TimeValue.IsZero() {
		r.TimeValue = h.TimeValue.Format("2006-01-02T15:04:05.000Z07:00")
	}
	if h.DurationMS >= 0 {
		r.Dur = strconv.FormatFloat(h.DurationMS, 'f', -1, 64)
	}
	var fs []string
	for _, f := range h.Fields {
		fs = append(fs, f.Key+"="+string(f.Value))
	}
	r.Fields = strings.Join(fs, " ")
	return r
}

type hdrCase struct {
	name string
	line string
	want hdr
}

// checkHeaders runs accepted lines through f and compares every field.
func checkHeaders(t *testing.T, f Format, cases []hdrCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h Header
			h.Reset()
			if !f.Header([]byte(c.line), &h) {
				t.Fatalf("%s: Header(%q) = false, want true", f.Name(), c.line)
			}
			if got := renderHdr(&h); got != c.want {
				t.Errorf("%s: Header(%q)\n got %+v\nwant %+v", f.Name(), c.line, got, c.want)
			}
			checkHeaderInvariants(t, f, []byte(c.line), &h, true)
		})
	}
}

// checkRejects checks that f reads none of lines as a header and leaves the
// Header as Reset left it.
func checkRejects(t *testing.T, f Format, lines []string) {
	t.Helper()
	for _, l := range lines {
		var h, clean Header
		h.Reset()
		clean.Reset()
		if f.Header([]byte(l), &h) {
			t.Errorf("%s: Header(%q) = true, want false (read %+v)", f.Name(), l, renderHdr(&h))
			continue
		}
		if renderHdr(&h) != renderHdr(&clean) {
			t.Errorf("%s: Header(%q) = false but filled %+v", f.Name(), l, renderHdr(&h))
		}
	}
}

// checkHeaderInvariants checks what every Header call must respect. Msg is
// a suffix of the line, except that logfmt lines (isMsgValue) may point at
// the value of their msg key; every other byte field is a part of the line.
// With parseTime, the TimeLayout parses the Time: fuzzed lines go without,
// since a line with an impossible date ("31/Feb", "+7000") is still read
// as a header, and its record just has no time.
func checkHeaderInvariants(t *testing.T, f Format, line []byte, h *Header, parseTime bool) {
	t.Helper()
	if h.Msg != nil && !bytes.HasSuffix(line, h.Msg) && !isMsgValue(line, h.Msg) {
		t.Errorf("%s: Header(%q): Msg %q is not a suffix of the line", f.Name(), line, h.Msg)
	}
	for name, b := range map[string][]byte{"Time": h.Time, "Logger": h.Logger, "Thread": h.Thread, "Method": h.Method, "Path": h.Path} {
		if !bytes.Contains(line, b) {
			t.Errorf("%s: Header(%q): %s %q is not in the line", f.Name(), line, name, b)
		}
	}
	for _, fl := range h.Fields {
		if !bytes.Contains(line, fl.Value) {
			t.Errorf("%s: Header(%q): field %s %q is not in the line", f.Name(), line, fl.Key, fl.Value)
		}
	}
	if h.Status != 0 && (h.Status < 100 || h.Status > 599) {
		t.Errorf("%s: Header(%q): status %d", f.Name(), line, h.Status)
	}
	if h.Level > LevelEmerg {
		t.Errorf("%s: Header(%q): level %d", f.Name(), line, h.Level)
	}
	if parseTime && h.TimeLayout != "" {
		if _, err := time.Parse(h.TimeLayout, string(h.Time)); err != nil {
			t.Errorf("%s: Header(%q): time %q does not parse with its layout: %v", f.Name(), line, h.Time, err)
		}
	}
}

// isMsgValue reports whether msg is the value of a logfmt msg key in line:
// msg=value or msg="value".
func isMsgValue(line, msg []byte) bool {
	for _, pre := range []string{"msg=", "message="} {
		if bytes.Contains(line, []byte(pre+string(msg))) || bytes.Contains(line, []byte(pre+`"`+string(msg)+`"`)) {
			return true
		}
	}
	return false
}

// checkNoAllocs checks that reading each line allocates nothing, once the
// Header's Fields have room (the assembler reuses one Header).
func checkNoAllocs(t *testing.T, f Format, lines []string) {
	t.Helper()
	var h Header
	h.Fields = make([]Field, 0, 8)
	for _, l := range lines {
		b := []byte(l)
		n := testing.AllocsPerRun(100, func() {
			h.Reset()
			f.Header(b, &h)
		})
		if n != 0 {
			t.Errorf("%s: Header(%q) allocates %v times", f.Name(), l, n)
		}
	}
}

// headerDecoys are lines no format of this file reads as a header: stack traces,
// JSON, prose, blanks and lone dates.
var headerDecoys = []string{
	"",
	"   ",
	"\t",
	"goroutine 1 [running]:",
	"goroutine 42 [chan receive, 3 minutes]:",
	"\t/usr/local/go/src/runtime/panic.go:12 +0x1f",
	"main.main()",
	"github.com/acme/shop/cart.(*Cart).Total(0x0)",
	"created by net/http.(*Server).Serve in goroutine 1",
	"panic: x",
	"panic: runtime error: index out of range [5] with length 3",
	"fatal error: all goroutines are asleep - deadlock!",
	"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1f2b]",
	"exit status 2",
	"\tat com.example.Foo.bar(Foo.java:42)",
	"Caused by: java.sql.SQLException: Connection refused",
	"java.lang.NullPointerException: null",
	"Traceback (most recent call last):",
	`  File "/srv/app.py", line 12, in <module>`,
	`{"level":"error","ts":1705314225.123,"caller":"main.go:12","msg":"boom"}`,
	`{"time":"2024-01-15T10:23:45Z","level":"ERROR","msg":"boom"}`,
	"The quick brown fox jumps over the lazy dog, 2009/11/10 23:00:00 said nobody.",
	"Error reading configuration file: no such file",
	"2024-01-15",
	"2009/11/10",
	"2009/11/10 23:00:00",
	"2024-01-15T10:23:45Z",
	"2024-01-15T10:23:45.123+01:00",
	"10:23:45",
	"Oct 11 22:14:15",
	"10/Oct/2000:13:55:36 -0700",
	"[10/Oct/2000:13:55:36 -0700]",
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08",
	"\xff\xfe\xfd garbage \xc3\x28",
}

func TestGoHeader(t *testing.T) {
	const iso = "2006-01-02T15:04:05Z07:00"
	const compact = "2006-01-02T15:04:05Z0700"
	const std = "2006/01/02 15:04:05"
	checkHeaders(t, goFormat{}, []hdrCase{
		// std log
		{"std", "2009/11/10 23:00:00 hello world",
			hdr{Time: "2009/11/10 23:00:00", Layout: std, Msg: "hello world"}},
		{"std microseconds", "2009/11/10 23:00:00.123456 cache warmed",
			hdr{Time: "2009/11/10 23:00:00.123456", Layout: std, Msg: "cache warmed"}},
		{"std shortfile", "2009/11/10 23:00:00 main.go:12: listening on :8080",
			hdr{Time: "2009/11/10 23:00:00", Layout: std, Fields: "caller=main.go:12", Msg: "listening on :8080"}},
		{"std longfile level", "2009/11/10 23:00:00.123456 /home/app/src/server/main.go:12: ERROR: db down",
			hdr{Level: LevelError, Time: "2009/11/10 23:00:00.123456", Layout: std,
				Fields: "caller=/home/app/src/server/main.go:12", Msg: "ERROR: db down"}},
		{"std bracket prefix", "[api] 2009/11/10 23:00:00 [ERROR] failed to bind",
			hdr{Level: LevelError, Time: "2009/11/10 23:00:00", Layout: std, Logger: "api", Msg: "[ERROR] failed to bind"}},
		{"std colon prefix", "api: 2009/11/10 23:00:00 started",
			hdr{Time: "2009/11/10 23:00:00", Layout: std, Logger: "api", Msg: "started"}},
		{"std level prefix", "ERROR: 2009/11/10 23:00:00 main.go:40: cannot open config",
			hdr{Level: LevelError, Time: "2009/11/10 23:00:00", Layout: std, Fields: "caller=main.go:40", Msg: "cannot open config"}},
		{"std lower level", "2009/11/10 23:00:00 error: connection refused",
			hdr{Level: LevelError, Time: "2009/11/10 23:00:00", Layout: std, Msg: "error: connection refused"}},
		{"std warning word", "2009/11/10 23:00:00 WARNING disk 91% full",
			hdr{Level: LevelWarn, Time: "2009/11/10 23:00:00", Layout: std, Msg: "WARNING disk 91% full"}},
		{"std prose is no level", "2009/11/10 23:00:00 Error reading body",
			hdr{Time: "2009/11/10 23:00:00", Layout: std, Msg: "Error reading body"}},
		{"std empty message", "2009/11/10 23:00:00 ",
			hdr{Time: "2009/11/10 23:00:00", Layout: std, Msg: ""}},
		{"rsyncd shape", "2011/02/22 21:50:30 [8203] rsyncd version 2.6.9 starting",
			hdr{Time: "2011/02/22 21:50:30", Layout: std, Msg: "[8203] rsyncd version 2.6.9 starting"}},

		// zap console
		{"zap production", "2024-01-15T10:23:45.123Z\tERROR\tapi/handler.go:42\tfailed to load user\t{\"user_id\": 42}",
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123Z", Layout: iso,
				Fields: "caller=api/handler.go:42", Msg: "failed to load user\t{\"user_id\": 42}"}},
		{"zap development", "2024-01-15T10:23:45.123+0100\tERROR\tshop.db\tdb/pool.go:77\tslow query",
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123+0100", Layout: compact,
				Logger: "shop.db", Fields: "caller=db/pool.go:77", Msg: "slow query"}},
		{"zap logger no caller", "2024-01-15T10:23:45.123Z\tINFO\tapi\tserver started\t{\"port\": 8080}",
			hdr{Level: LevelInfo, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Logger: "api",
				Msg: "server started\t{\"port\": 8080}"}},
		{"zap one-word message", "2024-01-15T10:23:45.123Z\tINFO\tstarting\t{\"port\": 8080}",
			hdr{Level: LevelInfo, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Msg: "starting\t{\"port\": 8080}"}},
		{"zap lower level", "2024-01-15T10:23:45.123Z\twarn\tdisk almost full",
			hdr{Level: LevelWarn, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Msg: "disk almost full"}},
		{"zap colour", "2024-01-15T10:23:45.123Z\t\x1b[31mERROR\x1b[0m\tmain.go:12\tboom",
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Fields: "caller=main.go:12", Msg: "boom"}},
		{"zap dpanic", "2024-01-15T10:23:45.123Z\tDPANIC\tserver/handler.go:61\tunexpected nil cart",
			hdr{Level: LevelPanic, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Fields: "caller=server/handler.go:61", Msg: "unexpected nil cart"}},
		{"zap epoch seconds", "1.7053142251234567e+09\tinfo\tmain.go:20\tstarted",
			hdr{Level: LevelInfo, Time: "1.7053142251234567e+09", TimeValue: "2024-01-15T10:23:45.123Z",
				Fields: "caller=main.go:20", Msg: "started"}},
		{"zap epoch millis", "1705314225123.456\tERROR\tmain.go:20\tboom",
			hdr{Level: LevelError, Time: "1705314225123.456", TimeValue: "2024-01-15T10:23:45.123Z",
				Fields: "caller=main.go:20", Msg: "boom"}},

		// logrus
		{"logrus text", `time="2024-01-15T10:23:45Z" level=error msg="failed to load" user=42`,
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45Z", Layout: iso, Msg: "failed to load"}},
		{"logrus escapes", `time="2024-01-15T10:23:45+01:00" level=warning msg="bad input \"x\"" error=EOF`,
			hdr{Level: LevelWarn, Time: "2024-01-15T10:23:45+01:00", Layout: iso, Fields: "error=EOF", Msg: `bad input \"x\"`}},
		{"logrus tty", "ERRO[0042] failed to load                                user=42",
			hdr{Level: LevelError, Msg: "failed to load                                user=42"}},
		{"logrus tty full time", "WARN[2024-01-15T10:23:45+01:00] slow request",
			hdr{Level: LevelWarn, Time: "2024-01-15T10:23:45+01:00", Layout: iso, Msg: "slow request"}},

		// slog, go-kit, log15
		{"slog", `time=2024-01-15T10:23:45.123+01:00 level=ERROR source=/app/main.go:42 msg="failed to load" user=42`,
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123+01:00", Layout: iso, Fields: "caller=/app/main.go:42", Msg: "failed to load"}},
		{"slog no time", "level=INFO msg=started port=8080",
			hdr{Level: LevelInfo, Msg: "started"}},
		{"slog custom level", "level=WARN+2 msg=x",
			hdr{Level: LevelWarn, Msg: "x"}},
		{"slog empty msg", `level=INFO msg="" k=v`,
			hdr{Level: LevelInfo, Msg: ""}},
		{"go-kit", `ts=2024-01-15T10:23:45.123456789Z caller=main.go:42 level=error component=tsdb msg="compaction failed" err="context canceled"`,
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123456789Z", Layout: iso, Logger: "tsdb",
				Fields: "caller=main.go:42 error=context canceled", Msg: "compaction failed"}},
		{"go-kit level first", `level=info ts=2024-01-15T10:23:45.123Z caller=main.go:42 msg="Server is ready"`,
			hdr{Level: LevelInfo, Time: "2024-01-15T10:23:45.123Z", Layout: iso, Fields: "caller=main.go:42", Msg: "Server is ready"}},
		{"log15", `t=2024-01-15T10:23:45+0100 lvl=eror msg="db failure" err=timeout`,
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45+0100", Layout: compact, Fields: "error=timeout", Msg: "db failure"}},
		{"logfmt without level", `ts=2024-01-15T10:23:45Z msg="no level here"`,
			hdr{Time: "2024-01-15T10:23:45Z", Layout: iso, Msg: "no level here"}},

		// klog, hclog, zerolog
		{"klog", "E0115 10:23:45.123456   12345 handler.go:42] failed to sync pod default/web-0",
			hdr{Level: LevelError, Time: "0115 10:23:45.123456", Layout: "0102 15:04:05", Thread: "12345",
				Fields: "caller=handler.go:42", Msg: "failed to sync pod default/web-0"}},
		{"klog info", "I0115 10:23:45.000001       1 controller.go:120] Starting controller",
			hdr{Level: LevelInfo, Time: "0115 10:23:45.000001", Layout: "0102 15:04:05", Thread: "1",
				Fields: "caller=controller.go:120", Msg: "Starting controller"}},
		{"hclog", `2024-01-15T10:23:45.123+0100 [ERROR] agent.http: request failed: error="EOF"`,
			hdr{Level: LevelError, Time: "2024-01-15T10:23:45.123+0100", Layout: compact, Logger: "agent.http", Msg: `request failed: error="EOF"`}},
		{"hclog unnamed", "2024-01-15T10:23:45.123+0100 [INFO]  starting",
			hdr{Level: LevelInfo, Time: "2024-01-15T10:23:45.123+0100", Layout: compact, Msg: "starting"}},
		{"zerolog kitchen", "10:23AM ERR failed to load user_id=42",
			hdr{Level: LevelError, Time: "10:23AM", Msg: "failed to load user_id=42"}},
		{"zerolog iso", "2024-01-15T10:23:45Z WRN disk almost full",
			hdr{Level: LevelWarn, Time: "2024-01-15T10:23:45Z", Layout: iso, Msg: "disk almost full"}},
	})
}

// goDecoys are lines of other formats the go format must not read.
var goDecoys = []string{
	"2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream",
	"2024/01/15 10:23:40 [notice] 1#1: start worker processes",
	`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
	"<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed",
	"Aug 19 02:14:38 upload sshd[22442]: Connection from 192.168.0.1 port 32846",
	"2024-01-15 10:23:45.123 ERROR [main] c.e.App - boom",
	"2024-01-15 10:23:45,123 - app - ERROR - boom",
	"2024-01-15 10:23:45.123  INFO 4242 --- [           main] com.example.App : Started",
	"E, [2024-01-15T10:23:45.123456 #1234] ERROR -- : boom",
	"[Mon Jan 15 10:23:47.311520 2024] [proxy:error] [pid 8:tid 1] AH00957: failed",
	"time is 10:23 now",
	"level: high",
	"level=nonsense msg=x",
	"ts=yesterday msg=x",
	"time=2024-01-15T10:23:45Z no pairs here",
	"INFO[0042",
	"INFO[abc] x",
	"ERRO[0042]x",
	"E0115 not klog at all",
	"E0115 10:23:45.123456   12345 no caller here",
	"2024-01-15T10:23:45.123Z\tsomething\tx",
	"2024-01-15T10:23:45.123Z\tERROR",
	"2024-01-15T10:23:45.123Z\tE\tx",
	"2024-01-15T10:23:45 [ERROR] hclog needs a zone",
	"12:30PM lunch",
	"1705314225.123\tnot a level\tx",
	"42\tERROR\tx",
	"10:23:45.123 INFO time only",
	"15 Jan 2024 10:23:45 something",
	"a very long prefix that is not a prefix 2009/11/10 23:00:00 x",
	"[api]2009/11/10 23:00:00 x",
}

func TestGoReject(t *testing.T) {
	checkRejects(t, goFormat{}, headerDecoys)
	checkRejects(t, goFormat{}, goDecoys)
}

func TestGoNoAlloc(t *testing.T) {
	lines := []string{
		"2009/11/10 23:00:00.123456 /home/app/src/server/main.go:12: ERROR: db down",
		"[api] 2009/11/10 23:00:00 [ERROR] failed to bind",
		"2024-01-15T10:23:45.123+0100\tERROR\tshop.db\tdb/pool.go:77\tslow query",
		"1.7053142251234567e+09\tinfo\tmain.go:20\tstarted",
		`time="2024-01-15T10:23:45Z" level=error msg="failed to load" user=42`,
		`ts=2024-01-15T10:23:45.123456789Z caller=main.go:42 level=error component=tsdb msg="compaction failed" err="context canceled"`,
		"ERRO[0042] failed to load                                user=42",
		"E0115 10:23:45.123456   12345 handler.go:42] failed to sync pod default/web-0",
		`2024-01-15T10:23:45.123+0100 [ERROR] agent.http: request failed: error="EOF"`,
		"10:23AM ERR failed to load user_id=42",
	}
	lines = append(lines, headerDecoys...)
	lines = append(lines, goDecoys...)
	checkNoAllocs(t, goFormat{}, lines)
}

func FuzzGoFormat(f *testing.F) {
	for _, s := range []string{
		"2009/11/10 23:00:00 main.go:12: msg",
		"[api] 2009/11/10 23:00:00.123456 [ERROR] x",
		"2024-01-15T10:23:45.123Z\tERROR\tapi\tapi/handler.go:42\tmsg\t{}",
		"1.7053142251234567e+09\tinfo\tmain.go:20\tstarted",
		`time="2024-01-15T10:23:45Z" level=error msg="a \"b\"" user=42`,
		"ERRO[0042] x",
		"WARN[2024-01-15T10:23:45+01:00] x",
		"E0115 10:23:45.123456   12345 handler.go:42] x",
		"2024-01-15T10:23:45.123+0100 [ERROR] a.b: x",
		"10:23AM ERR x",
	} {
		f.Add([]byte(s))
	}
	for _, s := range headerDecoys {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		fuzzHeader(t, goFormat{}, line)
	})
}

// fuzzHeader runs f on line and checks the invariants, and that a rejected
// line leaves the Header clean.
func fuzzHeader(t *testing.T, f Format, line []byte) {
	var h, clean Header
	h.Reset()
	clean.Reset()
	orig := string(line)
	ok := f.Header(line, &h)
	if string(line) != orig {
		t.Fatalf("%s: Header modified its line", f.Name())
	}
	if !ok {
		if renderHdr(&h) != renderHdr(&clean) {
			t.Fatalf("%s: Header(%q) = false but filled %+v", f.Name(), line, renderHdr(&h))
		}
		return
	}
	checkHeaderInvariants(t, f, line, &h, false)
}

func BenchmarkZapHeader(b *testing.B) {
	line := []byte("2024-01-15T10:23:45.123Z\tERROR\tshop.http\tserver/handler.go:42\tfailed to load user\t{\"user_id\": 42, \"error\": \"sql: no rows in result set\"}")
	benchFormatHeader(b, goFormat{}, line)
}

func BenchmarkGoHeader(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"std", "[billing] 2024/01/15 10:23:50 invoice.go:120: ERROR: invoice 2024-0042: amount mismatch"},
		{"logrus", `time="2024-01-15T10:23:48+01:00" level=error msg="failed to send email: i/o timeout" job_id=8812 to="ops@example.com"`},
		{"slog", `time=2024-01-15T10:23:46.733+01:00 level=ERROR source=/app/internal/store/pg.go:142 msg="query failed" err="pq: deadlock detected" table=orders`},
		{"reject-go-frame", "\t/usr/local/go/src/net/http/server.go:3285 +0x4b4"},
		{"reject-go-func", "github.com/acme/shop/server.(*Handler).checkout(0xc0001a2000, {0x7f3c40, 0xc0002a8000}, 0xc0002b4000)"},
		{"reject-java", "\tat com.acme.shop.Payments.charge(Payments.java:88)"},
		{"reject-caused-by", "Caused by: java.sql.SQLException: Connection refused"},
		{"reject-goroutine", "goroutine 42 [running]:"},
	} {
		b.Run(c.name, func(b *testing.B) { benchFormatHeader(b, goFormat{}, []byte(c.line)) })
	}
}

func benchFormatHeader(b *testing.B, f Format, line []byte) {
	var h Header
	h.Fields = make([]Field, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		h.Reset()
		f.Header(line, &h)
	}
}
