//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"fmt"
	"os"
	"runtime"
)

func lockDir(dir, path string) (*os.File, error) {
	return nil, fmt.Errorf("state dir %s: locking is not implemented on %s", dir, runtime.GOOS)
}

func unlockDir(f *os.File) error { return f.Close() }
