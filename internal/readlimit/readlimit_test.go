package readlimit

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("hello"), 0o644)
	big := filepath.Join(dir, "big")
	f, _ := os.Create(big)
	f.Truncate(1 << 30) // sparse: nothing is read
	f.Close()

	if b, err := File(small, 5); err != nil || string(b) != "hello" {
		t.Fatalf("small: %q, %v", b, err)
	}
	for _, tt := range []struct {
		name, path string
		limit      int64
		want       string
		tooLarge   bool
	}{
		{"over the limit", small, 4, "small: file exceeds the size limit (5 bytes, limit 4)", true},
		{"sparse 1 GiB", big, 1 << 20, "big: file exceeds the size limit", true},
		{"missing", filepath.Join(dir, "nope"), 10, "nope: no such file or directory", false},
		{"directory", dir, 10, "is a directory", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := File(tt.path, tt.limit)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if errors.Is(err, ErrTooLarge) != tt.tooLarge {
				t.Errorf("errors.Is(ErrTooLarge) = %v", !tt.tooLarge)
			}
		})
	}
}

func TestFileEndlessDevice(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	_, err := File("/dev/zero", 1<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "/dev/zero") {
		t.Fatalf("err = %v", err)
	}
}

func TestKind(t *testing.T) {
	for m, want := range map[fs.FileMode]string{
		0o644:                             "a regular file",
		fs.ModeDir | 0o755:                "a directory",
		fs.ModeNamedPipe:                  "a named pipe",
		fs.ModeDevice | fs.ModeCharDevice: "a device",
		fs.ModeSocket:                     "a socket",
	} {
		if got := Kind(m); got != want {
			t.Errorf("Kind(%v) = %q, want %q", m, got, want)
		}
	}
}

func TestZipEntries(t *testing.T) {
	for _, n := range []int{0, 1, 3, 70000} {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i := range n {
			zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store})
		}
		zw.SetComment("a comment with PK\x05\x06 inside it")
		zw.Close()
		got, err := ZipEntries(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil || got != uint64(n) {
			t.Errorf("%d entries: got %d, %v", n, got, err)
		}
	}
	for _, bad := range []string{"", "hello", strings.Repeat("x", 100)} {
		if _, err := ZipEntries(strings.NewReader(bad), int64(len(bad))); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzZipEntries(f *testing.F) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.Create("a")
	zw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("PK\x05\x06\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ZipEntries(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		// When archive/zip can read the archive it must agree on the count
		// (it refuses ZIP64 counts it cannot hold).
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil && uint64(len(zr.File)) != n {
			t.Fatalf("ZipEntries %d, archive/zip %d", n, len(zr.File))
		}
	})
}
