package files_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/evidence"
)

// ParseChecksumFile reads GNU and BSD lines alike, resolves names against
// the list's folder and keeps the lines it cannot read as problems.
func ExampleParseChecksumFile() {
	data := []byte(`e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  app-linux-amd64.tar.gz
SHA512 (app.zip) = cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e
9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 *../../outside.bin
d41d8cd98f00b204e9800998ecf8427e  app.deb
not a checksum line
`)
	cf := files.ParseChecksumFile("dist/SHA256SUMS", data)
	for _, e := range cf.Entries {
		fmt.Printf("line %d: %s %s %s path=%q\n", e.Line, e.Style, e.Algorithm, e.Name, e.Path)
	}
	for _, p := range cf.Problems {
		fmt.Println("problem:", p)
	}
	// Output:
	// line 1: gnu sha256 app-linux-amd64.tar.gz path="dist/app-linux-amd64.tar.gz"
	// line 2: bsd sha512 app.zip path="dist/app.zip"
	// line 3: gnu sha256 ../../outside.bin path=""
	// problem: line 4: a 32-digit digest in a sha256 list
	// problem: line 5: not a checksum line: "not a checksum line"
}

// The collector hashes every file of a target and parses the checksum
// lists it finds, leaving the judging to the checks.
func ExampleCollector_Collect() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "app.tar.gz"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "SHA256SUMS"),
		[]byte("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  app.tar.gz\n"), 0o644)

	t, err := collectors.OpenTarget("release", dir)
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	ev, err := files.New(nil).Collect(context.Background(), t)
	if err != nil {
		log.Fatal(err)
	}
	for i := range ev {
		switch ev[i].Kind {
		case files.KindArtifact:
			a, _ := evidence.PayloadAs[files.Artifact](&ev[i])
			fmt.Printf("artifact %s release=%v metadata=%v sha256=%s…\n", a.Path, a.Release, a.Metadata, a.SHA256[:12])
		case files.KindChecksumFile:
			cf, _ := evidence.PayloadAs[files.ChecksumFile](&ev[i])
			fmt.Printf("checksums %s covers %s\n", cf.Path, cf.Entries[0].Path)
		}
	}
	// Output:
	// checksums SHA256SUMS covers app.tar.gz
	// artifact SHA256SUMS release=false metadata=true sha256=bdf268dfe4ce…
	// artifact app.tar.gz release=true metadata=false sha256=e3b0c44298fc…
}
