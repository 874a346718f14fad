package rules

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every error that means the
// configuration itself is wrong, as opposed to a file that could not be
// read: `tattle check` and friends exit 2 on it.
var ErrInvalid = errors.New("invalid configuration")

// FieldError is one problem in a configuration file. It never carries a
// secret: messages about secret fields say what is wrong, not what the
// value was.
type FieldError struct {
	File      string
	Line, Col int    // 1-based; 0 when unknown
	Field     string // path of the field: rule[2].threshold, channel.ops.token
	Msg       string
	Err       error // underlying error, if any
}

// Error reads "tattle.toml:14:9: rule[2].threshold: window must be > 0 (got 0s)".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File != "" {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d:%d", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// maxErrors bounds how many problems one load reports; a file that is
// wrong everywhere is still described in a screenful.
const maxErrors = 50

// ConfigError is every problem found in one configuration file, in file
// order, one per line.
type ConfigError struct {
	Errors []*FieldError
	// More counts problems left out beyond maxErrors.
	More int
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(fe.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n... and %d more", e.More)
	}
	return b.String()
}

// Unwrap returns the FieldErrors.
func (e *ConfigError) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		out[i] = fe
	}
	return out
}

// Is makes a ConfigError match ErrInvalid.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalid }

// newConfigError sorts errs by position (errors with no position last,
// in the order found) and bounds them; nil when there are none.
func newConfigError(errs []*FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	ce := &ConfigError{Errors: errs}
	if len(errs) > maxErrors {
		ce.Errors, ce.More = errs[:maxErrors], len(errs)-maxErrors
	}
	return ce
}
