package oscal

import (
	"fmt"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// fixture is a small hand-built run: one target, a satisfied control, two
// not-satisfied ones, one decided by manual evidence and one not assessed.
func fixture() *assessment.Assessment {
	ev := func(source, sha string) evidence.Evidence {
		return evidence.Evidence{
			ID:        evidence.NewID("files", "file", "release", source, sha),
			Collector: "files", Kind: "file", Target: "release", Source: source,
			SHA256: sha, Size: 42, CollectedAt: t0,
			Subject: evidence.Subject{Type: "file", Ref: source, Digest: "sha256:" + sha},
		}
	}
	e1 := ev("dist/app.tar.gz", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
	e2 := ev("SHA256SUMS", "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9")
	e3 := ev("dist/tool bin", "baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096")

	f := func(check string, st evidence.Status, sev evidence.Severity, msg string, subj evidence.Subject, evs ...string) evidence.Finding {
		x := evidence.Finding{CheckID: check, Status: st, Severity: sev, Message: msg, Subjects: []evidence.Subject{subj}, Evidence: evs}
		x.Identify()
		return x
	}
	f1 := f("FILES-CHECKSUM-MISMATCH", evidence.Pass, evidence.Info, "dist/app.tar.gz matches its SHA256SUMS entry", e1.Subject, e1.ID, e2.ID)
	f2 := f("FILES-CHECKSUM-MISMATCH", evidence.Fail, evidence.High, "dist/tool bin: SHA-256 is baa5a096…, SHA256SUMS line 2 says 0000…", e3.Subject, e3.ID, e2.ID)
	f2.Location = &evidence.Location{Path: "SHA256SUMS", Line: 2, Column: 1}
	f2.Identify()
	f3 := f("FILES-CHECKSUM-COVERAGE", evidence.Pass, evidence.Info, "every release artifact is covered by a checksum file", evidence.Subject{Type: "directory", Ref: "dist"}, e2.ID)

	return &assessment.Assessment{
		SchemaVersion: assessment.SchemaVersion,
		Tool:          assessment.Tool{Name: "pedigree", Version: "1.2.3"},
		RunID:         "0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e",
		Title:         "Demo release",
		StartedAt:     t0,
		FinishedAt:    t0.Add(2 * time.Second),
		Scope: assessment.Scope{
			Baseline: "moderate", CatalogVersion: "5.1.1",
			ControlIDs: []string{"cm-8", "si-7.1", "sr-1", "sr-4.3", "sr-11"},
		},
		Targets:    []assessment.Target{{Name: "release", Path: "examples/demo/release", Files: 3}},
		Collectors: []assessment.CollectorRun{{Collector: "files", Target: "release", Evidence: 3, Duration: time.Millisecond}},
		Checks: []assessment.Check{
			{ID: "FILES-CHECKSUM-MISMATCH", Title: "Artifacts match their published checksums", Rationale: "A digest that differs from the published one means the artifact was altered after release.", Remediation: "Rebuild the artifact or republish the checksum file from the release pipeline.", Severity: evidence.High, Pillar: "files", Method: "TEST", Controls: []string{"si-7.1", "sr-4.3"}},
			{ID: "FILES-CHECKSUM-COVERAGE", Title: "Every artifact has a published checksum", Rationale: "An artifact no checksum covers cannot be checked for integrity.", Remediation: "Publish SHA256SUMS covering every artifact.", Severity: evidence.Medium, Pillar: "files", Method: "EXAMINE", Controls: []string{"cm-8", "sr-4.3"}},
		},
		Evidence: []evidence.Evidence{e1, e2, e3},
		Findings: []evidence.Finding{f1, f2, f3},
		Controls: []assessment.ControlResult{
			{ID: "cm-8", Label: "CM-8", Title: "System Component Inventory", Family: "cm", Status: assessment.Satisfied, Automated: true,
				Reason: "passed: FILES-CHECKSUM-COVERAGE", Checks: []string{"FILES-CHECKSUM-COVERAGE"}, Findings: []string{f3.ID},
				Rationales: map[string]string{"FILES-CHECKSUM-COVERAGE": "The checksum files inventory the released components."},
				SSDF:       []string{"PS.3.1"}, CMMC: []string{"CM.L2-3.4.1"}, Baselines: []string{"low", "moderate", "high"}},
			{ID: "si-7.1", Label: "SI-7(1)", Title: "Integrity Checks", Family: "si", Status: assessment.NotSatisfied, Automated: true,
				Reason: "failed: FILES-CHECKSUM-MISMATCH", Checks: []string{"FILES-CHECKSUM-MISMATCH"}, Findings: []string{f2.ID},
				Rationales: map[string]string{"FILES-CHECKSUM-MISMATCH": "Recomputing digests is an integrity check of the software."}},
			{ID: "sr-1", Label: "SR-1", Title: "Policy and Procedures", Family: "sr", Status: assessment.Satisfied, CSCRM: true,
				Methods: []string{"EXAMINE", "INTERVIEW"},
				Reason:  "manual evidence by J. Doe on 2026-02-27: The C-SCRM policy was reviewed.",
				Manual: &assessment.ManualEvidence{Status: assessment.Satisfied, Statement: "The C-SCRM policy was reviewed.",
					References: []string{"policies/cscrm-policy.pdf"}, Assessor: "J. Doe", Date: "2026-02-27",
					Source: "manual.yaml", SHA256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"}},
			{ID: "sr-4.3", Label: "SR-4(3)", Title: "Validate as Genuine and Not Altered", Family: "sr", Status: assessment.NotSatisfied, Automated: true, CSCRM: true,
				Reason: "failed: FILES-CHECKSUM-MISMATCH", Checks: []string{"FILES-CHECKSUM-COVERAGE", "FILES-CHECKSUM-MISMATCH"}, Findings: []string{f2.ID}},
			{ID: "sr-11", Label: "SR-11", Title: "Component Authenticity", Family: "sr", Status: assessment.NotAssessed, CSCRM: true,
				Methods: []string{"EXAMINE", "INTERVIEW"},
				Reason:  "no automated check assesses this control; it needs EXAMINE, INTERVIEW"},
		},
	}
}

// synthetic is a run with n check outcomes (each its own observation) and
// n controls (each its own finding), half of them failing.
func synthetic(n int) *assessment.Assessment {
	a := fixture()
	a.Evidence = make([]evidence.Evidence, 0, n)
	a.Findings = make([]evidence.Finding, 0, n)
	a.Controls = make([]assessment.ControlResult, 0, n)
	a.Scope.ControlIDs = make([]string, 0, n)
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("dist/pkg-%05d.tar.gz", i)
		sha := evidence.SHA256Hex([]byte(src))
		e := evidence.Evidence{ID: evidence.NewID("files", "file", "release", src, sha), Collector: "files", Kind: "file", Target: "release",
			Source: src, SHA256: sha, Size: 1, CollectedAt: t0, Subject: evidence.Subject{Type: "file", Ref: src, Digest: "sha256:" + sha}}
		st, sev := evidence.Pass, evidence.Info
		if i%2 == 1 {
			st, sev = evidence.Fail, evidence.High
		}
		f := evidence.Finding{CheckID: "FILES-CHECKSUM-MISMATCH", Status: st, Severity: sev, Message: src + " checked",
			Subjects: []evidence.Subject{e.Subject}, Evidence: []string{e.ID}}
		f.Identify()
		id := fmt.Sprintf("sr-%d", i+1)
		c := assessment.ControlResult{ID: id, Label: fmt.Sprintf("SR-%d", i+1), Title: "Synthetic", Status: assessment.Satisfied, Automated: true,
			Reason: "passed", Checks: []string{f.CheckID}, Findings: []string{f.ID}}
		if st == evidence.Fail {
			c.Status, c.Reason = assessment.NotSatisfied, "failed: "+f.CheckID
		}
		a.Evidence = append(a.Evidence, e)
		a.Findings = append(a.Findings, f)
		a.Controls = append(a.Controls, c)
		a.Scope.ControlIDs = append(a.Scope.ControlIDs, id)
	}
	return a
}
