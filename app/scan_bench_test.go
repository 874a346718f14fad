package app

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tattle-dev/tattle/internal/loggen"
)

// BenchmarkScanSpringBoot scans a generated 100,000-line Spring Boot log
// (1.3% of records ERROR with 40-60 line traces) and reports lines/s.
// The full-size measurement is `make bench`.
func BenchmarkScanSpringBoot(b *testing.B) {
	var buf bytes.Buffer
	st, err := loggen.SpringBoot(&buf, loggen.Options{Lines: 100_000, ErrorRate: 0.013, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "spring.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		_, err := Scan(context.Background(), ScanOptions{Files: []string{path}, Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Lines)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlines/s")
}
