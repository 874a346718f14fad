package traces

import "testing"

func BenchmarkZZJavaFrame(b *testing.B) {
	s := "com.example.shop.OrderService.load12(OrderService.java:22)"
	l := ln{[]byte(s), s}
	for b.Loop() {
		javaFrame(l)
	}
}

func BenchmarkZZLocate(b *testing.B) {
	text := []byte(javaTrace(50, true))
	for b.Loop() {
		locate(text)
	}
}

func BenchmarkZZInApp(b *testing.B) {
	f := Frame{Module: "org.springframework.web.servlet.FrameworkServlet"}
	for b.Loop() {
		inApp("java", &f, nil)
	}
}

func BenchmarkZZJavaParse(b *testing.B) {
	text := []byte(javaTrace(50, true))
	for b.Loop() {
		a := &analysis{it: newLines(text), t: &Trace{Language: "java"}}
		a.java()
	}
}
