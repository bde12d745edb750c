package collectors

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenTargetInventory(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "b.txt"), "b")
	write(t, filepath.Join(dir, "sub", "a.txt"), "aa")
	if err := os.Symlink("sub/a.txt", filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	tg, err := OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var got []string
	for _, f := range tg.Files {
		got = append(got, f.Path)
	}
	if strings.Join(got, ",") != "b.txt,link.txt,sub/a.txt" {
		t.Fatalf("files = %v", got)
	}
	b, err := tg.ReadFile("link.txt")
	if err != nil || string(b) != "aa" {
		t.Fatalf("ReadFile(link) = %q, %v", b, err)
	}
}

func TestOpenTargetRefusesEscapingSymlink(t *testing.T) {
	for _, dest := range []string{"../outside", "/etc/passwd", "sub/../../x"} {
		t.Run(dest, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "sub", "ok"), "x")
			if err := os.Symlink(dest, filepath.Join(dir, "evil")); err != nil {
				t.Fatal(err)
			}
			_, err := OpenTarget("t", dir)
			if !errors.Is(err, ErrOutsideTree) {
				t.Fatalf("err = %v, want ErrOutsideTree", err)
			}
			if !strings.Contains(err.Error(), "evil") {
				t.Errorf("error does not name the link: %v", err)
			}
		})
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big"), strings.Repeat("x", 100))
	tg, err := OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	tg.MaxFileSize = 10
	if _, err := tg.ReadFile("big"); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if _, err := tg.ReadFile("../big"); !errors.Is(err, ErrOutsideTree) {
		t.Fatalf("reading ../big: %v, want ErrOutsideTree", err)
	}
}

func TestOpenTargetSingleFile(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "one.bin"), "1")
	write(t, filepath.Join(dir, "other.bin"), "2")
	tg, err := OpenTarget("t", filepath.Join(dir, "one.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if len(tg.Files) != 1 || tg.Files[0].Path != "one.bin" {
		t.Fatalf("files = %+v", tg.Files)
	}
}

func TestOpenTargetMissing(t *testing.T) {
	if _, err := OpenTarget("t", filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadFileRefusesSparseGiantUnread(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge"))
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(8 << 30) // sparse: reading it would take seconds and 8 GiB
	f.Close()
	tg, err := OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if _, err := tg.ReadFile("huge"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "huge") {
		t.Fatalf("err = %v, want ErrTooLarge naming the file", err)
	}
}
