package readlimit

import (
	"errors"
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
