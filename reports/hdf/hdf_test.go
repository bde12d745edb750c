package hdf

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/evidence"
)

func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := (Writer{}).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/exec-json.schema.json", b.Bytes())
	assessmenttest.Golden(t, "testdata/small.hdf.json", b.Bytes())
}

func TestContent(t *testing.T) {
	e, err := Build(context.Background(), assessmenttest.Small())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Control{}
	for _, c := range e.Profiles[0].Controls {
		got[c.ID] = c
	}
	tests := []struct {
		id      string
		impact  float64
		nist    []string
		results []string
	}{
		{"CI-TEMPLATE-INJECTION", 0.7, []string{"SA-11"}, []string{"failed"}},
		{"SBOM-NTIA-MINIMUM", 0.5, []string{"CM-8"}, []string{"failed"}},
		{"SIGN-ARTIFACT-VERIFIED", 0.9, []string{"SI-7", "SR-4 (3)"}, []string{"passed", "skipped"}},
		{"ENGINE-COLLECTOR-ERROR", 0.7, []string{}, []string{"error"}},
	}
	for _, tt := range tests {
		c, ok := got[tt.id]
		if !ok {
			t.Errorf("no HDF control %s", tt.id)
			continue
		}
		if c.Impact != tt.impact {
			t.Errorf("%s impact %v, want %v", tt.id, c.Impact, tt.impact)
		}
		nj, _ := json.Marshal(c.Tags["nist"])
		wj, _ := json.Marshal(tt.nist)
		if string(nj) != string(wj) {
			t.Errorf("%s nist tags %s, want %s", tt.id, nj, wj)
		}
		var st []string
		for _, r := range c.Results {
			st = append(st, r.Status)
		}
		if sj, wj := mustJSON(st), mustJSON(tt.results); sj != wj {
			t.Errorf("%s results %s, want %s", tt.id, sj, wj)
		}
	}
}

// TestHeimdallStatus pins what Heimdall showed wrong: a check without
// findings had no result (a profile error), a not-applicable check kept its
// impact (Heimdall counts it Not Reviewed), an informational check that ran
// had impact 0 (Heimdall calls that Not Applicable), and the platform read
// "pedigreedev".
func TestHeimdallStatus(t *testing.T) {
	a := assessmenttest.Small()
	a.Tool.Version = "dev"
	a.Checks = append(a.Checks,
		assessment.Check{ID: "NO-FINDINGS", Title: "ran on nothing", Severity: evidence.High, Pillar: "files"},
		assessment.Check{ID: "ALL-NA", Title: "applied nowhere", Severity: evidence.Medium, Pillar: "files"},
		assessment.Check{ID: "INFO-PASS", Title: "informational", Severity: evidence.Info, Pillar: "files"},
		assessment.Check{ID: "NA-AND-NOT-ASSESSED", Title: "mixed", Severity: evidence.Low, Pillar: "files"},
	)
	a.Findings = append(a.Findings,
		evidence.Finding{ID: "na1", CheckID: "ALL-NA", Status: evidence.NotApplicable, Severity: evidence.Medium, Message: "no vulnerability database configured"},
		evidence.Finding{ID: "na2", CheckID: "ALL-NA", Status: evidence.NotApplicable, Severity: evidence.Medium, Message: "still none"},
		evidence.Finding{ID: "ip", CheckID: "INFO-PASS", Status: evidence.Pass, Severity: evidence.Info, Message: "inventoried"},
		evidence.Finding{ID: "m1", CheckID: "NA-AND-NOT-ASSESSED", Status: evidence.NotApplicable, Severity: evidence.Low},
		evidence.Finding{ID: "m2", CheckID: "NA-AND-NOT-ASSESSED", Status: evidence.NotAssessed, Severity: evidence.Low},
	)
	e, err := Build(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (Writer{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/exec-json.schema.json", b.Bytes())
	byCheck := map[string][]*evidence.Finding{}
	for i := range a.Findings {
		byCheck[a.Findings[i].CheckID] = append(byCheck[a.Findings[i].CheckID], &a.Findings[i])
	}
	tests := []struct {
		id, status string
		impact     float64
	}{
		{"NO-FINDINGS", NotReviewed, 0.7},
		{"ALL-NA", NotApplicable, 0},
		{"INFO-PASS", Passed, 0.1},
		{"NA-AND-NOT-ASSESSED", NotReviewed, 0.3},
		{"CI-TEMPLATE-INJECTION", Failed, 0.7},
		{"SIGN-ARTIFACT-VERIFIED", Passed, 0.9},
		{"ENGINE-COLLECTOR-ERROR", ProfileError, 0.7},
	}
	got := map[string]Control{}
	for _, c := range e.Profiles[0].Controls {
		got[c.ID] = c
		if len(c.Results) == 0 {
			t.Errorf("%s has no results: Heimdall reports a profile error", c.ID)
		}
	}
	for _, tt := range tests {
		c := got[tt.id]
		if c.Impact != tt.impact {
			t.Errorf("%s impact %v, want %v", tt.id, c.Impact, tt.impact)
		}
		if s := Status(byCheck[tt.id]); s != tt.status {
			t.Errorf("%s status %q, want %q", tt.id, s, tt.status)
		}
		if s := heimdallStatus(c); s != tt.status {
			t.Errorf("%s: Heimdall's rule gives %q, want %q", tt.id, s, tt.status)
		}
	}
	if p := e.Platform; p.Name+p.Release != a.Title {
		t.Errorf("platform shows as %q, want the assessment's title %q", p.Name+p.Release, a.Title)
	}
	if e.Version != "0.0.0-dev" || e.Profiles[0].Version != "0.0.0-dev" {
		t.Errorf("versions %q, %q, want 0.0.0-dev", e.Version, e.Profiles[0].Version)
	}
}

// heimdallStatus is Heimdall 2.12's (inspecjs) rule for a control's status,
// written out here so that the test checks the document, not Status.
func heimdallStatus(c Control) string {
	has := map[string]bool{}
	for _, r := range c.Results {
		has[r.Status] = true
	}
	switch {
	case has["error"]:
		return ProfileError
	case c.Impact == 0:
		return NotApplicable
	case len(c.Results) == 0:
		return ProfileError
	case has["failed"]:
		return Failed
	case has["passed"]:
		return Passed
	case has["skipped"]:
		return NotReviewed
	}
	return ProfileError
}

func TestRandomValidates(t *testing.T) {
	var b bytes.Buffer
	if err := (Writer{}).Write(context.Background(), &b, assessmenttest.Random(2, 300, 40)); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/exec-json.schema.json", b.Bytes())
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
