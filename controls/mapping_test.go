package controls

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
)

func TestMappingValidate(t *testing.T) {
	idx := fakeIndex{
		"si-7":  {ID: "si-7", Label: "SI-7", Parts: []catalogs.Part{{ID: "si-7_smt"}, {ID: "si-7_smt.a", Leaf: true}, {ID: "si-7_smt.b", Leaf: true}}},
		"sr-1":  {ID: "sr-1", Label: "SR-1"},
		"sa-12": {ID: "sa-12", Label: "SA-12", Withdrawn: true, IncorporatedInto: []string{"sr-1"}},
	}
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"ok", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, rationale: r}\n", ""},
		{"unknown control", "checks:\n  - check: A\n    controls:\n      - {control: ZZ-9, rationale: r}\n", `m.yaml:2: check A: unknown control id "ZZ-9"`},
		{"withdrawn control", "checks:\n  - check: A\n    controls:\n      - {control: SA-12, rationale: r}\n", "SA-12 is withdrawn"},
		{"unknown check", "checks:\n  - check: NOPE\n    controls:\n      - {control: SI-7, rationale: r}\n", `m.yaml:2: unknown check id "NOPE"`},
		{"no rationale", "checks:\n  - check: A\n    controls:\n      - {control: SI-7}\n", "has no rationale"},
		{"not an id", "checks:\n  - check: A\n    controls:\n      - {control: hello, rationale: r}\n", "not an SP 800-53 control id"},
		{"parts and strength", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, strength: sufficient, parts: [si-7_smt.a], rationale: r}\n", ""},
		{"unknown part", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, strength: partial, parts: [si-7_smt.c], rationale: r}\n", `m.yaml:2: check A: control SI-7 has no statement part "si-7_smt.c" (its parts: si-7_smt, si-7_smt.a, si-7_smt.b)`},
		{"part of another control", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, parts: [sr-4.3_smt], rationale: r}\n", `has no statement part "sr-4.3_smt"`},
		{"bad strength", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, strength: strong, rationale: r}\n", `strength "strong" is invalid (want sufficient, partial or related)`},
		{"mapped twice", "checks:\n  - check: A\n    controls:\n      - {control: SI-7, rationale: r}\n      - {control: si-7, rationale: r}\n", "control SI-7 is mapped twice"},
		{"precondition with controls", "checks:\n  - check: A\n    precondition: {gates: [A], limitation: l}\n    controls:\n      - {control: SI-7, rationale: r}\n", "a precondition (a check of pedigree's own inputs) maps to no control"},
		{"precondition gates unknown", "checks:\n  - check: A\n    precondition: {gates: [Z], limitation: l}\n", `precondition gates unknown check id "Z"`},
		{"process sufficient", "process:\n  - {control: SR-1, rationale: policy}\nchecks:\n  - check: A\n    controls:\n      - {control: SR-1, strength: sufficient, rationale: r}\n", "SR-1 is a process control"},
		{"process family partial", "process:\n  - {family: SR, rationale: policy}\nchecks:\n  - check: A\n    controls:\n      - {control: SR-1, strength: partial, rationale: r}\n", ""},
		{"process without rationale", "process:\n  - {control: SR-1}\n", "process entry SR-1 has no rationale"},
		{"unknown key", "checks:\n  - check: A\n    colour: red\n", `line 3: field colour not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Mapping{Entries: map[string]*Entry{}}
			_, err := m.merge("m.yaml", []byte(tt.yaml))
			if err == nil {
				err = m.Validate(idx, map[string]bool{"A": true})
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestMappingOverride(t *testing.T) {
	m := testMapping(t)
	p := filepath.Join(t.TempDir(), "override.yaml")
	os.WriteFile(p, []byte("checks:\n  - check: B\n    controls:\n      - {control: CM-14, rationale: signed}\n"), 0o644)
	if err := m.Override(p); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.ControlsOf("B"), ","); got != "cm-14" {
		t.Errorf("B → %s, want cm-14", got)
	}
	if got := strings.Join(m.ControlsOf("A"), ","); got != "si-7,sr-4.3" {
		t.Errorf("A → %s, want it untouched", got)
	}
	os.WriteFile(p, []byte("replace: true\nchecks:\n  - check: B\n    controls:\n      - {control: CM-14, rationale: signed}\n"), 0o644)
	if err := m.Override(p); err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) != 1 {
		t.Errorf("replace kept %d entries", len(m.Entries))
	}
}

// The embedded mapping must name only real, active controls: checked
// against the embedded catalog index.
func TestDefaultMappingControlsExist(t *testing.T) {
	m, err := DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, e := range m.Sorted() {
		known[e.Check] = true
		for _, c := range e.Controls {
			ctl, ok := idx.Control(c.Control)
			if !ok || ctl.Withdrawn {
				t.Errorf("%s: %s maps to %s, which is unknown or withdrawn", e.Source, e.Check, c.Control)
			}
		}
	}
	// Statement parts exist, process controls get no sufficient check,
	// preconditions gate checks the mapping knows.
	if err := m.Validate(idx, known); err != nil {
		t.Error(err)
	}
	if _, ok := m.IsProcess("sr-1"); !ok {
		t.Error("SR-1 (policy and procedures) is not a process control")
	}
}

func TestMappingOverrideBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		return p
	}
	big := write("big.yaml", "")
	os.Truncate(big, 300<<20) // sparse: refused before it is read
	for _, tt := range []struct{ name, path, want string }{
		{"empty", write("empty.yaml", ""), "empty.yaml: no checks"},
		{"comment only", write("c.yaml", "# nothing yet\n"), "c.yaml: no checks"},
		{"huge", big, "big.yaml: file exceeds the size limit"},
		{"directory", dir, "is a directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := testMapping(t)
			err := m.Override(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// DefaultMappingFor gives, for every check the embedded files map, the
// entry DefaultMapping gives, reading fewer files.
func TestDefaultMappingFor(t *testing.T) {
	all, err := DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Entries) < 50 {
		t.Fatalf("only %d entries", len(all.Entries))
	}
	for id, want := range all.Entries {
		m, err := DefaultMappingFor(id)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Entries[id]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: DefaultMappingFor gives %+v, DefaultMapping %+v", id, got, want)
		}
		if len(m.Sources) >= len(all.Sources) {
			t.Errorf("%s: read %d files of %d", id, len(m.Sources), len(all.Sources))
		}
	}
	m, err := DefaultMappingFor("NO-SUCH-CHECK")
	if err != nil || len(m.Entries) != 0 || len(m.Sources) != 0 {
		t.Errorf("an unknown check: %v, %d entries from %v", err, len(m.Entries), m.Sources)
	}
}
