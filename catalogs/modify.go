package catalogs

import (
	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
)

// modify applies a profile's set-parameters and alters to the resolved
// catalog. Targets the catalog lacks are warnings, not errors: FedRAMP's
// profiles alter SP 800-53A objective parts that the 5.0.1 catalog does not
// have, and NIST's resolver likewise skips them.
func (r *resolver) modify(ref docRef, cat *oscal.Catalog, m *oscal.Modify) {
	if m.SetParameters != nil {
		params := paramIndex(cat)
		missing := 0
		for _, s := range *m.SetParameters {
			if v := settingValue(s); v != "" {
				if r.params == nil {
					r.params = map[string]string{}
				}
				r.params[s.ParamId] = v
			}
			p := params[s.ParamId]
			if p == nil {
				missing++
				continue
			}
			setParameter(p, s)
		}
		if missing > 0 {
			r.warnf("%s: %d of %d set-parameters name parameters the resolved catalog lacks", ref.name, missing, len(*m.SetParameters))
		}
	}
	if m.Alters == nil {
		return
	}
	controls := map[string]*oscal.Control{}
	WalkControls(cat, func(_ *oscal.Group, _, c *oscal.Control) { controls[c.ID] = c })
	var noControl, noTarget int
	for _, a := range *m.Alters {
		c := controls[a.ControlId]
		if c == nil {
			noControl++
			continue
		}
		if a.Removes != nil {
			for _, rm := range *a.Removes {
				removeFromControl(c, rm)
			}
		}
		if a.Adds != nil {
			for _, add := range *a.Adds {
				if !addToControl(c, add) {
					noTarget++
				}
			}
		}
	}
	if noControl > 0 {
		r.warnf("%s: %d alters name controls the resolved catalog lacks", ref.name, noControl)
	}
	if noTarget > 0 {
		r.warnf("%s: %d adds target a part or parameter (by-id) the resolved catalog lacks", ref.name, noTarget)
	}
}

func paramIndex(cat *oscal.Catalog) map[string]*oscal.Parameter {
	return paramScope(cat)
}

func setParameter(p *oscal.Parameter, s oscal.ParameterSetting) {
	if s.Class != "" {
		p.Class = s.Class
	}
	if s.DependsOn != "" {
		p.DependsOn = s.DependsOn
	}
	if s.Label != "" {
		p.Label = s.Label
	}
	if s.Usage != "" {
		p.Usage = s.Usage
	}
	if s.Values != nil {
		v := append([]string(nil), *s.Values...)
		p.Values = &v
	}
	if s.Select != nil {
		sel := *s.Select
		p.Select = &sel
	}
	p.Constraints = appendSlice(p.Constraints, s.Constraints)
	p.Guidelines = appendSlice(p.Guidelines, s.Guidelines)
	p.Props = appendSlice(p.Props, s.Props)
	p.Links = appendSlice(p.Links, s.Links)
}

func appendSlice[T any](dst, add *[]T) *[]T {
	if add == nil || len(*add) == 0 {
		return dst
	}
	if dst == nil {
		s := append([]T(nil), *add...)
		return &s
	}
	s := append(append([]T(nil), *dst...), *add...)
	return &s
}

func prependSlice[T any](dst, add *[]T) *[]T {
	if add == nil || len(*add) == 0 {
		return dst
	}
	s := append([]T(nil), *add...)
	if dst != nil {
		s = append(s, *dst...)
	}
	return &s
}

// removeFromControl removes what a Removal names from the control, its
// parts (recursively) and its parameters; nested controls are untouched.
func removeFromControl(c *oscal.Control, rm oscal.Removal) {
	c.Props = filterProps(c.Props, rm)
	c.Links = filterLinks(c.Links, rm)
	c.Params = filterParams(c.Params, rm)
	c.Parts = filterParts(c.Parts, rm)
}

func itemIs(rm oscal.Removal, kind string) bool {
	return rm.ByItemName == "" || rm.ByItemName == kind
}

// removalMatches reports whether an item with these traits matches every
// criterion the removal sets. A removal with no criterion but by-item-name
// matches every item of that kind.
func removalMatches(rm oscal.Removal, kind, id, name, class, ns string) bool {
	if !itemIs(rm, kind) {
		return false
	}
	if rm.ById == "" && rm.ByName == "" && rm.ByClass == "" && rm.ByNs == "" {
		return rm.ByItemName != ""
	}
	if rm.ById != "" && rm.ById != id {
		return false
	}
	if rm.ByName != "" && rm.ByName != name {
		return false
	}
	if rm.ByClass != "" && rm.ByClass != class {
		return false
	}
	if rm.ByNs != "" && rm.ByNs != ns {
		return false
	}
	return true
}

func filterProps(ps *[]oscal.Property, rm oscal.Removal) *[]oscal.Property {
	if ps == nil {
		return nil
	}
	var out []oscal.Property
	for _, p := range *ps {
		if !removalMatches(rm, "prop", p.UUID, p.Name, p.Class, p.Ns) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

func filterLinks(ls *[]oscal.Link, rm oscal.Removal) *[]oscal.Link {
	if ls == nil {
		return nil
	}
	var out []oscal.Link
	for _, l := range *ls {
		if !removalMatches(rm, "link", "", l.Rel, "", "") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

func filterParams(ps *[]oscal.Parameter, rm oscal.Removal) *[]oscal.Parameter {
	if ps == nil {
		return nil
	}
	var out []oscal.Parameter
	for _, p := range *ps {
		if removalMatches(rm, "param", p.ID, "", p.Class, "") {
			continue
		}
		p.Props = filterProps(p.Props, rm)
		p.Links = filterLinks(p.Links, rm)
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

func filterParts(ps *[]oscal.Part, rm oscal.Removal) *[]oscal.Part {
	if ps == nil {
		return nil
	}
	var out []oscal.Part
	for _, p := range *ps {
		if removalMatches(rm, "part", p.ID, p.Name, p.Class, p.Ns) {
			continue
		}
		p.Props = filterProps(p.Props, rm)
		p.Links = filterLinks(p.Links, rm)
		p.Parts = filterParts(p.Parts, rm)
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// addToControl applies one Addition; false when its by-id target is absent.
func addToControl(c *oscal.Control, a oscal.Addition) bool {
	pos := a.Position
	if pos == "" {
		pos = "ending"
	}
	if a.ById == "" || a.ById == c.ID {
		if a.Title != "" {
			c.Title = a.Title
		}
		if pos == "starting" || pos == "before" {
			c.Params = prependSlice(c.Params, a.Params)
			c.Props = prependSlice(c.Props, a.Props)
			c.Links = prependSlice(c.Links, a.Links)
			c.Parts = prependSlice(c.Parts, a.Parts)
		} else {
			c.Params = appendSlice(c.Params, a.Params)
			c.Props = appendSlice(c.Props, a.Props)
			c.Links = appendSlice(c.Links, a.Links)
			c.Parts = appendSlice(c.Parts, a.Parts)
		}
		return true
	}
	// A parameter target.
	if c.Params != nil {
		for i := range *c.Params {
			p := &(*c.Params)[i]
			if p.ID != a.ById {
				continue
			}
			switch pos {
			case "before", "after":
				if a.Params != nil {
					at := i
					if pos == "after" {
						at = i + 1
					}
					*c.Params = insertAt(*c.Params, at, *a.Params...)
				}
				// props and links of the addition go to the parameter.
				p = &(*c.Params)[indexParam(*c.Params, a.ById)]
				p.Props = appendSlice(p.Props, a.Props)
				p.Links = appendSlice(p.Links, a.Links)
			case "starting":
				p.Props = prependSlice(p.Props, a.Props)
				p.Links = prependSlice(p.Links, a.Links)
			default:
				p.Props = appendSlice(p.Props, a.Props)
				p.Links = appendSlice(p.Links, a.Links)
			}
			if a.Parts != nil || (a.Params != nil && pos != "before" && pos != "after") {
				c.Params = appendSlice(c.Params, a.Params)
				c.Parts = appendSlice(c.Parts, a.Parts)
			}
			return true
		}
	}
	// A part target.
	return addToParts(c.Parts, a, pos)
}

func indexParam(ps []oscal.Parameter, id string) int {
	for i := range ps {
		if ps[i].ID == id {
			return i
		}
	}
	return 0
}

func insertAt[T any](s []T, at int, add ...T) []T {
	out := make([]T, 0, len(s)+len(add))
	out = append(out, s[:at]...)
	out = append(out, add...)
	return append(out, s[at:]...)
}

func addToParts(ps *[]oscal.Part, a oscal.Addition, pos string) bool {
	if ps == nil {
		return false
	}
	for i := range *ps {
		p := &(*ps)[i]
		if p.ID == a.ById {
			switch pos {
			case "before", "after":
				at := i
				if pos == "after" {
					at = i + 1
				}
				if a.Parts != nil {
					*ps = insertAt(*ps, at, *a.Parts...)
				}
				t := &(*ps)[indexPart(*ps, a.ById)]
				t.Props = appendSlice(t.Props, a.Props)
				t.Links = appendSlice(t.Links, a.Links)
			case "starting":
				p.Props = prependSlice(p.Props, a.Props)
				p.Links = prependSlice(p.Links, a.Links)
				p.Parts = prependSlice(p.Parts, a.Parts)
			default:
				p.Props = appendSlice(p.Props, a.Props)
				p.Links = appendSlice(p.Links, a.Links)
				p.Parts = appendSlice(p.Parts, a.Parts)
			}
			if a.Title != "" {
				t := &(*ps)[indexPart(*ps, a.ById)]
				t.Title = a.Title
			}
			return true
		}
		if addToParts(p.Parts, a, pos) {
			return true
		}
	}
	return false
}

func indexPart(ps []oscal.Part, id string) int {
	for i := range ps {
		if ps[i].ID == id {
			return i
		}
	}
	return 0
}
