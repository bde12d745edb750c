//go:build unix

package filechecks

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Every file the inventory cannot read is a not-assessed finding naming it:
// a named pipe, a dangling link, an oversized key file.
func TestFileSkipped(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644)
	os.Symlink("gone", filepath.Join(dir, "dangling"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skip(err)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := files.New(nil).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	ev = append(ev, tg.SkippedEvidence("keys", "id_rsa", 10<<20, "10485760 bytes, above the 8388608-byte limit for key material: not read"))
	got := NewFileSkipped().Run(ev)
	want := []string{
		"dangling: a symbolic link to gone, which does not exist (files collector)",
		"pipe: a named pipe: never read (files collector)",
		"id_rsa: 10485760 bytes, above the 8388608-byte limit for key material: not read (keys collector)",
	}
	if len(got) != len(want) {
		t.Fatalf("%d findings, want %d: %+v", len(got), len(want), got)
	}
	for i, f := range got {
		if f.Status != evidence.NotAssessed || f.Message != want[i] || len(f.Evidence) != 1 {
			t.Errorf("finding %d: %s %q %v, want not-assessed %q", i, f.Status, f.Message, f.Evidence, want[i])
		}
	}
}
