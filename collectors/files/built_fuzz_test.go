package files

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzBuiltAt: release archives in a target are attacker-chosen; reading
// their member times must end quickly with a time or nothing, never panic.
func FuzzBuiltAt(f *testing.F) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	zw.CreateHeader(&zip.FileHeader{Name: "a", Modified: when})
	zw.Close()
	f.Add(true, z.Bytes())
	var tg bytes.Buffer
	gz := gzip.NewWriter(&tg)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "a", Mode: 0o644, ModTime: when})
	tw.Close()
	gz.Close()
	f.Add(false, tg.Bytes())
	f.Add(false, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, isZip bool, data []byte) {
		name := "a.tar.gz"
		if isZip {
			name = "a.zip"
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		b := newArchiveBudget(64 << 20)
		got, _ := builtAt(context.Background(), fh, name, int64(len(data)), b)
		if !got.IsZero() && got.Location() != time.UTC {
			t.Fatalf("time %v not in UTC", got)
		}
	})
}
