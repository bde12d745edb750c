package controls

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
)

// FuzzMapping: a mapping file is user input (--mapping). Loading and
// validating any bytes returns an error or a mapping whose every pair has a
// known strength and at least one part, and never panics. The seeds are the
// embedded files and the shapes the table tests use.
func FuzzMapping(f *testing.F) {
	files, _ := embeddedMapping.ReadDir("mapping")
	for _, e := range files {
		b, _ := embeddedMapping.ReadFile("mapping/" + e.Name())
		f.Add(b)
	}
	for _, s := range []string{
		"checks:\n  - check: A\n    controls:\n      - {control: SI-7, strength: sufficient, parts: [si-7_smt.a], rationale: r}\n",
		"process:\n  - {family: PL, rationale: r}\n",
		"checks:\n  - check: A\n    precondition: {gates: [A], limitation: l}\n",
		"checks:\n  - check: A\n    controls:\n      - {control: SI-7, parts: [\"\"], rationale: r}\n",
		"replace: true\nchecks: []\n",
	} {
		f.Add([]byte(s))
	}
	idx, err := catalogs.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m := &Mapping{Entries: map[string]*Entry{}}
		if _, err := m.merge("fuzz.yaml", b); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error: %q", err)
			}
			return
		}
		known := map[string]bool{}
		for id := range m.Entries {
			known[id] = true
		}
		if m.Validate(idx, known) != nil {
			return
		}
		for _, e := range m.Entries {
			for _, c := range e.Controls {
				if len(c.Parts) == 0 || (c.Strength != Sufficient && c.Strength != Partial && c.Strength != Related) {
					t.Errorf("%s → %s: strength %q, parts %v", e.Check, c.Control, c.Strength, c.Parts)
				}
			}
		}
		_ = m.Markdown(idx)
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
		got, err := ParseManual("manual.yaml", b, idx)
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
