//go:build unix

package sigstore

import (
	"strings"
	"testing"
)

// A device that never ends is cut off at the limit, not read into memory.
func TestReadFileEndlessDevice(t *testing.T) {
	_, err := ReadFile("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: file exceeds the size limit") {
		t.Fatalf("err = %v", err)
	}
}
