// Package compdef renders pedigree's check-to-control mapping as an OSCAL
// 1.1.3 component-definition: one component, "pedigree", whose
// control-implementations list, per SP 800-53 control, the checks that
// evidence it and why. UUIDs are UUIDv5s of stable keys, so the document
// changes only when the mapping does.
package compdef

import (
	"fmt"
	"strings"
	"time"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NS is the namespace of pedigree's own OSCAL props.
const NS = "https://github.com/pedigree-dev/pedigree/ns/oscal"

// Source is the official SP 800-53 Rev 5 catalog the implementations cite.
const Source = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json"

// Options describe the document.
type Options struct {
	// Version is pedigree's version, the document's metadata version.
	Version string
	// Now stamps last-modified; zero means the current time.
	Now time.Time
}

// Build renders the mapping. idx orders the controls and supplies titles
// for the descriptions; a control idx lacks is an error.
func Build(m *controls.Mapping, idx *catalogs.Index, opt Options) (*oscal.ComponentDefinition, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	ids := m.Controls()
	idx.Sort(ids)
	var reqs []oscal.ImplementedRequirementControlImplementation
	for _, id := range ids {
		ctl, ok := idx.Control(id)
		if !ok {
			return nil, fmt.Errorf("mapping names control %s, which the catalog lacks", catalogs.Label(id))
		}
		refs := m.RefsOf(id)
		var props []oscal.Property
		var stmts []oscal.ControlStatementImplementation
		var why []string
		var ssdf, cmmc []string
		for _, c := range refs {
			props = append(props, oscal.Property{Name: "assessed-by-check", Ns: NS, Value: c.Check, Class: string(c.Strength), Remarks: c.Rationale})
			// One statement implementation per part the check evidences:
			// OSCAL's statement-id is the catalog part id.
			for _, part := range c.Parts {
				stmts = append(stmts, oscal.ControlStatementImplementation{
					UUID:        evidence.StableUUID("pedigree", "component-definition", "statement", id, c.Check, part),
					StatementId: part,
					Description: fmt.Sprintf("%s (%s): %s", c.Check, c.Strength, c.Rationale),
					Props: &[]oscal.Property{
						{Name: "check-id", Ns: NS, Value: c.Check},
						{Name: "strength", Ns: NS, Value: string(c.Strength)},
					},
				})
			}
			why = append(why, fmt.Sprintf("%s (%s; %s): %s", c.Check, c.Strength, strings.Join(c.Parts, ", "), c.Rationale))
			if e := m.Entries[c.Check]; e != nil {
				ssdf = appendUnique(ssdf, e.SSDF...)
				cmmc = appendUnique(cmmc, e.CMMC...)
			}
		}
		if reason, ok := m.IsProcess(id); ok {
			props = append(props, oscal.Property{Name: "process-control", Ns: NS, Value: "yes", Remarks: reason + " Automation alone never satisfies it."})
		}
		for _, t := range ssdf {
			props = append(props, oscal.Property{Name: "ssdf-task", Ns: NS, Value: t})
		}
		for _, p := range cmmc {
			props = append(props, oscal.Property{Name: "cmmc-practice", Ns: NS, Value: p,
				Remarks: "derived mapping (SP 800-171 Rev 2 Appendix D reconciled to SP 800-53 Rev 5), not DoD's"})
		}
		if ctl.CSCRM {
			props = append(props, oscal.Property{Name: "sp800-161-cscrm", Ns: NS, Value: "yes"})
		}
		req := oscal.ImplementedRequirementControlImplementation{
			UUID:      evidence.StableUUID("pedigree", "component-definition", "implemented-requirement", id),
			ControlId: id,
			Description: fmt.Sprintf("%s %s is assessed automatically by %d pedigree check(s) (strength: sufficient decides the parts it names, partial can fail but not satisfy them, related is reported only).\n%s",
				ctl.Label, ctl.Title, len(refs), strings.Join(why, "\n")),
		}
		if len(props) > 0 {
			req.Props = &props
		}
		if len(stmts) > 0 {
			req.Statements = &stmts
		}
		reqs = append(reqs, req)
	}
	comp := oscal.DefinedComponent{
		UUID:        evidence.StableUUID("pedigree", "component-definition", "component"),
		Type:        "software",
		Title:       "pedigree",
		Description: "pedigree assesses software supply-chain integrity (SBOMs, signatures, build and distribution systems) against NIST SP 800-53 Rev 5 and SP 800-161 Rev 1 with automated checks.",
		Purpose:     "Automated evidence for the SP 800-53 Rev 5 controls listed in its control implementations.",
	}
	if len(reqs) > 0 {
		comp.ControlImplementations = &[]oscal.ControlImplementationSet{{
			UUID:                    evidence.StableUUID("pedigree", "component-definition", "control-implementation", Source),
			Source:                  Source,
			Description:             "The controls pedigree's checks evidence, per its check-to-control mapping.",
			ImplementedRequirements: reqs,
		}}
	}
	y, err := m.YAML()
	if err != nil {
		return nil, err
	}
	return &oscal.ComponentDefinition{
		UUID: evidence.StableUUID("pedigree", "component-definition", version, evidence.SHA256Hex(y)),
		Metadata: oscal.Metadata{
			Title:        "pedigree check-to-control mapping",
			Version:      version,
			OscalVersion: oscal.Version,
			LastModified: now.UTC().Truncate(time.Second),
			Remarks:      "Sources: " + strings.Join(m.Sources, ", "),
		},
		Components: &[]oscal.DefinedComponent{comp},
	}, nil
}

func appendUnique(s []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, x := range s {
			if x == a {
				found = true
				break
			}
		}
		if !found {
			s = append(s, a)
		}
	}
	return s
}
