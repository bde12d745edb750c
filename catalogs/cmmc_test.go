package catalogs

import (
	"os"
	"path/filepath"
	"testing"
)

func mustCMMC(t testing.TB) *CMMCGuide {
	t.Helper()
	g, err := CMMC()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestCMMCUpToDate regenerates cmmc.json.gz from ../shared and compares.
func TestCMMCUpToDate(t *testing.T) {
	checkUpToDate(t, "cmmc.json.gz", buildCMMCJSON, embeddedCMMC)
}

// TestCMMCObjectives checks the parsed guides against SP 800-171A Rev 2:
// 110 Level 2 practices with 320 objectives, every practice's objectives
// lettered a, b, c … without a gap, and the examine objects present.
func TestCMMCObjectives(t *testing.T) {
	g := mustCMMC(t)
	l2 := g.Level(2)
	if len(l2) != 110 {
		t.Fatalf("%d Level 2 practices, want 110", len(l2))
	}
	n := 0
	for _, p := range l2 {
		n += len(p.Objectives)
		for i, o := range p.Objectives {
			want := p.ID + "[" + string(rune('a'+i)) + "]"
			if o.ID != want || o.Practice != p.ID || o.Text == "" {
				t.Errorf("%s objective %d = %+v, want id %s with text", p.ID, i, o, want)
			}
		}
		if len(p.Examine) == 0 || len(p.Interview) == 0 {
			t.Errorf("%s: examine %d, interview %d objects", p.ID, len(p.Examine), len(p.Interview))
		}
		if len(p.Requirements171r2) != 1 {
			t.Errorf("%s: requirements %v", p.ID, p.Requirements171r2)
		}
	}
	if n != 320 {
		t.Errorf("%d Level 2 objectives, want 320", n)
	}
	// Spot checks against the guide's text.
	for id, want := range map[string]string{
		"AC.L2-3.1.1[a]":   "authorized users are identified",
		"AC.L2-3.1.1[f]":   "system access is limited to authorized devices (including other systems)",
		"IA.L2-3.5.3[d]":   "multifactor authentication is implemented for network access to non-privileged accounts",
		"SC.L2-3.13.11[a]": "FIPS-validated cryptography is employed to protect the confidentiality of CUI",
		"CA.L2-3.12.4[h]":  "system security plan is updated with the defined frequency",
		"AC.L1-b.1.i[a]":   "authorized users are identified",
		"PE.L1-b.1.ix[f]":  "physical access devices are managed",
	} {
		o, ok := g.Objective(id)
		if !ok || o.Text != want {
			t.Errorf("%s = %+v, want %q", id, o, want)
		}
	}
	if len(g.Level(1)) != 15 {
		t.Errorf("%d Level 1 practices, want 15 (FAR 52.204-21 b.1.i–xv)", len(g.Level(1)))
	}
	if p, ok := g.Practice("pe.l1-b.1.ix"); !ok || len(p.Requirements171r2) != 3 {
		t.Errorf("PE.L1-b.1.ix: %+v", p)
	}
}

// TestSPRSValues checks the scoring table: 110 values summing to 313 (the
// methodology's lowest score, -203 = 110 - 313), the two partial values and
// the no-deduction conditions.
func TestSPRSValues(t *testing.T) {
	g := mustCMMC(t)
	if len(g.Scoring) != 110 {
		t.Fatalf("%d scored requirements", len(g.Scoring))
	}
	sum := 0
	for _, s := range g.Scoring {
		sum += s.Value
	}
	if sum != 313 {
		t.Errorf("values sum to %d, want 313", sum)
	}
	for req, want := range map[string]SPRSValue{
		"3.5.3":   {Value: 5, Partial: 3},
		"3.13.11": {Value: 5, Partial: 3},
		"3.12.4":  {Value: 0},
		"3.1.12":  {Value: 5, NoDeductionWhen: "remote access not permitted"},
		"3.1.16":  {Value: 5, NoDeductionWhen: "wireless access not permitted"},
		"3.1.18":  {Value: 5, NoDeductionWhen: "mobile devices not permitted"},
		"3.4.9":   {Value: 1},
	} {
		s, ok := g.Value(req)
		if !ok || s.Value != want.Value || s.Partial != want.Partial || s.NoDeductionWhen != want.NoDeductionWhen {
			t.Errorf("%s = %+v, want %+v", req, s, want)
		}
	}
	reqs := g.Requirements()
	if reqs[0] != "3.1.1" || reqs[1] != "3.1.2" || reqs[9] != "3.1.10" || reqs[109] != "3.14.7" {
		t.Errorf("order: %v", reqs[:10])
	}
}

func FuzzParseCMMCGuide(f *testing.F) {
	f.Add([]byte("AC.L2-3.1.1 – AUTHORIZED ACCESS CONTROL\nASSESSMENT OBJECTIVES [NIST SP 800-171A]\nDetermine if:\n[a] users are identified; and\nPOTENTIAL ASSESSMENT METHODS AND OBJECTS\nExamine\n[SELECT FROM: policy; plan].\nDISCUSSION\n"))
	f.Add([]byte("AC.L2-3.1.1 – X\n[a]\n"))
	if dir, err := os.Getwd(); err == nil {
		if b, err := os.ReadFile(filepath.Join(dir, "..", "..", "shared", "catalogs", "cmmc-2.0", "CMMC_AssessmentGuide_L1_v2.13.txt")); err == nil {
			f.Add(b[:min(len(b), 40000)])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := ParseCMMCGuide("fuzz", b, nil)
		if err != nil {
			return
		}
		for _, p := range ps {
			if len(p.Objectives) == 0 {
				t.Fatalf("%s: no objectives and no error", p.ID)
			}
		}
	})
}
