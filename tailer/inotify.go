package tailer

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// inotifyLimits reads the per-user inotify limits. They are checked before
// the watcher is made because running out of them is the failure that made
// nxadm/tail call os.Exit; here it means the polling mode instead.
func inotifyLimits() (instances, watches int, err error) {
	read := func(name string) (int, error) {
		b, err := os.ReadFile("/proc/sys/fs/inotify/" + name)
		if err != nil {
			return 0, err
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return n, nil
	}
	if instances, err = read("max_user_instances"); err != nil {
		return 0, 0, err
	}
	if watches, err = read("max_user_watches"); err != nil {
		return 0, 0, err
	}
	return instances, watches, nil
}
