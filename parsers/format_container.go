package parsers

// This file owns the container log wrappers: format "docker" (Docker's
// json-file driver, one {"log":...,"stream":...,"time":...} object per line)
// and format "cri" (CRI-O and containerd: "TIME STREAM P|F TEXT"). Both
// split a long line of the container's output into partial lines, which are
// rejoined here; the inner text then goes to a header format picked by its
// own auto-detection.
//
// A Logical from a wrapper has no Header (the inner format reads the text),
// so the wrapper's stream and time cannot ride on it: they are kept by the
// unwrapper and returned by Meta while emit runs. Partial chains are kept
// per stream, as stdout and stderr are written to the same file by
// different writers and their parts may interleave.

import (
	"bytes"
	"cmp"
	"slices"
)

func init() {
	registerUnwrapper("docker", newDockerUnwrapper, sniffDocker)
	registerUnwrapper("cri", newCRIUnwrapper, sniffCRI)
}

// Logical.Err values of the container formats.
const (
	errDockerNoLog = "docker line without a log string"
	errNotCRI      = "not a CRI log line"
)

// ContainerMeta is what a container wrapper knew about the logical line it
// emitted last: the stream (stdout, stderr) and the time as written by the
// runtime, of the line's first part. Time is valid while emit runs.
type ContainerMeta struct {
	Stream string
	Time   []byte
}

// containerPart is one stream's chain of partial lines.
type containerPart struct {
	active   bool
	num, end int64
	cut      bool
	buf      []byte
	stream   []byte
	time     []byte
}

// containerJoiner rejoins partial lines. A chain is bounded by max bytes
// (the line limit): what comes after is dropped and the line flagged Cut.
type containerJoiner struct {
	max   int
	parts [3]containerPart // stdout, stderr, any other stream
	last  int              // the part the previous line went to
	meta  ContainerMeta
}

// pending is the first physical line of the oldest chain not yet emitted.
func (j *containerJoiner) pending() (int64, bool) {
	var first int64
	ok := false
	for i := range j.parts {
		if p := &j.parts[i]; p.active && (!ok || p.num < first) {
			first, ok = p.num, true
		}
	}
	return first, ok
}

func streamIndex(stream []byte) int {
	switch string(stream) {
	case "stdout":
		return 0
	case "stderr":
		return 1
	}
	return 2
}

// begin returns the chain the part of physical line num on stream joins,
// starting one if none is pending. A part without a stream (a docker line
// cut before its "stream" key) goes with the line before it. The caller
// appends the part's text to its buf and calls end.
func (j *containerJoiner) begin(stream []byte, num int64, t []byte) *containerPart {
	if stream != nil {
		j.last = streamIndex(stream)
	}
	p := &j.parts[j.last]
	if !p.active {
		p.active, p.num, p.cut = true, num, false
		p.buf = p.buf[:0]
		p.stream = append(p.stream[:0], stream...)
		p.time = append(p.time[:0], t...)
	}
	p.end = num
	return p
}

// end bounds the chain after a part was appended and emits it when the
// part completed it.
func (j *containerJoiner) end(p *containerPart, complete, cut bool, emit func(Logical)) {
	if cut {
		p.cut = true
	}
	if len(p.buf) > j.max {
		p.buf = p.buf[:utf8Cut(p.buf, j.max)]
		p.cut = true
	}
	if complete {
		j.emit(p, emit)
	}
}

// emit hands the chain on as logical lines: one, unless the runtime wrote
// a newline inside a part.
func (j *containerJoiner) emit(p *containerPart, emit func(Logical)) {
	p.active = false
	j.meta.Time = p.time
	switch string(p.stream) {
	case "stdout":
		j.meta.Stream = "stdout"
	case "stderr":
		j.meta.Stream = "stderr"
	default:
		j.meta.Stream = string(p.stream)
	}
	text := p.buf
	for {
		nl := bytes.IndexByte(text, '\n')
		if nl < 0 {
			emit(Logical{Num: p.num, EndNum: p.end, Text: trimCR(text), Cut: p.cut})
			return
		}
		emit(Logical{Num: p.num, EndNum: p.end, Text: trimCR(text[:nl])})
		text = text[nl+1:]
	}
}

// flush emits the pending chains, oldest first.
func (j *containerJoiner) flush(emit func(Logical)) {
	var order []*containerPart
	for i := range j.parts {
		if j.parts[i].active {
			order = append(order, &j.parts[i])
		}
	}
	slices.SortFunc(order, func(a, b *containerPart) int { return cmp.Compare(a.num, b.num) })
	for _, p := range order {
		j.emit(p, emit)
	}
}

// dockerUnwrapper is format "docker". The partial-line limit is
// DefaultMaxLineBytes: FormatOptions carry no line limit.
type dockerUnwrapper struct {
	sc jsonScanner
	j  containerJoiner
}

const (
	dockerLog = iota
	dockerStream
	dockerTime
	dockerSlots
)

// Pending is the first physical line of a partial chain not yet emitted.
func (d *dockerUnwrapper) Pending() (int64, bool) { return d.j.pending() }

func newDockerUnwrapper(FormatOptions) (Unwrapper, error) {
	d := &dockerUnwrapper{j: containerJoiner{max: DefaultMaxLineBytes}}
	d.sc.init(dockerSlots, 0, false)
	d.sc.addTarget("log", dockerLog, 0)
	d.sc.addTarget("stream", dockerStream, 0)
	d.sc.addTarget("time", dockerTime, 0)
	return d, nil
}

func (d *dockerUnwrapper) Name() string { return "docker" }

// Meta returns the stream and time of the logical line emitted last.
func (d *dockerUnwrapper) Meta() ContainerMeta { return d.j.meta }

func (d *dockerUnwrapper) Unwrap(l Line, emit func(Logical)) {
	if e := d.sc.scan(l.Bytes, l.Cut); e != "" {
		emit(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut, Err: e})
		return
	}
	hits := &d.sc.hits
	log := &(*hits)[dockerLog]
	if !log.set || log.v.kind != jsonString {
		emit(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut, Err: errDockerNoLog})
		return
	}
	// Stream names and times hold no escapes; a value that does is kept
	// as written.
	var stream, t []byte
	if h := (*hits)[dockerStream]; h.set && h.v.kind == jsonString {
		stream = h.v.raw
	}
	if h := (*hits)[dockerTime]; h.set && h.v.kind == jsonString {
		t = h.v.raw
	}
	p := d.j.begin(stream, l.Num, t)
	start := len(p.buf)
	p.buf = d.sc.appendValue(p.buf, &log.v)
	// Docker ends every complete line with "\n"; a part without one is
	// continued by the next part of its stream. A physical line cut at the
	// limit lost its end, so it ends its chain.
	complete := l.Cut || log.v.partial
	if n := len(p.buf); n > start && p.buf[n-1] == '\n' {
		p.buf = p.buf[:n-1]
		complete = true
	}
	d.j.end(p, complete, l.Cut, emit)
}

func (d *dockerUnwrapper) Flush(emit func(Logical)) { d.j.flush(emit) }

// sniffDocker reports whether line starts as a json-file record: {"log":
func sniffDocker(line []byte) bool {
	i := jsonSkipWS(line, jsonSkipBOM(line))
	if i >= len(line) || line[i] != '{' {
		return false
	}
	i = jsonSkipWS(line, i+1)
	if !bytes.HasPrefix(line[i:], []byte(`"log"`)) {
		return false
	}
	i = jsonSkipWS(line, i+5)
	return i < len(line) && line[i] == ':'
}

// criUnwrapper is format "cri"; limits as dockerUnwrapper.
type criUnwrapper struct {
	j containerJoiner
}

func newCRIUnwrapper(FormatOptions) (Unwrapper, error) {
	return &criUnwrapper{j: containerJoiner{max: DefaultMaxLineBytes}}, nil
}

func (c *criUnwrapper) Name() string { return "cri" }

// Pending is the first physical line of a partial chain not yet emitted.
func (c *criUnwrapper) Pending() (int64, bool) { return c.j.pending() }

// Meta returns the stream and time of the logical line emitted last.
func (c *criUnwrapper) Meta() ContainerMeta { return c.j.meta }

func (c *criUnwrapper) Unwrap(l Line, emit func(Logical)) {
	t, stream, partial, text, ok := parseCRI(l.Bytes)
	if !ok {
		emit(Logical{Num: l.Num, EndNum: l.Num, Text: l.Bytes, Cut: l.Cut, Err: errNotCRI})
		return
	}
	p := c.j.begin(stream, l.Num, t)
	p.buf = append(p.buf, text...)
	// Unlike docker's, a cut CRI part still says whether it was the last.
	c.j.end(p, !partial, l.Cut, emit)
}

func (c *criUnwrapper) Flush(emit func(Logical)) { c.j.flush(emit) }

// parseCRI splits "TIME STREAM TAGS TEXT". TAGS is P (partial) or F
// (full), optionally followed by ":"-separated tags of later versions.
func parseCRI(b []byte) (t, stream []byte, partial bool, text []byte, ok bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 0 || !isRFC3339(b[:sp]) {
		return nil, nil, false, nil, false
	}
	t, b = b[:sp], b[sp+1:]
	sp = bytes.IndexByte(b, ' ')
	if sp <= 0 {
		return nil, nil, false, nil, false
	}
	stream, b = b[:sp], b[sp+1:]
	tag := b
	if sp = bytes.IndexByte(b, ' '); sp >= 0 {
		tag, text = b[:sp], b[sp+1:]
	}
	if len(tag) == 0 || (tag[0] != 'P' && tag[0] != 'F') || (len(tag) > 1 && tag[1] != ':') {
		return nil, nil, false, nil, false
	}
	return t, stream, tag[0] == 'P', text, true
}

// sniffCRI reports whether line is a CRI record written to stdout or stderr.
func sniffCRI(line []byte) bool {
	_, stream, _, _, ok := parseCRI(line)
	return ok && (string(stream) == "stdout" || string(stream) == "stderr")
}

// isRFC3339 reports whether b is an RFC 3339 time with seconds, as
// 2016-10-06T00:17:09.669794202Z or 2016-10-06T02:17:09+02:00.
func isRFC3339(b []byte) bool {
	const shape = "dddd-dd-ddTdd:dd:dd"
	if len(b) < len(shape)+1 {
		return false
	}
	for i := 0; i < len(shape); i++ {
		c := b[i]
		switch shape[i] {
		case 'd':
			if c < '0' || c > '9' {
				return false
			}
		case 'T':
			if c != 'T' && c != 't' {
				return false
			}
		default:
			if c != shape[i] {
				return false
			}
		}
	}
	b = b[len(shape):]
	if b[0] == '.' {
		i := 1
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		b = b[i:]
	}
	switch {
	case len(b) == 1:
		return b[0] == 'Z' || b[0] == 'z'
	case len(b) == 6 && (b[0] == '+' || b[0] == '-') && b[3] == ':':
		return allDigits(b[1:3]) && allDigits(b[4:6])
	}
	return false
}
