package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/pprof"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Metrics are the daemon's counters and gauges, exposed on /metrics in the
// Prometheus text format. They are created per daemon (no globals), so
// tests run daemons side by side.
type Metrics struct {
	Lines           atomic.Int64 // lines read
	Bytes           atomic.Int64 // bytes read
	Records         atomic.Int64 // records framed
	Events          atomic.Int64 // records a rule matched
	FilesOpen       atomic.Int64
	Rotations       atomic.Int64
	Truncations     atomic.Int64
	LinesCut        atomic.Int64 // lines cut at max_line_bytes
	EventsTruncated atomic.Int64 // events cut at max_event_lines/bytes
	ParseErrors     atomic.Int64 // structured lines that did not decode
	ReadErrors      atomic.Int64
	Checkpoints     atomic.Int64
	CheckpointFails atomic.Int64
	ConfigReloads   atomic.Int64
	ReloadFailures  atomic.Int64

	mu   sync.Mutex
	lost map[string]int64 // lost bytes by reason
}

// NewMetrics returns zeroed metrics.
func NewMetrics() *Metrics { return &Metrics{lost: map[string]int64{}} }

// AddLost counts bytes that could not be read, by reason (truncated,
// line_cut, event_cut, ...).
func (m *Metrics) AddLost(reason string, n int64) {
	if n <= 0 {
		return
	}
	m.mu.Lock()
	m.lost[reason] += n
	m.mu.Unlock()
}

// Lost returns the lost bytes counted for reason.
func (m *Metrics) Lost(reason string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lost[reason]
}

type metricDef struct {
	name, help, kind string
	v                *atomic.Int64
}

func (m *Metrics) defs() []metricDef {
	return []metricDef{
		{"tattle_lines_total", "Lines read from followed files.", "counter", &m.Lines},
		{"tattle_bytes_total", "Bytes read from followed files.", "counter", &m.Bytes},
		{"tattle_records_total", "Records framed (a line, or a header and its continuation lines).", "counter", &m.Records},
		{"tattle_events_total", "Records a rule matched.", "counter", &m.Events},
		{"tattle_files_open", "Files being followed.", "gauge", &m.FilesOpen},
		{"tattle_rotations_total", "Files rotated (renamed, or deleted and recreated) under a follower.", "counter", &m.Rotations},
		{"tattle_truncations_total", "Files truncated under a follower.", "counter", &m.Truncations},
		{"tattle_lines_cut_total", "Lines cut at max_line_bytes.", "counter", &m.LinesCut},
		{"tattle_events_truncated_total", "Events cut at max_event_lines or max_event_bytes.", "counter", &m.EventsTruncated},
		{"tattle_parse_errors_total", "Structured lines (JSON, container logs) that did not decode; kept as plain text.", "counter", &m.ParseErrors},
		{"tattle_read_errors_total", "Errors opening or reading files.", "counter", &m.ReadErrors},
		{"tattle_checkpoints_total", "State checkpoints written.", "counter", &m.Checkpoints},
		{"tattle_checkpoint_failures_total", "State checkpoints that failed.", "counter", &m.CheckpointFails},
		{"tattle_config_reloads_total", "Configuration reloads applied.", "counter", &m.ConfigReloads},
		{"tattle_config_reload_failures_total", "Configuration reloads refused (the old configuration stays).", "counter", &m.ReloadFailures},
	}
}

// WriteText writes every metric in the Prometheus text exposition format.
func (m *Metrics) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, d := range m.defs() {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", d.name, d.help, d.name, d.kind, d.name, d.v.Load())
	}
	m.mu.Lock()
	reasons := make([]string, 0, len(m.lost))
	for r := range m.lost {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	b.WriteString("# HELP tattle_lost_bytes_total Bytes that could not be read or were dropped, by reason.\n# TYPE tattle_lost_bytes_total counter\n")
	for _, r := range reasons {
		fmt.Fprintf(&b, "tattle_lost_bytes_total{reason=%q} %d\n", r, m.lost[r])
	}
	m.mu.Unlock()
	_, err := io.WriteString(w, b.String())
	return err
}

// Handler serves /metrics and /healthz. healthy reports whether the daemon
// is running (its stages started and not stopped).
func (m *Metrics) Handler(healthy func() error) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.WriteText(w)
	})
	if os.Getenv("TATTLE_PPROF") == "1" {
		// Profiling on request only: the listener may be reachable from
		// more than this host.
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := healthy(); err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	return mux
}
