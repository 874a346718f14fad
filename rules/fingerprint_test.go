package rules

import (
	"testing"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/parsers/traces"
)

func TestMaskMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Failed to save order 12345", "Failed to save order <n>"},
		{"took 123ms, retry in 1.5s", "took <n>ms, retry in <n>s"},
		{"user 0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b not found", "user <uuid> not found"},
		{"connect to 10.0.12.7:5432 failed", "connect to <ip> failed"},
		{"peer [2001:db8::8a2e:370:7334]:443 reset", "peer [<ip>]:<n> reset"},
		{"from ::1 and fe80::1%eth0", "from <ip> and <ip>%eth<n>"},
		{"mail to john.doe+x@example.co.uk bounced", "mail to <email> bounced"},
		{"GET https://api.example.com/v1/orders?id=5 failed", "GET <url> failed"},
		{"Table 'shop.orders' doesn't exist", "Table '<q>' doesn't exist"},
		{`key "abc" can't be "x y"`, `key "<q>" can't be "<q>"`},
		{"pointer 0xc000123abc nil", "pointer <hex> nil"},
		{"commit deadbeef1234 bad", "commit <hex> bad"},
		{"session AbX93kLmQ2 expired", "session <id> expired"},
		{"worker-12 on h2c", "worker-<n> on h<n>c"},
		{"at 2024-05-01T10:00:00.123Z", "at <n>-<n>-<n>T<n>:<n>:<n>Z"},
		{"at 2023-11-30T23:59:59.9Z", "at <n>-<n>-<n>T<n>:<n>:<n>Z"},
		{"at 12:34:56", "at <n>:<n>:<n>"},
		{"1,234 rows   in   5 ms", "<n> rows in <n> ms"},
		{"status 5xx", "status <n>xx"},
		{"naïve42 ok", "naïve<n> ok"},
		{"version 1.2.3", "version <n>"},
		{"bad utf8 \xff\xfe 7", "bad utf<n> \xff\xfe <n>"},
		{"login failed: password=hunter2 user=bob", "login failed: password=<secret> user=bob"},
		{"login failed: password=letmein user=bob", "login failed: password=<secret> user=bob"},
		{`token: "abc DEF"`, `token: "<secret> DEF"`},
		{"Authorization: Bearer eyJhbGciOi.x.y rejected", "Authorization: Bearer <secret> rejected"},
		{"sent Bearer abcdef", "sent Bearer <secret>"},
		{"GET /x?api_key=zzz&x=1", "GET /x?api_key=<secret>&x=<n>"},
		{"missing key: user_id", "missing key: user_id"},
		{"Token expired for user", "Token expired for user"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskMessage(tt.in); got != tt.want {
				t.Errorf("MaskMessage(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/api/orders/12345", "/api/orders/:id"},
		{"/api/orders/12345?expand=items#top", "/api/orders/:id"},
		{"/api/users/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b/avatar", "/api/users/:id/avatar"},
		{"/static/js/app.3f9a1c2b.js", "/static/js/app.:hash.js"},
		{"/assets/index-BnRzOaCd.js", "/assets/index-:hash.js"},
		{"/assets/main-3f9a1c2b7d.css", "/assets/main-:hash.css"},
		{"/blob/3f9a1c2b7d8e9f00", "/blob/:id"},
		{"/u/john@example.com/settings", "/u/:id/settings"},
		{"/api/v2/getUserById", "/api/v2/getUserById"},
		{"/healthz", "/healthz"},
		{"/report-2024-05-01.pdf", "/report-:id-:id-:id.pdf"},
		{"/", "/"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskPath(tt.in); got != tt.want {
				t.Errorf("MaskPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func javaTrace(exc string, causes []string, frames ...traces.Frame) *traces.Trace {
	return &traces.Trace{Language: "java", Exception: exc, Causes: causes, Frames: frames}
}

func fr(mod, fn string, line int, inApp bool) traces.Frame {
	return traces.Frame{Module: mod, Function: fn, File: "X.java", Line: line, InApp: inApp}
}

func traceEvent(t *traces.Trace) *parsers.Event {
	return &parsers.Event{Exception: t.Exception, Causes: t.Causes, Frames: len(t.Frames), Trace: t}
}

func TestFingerprintGroups(t *testing.T) {
	rule := &Rule{Name: "errors"}
	base := traceEvent(javaTrace("java.lang.NullPointerException", nil,
		fr("com.example.OrderService", "save", 42, true),
		fr("org.springframework.web.Servlet", "service", 100, false),
		fr("com.example.OrderController", "post", 17, true)))
	msg := func(logger, m string) *parsers.Event { return &parsers.Event{Logger: logger, Message: m} }
	access := func(status int, method, path string) *parsers.Event {
		return &parsers.Event{Status: status, Method: method, Path: path}
	}
	tests := []struct {
		name string
		a, b *parsers.Event
		same bool
	}{
		{"line numbers differ", base, traceEvent(javaTrace("java.lang.NullPointerException", nil,
			fr("com.example.OrderService", "save", 99, true),
			fr("org.springframework.web.Servlet", "service", 7, false),
			fr("com.example.OrderController", "post", 18, true))), true},
		{"library frames differ", base, traceEvent(javaTrace("java.lang.NullPointerException", nil,
			fr("com.example.OrderService", "save", 42, true),
			fr("org.apache.catalina.Valve", "invoke", 1, false),
			fr("com.example.OrderController", "post", 17, true))), true},
		{"different exception", base, traceEvent(javaTrace("java.lang.IllegalStateException", nil,
			fr("com.example.OrderService", "save", 42, true),
			fr("com.example.OrderController", "post", 17, true))), false},
		{"different cause", traceEvent(javaTrace("java.lang.RuntimeException", []string{"java.sql.SQLException"}, fr("com.example.A", "b", 1, true))),
			traceEvent(javaTrace("java.lang.RuntimeException", []string{"java.io.IOException"}, fr("com.example.A", "b", 1, true))), false},
		{"different failing function", base, traceEvent(javaTrace("java.lang.NullPointerException", nil,
			fr("com.example.OrderService", "update", 42, true),
			fr("com.example.OrderController", "post", 17, true))), false},
		{"no in-app frames: all frames count", traceEvent(javaTrace("java.lang.OutOfMemoryError", nil, fr("java.util.Arrays", "copyOf", 1, false))),
			traceEvent(javaTrace("java.lang.OutOfMemoryError", nil, fr("java.util.HashMap", "resize", 1, false))), false},
		{"recursion depth", traceEvent(javaTrace("java.lang.StackOverflowError", nil, fr("com.example.T", "walk", 1, true), fr("com.example.T", "walk", 1, true), fr("com.example.Main", "main", 1, true))),
			traceEvent(javaTrace("java.lang.StackOverflowError", nil, fr("com.example.T", "walk", 1, true), fr("com.example.T", "walk", 1, true), fr("com.example.T", "walk", 1, true), fr("com.example.Main", "main", 1, true))), true},
		{"generated names", traceEvent(javaTrace("java.lang.NullPointerException", nil,
			fr("com.example.OrderService$$EnhancerBySpringCGLIB$$abc123", "lambda$save$0", 1, true),
			fr("jdk.proxy2.$Proxy12", "save", 1, true),
			fr("jdk.internal.reflect.GeneratedMethodAccessor7", "invoke", 1, true),
			fr("com.example.Worker$1", "run", 1, true))),
			traceEvent(javaTrace("java.lang.NullPointerException", nil,
				fr("com.example.OrderService$$EnhancerBySpringCGLIB$$9f8e7d", "lambda$save$3", 1, true),
				fr("jdk.proxy3.$Proxy57", "save", 1, true),
				fr("jdk.internal.reflect.GeneratedMethodAccessor311", "invoke", 1, true),
				fr("com.example.Worker$2", "run", 1, true))), true},
		{"go closures", traceEvent(&traces.Trace{Language: "go", Exception: "panic", Frames: []traces.Frame{{Module: "main", Function: "(*Server).handle.func1", InApp: true}}}),
			traceEvent(&traces.Trace{Language: "go", Exception: "panic", Frames: []traces.Frame{{Module: "main", Function: "(*Server).handle.func2", InApp: true}}}), true},
		{"go crash: other goroutines do not count",
			traceEvent(&traces.Trace{Language: "go", Exception: "panic", Primary: 1, Frames: []traces.Frame{
				{Module: "main", Function: "handle", InApp: true}, {Module: "main", Function: "worker", InApp: true}}}),
			traceEvent(&traces.Trace{Language: "go", Exception: "panic", Primary: 1, Frames: []traces.Frame{
				{Module: "main", Function: "handle", InApp: true}, {Module: "main", Function: "poller", InApp: true}}}), true},
		{"go crash: the failing goroutine counts",
			traceEvent(&traces.Trace{Language: "go", Exception: "panic", Primary: 1, Frames: []traces.Frame{
				{Module: "main", Function: "handle", InApp: true}, {Module: "main", Function: "worker", InApp: true}}}),
			traceEvent(&traces.Trace{Language: "go", Exception: "panic", Primary: 1, Frames: []traces.Frame{
				{Module: "main", Function: "serve", InApp: true}, {Module: "main", Function: "worker", InApp: true}}}), false},
		{"python: the innermost frames count", traceEvent(&traces.Trace{Language: "python", Exception: "KeyError", Frames: pyFrames("main", 30, "load")}),
			traceEvent(&traces.Trace{Language: "python", Exception: "KeyError", Frames: pyFrames("main", 30, "parse")}), false},
		{"js bundles by file", traceEvent(&traces.Trace{Language: "js", Exception: "TypeError", Frames: []traces.Frame{{Function: "<anonymous>", File: "https://x.example/static/js/main.3f9a1c2b.js", Line: 1, InApp: true}}}),
			traceEvent(&traces.Trace{Language: "js", Exception: "TypeError", Frames: []traces.Frame{{Function: "<anonymous>", File: "https://x.example/static/js/main.77aa00ff.js", Line: 9, InApp: true}}}), true},

		{"message ids", msg("com.example.Orders", "Order 12345 for user 0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b failed after 532ms from 10.1.2.3"),
			msg("com.example.Orders", "Order 9 for user 11111111-2222-3333-4444-555555555555 failed after 12ms from 192.168.0.77"), true},
		{"message emails and quotes", msg("mail", "cannot deliver to 'a@b.io': 'mailbox full'"), msg("mail", "cannot deliver to 'x.y@z.org': 'quota'"), true},
		{"message text differs", msg("db", "connection refused"), msg("db", "connection reset"), false},
		{"logger differs", msg("a", "boom"), msg("b", "boom"), false},

		{"access ids and query", access(503, "GET", "/api/orders/123?x=1"), access(503, "get", "/api/orders/456"), true},
		{"access status", access(500, "GET", "/api/orders/1"), access(503, "GET", "/api/orders/1"), false},
		{"access method", access(500, "GET", "/api/orders/1"), access(500, "POST", "/api/orders/1"), false},
		{"access path", access(500, "GET", "/api/orders/1"), access(500, "GET", "/api/users/1"), false},
		{"access assets", access(502, "GET", "/static/app.3f9a1c2b.js"), access(502, "GET", "/static/app.0badc0de.js"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, fb := Fingerprint(rule, tt.a), Fingerprint(rule, tt.b)
			if len(fa) != 16 {
				t.Fatalf("fingerprint %q is not 16 hex", fa)
			}
			if (fa == fb) != tt.same {
				t.Errorf("fingerprints %s and %s: same = %v, want %v", fa, fb, fa == fb, tt.same)
			}
		})
	}
}

// pyFrames is a Python traceback: oldest call first, the failing function
// last, after n frames of the app.
func pyFrames(mod string, n int, failing string) []traces.Frame {
	var out []traces.Frame
	for i := range n {
		out = append(out, traces.Frame{Module: mod, Function: "step" + string(rune('a'+i%26)), Line: i + 1, InApp: true})
	}
	return append(out, traces.Frame{Module: mod, Function: failing, Line: 99, InApp: true})
}

func TestFingerprintRules(t *testing.T) {
	ev := &parsers.Event{Logger: "x", Message: "order 5 failed", Path: "/a/1", Source: "api"}
	ev2 := &parsers.Event{Logger: "y", Message: "other 6", Path: "/b/2", Source: "api"}
	a, b := &Rule{Name: "a"}, &Rule{Name: "b"}
	if Fingerprint(a, ev) == Fingerprint(b, ev) {
		t.Error("two rules share a fingerprint")
	}
	if Fingerprint(a, ev) != ContentFingerprint("a", ev) {
		t.Error("ContentFingerprint differs")
	}
	coded := &Rule{Name: "DB", Code: "DB"}
	if Fingerprint(coded, ev) != Fingerprint(coded, ev2) {
		t.Error("a coded rule has more than one group")
	}
	grouped := &Rule{Name: "G", Code: "G", GroupBy: []string{"source", "path"}}
	ev3 := &parsers.Event{Path: "/a/77?q", Source: "api", Message: "different"}
	if Fingerprint(grouped, ev) != Fingerprint(grouped, ev3) {
		t.Error("group_by path does not mask ids")
	}
	if Fingerprint(grouped, ev) == Fingerprint(grouped, ev2) {
		t.Error("group_by path merges different paths")
	}
	// Fingerprints are stable: a change of this value means every saved
	// incident would split from its new events.
	if got := Fingerprint(a, ev); got != Fingerprint(&Rule{Name: "a"}, &parsers.Event{Logger: "x", Message: "order 77 failed"}) {
		t.Errorf("not a function of masked content: %s", got)
	}
}

func TestNormalizeIdent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"com.example.OrderService$$EnhancerBySpringCGLIB$$abc123", "com.example.OrderService"},
		{"com.example.Foo$$Lambda$123/0x0000000800c0b448", "com.example.Foo"},
		{"com.example.User$HibernateProxy$xYz1", "com.example.User$HibernateProxy"},
		{"jdk.proxy2.$Proxy12", "jdk.proxy.$Proxy"},
		{"com.sun.proxy.$Proxy57", "com.sun.proxy.$Proxy"},
		{"jdk.internal.reflect.GeneratedMethodAccessor7", "jdk.internal.reflect.GeneratedMethodAccessor"},
		{"lambda$main$0", "lambda$main$N"},
		{"com.example.Worker$1", "com.example.Worker$N"},
		{"(*Server).handle.func1", "(*Server).handle.func"},
		{"main.main.func2.1", "main.main.func"},
		{"<Main>b__0_0", "<Main>b__N"},
		{"<DoWork>d__5", "<DoWork>d__N"},
		{"<>c__DisplayClass3_0", "<>c__DisplayClass_0"},
		{"_app_views_users_show_html_erb___1234567_890", "_app_views_users_show_html_erb___N"},
		{"com.example.Http2Handler", "com.example.Http2Handler"},
		{"save", "save"},
	}
	for _, tt := range tests {
		if got := normalizeIdent(tt.in); got != tt.want {
			t.Errorf("normalizeIdent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzMask(f *testing.F) {
	f.Add("Order 12345 for 0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b from [::1]:80 'x' password=y")
	f.Add("/static/app.3f9a1c2b.js?x=1")
	f.Add("\xff\xfe::ffff:10.0.0.1:99999 a@b.c https://x/y token:")
	f.Fuzz(func(t *testing.T, s string) {
		m := MaskMessage(s)
		if len(m) > maxMasked {
			t.Fatalf("masked message of %d bytes", len(m))
		}
		if MaskMessage(s) != m {
			t.Fatal("not deterministic")
		}
		p := MaskPath(s)
		if len(p) > maxMasked {
			t.Fatalf("masked path of %d bytes", len(p))
		}
		ev := &parsers.Event{Message: s, Path: s, Exception: s, Status: 500}
		if fp := Fingerprint(&Rule{Name: "f"}, ev); len(fp) != 16 {
			t.Fatalf("fingerprint %q", fp)
		}
		_ = TypeMnemonic(s)
		_ = normalizeIdent(s)
		_ = AutoTitle(ev)
	})
}
