package sbomchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Report is what `pedigree sbom inspect` prints for one SBOM. Its JSON
// field names are a contract (one object per line with --json).
type Report struct {
	File        string `json:"file"`
	Format      string `json:"format"`
	SpecVersion string `json:"specVersion"`
	Encoding    string `json:"encoding"`
	// SchemaValid is true only for a document checked against its schema
	// and found valid; SchemaChecked says whether the check ran at all (it
	// is skipped above sbom.schema-max-size and for pathological input).
	SchemaValid     bool         `json:"schemaValid"`
	SchemaChecked   bool         `json:"schemaChecked"`
	Components      int          `json:"components"`
	Missing         sbom.Missing `json:"missing"`
	HasAuthor       bool         `json:"hasAuthor"`
	HasTimestamp    bool         `json:"hasTimestamp"`
	HasDependencies bool         `json:"hasDependencies"`
	// NTIAMinimum is pass or fail; empty for a document that could not be
	// read or is not valid against its schema.
	NTIAMinimum  string    `json:"ntiaMinimum"`
	FirstMissing string    `json:"firstMissing"`
	Findings     []Verdict `json:"findings"`
	// Error is one line: why the file could not be read, or its first
	// schema violation.
	Error string `json:"error,omitempty"`
}

// Verdict is one check's finding on the SBOM.
type Verdict struct {
	Check    string            `json:"check"`
	Status   evidence.Status   `json:"status"`
	Severity evidence.Severity `json:"severity"`
	Message  string            `json:"message"`
}

// Inspect judges one SBOM evidence with every SBOM check. context is other
// evidence the checks may read (the artifact inventory of the same
// target); checks that need what is absent say so in their findings.
func Inspect(e evidence.Evidence, context []evidence.Evidence, o Options) Report {
	d := asDocument(&e)
	if d == nil {
		return Report{File: e.Source, Error: "no SBOM document in the evidence"}
	}
	r := Report{
		File: d.File, Format: d.Format, SpecVersion: d.SpecVersion, Encoding: d.Encoding,
		SchemaValid: d.SchemaChecked && d.SchemaValid, SchemaChecked: d.SchemaChecked,
		Findings: []Verdict{},
	}
	if d.Error != "" {
		r.SchemaValid = false
		r.Error = d.Error
	} else {
		r.Components = len(d.Components)
		r.Missing = d.CountMissing()
		r.HasAuthor, r.HasTimestamp, r.HasDependencies = d.HasAuthor(), d.HasTimestamp(), d.HasDependencies
		if ok, why := judgeable(d); ok {
			res := JudgeElements(d, ntiaElements)
			r.NTIAMinimum, r.FirstMissing = "fail", res.First
			if res.Pass {
				r.NTIAMinimum = "pass"
			}
		} else if d.SchemaChecked && !d.SchemaValid {
			r.Error = "schema: " + firstOr(d.SchemaErrors, why)
		}
	}
	ev := []evidence.Evidence{e}
	for _, x := range context {
		if x.Kind != sbom.EvidenceKind {
			ev = append(ev, x)
		}
	}
	for _, c := range All(o) {
		for _, f := range c.Run(ev) {
			r.Findings = append(r.Findings, Verdict{Check: c.ID, Status: f.Status, Severity: f.Severity, Message: f.Message})
		}
	}
	return r
}

func firstOr(ss []string, def string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return def
}
