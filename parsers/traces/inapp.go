package traces

import "strings"

// inApp decides whether f is the application's own code. With prefixes, a
// frame is in-app when its module, function or file starts with one of
// them. Without, the heuristics of f's language name the library and
// runtime code; anything else is in-app.
func inApp(lang string, f *Frame, prefixes []string) bool {
	if len(prefixes) > 0 {
		for _, p := range prefixes {
			if p == "" {
				continue
			}
			if strings.HasPrefix(f.Module, p) || strings.HasPrefix(f.Function, p) || strings.HasPrefix(f.File, p) {
				return true
			}
		}
		return false
	}
	switch lang {
	case langJava:
		return !javaLib(f.Module)
	case langJS:
		return jsInApp(f)
	case langDotnet:
		return !hasAnyPrefix(f.Module, dotnetLibs)
	case langPython:
		return pyInApp(f.File)
	case langGo:
		return goInApp(f)
	case langRuby:
		return rubyInApp(f)
	case langPHP:
		// "[internal function]" frames have no file; their function
		// is often the application's own closure.
		return !strings.Contains(f.File, "/vendor/") && !strings.HasPrefix(f.File, "vendor/")
	case langDart:
		return !strings.HasPrefix(f.File, "dart:") && !strings.HasPrefix(f.File, "package:flutter/") &&
			!strings.HasPrefix(f.File, "package:flutter_test/") && !strings.HasPrefix(f.File, "org-dartlang-sdk:")
	case langRust:
		return rustInApp(f)
	}
	return true
}

func hasAnyPrefix(s string, list []string) bool {
	for _, p := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// javaLib reports whether a class belongs to the JVM, its languages'
// runtimes, or the frameworks and servers a Java application runs in. It
// switches on the package's first two names rather than trying a list of
// prefixes, since it runs for every frame.
func javaLib(mod string) bool {
	first, rest, _ := strings.Cut(mod, ".")
	switch first {
	case "java", "javax", "jdk", "sun", "kotlin", "kotlinx", "scala", "groovy", "clojure",
		"jakarta", "reactor", "junit", "okhttp3", "retrofit2", "android", "androidx",
		"dalvik", "_COROUTINE":
		return true
	case "com", "org", "io", "net", "ch", "oracle":
	default:
		return false
	}
	second, rest, _ := strings.Cut(rest, ".")
	third, _, _ := strings.Cut(rest, ".")
	switch first {
	case "com":
		switch second {
		case "sun", "fasterxml", "zaxxer", "mysql", "android":
			return true
		case "google":
			return third == "common" || third == "inject"
		}
	case "org":
		switch second {
		case "springframework", "apache", "hibernate", "mortbay", "glassfish", "jboss", "slf4j",
			"aspectj", "junit", "testng", "mockito", "postgresql", "mariadb":
			return true
		case "eclipse":
			return third == "jetty"
		case "codehaus":
			return third == "groovy"
		}
	case "io":
		switch second {
		case "netty", "undertow", "reactivex", "grpc", "micrometer":
			return true
		}
	case "net":
		return second == "bytebuddy"
	case "ch":
		return second == "qos"
	case "oracle":
		return second == "jdbc"
	}
	return false
}

// dotnetLibs are the namespaces of the .NET runtime and common libraries.
var dotnetLibs = []string{
	"System.", "Microsoft.", "Mono.", "Newtonsoft.", "Npgsql.", "MySql.", "Serilog.",
	"NLog.", "Polly.", "Castle.", "Autofac.", "Grpc.", "Google.Protobuf.",
	"StackExchange.", "Dapper.", "NUnit.", "Xunit.",
}

// jsInApp: node_modules, Node's own modules ("node:internal/...",
// "internal/...", "events.js") and code with no file of its own
// ("<anonymous>", "native") are not the application's.
func jsInApp(f *Frame) bool {
	file := f.File
	switch {
	case file == "":
		return f.Function != ""
	case strings.Contains(file, "node_modules/"), strings.Contains(file, "node_modules\\"),
		strings.HasPrefix(file, "node:"), strings.HasPrefix(file, "internal/"),
		file == "native", file == "<anonymous>", strings.HasPrefix(file, "<"),
		file == "unknown location":
		return false
	}
	if strings.IndexByte(file, '/') < 0 && strings.IndexByte(file, '\\') < 0 {
		// Node before v16 named its own modules without a path.
		switch strings.TrimSuffix(file, ".js") {
		case "events", "net", "fs", "timers", "module", "util", "child_process", "http",
			"https", "stream", "zlib", "dns", "tls", "crypto", "buffer", "assert",
			"domain", "bootstrap_node", "readline", "cluster", "vm":
			return false
		}
		if strings.HasPrefix(file, "_") {
			return false // _stream_readable.js, _http_server.js
		}
	}
	return true
}

// pyInApp: installed packages, the standard library and frozen modules are
// not the application's.
func pyInApp(file string) bool {
	switch {
	case strings.HasPrefix(file, "<frozen "),
		strings.Contains(file, "site-packages"), strings.Contains(file, "dist-packages"),
		strings.Contains(file, "/third_party/"), strings.Contains(file, "\\Lib\\"):
		return false
	}
	return pyLibDir(file) < 0 && !strings.Contains(file, "/lib64/python")
}

// goInApp: the runtime and the standard library (by package or by a file
// under GOROOT) and the module cache are not the application's.
func goInApp(f *Frame) bool {
	if f.Module == "runtime" || strings.HasPrefix(f.Module, "runtime/") {
		return false
	}
	file := f.File
	switch {
	case strings.Contains(file, "/pkg/mod/"), strings.Contains(file, "/vendor/"),
		strings.HasPrefix(file, "/usr/local/go/"), strings.HasPrefix(file, "/usr/lib/go"),
		strings.Contains(file, "/goroot/"):
		return false
	}
	// GOROOT/src/net/http/... (GOPATH/src/github.com/... has a dot).
	if i := strings.Index(file, "go/src/"); i >= 0 && (i == 0 || file[i-1] == '/') {
		rest := file[i+len("go/src/"):]
		if j := strings.IndexByte(rest, '/'); j > 0 && strings.IndexByte(rest[:j], '.') < 0 {
			return false
		}
	}
	return !goStdlib(f.Module)
}

// rubyInApp: gems (installed, or named in a Rails trace: a frame whose
// module is a lower-case gem name rather than a class), the standard
// library and Ruby's internals are not the application's.
func rubyInApp(f *Frame) bool {
	file := f.File
	switch {
	case f.Module != "" && isLower(f.Module[0]):
		return false
	case strings.Contains(file, "/gems/"), strings.Contains(file, "/rubygems/"),
		strings.Contains(file, "/lib/ruby/"), strings.HasPrefix(file, "<internal:"),
		strings.Contains(file, "/vendor/bundle/"), strings.HasPrefix(file, "vendor/"):
		return false
	}
	return true
}

// rustInApp: the standard library, the panic machinery, libc's entry
// points and crates from the registry are not the application's.
func rustInApp(f *Frame) bool {
	name := f.Module
	if name == "" {
		name = f.Function
	}
	for _, p := range []string{"std", "core", "alloc", "backtrace"} {
		if name == p || strings.HasPrefix(name, p+"::") {
			return false
		}
	}
	for _, p := range []string{"<std::", "<core::", "<alloc::", "rust_begin_unwind", "__rust_", "__libc_start", "_start"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	if f.Module == "" && f.Function == "main" {
		return false // the C entry point
	}
	file := f.File
	return !strings.HasPrefix(file, "/rustc/") && !strings.Contains(file, "/.cargo/registry/") &&
		!strings.Contains(file, "/.cargo/git/")
}
