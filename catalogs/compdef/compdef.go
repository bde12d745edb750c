// Package compdef renders pedigree's check-to-control mapping as an OSCAL
// 1.1.3 component-definition: one component, "pedigree", whose
// control-implementations list, per SP 800-53 control, the checks that
// evidence it and why. UUIDs are UUIDv5s of stable keys, so the document
// changes only when the mapping does.
package compdef

import (
	"fmt"
	"sort"
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
		checks := m.ChecksOf(id)
		names := make([]string, 0, len(checks))
		for c := range checks {
			names = append(names, c)
		}
		sort.Strings(names)
		var props []oscal.Property
		var stmts []oscal.ControlStatementImplementation
		var why []string
		var ssdf, cmmc []string
		for _, c := range names {
			props = append(props, oscal.Property{Name: "assessed-by-check", Ns: NS, Value: c, Remarks: checks[c]})
			stmts = append(stmts, oscal.ControlStatementImplementation{
				UUID:        evidence.StableUUID("pedigree", "component-definition", "statement", id, c),
				StatementId: id + "_smt",
				Description: c + ": " + checks[c],
				Props:       &[]oscal.Property{{Name: "check-id", Ns: NS, Value: c}},
			})
			why = append(why, c+": "+checks[c])
			if e := m.Entries[c]; e != nil {
				ssdf = appendUnique(ssdf, e.SSDF...)
				cmmc = appendUnique(cmmc, e.CMMC...)
			}
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
			Description: fmt.Sprintf("%s %s is assessed automatically by %d pedigree check(s).\n%s",
				ctl.Label, ctl.Title, len(names), strings.Join(why, "\n")),
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
