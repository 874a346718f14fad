package tailer

import "sync/atomic"

// Metrics are the tailer's counters. The lead passes one in (or reads the
// one New made through Tailer.Metrics) and exports it; nothing here is
// global, so tests run in parallel.
type Metrics struct {
	// FilesOpen is a gauge: files held open now, draining ones included.
	FilesOpen atomic.Int64
	// Opens counts files opened for following.
	Opens atomic.Int64
	// BytesRead counts bytes handed to Handler.Data.
	BytesRead atomic.Int64
	// Rotations counts files finished after a rename (Rotated events).
	Rotations atomic.Int64
	// Deletions counts files finished after their last link went away
	// (Deleted events).
	Deletions atomic.Int64
	// Truncations counts size < offset detections (Truncated events),
	// including a resume offset beyond the end of the file.
	Truncations atomic.Int64
	// LostTruncated is lost_bytes{reason="truncated"}: bytes the tailer saw
	// in a file (by its size) but could not read before a truncation
	// removed them. Bytes written and truncated between two looks at the
	// file are invisible to any reader and cannot be counted here.
	LostTruncated atomic.Int64
	// ReadErrors counts failed reads or stats of an open file.
	ReadErrors atomic.Int64
	// OpenErrors counts paths that matched a glob and could not be
	// followed (reported once per path and problem).
	OpenErrors atomic.Int64
	// ReadRounds counts wake-ups that read a file to its end; with Bytes
	// it shows how well reading is batched.
	ReadRounds atomic.Int64
	// Rescans counts full glob rescans, counted when done (matches
	// followed, watches in place).
	Rescans atomic.Int64
	// Polling is 1 while the tailer runs in its polling fallback mode.
	Polling atomic.Int64
}
