package controls

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
)

// FuzzDecodeMapping: a check-to-control mapping override is user input.
func FuzzDecodeMapping(f *testing.F) {
	f.Add([]byte("checks:\n  - check: SBOM-PRESENT\n    controls: [sr-4]\n"))
	f.Add([]byte("replace: true\nchecks: []\n"))
	f.Add([]byte("checks: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// An empty mapping: loading the embedded one costs 50 ms a run.
		m := &Mapping{Entries: map[string]*Entry{}}
		if _, err := m.merge("m.yaml", b); err != nil && !strings.HasPrefix(err.Error(), "m.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// FuzzParseManual: manual evidence comes from assessors' files.
func FuzzParseManual(f *testing.F) {
	idx, err := catalogs.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("controls:\n  - control: sr-4\n    status: satisfied\n    statement: s\n    assessor: a\n    date: 2026-01-02\n"))
	f.Add([]byte("controls:\n  - control: SR-4(3)\n    status: maybe\n"))
	f.Add([]byte("controls: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseManual("manual.yaml", b, idx)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "manual.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for id, m := range got {
			if _, ok := idx.Control(id); !ok {
				t.Fatalf("unknown control %q accepted", id)
			}
			if m.Assessor == "" || m.Statement == "" {
				t.Fatalf("entry %s without assessor or statement accepted", id)
			}
		}
	})
}
