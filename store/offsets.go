package store

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"
)

// OffsetsSection is the section that holds file positions.
const OffsetsSection = "offsets"

// HeadBytes is how many leading bytes of a file its key hashes at most.
const HeadBytes = 1024

// headHexLen keeps 128 bits of the SHA-256: plenty to tell two files on one
// inode apart, and short enough to read in a key.
const headHexLen = 32

// FileKey is a file's identity, so that a position follows the file and
// not its name: a log renamed by logrotate while tattle was down is found
// again under its new name, and a new file that reuses a freed inode is
// not taken for the old one.
//
// A key taken from a file shorter than HeadBytes hashes fewer bytes and so
// tells less apart; once the file has grown, a caller that wants the full
// strength takes KeyOf again (after Matches holds) and moves the position.
type FileKey struct {
	Dev, Ino uint64
	HeadLen  int    // bytes hashed: min(size, HeadBytes) when first seen
	Head     string // hex SHA-256 of those bytes, truncated
}

// String is the key's name in OffsetsSection.
func (k FileKey) String() string {
	return fmt.Sprintf("%x:%x:%d:%s", k.Dev, k.Ino, k.HeadLen, k.Head)
}

// KeyOf returns the key of an open file. It reads with ReadAt and leaves
// the file offset alone.
func KeyOf(f *os.File) (FileKey, error) {
	fi, err := f.Stat()
	if err != nil {
		return FileKey{}, fmt.Errorf("key of %s: %w", f.Name(), err)
	}
	dev, ino, ok := devIno(fi)
	if !ok {
		return FileKey{}, fmt.Errorf("key of %s: no device and inode on this system", f.Name())
	}
	n := int(min(fi.Size(), HeadBytes))
	head, err := readHead(f, n)
	if err != nil {
		return FileKey{}, fmt.Errorf("key of %s: %w", f.Name(), err)
	}
	// The file may have shrunk since Stat; the key covers what was read.
	return FileKey{Dev: dev, Ino: ino, HeadLen: len(head), Head: hashHead(head)}, nil
}

// Matches reports whether f is the file k was taken from: the same device
// and inode, at least HeadLen bytes long, with the same first HeadLen bytes.
// A file that grew still matches; one that shrank below HeadLen or was
// rewritten from the start does not.
func (k FileKey) Matches(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("match %s: %w", f.Name(), err)
	}
	dev, ino, ok := devIno(fi)
	if !ok || dev != k.Dev || ino != k.Ino || fi.Size() < int64(k.HeadLen) || k.HeadLen < 0 || k.HeadLen > HeadBytes {
		return false, nil
	}
	head, err := readHead(f, k.HeadLen)
	if err != nil {
		return false, fmt.Errorf("match %s: %w", f.Name(), err)
	}
	return len(head) == k.HeadLen && hashHead(head) == k.Head, nil
}

func readHead(f *os.File, n int) ([]byte, error) {
	buf := make([]byte, n)
	got, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:got], nil
}

func hashHead(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:headHexLen]
}

// FindByKey returns the first of candidates that is the file k was taken
// from, for example a log's rotated names (app.log.1, ...) when its saved
// key no longer matches the file at its saved path. Candidates that do not
// exist are skipped; other errors are returned only when nothing matched.
func FindByKey(k FileKey, candidates []string) (string, bool, error) {
	var errs []error
	for _, path := range candidates {
		fi, err := os.Stat(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		// Device and inode first: opening and hashing every candidate
		// would cost a read per file where a stat suffices.
		if dev, ino, ok := devIno(fi); !ok || dev != k.Dev || ino != k.Ino || !fi.Mode().IsRegular() {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		ok, err := k.Matches(f)
		f.Close()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			return path, true, nil
		}
	}
	return "", false, errors.Join(errs...)
}

// Position is how far a file has been read and handed on.
type Position struct {
	Path    string // where the file was last seen
	Key     FileKey
	Offset  int64 // bytes handed on
	Line    int64 // physical lines handed on
	Updated time.Time
}

type positionJSON struct {
	Path    string    `json:"path"`
	Dev     uint64    `json:"dev"`
	Ino     uint64    `json:"ino"`
	HeadLen int       `json:"head_len"`
	Head    string    `json:"head"`
	Offset  int64     `json:"offset"`
	Line    int64     `json:"line"`
	Updated time.Time `json:"updated"`
}

// SetPosition records p under p.Key. Like Put, it is durable after Sync.
func (s *Store) SetPosition(p Position) error {
	if p.Offset < 0 || p.Line < 0 {
		return fmt.Errorf("set position of %s: negative offset %d or line %d", p.Path, p.Offset, p.Line)
	}
	v, err := json.Marshal(positionJSON{Path: p.Path, Dev: p.Key.Dev, Ino: p.Key.Ino, HeadLen: p.Key.HeadLen,
		Head: p.Key.Head, Offset: p.Offset, Line: p.Line, Updated: p.Updated})
	if err != nil {
		return fmt.Errorf("set position of %s: %w", p.Path, err)
	}
	return s.Put(OffsetsSection, p.Key.String(), v)
}

// DeletePosition forgets the position of the file with key k.
func (s *Store) DeletePosition(k FileKey) error {
	return s.Delete(OffsetsSection, k.String())
}

// Position returns the position saved under k.
func (s *Store) Position(k FileKey) (Position, bool, error) {
	v, ok := s.Get(OffsetsSection, k.String())
	if !ok {
		return Position{}, false, nil
	}
	p, err := decodePosition(k.String(), v)
	return p, err == nil, err
}

// Positions returns every saved position, sorted by path and then key.
func (s *Store) Positions() ([]Position, error) {
	kvs := s.List(OffsetsSection)
	out := make([]Position, 0, len(kvs))
	for _, kv := range kvs {
		p, err := decodePosition(kv.Key, kv.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Position) int { return cmp.Compare(a.Path, b.Path) })
	return out, nil
}

func decodePosition(key string, v []byte) (Position, error) {
	var j positionJSON
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Position{}, fmt.Errorf("position %s: %w", key, err)
	}
	p := Position{Path: j.Path, Key: FileKey{Dev: j.Dev, Ino: j.Ino, HeadLen: j.HeadLen, Head: j.Head},
		Offset: j.Offset, Line: j.Line, Updated: j.Updated}
	if p.Key.String() != key {
		return Position{}, fmt.Errorf("position %s: value is for key %s", key, p.Key)
	}
	return p, nil
}
