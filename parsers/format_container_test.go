package parsers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// ctrOut is one logical line from a container wrapper, with the wrapper's
// meta as it was while emit ran.
type ctrOut struct {
	Num, End int64
	Text     string
	Cut      bool
	Err      string
	Stream   string
	Time     string
}

type metaUnwrapper interface {
	Unwrapper
	Meta() ContainerMeta
}

// unwrapAll feeds lines (numbered from 1, cut when marked) and flushes.
func unwrapAll(u metaUnwrapper, lines []Line) []ctrOut {
	var out []ctrOut
	emit := func(l Logical) {
		if l.H != nil || l.Cont {
			panic("container logical line with a header")
		}
		o := ctrOut{Num: l.Num, End: l.EndNum, Text: string(l.Text), Cut: l.Cut, Err: l.Err}
		if l.Err == "" {
			m := u.Meta()
			o.Stream, o.Time = m.Stream, string(m.Time)
		}
		out = append(out, o)
	}
	for _, l := range lines {
		u.Unwrap(l, emit)
	}
	u.Flush(emit)
	return out
}

func numbered(lines ...string) []Line {
	out := make([]Line, len(lines))
	for i, s := range lines {
		out[i] = Line{Num: int64(i + 1), Bytes: []byte(s)}
	}
	return out
}

func newDocker(t testing.TB) metaUnwrapper {
	u, err := newDockerUnwrapper(FormatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return u.(metaUnwrapper)
}

func newCRI(t testing.TB) metaUnwrapper {
	u, err := newCRIUnwrapper(FormatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return u.(metaUnwrapper)
}

const t0, t1, t2 = "2024-03-05T09:15:30.100000001Z", "2024-03-05T09:15:30.200000002Z", "2024-03-05T09:15:30.300000003Z"

func dockerLine(log, stream, tm string) string {
	return fmt.Sprintf(`{"log":%q,"stream":%q,"time":%q}`, log, stream, tm)
}

func TestDockerUnwrap(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  []ctrOut
	}{
		{"full lines", numbered(dockerLine("first\n", "stdout", t0), dockerLine("second\n", "stderr", t1)), []ctrOut{
			{1, 1, "first", false, "", "stdout", t0},
			{2, 2, "second", false, "", "stderr", t1},
		}},
		{"partials joined; meta of the first part", numbered(
			dockerLine("2020-03-24 Single ", "stdout", t0), dockerLine("li", "stdout", t1), dockerLine("ne\n", "stdout", t2)),
			[]ctrOut{{1, 3, "2020-03-24 Single line", false, "", "stdout", t0}}},
		{"CRLF and an empty line", numbered(dockerLine("dos\r\n", "stdout", t0), dockerLine("\n", "stdout", t1)), []ctrOut{
			{1, 1, "dos", false, "", "stdout", t0},
			{2, 2, "", false, "", "stdout", t1},
		}},
		{"streams interleave", numbered(
			dockerLine("out part ", "stdout", t0), dockerLine("err line\n", "stderr", t1), dockerLine("end\n", "stdout", t2)),
			[]ctrOut{
				{2, 2, "err line", false, "", "stderr", t1},
				{1, 3, "out part end", false, "", "stdout", t0},
			}},
		{"a newline inside a part", numbered(dockerLine("a\nb\n", "stdout", t0)), []ctrOut{
			{1, 1, "a", false, "", "stdout", t0},
			{1, 1, "b", false, "", "stdout", t0},
		}},
		{"escapes", numbered(`{"log":"tab\there caf\u00e9 \ud83d\ude00 \"q\"\n","stream":"stdout","time":"` + t0 + `"}`), []ctrOut{
			{1, 1, "tab\there café 😀 \"q\"", false, "", "stdout", t0},
		}},
		{"no stream or time", numbered(`{"log":"bare\n"}`), []ctrOut{{1, 1, "bare", false, "", "", ""}}},
		{"pending at the end is flushed, oldest first", numbered(
			dockerLine("err pending", "stderr", t0), dockerLine("out pending", "stdout", t1)), []ctrOut{
			{1, 1, "err pending", false, "", "stderr", t0},
			{2, 2, "out pending", false, "", "stdout", t1},
		}},
		{"bad lines are kept and flagged; a pending chain waits", numbered(
			dockerLine("start ", "stdout", t0), "not json", `{"log":42}`, `{"stream":"stdout"}`, `{"log":"x"`, dockerLine("end\n", "stdout", t1)),
			[]ctrOut{
				{2, 2, "not json", false, errNotJSONObject, "", ""},
				{3, 3, `{"log":42}`, false, errDockerNoLog, "", ""},
				{4, 4, `{"stream":"stdout"}`, false, errDockerNoLog, "", ""},
				{5, 5, `{"log":"x"`, false, errJSONTruncated, "", ""},
				{1, 6, "start end", false, "", "stdout", t0},
			}},
		{"a cut physical line ends its chain", []Line{
			{Num: 1, Bytes: []byte(dockerLine("head ", "stdout", t0))},
			{Num: 2, Bytes: []byte(`{"log":"cut her`), Cut: true},
			{Num: 3, Bytes: []byte(dockerLine("next\n", "stdout", t1))},
		}, []ctrOut{
			{1, 2, "head cut her", true, "", "stdout", t0},
			{3, 3, "next", false, "", "stdout", t1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapAll(newDocker(t), tt.lines)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// A chain of partials longer than the line limit is cut at the limit,
// flagged, and the rest of the chain dropped; the next line is whole.
func TestContainerChainLimit(t *testing.T) {
	part := strings.Repeat("a", 30<<10)
	for _, tt := range []struct {
		name string
		u    metaUnwrapper
		line func(text string, partial bool) string
	}{
		{"docker", newDocker(t), func(text string, partial bool) string {
			if !partial {
				text += "\n"
			}
			return dockerLine(text, "stdout", t0)
		}},
		{"cri", newCRI(t), func(text string, partial bool) string {
			tag := "F"
			if partial {
				tag = "P"
			}
			return t0 + " stdout " + tag + " " + text
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var lines []string
			for i := 0; i < 5; i++ {
				lines = append(lines, tt.line(part, true))
			}
			lines = append(lines, tt.line("end", false), tt.line("after", false))
			got := unwrapAll(tt.u, numbered(lines...))
			want := []ctrOut{
				{1, 6, strings.Repeat("a", DefaultMaxLineBytes), true, "", "stdout", t0},
				{7, 7, "after", false, "", "stdout", t0},
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %d lines: %.300s", len(got), fmt.Sprintf("%#v", got))
			}
		})
	}
}

func TestCRIUnwrap(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  []ctrOut
	}{
		{"full lines", numbered(
			"2016-10-06T00:17:09.669794202Z stdout F The content of the log entry 1",
			"2016-10-06T00:17:10.113242941Z stderr F The content of the log entry 2"),
			[]ctrOut{
				{1, 1, "The content of the log entry 1", false, "", "stdout", "2016-10-06T00:17:09.669794202Z"},
				{2, 2, "The content of the log entry 2", false, "", "stderr", "2016-10-06T00:17:10.113242941Z"},
			}},
		{"partials joined", numbered(
			"2016-10-06T00:17:09.669794202Z stdout P First line of log entry 3 ",
			"2016-10-06T00:17:09.669794203Z stdout P continues ",
			"2016-10-06T00:17:09.669794204Z stdout F and ends"),
			[]ctrOut{{1, 3, "First line of log entry 3 continues and ends", false, "", "stdout", "2016-10-06T00:17:09.669794202Z"}}},
		{"text keeps its spaces; empty text; offset time; extra tags", numbered(
			t0+" stdout F   indented  ",
			t1+" stdout F ",
			t2+" stdout F",
			"2024-03-05T10:15:30.5+01:00 stderr F:x tagged"),
			[]ctrOut{
				{1, 1, "  indented  ", false, "", "stdout", t0},
				{2, 2, "", false, "", "stdout", t1},
				{3, 3, "", false, "", "stdout", t2},
				{4, 4, "tagged", false, "", "stderr", "2024-03-05T10:15:30.5+01:00"},
			}},
		{"streams interleave", numbered(
			t0+" stderr P err ", t1+" stdout F out", t2+" stderr F done"),
			[]ctrOut{
				{2, 2, "out", false, "", "stdout", t1},
				{1, 3, "err done", false, "", "stderr", t0},
			}},
		{"pending at the end is flushed", numbered(t0 + " stdout P never ends"),
			[]ctrOut{{1, 1, "never ends", false, "", "stdout", t0}}},
		{"bad lines are kept and flagged", numbered(
			"plain text",
			"2016-10-06 stdout F no T in the time",
			t0+" stdout X bad tag",
			t0+" stdout",
			t0+" stdout FF run-on tag",
			""),
			[]ctrOut{
				{1, 1, "plain text", false, errNotCRI, "", ""},
				{2, 2, "2016-10-06 stdout F no T in the time", false, errNotCRI, "", ""},
				{3, 3, t0 + " stdout X bad tag", false, errNotCRI, "", ""},
				{4, 4, t0 + " stdout", false, errNotCRI, "", ""},
				{5, 5, t0 + " stdout FF run-on tag", false, errNotCRI, "", ""},
				{6, 6, "", false, errNotCRI, "", ""},
			}},
		{"a cut part still continues its chain", []Line{
			{Num: 1, Bytes: []byte(t0 + " stdout P cut her"), Cut: true},
			{Num: 2, Bytes: []byte(t1 + " stdout F e")},
		}, []ctrOut{{1, 2, "cut here", true, "", "stdout", t0}}},
		{"invalid UTF-8 and NUL pass through", numbered(t0 + " stdout F \xff\x00\xfe"),
			[]ctrOut{{1, 1, "\xff\x00\xfe", false, "", "stdout", t0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapAll(newCRI(t), tt.lines)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestContainerSniffers(t *testing.T) {
	tests := []struct {
		line         string
		docker, cri  bool
		json         bool
		parsesAsTime bool
	}{
		{line: `{"log":"x\n","stream":"stdout","time":"2019-01-01T00:00:00Z"}`, docker: true, json: true},
		{line: ` { "log" : "x"}`, docker: true, json: true},
		{line: `{"log":`, docker: true},
		{line: `{"msg":"x","log":"y"}`, json: true},
		{line: `{"logger":"x"}`, json: true},
		{line: "2016-10-06T00:17:09.669794202Z stdout F text", cri: true},
		{line: "2016-10-06T00:17:09Z stderr P ", cri: true},
		{line: "2016-10-06T00:17:09.1+05:30 stdout F", cri: true},
		{line: "2016-10-06T00:17:09.669794202Z stdin F text"},
		{line: "2016-10-06 00:17:09.669 stdout F text"},
		{line: "2016-10-06T00:17:09.669Z stdout Full text"},
		{line: "2024-03-05 10:15:30.123 ERROR 1 --- [main] c.e.App : boom"},
		{line: ""},
	}
	for _, tt := range tests {
		b := []byte(tt.line)
		if got := sniffDocker(b); got != tt.docker {
			t.Errorf("sniffDocker(%q) = %v", tt.line, got)
		}
		if got := sniffCRI(b); got != tt.cri {
			t.Errorf("sniffCRI(%q) = %v", tt.line, got)
		}
		if got := sniffJSON(b); got != tt.json {
			t.Errorf("sniffJSON(%q) = %v", tt.line, got)
		}
	}
}

func TestIsRFC3339(t *testing.T) {
	for s, want := range map[string]bool{
		"2016-10-06T00:17:09.669794202Z": true,
		"2016-10-06T00:17:09Z":           true,
		"2016-10-06t00:17:09z":           true,
		"2016-10-06T00:17:09+02:00":      true,
		"2016-10-06T00:17:09.5-07:30":    true,
		"2016-10-06T00:17:09.Z":          false,
		"2016-10-06T00:17:09":            false,
		"2016-10-06T00:17:09+0200":       false,
		"2016-10-06 00:17:09Z":           false,
		"2016-1a-06T00:17:09Z":           false,
		"2016-10-06T00:17:09ZZ":          false,
		"":                               false,
	} {
		if got := isRFC3339([]byte(s)); got != want {
			t.Errorf("isRFC3339(%q) = %v, want %v", s, got, want)
		}
	}
}

// springTrace is a Spring Boot 3 error with its trace, as the app writes it.
var springTrace = []string{
	"2024-03-05T10:15:30.123+01:00  INFO 1 --- [demo] [           main] c.e.shop.ShopApplication                 : Started ShopApplication in 3.2 seconds",
	"2024-03-05T10:15:31.456+01:00 ERROR 1 --- [demo] [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception",
	"java.lang.IllegalStateException: Order 42 not found",
	"\tat com.example.shop.OrderService.load(OrderService.java:87) ~[classes/:na]",
	"\tat com.example.shop.OrderController.get(OrderController.java:31) ~[classes/:na]",
	"\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103) ~[na:na]",
	"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
	"\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696) ~[HikariCP-5.0.1.jar:na]",
	"\t... 52 common frames omitted",
	"",
	"2024-03-05T10:15:32.000+01:00  WARN 1 --- [demo] [nio-8080-exec-2] c.e.shop.OrderController                 : slow request",
}

// dockerize writes lines as Docker does: each a record of its own, the long
// ones split into partial records of at most split bytes.
func dockerize(lines []string, split int) string {
	var b strings.Builder
	for i, l := range lines {
		stream := "stdout"
		if i > 0 && i < len(lines)-1 {
			stream = "stderr"
		}
		for len(l) > split {
			b.WriteString(dockerLine(l[:split], stream, t0) + "\n")
			l = l[split:]
		}
		b.WriteString(dockerLine(l+"\n", stream, t0) + "\n")
	}
	return b.String()
}

func criize(lines []string, split int) string {
	var b strings.Builder
	for _, l := range lines {
		for len(l) > split {
			b.WriteString(t0 + " stdout P " + l[:split] + "\n")
			l = l[split:]
		}
		b.WriteString(t0 + " stdout F " + l + "\n")
	}
	return b.String()
}

// A Spring Boot trace written through Docker or CRI, its long lines split
// into partials, frames into the same records as the plain file does, with
// the inner format detected.
func TestContainerSpringBoot(t *testing.T) {
	plain := strings.Join(springTrace, "\n") + "\n"
	want, _, wantFormat := parseStructured(t, Options{Format: "auto"}, plain)
	if wantFormat != "logback" || len(want) != 3 {
		t.Fatalf("plain file: format %q, %d records: the test expects logback and 3", wantFormat, len(want))
	}
	for _, tt := range []struct{ name, format, input, detected string }{
		{"docker", "docker", dockerize(springTrace, 40), "docker+logback"},
		{"docker auto", "auto", dockerize(springTrace, 40), "docker+logback"},
		{"cri", "cri", criize(springTrace, 50), "cri+logback"},
		{"cri auto", "auto", criize(springTrace, 50), "cri+logback"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, st, format := parseStructured(t, Options{Format: tt.format}, tt.input)
			if format != tt.detected {
				t.Errorf("format = %q, want %q", format, tt.detected)
			}
			if st.ParseErrors != 0 {
				t.Errorf("ParseErrors = %d", st.ParseErrors)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d records, want %d:\n%s", len(got), len(want), dumpRecs(got))
			}
			for i := range want {
				// Physical lines differ; the framing and fields do not.
				g, w := got[i], want[i]
				g.Line, g.End, w.Line, w.End = 0, 0, 0, 0
				if g != w {
					t.Errorf("record %d:\ngot  %#v\nwant %#v", i, g, w)
				}
			}
			// The last record ends on the last physical line.
			total := int64(strings.Count(tt.input, "\n"))
			if last := got[len(got)-1]; last.End != total {
				t.Errorf("last record ends at %d, want %d", last.End, total)
			}
		})
	}
}

// Auto-detection keeps its sample intact while the inner format is still
// being chosen: a container log with partial lines in its first sample and
// a pending partial at the end frames as with the format named.
func TestContainerAutoSample(t *testing.T) {
	long := strings.Repeat("0123456789", 8)
	var lines []string
	for i := 0; i < 70; i++ {
		lines = append(lines, fmt.Sprintf("line %02d %s", i, long))
	}
	// Short lines fill the first sample but for one logical line, which is
	// a long one in partials: the inner sample outgrows the outer one.
	var longLast []string
	for i := 0; i < 63; i++ {
		longLast = append(longLast, fmt.Sprintf("short %02d", i))
	}
	longLast = append(longLast, strings.Repeat("long line ", 600), "after")
	for _, tt := range []struct{ name, input string }{
		{"docker, more than a sample", dockerize(lines, 30)},
		{"docker, long partial chain last in the sample", dockerize(longLast, 100)},
		{"docker, less than a sample", dockerize(lines[:10], 30)},
		{"docker, pending partial at the end", dockerize(lines[:10], 30) + dockerLine("unterminated", "stdout", t0) + "\n"},
		{"cri, more than a sample", criize(lines, 30)},
		{"cri, pending partial at the end", criize(lines[:10], 30) + t0 + " stdout P unterminated\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := "docker"
			if strings.HasPrefix(tt.name, "cri") {
				name = "cri"
			}
			want, _, _ := parseStructured(t, Options{Format: name}, tt.input)
			got, _, _ := parseStructured(t, Options{Format: "auto"}, tt.input)
			if !equalRecs(got, want) {
				t.Errorf("auto:\n%s\n%s:\n%s", dumpRecs(got), name, dumpRecs(want))
			}
		})
	}
}

// fuzzCoverage checks the invariants of a container unwrapper over lines:
// Num <= EndNum, within the input, and every physical line is in some
// logical line once Flush has run.
func fuzzCoverage(t *testing.T, u Unwrapper, data []byte, cutEvery int) {
	lines := bytes.Split(data, []byte("\n"))
	covered := make([]bool, len(lines)+1)
	emit := func(l Logical) {
		if l.Num < 1 || l.Num > l.EndNum || l.EndNum > int64(len(lines)) {
			t.Fatalf("logical line %d-%d of %d lines", l.Num, l.EndNum, len(lines))
		}
		if l.Err == "" && len(l.Text) > DefaultMaxLineBytes {
			t.Fatalf("logical line of %d bytes", len(l.Text))
		}
		for n := l.Num; n <= l.EndNum; n++ {
			covered[n] = true
		}
	}
	for i, b := range lines {
		u.Unwrap(Line{Num: int64(i + 1), Bytes: b, Cut: cutEvery > 0 && i%cutEvery == cutEvery-1}, emit)
	}
	u.Flush(emit)
	for n := 1; n <= len(lines); n++ {
		if !covered[n] {
			t.Fatalf("line %d lost", n)
		}
	}
	u.Flush(func(l Logical) { t.Fatalf("second Flush emitted %+v", l) })
}

func FuzzDocker(f *testing.F) {
	f.Add([]byte(dockerize(springTrace, 20)), 0)
	f.Add([]byte("{\"log\":\"a\"}\n{\"log\":\"b\\n\",\"stream\":\"stderr\"}\nnot json\n{\"log\":\"\\ud800\"}"), 2)
	f.Add([]byte(`{"log":"x","stream":"other"}`), 1)
	f.Fuzz(func(t *testing.T, data []byte, cutEvery int) {
		fuzzCoverage(t, newDocker(t), data, cutEvery%5)
	})
}

func FuzzCRI(f *testing.F) {
	f.Add([]byte(criize(springTrace, 20)), 0)
	f.Add([]byte(t0+" stderr P a\n"+t1+" stdout F b\nplain\n"+t2+" stderr F:x c"), 3)
	f.Fuzz(func(t *testing.T, data []byte, cutEvery int) {
		fuzzCoverage(t, newCRI(t), data, cutEvery%5)
	})
}
