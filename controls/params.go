package controls

import (
	"sort"

	"github.com/pedigree-dev/pedigree/assessment"
)

// Params is where the organisation-defined parameter values of a run come
// from: a profile's set-parameters first, then pedigree.yaml, then the
// default the mapping states.
type Params struct {
	// Profile holds the values a profile's set-parameters gave, by
	// parameter id.
	Profile map[string]string
	// Config looks a pedigree.yaml setting up by its dotted key
	// (sbom.max-age); ok is false when the file does not set it.
	Config func(key string) (value string, ok bool)
}

// values lists the parameters the mapped checks' verdicts depend on, with
// the value each was judged against and its source.
func (p *Params) values(refs []MappedCheck) []assessment.ParameterValue {
	byID := map[string]*assessment.ParameterValue{}
	var order []string
	for _, mc := range refs {
		for _, pr := range mc.Parameters {
			v := byID[pr.Param]
			if v == nil {
				v = &assessment.ParameterValue{ID: pr.Param, Value: pr.Default, Source: "default"}
				if p != nil && p.Config != nil && pr.Config != "" {
					if val, ok := p.Config(pr.Config); ok {
						v.Value, v.Source, v.Setting = val, "config", pr.Config
					}
				}
				if p != nil {
					if val, ok := p.Profile[pr.Param]; ok {
						v.Value, v.Source, v.Setting = val, "profile", ""
					}
				}
				byID[pr.Param] = v
				order = append(order, pr.Param)
			}
			v.Checks = appendUnique(v.Checks, mc.Check)
		}
	}
	sort.Strings(order)
	out := make([]assessment.ParameterValue, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
