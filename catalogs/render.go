package catalogs

import (
	"strings"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

var insertPattern = lazyre.New(`\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}`)

// maxParamDepth bounds parameters nested in selection choices.
const maxParamDepth = 8

// paramText renders a parameter the way SP 800-53 prints it:
// "[Assignment: organization-defined frequency]" or
// "[Selection (one or more): a; b]". A parameter with values shows them.
func paramText(p *oscal.Parameter, params map[string]*oscal.Parameter, depth int) string {
	if p == nil {
		return "[Assignment: organization-defined value]"
	}
	if p.Values != nil && len(*p.Values) > 0 {
		return strings.Join(*p.Values, "; ")
	}
	if p.Select != nil {
		var choices []string
		if p.Select.Choice != nil {
			for _, c := range *p.Select.Choice {
				choices = append(choices, renderProse(c, params, depth+1))
			}
		}
		head := "[Selection: "
		if p.Select.HowMany == "one-or-more" {
			head = "[Selection (one or more): "
		}
		return head + strings.Join(choices, "; ") + "]"
	}
	return "[Assignment: " + assignmentLabel(p.Label, p.ID) + "]"
}

// assignmentLabel prefixes "organization-defined" the way the publication
// prints it; 5.0.1 labels carry it already, 5.1.1 labels do not.
func assignmentLabel(label, id string) string {
	l := collapseSpace(label)
	if l == "" {
		l = id
	}
	if strings.HasPrefix(strings.ToLower(l), "organization-defined") {
		return l
	}
	return "organization-defined " + l
}

// renderProse replaces parameter insertions in prose with their text.
func renderProse(prose string, params map[string]*oscal.Parameter, depth int) string {
	out := insertPattern.ReplaceAllStringFunc(prose, func(m string) string {
		id := insertPattern.FindStringSubmatch(m)[1]
		if depth >= maxParamDepth {
			return "[Assignment: organization-defined " + id + "]"
		}
		return paramText(params[id], params, depth)
	})
	out = collapseSpace(out)
	return strings.NewReplacer("] ;", "];", "] ,", "],", "] .", "].", "] :", "]:").Replace(out)
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// StatementText renders a control's statement part as plain text: one line
// per item, its label first ("a."), nested items indented two spaces a
// level, parameters as the publication prints them. params must hold the
// parameters the statement may insert (the control's and its ancestors').
func StatementText(ctl *oscal.Control, params map[string]*oscal.Parameter) string {
	if ctl.Parts == nil {
		return ""
	}
	var lines []string
	for i := range *ctl.Parts {
		p := &(*ctl.Parts)[i]
		if p.Name == "statement" {
			renderPart(p, params, 0, &lines)
		}
	}
	return strings.Join(lines, "\n")
}

// statementParts lists the parts of a control's statement in document
// order, each with its SP 800-53A objective when the control carries one of
// the same id (si-7_smt.a ↔ si-7_obj.a).
func statementParts(ctl *oscal.Control, params map[string]*oscal.Parameter) []Part {
	if ctl.Parts == nil {
		return nil
	}
	objectives := map[string]bool{}
	var collect func(p *oscal.Part, depth int)
	collect = func(p *oscal.Part, depth int) {
		if depth > 32 {
			return
		}
		if p.Name == "assessment-objective" && p.ID != "" {
			objectives[p.ID] = true
		}
		if p.Parts != nil {
			for i := range *p.Parts {
				collect(&(*p.Parts)[i], depth+1)
			}
		}
	}
	var out []Part
	var walk func(p *oscal.Part, depth int)
	walk = func(p *oscal.Part, depth int) {
		if depth > 32 || p.ID == "" {
			return
		}
		part := Part{ID: p.ID, Label: propValue(p.Props, "label", ""), Text: renderProse(p.Prose, params, 0), Leaf: true}
		if obj := strings.Replace(p.ID, "_smt", "_obj", 1); objectives[obj] {
			part.Objective = obj
		}
		at := len(out)
		out = append(out, part)
		if p.Parts != nil {
			for i := range *p.Parts {
				c := &(*p.Parts)[i]
				if c.Name == "item" || c.Name == "statement" {
					out[at].Leaf = false
					walk(c, depth+1)
				}
			}
		}
	}
	for i := range *ctl.Parts {
		p := &(*ctl.Parts)[i]
		if p.Name == "assessment-objective" {
			collect(p, 0)
		}
	}
	for i := range *ctl.Parts {
		p := &(*ctl.Parts)[i]
		if p.Name == "statement" {
			walk(p, 0)
		}
	}
	return out
}

func renderPart(p *oscal.Part, params map[string]*oscal.Parameter, depth int, lines *[]string) {
	if depth > 32 {
		return
	}
	text := renderProse(p.Prose, params, 0)
	if label := propValue(p.Props, "label", ""); label != "" {
		text = strings.TrimSpace(label + " " + text)
	}
	next := depth
	if text != "" {
		*lines = append(*lines, strings.Repeat("  ", depth)+text)
		next = depth + 1
	}
	if p.Parts != nil {
		for i := range *p.Parts {
			c := &(*p.Parts)[i]
			if c.Name == "item" || c.Name == "statement" || c.Name == "" {
				renderPart(c, params, next, lines)
			}
		}
	}
}

// propValue returns the value of the first prop with that name and class
// ("" class matches a prop without one).
func propValue(props *[]oscal.Property, name, class string) string {
	if props == nil {
		return ""
	}
	for _, p := range *props {
		if p.Name == name && p.Class == class {
			return p.Value
		}
	}
	return ""
}

// paramsOf converts a control's OSCAL parameters to the index form.
func paramsOf(ps *[]oscal.Parameter, all map[string]*oscal.Parameter) []Param {
	if ps == nil {
		return nil
	}
	out := make([]Param, 0, len(*ps))
	for i := range *ps {
		p := &(*ps)[i]
		q := Param{ID: p.ID, Label: collapseSpace(p.Label)}
		if p.Values != nil {
			q.Values = append(q.Values, *p.Values...)
		}
		if p.Select != nil {
			q.HowMany = p.Select.HowMany
			if p.Select.Choice != nil {
				for _, c := range *p.Select.Choice {
					q.Choice = append(q.Choice, renderProse(c, all, 1))
				}
			}
		}
		if p.Props != nil {
			for _, pr := range *p.Props {
				if pr.Name == "aggregates" {
					q.Aggregates = append(q.Aggregates, pr.Value)
				}
			}
		}
		if p.Guidelines != nil {
			var g []string
			for _, x := range *p.Guidelines {
				g = append(g, collapseSpace(x.Prose))
			}
			q.Guideline = strings.Join(g, " ")
		}
		out = append(out, q)
	}
	return out
}

// methodsOf lists the SP 800-53A assessment methods of a control's
// assessment-method parts (EXAMINE, INTERVIEW, TEST), in that order.
func methodsOf(ctl *oscal.Control) []string {
	if ctl.Parts == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, p := range *ctl.Parts {
		if p.Name != "assessment-method" {
			continue
		}
		if m := strings.ToUpper(propValue(p.Props, "method", "")); m != "" {
			seen[m] = true
		}
	}
	var out []string
	for _, m := range []string{"EXAMINE", "INTERVIEW", "TEST"} {
		if seen[m] {
			out = append(out, m)
		}
	}
	return out
}

// controlFromOSCAL builds the index form of a catalog control.
func controlFromOSCAL(g *oscal.Group, parent, ctl *oscal.Control, params map[string]*oscal.Parameter, release string) *Control {
	c := &Control{
		ID:        ctl.ID,
		Label:     propValue(ctl.Props, "label", ""),
		Title:     collapseSpace(ctl.Title),
		Statement: StatementText(ctl, params),
		Parts:     statementParts(ctl, params),
		Params:    paramsOf(ctl.Params, params),
		Methods:   methodsOf(ctl),
		Release:   release,
	}
	if c.Label == "" {
		c.Label = Label(ctl.ID)
	}
	if g != nil {
		c.Family, c.FamilyTitle = g.ID, collapseSpace(g.Title)
	} else if fam, _, ok := strings.Cut(ctl.ID, "-"); ok {
		c.Family = fam
	}
	if parent != nil {
		c.Parent = parent.ID
	}
	if strings.EqualFold(propValue(ctl.Props, "status", ""), "withdrawn") {
		c.Withdrawn = true
	}
	if ctl.Links != nil {
		for _, l := range *ctl.Links {
			target := linkControl(l.Href)
			switch l.Rel {
			case "incorporated-into":
				c.IncorporatedInto = appendUnique(c.IncorporatedInto, target)
			case "moved-to":
				c.MovedTo = appendUnique(c.MovedTo, target)
			}
		}
	}
	return c
}

// linkControl turns "#ac-2_smt.k" into "ac-2".
func linkControl(href string) string {
	h := strings.TrimPrefix(href, "#")
	if i := strings.IndexByte(h, '_'); i >= 0 {
		h = h[:i]
	}
	return h
}

// paramScope indexes every parameter of a catalog by id, so that prose can
// insert parameters of ancestors and of the catalog itself.
func paramScope(c *oscal.Catalog) map[string]*oscal.Parameter {
	all := map[string]*oscal.Parameter{}
	add := func(ps *[]oscal.Parameter) {
		if ps == nil {
			return
		}
		for i := range *ps {
			all[(*ps)[i].ID] = &(*ps)[i]
		}
	}
	add(c.Params)
	var groups func(gs *[]oscal.Group)
	groups = func(gs *[]oscal.Group) {
		if gs == nil {
			return
		}
		for i := range *gs {
			add((*gs)[i].Params)
			groups((*gs)[i].Groups)
		}
	}
	groups(c.Groups)
	WalkControls(c, func(_ *oscal.Group, _, ctl *oscal.Control) { add(ctl.Params) })
	return all
}

func appendUnique(s []string, add ...string) []string {
	for _, a := range add {
		if a == "" {
			continue
		}
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
