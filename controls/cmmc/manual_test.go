package cmmc

import (
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
)

var today = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const goodManual = `controls:
  - control: SR-1
    status: satisfied
    statement: Policy reviewed.
    assessor: J. Doe
    date: 2026-10-02
practices:
  - practice: IA.L2-3.5.3
    status: not-met
    partial: true
    statement: MFA for VPN and admin accounts only.
    evidence: [mfa.pdf]
    assessor: J. Doe
    date: 2026-11-01
  - objective: ac.l2-3.1.1[a]
    status: met
    statement: User list reviewed.
    assessor: J. Doe
    date: 2026-11-01
  - practice: AC.L2-3.1.12
    status: not-applicable
    no-deduction: remote access not permitted
    statement: No remote access.
    assessor: J. Doe
    date: 2026-11-01
  - practice: SC.L2-3.13.11
    status: not-met
    partial: true
    statement: TLS everywhere, modules not FIPS-validated.
    assessor: J. Doe
    date: 2026-11-20
    poam: {planned: 2027-03-01}
`

func TestParseManual(t *testing.T) {
	m, err := ParseManual("m.yaml", []byte(goodManual), guide(t), today)
	if err != nil {
		t.Fatal(err)
	}
	ia := m.Practices["IA.L2-3.5.3"]
	if ia == nil || !ia.Partial || ia.Status != assessment.NotMet || ia.Line != 8 || ia.References[0] != "mfa.pdf" || ia.SHA256 == "" {
		t.Errorf("IA.L2-3.5.3: %+v", ia)
	}
	if o := m.Objectives["AC.L2-3.1.1[a]"]; o == nil || o.Status != assessment.Met {
		t.Errorf("objective: %+v", o)
	}
	if p := m.Practices["AC.L2-3.1.12"]; p == nil || p.NoDeduction != "remote access not permitted" {
		t.Errorf("no-deduction: %+v", p)
	}
	if p := m.Practices["SC.L2-3.13.11"]; p == nil || p.Planned != "2027-03-01" {
		t.Errorf("poam: %+v", p)
	}
	// The controls loader accepts the same file.
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := controls.LoadManual(writeTemp(t, goodManual), idx); err != nil || c["sr-1"] == nil {
		t.Errorf("controls.LoadManual: %v", err)
	}
}

// TestParseManualAliases: the CMMC 2.0 v2.0 Level 1 ids name the same
// practices as the 32 CFR 170 ones.
func TestParseManualAliases(t *testing.T) {
	doc := "practices:\n  - practice: AC.L1-3.1.1\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-11-01\n" +
		"  - objective: ac.l1-3.1.2[a]\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-11-01\n"
	m, err := ParseManual("m.yaml", []byte(doc), guide(t), today)
	if err != nil {
		t.Fatal(err)
	}
	if m.Practices["AC.L1-b.1.i"] == nil || m.Objectives["AC.L1-b.1.ii[a]"] == nil {
		t.Errorf("aliases: %v %v", m.Practices, m.Objectives)
	}
	dup := doc + "  - practice: AC.L1-b.1.i\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-11-01\n"
	if _, err := ParseManual("m.yaml", []byte(dup), guide(t), today); err == nil || !strings.Contains(err.Error(), "m.yaml:12: AC.L1-b.1.i is recorded twice (first at line 2)") {
		t.Errorf("duplicate through an alias: %v", err)
	}
}

func TestParseManualErrors(t *testing.T) {
	entry := func(body string) string {
		return "practices:\n  - " + strings.ReplaceAll(strings.TrimSpace(body), "\n", "\n    ") + "\n"
	}
	base := "statement: s\nassessor: a\ndate: 2026-11-01\n"
	tests := []struct{ name, doc, want string }{
		{"unknown practice", entry("practice: AC.L2-3.1.99\nstatus: met\n" + base), `m.yaml:2: unknown CMMC practice "AC.L2-3.1.99"`},
		{"unknown objective", entry("objective: AC.L2-3.1.1[z]\nstatus: met\n" + base), `m.yaml:2: unknown assessment objective "AC.L2-3.1.1[z]"`},
		{"partial without a partial value", entry("practice: AC.L2-3.1.1\nstatus: not-met\npartial: true\n" + base), "m.yaml:2: AC.L2-3.1.1: partial: true is allowed only on IA.L2-3.5.3 and SC.L2-3.13.11"},
		{"partial on a met practice", entry("practice: IA.L2-3.5.3\nstatus: met\npartial: true\n" + base), "status must be not-met"},
		{"partial on an objective", entry("objective: IA.L2-3.5.3[a]\nstatus: not-met\npartial: true\n" + base), "applies to a whole practice"},
		{"no-deduction where none is allowed", entry("practice: AC.L2-3.1.1\nstatus: not-met\nno-deduction: because\n" + base), "m.yaml:2: AC.L2-3.1.1: no-deduction is allowed only where"},
		{"no-deduction without reason", entry("practice: AC.L2-3.1.12\nstatus: not-met\nno-deduction: \"\"\n" + base), "needs its reason"},
		{"duplicate practice", entry("practice: AC.L2-3.1.1\nstatus: met\n"+base) + "  - practice: ac.l2-3.1.1\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-11-01\n", "m.yaml:7: AC.L2-3.1.1 is recorded twice (first at line 2)"},
		{"duplicate objective", entry("objective: AC.L2-3.1.1[a]\nstatus: met\n"+base) + "  - objective: AC.L2-3.1.1[a]\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-11-01\n", "m.yaml:7: AC.L2-3.1.1[a] is recorded twice"},
		{"future date", entry("practice: AC.L2-3.1.1\nstatus: met\nstatement: s\nassessor: a\ndate: 2026-11-21\n"), "m.yaml:2: AC.L2-3.1.1: date 2026-11-21 is in the future (today is 2026-11-20)"},
		{"bad date", entry("practice: AC.L2-3.1.1\nstatus: met\nstatement: s\nassessor: a\ndate: 11/01/2026\n"), "is not YYYY-MM-DD"},
		{"bad status", entry("practice: AC.L2-3.1.1\nstatus: satisfied\n" + base), `status "satisfied" is invalid`},
		{"no assessor", entry("practice: AC.L2-3.1.1\nstatus: met\nstatement: s\ndate: 2026-11-01\n"), "needs an assessor"},
		{"both ids", entry("practice: AC.L2-3.1.1\nobjective: AC.L2-3.1.1[a]\nstatus: met\n" + base), "either a practice or an objective"},
		{"neither id", entry("status: met\n" + base), "needs practice: or objective:"},
		{"unknown field", entry("practice: AC.L2-3.1.1\nstatus: met\nassesor: a\n" + base), `m.yaml:4: unknown field "assesor"`},
		{"poam on a met entry", entry("practice: AC.L2-3.1.3\nstatus: met\npoam: {planned: 2027-01-01}\n" + base), "only a not-met entry"},
		{"poam bad date", entry("practice: AC.L2-3.1.3\nstatus: not-met\npoam: {planned: soon}\n" + base), `poam planned date "soon"`},
		{"not a list", "practices: {practice: AC.L2-3.1.1}\n", "m.yaml:1: practices: want a list"},
		{"not yaml", "practices: [\n", "m.yaml: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManual("m.yaml", []byte(tt.doc), guide(t), today)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func FuzzParseManual(f *testing.F) {
	f.Add([]byte(goodManual))
	f.Add([]byte("practices:\n  - practice: [\n"))
	f.Add([]byte("practices: 3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := guideOnce()
		if err != nil {
			t.Skip()
		}
		m, err := ParseManual("f.yaml", b, g, today)
		if err != nil {
			return
		}
		for id, p := range m.Practices {
			if _, ok := g.Practice(id); !ok || p.Assessor == "" {
				t.Fatalf("accepted %s: %+v", id, p)
			}
		}
	})
}
