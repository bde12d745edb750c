// Package sharedtest finds the reference data that lies beside the
// repository as ../shared: the official NIST catalogs and schemas, and the
// corpora of other projects' files that tests agree with. Tests that need
// it skip, saying so, where it is absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared/<rel...> beside the module root (the folder
// holding go.mod above the test's working directory), or skips the test.
func Dir(t testing.TB, rel ...string) string {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Skip(err.Error())
	}
	p := filepath.Join(append([]string{root, "..", "shared"}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent: this test needs the shared reference data beside the repository", filepath.Join(append([]string{"..", "shared"}, rel...)...))
	}
	return p
}

// ModuleRoot is the folder holding go.mod above the working directory.
func ModuleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", os.ErrNotExist
		}
	}
}
