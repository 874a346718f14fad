// Package traces knows the stack traces of many languages: it finds where a
// trace starts and ends in text that has no record headers (a crash written to
// stderr), and it reads a trace's exception chain and frames.
//
// Languages: Java, Kotlin and Scala (reported as "java"), Python, Go,
// JavaScript/Node ("js"), Ruby (Rails included), PHP, .NET ("dotnet"), Dart
// (Flutter included) and Rust.
//
// The package works on []byte and does not allocate on the line-by-line
// paths (Detector.Feed, StrongStart); Analyze allocates its result.
//
// # Finding traces
//
// A trace starts at an exception line ("java.lang.X: msg", "TypeError: x",
// "System.X: msg", a bare "Error", a line ending in a type such as
// "java.lang.StackOverflowError", possibly after a log prefix), or at a
// language's own header: Python's "Traceback (most recent call last):", Go's
// "panic:", "fatal error:", "goroutine N [...]:" and net/http's "http: panic
// serving", Rust's "thread '...' panicked at", Dart's "Unhandled exception:"
// and Flutter's "EXCEPTION CAUGHT BY" box, PHP's "PHP Fatal error:" and
// "exception '...' with message", Ruby's "file:3:in 'f': msg (Type)" and
// Rails' " Type (msg):", the "file:line" Node prints above an uncaught error.
// Frames with no exception line above them ("	at a.B.c(B.java:1)", a Python
// "File" line, "#0 ...") start a trace too. A trace goes on while its lines
// have the shapes of its language; blank lines, and up to 20 message lines
// below a crash's exception line, are held until a later line shows whether
// they belong to it. Words like "Exception" or "panic" in
// prose start nothing: an exception type must end a word before ": " or the
// line, and frame lines must look like frames ("at least once" is not one).
//
// # Reading traces
//
// Analyze reports, per language:
//
//   - Exception: Java the first type in the text, with Caused by, Suppressed
//     and Wrapped by types as causes; Python the top-level exception of the
//     last traceback of a chain (the last raised), every other exception
//     line (earlier links, members of exception groups) a cause; .NET the
//     outer type, inner exceptions (" ---> ") causes; JavaScript the error
//     name ("TypeError"), Node's [cause] and AggregateError members causes;
//     Go "panic", or "runtime.Error" when the panic is a runtime error
//     ("runtime error: ...", "interface conversion: ...", nil map and
//     channel errors), "fatal error" for a fatal error, earlier panics of a
//     re-panic causes; Ruby the class in parentheses, later "file:N:in"
//     exception lines (Ruby 3's causes) causes; PHP the class of the last
//     "Next" exception (the outermost), or the kind of a PHP error ("Fatal
//     error"), earlier ones causes; Dart the type as Dart's errors print
//     themselves ("Bad state:" is StateError, "Instance of 'MyError'" is
//     MyError); Rust "panic".
//   - Frames: Module and Function as the language names them. Java: the
//     class (com.example.Foo) and method, without any module or class loader
//     prefix. Python: the module from the file path (the dotted path below
//     site-packages, dist-packages or lib/pythonX.Y, the dotted relative path
//     for a relative file, the base name of any other absolute path, whose
//     leading directories change with each deployment). Go: the package path
//     up to the first dot after the last slash and the rest
//     ("net/http.(*conn).serve" is net/http, (*conn).serve; "main.main.func1"
//     is main, main.func1; a builtin such as "panic" is module runtime);
//     "created by" lines are frames. .NET: the type and method, an async
//     state machine "<Method>d__2.MoveNext" read as Method. JavaScript: no
//     module, the function and the file without its query string. Ruby: the
//     class of a Ruby 3.4 label ("'Foo#bar'") or the gem of a Rails gem frame.
//     PHP: the class of "Class->method" or "Class::method"; "{main}" is not
//     a frame. Dart: the package ("package:shop", "dart:core") and the
//     function as printed. Rust: the path before the last "::", hash suffix
//     dropped. Arguments are never part of a function name.
//   - InApp: with InApp.Prefixes, a frame whose module, function or file
//     starts with a prefix. Without, heuristics mark as not in-app: Java
//     java., javax., jdk., sun., com.sun., kotlin(x)., scala., Spring,
//     Apache, Hibernate, Netty, Jetty, Mortbay and other common frameworks;
//     Python site-packages, dist-packages, lib/pythonX.Y and <frozen ...>;
//     JavaScript node_modules, node:, Node's own modules, <anonymous> and
//     native; Go the runtime, standard library packages, GOROOT paths and
//     the module cache (/pkg/mod/); Ruby gems, the standard library and gem
//     frames of Rails traces; PHP vendor/; .NET System., Microsoft. and
//     other common libraries; Dart dart: and package:flutter/; Rust std::,
//     core::, alloc::, the panic machinery, /rustc/ and ~/.cargo/registry.
//     Every other frame is in-app.
//
// The strings of a Trace share one copy of the analysed text: keep a field
// beyond the life of its event with strings.Clone.
package traces

// Frame is one stack frame.
type Frame struct {
	Module   string // package, class, module or crate: com.example.Foo, app.views, main
	Function string // function or method name, without arguments
	File     string
	Line     int  // 0 when unknown
	InApp    bool // the application's own code, not a library or the runtime
}

// Trace is what Analyze read from a stack trace.
type Trace struct {
	Language string
	// Exception is the outermost exception type: for Java the first in the
	// text, for Python the last raised. For a Go panic it is "panic" (or
	// the runtime error type the panic names), for a Go fatal error
	// "fatal error".
	Exception string
	// Message is the message of Exception, on one line.
	Message string
	// Causes are the other exception types of the chain, in text order.
	Causes []string
	// Frames are the frames of the whole text in text order.
	Frames []Frame
	// Primary is the number of leading Frames that belong to the thread
	// that failed. It is less than len(Frames) only for a Go crash, whose
	// frames go on with the other goroutines' stacks (which vary from one
	// crash to the next and should not decide how crashes are grouped).
	Primary int
}

// Types returns the exception and its causes.
func (t *Trace) Types() []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, 1+len(t.Causes))
	if t.Exception != "" {
		out = append(out, t.Exception)
	}
	return append(out, t.Causes...)
}

// InApp decides which frames are the application's own code.
type InApp struct {
	// Prefixes of module, function or file names that are the app's own
	// code (a source's in_app setting). When empty, built-in heuristics for
	// each language decide (library paths such as site-packages,
	// node_modules, gems, /usr/local/go/src and well-known runtime
	// namespaces such as java., kotlin., System., runtime. are not in-app).
	Prefixes []string
}

// Options tune Analyze.
type Options struct {
	// Language, when known from framing, skips detection.
	Language string
	InApp    InApp
}

// Verdict is a Detector's decision about one line.
type Verdict uint8

const (
	// New: the line begins a new record. It may itself start a trace.
	New Verdict = iota
	// Continue: the line continues the trace of the current record, and so
	// do any lines held before it.
	Continue
	// Hold: the line may continue the current trace (a blank line between
	// goroutines or between chained Python tracebacks); the next line
	// decides. If the next verdict is New, the held lines are records of
	// their own.
	Hold
)
