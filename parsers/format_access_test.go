package parsers

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// accessCases hold for both access formats.
var accessCases = []hdrCase{
	{"common", `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:36 -0700", Layout: clfLayout, Status: 200, Method: "GET", Path: "/apache_pb.gif",
			Msg: `"GET /apache_pb.gif HTTP/1.0" 200 2326`}},
	{"combined", `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:36 -0700", Layout: clfLayout, Status: 200, Method: "GET", Path: "/apache_pb.gif",
			Msg: `"GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`}},
	{"request time", `10.1.2.3 - - [15/Jan/2024:10:23:45 +0000] "POST /api/orders?id=7 HTTP/1.1" 502 157 "-" "curl/8.5.0" 0.123`,
		hdr{Level: LevelError, Time: "15/Jan/2024:10:23:45 +0000", Layout: clfLayout, Status: 502, Method: "POST", Path: "/api/orders?id=7", Dur: "123",
			Msg: `"POST /api/orders?id=7 HTTP/1.1" 502 157 "-" "curl/8.5.0" 0.123`}},
	{"rt key", `10.1.2.3 - - [15/Jan/2024:10:23:45 +0000] "GET /a HTTP/1.1" 200 1 "-" "curl/8.5.0" rt=1.250 uct="0.000" uht="1.249" urt="1.249"`,
		hdr{Level: LevelInfo, Time: "15/Jan/2024:10:23:45 +0000", Layout: clfLayout, Status: 200, Method: "GET", Path: "/a", Dur: "1250",
			Msg: `"GET /a HTTP/1.1" 200 1 "-" "curl/8.5.0" rt=1.250 uct="0.000" uht="1.249" urt="1.249"`}},
	{"rt after quoted keys", `10.1.2.3 - - [15/Jan/2024:10:23:45 +0000] "GET /a HTTP/1.1" 200 1 "-" "curl" uct="1.000, 1.001" request_time=0.5`,
		hdr{Level: LevelInfo, Time: "15/Jan/2024:10:23:45 +0000", Layout: clfLayout, Status: 200, Method: "GET", Path: "/a", Dur: "500",
			Msg: `"GET /a HTTP/1.1" 200 1 "-" "curl" uct="1.000, 1.001" request_time=0.5`}},
	{"xff then request and upstream times", `10.1.2.3 - - [15/Jan/2024:10:23:45 +0000] "GET /a HTTP/1.1" 504 0 "-" "curl" "198.51.100.7, 10.0.0.1" 60.002 30.001, 30.001`,
		hdr{Level: LevelError, Time: "15/Jan/2024:10:23:45 +0000", Layout: clfLayout, Status: 504, Method: "GET", Path: "/a", Dur: "60002",
			Msg: `"GET /a HTTP/1.1" 504 0 "-" "curl" "198.51.100.7, 10.0.0.1" 60.002 30.001, 30.001`}},
	{"integer after agent is not a duration", `192.0.2.44 - - [10/Oct/2000:13:55:37 -0700] "GET /r HTTP/1.0" 500 612 "-" "Mozilla/4.08" 1532904`,
		hdr{Level: LevelError, Time: "10/Oct/2000:13:55:37 -0700", Layout: clfLayout, Status: 500, Method: "GET", Path: "/r",
			Msg: `"GET /r HTTP/1.0" 500 612 "-" "Mozilla/4.08" 1532904`}},
	{"traefik", `192.168.0.1 - - [15/Jan/2024:10:23:45 +0000] "GET /api HTTP/1.1" 503 19 "-" "curl/8.5.0" 42 "api@docker" "http://10.0.0.5:80" 3ms`,
		hdr{Level: LevelError, Time: "15/Jan/2024:10:23:45 +0000", Layout: clfLayout, Status: 503, Method: "GET", Path: "/api", Dur: "3",
			Msg: `"GET /api HTTP/1.1" 503 19 "-" "curl/8.5.0" 42 "api@docker" "http://10.0.0.5:80" 3ms`}},
	{"xff chain", `10.0.0.2, 10.0.0.1, 127.0.0.1 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0"`,
		hdr{Level: LevelInfo, Time: "07/Dec/2016:11:05:07 +0100", Layout: clfLayout, Status: 200, Method: "GET", Path: "/ocelot",
			Msg: `"GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0"`}},
	{"quoted xff", `"10.5.102.222, 199.96.1.1, 204.246.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET /assets/xxxx?q=100 HTTP/1.1" 200 25507 "-" "Amazon CloudFront"`,
		hdr{Level: LevelInfo, Time: "22/Jan/2016:13:18:29 +0000", Layout: clfLayout, Status: 200, Method: "GET", Path: "/assets/xxxx?q=100",
			Msg: `"GET /assets/xxxx?q=100 HTTP/1.1" 200 25507 "-" "Amazon CloudFront"`}},
	{"ipv6 and no bytes", `2001:db8::1 - - [23/Mar/2018:12:31:05 +0000] "GET /index.html HTTP/1.1" 304 - "https://fubarservice.example.com/" "libcurl"`,
		hdr{Level: LevelInfo, Time: "23/Mar/2018:12:31:05 +0000", Layout: clfLayout, Status: 304, Method: "GET", Path: "/index.html",
			Msg: `"GET /index.html HTTP/1.1" 304 - "https://fubarservice.example.com/" "libcurl"`}},
	{"empty request", `127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] "" 400 0 "-" "-"`,
		hdr{Level: LevelWarn, Time: "12/Apr/2018:09:48:40 +0200", Layout: clfLayout, Status: 400, Msg: `"" 400 0 "-" "-"`}},
	{"tls to plain port", `198.51.100.23 - - [15/Jan/2024:10:23:51 +0100] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-" 0.090`,
		hdr{Level: LevelWarn, Time: "15/Jan/2024:10:23:51 +0100", Layout: clfLayout, Status: 400, Dur: "90",
			Msg: `"\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-" 0.090`}},
	{"escaped quotes", `192.0.2.45 - - [10/Oct/2000:13:55:39 -0700] "GET /search?q=\"quoted\" HTTP/1.0" 200 1044 "-" "Lynx/2.8.3"`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:39 -0700", Layout: clfLayout, Status: 200, Method: "GET", Path: `/search?q=\"quoted\"`,
			Msg: `"GET /search?q=\"quoted\" HTTP/1.0" 200 1044 "-" "Lynx/2.8.3"`}},
	{"client closed", `10.0.3.17 - - [15/Jan/2024:10:23:54 +0100] "GET /api/v1/search?q=%22red+shoes%22&page=2 HTTP/2.0" 499 0 "-" "Mozilla/5.0" 2.503`,
		hdr{Level: LevelWarn, Time: "15/Jan/2024:10:23:54 +0100", Layout: clfLayout, Status: 499, Method: "GET", Path: "/api/v1/search?q=%22red+shoes%22&page=2", Dur: "2503",
			Msg: `"GET /api/v1/search?q=%22red+shoes%22&page=2 HTTP/2.0" 499 0 "-" "Mozilla/5.0" 2.503`}},
	{"email user", `192.0.2.44 - jane@example.com [10/Oct/2000:13:55:38 -0700] "GET /private/ HTTP/1.0" 401 401 "-" "Wget/1.5.3"`,
		hdr{Level: LevelWarn, Time: "10/Oct/2000:13:55:38 -0700", Layout: clfLayout, Status: 401, Method: "GET", Path: "/private/",
			Msg: `"GET /private/ HTTP/1.0" 401 401 "-" "Wget/1.5.3"`}},
	{"options star", `192.0.2.46 - - [10/Oct/2000:13:55:40 -0700] "OPTIONS * HTTP/1.0" 200 - "-" "-"`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:40 -0700", Layout: clfLayout, Status: 200, Method: "OPTIONS", Path: "*",
			Msg: `"OPTIONS * HTTP/1.0" 200 - "-" "-"`}},
	{"connect", `192.0.2.46 - - [10/Oct/2000:13:55:40 -0700] "CONNECT example.com:443 HTTP/1.1" 200 0`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:40 -0700", Layout: clfLayout, Status: 200, Method: "CONNECT", Path: "example.com:443",
			Msg: `"CONNECT example.com:443 HTTP/1.1" 200 0`}},
	{"space in target", `192.0.2.46 - - [10/Oct/2000:13:55:40 -0700] "GET /a b HTTP/1.1" 400 0`,
		hdr{Level: LevelWarn, Time: "10/Oct/2000:13:55:40 -0700", Layout: clfLayout, Status: 400, Method: "GET", Path: "/a b",
			Msg: `"GET /a b HTTP/1.1" 400 0`}},
	{"http 0.9", `192.0.2.46 - - [10/Oct/2000:13:55:40 -0700] "GET /" 200 10`,
		hdr{Level: LevelInfo, Time: "10/Oct/2000:13:55:40 -0700", Layout: clfLayout, Status: 200, Method: "GET", Path: "/",
			Msg: `"GET /" 200 10`}},
	{"lighttpd vhost", `198.51.100.71 192.0.2.5 - [08/Apr/2010:20:43:02 -0700] "GET /group.cache.asc HTTP/1.0" 200 191 367 464 1 "-" "nsscache_0.12"`,
		hdr{Level: LevelInfo, Time: "08/Apr/2010:20:43:02 -0700", Layout: clfLayout, Status: 200, Method: "GET", Path: "/group.cache.asc",
			Msg: `"GET /group.cache.asc HTTP/1.0" 200 191 367 464 1 "-" "nsscache_0.12"`}},
	{"extra number after bytes", `192.168.74.9 - - [04/Apr/2018:10:28:24 +0000] "GET /prefix HTTP/1.1" 304 - 3551 "-" "Mozilla/5.0"`,
		hdr{Level: LevelInfo, Time: "04/Apr/2018:10:28:24 +0000", Layout: clfLayout, Status: 304, Method: "GET", Path: "/prefix",
			Msg: `"GET /prefix HTTP/1.1" 304 - 3551 "-" "Mozilla/5.0"`}},
}

func TestAccessHeader(t *testing.T) {
	checkHeaders(t, accessFormat{nginx: true}, accessCases)
	checkHeaders(t, accessFormat{}, accessCases)
}

func TestNginxErrorHeader(t *testing.T) {
	const layout = "2006/01/02 15:04:05"
	cases := []hdrCase{
		{"upstream", `2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: x, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com"`,
			hdr{Level: LevelError, Time: "2024/01/15 10:23:45", Layout: layout, Thread: "1234#1234", Method: "GET", Path: "/api",
				Fields: "client=1.2.3.4 server=x upstream=http://127.0.0.1:8080/api host=example.com",
				Msg:    `connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: x, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com"`}},
		{"crit no request", `2024/01/15 10:23:51 [crit] 30#30: *1041 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 198.51.100.23, server: 0.0.0.0:443`,
			hdr{Level: LevelCritical, Time: "2024/01/15 10:23:51", Layout: layout, Thread: "30#30",
				Fields: "client=198.51.100.23 server=0.0.0.0:443",
				Msg:    `SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 198.51.100.23, server: 0.0.0.0:443`}},
		{"notice no connection", `2024/01/15 10:23:40 [notice] 1#1: start worker processes`,
			hdr{Level: LevelNotice, Time: "2024/01/15 10:23:40", Layout: layout, Thread: "1#1", Msg: "start worker processes"}},
		{"emerg", `2024/01/15 10:23:59 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)`,
			hdr{Level: LevelEmerg, Time: "2024/01/15 10:23:59", Layout: layout, Thread: "1#1", Msg: "bind() to 0.0.0.0:80 failed (98: Address already in use)"}},
		{"warn with comma in quoted value", `2024/01/15 10:23:50 [warn] 30#30: *1040 an upstream response is buffered, client: 10.0.3.14, server: shop.example.com, request: "GET /export.csv?a=1,2 HTTP/1.1", upstream: "http://10.0.5.7:8080/export.csv", host: "shop.example.com", referrer: "https://shop.example.com/"`,
			hdr{Level: LevelWarn, Time: "2024/01/15 10:23:50", Layout: layout, Thread: "30#30", Method: "GET", Path: "/export.csv?a=1,2",
				Fields: "client=10.0.3.14 server=shop.example.com upstream=http://10.0.5.7:8080/export.csv host=shop.example.com",
				Msg:    `an upstream response is buffered, client: 10.0.3.14, server: shop.example.com, request: "GET /export.csv?a=1,2 HTTP/1.1", upstream: "http://10.0.5.7:8080/export.csv", host: "shop.example.com", referrer: "https://shop.example.com/"`}},
	}
	checkHeaders(t, accessFormat{nginx: true}, cases)
	// Apache does not write nginx's error.log.
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.line)
	}
	checkRejects(t, accessFormat{}, lines)
}

func TestApacheErrorHeader(t *testing.T) {
	const layout = "Mon Jan _2 15:04:05 2006"
	cases := []hdrCase{
		{"2.4 proxy", `[Mon Jan 15 10:23:47.311520 2024] [proxy:error] [pid 8:tid 140244990] (111)Connection refused: AH00957: http: attempt to connect to 10.0.5.7:8080 (app) failed`,
			hdr{Level: LevelError, Time: "Mon Jan 15 10:23:47.311520 2024", Layout: layout, Logger: "proxy", Thread: "pid 8:tid 140244990",
				Msg: "(111)Connection refused: AH00957: http: attempt to connect to 10.0.5.7:8080 (app) failed"}},
		{"2.4 client", `[Mon Jan 15 10:23:50.902001 2024] [php:error] [pid 12] [client 10.0.3.14:40112] PHP Fatal error:  Uncaught Error: Call to a member function total() on null`,
			hdr{Level: LevelError, Time: "Mon Jan 15 10:23:50.902001 2024", Layout: layout, Logger: "php", Thread: "pid 12",
				Fields: "client=10.0.3.14:40112", Msg: "PHP Fatal error:  Uncaught Error: Call to a member function total() on null"}},
		{"2.2", `[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test`,
			hdr{Level: LevelError, Time: "Wed Oct 11 14:32:52 2000", Layout: layout, Fields: "client=127.0.0.1",
				Msg: "client denied by server configuration: /export/home/live/ap/htdocs/test"}},
		{"trace level", `[Mon Jan 15 10:23:45.123456 2024] [core:trace3] [pid 9] request.c(312): x`,
			hdr{Level: LevelTrace, Time: "Mon Jan 15 10:23:45.123456 2024", Layout: layout, Logger: "core", Thread: "pid 9", Msg: "request.c(312): x"}},
		{"padded day", `[Sun Jan  7 09:00:00 2024] [notice] Apache/2.2.22 configured -- resuming normal operations`,
			hdr{Level: LevelNotice, Time: "Sun Jan  7 09:00:00 2024", Layout: layout, Msg: "Apache/2.2.22 configured -- resuming normal operations"}},
		{"message in brackets", `[Sun Jan  7 09:00:00 2024] [ssl:warn] [pid 1] [x] y`,
			hdr{Level: LevelWarn, Time: "Sun Jan  7 09:00:00 2024", Layout: layout, Logger: "ssl", Thread: "pid 1", Msg: "[x] y"}},
	}
	checkHeaders(t, accessFormat{}, cases)
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.line)
	}
	checkRejects(t, accessFormat{nginx: true}, lines)
}

// accessDecoys are near misses no access format reads.
var accessDecoys = []string{
	`[10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 2000 1`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 099 1`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 12x`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0 200 1`,
	`127.0.0.1 - - [32/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1`,
	`127.0.0.1 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36] "GET / HTTP/1.0" 200 1`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.0 200 1`,
	"127.0.0.1\t-\t-\t[10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1",
	` 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1`,
	"2024/01/15 10:23:45 [error] not an nginx error line",
	"2024/01/15 10:23:45 [error] 12: no tid",
	"[Mon Jan 15 10:23:47 2024] [nonsense] x",
	"[Mon Jan 15 10:23:47 2024]",
	"[Foo Jan 15 10:23:47 2024] [error] x",
	"2009/11/10 23:00:00 main.go:12: hello",
	"2024-01-15T10:23:45.123Z\tERROR\tapi/handler.go:42\tfailed",
	"<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed",
	"Aug 19 02:14:38 upload sshd[22442]: Connection from 192.168.0.1 port 32846",
	`time="2024-01-15T10:23:45Z" level=error msg="failed to load" user=42`,
}

func TestAccessReject(t *testing.T) {
	for _, f := range []Format{accessFormat{nginx: true}, accessFormat{}} {
		checkRejects(t, f, headerDecoys)
		checkRejects(t, f, accessDecoys)
	}
}

func TestAccessNoAlloc(t *testing.T) {
	var lines []string
	for _, c := range accessCases {
		lines = append(lines, c.line)
	}
	lines = append(lines,
		`2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed, client: 1.2.3.4, server: x, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com"`,
		`[Mon Jan 15 10:23:50.902001 2024] [php:error] [pid 12] [client 10.0.3.14:40112] PHP Fatal error`,
	)
	lines = append(lines, headerDecoys...)
	lines = append(lines, accessDecoys...)
	checkNoAllocs(t, accessFormat{nginx: true}, lines)
	checkNoAllocs(t, accessFormat{}, lines)
}

// TestAccessCorpus reads the access logs of the corpus: every line is a
// header, with the status, method and path an independent regular
// expression finds, and a few lines are checked in full.
func TestAccessCorpus(t *testing.T) {
	lineRE := regexp.MustCompile(`^\S.*? \[[^\]]+\] "((?:[^"\\]|\\.)*)" (\d{3}) (?:\d+|-)(?: |$)`)
	reqRE := regexp.MustCompile(`^([A-Z]+) (\S+)(?: HTTP/\d\.\d)?$`)
	exact := map[string]map[int]hdr{
		"filebeat/nginx-access-edgecases.log": {
			2: {Level: LevelWarn, Time: "29/May/2017:19:02:48 +0000", Layout: clfLayout, Status: 404, Method: "GET", Path: "/stringpatch",
				Msg: `"GET /stringpatch HTTP/1.1" 404 612 "-" "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2" "-"`},
			6: {Level: LevelWarn, Time: "30/Dec/2016:06:47:09 +0000", Layout: clfLayout, Status: 404, Method: "GET", Path: "/test.html",
				Msg: `"GET /test.html HTTP/1.1" 404 8571 "-" "Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)"`},
			7: {Level: LevelWarn, Time: "12/Apr/2018:09:48:40 +0200", Layout: clfLayout, Status: 400, Msg: `"" 400 0 "-" "-"`},
		},
		"mtail/apache-combined.log": {
			1: {Level: LevelInfo, Time: "23/Mar/2018:12:31:01 +0000", Layout: clfLayout, Status: 200, Method: "GET", Path: "/api/config",
				Msg: `"GET /api/config HTTP/1.1" 200 28 "https://fubarservice.example.com/" "libcurl"`},
			5: {Level: LevelInfo, Time: "23/Mar/2018:12:31:05 +0000", Layout: clfLayout, Status: 304, Method: "GET", Path: "/index.html",
				Msg: `"GET /index.html HTTP/1.1" 304 - "https://fubarservice.example.com/" "libcurl"`},
		},
		"mtail/apache-common.log": {
			2: {Level: LevelInfo, Time: "04/Apr/2018:10:29:11 +0000", Layout: clfLayout, Status: 200, Method: "GET", Path: "/docs/",
				Msg: `"GET /docs/ HTTP/1.1" 200 1880 8680 "-" "Mozilla/5.0"`},
			3: {Level: LevelWarn, Time: "04/Apr/2018:10:29:16 +0000", Layout: clfLayout, Status: 404, Method: "GET", Path: "/docs/nx",
				Msg: `"GET /docs/nx HTTP/1.1" 404 19 2167 "-" "Mozilla/5.0"`},
		},
		"mtail/lighttpd_access.log": {
			4: {Level: LevelInfo, Time: "08/Apr/2010:20:43:09 -0700", Layout: clfLayout, Status: 200, Method: "HEAD", Path: "/healthz",
				Msg: `"HEAD /healthz HTTP/1.1" 200 0 158 128 0 "-" "curl/7.15.1 (x86_64-pc-linux-gnu) libcurl/7.15.1 OpenSSL/0.9.8a zlib/1.2.3 libidn/0.5.18"`},
		},
	}
	for file, want := range exact {
		t.Run(file, func(t *testing.T) {
			fd, err := os.Open(filepath.Join("..", "testdata", "corpus", file))
			if err != nil {
				t.Fatal(err)
			}
			defer fd.Close()
			sc := bufio.NewScanner(fd)
			n, checked := 0, 0
			for sc.Scan() {
				n++
				line := sc.Bytes()
				m := lineRE.FindSubmatch(line)
				if m == nil {
					t.Fatalf("line %d: the test's expression does not read %q", n, line)
				}
				var wantMethod, wantPath string
				if r := reqRE.FindSubmatch(m[1]); r != nil {
					wantMethod, wantPath = string(r[1]), string(r[2])
				}
				for _, f := range []Format{accessFormat{nginx: true}, accessFormat{}} {
					var h Header
					h.Reset()
					if !f.Header(line, &h) {
						t.Errorf("%s line %d: not a header: %q", f.Name(), n, line)
						continue
					}
					got := renderHdr(&h)
					if s := string(m[2]); got.Status != statusNumber(s) || got.Method != wantMethod || got.Path != wantPath {
						t.Errorf("%s line %d: got %d %q %q, want %s %q %q", f.Name(), n, got.Status, got.Method, got.Path, s, wantMethod, wantPath)
					}
					if w, ok := want[n]; ok {
						checked++
						if got != w {
							t.Errorf("%s line %d:\n got %+v\nwant %+v", f.Name(), n, got, w)
						}
					}
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			if checked != 2*len(want) {
				t.Errorf("checked %d lines in full, want %d", checked, 2*len(want))
			}
		})
	}
}

func statusNumber(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func FuzzAccess(f *testing.F) {
	for _, c := range accessCases {
		f.Add([]byte(c.line))
	}
	for _, s := range []string{
		`2024/01/15 10:23:45 [error] 1#1: *5 x, client: 1.2.3.4, request: "GET / HTTP/1.1", host: "h"`,
		`[Mon Jan 15 10:23:50.902001 2024] [php:error] [pid 12] [client 10.0.3.14:40112] x`,
		`1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /\" HTTP/1.1" 200 1 "-" "-" rt="0.1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		fuzzHeader(t, accessFormat{nginx: true}, line)
		fuzzHeader(t, accessFormat{}, line)
	})
}

func BenchmarkAccessHeader(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"combined", `203.0.113.9, 10.0.0.2 - alice [15/Jan/2024:10:23:47 +0100] "POST /api/v1/checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15" 30.001`},
		{"common", `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`},
		{"nginx-error", `2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: x, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com"`},
		{"reject-java", "\tat com.acme.shop.Payments.charge(Payments.java:88)"},
		{"reject-caused-by", "Caused by: java.sql.SQLException: Connection refused"},
		{"reject-go-func", "github.com/acme/shop/server.(*Handler).checkout(0xc0001a2000, {0x7f3c40, 0xc0002a8000}, 0xc0002b4000)"},
		{"reject-goroutine", "goroutine 42 [running]:"},
	} {
		b.Run(c.name, func(b *testing.B) { benchFormatHeader(b, accessFormat{nginx: true}, []byte(c.line)) })
	}
}
