package parsers

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const isoZoneLayout = "2006-01-02T15:04:05Z07:00"

var syslogCases = []hdrCase{
	{"3164 pri pid", `<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8`,
		hdr{Level: LevelCritical, Time: "Oct 11 22:14:15", Layout: rfc3164Layout, Logger: "su", Fields: "host=mymachine pid=123",
			Msg: "'su root' failed for lonvick on /dev/pts/8"}},
	{"3164 pri no pid", `<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8`,
		hdr{Level: LevelCritical, Time: "Oct 11 22:14:15", Layout: rfc3164Layout, Logger: "su", Fields: "host=mymachine",
			Msg: "'su root' failed for lonvick on /dev/pts/8"}},
	{"3164 pri no host", `<13>Oct 11 22:14:15 su: test`,
		hdr{Level: LevelNotice, Time: "Oct 11 22:14:15", Layout: rfc3164Layout, Logger: "su", Msg: "test"}},
	{"3164 file", `Aug 19 02:14:38 upload sshd[22442]: Connection from 192.168.0.1 port 32846`,
		hdr{Time: "Aug 19 02:14:38", Layout: rfc3164Layout, Logger: "sshd", Fields: "host=upload pid=22442",
			Msg: "Connection from 192.168.0.1 port 32846"}},
	{"padded day", `Oct  1 02:14:38 web1 CRON[4242]: (root) CMD (run-parts /etc/cron.hourly)`,
		hdr{Time: "Oct  1 02:14:38", Layout: rfc3164Layout, Logger: "CRON", Fields: "host=web1 pid=4242",
			Msg: "(root) CMD (run-parts /etc/cron.hourly)"}},
	{"level word colon", `Jan 15 10:23:45 web1 sshd[811]: error: kex_exchange_identification: Connection closed by remote host`,
		hdr{Level: LevelError, Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "sshd", Fields: "host=web1 pid=811",
			Msg: "error: kex_exchange_identification: Connection closed by remote host"}},
	{"level bracket", `Jan 15 10:23:45 web1 myapp[99]: [error] db down`,
		hdr{Level: LevelError, Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "myapp", Fields: "host=web1 pid=99", Msg: "[error] db down"}},
	{"level angle", `Jan 15 10:23:45 web1 myapp: <warning> disk 91% full`,
		hdr{Level: LevelWarn, Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "myapp", Fields: "host=web1", Msg: "<warning> disk 91% full"}},
	{"level upper", `Jan 15 10:23:45 web1 app[7]: ERROR payment failed`,
		hdr{Level: LevelError, Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "app", Fields: "host=web1 pid=7", Msg: "ERROR payment failed"}},
	{"prose is no level", `Jan 15 10:23:45 web1 app[7]: Error reading config`,
		hdr{Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "app", Fields: "host=web1 pid=7", Msg: "Error reading config"}},
	{"kernel", `Jan 15 10:23:45 web1 kernel: [12345.678901] Out of memory: Killed process 4242 (java)`,
		hdr{Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "kernel", Fields: "host=web1",
			Msg: "[12345.678901] Out of memory: Killed process 4242 (java)"}},
	{"no tag", `Jan 15 10:23:53 web1 last message repeated 3 times`,
		hdr{Time: "Jan 15 10:23:53", Layout: rfc3164Layout, Fields: "host=web1", Msg: "last message repeated 3 times"}},
	{"postfix", `Jan 15 10:23:45 mail postfix/smtpd[1234]: connect from unknown[10.0.0.1]`,
		hdr{Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "postfix/smtpd", Fields: "host=mail pid=1234",
			Msg: "connect from unknown[10.0.0.1]"}},
	{"no tag with pri", `<14>Jan 15 10:23:45 web1 app:x`,
		hdr{Level: LevelInfo, Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Fields: "host=web1", Msg: "app:x"}},
	{"mark", `Jan 15 10:23:45 web1 -- MARK --`,
		hdr{Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Fields: "host=web1", Msg: "-- MARK --"}},
	{"ipv6 host", `Jan 15 10:23:45 2001:db8::1 app: x`,
		hdr{Time: "Jan 15 10:23:45", Layout: rfc3164Layout, Logger: "app", Fields: "host=2001:db8::1", Msg: "x"}},
	{"rsyslog precise", `2024-01-15T10:23:45.123456+01:00 web1 nginx[88]: 2024/01/15 10:23:45 [error] 29#29: x`,
		hdr{Time: "2024-01-15T10:23:45.123456+01:00", Layout: isoZoneLayout, Logger: "nginx", Fields: "host=web1 pid=88",
			Msg: "2024/01/15 10:23:45 [error] 29#29: x"}},
	{"5424 sd", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...`,
		hdr{Level: LevelNotice, Time: "2003-10-11T22:14:15.003Z", Layout: isoZoneLayout, Logger: "evntslog",
			Fields: "host=mymachine.example.com msgid=ID47", Msg: "An application event log entry..."}},
	{"5424 bom", "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8",
		hdr{Level: LevelCritical, Time: "2003-10-11T22:14:15.003Z", Layout: isoZoneLayout, Logger: "su",
			Fields: "host=mymachine.example.com msgid=ID47", Msg: "'su root' failed for lonvick on /dev/pts/8"}},
	{"5424 offset", `<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.`,
		hdr{Level: LevelNotice, Time: "2003-08-24T05:14:15.000003-07:00", Layout: isoZoneLayout, Logger: "myproc",
			Fields: "host=192.0.2.1 pid=8710", Msg: "%% It's time to make the do-nuts."}},
	{"5424 nil", `<14>1 - - - - - -`,
		hdr{Level: LevelInfo, Msg: ""}},
	{"5424 escaped sd", `<165>1 2003-10-11T22:14:15.003Z host app - - [a@1 k="x\]y\"z"][b@2 q="1"] msg`,
		hdr{Level: LevelNotice, Time: "2003-10-11T22:14:15.003Z", Layout: isoZoneLayout, Logger: "app", Fields: "host=host", Msg: "msg"}},
	{"5424 sd only", `<165>1 2003-10-11T22:14:15.003Z host app - - [a@1 k="v"]`,
		hdr{Level: LevelNotice, Time: "2003-10-11T22:14:15.003Z", Layout: isoZoneLayout, Logger: "app", Fields: "host=host", Msg: ""}},
	{"5424 emerg", `<0>1 2024-01-15T10:23:49Z app7 kernel - - - Kernel panic - not syncing`,
		hdr{Level: LevelEmerg, Time: "2024-01-15T10:23:49Z", Layout: isoZoneLayout, Logger: "kernel", Fields: "host=app7", Msg: "Kernel panic - not syncing"}},
}

func TestSyslogHeader(t *testing.T) {
	checkHeaders(t, syslogFormat{}, syslogCases)
}

var syslogDecoys = []string{
	"<34>",
	"<34>Oct 11 22:14:15",
	"<999>Oct 11 22:14:15 mymachine su: x",
	"<34Oct 11 22:14:15 mymachine su: x",
	"<34>2 Oct 11 22:14:15 mymachine su: x",
	"<34>1 2003-10-11 22:14:15 host app - - - x",
	"<34>1 2003-10-11T22:14:15.003Z host app - - [] x",
	"<34>1 2003-10-11T22:14:15.003Z host app - - [a@1 k=\"v] x",
	"<34>1 2003-10-11T22:14:15.003Z host app - -x",
	"Oct 11 2024 22:14:15 host su: x",
	"October 11 22:14:15 host su: x",
	"Oct 32 22:14:15 host su: x",
	"Oct 11 25:14:15 host su: x",
	"Jan 15 10:23:45 web1",
	"Jan 15 10:23:45 \tat x",
	"Jan 15 10:23:45 web1 app:x",
	"Dec 14 06:41:08 Exception in thread main java.lang.RuntimeException: Something has gone wrong, aborting!",
	"Mon Feb 21 17:44:19 2011 [pid 3] [ftp] FTP response: Client \"192.0.2.141\", \"230 Login successful.\"",
	"2024-01-15T10:23:45Z host not-a-tag message",
	"2024-01-15T10:23:45 web1 nginx[88]: no zone",
	"2024-01-15T10:23:45.123+0100 [ERROR] agent.http: request failed",
	"2024-01-15T10:23:45.123Z\tERROR\tapi/handler.go:42\tfailed",
	"2009/11/10 23:00:00 main.go:12: hello",
	`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
	"2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed",
}

func TestSyslogReject(t *testing.T) {
	checkRejects(t, syslogFormat{}, headerDecoys)
	checkRejects(t, syslogFormat{}, syslogDecoys)
}

func TestSyslogNoAlloc(t *testing.T) {
	var lines []string
	for _, c := range syslogCases {
		lines = append(lines, c.line)
	}
	lines = append(lines, headerDecoys...)
	lines = append(lines, syslogDecoys...)
	checkNoAllocs(t, syslogFormat{}, lines)
}

// TestSyslogCorpus reads mtail's sftp_chroot.log: every line is a header
// with a tag and a pid, from host "upload".
func TestSyslogCorpus(t *testing.T) {
	fd, err := os.Open(filepath.Join("..", "testdata", "corpus", "mtail", "sftp_chroot.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	sc := bufio.NewScanner(fd)
	n := 0
	for sc.Scan() {
		n++
		var h Header
		h.Reset()
		if !(syslogFormat{}).Header(sc.Bytes(), &h) {
			t.Errorf("line %d: not a header: %q", n, sc.Text())
			continue
		}
		got := renderHdr(&h)
		if got.Logger == "" || !strings.HasPrefix(got.Fields, "host=upload pid=") || got.Layout != rfc3164Layout {
			t.Errorf("line %d: %+v", n, got)
		}
		if n == 1 {
			want := hdr{Time: "Aug 19 02:14:38", Layout: rfc3164Layout, Logger: "sshd", Fields: "host=upload pid=22442",
				Msg: "Connection from 192.168.0.1 port 32846"}
			if got != want {
				t.Errorf("line 1:\n got %+v\nwant %+v", got, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 200 {
		t.Errorf("read %d lines, want the whole file", n)
	}
}

func FuzzSyslog(f *testing.F) {
	for _, c := range syslogCases {
		f.Add([]byte(c.line))
	}
	for _, s := range syslogDecoys {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		fuzzHeader(t, syslogFormat{}, line)
	})
}

func BenchmarkSyslogHeader(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"3164", "Aug 19 02:14:38 upload sshd[22442]: Connection from 192.168.0.1 port 32846"},
		{"5424", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...`},
		{"reject-java", "\tat com.acme.shop.Payments.charge(Payments.java:88)"},
		{"reject-caused-by", "Caused by: java.sql.SQLException: Connection refused"},
		{"reject-go-func", "github.com/acme/shop/server.(*Handler).checkout(0xc0001a2000, {0x7f3c40, 0xc0002a8000}, 0xc0002b4000)"},
	} {
		b.Run(c.name, func(b *testing.B) { benchFormatHeader(b, syslogFormat{}, []byte(c.line)) })
	}
}
