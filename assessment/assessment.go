// Package assessment is the result of one pedigree run, as every report
// writer reads it and as pedigree.json stores it. It is plain data: a report
// re-rendered from pedigree.json sees exactly what the run saw.
package assessment

import (
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/evidence"
)

// SchemaVersion is the version of pedigree.json's layout (schema/pedigree.schema.json).
const SchemaVersion = "1.0.0"

// ControlStatus is the verdict on one control.
type ControlStatus string

const (
	Satisfied    ControlStatus = "satisfied"
	NotSatisfied ControlStatus = "not-satisfied"
	// NotAssessed: no automated check could decide the control; Methods
	// says how an assessor would (examine, interview, test).
	NotAssessed ControlStatus = "not-assessed"
)

// Assessment is one run.
type Assessment struct {
	SchemaVersion string              `json:"schemaVersion"`
	Tool          Tool                `json:"tool"`
	RunID         string              `json:"runId"`
	Title         string              `json:"title"`
	StartedAt     time.Time           `json:"startedAt"`
	FinishedAt    time.Time           `json:"finishedAt"`
	Scope         Scope               `json:"scope"`
	Targets       []Target            `json:"targets"`
	Collectors    []CollectorRun      `json:"collectors"`
	Checks        []Check             `json:"checks"`
	Evidence      []evidence.Evidence `json:"evidence"`
	Findings      []evidence.Finding  `json:"findings"`
	Controls      []ControlResult     `json:"controls"`
	// Inventory holds tables that reports show as they are (SBOM
	// components, the crypto inventory); collectors' checks fill them.
	Inventory Inventory `json:"inventory"`
	Notes     []string  `json:"notes,omitempty"`
	// CMMC is set when the scope was a CMMC level (--baseline cmmc-l2).
	CMMC *CMMC `json:"cmmc,omitempty"`
}

// Tool names the program that made the assessment.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scope is what was in scope: the baseline or profile and its controls.
type Scope struct {
	// Baseline is low, moderate, high or privacy, when one was chosen.
	Baseline string `json:"baseline,omitempty"`
	// Profile is the path of an OSCAL profile that chose the controls.
	Profile string `json:"profile,omitempty"`
	// ProfileTitle is the profile's metadata title.
	ProfileTitle string `json:"profileTitle,omitempty"`
	// Catalog is the path of the official catalog supplied, if any.
	Catalog string `json:"catalog,omitempty"`
	// CatalogVersion is the catalog release the control text comes from.
	CatalogVersion string `json:"catalogVersion,omitempty"`
	// ControlIDs are the OSCAL ids in scope (sr-4.3), in catalog order.
	ControlIDs []string `json:"controlIds"`
}

// Target is one assessed path.
type Target struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Files is the number of regular files inventoried, excluded ones
	// included.
	Files int `json:"files"`
	// Role is what the target was assessed as (release, source, keys,
	// distribution); empty when detected.
	Role string `json:"role,omitempty"`
	// Excluded is how many of the files an exclude rule left out of
	// product judgements; ExcludedBy says which rule, with counts.
	Excluded   int         `json:"excluded,omitempty"`
	ExcludedBy []Exclusion `json:"excludedBy,omitempty"`
}

// Exclusion is one exclude rule and the files it left out.
type Exclusion struct {
	Rule  string `json:"rule"`
	Files int    `json:"files"`
	// First is the first file it excluded, as an example.
	First string `json:"first"`
}

// CollectorRun records one collector's run over one target.
type CollectorRun struct {
	Collector string        `json:"collector"`
	Target    string        `json:"target"`
	Evidence  int           `json:"evidence"`
	Error     string        `json:"error,omitempty"`
	Duration  time.Duration `json:"durationNs"`
}

// Check describes one check that ran.
type Check struct {
	ID          string            `json:"id"`
	Title       string            `json:"title"`
	Rationale   string            `json:"rationale"`
	Remediation string            `json:"remediation"`
	Severity    evidence.Severity `json:"severity"`
	// Pillar is files, sbom, signing or build.
	Pillar string `json:"pillar"`
	// Method is the OSCAL observation method: TEST or EXAMINE.
	Method string `json:"method"`
	// Controls are the OSCAL control ids the mapping ties this check to.
	Controls []string `json:"controls"`
}

// ControlResult is the verdict on one control in scope.
type ControlResult struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Title     string `json:"title"`
	Family    string `json:"family"`
	Statement string `json:"statement,omitempty"`
	// TextSource names the catalog release the title and statement come from.
	TextSource string   `json:"textSource,omitempty"`
	Baselines  []string `json:"baselines,omitempty"`
	// CSCRM is true when SP 800-161 Rev 1 lists the control in its C-SCRM set.
	CSCRM  bool          `json:"cscrm"`
	Status ControlStatus `json:"status"`
	// Automated is true when at least one check is mapped to the control.
	Automated bool `json:"automated"`
	// Methods are the assessment methods the control needs when automation
	// cannot decide it: EXAMINE, INTERVIEW, TEST.
	Methods []string `json:"methods,omitempty"`
	Reason  string   `json:"reason"`
	Checks  []string `json:"checks,omitempty"`
	// Findings are the ids of the findings that decided the status.
	Findings []string `json:"findings,omitempty"`
	// Rationales explain, per check, why the check evidences this control.
	Rationales map[string]string `json:"rationales,omitempty"`
	SSDF       []string          `json:"ssdf,omitempty"`
	CMMC       []string          `json:"cmmc,omitempty"`
	Manual     *ManualEvidence   `json:"manual,omitempty"`
}

// ManualEvidence is what an assessor recorded for a control that no
// collector can see (interviews, document review).
type ManualEvidence struct {
	Status     ControlStatus `json:"status"`
	Statement  string        `json:"statement"`
	References []string      `json:"references,omitempty"`
	Assessor   string        `json:"assessor"`
	Date       string        `json:"date"`
	Source     string        `json:"source"`
	SHA256     string        `json:"sha256"`
}

// Inventory holds the tables reports show verbatim.
type Inventory struct {
	Components []Component   `json:"components,omitempty"`
	Crypto     []CryptoAsset `json:"crypto,omitempty"`
}

// Component is one SBOM component.
type Component struct {
	SBOM            string   `json:"sbom"`
	Name            string   `json:"name"`
	Version         string   `json:"version,omitempty"`
	Supplier        string   `json:"supplier,omitempty"`
	PURL            string   `json:"purl,omitempty"`
	CPE             string   `json:"cpe,omitempty"`
	Hashes          []string `json:"hashes,omitempty"`
	Licenses        []string `json:"licenses,omitempty"`
	Vulnerabilities []string `json:"vulnerabilities,omitempty"`
}

// CryptoAsset is one key, certificate, root or signature met in the run.
type CryptoAsset struct {
	Kind      string `json:"kind"` // key, certificate, trusted-root, signature, openpgp-key
	Algorithm string `json:"algorithm"`
	Size      string `json:"size,omitempty"` // bits or curve
	Hash      string `json:"hash,omitempty"`
	NotBefore string `json:"notBefore,omitempty"`
	NotAfter  string `json:"notAfter,omitempty"`
	Location  string `json:"location"`
	// Class is quantum-vulnerable, post-quantum or weak.
	Class string `json:"class"`
	CNSA2 string `json:"cnsa2"`
}

// Counts tallies control statuses.
func (a *Assessment) Counts() map[ControlStatus]int {
	m := map[ControlStatus]int{}
	for _, c := range a.Controls {
		m[c.Status]++
	}
	return m
}

// FindingByID indexes findings by id.
func (a *Assessment) FindingByID() map[string]*evidence.Finding {
	m := make(map[string]*evidence.Finding, len(a.Findings))
	for i := range a.Findings {
		m[a.Findings[i].ID] = &a.Findings[i]
	}
	return m
}

// EvidenceByID indexes evidence by id.
func (a *Assessment) EvidenceByID() map[string]*evidence.Evidence {
	m := make(map[string]*evidence.Evidence, len(a.Evidence))
	for i := range a.Evidence {
		m[a.Evidence[i].ID] = &a.Evidence[i]
	}
	return m
}

// Note says, for reports, what the target was assessed as and what was
// left out of judgement: "role source; 22 of 507 files excluded
// (default: testdata/ ×22)". Empty for a detected target with nothing
// excluded.
func (t Target) Note() string {
	var parts []string
	if t.Role != "" {
		parts = append(parts, "role "+t.Role)
	}
	if t.Excluded > 0 {
		var rules []string
		for _, e := range t.ExcludedBy {
			rules = append(rules, fmt.Sprintf("%s ×%d", e.Rule, e.Files))
		}
		parts = append(parts, fmt.Sprintf("%d of %d files excluded from product judgements (%s)", t.Excluded, t.Files, strings.Join(rules, ", ")))
	}
	return strings.Join(parts, "; ")
}
