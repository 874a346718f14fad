package parsers

import "time"

// ParseTime parses a record's time as written. layout, when set, is tried
// first; then the layouts of the formats tattle knows. Times without a zone
// are taken as UTC; times without a date are not parsed.
func ParseTime(b []byte, layout string) (time.Time, bool) {
	s := string(b)
	if layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, l := range timeLayouts {
		if len(l) != len(s) && l != time.RFC3339Nano {
			continue
		}
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000Z07:00",
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02 15:04:05.000",
	"2006-01-02 15:04:05,000",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05.000",
	"2006-01-02T15:04:05",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04:05.000000",
	"02/Jan/2006:15:04:05 -0700",
	"2006-01-02 15:04:05.000 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05.000000Z07:00",
	"2006-01-02 15:04:05.000000",
}
