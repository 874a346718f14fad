// Package store is tattle's embedded state: the one place every stage
// persists to, inside [tattle] state_dir. It owns the files of that
// directory and nothing else: named sections of key -> value (file
// positions, incidents, auto codes, silences, the notification outbox),
// held in memory and made durable on disk. Positions of followed files,
// keyed by file identity rather than path, are built on top in offsets.go.
//
// # Files
//
//	lock                  flock'ed by the open Store; holds its pid
//	state.db              the snapshot: every entry as of some journal generation
//	journal.0000000007    changes since then, appended in order
//	state.db.tmp          a snapshot being written (never loaded)
//
// Both state.db and the journals are an 8-byte magic ("TTLSNAP\x01",
// "TTLJRNL\x01") followed by frames:
//
//	length u32le | crc32c(length) u32le | crc32c(payload) u32le | payload
//
// A payload is a kind byte and its fields: a header (the snapshot names
// the first journal generation it does not hold; a journal names its own),
// put (section, key, value), delete (section, key), and the snapshot's end
// record (how many entries it holds). Strings are uvarint-length-prefixed.
// Snapshot entries are sorted by section and key. Records are numbered
// from 1 in each file, header included, in error messages.
//
// # Writing
//
// Put and Delete append a record to a buffered journal and change the
// in-memory map; the buffer reaches the file when full. Sync writes the
// buffer and fsyncs the journal: after it returns, every change before it
// survives a crash or power cut. Checkpoint (also run by Sync once the
// journal passes Options.MaxJournalBytes or MaxJournalRecords, and by
// Close) creates journal g+1, fsyncs journal g and switches writers to
// g+1 under the lock, copies the map, then outside the lock writes the
// copy to state.db.tmp, fsyncs it, renames it over state.db, fsyncs the
// directory and deletes journals below g+1. No file is ever modified in
// place or truncated: files are created, appended, renamed over whole,
// or deleted once a durable snapshot holds everything in them.
//
// # Loading and the torn-tail rule
//
// Open takes the lock, loads state.db (a missing snapshot is a new
// directory, unless journals exist), then replays journals from the
// snapshot's generation on; they must be contiguous. Journals below it are
// leftovers of a checkpoint that crashed after its rename and are deleted.
//
// A crash can cut the last append short; a power cut can also leave zeros
// where it should be. So a frame is a torn tail when the file ends inside
// its header; or its header checksum fails and the rest of the file is
// zero; or its header is intact and the file ends inside its payload; or
// its header is intact, its payload ends at the end of the file and the
// payload checksum fails; a journal that ends inside or right after its
// magic is torn too. A torn tail is accepted only in a journal, and
// only when no later journal holds a record: journal g is fsynced before
// g+1 gets its first record, so a tear followed by records is not a crash.
// Everything else that fails to decode (any damage in state.db, a bad
// checksum with bytes after it, a damaged header followed by non-zero
// bytes, an impossible length under an intact header, a missing journal)
// is corruption: Open returns a CorruptError naming the file, record and
// byte offset, errors.Is(err, ErrCorrupt) holds, and Open changes nothing.
// Torn tails are dropped and reported by Recovery; when there was one (or
// several journals), Open folds the state into a new snapshot and starts a
// new journal rather than append after a tear.
//
// # Why a kill -9 at any moment leaves a state that loads
//
// Journal appends are whole frames written in order, so a crash leaves a
// prefix of them, at worst with a torn last frame: the state is the
// snapshot plus a prefix of the changes, and everything before the last
// Sync is in that prefix. A new journal's header and directory entry are
// fsynced when it is created, so a Sync of the file alone makes its
// records durable. During a checkpoint the directory holds, at every
// moment, either the old snapshot with every journal it lacks, or the new
// snapshot (renamed only after fsync) with the journals after it: old
// journals are deleted only after the rename is made durable. A crash
// while writing state.db.tmp leaves a temp file that Open deletes.
//
// Limits: section names MaxSectionSize bytes, keys Options.MaxKeySize,
// values Options.MaxValueSize; the number of entries is the callers' to
// bound (all entries are in memory).
package store
