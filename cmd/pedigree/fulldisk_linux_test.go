package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A disk that fills while the reports are written: on a 64 KiB tmpfs
// mounted in a user namespace (no privileges needed where the kernel
// allows them), assess fails with one line naming the report it could not
// write, never the temporary file, and leaves no temporary file behind.
func TestHostileFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds on the demo assessment")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("needs unshare (util-linux) to mount a small tmpfs")
	}
	out := t.TempDir()
	demo, err := filepath.Abs(filepath.Join("..", "..", "examples", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	probe := exec.Command(unshare, "-Urm", "mount", "-t", "tmpfs", "-o", "size=64k", "none", out)
	if b, err := probe.CombinedOutput(); err != nil {
		t.Skipf("this kernel or container does not allow a tmpfs in a user namespace: %v: %s", err, b)
	}
	// The tmpfs lives as long as the namespace: list what is left in it
	// before leaving.
	script := `mount -t tmpfs -o size=64k none "$1" || exit 99
"$2" assess --config pedigree.yaml --format oscal-ar,json,html -o "$1" --quiet
echo "exit=$?"
ls -A "$1"`
	cmd := exec.Command(unshare, "-Urm", "sh", "-c", script, "sh", out, pedigreeBin)
	cmd.Dir = demo
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if lines[0] == "exit=0" || lines[0] == "exit=1" {
		t.Fatalf("assess on a full disk: %s, want a failure; stderr %q", lines[0], stderr.String())
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "no space left on device") ||
		!strings.Contains(msg, out+string(os.PathSeparator)) || strings.Contains(msg, ".tmp") {
		t.Errorf("error %q: want one line naming the report in %s and the full disk, not a temporary file", msg, out)
	}
	for _, left := range lines[1:] {
		if strings.HasSuffix(left, ".tmp") {
			t.Errorf("temporary file left on the full disk: %s (all: %v)", left, lines[1:])
		}
	}
}
