package parsers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// jsonOut is what one JSON line unwrapped to, as strings for comparison.
type jsonOut struct {
	Text, Err          string
	Cut                bool
	NoH                bool
	Level              Level
	Time               string
	TimeValue          time.Time
	Logger, Thread     string
	Msg, Stack, Fields string
}

func describeLogical(l Logical) jsonOut {
	o := jsonOut{Text: string(l.Text), Err: l.Err, Cut: l.Cut, NoH: l.H == nil}
	if h := l.H; h != nil {
		o.Level, o.Time, o.TimeValue = h.Level, string(h.Time), h.TimeValue
		o.Logger, o.Thread, o.Msg, o.Stack = string(h.Logger), string(h.Thread), string(h.Msg), string(h.Stack)
		var f []string
		for _, kv := range h.Fields {
			f = append(f, kv.Key+"="+string(kv.Value))
		}
		o.Fields = strings.Join(f, " ")
	}
	return o
}

func unwrapOne(t *testing.T, u Unwrapper, l Line) jsonOut {
	t.Helper()
	var got []Logical
	u.Unwrap(l, func(lg Logical) { got = append(got, lg) })
	if len(got) != 1 {
		t.Fatalf("Unwrap emitted %d logical lines, want 1", len(got))
	}
	if got[0].Num != l.Num || got[0].EndNum != l.Num {
		t.Errorf("Num, EndNum = %d, %d; want %d, %d", got[0].Num, got[0].EndNum, l.Num, l.Num)
	}
	return describeLogical(got[0])
}

func newJSON(t *testing.T, opts FormatOptions) Unwrapper {
	t.Helper()
	u, err := newJSONUnwrapper(opts)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

const logstashLine = `{"@timestamp":"2024-03-05T10:15:30.123+01:00","@version":"1","message":"Request processing failed","logger_name":"org.springframework.web.servlet.DispatcherServlet","thread_name":"http-nio-8080-exec-3","level":"ERROR","level_value":40000,"stack_trace":"java.lang.IllegalStateException: Order 42 not found\n\tat com.example.shop.OrderService.load(OrderService.java:87)\n\tat com.example.shop.OrderController.get(OrderController.java:31)\n"}`

func TestJSONPresets(t *testing.T) {
	tests := []struct {
		name, preset, line string
		want               jsonOut
	}{
		{"logstash", "logstash", logstashLine, jsonOut{
			Text: "Request processing failed", Level: LevelError, Time: "2024-03-05T10:15:30.123+01:00",
			Logger: "org.springframework.web.servlet.DispatcherServlet", Thread: "http-nio-8080-exec-3",
			Msg:    "Request processing failed",
			Stack:  "java.lang.IllegalStateException: Order 42 not found\n\tat com.example.shop.OrderService.load(OrderService.java:87)\n\tat com.example.shop.OrderController.get(OrderController.java:31)",
			Fields: "@version=1 level_value=40000",
		}},
		{"bunyan", "bunyan", `{"name":"billing","hostname":"web-1","pid":4121,"level":50,"err":{"message":"connect ECONNREFUSED 10.0.0.5:5432","name":"Error","stack":"Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"},"msg":"db connection failed","time":"2024-03-05T09:15:30.123Z","v":0}`, jsonOut{
			Text: "db connection failed", Level: LevelError, Time: "2024-03-05T09:15:30.123Z", Logger: "billing",
			Msg:    "db connection failed",
			Stack:  "Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
			Fields: "hostname=web-1 pid=4121 v=0",
		}},
		{"pino", "pino", `{"level":50,"time":1709630130123,"pid":77,"hostname":"api-2","err":{"type":"TypeError","message":"Cannot read properties of undefined (reading 'id')","stack":"TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users.js:14:22)\n    at /app/src/routes.js:40:5"},"msg":"request failed"}`, jsonOut{
			Text: "request failed", Level: LevelError, Time: "1709630130123", TimeValue: utc("2024-03-05T09:15:30.123Z"),
			Msg:    "request failed",
			Stack:  "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users.js:14:22)\n    at /app/src/routes.js:40:5",
			Fields: "pid=77 hostname=api-2",
		}},
		{"pino err.message only", "pino", `{"level":40,"time":1709630130000,"err":{"message":"socket hang up"},"msg":"retrying"}`, jsonOut{
			Text: "retrying", Level: LevelWarn, Time: "1709630130000", TimeValue: utc("2024-03-05T09:15:30Z"),
			Msg: "retrying", Stack: "socket hang up",
		}},
		{"winston", "winston", `{"level":"error","message":"Unhandled rejection","stack":"Error: boom\n    at main (/srv/app/index.js:10:9)","timestamp":"2024-03-05T09:15:30.123Z","service":"checkout"}`, jsonOut{
			Text: "Unhandled rejection", Level: LevelError, Time: "2024-03-05T09:15:30.123Z",
			Msg: "Unhandled rejection", Stack: "Error: boom\n    at main (/srv/app/index.js:10:9)", Fields: "service=checkout",
		}},
		{"zap epoch", "zap", `{"level":"error","ts":1709630130.123456,"logger":"payments","caller":"payments/charge.go:88","msg":"charge failed","card":"visa","stacktrace":"main.charge\n\t/src/payments/charge.go:88\nmain.main\n\t/src/main.go:20"}`, jsonOut{
			Text: "charge failed", Level: LevelError, Time: "1709630130.123456", TimeValue: utc("2024-03-05T09:15:30.123456Z"),
			Logger: "payments", Msg: "charge failed",
			Stack:  "main.charge\n\t/src/payments/charge.go:88\nmain.main\n\t/src/main.go:20",
			Fields: "caller=payments/charge.go:88 card=visa",
		}},
		{"zap ISO time", "zap", `{"level":"dpanic","ts":"2024-03-05T09:15:30.123Z","msg":"invariant broken"}`, jsonOut{
			Text: "invariant broken", Level: LevelPanic, Time: "2024-03-05T09:15:30.123Z", Msg: "invariant broken",
		}},
		{"logrus", "logrus", `{"error":"dial tcp 10.0.0.7:6379: connect: connection refused","level":"error","msg":"cache unavailable","time":"2024-03-05T10:15:30+01:00"}`, jsonOut{
			Text: "cache unavailable", Level: LevelError, Time: "2024-03-05T10:15:30+01:00", Msg: "cache unavailable",
			Stack: "dial tcp 10.0.0.7:6379: connect: connection refused",
		}},
		{"slog", "slog", `{"time":"2024-03-05T10:15:30.123456789+01:00","level":"ERROR+2","source":{"function":"main.run","file":"/src/main.go","line":42},"msg":"shutdown failed","err":"context deadline exceeded"}`, jsonOut{
			Text: "shutdown failed", Level: LevelError, Time: "2024-03-05T10:15:30.123456789+01:00", Msg: "shutdown failed",
			Fields: "source.function=main.run source.file=/src/main.go source.line=42 err=context deadline exceeded",
		}},
		{"generic ECS flat keys", "", `{"@timestamp":"2024-03-05T09:15:30.123Z","log.level":"error","message":"Payment declined","ecs.version":"1.6.0","log.logger":"com.example.Pay","process.thread.name":"main","error.stack_trace":"java.lang.RuntimeException: declined\n\tat com.example.Pay.run(Pay.java:10)"}`, jsonOut{
			Text: "Payment declined", Level: LevelError, Time: "2024-03-05T09:15:30.123Z", Logger: "com.example.Pay",
			Msg: "Payment declined", Stack: "java.lang.RuntimeException: declined\n\tat com.example.Pay.run(Pay.java:10)",
			Fields: "ecs.version=1.6.0 process.thread.name=main",
		}},
		{"generic nested log object", "", `{"log":{"level":"warn","logger":"cache"},"msg":"slow get","t":"2024-03-05T09:15:30Z"}`, jsonOut{
			Text: "slow get", Level: LevelWarn, Time: "2024-03-05T09:15:30Z", Logger: "cache", Msg: "slow get",
		}},
		{"generic python json logger", "", `{"asctime": "2024-03-05 10:15:30,123", "levelname": "ERROR", "name": "app.views", "message": "boom", "exc_info": "Traceback (most recent call last):\n  File \"/app/views.py\", line 10, in get\n    raise KeyError('id')\nKeyError: 'id'"}`, jsonOut{
			Text: "boom", Level: LevelError, Logger: "app.views", Msg: "boom",
			Stack: "Traceback (most recent call last):\n  File \"/app/views.py\", line 10, in get\n    raise KeyError('id')\nKeyError: 'id'",
			Time:  "2024-03-05 10:15:30,123",
		}},
		{"generic prefers message over msg; the loser stays a field", "", `{"msg":"short","message":"long","level":30}`, jsonOut{
			Text: "long", Level: LevelInfo, Msg: "long", Fields: "msg=short",
		}},
		{"generic stack as an array of lines", "", `{"level":"error","message":"boom","stack":["Error: boom","    at a (a.js:1:1)",3,"    at b (b.js:2:2)"]}`, jsonOut{
			Text: "boom", Level: LevelError, Msg: "boom", Stack: "Error: boom\n    at a (a.js:1:1)\n    at b (b.js:2:2)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newJSON(t, FormatOptions{Preset: tt.preset})
			got := unwrapOne(t, u, Line{Num: 7, Bytes: []byte(tt.line)})
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestJSONFieldMapping(t *testing.T) {
	u := newJSON(t, FormatOptions{Fields: map[string]string{
		"message": "payload.text", "level": "sev", "stack": "payload.trace", "trace_id": "ctx.trace",
	}})
	line := `{"sev":"CRIT","message":"not me","payload":{"text":"disk full","trace":"at x\nat y"},"ctx":{"trace":"abc123"},"host":"db-1"}`
	got := unwrapOne(t, u, Line{Num: 1, Bytes: []byte(line)})
	want := jsonOut{Text: "disk full", Level: LevelCritical, Msg: "disk full", Stack: "at x\nat y",
		Fields: "trace_id=abc123 message=not me host=db-1"}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// A mapping overrides one field of a preset and keeps the others.
	u = newJSON(t, FormatOptions{Preset: "logstash", Fields: map[string]string{"thread": "mdc.tid"}})
	got = unwrapOne(t, u, Line{Num: 1, Bytes: []byte(`{"message":"m","level":"INFO","thread_name":"main","mdc":{"tid":"T9"}}`)})
	want = jsonOut{Text: "m", Level: LevelInfo, Thread: "T9", Msg: "m", Fields: "thread_name=main"}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestJSONOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts FormatOptions
		want string
	}{
		{"unknown preset", FormatOptions{Preset: "log4net"},
			`unknown json preset "log4net" (known: bunyan, logrus, logstash, pino, slog, winston, zap)`},
		{"empty path", FormatOptions{Fields: map[string]string{"level": ""}},
			`json fields: field "level": empty key path`},
		{"empty segment", FormatOptions{Fields: map[string]string{"stack": "err..stack"}},
			`json fields: field "stack": key path "err..stack" has an empty segment`},
		{"trailing dot", FormatOptions{Fields: map[string]string{"message": "msg."}},
			`json fields: field "message": key path "msg." has an empty segment`},
		{"too deep", FormatOptions{Fields: map[string]string{"time": "a.b.c.d.e.f.g.h.i"}},
			`json fields: field "time": key path "a.b.c.d.e.f.g.h.i" has 9 segments, at most 8`},
		{"empty name", FormatOptions{Fields: map[string]string{"": "x"}},
			`json fields: empty field name (mapped to "x")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newJSONUnwrapper(tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
			// The Parser reports the same error.
			if _, err := New(Options{Format: "json", FormatOptions: tt.opts}, nil); err == nil || err.Error() != tt.want {
				t.Fatalf("New: err = %v, want %s", err, tt.want)
			}
		})
	}
	many := map[string]string{}
	for i := 0; i <= maxJSONFields; i++ {
		many[fmt.Sprintf("f%d", i)] = fmt.Sprintf("k%d", i)
	}
	if _, err := newJSONUnwrapper(FormatOptions{Fields: many}); err == nil || err.Error() != "json fields: 33 extra fields, at most 32" {
		t.Fatalf("err = %v", err)
	}
}

func TestJSONDecoding(t *testing.T) {
	tests := []struct {
		name, line string
		want       jsonOut
	}{
		{"escapes", `{"msg":"tab\there \"q\" back\\slash \/ \b\f\r end"}`,
			jsonOut{Text: "tab\there \"q\" back\\slash / \b\f\r end", Msg: "tab\there \"q\" back\\slash / \b\f\r end"}},
		{"unicode escapes and surrogate pair", `{"msg":"caf\u00e9 \u20ac \ud83d\ude00"}`,
			jsonOut{Text: "café € 😀", Msg: "café € 😀"}},
		{"lone surrogates become U+FFFD", `{"msg":"a\ud83d b\ude00 c\ud83d\u0041"}`,
			jsonOut{Text: "a\uFFFD b\uFFFD c\uFFFDA", Msg: "a\uFFFD b\uFFFD c\uFFFDA"}},
		{"NUL escape", `{"msg":"a\u0000b"}`, jsonOut{Text: "a\x00b", Msg: "a\x00b"}},
		{"invalid escapes kept as written", `{"msg":"C:\dir \u12G4 end"}`,
			jsonOut{Text: `C:\dir \u12G4 end`, Msg: `C:\dir \u12G4 end`}},
		{"invalid UTF-8 passes through", "{\"msg\":\"bad \xff\xfe bytes\",\"k\":\"\xc3\"}",
			jsonOut{Text: "bad \xff\xfe bytes", Msg: "bad \xff\xfe bytes", Fields: "k=\xc3"}},
		{"numbers, literals and null", `{"msg":"m","n":-1.5e+3,"i":0,"ok":true,"no":false,"nil":null,"arr":[1,2],"obj":{"a":1}}`,
			jsonOut{Text: "m", Msg: "m", Fields: "n=-1.5e+3 i=0 ok=true no=false"}},
		{"non-string message", `{"message":42,"level":"info"}`, jsonOut{Text: "42", Msg: "42", Level: LevelInfo}},
		{"null message falls back to the line", `{"message":null,"level":"info"}`,
			jsonOut{Text: `{"message":null,"level":"info"}`, Level: LevelInfo}},
		{"no message: the raw line", `{"level":"warn","event":"cache_miss"}`,
			jsonOut{Text: `{"level":"warn","event":"cache_miss"}`, Level: LevelWarn, Fields: "event=cache_miss"}},
		{"no message but a stack: the stack's first line", `{"level":"error","stack":"Error: x\n    at f (f.js:1:1)\n"}`,
			jsonOut{Text: "Error: x", Msg: "Error: x\n    at f (f.js:1:1)", Stack: "    at f (f.js:1:1)", Level: LevelError}},
		{"multi-line message: first line is the text", `{"level":"error","message":"Failed:\r\n  step 1\n  step 2\n","stack_trace":"java.io.IOException: x\n\tat A.b(A.java:1)"}`,
			jsonOut{Text: "Failed:", Msg: "Failed:\r\n  step 1\n  step 2", Stack: "  step 1\n  step 2\njava.io.IOException: x\n\tat A.b(A.java:1)", Level: LevelError}},
		{"multi-line message without stack", `{"msg":"a\nb"}`, jsonOut{Text: "a", Msg: "a\nb", Stack: "b"}},
		{"escaped key", `{"m\u0073g":"hi","k\u0065y":"v"}`, jsonOut{Text: "hi", Msg: "hi", Fields: "key=v"}},
		{"duplicate key: the first wins", `{"msg":"one","msg":"two"}`, jsonOut{Text: "one", Msg: "one", Fields: "msg=two"}},
		{"whitespace and BOM", "\xef\xbb\xbf  { \"msg\" :\t\"x\" , \"level\" : \"error\" }  ",
			jsonOut{Text: "x", Msg: "x", Level: LevelError}},
		{"empty object", `{}`, jsonOut{Text: `{}`}},
		{"level word", `{"msg":"m","lvl":"Warning","pid":60}`, jsonOut{Text: "m", Msg: "m", Level: LevelWarn, Fields: "pid=60"}},
		{"level by priority", `{"msg":"m","lvl":"Warning","severity":60}`, jsonOut{Text: "m", Msg: "m", Level: LevelFatal, Fields: "lvl=Warning"}},
		{"small numeric level is not a level", `{"msg":"m","level":3}`, jsonOut{Text: "m", Msg: "m"}},
		{"epoch seconds", `{"msg":"m","ts":1709630130}`, jsonOut{Text: "m", Msg: "m", Time: "1709630130", TimeValue: utc("2024-03-05T09:15:30Z")}},
		{"time as an object is ignored", `{"msg":"m","time":{"sec":1}}`, jsonOut{Text: "m", Msg: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 3, Bytes: []byte(tt.line)})
			if got != tt.want {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestJSONBadLines(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1)
	okDeep := `{"msg":"deep",` + strings.Repeat(`"a":{`, 100) + `"b":1` + strings.Repeat("}", 100) + "}"
	tests := []struct {
		name, line string
		cut        bool
		want       jsonOut
	}{
		{"plain text", "Starting server on :8080", false, jsonOut{Err: errNotJSONObject}},
		{"array", `["a","b"]`, false, jsonOut{Err: errNotJSONObject}},
		{"truncated", `{"msg":"abc`, false, jsonOut{Err: errJSONTruncated}},
		{"truncated after key", `{"msg"`, false, jsonOut{Err: errJSONTruncated}},
		{"truncated literal", `{"ok":tr`, false, jsonOut{Err: errJSONTruncated}},
		{"bad literal", `{"ok":trve}`, false, jsonOut{Err: errJSONSyntax}},
		{"trailing comma", `{"a":1,}`, false, jsonOut{Err: errJSONSyntax}},
		{"missing colon", `{"a" 1}`, false, jsonOut{Err: errJSONSyntax}},
		{"bad number", `{"a":1.}`, false, jsonOut{Err: errJSONSyntax}},
		{"unquoted key", `{a:1}`, false, jsonOut{Err: errJSONSyntax}},
		{"mismatched close", `{"a":[1}`, false, jsonOut{Err: errJSONSyntax}},
		{"trailing data", `{"a":1} {"b":2}`, false, jsonOut{Err: errJSONTrailing}},
		{"nested too deep", deep, false, jsonOut{Err: errJSONTooDeep}},
		{"NUL bytes", "{\"a\":\x00}", false, jsonOut{Err: errJSONSyntax}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 3, Bytes: []byte(tt.line), Cut: tt.cut})
			tt.want.Text, tt.want.NoH, tt.want.Cut = tt.line, true, tt.cut
			if got != tt.want {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
	t.Run("deep but within bounds", func(t *testing.T) {
		got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte(okDeep)})
		if want := (jsonOut{Text: "deep", Msg: "deep"}); got != want {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("blank line is not an error", func(t *testing.T) {
		got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte("  ")})
		if want := (jsonOut{Text: "  ", NoH: true}); got != want {
			t.Errorf("got %+v", got)
		}
	})
}

// A JSON line cut at the line limit keeps what was decoded before the cut,
// the cut string value included.
func TestJSONCutLine(t *testing.T) {
	tests := []struct {
		name, line string
		want       jsonOut
	}{
		{"inside the stack", `{"level":"ERROR","message":"boom","stack_trace":"java.lang.X: y\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.j`,
			jsonOut{Text: "boom", Msg: "boom", Level: LevelError, Stack: "java.lang.X: y\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.j", Cut: true}},
		{"inside an escape", `{"level":"ERROR","message":"boom\`,
			jsonOut{Text: "boom", Msg: "boom", Level: LevelError, Cut: true}},
		{"inside a stack array", `{"msg":"boom","stack":["a","b`,
			jsonOut{Text: "boom", Msg: "boom", Stack: "a\nb", Cut: true}},
		{"inside a key", `{"msg":"boom","lev`, jsonOut{Text: "boom", Msg: "boom", Cut: true}},
		{"after a number", `{"msg":"boom","n":12`, jsonOut{Text: "boom", Msg: "boom", Cut: true, Fields: "n=12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte(tt.line), Cut: true})
			if got != tt.want {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestJSONFieldBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"msg":"many"`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, `,"k%02d":%d`, i, i)
	}
	b.WriteString("}")
	got := unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte(b.String())})
	var want []string
	for i := 0; i < maxJSONFields; i++ {
		want = append(want, fmt.Sprintf("k%02d=%d", i, i))
	}
	if got.Fields != strings.Join(want, " ") {
		t.Errorf("fields = %s", got.Fields)
	}

	// A long value is cut at 1 KiB, not inside a UTF-8 sequence.
	long := strings.Repeat("x", maxJSONFieldBytes-1) + "é" + "tail"
	got = unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte(`{"msg":"m","big":"` + long + `"}`)})
	if want := "big=" + strings.Repeat("x", maxJSONFieldBytes-1); got.Fields != want {
		t.Errorf("fields = %d bytes, want %d", len(got.Fields), len(want))
	}
	// The message and the stack are not cut: the event limits bound them.
	huge := strings.Repeat("y", 60000)
	got = unwrapOne(t, newJSON(t, FormatOptions{}), Line{Num: 1, Bytes: []byte(`{"msg":"` + huge + `"}`)})
	if got.Text != huge {
		t.Errorf("text = %d bytes, want %d", len(got.Text), len(huge))
	}
}

func TestEpochTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"1709630130", utc("2024-03-05T09:15:30Z")},
		{"1709630130.5", utc("2024-03-05T09:15:30.5Z")},
		{"1709630130.123456789", utc("2024-03-05T09:15:30.123456789Z")},
		{"1709630130123", utc("2024-03-05T09:15:30.123Z")},
		{"1709630130123.5", utc("2024-03-05T09:15:30.1235Z")},
		{"1709630130123456", utc("2024-03-05T09:15:30.123456Z")},
		{"1709630130123456789", utc("2024-03-05T09:15:30.123456789Z")},
		{"1.709630130123e+09", utc("2024-03-05T09:15:30.123Z")},
		{"0", time.Unix(0, 0).UTC()},
		{"-5", time.Time{}},
		{"12345678901234567890", time.Time{}},
		{"1e400", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := epochTime([]byte(tt.in)); !got.Equal(tt.want) || got.Location() != tt.want.Location() {
				t.Errorf("epochTime(%s) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSniffJSON(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{logstashLine, true},
		{`  {"a":1}`, true},
		{`{}`, true},
		{`{"a":1`, false},
		{`["a"]`, false},
		{`2024-03-05 10:15:30 INFO started`, false},
		{`{not json}`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := sniffJSON([]byte(tt.line)); got != tt.want {
			t.Errorf("sniffJSON(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// parsedRec is a framed record, as strings for comparison.
type parsedRec struct {
	Line, End int64
	Text      string
	Level     string
	Time      string
	Logger    string
	Fields    string
}

func parseStructured(t *testing.T, opts Options, input string) ([]parsedRec, Stats, string) {
	t.Helper()
	var out []parsedRec
	p, err := New(opts, func(r *Record) {
		pr := parsedRec{Line: r.Line, End: r.EndLine, Text: string(r.Text), Level: r.Level.String(), Logger: string(r.Logger())}
		if tm, ok := r.Time(); ok {
			pr.Time = tm.UTC().Format(time.RFC3339Nano)
		}
		var f []string
		for _, fs := range r.fields {
			f = append(f, fs.key+"="+string(r.get(fs.v)))
		}
		pr.Fields = strings.Join(f, " ")
		out = append(out, pr)
	})
	if err != nil {
		t.Fatal(err)
	}
	lr := NewLineReader(strings.NewReader(input), opts.MaxLineBytes)
	for {
		l, err := lr.Next()
		if err != nil {
			break
		}
		p.Feed(l)
	}
	p.Flush()
	return out, p.Stats(), p.Format()
}

// Lines that are not JSON in a JSON log are kept as plain text and counted
// as parse errors, never dropped: like any line without a header, one
// after a record continues it (a runtime's raw crash output after the
// app's last JSON line belongs with it), one before the first record is a
// record of its own.
func TestJSONParserBadLines(t *testing.T) {
	in := `Picked up JAVA_TOOL_OPTIONS: -Xmx256m
{"level":"info","msg":"start","time":"2024-03-05T09:15:30Z"}
not json at all
{"level":"error","msg":"broken
{"level":"warn","msg":"after","count":2}

{"level":"error","msg":"x\ud800y"}
{"level":"info","msg":"done"}
{"level":"info","msg":"bye"}
`
	want := []parsedRec{
		{Line: 1, End: 1, Text: "Picked up JAVA_TOOL_OPTIONS: -Xmx256m"},
		{Line: 2, End: 4, Text: "start\nnot json at all\n{\"level\":\"error\",\"msg\":\"broken", Level: "INFO", Time: "2024-03-05T09:15:30Z"},
		{Line: 5, End: 5, Text: "after", Level: "WARN", Fields: "count=2"},
		{Line: 7, End: 7, Text: "x\uFFFDy", Level: "ERROR"},
		{Line: 8, End: 8, Text: "done", Level: "INFO"},
		{Line: 9, End: 9, Text: "bye", Level: "INFO"},
	}
	for _, format := range []string{"json", "auto"} {
		t.Run(format, func(t *testing.T) {
			got, st, name := parseStructured(t, Options{Format: format}, in)
			if name != "json" {
				t.Errorf("format = %q", name)
			}
			if !equalRecs(got, want) {
				t.Errorf("got\n%s\nwant\n%s", dumpRecs(got), dumpRecs(want))
			}
			if st.ParseErrors != 3 {
				t.Errorf("ParseErrors = %d, want 3", st.ParseErrors)
			}
		})
	}
}

// The stack field and the rest of a multi-line message follow the first
// line of the message in the record text.
func TestJSONParserStack(t *testing.T) {
	in := logstashLine + "\n" + `{"@timestamp":"2024-03-05T10:15:31.000+01:00","message":"Completed 200","level":"INFO","logger_name":"web"}` + "\n"
	got, _, _ := parseStructured(t, Options{Format: "json", FormatOptions: FormatOptions{Preset: "logstash"}}, in)
	want := []parsedRec{
		{Line: 1, End: 1, Level: "ERROR", Time: "2024-03-05T09:15:30.123Z", Logger: "org.springframework.web.servlet.DispatcherServlet",
			Text:   "Request processing failed\njava.lang.IllegalStateException: Order 42 not found\n\tat com.example.shop.OrderService.load(OrderService.java:87)\n\tat com.example.shop.OrderController.get(OrderController.java:31)",
			Fields: "@version=1 level_value=40000"},
		{Line: 2, End: 2, Level: "INFO", Time: "2024-03-05T09:15:31Z", Logger: "web", Text: "Completed 200"},
	}
	if !equalRecs(got, want) {
		t.Errorf("got\n%s\nwant\n%s", dumpRecs(got), dumpRecs(want))
	}
}

// A JSON record without a level whose message continues a trace joins the
// record above (a trace logged one line per JSON record, as by Fluent Bit's
// tail of a plain file); one with a level always starts a record.
func TestJSONParserTraceContinuation(t *testing.T) {
	in := `{"time":"2024-03-05T09:15:30Z","message":"java.lang.NullPointerException: boom"}
{"time":"2024-03-05T09:15:30Z","message":"\tat com.example.A.run(A.java:10)"}
{"time":"2024-03-05T09:15:30Z","message":"\tat com.example.Main.main(Main.java:5)"}
{"time":"2024-03-05T09:15:31Z","level":"error","message":"\tat com.example.B.run(B.java:1)"}
{"time":"2024-03-05T09:15:32Z","message":"all good"}
`
	got, _, _ := parseStructured(t, Options{Format: "json"}, in)
	want := []parsedRec{
		{Line: 1, End: 3, Time: "2024-03-05T09:15:30Z",
			Text: "java.lang.NullPointerException: boom\n\tat com.example.A.run(A.java:10)\n\tat com.example.Main.main(Main.java:5)"},
		{Line: 4, End: 4, Time: "2024-03-05T09:15:31Z", Level: "ERROR", Text: "\tat com.example.B.run(B.java:1)"},
		{Line: 5, End: 5, Time: "2024-03-05T09:15:32Z", Text: "all good"},
	}
	if !equalRecs(got, want) {
		t.Errorf("got\n%s\nwant\n%s", dumpRecs(got), dumpRecs(want))
	}
}

// A continuation record whose own message spans lines keeps them all.
func TestJSONParserMultiLineContinuation(t *testing.T) {
	in := `{"message":"java.lang.IllegalStateException: outer"}
{"message":"\tat com.example.A.run(A.java:10)\nCaused by: java.io.IOException: inner\n\tat com.example.B.io(B.java:3)"}
`
	got, _, _ := parseStructured(t, Options{Format: "json"}, in)
	want := []parsedRec{{Line: 1, End: 2,
		Text: "java.lang.IllegalStateException: outer\n\tat com.example.A.run(A.java:10)\nCaused by: java.io.IOException: inner\n\tat com.example.B.io(B.java:3)"}}
	if !equalRecs(got, want) {
		t.Errorf("got\n%s\nwant\n%s", dumpRecs(got), dumpRecs(want))
	}
}

func equalRecs(a, b []parsedRec) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func dumpRecs(rs []parsedRec) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %#v\n", r)
	}
	return b.String()
}

// FuzzJSON: no panic, every line comes out as exactly one logical line with
// its own number, and a decoded header never points outside what it says.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(logstashLine), false)
	f.Add([]byte(`{"msg":"a\ud83d\ude00","level":50,"err":{"stack":"x\ny"},"ts":1.5e9}`), true)
	f.Add([]byte("{\"m\":\"\xff\\u00\"}\nnot json\n[1]\n{\"a\":{\"b\":[[{}]]}}"), false)
	f.Add([]byte(`{"stack":["a",{"b":1},"c"],"log":{"level":"warn"}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, cut bool) {
		for _, preset := range []string{"", "pino"} {
			u := newJSON(t, FormatOptions{Preset: preset})
			lines := bytes.Split(data, []byte("\n"))
			for i, b := range lines {
				n := int64(i + 1)
				var got []Logical
				u.Unwrap(Line{Num: n, Bytes: b, Cut: cut}, func(l Logical) { got = append(got, l) })
				if len(got) != 1 || got[0].Num != n || got[0].EndNum != n {
					t.Fatalf("line %d: %d logical lines, %+v", n, len(got), got)
				}
				if l := got[0]; l.H == nil && !bytes.Equal(l.Text, b) {
					t.Fatalf("line %d without header changed: %q", n, l.Text)
				}
				if h := got[0].H; h != nil && len(h.Fields) > maxJSONFields {
					t.Fatalf("%d fields", len(h.Fields))
				}
			}
			u.Flush(func(l Logical) { t.Fatalf("json Flush emitted %+v", l) })
		}
	})
}

func BenchmarkJSONLine(b *testing.B) {
	u, err := newJSONUnwrapper(FormatOptions{Preset: "logstash"})
	if err != nil {
		b.Fatal(err)
	}
	line := []byte(`{"@timestamp":"2024-03-05T10:15:30.123+01:00","@version":"1","message":"Completed 200 OK in 12ms for GET /api/orders/42","logger_name":"com.example.shop.web.RequestLogger","thread_name":"http-nio-8080-exec-3","level":"INFO","level_value":20000,"traceId":"65e6e2b2c1a4f3d2","spanId":"c1a4f3d2"}`)
	n := 0
	emit := func(l Logical) { n += len(l.Text) }
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		u.Unwrap(Line{Num: 1, Bytes: line}, emit)
	}
	if n == 0 {
		b.Fatal("no text")
	}
}
