package filechecks_test

import (
	"context"
	"crypto/md5" //nolint:gosec // a weak checksum list on purpose
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls/filechecks"
)

// The checks judge what the files collector saw in a release folder: one
// artifact is listed with a matching SHA-256, one is listed only in an MD5
// list, and one is listed nowhere.
func ExampleAll() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	s := sha256.Sum256([]byte("linux build"))
	m := md5.Sum([]byte("windows build")) //nolint:gosec // see above
	write("app-linux.tar.gz", "linux build")
	write("app-windows.zip", "windows build")
	write("app-darwin.tar.gz", "darwin build")
	write("SHA256SUMS", hex.EncodeToString(s[:])+"  app-linux.tar.gz\n")
	write("MD5SUMS", hex.EncodeToString(m[:])+"  app-windows.zip\n")

	t, err := collectors.OpenTarget("release", dir)
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	ev, err := files.New(nil).Collect(context.Background(), t)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range filechecks.All() {
		for _, f := range c.Run(ev) {
			fmt.Printf("%s %s: %s\n", f.CheckID, f.Status, f.Message)
		}
	}
	// Output:
	// FILES-CHECKSUM-MISMATCH pass: MD5SUMS:1: md5 digest of app-windows.zip matches
	// FILES-CHECKSUM-MISMATCH pass: SHA256SUMS:1: sha256 digest of app-linux.tar.gz matches
	// FILES-CHECKSUM-UNCOVERED fail: app-darwin.tar.gz: no checksum list with a strong algorithm covers this release artifact
	// FILES-CHECKSUM-UNCOVERED pass: app-linux.tar.gz is covered by SHA256SUMS
	// FILES-CHECKSUM-UNCOVERED fail: app-windows.zip: no checksum list with a strong algorithm covers this release artifact
	// FILES-CHECKSUM-WEAK-ALGORITHM fail: MD5SUMS:1: md5 digest for app-windows.zip: md5 is not collision-resistant
	// FILES-CHECKSUM-WEAK-ALGORITHM pass: SHA256SUMS: every digest uses sha256
	// FILES-CHECKSUM-MALFORMED pass: MD5SUMS: 1 entry, all naming shipped files
	// FILES-CHECKSUM-MALFORMED pass: SHA256SUMS: 1 entry, all naming shipped files
}
