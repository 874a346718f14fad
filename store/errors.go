package store

import (
	"errors"
	"fmt"
)

var (
	// ErrLocked means another process holds the state directory.
	ErrLocked = errors.New("state directory is locked by another process")
	// ErrCorrupt means a state file cannot be decoded. The file is left as
	// it is; see CorruptError for where and why.
	ErrCorrupt = errors.New("state is corrupt")
	// ErrTooLarge means a section name, key or value is over its limit.
	ErrTooLarge = errors.New("too large")
	// ErrClosed means the store was closed.
	ErrClosed = errors.New("store is closed")
)

// CorruptError says which state file cannot be decoded, where and why.
// errors.Is(err, ErrCorrupt) holds for it.
type CorruptError struct {
	Path   string
	Record int   // 1-based frame number in the file; 0 when the problem is not one record
	Offset int64 // byte offset of that frame
	Reason string
}

func (e *CorruptError) Error() string {
	if e.Record > 0 {
		return fmt.Sprintf("%s: record %d at byte %d: %s", e.Path, e.Record, e.Offset, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// TornTail is the incomplete end of a journal that a crash left behind.
// Open drops it: those changes were never made durable by Sync.
type TornTail struct {
	Path   string
	Record int   // 1-based frame number of the first dropped frame
	Offset int64 // where the dropped bytes start
	Bytes  int64 // how many bytes were dropped
	Reason string
}

func (t TornTail) String() string {
	return fmt.Sprintf("%s: record %d at byte %d: dropped %d bytes: %s", t.Path, t.Record, t.Offset, t.Bytes, t.Reason)
}

// Recovery reports what Open found and did.
type Recovery struct {
	Snapshot  bool       // a snapshot was loaded
	Journals  int        // journals replayed
	Records   int        // journal records replayed (puts and deletes)
	Torn      []TornTail // torn tails dropped; empty after a clean shutdown
	Compacted bool       // Open folded the journals into a new snapshot
}
