package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the strict config decoder: it must
// return a config or an error naming the file, never panic or hang.
func FuzzParse(f *testing.F) {
	f.Add([]byte("targets:\n  - name: app\n    path: .\nmax-file-size: 1024\n"))
	f.Add([]byte("a: &a [x,x]\nb: &b [*a,*a]\n"))
	f.Add([]byte("reports:\n  formats: [html, sarif]\n"))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse("pedigree.yaml", b)
		if err != nil && !strings.HasPrefix(err.Error(), "pedigree.yaml: ") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
