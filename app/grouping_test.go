package app

import (
	"fmt"
	"strings"
	"testing"
)

// Grouping through the whole scan: events that differ only in ids, numbers
// and line numbers share a fingerprint and code; a different exception
// type or a different failing in-app function does not.
func TestScanGrouping(t *testing.T) {
	java := func(i int, exc, fn string) string {
		return fmt.Sprintf(`2026-11-25 10:00:%02d.000 ERROR 1 --- [nio-8080-exec-%d] c.e.shop.web.OrderController : Order %d failed for user %d
%s: Order %d not found (request 5f0c2a7e-3b1d-4c2a-9d8e-%012d)
	at com.example.shop.service.OrderService.%s(OrderService.java:%d)
	at com.example.shop.web.OrderController.show(OrderController.java:%d)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)`,
			i%60, i%10, 1000+i, 7*i, exc, 1000+i, i, fn, 40+i%7, 80+i%5)
	}
	python := func(i int, exc, fn string) string {
		return fmt.Sprintf(`2026-11-25 10:01:%02d,000 ERROR [shop.views] Checkout %d failed
Traceback (most recent call last):
  File "/srv/shop/views.py", line %d, in checkout
    total = %s(cart)
  File "/srv/shop/pricing.py", line %d, in %s
    raise %s(f"cart {cart.id} at 10.0.%d.%d")
%s: cart %d at 10.0.%d.%d`, i%60, 500+i, 20+i%9, fn, 30+i%4, fn, exc, i%200, i%7, exc, 900+i, i%200, i%7)
	}
	plainMsg := func(i int) string {
		return fmt.Sprintf("2026-11-25 10:02:%02d.000 ERROR 1 --- [main] c.e.shop.jobs.Sync : Sync of batch %d failed after %dms (id 0x%x)", i%60, i, 100+i, 4096+i)
	}
	cases := []struct {
		name   string
		a, b   []string // each list must be one group; a and b different groups
		format string
	}{
		{"java ids and line numbers", []string{java(1, "java.lang.IllegalStateException", "load"), java(2, "java.lang.IllegalStateException", "load"), java(37, "java.lang.IllegalStateException", "load")},
			[]string{java(3, "java.lang.IllegalArgumentException", "load")}, "logback"},
		{"java other in-app function", []string{java(4, "java.lang.IllegalStateException", "load"), java(5, "java.lang.IllegalStateException", "load")},
			[]string{java(6, "java.lang.IllegalStateException", "save"), java(9, "java.lang.IllegalStateException", "save")}, "logback"},
		{"python ids, ips and lines", []string{python(1, "ValueError", "compute_total"), python(2, "ValueError", "compute_total"), python(40, "ValueError", "compute_total")},
			[]string{python(3, "KeyError", "compute_total")}, "python"},
		{"python other function", []string{python(4, "ValueError", "compute_total")},
			[]string{python(5, "ValueError", "apply_discount")}, "python"},
		{"messages without trace", []string{plainMsg(1), plainMsg(2), plainMsg(99)}, nil, "logback"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var lb logBuilder
			for _, s := range tt.a {
				lb.add(s)
			}
			for _, s := range tt.b {
				lb.add(s)
			}
			evs := scanJSON(t, writeLog(t, &lb), tt.format)
			if len(evs) != len(tt.a)+len(tt.b) {
				t.Fatalf("%d events, want %d", len(evs), len(tt.a)+len(tt.b))
			}
			codeA := evs[0].Code
			for i, ev := range evs {
				inA := i < len(tt.a)
				if inA && (ev.Code != codeA || ev.Fingerprint != evs[0].Fingerprint) {
					t.Errorf("event %d: code %s fingerprint %s, want the group of event 0 (%s %s)", i, ev.Code, ev.Fingerprint, codeA, evs[0].Fingerprint)
				}
				if !inA && ev.Code == codeA {
					t.Errorf("event %d (%s in %s) shares code %s with a different error", i, ev.Exception, firstLine(ev.Stack), codeA)
				}
				if !inA && ev.Code != evs[len(tt.a)].Code {
					t.Errorf("event %d: code %s, want %s", i, ev.Code, evs[len(tt.a)].Code)
				}
			}
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
