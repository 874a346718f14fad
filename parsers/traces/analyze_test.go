package traces

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// want is what Analyze must find in a sample. Frames maps frame indexes to
// the exact frame expected there.
type want struct {
	lang, exc, msg string
	causes         []string
	frames         int
	primary        int // 0: all frames
	at             map[int]Frame
}

func check(t *testing.T, tr *Trace, w want) {
	t.Helper()
	if tr == nil {
		t.Fatal("no trace")
	}
	if tr.Language != w.lang {
		t.Errorf("language %q, want %q", tr.Language, w.lang)
	}
	if tr.Exception != w.exc {
		t.Errorf("exception %q, want %q", tr.Exception, w.exc)
	}
	if w.msg != "" && tr.Message != w.msg {
		t.Errorf("message %q, want %q", tr.Message, w.msg)
	}
	if !slices.Equal(tr.Causes, w.causes) {
		t.Errorf("causes %q, want %q", tr.Causes, w.causes)
	}
	if len(tr.Frames) != w.frames {
		t.Errorf("%d frames, want %d", len(tr.Frames), w.frames)
	}
	primary := w.primary
	if primary == 0 {
		primary = w.frames
	}
	if tr.Primary != primary {
		t.Errorf("primary %d, want %d", tr.Primary, primary)
	}
	for i, f := range w.at {
		if i >= len(tr.Frames) {
			t.Errorf("no frame %d", i)
			continue
		}
		if tr.Frames[i] != f {
			t.Errorf("frame %d:\n got %+v\nwant %+v", i, tr.Frames[i], f)
		}
	}
}

func TestAnalyzeCorpus(t *testing.T) {
	dart := func(exc string, frames int) want { return want{lang: "dart", exc: exc, frames: frames} }
	tests := map[string]want{
		"client_js_exc.txt": {lang: "js", exc: "Error", frames: 5, at: map[int]Frame{
			0: {Function: "bls", File: "<anonymous>", Line: 3},
			2: {Function: "a_function_name", InApp: true},
			3: {Function: "Object.InjectedScript._evaluateOn", File: "http://<anonymous>/file.js", Line: 875, InApp: true},
		}},
		"complex_java_exc.txt": {lang: "java", exc: "javax.servlet.ServletException", msg: "Something bad happened",
			causes: []string{"com.example.myproject.MyProjectServletException"}, frames: 26, at: map[int]Frame{
				0:  {Module: "com.example.myproject.OpenSessionInViewFilter", Function: "doFilter", File: "OpenSessionInViewFilter.java", Line: 60, InApp: true},
				1:  {Module: "org.mortbay.jetty.servlet.ServletHandler$CachedChain", Function: "doFilter", File: "ServletHandler.java", Line: 1157},
				20: {Module: "com.example.myproject.MyServlet", Function: "doPost", File: "MyServlet.java", Line: 169, InApp: true},
			}},
		"csharp_async_exc.txt": {lang: "dotnet", exc: "System.InvalidOperationException", msg: "This is an exception", frames: 10, at: map[int]Frame{
			1: {Module: "ExampleApp2.AsyncExceptionExample", Function: "ThirdLevelMethod", File: "c:/ExampleApp/ExampleApp/AsyncExceptionExample.cs", Line: 31, InApp: true},
			2: {Module: "System.Runtime.CompilerServices.TaskAwaiter", Function: "ThrowForNonSuccess"},
		}},
		"csharp_exc.txt": {lang: "dotnet", exc: "System.Collections.Generic.KeyNotFoundException",
			msg: "The given key was not present in the dictionary.", frames: 10, at: map[int]Frame{
				0: {Module: "System.Collections.Generic.Dictionary`2[System.String,System.Collections.Generic.Dictionary`2[System.Int32,System.Double]]", Function: "get_Item"},
				1: {Module: "File3.Consolidator_Class", Function: "Function5", File: "/usr/local/google/home/Csharp/another file.csharp", Line: 9, InApp: true},
				8: {Module: "Main.Welcome+<Main>c__AnonStorey0", Function: "<>m__0", File: "/usr/local/google/home/Csharp/hello.csharp", Line: 48, InApp: true},
			}},
		"csharp_nested_exc.txt": {lang: "dotnet", exc: "System.InvalidOperationException", msg: "This is the outer exception",
			causes: []string{"System.InvalidOperationException"}, frames: 6},
		"dart_abstract_class_err.txt":          dart("AbstractClassInstantiationError", 5),
		"dart_argument_err.txt":                dart("ArgumentError", 5),
		"dart_assertion_err.txt":               dart("AssertionError", 5),
		"dart_async_err.txt":                   dart("StateError", 4),
		"dart_concurrent_modification_err.txt": dart("ConcurrentModificationError", 5),
		"dart_divide_by_zero_err.txt":          dart("IntegerDivisionByZeroException", 5),
		"dart_err.txt":                         dart("MyError", 5),
		"dart_exc.txt": {lang: "dart", exc: "Exception", msg: "exception message", frames: 5, at: map[int]Frame{
			0: {Function: "main.<anonymous closure>", File: "file:///path/to/code/dartFile.dart", Line: 17, InApp: true},
			3: {Module: "dart:isolate-patch", Function: "_startIsolate.<anonymous closure>", File: "dart:isolate-patch/isolate_patch.dart", Line: 265},
		}},
		"dart_fallthrough_err.txt":      dart("FallThroughError", 5),
		"dart_format_err.txt":           dart("FormatException", 5),
		"dart_format_with_code_err.txt": dart("FormatException", 5),
		"dart_no_method_err.txt":        dart("NoSuchMethodError", 6),
		"dart_no_method_global_err.txt": dart("NoSuchMethodError", 6),
		"dart_oom_err.txt":              dart("OutOfMemoryError", 5),
		"dart_range_err.txt":            dart("RangeError", 6),
		"dart_read_static_err.txt":      dart("CyclicInitializationError", 5),
		"dart_stack_overflow_err.txt":   dart("StackOverflowError", 5),
		"dart_type_err.txt":             dart("TypeError", 6),
		"dart_unimplemented_error.txt":  dart("UnimplementedError", 5),
		"dart_unsupported_err.txt":      dart("UnsupportedError", 5),
		"go_exc.txt": {lang: "go", exc: "panic", msg: "my panic", frames: 21, primary: 4, at: map[int]Frame{
			0: {Module: "runtime", Function: "panic", File: "/usr/local/go/src/runtime/panic.go", Line: 542},
			1: {Module: "main", Function: "main.func1", File: "foo.go", Line: 6, InApp: true},
			3: {Module: "main", Function: "main", File: "foo.go", Line: 5, InApp: true},
		}},
		"go_http.txt": {lang: "go", exc: "panic", msg: "test panic", frames: 8, at: map[int]Frame{
			0: {Module: "net/http", Function: "(*conn).serve.func1", File: "/usr/local/go/src/net/http/server.go", Line: 1746},
			2: {Module: "main", Function: "doPanic", File: "/Users/ingvar/src/go/src/httppanic.go", Line: 8, InApp: true},
		}},
		"go_on_gae_exc.txt": {lang: "go", exc: "runtime.Error", msg: "runtime error: index out of range", frames: 8, at: map[int]Frame{
			0: {Module: "main88989", Function: "memoryAccessException", File: "crash_example_go.go", Line: 58, InApp: true},
			4: {Module: "appengine_internal", Function: "executeRequestSafely", File: "go/src/appengine_internal/api_prod.go", Line: 288},
			7: {Module: "reflect", Function: "Value.Call", File: "/tmp/ap"},
		}},
		"go_signal_exc.txt": {lang: "go", exc: "runtime.Error", msg: "runtime error: invalid memory address or nil pointer dereference", frames: 3},
		"java_exc.txt": {lang: "java", exc: "RuntimeException", msg: "Run from this message!", frames: 5, at: map[int]Frame{
			0: {Module: "com.my.app.Object", Function: "do$a1", File: "MakeLog.java", Line: 50, InApp: true},
			3: {Module: "sun.javax.API", Function: "method", File: "API.java", Line: 100},
		}},
		"java_exc_part1.txt": {lang: "java", exc: "RuntimeException", frames: 2},
		"java_exc_part2.txt": {lang: "java", exc: "", frames: 3},
		"nested_java_exc.txt": {lang: "java", exc: "java.lang.RuntimeException", msg: "javax.mail.SendFailedException: Invalid Addresses;",
			causes: []string{"javax.mail.SendFailedException", "com.sun.mail.smtp.SMTPAddressFailedException"}, frames: 15, at: map[int]Frame{
				9: {Module: "java.util.concurrent.ThreadPoolExecutor", Function: "runWorker", File: "ThreadPoolExecutor.java", Line: 1149},
			}},
		"node_js_exc.txt": {lang: "js", exc: "ReferenceError", msg: "myArray is not defined", frames: 10, at: map[int]Frame{
			1: {File: "/app/node_modules/express/lib/router/index.js", Line: 615},
			5: {Function: "Layer.handle", File: "/app/node_modules/express/lib/router/layer.js", Line: 95},
			9: {File: "/app/app.js", Line: 52, InApp: true},
		}},
		"php_exc.txt": {lang: "php", exc: "Exception", msg: "Custom exception", frames: 2, at: map[int]Frame{
			0: {Function: "func1", File: "/home/joe/work/test-php/test.php", Line: 9, InApp: true},
		}},
		"php_on_gae_exc.txt": {lang: "php", exc: "Exception", msg: "message", frames: 4, at: map[int]Frame{
			0: {Module: "ErrorEntryGenerator", Function: "{closure}", InApp: true},
			2: {Module: "ErrorEntry", Function: "__call", File: "/base/data/home/apps/s~crash-example-php/1.388306779641080894/index.php", Line: 36, InApp: true},
		}},
		"python_exc.txt": {lang: "python", exc: "Exception", msg: "('spam', 'eggs')", frames: 3, at: map[int]Frame{
			0: {Module: "webapp2", Function: "__call__", File: "/base/data/home/runtimes/python27/python27_lib/versions/third_party/webapp2-2.5.2/webapp2.py", Line: 1535},
			2: {Module: "nearfieldspy", Function: "get", File: "/base/data/home/apps/s~nearfieldspy/1.378705245900539993/nearfieldspy.py", Line: 5, InApp: true},
		}},
		"rails_exc.txt": {lang: "ruby", exc: "ActionController::RoutingError", msg: `No route matches [GET] "/settings"`, frames: 21, at: map[int]Frame{
			3: {Module: "railties", Function: "block in call", File: "lib/rails/rack/logger.rb", Line: 24},
		}},
		"ruby_exc.txt": {lang: "ruby", exc: "NoMethodError", msg: "undefined method `resursivewordload' for #<BooksController:0x007f8dd9a0c738>", frames: 10, at: map[int]Frame{
			0: {Function: "recursivewordload", File: "app/controllers/books_controller.rb", Line: 69, InApp: true},
		}},
		"v8_js_exc.txt": {lang: "js", exc: "", frames: 6, at: map[int]Frame{
			0: {Function: "Foo.a", File: "myscript.js", Line: 10, InApp: true},
			1: {Function: "Contructor.Name", File: "native"},
			3: {Function: "Type.functionName", File: "file(copy).js", Line: 12, InApp: true},
			5: {Function: "Type.main", File: "sample(copy).js", Line: 6, InApp: true},
		}},
	}
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tr := Analyze(data, Options{})
			w, ok := tests[name]
			if !ok {
				if name != "arbitrary_text.txt" {
					t.Fatalf("no expectation for %s", name)
				}
				if tr != nil {
					t.Errorf("trace in the negative sample: %+v", tr)
				}
				return
			}
			check(t, tr, w)
			// The language the framing saw gives the same answer.
			check(t, Analyze(data, Options{Language: w.lang}), w)
		})
	}
}

func TestAnalyzeTestdata(t *testing.T) {
	tests := map[string]want{
		"java_chain.txt": {lang: "java", exc: "java.lang.IllegalStateException", msg: "Failed to load order 42",
			causes: []string{"java.io.IOException", "org.springframework.dao.DataAccessResourceFailureException", "java.sql.SQLTransientConnectionException"},
			frames: 13, at: map[int]Frame{
				2:  {Module: "jdk.internal.reflect.NativeMethodAccessorImpl", Function: "invoke0"},
				4:  {Module: "org.springframework.web.method.support.InvocableHandlerMethod", Function: "doInvoke", File: "InvocableHandlerMethod.java", Line: 255},
				6:  {Module: "com.example.shop.db.PooledConnection", Function: "close", File: "PooledConnection.java", Line: 130, InApp: true},
				9:  {Module: "com.example.shop.OrderRepository$$SpringCGLIB$$0", Function: "findById", File: "<generated>", InApp: true},
				12: {Module: "com.zaxxer.hikari.pool.HikariPool", Function: "getConnection", File: "HikariPool.java", Line: 181},
			}},
		"java_multiline_message.txt": {lang: "java", exc: "org.springframework.jdbc.BadSqlGrammarException",
			msg: "StatementCallback; bad SQL grammar [select id, total", frames: 3},
		"kotlin_coroutine.txt": {lang: "java", exc: "java.lang.IllegalArgumentException", msg: "Invalid order id: -1", frames: 5, at: map[int]Frame{
			0: {Module: "com.example.orders.OrderService$load$2", Function: "invokeSuspend", File: "OrderService.kt", Line: 42, InApp: true},
			2: {Module: "kotlinx.coroutines.DispatchedTask", Function: "run", File: "DispatchedTask.kt", Line: 104},
		}},
		"scala_match.txt": {lang: "java", exc: "scala.MatchError", msg: "Refund(17) (of class com.example.billing.Refund)", frames: 6, at: map[int]Frame{
			1: {Module: "com.example.billing.Ledger$", Function: "$anonfun$postAll$1", File: "Ledger.scala", Line: 40, InApp: true},
			2: {Module: "scala.collection.immutable.List", Function: "foreach", File: "List.scala", Line: 333},
			5: {Module: "com.example.billing.Main", Function: "main", File: "Main.scala", InApp: true},
		}},
		"python_chained.txt": {lang: "python", exc: "shop.orders.errors.OrderUnavailable", msg: "order 42 is unavailable",
			causes: []string{"KeyError", "psycopg2.OperationalError"}, frames: 6, at: map[int]Frame{
				0: {Module: "views", Function: "show", File: "/srv/shop/shop/orders/views.py", Line: 41, InApp: true},
				3: {Module: "psycopg2.extras", Function: "fetch_one", File: "/usr/lib/python3.11/site-packages/psycopg2/extras.py", Line: 236},
				4: {Module: "django.core.handlers.exception", Function: "inner", File: "/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py", Line: 55},
			}},
		"python_group.txt": {lang: "python", exc: "ExceptionGroup", msg: "unhandled errors in a TaskGroup (2 sub-exceptions)",
			causes: []string{"ConnectionError", "ValueError"}, frames: 4, at: map[int]Frame{
				1: {Module: "asyncio.runners", Function: "run", File: "/usr/lib/python3.12/asyncio/runners.py", Line: 194},
				3: {Module: "sync", Function: "fetch", File: "/app/sync.py", Line: 12, InApp: true},
			}},
		"python_syntax.txt": {lang: "python", exc: "SyntaxError", msg: "'(' was never closed", frames: 3, at: map[int]Frame{
			0: {Module: "runpy", Function: "_run_module_as_main", File: "<frozen runpy>", Line: 198},
			2: {Module: "settings", File: "/opt/tool/settings.py", Line: 7, InApp: true},
		}},
		"go_recovered.txt": {lang: "go", exc: "runtime.Error", msg: "runtime error: index out of range [3] with length 3",
			causes: []string{"runtime.Error"}, frames: 7, at: map[int]Frame{
				2: {Module: "runtime", Function: "panic", File: "/usr/local/go/src/runtime/panic.go", Line: 770},
				3: {Module: "github.com/acme/shop/internal/cart", Function: "(*Cart).Item", File: "/home/ci/shop/internal/cart/cart.go", Line: 57, InApp: true},
				6: {Module: "testing", Function: "(*T).Run", File: "/usr/local/go/src/testing/testing.go", Line: 1742},
			}},
		"go_fatal.txt": {lang: "go", exc: "fatal error", msg: "concurrent map writes", frames: 7, primary: 5, at: map[int]Frame{
			1: {Module: "github.com/acme/shop/internal/api", Function: "(*Server).handleOrder", File: "/src/internal/api/orders.go", Line: 88, InApp: true},
			3: {Module: "github.com/go-chi/chi/v5", Function: "(*Mux).routeHTTP", File: "/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go", Line: 459},
			5: {Module: "internal/poll", Function: "runtime_pollWait", File: "/usr/local/go/src/runtime/netpoll.go", Line: 345},
		}},
		"node_uncaught.txt": {lang: "js", exc: "Error", msg: "ENOENT: no such file or directory, open '/srv/shop/config/local.json'", frames: 6, at: map[int]Frame{
			0: {Function: "Object.openSync", File: "node:fs", Line: 596},
			2: {Function: "loadConfig", File: "/srv/shop/src/config.js", Line: 14, InApp: true},
			5: {File: "node:internal/main/run_main_module", Line: 23},
		}},
		"node_cause.txt": {lang: "js", exc: "Error", msg: "could not place order 42", causes: []string{"TypeError"}, frames: 8, at: map[int]Frame{
			1: {Function: "handle", File: "/srv/shop/src/routes/orders.js", Line: 12, InApp: true},
			4: {Function: "Array.reduce", File: "<anonymous>"},
		}},
		"node_aggregate.txt": {lang: "js", exc: "AggregateError", msg: "All promises were rejected", causes: []string{"Error", "FetchError"}, frames: 5, at: map[int]Frame{
			3: {Function: "TCPConnectWrap.afterConnect", File: "node:net", Line: 1555},
			4: {Function: "ClientRequest.<anonymous>", File: "/srv/dl/node_modules/node-fetch/lib/index.js", Line: 1501},
		}},
		"node_code.txt": {lang: "js", exc: "Error", msg: "[ERR_HTTP_HEADERS_SENT] Cannot set headers after they are sent to the client", frames: 4, at: map[int]Frame{
			0: {Function: "NodeError", File: "node:internal/errors", Line: 405},
			3: {Function: "sendError", File: "/srv/api/src/errors.js", Line: 22, InApp: true},
		}},
		"browser_uncaught.txt": {lang: "js", exc: "TypeError", msg: "Cannot read properties of undefined (reading 'id')", frames: 5, at: map[int]Frame{
			0: {Function: "renderUser", File: "https://shop.example.com/static/js/main.3f2a1b9c.js", Line: 2, InApp: true},
			3: {Function: "Promise", File: "<anonymous>"},
			4: {File: "https://shop.example.com/static/js/vendor.js", Line: 1, InApp: true},
		}},
		"ruby_plain.txt": {lang: "ruby", exc: "ZeroDivisionError", msg: "divided by 0", frames: 6, at: map[int]Frame{
			0: {Module: "Integer", Function: "/", File: "/srv/shop/lib/pricing.rb", Line: 12, InApp: true},
			1: {Module: "Pricing", Function: "unit_price", File: "/srv/shop/lib/pricing.rb", Line: 12, InApp: true},
			2: {Module: "Checkout", Function: "block in total", File: "/srv/shop/lib/checkout.rb", Line: 30, InApp: true},
			3: {Module: "Benchmark", Function: "realtime", File: "/usr/lib/ruby/3.4.0/benchmark.rb", Line: 323},
			5: {Function: "<main>", File: "bin/checkout", Line: 5, InApp: true},
		}},
		"ruby_cause.txt": {lang: "ruby", exc: "Payments::ChargeError", msg: "payment failed for order 42",
			causes: []string{"Faraday::ConnectionFailed"}, frames: 7, at: map[int]Frame{
				0: {Function: "rescue in charge", File: "/srv/shop/lib/payments.rb", Line: 18, InApp: true},
				4: {Function: "call", File: "/srv/shop/vendor/bundle/ruby/3.2.0/gems/faraday-2.9.0/lib/faraday/adapter/net_http.rb", Line: 57},
			}},
		"rails7.txt": {lang: "ruby", exc: "NoMethodError", msg: "undefined method 'name' for nil", frames: 3, at: map[int]Frame{
			1: {Module: "OrdersController", Function: "show", File: "app/controllers/orders_controller.rb", Line: 14, InApp: true},
			2: {Module: "actionpack", Function: "send_action", File: "lib/action_controller/metal/basic_implicit_render.rb", Line: 6},
		}},
		"php_next.txt": {lang: "php", exc: `App\RepositoryException`, msg: "Could not load order 42", causes: []string{"PDOException"}, frames: 4, at: map[int]Frame{
			0: {Module: "PDO", Function: "__construct", File: "/var/www/shop/src/Db.php", Line: 21, InApp: true},
			2: {Module: `App\OrderRepository`, Function: "find", File: "/var/www/shop/vendor/slim/slim/Slim/Handlers/Strategies/RequestResponse.php", Line: 38},
		}},
		"php_error.txt": {lang: "php", exc: "TypeError", frames: 3,
			msg: `App\Cart::add(): Argument #1 ($item) must be of type App\Item, null given, called in /var/www/shop/src/Checkout.php on line 33 and defined`,
			at: map[int]Frame{
				1: {Module: `App\Checkout`, Function: "{closure}", InApp: true},
				2: {Function: "array_map", File: "/var/www/shop/src/Checkout.php", Line: 40, InApp: true},
			}},
		"php_xdebug.txt": {lang: "php", exc: "InvalidArgumentException", msg: `Unknown currency "XYZ"`, frames: 3, at: map[int]Frame{
			0: {Function: "{main}", File: "/var/www/shop/public/index.php", InApp: true},
			1: {Module: `App\Checkout`, Function: "total", File: "/var/www/shop/public/index.php", Line: 12, InApp: true},
			2: {Module: `App\Money`, Function: "of", File: "/var/www/shop/src/Checkout.php", Line: 44, InApp: true},
		}},
		"dotnet_unhandled.txt": {lang: "dotnet", exc: "System.InvalidOperationException", msg: "Order 42 could not be saved",
			causes: []string{"Microsoft.Data.SqlClient.SqlException"}, frames: 6, at: map[int]Frame{
				0: {Module: "Microsoft.Data.SqlClient.SqlConnection", Function: "OnError"},
				3: {Module: "Shop.Orders.OrderService", Function: "PlaceAllAsync", File: "/src/Shop/Orders/OrderService.cs", Line: 41, InApp: true},
				4: {Module: "Shop.Program", Function: "<Main>$", File: "/src/Shop/Program.cs", Line: 12, InApp: true},
			}},
		"flutter_box.txt": {lang: "dart", exc: "TypeError", msg: "type 'Null' is not a subtype of type 'String'", frames: 3, at: map[int]Frame{
			0: {Module: "package:shop", Function: "OrderTile.build", File: "package:shop/orders/order_tile.dart", Line: 22, InApp: true},
			1: {Module: "package:flutter", Function: "StatelessElement.build", File: "package:flutter/src/widgets/framework.dart", Line: 5550},
		}},
		"dart_async_gap.txt": {lang: "dart", exc: "SocketException", frames: 4,
			msg: "Connection refused (OS Error: Connection refused, errno = 111), address = api.example.com, port = 41234", at: map[int]Frame{
				0: {Module: "dart:io-patch", Function: "_NativeSocket.startConnect", File: "dart:io-patch/socket_patch.dart", Line: 725},
				3: {Function: "main", File: "file:///app/bin/shop.dart", Line: 9, InApp: true},
			}},
		"rust_backtrace.txt": {lang: "rust", exc: "panic", msg: "called `Option::unwrap()` on a `None` value", frames: 7, at: map[int]Frame{
			0: {Function: "rust_begin_unwind", File: "/rustc/82e1608dfa6e0b5569232559e3d385fea5a93112/library/std/src/panicking.rs", Line: 645},
			4: {Module: "shop::orders::Order", Function: "total", File: "./src/orders.rs", Line: 42, InApp: true},
			6: {Module: "core::ops::function::FnOnce", Function: "call_once", File: "/rustc/82e1608dfa6e0b5569232559e3d385fea5a93112/library/core/src/ops/function.rs", Line: 250},
		}},
		"rust_old.txt": {lang: "rust", exc: "panic", msg: "index out of bounds: the len is 3 but the index is 7", frames: 0},
		"node_rejection.txt": {lang: "js", exc: "UnhandledPromiseRejection", frames: 0,
			msg: `This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "timeout".`},
		"ruby_reversed.txt": {lang: "ruby", exc: "NoMethodError", msg: "undefined method `each' for nil:NilClass", frames: 3, at: map[int]Frame{
			0: {Function: "<main>", File: "bin/report", Line: 7, InApp: true},
			1: {Function: "build", File: "/srv/shop/lib/report.rb", Line: 12, InApp: true},
			2: {Function: "rows", File: "/srv/shop/lib/report.rb", Line: 20, InApp: true},
		}},
	}
	for _, path := range testdataFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			w, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			check(t, Analyze(data, Options{}), w)
		})
	}
}

// A record's body may start with the log message that reported the trace.
func TestAnalyzeBody(t *testing.T) {
	tests := []struct {
		name, text string
		want       want
	}{
		{"message line above a java trace",
			"Request failed\njava.lang.IllegalStateException: boom\n\tat com.example.Foo.bar(Foo.java:10)\n\tat java.lang.Thread.run(Thread.java:750)",
			want{lang: "java", exc: "java.lang.IllegalStateException", msg: "boom", frames: 2, at: map[int]Frame{
				0: {Module: "com.example.Foo", Function: "bar", File: "Foo.java", Line: 10, InApp: true},
			}}},
		{"message line naming another error",
			"Request failed: Error: upstream\njava.lang.IllegalStateException: boom\n\tat com.example.Foo.bar(Foo.java:10)",
			want{lang: "java", exc: "java.lang.IllegalStateException", msg: "boom", frames: 1}},
		{"syslog prefix",
			"Dec 14 06:41:08 Exception in thread \"main\" java.lang.RuntimeException: Something has gone wrong, aborting!\n" +
				"    at com.myproject.module.MyProject.badMethod(MyProject.java:22)\n" +
				"    at com.myproject.module.MyProject.main(MyProject.java:6)",
			want{lang: "java", exc: "java.lang.RuntimeException", msg: "Something has gone wrong, aborting!", frames: 2}},
		{"python under a log message",
			"Unhandled error in /orders\nTraceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n    g()\nValueError: bad value",
			want{lang: "python", exc: "ValueError", msg: "bad value", frames: 1, at: map[int]Frame{
				0: {Module: "x", Function: "f", File: "/app/x.py", Line: 3, InApp: true},
			}}},
		{"lines after the trace are ignored",
			"java.lang.IllegalStateException: boom\n\tat com.example.Foo.bar(Foo.java:10)\nINFO later\nWARN Error: unrelated",
			want{lang: "java", exc: "java.lang.IllegalStateException", msg: "boom", frames: 1}},
		{"go panic without frames", "panic: boom", want{lang: "go", exc: "panic", msg: "boom"}},
		{"java uncaught without frames", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
			want{lang: "java", exc: "java.lang.OutOfMemoryError", msg: "Java heap space"}},
		{"bare traceback header", "Traceback (most recent call last):", want{lang: "python"}},
		{"dotnet uncaught without frames", "Unhandled exception. System.InvalidOperationException: no",
			want{lang: "dotnet", exc: "System.InvalidOperationException", msg: "no"}},
		{"php uncaught without frames", "PHP Fatal error:  Uncaught Exception: boom in /app/x.php:3",
			want{lang: "php", exc: "Exception", msg: "boom"}},
		{"php error", "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /app/x.php on line 7\nStack trace:\n#0 /app/y.php(3): load()\n#1 {main}",
			want{lang: "php", exc: "Fatal error", msg: "Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)", frames: 1}},
		{"java caused-by chain without frames",
			"com.example.JobFailed: nightly export\nCaused by: java.io.IOException: disk full",
			want{lang: "java", exc: "com.example.JobFailed", msg: "nightly export", causes: []string{"java.io.IOException"}}},
		{"crlf", "java.lang.IllegalStateException: boom\r\n\tat com.example.Foo.bar(Foo.java:10)\r\n",
			want{lang: "java", exc: "java.lang.IllegalStateException", msg: "boom", frames: 1, at: map[int]Frame{
				0: {Module: "com.example.Foo", Function: "bar", File: "Foo.java", Line: 10, InApp: true},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, Analyze([]byte(tt.text), Options{}), tt.want)
		})
	}
}

// Text that holds no trace gives nil.
func TestAnalyzeNone(t *testing.T) {
	for _, text := range []string{
		"", "\n\n", "Exception: foo", "ERROR something failed", "WARN error count: 0", "at least once",
		"INFO Retrying after Exception in handler", "Error", "plain\nlines\nonly",
		"Errors happen\n  at times they do", "\xff\xfe\x00",
	} {
		if tr := Analyze([]byte(text), Options{}); tr != nil {
			t.Errorf("Analyze(%q) = %+v, want nil", text, tr)
		}
	}
}

// Options.Language chooses the reader; an unknown name is ignored.
func TestAnalyzeLanguageOption(t *testing.T) {
	text := []byte("Error: boom\n    at handler (/app/x.js:1:2)")
	if tr := Analyze(text, Options{Language: "cobol"}); tr == nil || tr.Language != "js" {
		t.Errorf("unknown language: %+v", tr)
	}
	tr := Analyze([]byte("Error: boom\n    at a_function_name\n    at other_function"), Options{Language: "java"})
	check(t, tr, want{lang: "java", exc: "Error", msg: "boom", frames: 2, at: map[int]Frame{
		0: {Function: "a_function_name", InApp: true},
	}})
}

// in_app prefixes match a frame's module, function or file.
func TestAnalyzeInAppPrefixes(t *testing.T) {
	inApp := func(file string, prefixes ...string) []int {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for i, f := range Analyze(data, Options{InApp: InApp{Prefixes: prefixes}}).Frames {
			if f.InApp {
				out = append(out, i)
			}
		}
		return out
	}
	tests := []struct {
		file     string
		prefixes []string
		want     []int
	}{
		{"java_chain.txt", []string{"com.example.shop.db."}, []int{6}},
		{"java_chain.txt", []string{"", "com.zaxxer."}, []int{11, 12}},
		{"python_chained.txt", []string{"/srv/shop/"}, []int{0, 1, 2, 5}},
		{"go_fatal.txt", []string{"github.com/acme/"}, []int{0, 1}},
		{"node_cause.txt", []string{"total"}, []int{3}},
		{"kotlin_coroutine.txt", []string{"nothing.matches."}, nil},
	}
	for _, tt := range tests {
		if got := inApp(tt.file, tt.prefixes...); !slices.Equal(got, tt.want) {
			t.Errorf("%s %q: in-app frames %v, want %v", tt.file, tt.prefixes, got, tt.want)
		}
	}
}

func TestInAppHeuristics(t *testing.T) {
	tests := []struct {
		lang string
		f    Frame
		want bool
	}{
		{"java", Frame{Module: "com.example.Foo"}, true},
		{"java", Frame{Module: "org.hibernate.Session"}, false},
		{"java", Frame{Module: "io.netty.channel.Foo"}, false},
		{"java", Frame{Module: "com.google.common.base.Preconditions"}, false},
		{"java", Frame{Module: "com.google.shop.Checkout"}, true},
		{"java", Frame{Module: "org.eclipse.jetty.server.Server"}, false},
		{"java", Frame{Module: "org.codehaus.groovy.runtime.InvokerHelper"}, false},
		{"java", Frame{Module: "ch.qos.logback.core.AppenderBase"}, false},
		{"java", Frame{Module: "kotlinx.coroutines.DispatchedTask"}, false},
		{"java", Frame{Module: "Main"}, true},
		{"python", Frame{File: "/usr/lib/python3/dist-packages/requests/api.py"}, false},
		{"python", Frame{File: "/usr/lib/python3.12/json/decoder.py"}, false},
		{"python", Frame{File: "/app/lib/python_utils.py"}, true},
		{"python", Frame{File: "<frozen importlib._bootstrap>"}, false},
		{"js", Frame{File: "node:internal/process/task_queues"}, false},
		{"js", Frame{File: "internal/modules/cjs/loader.js"}, false},
		{"js", Frame{File: "events.js"}, false},
		{"js", Frame{File: "/app/events.js"}, true},
		{"js", Frame{File: "<anonymous>"}, false},
		{"go", Frame{Module: "sync", File: "/opt/go/src/sync/once.go"}, false},
		{"go", Frame{Module: "github.com/lib/pq", File: "/root/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go"}, false},
		{"go", Frame{Module: "github.com/acme/app/vendor/x", File: "/src/vendor/x/x.go"}, false},
		{"go", Frame{Module: "main", File: "/home/u/go/src/github.com/acme/app/main.go"}, true},
		{"ruby", Frame{File: "/usr/local/bundle/gems/rack-3.0.8/lib/rack/builder.rb"}, false},
		{"ruby", Frame{File: "<internal:kernel>"}, false},
		{"ruby", Frame{File: "app/models/order.rb"}, true},
		{"php", Frame{File: "/var/www/vendor/laravel/framework/src/x.php"}, false},
		{"php", Frame{File: "/var/www/app/Http/x.php"}, true},
		{"dotnet", Frame{Module: "Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor"}, false},
		{"dotnet", Frame{Module: "Shop.Orders"}, true},
		{"dart", Frame{File: "dart:async/zone.dart"}, false},
		{"dart", Frame{File: "package:flutter/src/widgets/framework.dart"}, false},
		{"dart", Frame{File: "package:shop/main.dart"}, true},
		{"rust", Frame{Module: "std::rt", Function: "lang_start"}, false},
		{"rust", Frame{Module: "<alloc::boxed::Box<F,A> as core::ops::function::Fn<Args>>", Function: "call"}, false},
		{"rust", Frame{Module: "tokio::runtime", Function: "block_on", File: "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.36.0/src/runtime/mod.rs"}, false},
		{"rust", Frame{Function: "main"}, false},
		{"rust", Frame{Module: "shop", Function: "main", File: "./src/main.rs"}, true},
	}
	for _, tt := range tests {
		f := tt.f
		if got := inApp(tt.lang, &f, nil); got != tt.want {
			t.Errorf("%s %+v: in-app %v, want %v", tt.lang, tt.f, got, tt.want)
		}
	}
}

func TestPyModule(t *testing.T) {
	tests := map[string]string{
		"/usr/lib/python3.11/site-packages/django/core/handlers/base.py": "django.core.handlers.base",
		"/usr/lib/python3/dist-packages/requests/__init__.py":            "requests",
		"/usr/lib/python3.12/json/decoder.py":                            "json.decoder",
		"/srv/app/releases/20240501/shop/views.py":                       "views",
		"shop/orders/views.py":                                           "shop.orders.views",
		"./manage.py":                                                    "manage",
		`C:\Python311\Lib\site-packages\flask\app.py`:                    "flask.app",
		"<frozen importlib._bootstrap>":                                  "importlib._bootstrap",
		"<stdin>":                                                        "",
	}
	for file, want := range tests {
		if got := pyModule(file); got != want {
			t.Errorf("pyModule(%q) = %q, want %q", file, got, want)
		}
	}
}

// Huge texts and huge traces cost time linear in their size: these inputs
// would take hours if any step were quadratic.
func TestAnalyzeHuge(t *testing.T) {
	var b strings.Builder
	b.WriteString("java.lang.StackOverflowError\n")
	for range 100000 {
		b.WriteString("\tat com.example.Recursive.call(Recursive.java:12)\n")
	}
	tr := Analyze([]byte(b.String()), Options{})
	if tr == nil || len(tr.Frames) != 100000 || tr.Exception != "java.lang.StackOverflowError" {
		t.Fatalf("100,000-frame trace: %v", tr != nil)
	}
	if f := tr.Frames[99999]; f != (Frame{Module: "com.example.Recursive", Function: "call", File: "Recursive.java", Line: 12, InApp: true}) {
		t.Errorf("last frame %+v", f)
	}

	b.Reset()
	b.WriteString("Traceback (most recent call last):\n")
	for range 100000 {
		b.WriteString("  File \"/app/r.py\", line 2, in r\n    return r()\n")
	}
	b.WriteString("RecursionError: maximum recursion depth exceeded\n")
	if tr := Analyze([]byte(b.String()), Options{}); tr == nil || len(tr.Frames) != 100000 || tr.Exception != "RecursionError" {
		t.Errorf("100,000-frame traceback: %+v", tr != nil)
	}

	const mib = 1 << 20
	for _, unit := range []string{"Error: ", "]:", ": ", "a.", "(", ")", "E", "T", " (", "at ", "\tat x(", "' in ", "::", "<", " ---> ", "#0 ", "EExceptio"} {
		line := strings.Repeat(unit, mib/len(unit))
		for _, text := range []string{line, "java.lang.X: y\n\tat " + line, "panic: x\n" + line, "Traceback (most recent call last):\n  " + line + "\n" + line} {
			tr := Analyze([]byte(text), Options{})
			if tr != nil && len(tr.Frames) > strings.Count(text, "\n")+1 {
				t.Errorf("%q: %d frames in %d lines", unit, len(tr.Frames), strings.Count(text, "\n")+1)
			}
			var d Detector
			d.Feed([]byte(line))
			d.Feed([]byte(line))
			StrongStart([]byte(line))
		}
	}
}

func TestTypes(t *testing.T) {
	var nilTrace *Trace
	if nilTrace.Types() != nil {
		t.Error("nil trace has types")
	}
	tr := &Trace{Exception: "A", Causes: []string{"B", "C"}}
	if got := tr.Types(); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("Types() = %q", got)
	}
}
