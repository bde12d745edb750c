package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bundle that cannot be created is named as asked, not by its temporary file.
func TestCreateMissingFolderNamesTheBundle(t *testing.T) {
	a, outputs, sources := fixture(t)
	dir := filepath.Join(t.TempDir(), "nodir")
	dst := filepath.Join(dir, "b.tar.gz")
	err := Create(context.Background(), dst, outputs, sources, a, nil)
	if err == nil || err.Error() != "bundle "+dst+": folder "+dir+": no such file or directory" {
		t.Fatalf("err = %v", err)
	}
}

// A bundle whose name is a link to a file elsewhere is refused: the link
// and its target are left as they were.
func TestCreateRefusesALink(t *testing.T) {
	a, outputs, sources := fixture(t)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	dst := filepath.Join(dir, "b.tar.gz")
	if err := os.Symlink(victim, dst); err != nil {
		t.Skip(err)
	}
	err := Create(context.Background(), dst, outputs, sources, a, nil)
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link to a regular file") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("victim is %q", b)
	}
}

// Anything after the archive's end (another gzip member holding entries
// another reader would extract, or garbage) makes the bundle unsafe.
func TestTrailingData(t *testing.T) {
	a, outputs, sources := fixture(t)
	dst := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Create(context.Background(), dst, outputs, sources, a, nil); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(dst)
	var member bytes.Buffer
	zw := gzip.NewWriter(&member)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "../x", Mode: 0o644, Size: 1})
	tw.Write([]byte("x"))
	tw.Close()
	zw.Close()
	for name, tail := range map[string][]byte{
		"gzip member": member.Bytes(),
		"garbage":     []byte("hello"),
		"zeros":       gzipOf(make([]byte, 4096)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(context.Background(), bytes.NewReader(append(append([]byte{}, good...), tail...)), Options{})
			if name == "zeros" {
				// Zero padding after the end marker is what tar writes.
				if err != nil {
					t.Fatalf("zero padding refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrUnsafe) {
				t.Fatalf("err = %v, want ErrUnsafe", err)
			}
		})
	}
}

func gzipOf(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}
