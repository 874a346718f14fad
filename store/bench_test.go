package store

import (
	"fmt"
	"strings"
	"testing"
)

// A position-sized value: what the tailer commits most often.
var benchValue = []byte(strings.Repeat("x", 160))

// BenchmarkPutSync is the outbox's pattern: each change durable before
// the next step. Dominated by fsync of the journal.
func BenchmarkPutSync(b *testing.B) {
	s := mustOpen(b, b.TempDir(), Options{})
	defer s.Close()
	b.SetBytes(int64(len(benchValue)))
	for i := 0; b.Loop(); i++ {
		if err := s.Put("outbox", fmt.Sprintf("%06d", i%1000), benchValue); err != nil {
			b.Fatal(err)
		}
		if err := s.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPut is the tailer's pattern: many changes, synced on a ticker.
// The journal is compacted as it would be by a periodic Checkpoint.
func BenchmarkPut(b *testing.B) {
	s := mustOpen(b, b.TempDir(), Options{})
	defer s.Close()
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("803:%x:1024:%032x", i, i)
	}
	b.SetBytes(int64(len(benchValue)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Put(OffsetsSection, keys[i%len(keys)], benchValue); err != nil {
			b.Fatal(err)
		}
		if s.jBytes > 64<<20 {
			if err := s.Checkpoint(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCheckpoint compacts a state of 10,000 entries of 200 bytes.
func BenchmarkCheckpoint(b *testing.B) {
	s := mustOpen(b, b.TempDir(), Options{})
	defer s.Close()
	v := []byte(strings.Repeat("y", 200))
	for i := range 10000 {
		if err := s.Put("incidents", fmt.Sprintf("%08d", i), v); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		if err := s.Put("incidents", "touch", v); err != nil { // something to fold
			b.Fatal(err)
		}
		if err := s.Checkpoint(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen loads a snapshot of 10,000 entries plus a journal of
// 10,000 records.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	s := mustOpen(b, dir, Options{})
	v := []byte(strings.Repeat("z", 200))
	for i := range 10000 {
		if err := s.Put("incidents", fmt.Sprintf("%08d", i), v); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	for i := range 10000 {
		if err := s.Put("incidents", fmt.Sprintf("%08d", i), v); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Sync(); err != nil {
		b.Fatal(err)
	}
	s.abandon()
	for b.Loop() {
		s := mustOpen(b, dir, Options{})
		if s.Stats().Entries != 10000 {
			b.Fatal("wrong entry count")
		}
		s.abandon()
	}
}
