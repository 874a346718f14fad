package rules

import "fmt"

// Check loads and validates the configuration at path, compiles its rules
// as the daemon would, and returns a one-line summary such as
// "tattle.toml: ok: 2 sources, 5 rules, 2 channels". It never prints a
// secret. The command line owns the exit codes: errors.Is(err, ErrInvalid)
// means the file is wrong (exit 2).
func Check(path string) (string, error) {
	c, err := Load(path)
	if err != nil {
		return "", err
	}
	if _, err := NewEngine(c); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return fmt.Sprintf("%s: ok: %s", path, c), nil
}
