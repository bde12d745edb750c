//go:build unix

package outfile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	os.WriteFile(p("old"), []byte("old"), 0o600)
	os.WriteFile(p("target"), []byte("keep"), 0o644)
	os.Symlink("target", p("link"))
	os.Symlink("/dev/null", p("null-link"))
	os.Symlink("missing", p("dangling"))
	os.Mkdir(p("folder"), 0o755)
	if l, err := net.Listen("unix", p("sock")); err == nil {
		defer l.Close()
	}
	for _, tt := range []struct {
		name, path, want string // want: "" = written; else error text
		check            func(t *testing.T)
	}{
		{name: "new file", path: p("new"), check: func(t *testing.T) { content(t, p("new"), "data", 0o644) }},
		{name: "existing file replaced", path: p("old"), check: func(t *testing.T) { content(t, p("old"), "data", 0o644) }},
		{name: "character device written through", path: "/dev/null", check: func(t *testing.T) {
			if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
				t.Fatal("/dev/null is no longer a device")
			}
		}},
		{name: "link to a device written through", path: p("null-link"), check: func(t *testing.T) {
			if st, err := os.Lstat(p("null-link")); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Fatal("the link was replaced")
			}
		}},
		{name: "link to a regular file", path: p("link"), want: "is a symbolic link to a regular file", check: func(t *testing.T) {
			content(t, p("target"), "keep", 0o644)
		}},
		{name: "dangling link", path: p("dangling"), want: "a symbolic link that cannot be followed"},
		{name: "folder", path: p("folder"), want: "is a folder, want a file"},
		{name: "socket", path: p("sock"), want: "is a socket"},
		{name: "missing folder", path: p("nodir/x"), want: "folder " + p("nodir") + ": no such file or directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkErr := Check(tt.path)
			err := WriteFile(context.Background(), tt.path, []byte("data"), 0o644, io.Discard)
			if tt.want == "" {
				if err != nil || checkErr != nil {
					t.Fatalf("WriteFile: %v; Check: %v", err, checkErr)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), tt.path+": ") {
					t.Fatalf("err = %v, want %q naming the path", err, tt.want)
				}
				if checkErr == nil || checkErr.Error() != err.Error() {
					t.Fatalf("Check = %v, want the same error", checkErr)
				}
			}
			if tt.check != nil {
				tt.check(t)
			}
			noTemps(t, dir)
		})
	}
}

func TestStdoutAndFIFO(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFile(context.Background(), "-", []byte("hi"), 0o644, &buf); err != nil || buf.String() != "hi" {
		t.Fatalf("stdout: %q, %v", buf.String(), err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := WriteFile(context.Background(), fifo, []byte("through"), 0o644, nil); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through" {
		t.Fatalf("read %q from the pipe", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatal("the pipe was replaced")
	}
}

func TestCancelAndRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	o, err := Create(ctx, filepath.Join(dir, "r.html"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("a"))
	cancel()
	if _, err := o.Write([]byte("b")); !errors.Is(err, context.Canceled) {
		t.Fatalf("write after cancel: %v", err)
	}
	if err := o.Commit(); err == nil {
		t.Fatal("commit after cancel succeeded")
	}
	noTemps(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "r.html")); err == nil {
		t.Fatal("destination written after cancel")
	}

	// The forced exit: a file still open is removed and cannot be renamed.
	o, err = Create(context.Background(), filepath.Join(dir, "s.html"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("a"))
	RemoveTemps()
	defer func() { reg.Lock(); reg.closed = false; reg.Unlock() }()
	noTemps(t, dir)
	if err := o.Commit(); err == nil {
		t.Fatal("commit after RemoveTemps succeeded")
	}
	if _, err := Create(context.Background(), filepath.Join(dir, "t.html"), 0o644, nil); err == nil {
		t.Fatal("create after RemoveTemps succeeded")
	}
}

func TestErrorsNameTheDestination(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	// /dev/full is a device: written through, and the disk-full error
	// names it.
	err := WriteFile(context.Background(), "/dev/full", []byte("x"), 0o644, nil)
	if err == nil || err.Error() != "/dev/full: no space left on device" {
		t.Fatalf("err = %v", err)
	}
}

func content(t *testing.T, p, want string, perm os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil || string(b) != want {
		t.Fatalf("%s: %q, %v; want %q", p, b, err, want)
	}
	st, _ := os.Lstat(p)
	if !st.Mode().IsRegular() || st.Mode().Perm() != perm {
		t.Fatalf("%s: mode %v, want a regular file %v", p, st.Mode(), perm)
	}
}

func noTemps(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
