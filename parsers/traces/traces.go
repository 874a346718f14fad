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
