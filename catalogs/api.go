// Package catalogs is pedigree's embedded control index (SP 800-53 Rev 5
// controls and baselines, the SP 800-161 Rev 1 C-SCRM set, SSDF 1.1 tasks,
// SP 800-171 r3 and CMMC 2.0 practices) and OSCAL catalog/profile loading
// and resolution.
package catalogs

// Control is one SP 800-53 Rev 5 control or enhancement.
type Control struct {
	ID               string   `json:"id"`    // OSCAL form: sr-4.3
	Label            string   `json:"label"` // SR-4(3)
	Title            string   `json:"title"`
	Family           string   `json:"family"` // sr
	FamilyTitle      string   `json:"familyTitle"`
	Parent           string   `json:"parent,omitempty"` // sr-4 for sr-4.3
	Statement        string   `json:"statement,omitempty"`
	Params           []Param  `json:"params,omitempty"`
	Withdrawn        bool     `json:"withdrawn,omitempty"`
	IncorporatedInto []string `json:"incorporatedInto,omitempty"`
	Baselines        []string `json:"baselines,omitempty"` // low, moderate, high, privacy
	CSCRM            bool     `json:"cscrm,omitempty"`
	// Methods are the SP 800-53A assessment methods (EXAMINE, INTERVIEW, TEST).
	Methods []string `json:"methods,omitempty"`
	// Release is the catalog release the text comes from (5.1.1+u4, 5.0.1).
	Release string `json:"release"`
}

// Param is a control parameter.
type Param struct {
	ID     string   `json:"id"`
	Label  string   `json:"label,omitempty"`
	Values []string `json:"values,omitempty"`
	Choice []string `json:"choice,omitempty"`
}
