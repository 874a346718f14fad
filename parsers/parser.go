package parsers

import (
	"bytes"

	"github.com/tattle-dev/tattle/parsers/traces"
)

// Options configure a Parser.
type Options struct {
	// Format is a format name (see FormatNames); "" means auto.
	Format string
	FormatOptions
	Limits
	// InApp lists the module, package or path prefixes of the app's own code.
	InApp []string
	// OnDetect, when set, is told which format auto-detection picked and
	// from how many lines.
	OnDetect func(format string, lines int)
}

// sampleLines and sampleBytes bound what auto-detection looks at.
const (
	sampleLines = 64
	sampleBytes = 256 << 10
)

// Parser is the whole parsing stage for one input: physical lines in,
// records out. It picks the format (auto-detection buffers the first lines
// of the input, bounded by sampleLines and sampleBytes), unwraps structured
// lines and frames the result with an Assembler.
type Parser struct {
	opts Options
	emit func(*Record)
	unw  Unwrapper
	asm  *Assembler
	name string

	// auto-detection state
	detectOuter bool // still choosing between structured and text
	detectInner bool // still choosing the text format
	sample      []Logical
	sampleBuf   []byte
	sampleSize  int
	emitLogical func(Logical)

	// provisional: plain text was picked from a short sample (the input
	// went quiet early, as a live file does); later lines are sampled
	// again and a format that reads them takes over.
	provisional bool
	resample    [][]byte
	resampleLen int
	prevStats   Stats // counters of assemblers replaced by a later detection
}

// New returns a Parser that calls emit for every record.
func New(opts Options, emit func(*Record)) (*Parser, error) {
	p := &Parser{opts: opts, emit: emit}
	p.emitLogical = p.logical
	name := opts.Format
	switch {
	case name == "" || name == "auto":
		p.detectOuter = true
	case name == "regex":
		f, err := NewRegexFormat(opts.Pattern)
		if err != nil {
			return nil, err
		}
		p.setText(f)
	case name == "plain":
		p.setText(plain{})
	case textFormats[name] != nil:
		p.setText(textFormats[name]())
	case unwrappers[name] != nil:
		u, err := unwrappers[name](opts.FormatOptions)
		if err != nil {
			return nil, err
		}
		p.unw = u
		p.name = name
		if name == "json" {
			p.setText(plain{})
			p.name = "json"
		} else {
			p.detectInner = true
		}
	default:
		return nil, &ErrUnknownFormat{Name: name}
	}
	return p, nil
}

func (p *Parser) setText(f Format) {
	if p.name == "json" {
		// JSON lines are framed without headers; the name stays "json".
	} else if p.name == "" {
		p.name = f.Name()
	} else if p.name != f.Name() {
		p.name += "+" + f.Name()
	}
	p.asm = NewAssembler(f, p.opts.Limits, traces.InApp{Prefixes: p.opts.InApp}, p.emit)
}

// Format names the format in use ("" while still detecting). For a
// container wrapper it names both: "docker+logback".
func (p *Parser) Format() string {
	if p.detectOuter || p.detectInner {
		return ""
	}
	return p.name
}

// Feed parses the next physical line.
func (p *Parser) Feed(l Line) {
	if p.detectOuter {
		p.addSample(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut})
		return
	}
	if p.unw != nil {
		p.unw.Unwrap(l, p.emitLogical)
		return
	}
	p.logical(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut})
}

func (p *Parser) logical(l Logical) {
	if p.detectInner {
		p.addSample(l)
		return
	}
	p.asm.Add(l)
	if p.provisional {
		p.resample = append(p.resample, bytes.Clone(l.Text))
		p.resampleLen += len(l.Text)
		switch n := len(p.resample); {
		case n >= sampleLines || p.resampleLen >= sampleBytes:
			p.redetect(true)
		case n >= 4 && n&(n-1) == 0: // 4, 8, 16, 32 lines: switch early
			p.redetect(false)
		}
	}
}

// redetect looks at the lines read since a provisional plain decision and
// switches to the format that reads them; full says the sample is complete,
// so that plain becomes final.
func (p *Parser) redetect(full bool) {
	f, count := detectTextCount(p.resample)
	n := len(p.resample)
	if _, isPlain := f.(plain); isPlain || !full && count*2 < n {
		// Before the sample is complete, a format must read at least
		// half of the new lines to take over.
		if full {
			p.provisional, p.resample, p.resampleLen = false, nil, 0
		}
		return
	}
	p.asm.Flush()
	p.prevStats = p.prevStats.add(p.asm.Stats)
	p.name = ""
	if p.unw != nil {
		p.name = p.unw.Name()
	}
	p.provisional, p.resample, p.resampleLen = false, nil, 0
	p.setText(f)
	p.report(n)
}

func (s Stats) add(o Stats) Stats {
	return Stats{Records: s.Records + o.Records, TruncatedEvents: s.TruncatedEvents + o.TruncatedEvents,
		DroppedLines: s.DroppedLines + o.DroppedLines, DroppedBytes: s.DroppedBytes + o.DroppedBytes,
		CutLines: s.CutLines + o.CutLines, ParseErrors: s.ParseErrors + o.ParseErrors}
}

// addSample copies l into the detection sample and decides once the sample
// is full.
func (p *Parser) addSample(l Logical) {
	off := len(p.sampleBuf)
	p.sampleBuf = append(p.sampleBuf, l.Text...)
	l.Text = p.sampleBuf[off:len(p.sampleBuf):len(p.sampleBuf)]
	p.sample = append(p.sample, l)
	p.sampleSize += len(l.Text)
	if len(p.sample) >= sampleLines || p.sampleSize >= sampleBytes {
		p.decide()
	}
}

// decide picks the format from the sample and replays it.
func (p *Parser) decide() {
	sample := p.sample
	p.sample = nil
	// The sample's texts live in sampleBuf; an inner sample taken while
	// replaying must not write over them, so it gets a buffer of its own.
	p.sampleBuf = nil
	texts := make([][]byte, len(sample))
	for i, l := range sample {
		texts[i] = l.Text
	}
	if p.detectOuter {
		p.detectOuter = false
		if name, u := detectUnwrapper(texts, p.opts.FormatOptions); u != nil {
			p.unw = u
			p.name = name
			if name == "json" {
				p.setText(plain{})
			} else {
				p.detectInner = true
			}
			p.report(len(sample))
			for _, l := range sample {
				p.unw.Unwrap(Line{Num: l.Num, Bytes: l.Text, Cut: l.Cut}, p.emitLogical)
			}
			return
		}
	} else {
		p.detectInner = false
	}
	f := detectText(texts)
	if _, isPlain := f.(plain); isPlain && len(sample) < sampleLines && p.name != "json" {
		p.provisional = true
	}
	p.setText(f)
	p.report(len(sample))
	for _, l := range sample {
		p.asm.Add(l)
	}
}

func (p *Parser) report(n int) {
	if p.opts.OnDetect != nil && !p.detectOuter && !p.detectInner {
		p.opts.OnDetect(p.name, n)
	}
}

// Flush ends the input: it decides the format if the sample was short,
// and emits everything pending.
func (p *Parser) Flush() {
	if p.detectOuter {
		p.decide()
	}
	if p.unw != nil {
		p.unw.Flush(p.emitLogical)
	}
	if p.detectInner {
		p.decide()
	}
	if p.provisional && len(p.resample) > 0 {
		p.redetect(false)
	}
	if p.asm != nil {
		p.asm.Flush()
	}
}

// Pending returns the first physical line fed to the parser that is not yet
// part of an emitted record, and whether there is one: the line a follower
// must resume from if it stopped now. Lines fed after it may have been
// emitted already (container streams interleave), so resuming there can
// repeat records but never loses one.
func (p *Parser) Pending() (int64, bool) {
	var first int64
	ok := false
	take := func(n int64, has bool) {
		if has && (!ok || n < first) {
			first, ok = n, true
		}
	}
	if len(p.sample) > 0 {
		take(p.sample[0].Num, true)
	}
	if u, is := p.unw.(interface{ Pending() (int64, bool) }); is {
		take(u.Pending())
	}
	if p.asm != nil {
		take(p.asm.Pending())
	}
	return first, ok
}

// FlushSettled emits a record that is a lone header line (see
// Assembler.FlushSettled); records still being sampled for auto-detection
// wait.
//
// A follower calls it when it has read all there is for now, so a format
// still being detected is decided on the lines at hand (a plain decision
// from a short sample stays provisional, see redetect): the first event of
// a new file does not wait for 64 lines or the flush interval.
func (p *Parser) FlushSettled() {
	if p.detectOuter && len(p.sample) > 0 {
		p.decide()
	}
	if p.detectInner && len(p.sample) > 0 {
		p.decide()
	}
	if p.provisional && len(p.resample) > 0 {
		p.redetect(false)
	}
	if p.asm != nil && !p.detectOuter && !p.detectInner {
		p.asm.FlushSettled()
	}
}

// Stats returns the framing counters.
func (p *Parser) Stats() Stats {
	if p.asm == nil {
		return p.prevStats
	}
	return p.prevStats.add(p.asm.Stats)
}

// detectText picks the header format that reads the most sample lines as
// headers. Formats later in detectOrder are more general (the generic
// timestamp format reads every line the others read), so a later format
// wins only when it reads clearly more: an earlier one within 90% of the
// best count is preferred. Plain text when none reads any line.
func detectText(sample [][]byte) Format {
	f, _ := detectTextCount(sample)
	return f
}

// detectTextCount is detectText, also returning how many lines the chosen
// format read as headers.
func detectTextCount(sample [][]byte) (Format, int) {
	counts := make([]int, len(detectOrder))
	best := 0
	var h Header
	for k, name := range detectOrder {
		mk := textFormats[name]
		if mk == nil {
			continue
		}
		f := mk()
		for _, line := range sample {
			h.Reset()
			if f.Header(line, &h) {
				counts[k]++
			}
		}
		best = max(best, counts[k])
	}
	if best == 0 {
		return plain{}, 0
	}
	for k, n := range counts {
		if n > 0 && n*10 >= best*9 {
			// A fresh instance: a format may keep state between
			// lines (rails), and the sample's must not leak into
			// the replay.
			return textFormats[detectOrder[k]](), n
		}
	}
	return plain{}, 0
}

// detectUnwrapper picks a structured format when most non-blank sample
// lines are of it.
func detectUnwrapper(sample [][]byte, opts FormatOptions) (string, Unwrapper) {
	for _, name := range unwrapOrder {
		sniff := sniffers[name]
		if sniff == nil {
			continue
		}
		n, total := 0, 0
		for _, line := range sample {
			if isBlank(line) {
				continue
			}
			total++
			if sniff(line) {
				n++
			}
		}
		if total > 0 && n*2 > total {
			u, err := unwrappers[name](opts)
			if err != nil {
				continue
			}
			return name, u
		}
	}
	return "", nil
}

// sniffers tell whether a line looks like a structured format; detection
// order is unwrapOrder.
var sniffers = map[string]func([]byte) bool{}

var unwrapOrder = []string{"docker", "cri", "json"}

// detectOrder is the order auto-detection tries header formats in: the
// most specific first.
var detectOrder = []string{"logback", "log4j", "python", "rails", "go", "nginx", "apache", "syslog", "timestamp"}
