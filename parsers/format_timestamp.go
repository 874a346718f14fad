package parsers

// timestampFormat is format "timestamp", the generic first-line detection:
// any line that begins with a date or a date-time (optionally in brackets)
// starts a record, and an upper-case level word among the next few words is
// its level. It is the last choice of auto-detection, taken only when no
// specific format reads the file nearly as well, so that custom application
// logs ("2024-03-24 12:00:01 worker 3 ERROR lost connection") and the
// container logs of such apps still join their continuation lines.
type timestampFormat struct{}

func init() { registerFormat("timestamp", func() Format { return timestampFormat{} }) }

func (timestampFormat) Name() string { return "timestamp" }

func (timestampFormat) Header(line []byte, h *Header) bool {
	i := 0
	if byteAt(line, 0) == '[' {
		i = 1
	}
	end, layout := scanStamp(line, i)
	if layout == "" {
		// No date-time. A date alone ("2020-03-24 Multiple lines") will
		// do; a time alone will not: "00:00:03 elapsed" is prose.
		shape, e := dateAt(line, i)
		if e < 0 || shape == dateNone {
			return false
		}
		end = e
	}
	h.Time, h.TimeLayout = line[i:end], layout
	if i == 1 {
		if byteAt(line, end) != ']' {
			return false
		}
		end++
	}
	switch byteAt(line, end) {
	case 0, ' ', '\t', ',', '|', ']':
	default:
		return false
	}
	msg := end
	if l, _, e := findLevel(line, end, 4); e >= 0 {
		h.Level = l
		msg = e
		for msg < len(line) && (line[msg] == ']' || line[msg] == ')' || line[msg] == '>' || line[msg] == ':') {
			msg++
		}
	}
	h.Msg = line[skipSpaces(line, msg):]
	return true
}
