package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const javaLog = `2026-11-25 10:00:00.001  INFO 1 --- [           main] c.e.shop.ShopApplication                 : Started ShopApplication in 2.3 seconds
2026-11-25 10:00:01.002 ERROR 1 --- [nio-8080-exec-1] c.e.shop.web.OrderController             : Order 17 failed
java.lang.IllegalStateException: Order 17 has no lines
	at com.example.shop.web.OrderController.create(OrderController.java:42)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
2026-11-25 10:00:02.003  INFO 1 --- [nio-8080-exec-2] c.e.shop.web.OrderController             : Order 18 created
`

func TestCLIUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, 2, "usage:"},
		{"unknown command", []string{"frobnicate"}, 2, `error: unknown command "frobnicate"`},
		{"scan without files", []string{"scan"}, 2, "error: scan needs at least one FILE"},
		{"scan bad flag", []string{"scan", "--nope", "x.log"}, 2, "flag provided but not defined: -nope"},
		{"scan unknown format", []string{"scan", "--format", "klingon", "x.log"}, 2, `unknown format "klingon"`},
		{"scan missing config", []string{"scan", "-c", "/nonexistent/tattle.toml", "x.log"}, 2, "/nonexistent/tattle.toml"},
		{"check missing config", []string{"check", "-c", "/nonexistent/tattle.toml"}, 2, "/nonexistent/tattle.toml"},
		{"check extra args", []string{"check", "extra"}, 2, "check takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderr)
			}
		})
	}
}

func TestCLIScanTableAndJSON(t *testing.T) {
	dir := t.TempDir()
	log := writeFile(t, dir, "app.log", javaLog)
	code, out, stderr := runCLI(t, "", "scan", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "app.log: format logback") {
		t.Errorf("detected format not reported: %q", stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "CODE") {
		t.Fatalf("table:\n%s", out)
	}
	row := strings.Fields(lines[1])
	if !strings.HasPrefix(row[0], "ISE-") || row[1] != "1" || row[2] != log+":2" || row[3] != log+":2" {
		t.Errorf("row %q", lines[1])
	}
	if !strings.Contains(lines[1], "IllegalStateException") {
		t.Errorf("title missing exception: %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "6 lines, ") || !strings.Contains(lines[2], "1 events, 1 groups") {
		t.Errorf("summary %q", lines[2])
	}

	// flags after the file work too
	code, out, _ = runCLI(t, "", "scan", log, "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &ev); err != nil {
		t.Fatalf("not one JSON line: %v\n%s", err, out)
	}
	want := map[string]any{"line": 2.0, "end_line": 5.0, "level": "ERROR", "language": "java",
		"exception": "java.lang.IllegalStateException", "frames": 2.0, "file": log}
	for k, v := range want {
		if ev[k] != v {
			t.Errorf("%s = %v, want %v", k, ev[k], v)
		}
	}
	if ev["stack"] != strings.Join(strings.Split(javaLog, "\n")[1:5], "\n") {
		t.Errorf("stack = %q", ev["stack"])
	}
}

func TestCLIScanStdinAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	log := writeFile(t, dir, "a.log", javaLog)
	code, out, stderr := runCLI(t, javaLog, "scan", "-", log, filepath.Join(dir, "missing.log"))
	if code != 1 {
		t.Fatalf("exit %d, want 1 for a missing file; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "missing.log: no such file or directory") {
		t.Errorf("stderr %q", stderr)
	}
	// both readable inputs were scanned: one group, two events
	if !strings.Contains(out, "2 events, 1 groups") || !strings.Contains(out, "<stdin>:2") || !strings.Contains(out, log+":2") {
		t.Errorf("out:\n%s", out)
	}
}

func TestCLICheck(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.toml", `
[[source]]
name = "api"
paths = ["/var/log/api/*.log"]

[[rule]]
code = "DB-CONN"
title = "Database connection lost"
exception = 'SQLException|CannotGetJdbcConnection'
`)
	code, out, stderr := runCLI(t, "", "check", "-c", good)
	if code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("exit %d out %q err %q", code, out, stderr)
	}
	bad := writeFile(t, dir, "bad.toml", "[[rule]]\ncode = \"X\"\nmesage = 'typo'\n")
	code, _, stderr = runCLI(t, "", "check", "-c", bad)
	if code != 2 || !strings.Contains(stderr, "bad.toml:3") || !strings.Contains(stderr, "mesage") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}
