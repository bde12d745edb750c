package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/bundle"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/oscal"
)

// runs are two runs: in the newer one SBOM-NTIA-MINIMUM is fixed, the
// artifact signature regressed, a new finding appeared, CM-8 became
// satisfied and SI-7 not satisfied.
func runs() (*assessment.Assessment, *assessment.Assessment) {
	old := assessmenttest.Small()
	cur := assessmenttest.Small()
	cur.RunID = "99999999-2222-4333-8444-555555555555"
	cur.StartedAt = old.StartedAt.Add(24 * time.Hour)
	for i := range cur.Findings {
		switch cur.Findings[i].ID {
		case "f-ntia":
			cur.Findings[i].Status = evidence.Pass
		case "f-sig":
			cur.Findings[i].Status = evidence.Fail
		}
	}
	cur.Findings = append(cur.Findings, evidence.Finding{ID: "f-new", CheckID: "CI-TEMPLATE-INJECTION", Status: evidence.Fail, Severity: evidence.High, Message: "new injection", Location: &evidence.Location{Path: "ci.yml", Line: 3}})
	for i := range cur.Controls {
		switch cur.Controls[i].ID {
		case "cm-8":
			cur.Controls[i].Status = assessment.Satisfied
		case "si-7":
			cur.Controls[i].Status = assessment.NotSatisfied
		}
	}
	return old, cur
}

func check(t *testing.T, r *Report, key func(string) string) {
	t.Helper()
	ids := func(l []FindingChange) string {
		var s []string
		for _, f := range l {
			s = append(s, f.ID)
		}
		return strings.Join(s, ",")
	}
	pids := func(l []POAMChange) string {
		var s []string
		for _, p := range l {
			s = append(s, p.Control)
		}
		return strings.Join(s, ",")
	}
	for _, tt := range []struct{ what, got, want string }{
		{"new", ids(r.NewFindings), key("f-new")},
		{"regressed", ids(r.Regressed), key("f-sig")},
		{"fixed", ids(r.Fixed), key("f-ntia")},
		{"changed", ids(r.Changed), ""},
		{"still open", pids(r.StillOpen), "sa-11"},
		{"opened", pids(r.Opened), "si-7"},
		{"closed", pids(r.Closed), "cm-8"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.what, tt.got, tt.want)
		}
	}
	var cs []string
	for _, c := range r.Controls {
		cs = append(cs, c.ID+":"+c.Old+">"+c.New)
	}
	if got := strings.Join(cs, ","); got != "cm-8:not-satisfied>satisfied,si-7:not-assessed>not-satisfied" {
		t.Errorf("controls = %s", got)
	}
	if !r.Worse() {
		t.Error("Worse() = false with new and regressed findings")
	}
	if len(r.Closed) == 1 && r.Closed[0].ClosedBy != r.New.RunID {
		t.Errorf("closed by %q, want the new run", r.Closed[0].ClosedBy)
	}
}

func write(t *testing.T, dir, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPedigreeJSON(t *testing.T) {
	old, cur := runs()
	dir := t.TempDir()
	o, err := Load(context.Background(), write(t, dir, "old.json", old))
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(context.Background(), write(t, dir, "new.json", cur))
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(o, n)
	check(t, r, same)
	if r.StillOpen[0].Detected != old.StartedAt {
		t.Errorf("still-open item detected %v, want the old run's %v", r.StillOpen[0].Detected, old.StartedAt)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(md.String(), dir, "DIR")
	assessmenttest.Golden(t, "testdata/small-diff.md", []byte(got))
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.NewFindings) != 1 {
		t.Fatalf("JSON round trip: %v", err)
	}
}

func TestAssessmentResults(t *testing.T) {
	old, cur := runs()
	dir := t.TempDir()
	o, err := Load(context.Background(), write(t, dir, "old-ar.json", oscal.AssessmentResults(old)))
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(context.Background(), write(t, dir, "new-ar.json", oscal.AssessmentResults(cur)))
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != "oscal-ar" || len(o.Findings) != len(old.Findings) {
		t.Fatalf("AR run: kind %s, %d findings, want %d", o.Kind, len(o.Findings), len(old.Findings))
	}
	check(t, Compare(o, n), observationKey)
	// An AR against a pedigree.json matches findings too.
	nj, err := Load(context.Background(), write(t, dir, "new.json", cur))
	if err != nil {
		t.Fatal(err)
	}
	check(t, Compare(o, nj), observationKey)
}

func TestBundles(t *testing.T) {
	old, cur := runs()
	dir := t.TempDir()
	var paths []string
	for i, a := range []*assessment.Assessment{old, cur} {
		sub := filepath.Join(dir, []string{"old", "new"}[i])
		os.MkdirAll(sub, 0o755)
		p := write(t, sub, "pedigree.json", a)
		b := filepath.Join(dir, []string{"old", "new"}[i]+".tar.gz")
		if err := bundle.Create(context.Background(), b, []string{p}, nil, a, nil); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, b)
	}
	o, err := Load(context.Background(), paths[0])
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(context.Background(), paths[1])
	if err != nil {
		t.Fatal(err)
	}
	check(t, Compare(o, n), same)
}

func same(s string) string { return s }

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := json.Marshal(assessmenttest.Small())
	for _, tt := range []struct{ name, body, want string }{
		{"truncated", string(good[:len(good)/2]), "not JSON"},
		{"not a run", `{"hello": 1}`, "neither a pedigree.json"},
		{"wrong types", `{"schemaVersion": "1", "findings": 3}`, "not a pedigree.json"},
		{"empty AR", `{"assessment-results": {"results": []}}`, "has no result"},
		{"gzip garbage", "\x1f\x8bnot really", "not a gzip archive"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		os.WriteFile(p, []byte(tt.body), 0o644)
		_, err := Load(context.Background(), p)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want one naming the file and saying %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParse: no input makes the loader panic.
func FuzzParse(f *testing.F) {
	good, _ := json.Marshal(assessmenttest.Small())
	f.Add(good)
	f.Add([]byte(`{"assessment-results":{"results":[{"uuid":"x","observations":[{"props":[{"name":"status","value":"fail"}]}],"findings":[{"target":{"target-id":"ac-2_smt","status":{"state":"not-satisfied"}}}]}]}}`))
	f.Add([]byte(`{"schemaVersion":"1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Parse("fuzz", b)
		if err == nil {
			Compare(r, r)
		}
	})
}

// TestCMMC: the SPRS score, status and practice changes between two runs
// of the same CMMC level.
func TestCMMC(t *testing.T) {
	mk := func(score *int, status string, ps ...assessment.PracticeStatus) *assessment.Assessment {
		a := &assessment.Assessment{RunID: status}
		a.CMMC = &assessment.CMMC{Level: 2, Score: assessment.SPRSScore{Score: score, Complete: score != nil, Max: 110, IfUnassessedMet: 110, IfUnassessedNotMet: 90, Status: status}}
		for i, st := range ps {
			a.CMMC.Practices = append(a.CMMC.Practices, assessment.PracticeResult{ID: fmt.Sprintf("AC.L2-3.1.%d", i+1), Title: "t", Status: st})
		}
		return a
	}
	n := 105
	rep := Compare(FromAssessment(mk(nil, "incomplete", assessment.PracticeNotAssessed, assessment.Met)), FromAssessment(mk(&n, "conditional", assessment.NotMet, assessment.Met)))
	c := rep.CMMC
	if !rep.Worse() {
		t.Error("a practice that became not met is not worse")
	}
	if c == nil || c.OldScore != "90 to 110/110" || c.NewScore != "105/110" || c.NewStatus != "conditional" || len(c.Practices) != 1 || c.Practices[0].ID != "AC.L2-3.1.1" || c.Practices[0].New != "not-met" {
		t.Fatalf("%+v", c)
	}
	var b strings.Builder
	if err := WriteMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "SPRS score: 90 to 110/110 → 105/110 · status: incomplete → conditional") || !strings.Contains(b.String(), "| `AC.L2-3.1.1` | t | not-assessed → not-met |") {
		t.Errorf("markdown:\n%s", b.String())
	}
	if Compare(FromAssessment(&assessment.Assessment{}), FromAssessment(mk(&n, "final"))).CMMC != nil {
		t.Error("a CMMC change against a run without CMMC")
	}
}
