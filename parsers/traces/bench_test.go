package traces

import (
	"fmt"
	"strings"
	"testing"
)

// ordinaryLines are typical lines of application and access logs that hold
// no trace.
var ordinaryLines = [][]byte{
	[]byte(`2024-05-01 12:00:00.123  INFO 4211 --- [nio-8080-exec-7] c.e.shop.OrderController  : processed order 12345 in 35 ms`),
	[]byte(`127.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /api/orders/12345 HTTP/1.1" 200 512 "-" "curl/8.5.0"`),
	[]byte(`May  1 12:00:00 web1 sshd[1234]: Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2`),
	[]byte(`{"level":"info","ts":1714564800.123,"caller":"api/server.go:88","msg":"request done","status":200,"dur_ms":12}`),
	[]byte(`INFO:werkzeug:127.0.0.1 - - [01/May/2024 12:00:00] "POST /login HTTP/1.1" 302 -`),
	[]byte(`I, [2024-05-01T12:00:00.123456 #4211]  INFO -- : Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 1.2ms)`),
	[]byte(`time="2024-05-01T12:00:00Z" level=warning msg="slow query" duration=1.2s table=orders`),
	[]byte(`[2024-05-01 12:00:00] production.INFO: User 42 logged in {"ip":"10.0.0.5"} []`),
}

func BenchmarkFeedOrdinary(b *testing.B) {
	var d Detector
	n := 0
	for _, l := range ordinaryLines {
		n += len(l)
	}
	b.SetBytes(int64(n / len(ordinaryLines)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d.Feed(ordinaryLines[i%len(ordinaryLines)])
	}
}

func javaTrace(frames int, cause bool) string {
	var b strings.Builder
	b.WriteString("java.lang.IllegalStateException: Failed to load order 42\n")
	for i := range frames {
		if cause && i == frames/2 {
			b.WriteString("Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n")
		}
		if i%3 == 0 {
			fmt.Fprintf(&b, "\tat com.example.shop.OrderService.load%d(OrderService.java:%d)\n", i, 10+i)
		} else {
			fmt.Fprintf(&b, "\tat org.springframework.web.servlet.FrameworkServlet.service%d(FrameworkServlet.java:%d)\n", i, 100+i)
		}
	}
	if cause {
		b.WriteString("\t... 12 common frames omitted\n")
	}
	return b.String()
}

func BenchmarkFeedJavaTrace(b *testing.B) {
	lines := strings.Split(strings.TrimRight(javaTrace(50, true), "\n"), "\n")
	bl := make([][]byte, len(lines))
	n := 0
	for i, l := range lines {
		bl[i] = []byte(l)
		n += len(l)
	}
	b.SetBytes(int64(n / len(bl)))
	b.ReportAllocs()
	var d Detector
	for i := 0; b.Loop(); i++ {
		d.Feed(bl[i%len(bl)])
	}
}

func BenchmarkAnalyzeJava50(b *testing.B) {
	text := []byte(javaTrace(50, true))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if t := Analyze(text, Options{}); t == nil || len(t.Frames) != 50 {
			b.Fatal("bad trace")
		}
	}
}
