package app

import "github.com/tattle-dev/tattle/rules"

// Check validates the configuration at path and returns a one-line summary.
// Every error it returns is a UsageError (exit code 2).
func Check(path string) (string, error) {
	s, err := rules.Check(path)
	if err != nil {
		return "", &UsageError{err}
	}
	return s, nil
}
