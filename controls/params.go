package controls

import (
	"sort"

	"github.com/pedigree-dev/pedigree/assessment"
)

// Params is where the organisation-defined parameter values of a run come
// from. pedigree's checks judge against a pedigree.yaml setting when the
// mapping names one and the file sets it, else against the default the
// mapping states; a profile's set-parameters value is recorded beside it,
// for an assessor to compare, since no check reads profiles.
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
	// Two checks may judge the same parameter against different defaults
	// (NTIA's and CISA's minimum elements): each value is its own entry.
	byKey := map[string]*assessment.ParameterValue{}
	var order []string
	for _, mc := range refs {
		for _, pr := range mc.Parameters {
			v := assessment.ParameterValue{ID: pr.Param, Value: pr.Default, Source: "default"}
			if p != nil && p.Config != nil && pr.Config != "" {
				if val, ok := p.Config(pr.Config); ok {
					v.Value, v.Source, v.Setting = val, "config", pr.Config
				}
			}
			if p != nil {
				v.Profile = p.Profile[pr.Param]
			}
			key := v.ID + "\x00" + v.Value
			if byKey[key] == nil {
				byKey[key] = &v
				order = append(order, key)
			}
			byKey[key].Checks = appendUnique(byKey[key].Checks, mc.Check)
		}
	}
	sort.Strings(order)
	out := make([]assessment.ParameterValue, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
