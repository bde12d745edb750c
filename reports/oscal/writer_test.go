package oscal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func writers() []*Writer { return []*Writer{NewAssessmentResults(), NewAssessmentPlan(), NewPOAM()} }

func render(t testing.TB, w *Writer, a *assessment.Assessment) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w.Write(context.Background(), &buf, a); err != nil {
		t.Fatalf("%s: %v", w.Format(), err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, w := range writers() {
		t.Run(w.Format(), func(t *testing.T) {
			got := render(t, w, fixture())
			golden := filepath.Join("testdata", w.Filename())
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test -update and review the diff)", w.Format(), golden)
			}
			// The golden file itself is a valid OSCAL document.
			v, err := oscalschema.DecodeJSON(want)
			if err != nil {
				t.Fatal(err)
			}
			if err := oscalschema.Validate(v); err != nil {
				t.Fatal(err)
			}
		})
	}
}

var (
	timeRe = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)"`)
)

// Two runs over unchanged input differ only in the run's UUID (and the
// document UUIDs derived from it) and in timestamps.
func TestDeterministicAcrossRuns(t *testing.T) {
	a, b := fixture(), fixture()
	b.RunID = "7d444840-9dc0-41d4-a716-446655440000"
	shift := 26 * time.Hour
	b.StartedAt, b.FinishedAt = b.StartedAt.Add(shift), b.FinishedAt.Add(shift)
	for i := range b.Evidence {
		b.Evidence[i].CollectedAt = b.Evidence[i].CollectedAt.Add(shift)
	}
	for _, w := range writers() {
		t.Run(w.Format(), func(t *testing.T) {
			x, y := render(t, w, a), render(t, w, b)
			if bytes.Equal(x, y) {
				t.Fatal("documents of two runs are byte-identical; the run UUID should differ")
			}
			norm := func(doc []byte, run *assessment.Assessment) string {
				s := string(doc)
				for _, id := range []string{runUUID(run), uid("assessment-results", run.RunID), uid("assessment-plan", run.RunID), uid("poam", run.RunID), uid("resource", "system-under-assessment", run.RunID)} {
					s = strings.ReplaceAll(s, id, "<run>")
				}
				s = strings.ReplaceAll(s, run.RunID, "<run>")
				return timeRe.ReplaceAllString(s, `"<time>"`)
			}
			nx, ny := norm(x, a), norm(y, b)
			if nx != ny {
				lx, ly := strings.Split(nx, "\n"), strings.Split(ny, "\n")
				for i := range lx {
					if i >= len(ly) || lx[i] != ly[i] {
						t.Fatalf("line %d differs beyond run uuid and timestamps:\n%s\n%s", i+1, lx[i], ly[min(i, len(ly)-1)])
					}
				}
				t.Fatal("documents differ in length")
			}
		})
	}
}

func decode(t *testing.T, b []byte) *types.OscalCompleteSchema {
	t.Helper()
	var doc types.OscalCompleteSchema
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func TestAssessmentResultsContent(t *testing.T) {
	a := fixture()
	doc := decode(t, render(t, NewAssessmentResults(), a)).AssessmentResults
	if len(doc.Results) != 1 {
		t.Fatalf("want one result per run, got %d", len(doc.Results))
	}
	r := doc.Results[0]
	if r.UUID != a.RunID {
		t.Errorf("result uuid = %s, want the run id %s", r.UUID, a.RunID)
	}
	if got := len((*r.Observations)); got != len(a.Findings)+1 {
		t.Errorf("observations = %d, want one per check outcome plus one manual = %d", got, len(a.Findings)+1)
	}
	inc := *r.ReviewedControls.ControlSelections[0].IncludeControls
	if len(inc) != len(a.Scope.ControlIDs) {
		t.Errorf("reviewed controls = %d, want %d", len(inc), len(a.Scope.ControlIDs))
	}
	findings := map[string]types.Finding{}
	for _, f := range *r.Findings {
		findings[f.Target.TargetId] = f
	}
	cases := []struct {
		target, typ, state string
		risk               bool
	}{
		{"cm-8_smt", "statement-id", "satisfied", false},
		{"si-7.1_smt", "statement-id", "not-satisfied", true},
		{"sr-4.3_smt", "statement-id", "not-satisfied", true},
		{"sr-1_obj", "objective-id", "satisfied", false},
	}
	for _, c := range cases {
		f, ok := findings[c.target]
		if !ok {
			t.Errorf("no finding targets %s", c.target)
			continue
		}
		if f.Target.Type != c.typ || f.Target.Status.State != c.state {
			t.Errorf("%s: type %s state %s, want %s %s", c.target, f.Target.Type, f.Target.Status.State, c.typ, c.state)
		}
		if (f.RelatedRisks != nil) != c.risk {
			t.Errorf("%s: related risks = %v, want %v", c.target, f.RelatedRisks != nil, c.risk)
		}
		if f.RelatedObservations == nil {
			t.Errorf("%s: no related observations", c.target)
		}
	}
	if _, ok := findings["sr-11_smt"]; ok {
		t.Error("a not-assessed control must not become a finding")
	}
	var na []string
	for _, p := range *r.Props {
		if p.Name == "not-assessed" {
			na = append(na, p.Value)
		}
	}
	if len(na) != 1 || na[0] != "sr-11" {
		t.Errorf("not-assessed props = %v, want [sr-11]", na)
	}
	if len(*r.Risks) != 2 {
		t.Errorf("risks = %d, want 2", len(*r.Risks))
	}
	for _, rk := range *r.Risks {
		if rk.Status != "open" || rk.Characterizations == nil {
			t.Errorf("risk %s: status %s, characterizations %v", rk.Title, rk.Status, rk.Characterizations != nil)
		}
	}
	// The failing observation carries the evidence digests and the method.
	var failing *types.Observation
	for i, o := range *r.Observations {
		for _, p := range *o.Props {
			if p.Name == "status" && p.Value == "fail" {
				failing = &(*r.Observations)[i]
			}
		}
	}
	if failing == nil {
		t.Fatal("no observation for the failing check outcome")
	}
	if failing.Methods[0] != "TEST" {
		t.Errorf("methods = %v, want TEST", failing.Methods)
	}
	var hashes []string
	for _, re := range *failing.RelevantEvidence {
		for _, p := range *re.Props {
			if p.Name == "sha256" {
				hashes = append(hashes, p.Value)
			}
		}
	}
	if len(hashes) != 2 || hashes[0] != a.Evidence[2].SHA256 {
		t.Errorf("relevant-evidence hashes = %v", hashes)
	}
	if (*failing.RelevantEvidence)[0].Href != "dist/tool%20bin" {
		t.Errorf("href = %q, want the escaped source", (*failing.RelevantEvidence)[0].Href)
	}
	if n := len(*doc.BackMatter.Resources); n != 4 {
		t.Errorf("back-matter resources = %d, want 3 evidence sources + 1 manual file", n)
	}
}

func TestPOAMItems(t *testing.T) {
	ar := decode(t, render(t, NewAssessmentResults(), fixture())).AssessmentResults.Results[0]
	poam := decode(t, render(t, NewPOAM(), fixture())).PlanOfActionAndMilestones
	if len(poam.PoamItems) != 2 {
		t.Fatalf("poam items = %d, want one per open risk (2)", len(poam.PoamItems))
	}
	risks := map[string]bool{}
	for _, r := range *ar.Risks {
		risks[r.UUID] = true
	}
	for _, it := range poam.PoamItems {
		rr := *it.RelatedRisks
		if !risks[rr[0].RiskUuid] {
			t.Errorf("poam item %s links risk %s, not a risk of the results", it.Title, rr[0].RiskUuid)
		}
	}

	// No open risk: one placeholder item, still valid.
	a := fixture()
	a.Controls = a.Controls[:1]
	poam = decode(t, render(t, NewPOAM(), a)).PlanOfActionAndMilestones
	if len(poam.PoamItems) != 1 || (*poam.PoamItems[0].Props)[0].Name != "placeholder" {
		t.Errorf("want one placeholder item, got %+v", poam.PoamItems)
	}
}

func TestAssessmentPlanContent(t *testing.T) {
	a := fixture()
	ap := decode(t, render(t, NewAssessmentPlan(), a)).AssessmentPlan
	acts := *ap.LocalDefinitions.Activities
	if len(acts) != len(a.Checks)+1 {
		t.Fatalf("activities = %d, want one per collector and per check", len(acts))
	}
	for _, act := range acts {
		if (*act.Props)[0].Name != "method" {
			t.Errorf("activity %s has no method prop", act.Title)
		}
	}
	if len(*ap.Tasks) != 2 {
		t.Errorf("tasks = %d, want collect and evaluate", len(*ap.Tasks))
	}
}

// Whatever the assessment holds (empty names, whitespace, odd paths, zero
// times, no controls), the writers produce a valid document.
func TestRobustToOddAssessments(t *testing.T) {
	cases := map[string]func(a *assessment.Assessment){
		"empty": func(a *assessment.Assessment) { *a = assessment.Assessment{StartedAt: t0} },
		"blank strings": func(a *assessment.Assessment) {
			a.Title, a.Tool = "  ", assessment.Tool{}
			a.Targets[0].Name = ""
			a.Findings[0].Message = "\n"
			a.Findings[0].Subjects[0].Ref = " lead space\tand\nnewline "
			a.Evidence[0].Source = "C:\\weird path\\ü?#.bin"
			a.Evidence[1].SHA256 = ""
			a.Controls[0].Title = ""
			a.Controls[2].Manual.Assessor = ""
			a.Controls[2].Manual.References = []string{"https://example.invalid/doc", "::not a uri::", ""}
		},
		"zero collected": func(a *assessment.Assessment) {
			for i := range a.Evidence {
				a.Evidence[i].CollectedAt = time.Time{}
			}
		},
		"odd run id": func(a *assessment.Assessment) { a.RunID = "run-1" },
		"dangling ids": func(a *assessment.Assessment) {
			a.Findings[0].Evidence = append(a.Findings[0].Evidence, "nope")
			a.Controls[1].Findings = append(a.Controls[1].Findings, "nope")
			a.Findings = append(a.Findings, evidence.Finding{ID: "x", CheckID: "UNKNOWN", Status: evidence.Error})
		},
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			a := fixture()
			mod(a)
			for _, w := range writers() {
				var buf bytes.Buffer
				if err := w.Write(context.Background(), &buf, a); err != nil {
					t.Errorf("%s: %v", w.Format(), err)
				}
			}
		})
	}
}

func TestEncodeRejectsInvalid(t *testing.T) {
	doc := AssessmentResults(fixture())
	doc.AssessmentResults.UUID = "not-a-uuid"
	doc.AssessmentResults.Results[0].Title = ""
	_, err := Encode(doc)
	if !errors.Is(err, ErrInvalidDocument) {
		t.Fatalf("err = %v, want ErrInvalidDocument", err)
	}
	var ve *oscalschema.ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Pointer != "/assessment-results/uuid" {
		t.Fatalf("want the problem at /assessment-results/uuid, got %v", err)
	}
}

func TestWriteHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := NewAssessmentResults().Write(ctx, &buf, fixture()); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Fatalf("err = %v, wrote %d bytes", err, buf.Len())
	}
}

// BenchmarkAssessmentResults20k builds, encodes and schema-validates an
// assessment-results document with 20,000 observations and 20,000
// findings (the target: ≤ 1 s).
func BenchmarkAssessmentResults20k(b *testing.B) {
	a := synthetic(20000)
	w := NewAssessmentResults()
	var buf bytes.Buffer
	if err := w.Write(context.Background(), &buf, a); err != nil { // compile the schema outside the timing
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := w.Write(context.Background(), &buf, a); err != nil {
			b.Fatal(err)
		}
	}
}

// TestObservationEvidenceBounded: an observation links at most
// maxFoldedEvidence evidence items and says how many more pedigree.json
// lists, for a folded finding and for one finding over a whole large
// target alike.
func TestObservationEvidenceBounded(t *testing.T) {
	a := fixture()
	base := a.Evidence[0]
	var ids []string
	for i := range 3 * maxFoldedEvidence {
		e := base
		e.Source = fmt.Sprintf("keys/k%d.pem", i)
		e.ID = evidence.NewID("keys", "keys.material", "release", e.Source, base.SHA256)
		a.Evidence = append(a.Evidence, e)
		ids = append(ids, e.ID)
	}
	whole := evidence.Finding{CheckID: "FILES-CHECKSUM-COVERAGE", Status: evidence.Pass, Severity: evidence.Info,
		Message: "no private key among 300 files", Evidence: ids}
	whole.Identify()
	folded := evidence.Finding{CheckID: "FILES-CHECKSUM-MISMATCH", Status: evidence.Fail, Severity: evidence.High,
		Message: "250 more fail findings", Evidence: ids[:250], Folded: 250}
	folded.Identify()
	a.Findings = append(a.Findings, whole, folded)
	doc := decode(t, render(t, NewAssessmentResults(), a)).AssessmentResults
	want := map[string]string{
		"no private key among 300 files": "and 200 more evidence items, listed in pedigree.json",
		"250 more fail findings":         "and 150 more evidence items of the 250 folded findings, listed in pedigree.json",
	}
	seen := 0
	for _, o := range *doc.Results[0].Observations {
		w, ok := want[o.Description]
		if !ok {
			continue
		}
		seen++
		rel := *o.RelevantEvidence
		if len(rel) != maxFoldedEvidence+1 || rel[maxFoldedEvidence].Description != w {
			t.Errorf("%q: %d evidence links, last %q; want %d and %q", o.Description, len(rel), rel[len(rel)-1].Description, maxFoldedEvidence+1, w)
		}
	}
	if seen != 2 {
		t.Fatalf("found %d of the 2 observations", seen)
	}
}
