package parsers

import "testing"

var pythonCases = []fmtCase{
	{name: "default", line: "ERROR:root:Something failed",
		ok: true, level: LevelError, logger: "root", msg: "Something failed"},
	{name: "default warning", line: "WARNING:app.db:retrying in 2s: connection reset",
		ok: true, level: LevelWarn, logger: "app.db", msg: "retrying in 2s: connection reset"},
	{name: "default critical", line: "CRITICAL:__main__:",
		ok: true, level: LevelCritical, logger: "__main__", msg: ""},
	{name: "asctime level bracket name", line: "2024-01-15 10:23:45,123 ERROR [app.views] Payment declined for order 17",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app.views", msg: "Payment declined for order 17"},
	{name: "asctime level bracket name info", line: "2024-01-15 10:23:45,123 INFO [app.views] ok",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app.views", msg: "ok"},
	{name: "asctime padded level", line: "2024-01-15 10:23:45,123 INFO     [django.server] \"GET / HTTP/1.1\" 200 5",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "django.server", msg: "\"GET / HTTP/1.1\" 200 5"},
	{name: "asctime level message", line: "2024-01-15 10:23:45,123 WARNING Disk almost full",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "Disk almost full"},
	{name: "asctime level name colon", line: "2024-01-15 10:23:45,123 ERROR app.tasks: boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app.tasks", msg: "boom"},
	{name: "asctime level capitalised prose", line: "2024-01-15 10:23:45,123 ERROR Failed: boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "Failed: boom"},
	{name: "bracket in message", line: "2024-01-15 10:23:45,123 ERROR [x]y",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "[x]y"},
	{name: "dashes", line: "2024-01-15 10:23:45,123 - myapp.worker - ERROR - Job 42 failed",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "myapp.worker", msg: "Job 42 failed"},
	{name: "dashes padded level", line: "2024-01-15 10:23:45,123 - myapp.worker - INFO     - Job 43 done",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "myapp.worker", msg: "Job 43 done"},
	{name: "dashes level at end", line: "2024-01-15 10:23:45,123 - app - ERROR",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app", msg: ""},
	{name: "dashes no name", line: "2024-01-15 10:23:45,123 - CRITICAL - out of memory",
		ok: true, level: LevelCritical, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "out of memory"},
	{name: "dashes empty message", line: "2024-01-15 10:23:45,123 - root - INFO - ",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "root", msg: ""},
	{name: "bracket level name colon", line: "2024-01-15 10:23:45,123 [ERROR] app.db: connection lost",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app.db", msg: "connection lost"},
	{name: "bracket level message", line: "2024-01-15 10:23:45,123 [WARNING] Retrying",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "Retrying"},
	{name: "colons", line: "2024-01-15 10:23:45,123:ERROR:app:boom",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app", msg: "boom"},
	{name: "loguru", line: "2024-01-15 10:23:45.123 | ERROR    | app.main:run:42 - Unhandled error",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "app.main", msg: "Unhandled error"},
	{name: "loguru success", line: "2024-01-15 10:23:45.123 | SUCCESS  | __main__:<module>:9 - done",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45.123", layout: isoSpace,
		logger: "__main__", msg: "done"},
	{name: "flask", line: "[2024-01-15 10:23:45,123] ERROR in app: Exception on /orders/17 [GET]",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "app", msg: "Exception on /orders/17 [GET]"},
	{name: "flask info", line: "[2024-01-15 10:23:45,123] INFO in views: listing",
		ok: true, level: LevelInfo, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "views", msg: "listing"},
	{name: "bracketed stamp level colon", line: "[2024-01-15 10:23:45,123] WARNING: slow query",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "slow query"},
	{name: "django verbose", line: "ERROR 2024-01-15 10:23:45,123 log 1234 140245 Internal Server Error: /api/x",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		logger: "log", thread: "140245", msg: "Internal Server Error: /api/x"},
	{name: "level asctime message", line: "WARNING 2024-01-15 10:23:45,123 something odd",
		ok: true, level: LevelWarn, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		msg: "something odd"},
	{name: "gunicorn", line: "[2024-01-15 10:23:45 +0000] [1234] [ERROR] Exception in worker process",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45 +0000", layout: "2006-01-02 15:04:05 -0700",
		msg: "Exception in worker process"},
	{name: "gunicorn critical", line: "[2024-01-15 10:23:45 +0100] [7] [CRITICAL] WORKER TIMEOUT (pid:12)",
		ok: true, level: LevelCritical, time: "2024-01-15 10:23:45 +0100", layout: "2006-01-02 15:04:05 -0700",
		msg: "WORKER TIMEOUT (pid:12)"},
	{name: "celery", line: "[2024-01-15 10:23:45,123: ERROR/MainProcess] consumer: Cannot connect to redis://localhost:6379//",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		thread: "MainProcess", msg: "consumer: Cannot connect to redis://localhost:6379//"},
	{name: "celery task", line: "[2024-01-15 10:23:45,123: ERROR/ForkPoolWorker-2] Task app.tasks.charge[5e1f] raised unexpected: ValueError('bad')",
		ok: true, level: LevelError, time: "2024-01-15 10:23:45,123", layout: isoSpace,
		thread: "ForkPoolWorker-2", msg: "Task app.tasks.charge[5e1f] raised unexpected: ValueError('bad')"},
	{name: "time only", line: "10:23:45 ERROR boom",
		ok: true, level: LevelError, time: "10:23:45", msg: "boom"},

	// Turned down.
	{name: "prose Error", line: "Error: something"},
	{name: "lower level default", line: "error:root:x"},
	{name: "url", line: "http://x"},
	{name: "url with level", line: "ERROR://x"},
	{name: "name with space", line: "ERROR: something failed"},
	{name: "level no name", line: "ERROR::x"},
	{name: "java level", line: "2024-01-15 10:23:45,123 SEVERE x"},
	{name: "jul", line: "SEVERE: Servlet.service() threw exception"},
	{name: "stamp prose", line: "2024-01-15 10:23:45,123 Something happened"},
	{name: "level glued", line: "2024-01-15 10:23:45,123 ERRORS x"},
	{name: "level underscore", line: "ERROR_CODE:x:y"},
	{name: "rails", line: "E, [2024-01-15T10:23:45.123456 #1234] ERROR -- : boom"},
	{name: "logback thread first", line: "10:23:45.123 [main] ERROR com.example.App - x"},
	{name: "boot", line: "2024-01-15 10:23:45.123 ERROR 1 --- [main] c.e.Api : boom"},
	{name: "flask no level", line: "[2024-01-15 10:23:45,123] Something"},
	{name: "celery no process", line: "[2024-01-15 10:23:45,123: ERROR] x"},
	{name: "gunicorn no level", line: "[2024-01-15 10:23:45 +0000] [1234] [x] y"},
	{name: "bracket stamp unclosed", line: "[2024-01-15 10:23:45,123 ERROR x"},
	{name: "apache error", line: "[Mon Jan 15 10:23:45.123456 2024] [core:error] [pid 1] x"},
	{name: "dash name no level", line: "2024-01-15 10:23:45,123 - app - boom"},
	{name: "dash level glued", line: "2024-01-15 10:23:45,123 - app - ERROR-x"},
	{name: "dash level no dash", line: "2024-01-15 10:23:45,123 - app - ERROR x"},
	{name: "loguru no dash", line: "2024-01-15 10:23:45.123 | ERROR    | app.main boom"},
	{name: "tab after level", line: "2024-01-15T10:23:45.123Z\tERROR\tapp/main.go:42\tboom"},
}

func TestPythonHeader(t *testing.T) {
	checkFmtCases(t, pythonFormat{}, pythonCases)
}

func TestPythonDecoys(t *testing.T) {
	checkFmtDecoys(t, pythonFormat{})
}

func TestPythonRegistered(t *testing.T) {
	mk := textFormats["python"]
	if mk == nil || mk().Name() != "python" {
		t.Fatal("python is not registered")
	}
}

func TestPythonHeaderAllocs(t *testing.T) {
	var lines [][]byte
	for _, c := range pythonCases {
		lines = append(lines, []byte(c.line))
	}
	assertNoHeaderAllocs(t, pythonFormat{}, lines)
}

func FuzzPython(f *testing.F) {
	for _, c := range pythonCases {
		f.Add([]byte(c.line))
	}
	for _, d := range fmtDecoys {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, line []byte) { fuzzFmtHeader(t, pythonFormat{}, line) })
}
