package parsers

// Level is a record's severity, normalised across formats. The zero Level
// means the record carries none.
type Level uint8

// Levels in increasing order of severity. Error and everything above it are
// errors for the built-in rules.
const (
	LevelNone Level = iota
	LevelTrace
	LevelDebug
	LevelInfo
	LevelNotice
	LevelWarn
	LevelError
	LevelCritical
	LevelSevere
	LevelFatal
	LevelPanic
	LevelAlert
	LevelEmerg
)

var levelNames = [...]string{
	LevelNone: "", LevelTrace: "TRACE", LevelDebug: "DEBUG", LevelInfo: "INFO",
	LevelNotice: "NOTICE", LevelWarn: "WARN", LevelError: "ERROR",
	LevelCritical: "CRITICAL", LevelSevere: "SEVERE", LevelFatal: "FATAL",
	LevelPanic: "PANIC", LevelAlert: "ALERT", LevelEmerg: "EMERG",
}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return ""
}

// IsError reports whether l is ERROR or above.
func (l Level) IsError() bool { return l >= LevelError }

// ParseLevel recognises a level word in any case, with the synonyms the
// common loggers use (WARNING, ERR, CRIT, EMERGENCY, DPANIC, E, W, ...). It
// returns LevelNone for anything else. It does not allocate.
func ParseLevel(b []byte) Level {
	if len(b) == 0 || len(b) > 9 {
		return LevelNone
	}
	var up [9]byte
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	u := up[:len(b)]
	switch len(u) {
	case 1:
		switch u[0] {
		case 'T':
			return LevelTrace
		case 'D':
			return LevelDebug
		case 'I':
			return LevelInfo
		case 'W':
			return LevelWarn
		case 'E':
			return LevelError
		case 'F':
			return LevelFatal
		case 'C':
			return LevelCritical
		}
		return LevelNone
	}
	switch string(u) { // the compiler does not allocate for this conversion
	case "TRACE", "TRC", "FINEST", "FINER":
		return LevelTrace
	case "DEBUG", "DBG", "FINE", "VERBOSE":
		return LevelDebug
	case "INFO", "INF", "INFORMATION", "CONFIG":
		return LevelInfo
	case "NOTICE":
		return LevelNotice
	case "WARN", "WARNING", "WRN":
		return LevelWarn
	case "ERROR", "ERR", "ERRO":
		return LevelError
	case "CRITICAL", "CRIT", "CRT":
		return LevelCritical
	case "SEVERE":
		return LevelSevere
	case "FATAL", "FTL", "FATA":
		return LevelFatal
	case "PANIC", "DPANIC", "PANI":
		return LevelPanic
	case "ALERT":
		return LevelAlert
	case "EMERG", "EMERGENCY":
		return LevelEmerg
	}
	return LevelNone
}

// LevelByName returns the level named s (as ParseLevel) and whether it is one.
func LevelByName(s string) (Level, bool) {
	l := ParseLevel([]byte(s))
	return l, l != LevelNone
}

// syslogSeverity maps an RFC 5424 severity (0-7) to a Level.
func syslogSeverity(sev int) Level {
	switch sev {
	case 0:
		return LevelEmerg
	case 1:
		return LevelAlert
	case 2:
		return LevelCritical
	case 3:
		return LevelError
	case 4:
		return LevelWarn
	case 5:
		return LevelNotice
	case 6:
		return LevelInfo
	default:
		return LevelDebug
	}
}

// numericLevel maps bunyan/pino numeric levels to a Level.
func numericLevel(n int) Level {
	switch {
	case n >= 60:
		return LevelFatal
	case n >= 50:
		return LevelError
	case n >= 40:
		return LevelWarn
	case n >= 30:
		return LevelInfo
	case n >= 20:
		return LevelDebug
	case n > 0:
		return LevelTrace
	}
	return LevelNone
}
