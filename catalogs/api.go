// Package catalogs is pedigree's embedded control index (SP 800-53 Rev 5
// controls and baselines, the SP 800-161 Rev 1 C-SCRM set, SSDF 1.1 tasks,
// SP 800-171 r3 and CMMC 2.0 practices) and OSCAL catalog/profile loading
// and resolution.
//
// The index is generated (go generate) from NIST's official OSCAL files and
// embedded, so the binary never needs them at run time; Default returns it.
// ResolveProfile resolves any OSCAL profile (FedRAMP, an organisation's
// tailored baseline) into a catalog, and Index.WithCatalog overlays the text
// of an official catalog file the user supplies.
package catalogs

import "strings"

// Control is one SP 800-53 Rev 5 control or enhancement.
type Control struct {
	ID          string `json:"id"`    // OSCAL form: sr-4.3
	Label       string `json:"label"` // SR-4(3)
	Title       string `json:"title"`
	Family      string `json:"family"` // sr
	FamilyTitle string `json:"familyTitle"`
	Parent      string `json:"parent,omitempty"` // sr-4 for sr-4.3
	Statement   string `json:"statement,omitempty"`
	// Parts are the statement's parts in document order: the statement
	// itself (sr-4.3_smt) and each item at any depth (ac-1_smt.a.1). The
	// check-to-control mapping names them.
	Parts            []Part   `json:"parts,omitempty"`
	Params           []Param  `json:"params,omitempty"`
	Withdrawn        bool     `json:"withdrawn,omitempty"`
	IncorporatedInto []string `json:"incorporatedInto,omitempty"`
	// MovedTo is set instead of IncorporatedInto when the catalog says the
	// control was moved (au-8.1 → sc-45.1).
	MovedTo   []string `json:"movedTo,omitempty"`
	Baselines []string `json:"baselines,omitempty"` // low, moderate, high, privacy
	CSCRM     bool     `json:"cscrm,omitempty"`
	// Methods are the SP 800-53A assessment methods (EXAMINE, INTERVIEW, TEST).
	Methods []string `json:"methods,omitempty"`
	// Release is the catalog release the text comes from (5.1.1+u4, 5.0.1).
	Release string `json:"release"`
}

// Part is one part of a control statement.
type Part struct {
	// ID is the catalog's part id: si-7_smt, si-7_smt.a, ac-1_smt.a.1.
	ID string `json:"id"`
	// Label is the item label as printed ("a.", "1.", "(a)"); empty for
	// the statement itself.
	Label string `json:"label,omitempty"`
	// Text is the part's own prose, parameters as the publication prints
	// them (without its sub-items).
	Text string `json:"text,omitempty"`
	// Objective is the SP 800-53A assessment objective of the part
	// (si-7_obj.a) when the catalog release carries objectives.
	Objective string `json:"objective,omitempty"`
	// Leaf is true when the part has no sub-items: the parts a verdict on
	// the whole statement must cover.
	Leaf bool `json:"leaf,omitempty"`
}

// Param is a control parameter.
type Param struct {
	ID     string   `json:"id"`
	Label  string   `json:"label,omitempty"`
	Values []string `json:"values,omitempty"`
	Choice []string `json:"choice,omitempty"`
	// HowMany is "one-or-more" for a multiple selection.
	HowMany string `json:"howMany,omitempty"`
	// Guideline is the SP 800-53A description of the parameter.
	Guideline string `json:"guideline,omitempty"`
	// Aggregates lists the 5.1.1 organization-defined parameters (ODPs) a
	// parameter of the publication's form stands for.
	Aggregates []string `json:"aggregates,omitempty"`
}

// Family is one SP 800-53 control family.
type Family struct {
	ID    string `json:"id"`    // sr
	Title string `json:"title"` // Supply Chain Risk Management
}

// SSDFTask is one SP 800-218 (SSDF 1.1) task with its SP 800-53 Rev 5
// references, as the SSDF's "References" column gives them.
type SSDFTask struct {
	ID            string   `json:"id"`       // PO.1.1
	Practice      string   `json:"practice"` // PO.1
	PracticeTitle string   `json:"practiceTitle"`
	Statement     string   `json:"statement"`
	Controls      []string `json:"controls,omitempty"` // OSCAL ids
}

// CMMCPractice is one CMMC 2.0 practice. Its SP 800-53 Rev 5 mapping is
// derived (SP 800-171 Rev 2 Appendix D, reconciled from Rev 4 to Rev 5 with
// NIST's withdrawal links); DoD publishes none, and reports must say so.
type CMMCPractice struct {
	// ID: Level 1 as 32 CFR 170 writes it (AC.L1-b.1.i); Level 2 as
	// AC.L2-3.1.1.
	ID    string `json:"id"`
	Level int    `json:"level"`
	Title string `json:"title"`
	// Aliases are other spellings accepted on lookup (AC.L1-3.1.1, the
	// CMMC 2.0 v2.0 Level 1 id).
	Aliases []string `json:"aliases,omitempty"`
	// Requirements171r2 are the SP 800-171 Rev 2 requirements (3.1.1).
	Requirements171r2 []string `json:"requirements171r2"`
	// FAR is the FAR 52.204-21 paragraph (b.1.i) of a Level 1 practice.
	FAR  string `json:"far,omitempty"`
	Text string `json:"text,omitempty"`
	// Controls is the derived SP 800-53 Rev 5 mapping (primary).
	Controls []string `json:"controls,omitempty"`
	// ControlsViaR3 is the secondary mapping through the SP 800-171 Rev 3
	// successors' official source controls.
	ControlsViaR3 []string `json:"controlsViaR3,omitempty"`
	// Notes records what the Rev 4 → Rev 5 reconciliation changed.
	Notes string `json:"notes,omitempty"`
	// Derived is always true: the mapping is not DoD's.
	Derived bool `json:"derived"`
}

// Requirement171 is one SP 800-171 Rev 3 requirement with NIST's official
// SP 800-53 Rev 5 source controls.
type Requirement171 struct {
	ID       string   `json:"id"` // 03.01.01
	Family   string   `json:"family"`
	Title    string   `json:"title"`
	Status   string   `json:"status"` // active, withdrawn
	Controls []string `json:"controls,omitempty"`
	// Disposition of a withdrawn requirement (incorporated_into: 03.15.02).
	Disposition string `json:"disposition,omitempty"`
}

// Source records one file the index was generated from.
type Source struct {
	Path    string `json:"path"` // relative to the catalogs folder
	SHA256  string `json:"sha256"`
	Version string `json:"version,omitempty"`
}

// Baseline names accepted by Index.Baseline.
const (
	BaselineLow      = "low"
	BaselineModerate = "moderate"
	BaselineHigh     = "high"
	BaselinePrivacy  = "privacy"
	// BaselineCSCRM is the SP 800-161 Rev 1 (Update 1) C-SCRM control set.
	BaselineCSCRM = "cscrm"
)

// BaselineNames lists the names Index.Baseline accepts, in order.
func BaselineNames() []string {
	return []string{BaselineLow, BaselineModerate, BaselineHigh, BaselinePrivacy, BaselineCSCRM}
}

// Part returns the statement part with that id.
func (c *Control) Part(id string) (Part, bool) {
	for _, p := range c.Parts {
		if p.ID == id {
			return p, true
		}
	}
	return Part{}, false
}

// LeafParts lists the ids of the statement parts without sub-items: what a
// verdict on the whole statement has to cover.
func (c *Control) LeafParts() []string {
	var out []string
	for _, p := range c.Parts {
		if p.Leaf {
			out = append(out, p.ID)
		}
	}
	return out
}

// PartCovers reports whether naming part covers part sub: the same part, or
// one of its items at any depth (si-7_smt covers si-7_smt.a; ac-1_smt.a
// covers ac-1_smt.a.1.b).
func PartCovers(part, sub string) bool {
	return sub == part || strings.HasPrefix(sub, part+".")
}
