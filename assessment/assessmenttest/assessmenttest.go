// Package assessmenttest builds assessments for tests and benchmarks: a
// small fixed one whose reports are kept as golden files, and large random
// ones (deterministic for a seed) for speed figures.
package assessmenttest

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Epoch is the fixed time of the fixed assessments.
var Epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Small is a fixed assessment that exercises every field reports show:
// each finding status, a location, manual evidence, inventory tables.
func Small() *assessment.Assessment {
	ev := []evidence.Evidence{
		{ID: "e1", Collector: "sbom", Kind: "sbom.document", Subject: evidence.Subject{Type: "sbom", Ref: "dist/app.cdx.json"}, Target: "app", Source: "dist/app.cdx.json", SHA256: sha("app.cdx"), Size: 2048, CollectedAt: Epoch},
		{ID: "e2", Collector: "ci", Kind: "ci.workflow", Subject: evidence.Subject{Type: "workflow", Ref: ".github/workflows/release.yml"}, Target: "app", Source: ".github/workflows/release.yml", SHA256: sha("release.yml"), Size: 812, CollectedAt: Epoch},
		{ID: "e3", Collector: "signing", Kind: "signing.signature", Subject: evidence.Subject{Type: "artifact", Ref: "dist/app.tar.gz", Digest: "sha256:" + sha("app.tar.gz")}, Target: "app", Source: "dist/app.tar.gz.sig", SHA256: sha("app.sig"), Size: 96, CollectedAt: Epoch},
		{ID: "e4", Collector: "files", Kind: "files.inventory", Subject: evidence.Subject{Type: "file", Ref: "."}, Target: "lib", Source: "go.mod", SHA256: sha("go.mod"), Size: 311, CollectedAt: Epoch},
	}
	checks := []assessment.Check{
		{ID: "CI-TEMPLATE-INJECTION", Title: "Workflows do not expand untrusted input into scripts", Rationale: "An attacker-controlled string expanded into a run: script executes in the pipeline.", Remediation: "Pass the value through an environment variable and quote it.", Severity: evidence.High, Pillar: "build", Method: "TEST", Controls: []string{"sa-11", "si-10"}},
		{ID: "SBOM-NTIA-MINIMUM", Title: "SBOMs carry the NTIA minimum elements", Rationale: "Without supplier, name, version and identifiers a component cannot be traced.", Remediation: "Generate the SBOM with a tool that records suppliers and purls.", Severity: evidence.Medium, Pillar: "sbom", Method: "EXAMINE", Controls: []string{"cm-8", "sr-4"}},
		{ID: "SIGN-ARTIFACT-VERIFIED", Title: "Release artifacts carry a valid signature", Rationale: "A signature binds the artifact to its producer.", Remediation: "Sign releases with a key the trust policy names.", Severity: evidence.Critical, Pillar: "signing", Method: "TEST", Controls: []string{"si-7", "sr-4.3"}},
	}
	findings := []evidence.Finding{
		{ID: "f-inject", CheckID: "CI-TEMPLATE-INJECTION", Status: evidence.Fail, Severity: evidence.High, Message: "step \"publish\" expands ${{ github.event.issue.title }} into a run: script", Subjects: []evidence.Subject{{Type: "workflow", Ref: ".github/workflows/release.yml"}}, Evidence: []string{"e2"}, Location: &evidence.Location{Path: ".github/workflows/release.yml", Line: 42, Column: 14}},
		{ID: "f-ntia", CheckID: "SBOM-NTIA-MINIMUM", Status: evidence.Fail, Severity: evidence.Medium, Message: "2 of 3 components lack a supplier", Subjects: []evidence.Subject{{Type: "sbom", Ref: "dist/app.cdx.json"}}, Evidence: []string{"e1"}},
		{ID: "f-sig", CheckID: "SIGN-ARTIFACT-VERIFIED", Status: evidence.Pass, Severity: evidence.Critical, Message: "dist/app.tar.gz verified with key release-2026 (ECDSA P-256)", Subjects: []evidence.Subject{{Type: "artifact", Ref: "dist/app.tar.gz"}}, Evidence: []string{"e3"}},
		{ID: "f-sig-lib", CheckID: "SIGN-ARTIFACT-VERIFIED", Status: evidence.NotAssessed, Severity: evidence.Critical, Message: "no trust policy names a key for lib; signature not checked", Subjects: []evidence.Subject{{Type: "file", Ref: "go.mod"}}, Evidence: []string{"e4"}},
		{ID: "f-err", CheckID: "ENGINE-COLLECTOR-ERROR", Status: evidence.Error, Severity: evidence.High, Message: "collector vuln failed on target lib: database file missing", Subjects: []evidence.Subject{{Type: "collector", Ref: "vuln@lib"}}},
	}
	controls := []assessment.ControlResult{
		{ID: "cm-8", Label: "CM-8", Title: "System Component Inventory", Family: "cm", Baselines: []string{"low", "moderate", "high"}, CSCRM: true, Status: assessment.NotSatisfied, Automated: true, Reason: "SBOM-NTIA-MINIMUM failed", Checks: []string{"SBOM-NTIA-MINIMUM"}, Findings: []string{"f-ntia"}, Rationales: map[string]string{"SBOM-NTIA-MINIMUM": "An SBOM with the minimum elements is the component inventory."}, SSDF: []string{"PS.3.2"}, CMMC: []string{"CM.L2-3.4.1"}},
		{ID: "sa-11", Label: "SA-11", Title: "Developer Testing and Evaluation", Family: "sa", Baselines: []string{"moderate", "high"}, CSCRM: true, Status: assessment.NotSatisfied, Automated: true, Reason: "CI-TEMPLATE-INJECTION failed", Checks: []string{"CI-TEMPLATE-INJECTION"}, Findings: []string{"f-inject"}},
		{ID: "si-7", Label: "SI-7", Title: "Software, Firmware, and Information Integrity", Family: "si", Baselines: []string{"moderate", "high"}, CSCRM: true, Status: assessment.NotAssessed, Automated: true, Reason: "SIGN-ARTIFACT-VERIFIED could not decide for lib", Checks: []string{"SIGN-ARTIFACT-VERIFIED"}, Findings: []string{"f-sig", "f-sig-lib"}},
		{ID: "sr-4.3", Label: "SR-4(3)", Title: "Validate as Genuine and Not Altered", Family: "sr", CSCRM: true, Status: assessment.Satisfied, Automated: true, Reason: "SIGN-ARTIFACT-VERIFIED passed", Checks: []string{"SIGN-ARTIFACT-VERIFIED"}, Findings: []string{"f-sig"}},
		{ID: "sr-3", Label: "SR-3", Title: "Supply Chain Controls and Processes", Family: "sr", Baselines: []string{"low", "moderate", "high"}, CSCRM: true, Status: assessment.Satisfied, Methods: []string{"EXAMINE", "INTERVIEW"}, Reason: "manual evidence: interview with the release manager", Manual: &assessment.ManualEvidence{Status: assessment.Satisfied, Statement: "Supply chain process documented in SCRM plan v3.", References: []string{"scrm-plan-v3.pdf"}, Assessor: "J. Doe", Date: "2026-02-20", Source: "manual.yaml", SHA256: sha("manual.yaml")}},
		{ID: "ac-2", Label: "AC-2", Title: "Account Management", Family: "ac", Baselines: []string{"low", "moderate", "high"}, Status: assessment.NotAssessed, Methods: []string{"EXAMINE", "INTERVIEW"}, Reason: "no automated check assesses this control; it needs EXAMINE, INTERVIEW"},
	}
	return &assessment.Assessment{
		SchemaVersion: assessment.SchemaVersion,
		Tool:          assessment.Tool{Name: "pedigree", Version: "0.1.0-test"},
		RunID:         "11111111-2222-4333-8444-555555555555",
		Title:         "Demo release assessment",
		StartedAt:     Epoch,
		FinishedAt:    Epoch.Add(3 * time.Second),
		Scope:         assessment.Scope{Baseline: "moderate", CatalogVersion: "5.1.1", ControlIDs: []string{"ac-2", "cm-8", "sa-11", "si-7", "sr-3", "sr-4.3"}},
		Targets:       []assessment.Target{{Name: "app", Path: "/src/app", Files: 12}, {Name: "lib", Path: "/src/lib", Files: 4}},
		Collectors:    []assessment.CollectorRun{{Collector: "sbom", Target: "app", Evidence: 1, Duration: 2 * time.Millisecond}, {Collector: "vuln", Target: "lib", Error: "database file missing"}},
		Checks:        checks,
		Evidence:      ev,
		Findings:      findings,
		Controls:      controls,
		Inventory: assessment.Inventory{
			Components: []assessment.Component{
				{SBOM: "dist/app.cdx.json", Name: "golang.org/x/text", Version: "v0.43.0", Supplier: "The Go Authors", PURL: "pkg:golang/golang.org/x/text@v0.43.0", Hashes: []string{"sha256:" + sha("x/text")}, Licenses: []string{"BSD-3-Clause"}},
				{SBOM: "dist/app.cdx.json", Name: "left-pad", Version: "1.3.0", PURL: "pkg:npm/left-pad@1.3.0", Licenses: []string{"WTFPL"}, Vulnerabilities: []string{"GHSA-xxxx-yyyy-zzzz"}},
			},
			Crypto: []assessment.CryptoAsset{
				{Kind: "key", Algorithm: "ECDSA", Size: "P-256", Hash: "SHA-256", Location: "keys/release.pub", Class: "quantum-vulnerable", CNSA2: "replace by 2030"},
				{Kind: "key", Algorithm: "ML-DSA-65", Location: "keys/pq.pub", Class: "post-quantum", CNSA2: "compliant"},
			},
		},
		Notes: []string{"vuln collector failed on lib"},
	}
}

func sha(s string) string { return evidence.SHA256Hex([]byte(s)) }

var (
	families   = []string{"ac", "at", "au", "ca", "cm", "cp", "ia", "ir", "ma", "mp", "pe", "pl", "pm", "ps", "pt", "ra", "sa", "sc", "si", "sr"}
	pillars    = []string{"files", "sbom", "signing", "build"}
	severities = []evidence.Severity{evidence.Info, evidence.Low, evidence.Medium, evidence.High, evidence.Critical}
	statuses   = []evidence.Status{evidence.Pass, evidence.Pass, evidence.Fail, evidence.NotAssessed, evidence.NotApplicable, evidence.Error}
	cstatuses  = []assessment.ControlStatus{assessment.Satisfied, assessment.NotSatisfied, assessment.NotAssessed}
)

// Random builds a large assessment, the same for the same seed: findings
// findings spread over 200 checks, controls controls, one evidence per
// finding pair, plus components and crypto assets.
func Random(seed uint64, findings, controls int) *assessment.Assessment {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	a := Small()
	a.Title = fmt.Sprintf("Random assessment (seed %d)", seed)
	a.Checks, a.Findings, a.Evidence, a.Controls = nil, nil, nil, nil
	a.Scope.ControlIDs = nil
	nChecks := 200
	for i := range nChecks {
		a.Checks = append(a.Checks, assessment.Check{
			ID: fmt.Sprintf("%s-CHECK-%03d", []string{"FILES", "SBOM", "SIGN", "CI"}[i%4], i), Title: fmt.Sprintf("Synthetic check number %d", i),
			Rationale: "Synthetic rationale.", Remediation: "Synthetic remediation.", Severity: severities[r.IntN(len(severities))],
			Pillar: pillars[i%4], Method: []string{"TEST", "EXAMINE"}[i%2],
		})
	}
	nEv := findings/2 + 1
	for i := range nEv {
		a.Evidence = append(a.Evidence, evidence.Evidence{
			ID: fmt.Sprintf("ev-%06d", i), Collector: pillars[i%4], Kind: pillars[i%4] + ".fact",
			Subject: evidence.Subject{Type: "file", Ref: fmt.Sprintf("src/pkg%03d/file%05d.go", i%500, i)},
			Target:  "app", Source: fmt.Sprintf("src/pkg%03d/file%05d.go", i%500, i), SHA256: sha(fmt.Sprint(i)), Size: int64(r.IntN(1 << 20)), CollectedAt: Epoch,
		})
	}
	for i := range findings {
		c := a.Checks[r.IntN(nChecks)]
		f := evidence.Finding{
			ID: fmt.Sprintf("f-%06d", i), CheckID: c.ID, Status: statuses[r.IntN(len(statuses))], Severity: c.Severity,
			Message:  fmt.Sprintf("synthetic finding %d of %s on component %d", i, c.ID, r.IntN(10000)),
			Subjects: []evidence.Subject{{Type: "file", Ref: fmt.Sprintf("src/pkg%03d/file%05d.go", i%500, i/2)}},
			Evidence: []string{fmt.Sprintf("ev-%06d", i/2)},
		}
		if i%3 == 0 {
			f.Location = &evidence.Location{Path: f.Subjects[0].Ref, Line: 1 + r.IntN(400), Column: 1 + r.IntN(80)}
		}
		a.Findings = append(a.Findings, f)
	}
	perControl := findings / max(controls, 1)
	for i := range controls {
		fam := families[i%len(families)]
		id := fmt.Sprintf("%s-%d", fam, i/len(families)+1)
		cr := assessment.ControlResult{
			ID: id, Label: fmt.Sprintf("%s-%d", upper(fam), i/len(families)+1), Title: fmt.Sprintf("Synthetic control %d", i), Family: fam,
			Baselines: []string{"moderate", "high"}, CSCRM: i%3 == 0, Status: cstatuses[r.IntN(len(cstatuses))], Automated: i%4 != 0,
			Reason: "synthetic", Checks: []string{a.Checks[i%nChecks].ID},
		}
		for j := range perControl {
			cr.Findings = append(cr.Findings, fmt.Sprintf("f-%06d", (i*perControl+j)%max(findings, 1)))
		}
		a.Controls = append(a.Controls, cr)
		a.Scope.ControlIDs = append(a.Scope.ControlIDs, id)
	}
	for i := range findings / 10 {
		a.Inventory.Components = append(a.Inventory.Components, assessment.Component{
			SBOM: "dist/app.cdx.json", Name: fmt.Sprintf("component-%05d", i), Version: fmt.Sprintf("1.%d.%d", i%10, i%7),
			PURL: fmt.Sprintf("pkg:golang/example.com/component-%05d@1.%d.%d", i, i%10, i%7), Licenses: []string{"MIT"},
		})
	}
	return a
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Golden compares got with the file at path; with -update it rewrites the
// file instead.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n(run with -update to accept)", path, i+1, g, w)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// SmallCMMC is Small with a CMMC Level 2 view: a practice not met by a
// failing check and on the POA&M, one met by manual evidence, one not
// assessed, and the incomplete score they give.
func SmallCMMC() *assessment.Assessment {
	a := Small()
	a.Scope.Baseline = "cmmc-l2"
	manual := &assessment.PracticeManual{Status: assessment.Met, Statement: "Account list reviewed with the IT lead.", References: []string{"accounts-2026-02.xlsx"},
		Assessor: "J. Doe", Date: "2026-02-20", Source: "manual.yaml", Line: 9, SHA256: sha("manual.yaml")}
	poam := &assessment.PracticeManual{Status: assessment.NotMet, Statement: "SBOM suppliers will be completed.", Assessor: "J. Doe", Date: "2026-02-20",
		Planned: "2026-06-30", Source: "manual.yaml", Line: 16, SHA256: sha("manual.yaml")}
	a.CMMC = &assessment.CMMC{
		Level:  2,
		Source: "CMMC Assessment Guides v2.13; DoD Assessment Methodology v1.2.1",
		Practices: []assessment.PracticeResult{
			{ID: "AC.L2-3.1.1", Title: "Authorized Access Control", Requirements: []string{"3.1.1"}, Status: assessment.Met, Reason: "all 2 objectives met", Value: 5,
				Controls: []string{"ac-2", "ac-3"}, Manual: manual,
				Objectives: []assessment.ObjectiveResult{
					{ID: "AC.L2-3.1.1[a]", Text: "authorized users are identified", Status: assessment.Met, Reason: "manual evidence by J. Doe on 2026-02-20: Account list reviewed with the IT lead.", Manual: manual},
					{ID: "AC.L2-3.1.1[b]", Text: "processes acting on behalf of authorized users are identified", Status: assessment.Met, Reason: "manual evidence by J. Doe on 2026-02-20", Manual: manual},
				}},
			{ID: "CM.L2-3.4.1", Title: "System Baselining", Requirements: []string{"3.4.1"}, Status: assessment.NotMet, Reason: "objectives not met: [e] (1 of 2 met)", Value: 5, Deducted: 5,
				POAM: true, Planned: "2026-06-30", Controls: []string{"cm-2", "cm-8"},
				Objectives: []assessment.ObjectiveResult{
					{ID: "CM.L2-3.4.1[d]", Text: "a system inventory is established", Status: assessment.Met, Reason: "manual evidence by J. Doe on 2026-02-20", Manual: manual},
					{ID: "CM.L2-3.4.1[e]", Text: "the system inventory includes hardware, software, firmware, and documentation", Status: assessment.NotMet,
						Reason: "automated check failed: SBOM-NTIA-MINIMUM", Controls: []string{"cm-8"}, Checks: []string{"SBOM-NTIA-MINIMUM"}, Findings: []string{"f-ntia"},
						Rationales: []string{"[e] the system inventory includes software: an SBOM missing suppliers leaves software out of the inventory."}, Manual: poam},
				}},
			{ID: "SI.L2-3.14.1", Title: "Flaw Remediation", Requirements: []string{"3.14.1"}, Status: assessment.PracticeNotAssessed, Reason: "objectives not assessed: [a] (0 of 1 met)", Value: 5,
				Examine: []string{"System and information integrity policy", "procedures addressing flaw remediation"}, Interview: []string{"System or network administrators"},
				Objectives: []assessment.ObjectiveResult{
					{ID: "SI.L2-3.14.1[a]", Text: "the time within which to identify system flaws is specified", Status: assessment.PracticeNotAssessed, Reason: "no automated evidence bears on this objective; decide it by examine, interview or test"},
				}},
		},
		Score: assessment.SPRSScore{
			Complete: false, IfUnassessedMet: 105, IfUnassessedNotMet: 100, Max: 110, Status: assessment.CMMCIncomplete,
			Reasons: []string{"1 practice(s) not assessed (SI.L2-3.14.1): the score lies between 100 and 105"},
			Counts:  map[assessment.PracticeStatus]int{assessment.Met: 1, assessment.NotMet: 1, assessment.PracticeNotAssessed: 1},
		},
	}
	return a
}
