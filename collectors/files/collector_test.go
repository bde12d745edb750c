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

	"github.com/pedigree-dev/pedigree/collectors"
)

func tarGz(t *testing.T, times ...time.Time) []byte {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for i, mt := range times {
		body := []byte("member")
		tw.WriteHeader(&tar.Header{Name: string(rune('a' + i)), Mode: 0o644, Size: int64(len(body)), ModTime: mt})
		tw.Write(body)
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

func zipOf(t *testing.T, times ...time.Time) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, mt := range times {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: string(rune('a' + i)), Modified: mt, Method: zip.Deflate})
		w.Write([]byte("member"))
	}
	zw.Close()
	return b.Bytes()
}

func TestCollectRecordsDigestsAndBuildTimes(t *testing.T) {
	old := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	newest := time.Date(2026, 2, 1, 8, 30, 0, 0, time.UTC)
	good := tarGz(t, old, newest)
	tree := map[string][]byte{
		"a.tar.gz":          good,
		"b.zip":             zipOf(t, newest, old),
		"c.tar.gz":          good[:len(good)/2], // truncated: says nothing
		"notes.txt":         []byte("hello"),
		"a.tar.gz.sha512":   bytes.Repeat([]byte("0"), 128),
		"SHA256SUMS":        []byte(""),
		"sub/d.tgz.sig":     []byte("sig"),
		"sub/e.AppImage":    []byte("\x7fELF"),
		"sub/SHA256SUMS.sh": []byte("#!/bin/sh\n"),
	}
	dir := t.TempDir()
	for p, b := range tree {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), b, 0o644)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := New(nil).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	arts := map[string]*Artifact{}
	lists := 0
	for _, e := range ev {
		switch p := e.Payload.(type) {
		case *Artifact:
			arts[p.Path] = p
			if e.SHA256 != p.SHA256 || e.Subject.Digest != "sha256:"+p.SHA256 || e.ID == "" {
				t.Errorf("%s: evidence digest fields disagree: %+v", p.Path, e)
			}
		case *ChecksumFile:
			lists++
		}
	}
	if len(arts) != len(tree) || lists != 2 {
		t.Fatalf("%d artifacts, %d lists", len(arts), lists)
	}
	if got := arts["a.tar.gz"].BuiltAt; !got.Equal(newest) {
		t.Errorf("tar.gz built at %v, want %v", got, newest)
	}
	if got := arts["b.zip"].BuiltAt; !got.Equal(newest) {
		t.Errorf("zip built at %v, want %v", got, newest)
	}
	if !arts["c.tar.gz"].BuiltAt.IsZero() {
		t.Errorf("a truncated archive claims a build time")
	}
	if arts["a.tar.gz"].Digests["sha512"] == "" || arts["b.zip"].Digests["sha512"] != "" {
		t.Error("sha512 not computed for a file a .sha512 list names")
	}
	for p, want := range map[string][2]bool{ // release, metadata
		"a.tar.gz": {true, false}, "notes.txt": {false, false}, "sub/d.tgz.sig": {false, true},
		"sub/e.AppImage": {true, false}, "SHA256SUMS": {false, true}, "sub/SHA256SUMS.sh": {false, false},
	} {
		if a := arts[p]; a.Release != want[0] || a.Metadata != want[1] {
			t.Errorf("%s: release=%v metadata=%v, want %v", p, a.Release, a.Metadata, want)
		}
	}
}

func TestCollectHonoursCancellation(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.bin"), make([]byte, 1<<20), 0o644)
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New(nil).Collect(ctx, tg); err == nil {
		t.Fatal("a cancelled collection succeeded")
	}
}

// Jest, Vitest and insta keep test snapshots in .snap files: text that is
// no snap package. A .snap is a release artifact when it is a squashfs
// image, or when the config's release patterns name it.
func TestSnapshotFilesAreNotSnapPackages(t *testing.T) {
	tree := map[string]string{
		"src/__snapshots__/App.test.js.snap":       "// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`renders 1`] = `<div />`;\n",
		"crates/x/src/snapshots/x__tests__ok.snap": "---\nsource: crates/x/src/lib.rs\nexpression: out\n---\nok\n",
		"dist/app_1.0_amd64.snap":                  "hsqs\x00\x00\x00\x01squashfs image",
		"dist/big-endian.snap":                     "sqsh\x00\x00\x00\x01",
		"dist/empty.snap":                          "",
		"release/named.snap":                       "--- text the config calls a release ---\n",
	}
	dir := t.TempDir()
	for p, b := range tree {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(b), 0o644)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	c := New(nil)
	c.ReleasePatterns = []string{"release/*"}
	ev, err := c.Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	release := map[string]bool{}
	for _, e := range ev {
		if a, ok := e.Payload.(*Artifact); ok {
			release[a.Path] = a.Release
		}
	}
	for p, want := range map[string]bool{
		"src/__snapshots__/App.test.js.snap": false, "crates/x/src/snapshots/x__tests__ok.snap": false, "dist/empty.snap": false,
		"dist/app_1.0_amd64.snap": true, "dist/big-endian.snap": true, "release/named.snap": true,
	} {
		if release[p] != want {
			t.Errorf("%s: release = %v, want %v", p, release[p], want)
		}
	}
}
