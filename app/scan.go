package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/tattle-dev/tattle/parsers"
	"github.com/tattle-dev/tattle/rules"
)

// ScanOptions configure Scan.
type ScanOptions struct {
	// ConfigPath is the configuration file; ConfigRequired says whether
	// its absence is an error (it was named with -c) or means built-in
	// rules (the default ./tattle.toml is optional for scan).
	ConfigPath     string
	ConfigRequired bool
	JSON           bool
	// Format overrides the format of every file ("" keeps the source's,
	// or auto).
	Format string
	Files  []string // "-" is standard input
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// ScanStats is what a scan read and found.
type ScanStats struct {
	Files                int
	Lines, Bytes, Events int64
	Records              int64
	Groups               int
	CutLines             int64 // lines cut at max_line_bytes
	CutBytes             int64
	TruncatedEvents      int64
	ParseErrors          int64
	Elapsed              time.Duration
}

// UsageError is an error in what the user asked for (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// group is one incident group of a scan.
type group struct {
	code, title string
	count       int64
	first, last string
	order       int
}

// Scan reads files to their end, matches their events against the rules and
// prints a table of groups or, with JSON, every matched event. It returns
// the stats even when some file failed; the error then names each failure.
func Scan(ctx context.Context, opts ScanOptions) (ScanStats, error) {
	var st ScanStats
	cfg, err := loadConfig(opts.ConfigPath, opts.ConfigRequired)
	if err != nil {
		return st, &UsageError{err}
	}
	if opts.Format != "" && !knownFormat(opts.Format) {
		return st, &UsageError{&parsers.ErrUnknownFormat{Name: opts.Format}}
	}
	eng, err := rules.NewEngine(cfg)
	if err != nil {
		return st, &UsageError{err}
	}
	out := bufio.NewWriterSize(opts.Stdout, 64<<10)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	groups := map[string]*group{}
	start := time.Now()
	var errs []error
	for _, name := range opts.Files {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		fs, err := scanFile(ctx, cfg, eng, name, opts, func(ev *parsers.Event) error {
			st.Events++
			if opts.JSON {
				return enc.Encode(ev)
			}
			addGroup(groups, ev)
			return nil
		})
		st.Files++
		st.Lines += fs.Lines
		st.Bytes += fs.Bytes
		st.Records += fs.Records
		st.CutLines += fs.CutLines
		st.CutBytes += fs.CutBytes
		st.TruncatedEvents += fs.TruncatedEvents
		st.ParseErrors += fs.ParseErrors
		if err != nil {
			errs = append(errs, err)
		}
	}
	st.Elapsed = time.Since(start)
	st.Groups = len(groups)
	if !opts.JSON {
		printGroups(out, groups)
		fmt.Fprintln(out, summaryLine(st))
	} else {
		out.Flush()
		fmt.Fprintln(opts.Stderr, summaryLine(st))
	}
	return st, errors.Join(errs...)
}

type fileStats struct {
	Lines, Bytes, Records, CutLines, CutBytes, TruncatedEvents, ParseErrors int64
}

func scanFile(ctx context.Context, cfg *rules.Config, eng *rules.Engine, name string, opts ScanOptions, found func(*parsers.Event) error) (fileStats, error) {
	var fs fileStats
	var r io.Reader
	display := name
	if name == "-" {
		r = opts.Stdin
		display = "<stdin>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fs, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return fs, fmt.Errorf("%s: is a directory", name)
		}
		r = f
	}
	src := cfg.SourceFor(name)
	var popts parsers.Options
	sourceName := ""
	if src != nil {
		popts = src.ParserOptions(cfg)
		sourceName = src.Name
	} else {
		popts = parsers.Options{Limits: cfg.Tattle.Limits}
	}
	if opts.Format != "" {
		popts.Format = opts.Format
	}
	popts.OnDetect = func(format string, lines int) {
		fmt.Fprintf(opts.Stderr, "%s: format %s (detected from %d lines)\n", display, format, lines)
	}
	if popts.Format != "" && popts.Format != "auto" {
		popts.OnDetect = nil
	}
	var ferr error
	p, err := parsers.New(popts, func(rec *parsers.Record) {
		if ferr != nil {
			return
		}
		rule := eng.Match(sourceName, rec)
		if rule == nil {
			return
		}
		ferr = found(eng.Event(sourceName, display, rec, rule))
	})
	if err != nil {
		return fs, &UsageError{fmt.Errorf("%s: %w", display, err)}
	}
	lr := parsers.NewLineReader(r, popts.MaxLineBytes)
	for n := 0; ; n++ {
		l, err := lr.Next()
		if err != nil {
			break
		}
		p.Feed(l)
		if n&0xffff == 0 && ctx.Err() != nil {
			break
		}
		if ferr != nil {
			break
		}
	}
	p.Flush()
	ps := p.Stats()
	fs = fileStats{Lines: lr.Num(), Bytes: lr.Bytes, Records: ps.Records, CutLines: lr.CutLines,
		CutBytes: lr.CutBytes + ps.DroppedBytes, TruncatedEvents: ps.TruncatedEvents, ParseErrors: ps.ParseErrors}
	if err := lr.Err(); err != nil {
		return fs, fmt.Errorf("read %s: %w", display, err)
	}
	if ferr != nil {
		return fs, fmt.Errorf("write: %w", ferr)
	}
	return fs, ctx.Err()
}

func loadConfig(path string, required bool) (*rules.Config, error) {
	if path == "" {
		return rules.Default(), nil
	}
	if _, err := os.Stat(path); err != nil && !required && errors.Is(err, os.ErrNotExist) {
		return rules.Default(), nil
	}
	return rules.Load(path)
}

func knownFormat(name string) bool {
	for _, n := range parsers.FormatNames() {
		if n == name {
			return true
		}
	}
	return false
}

func addGroup(groups map[string]*group, ev *parsers.Event) {
	loc := fmt.Sprintf("%s:%d", ev.File, ev.Line)
	g := groups[ev.Code]
	if g == nil {
		g = &group{code: ev.Code, title: displayTitle(ev), first: loc, order: len(groups)}
		groups[ev.Code] = g
	}
	g.count++
	g.last = loc
}

// displayTitle is the group's title for the table: the auto title
// (exception and message, or the request for access logs), after the
// rule's title when the rule has its own.
func displayTitle(ev *parsers.Event) string {
	auto := rules.AutoTitle(ev)
	if ev.Title == "" || ev.Title == auto {
		return auto
	}
	return ev.Title + ": " + auto
}

func printGroups(w io.Writer, groups map[string]*group) {
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].count != list[j].count {
			return list[i].count > list[j].count
		}
		return list[i].order < list[j].order
	})
	if len(list) == 0 {
		return
	}
	wc, wf, wl := len("CODE"), len("FIRST"), len("LAST")
	for _, g := range list {
		wc = max(wc, len(g.code))
		wf = max(wf, len(g.first))
		wl = max(wl, len(g.last))
	}
	fmt.Fprintf(w, "%-*s  %7s  %-*s  %-*s  %s\n", wc, "CODE", "COUNT", wf, "FIRST", wl, "LAST", "TITLE")
	for _, g := range list {
		fmt.Fprintf(w, "%-*s  %7d  %-*s  %-*s  %s\n", wc, g.code, g.count, wf, g.first, wl, g.last, clip(g.title, 120))
	}
}

// clip shortens s to n runes for the table; the full text is in --json.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func summaryLine(st ScanStats) string {
	secs := st.Elapsed.Seconds()
	rate := ""
	if secs > 0 {
		rate = fmt.Sprintf(" (%.2fM lines/s)", float64(st.Lines)/secs/1e6)
	}
	s := fmt.Sprintf("%d lines, %d bytes, %.3f seconds%s, %d events, %d groups",
		st.Lines, st.Bytes, secs, rate, st.Events, st.Groups)
	if st.CutLines > 0 {
		s += fmt.Sprintf(", %d lines cut at the line limit", st.CutLines)
	}
	if st.TruncatedEvents > 0 {
		s += fmt.Sprintf(", %d events truncated", st.TruncatedEvents)
	}
	if st.CutBytes > 0 {
		s += fmt.Sprintf(", %d bytes dropped", st.CutBytes)
	}
	if st.ParseErrors > 0 {
		s += fmt.Sprintf(", %d lines did not parse", st.ParseErrors)
	}
	return s
}
