package oscal

import (
	"fmt"
	"sort"
	"strings"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
)

// AssessmentPlan builds the OSCAL assessment-plan document: what the run
// assesses (the targets, the controls in scope) and how (each collector and
// each check is an activity; two tasks, collect then evaluate, run them).
//
// pedigree reads no system security plan, so import-ssp points to a
// back-matter resource that says so, and the targets are described in the
// assessment subjects rather than as SSP components.
func AssessmentPlan(a *assessment.Assessment) *types.OscalCompleteSchema {
	sysRes := uid("resource", "system-under-assessment", a.RunID)
	var subjectProps []types.Property
	for _, t := range a.Targets {
		subjectProps = append(subjectProps, prop("target", text(t.Name, t.Path)))
	}
	subjects := []types.AssessmentSubject{{
		Type:        "component",
		Description: "The assessed targets: " + targetList(a) + ".",
		IncludeAll:  &types.IncludeAll{},
		Props:       slice(subjectProps),
	}}

	var activities []types.Activity
	var collectActs, checkActs []types.AssociatedActivity
	for _, name := range collectorNames(a) {
		id := uid("activity", "collector", name)
		activities = append(activities, types.Activity{
			UUID:        id,
			Title:       "Collect evidence: " + name,
			Description: fmt.Sprintf("Run the %s collector over every target. It reads what the targets hold and records typed evidence with the SHA-256 of each source; it executes nothing it reads and reaches no network unless it is an opt-in online collector.", name),
			Props:       &[]types.Property{{Name: "method", Value: "EXAMINE"}, prop("collector", name)},
		})
		collectActs = append(collectActs, types.AssociatedActivity{ActivityUuid: id, Subjects: subjects})
	}
	for i := range a.Checks {
		c := &a.Checks[i]
		id := uid("activity", "check", c.ID)
		act := types.Activity{
			UUID:        id,
			Title:       oneLine(c.ID + " " + c.Title),
			Description: text(c.Rationale, text(c.Title, "Check "+c.ID+".")),
			Props: &[]types.Property{
				{Name: "method", Value: method(c)},
				prop("check", c.ID),
				prop("severity", text(string(c.Severity), "info")),
				prop("pillar", text(c.Pillar, "unknown")),
			},
		}
		if c.Remediation != "" {
			act.Remarks = "Remediation when it fails: " + c.Remediation
		}
		if len(c.Controls) > 0 {
			ids := make([]types.AssessedControlsSelectControlById, 0, len(c.Controls))
			for _, ctl := range c.Controls {
				ids = append(ids, types.AssessedControlsSelectControlById{ControlId: ctl})
			}
			act.RelatedControls = &types.ReviewedControls{
				Description:       "Controls this check evidences (check-to-control mapping).",
				ControlSelections: []types.AssessedControls{{IncludeControls: &ids}},
			}
		}
		activities = append(activities, act)
		checkActs = append(checkActs, types.AssociatedActivity{ActivityUuid: id, Subjects: subjects})
	}

	collectTask := uid("task", "collect")
	tasks := []types.Task{{
		UUID:                 collectTask,
		Type:                 "action",
		Title:                "Collect evidence",
		Description:          "Run every collector over every target, concurrently; a collector that fails is recorded as an error finding and the run goes on.",
		AssociatedActivities: slice(collectActs),
	}, {
		UUID:                 uid("task", "evaluate"),
		Type:                 "action",
		Title:                "Evaluate checks and decide controls",
		Description:          "Run every check over the evidence, then decide each control in scope: satisfied only when every mapped check that had something to judge passed; not satisfied when one failed; not assessed otherwise, with the method an assessor needs.",
		Dependencies:         &[]types.TaskDependency{{TaskUuid: collectTask}},
		AssociatedActivities: slice(checkActs),
	}}

	ap := &types.AssessmentPlan{
		UUID:     uid("assessment-plan", a.RunID),
		Metadata: metadata(a, text(a.Title, "pedigree assessment")+" — assessment plan"),
		ImportSsp: types.ImportSsp{
			Href:    "#" + sysRes,
			Remarks: "pedigree reads no system security plan; the back-matter resource describes the system under assessment by its targets.",
		},
		LocalDefinitions:   &types.LocalDefinitions{Activities: slice(activities)},
		ReviewedControls:   reviewedControls(a),
		AssessmentSubjects: &subjects,
		AssessmentAssets: &types.AssessmentAssets{
			Components: &[]types.SystemComponent{toolComponent(a)},
			AssessmentPlatforms: []types.AssessmentPlatform{{
				UUID:           uid("platform", toolName(a)),
				Title:          oneLine(toolName(a) + " " + a.Tool.Version),
				UsesComponents: &[]types.UsesComponent{{ComponentUuid: toolUUID(a)}},
			}},
		},
		Tasks: &tasks,
		BackMatter: &types.BackMatter{Resources: &[]types.Resource{{
			UUID:        sysRes,
			Title:       "System under assessment",
			Description: "The software supply chain held in the targets: " + targetList(a) + ".",
		}}},
	}
	if ap.LocalDefinitions.Activities == nil {
		ap.LocalDefinitions = nil
	}
	return &types.OscalCompleteSchema{AssessmentPlan: ap}
}

func targetList(a *assessment.Assessment) string {
	var ts []string
	for _, t := range a.Targets {
		ts = append(ts, fmt.Sprintf("%s (%s)", text(t.Name, "target"), text(t.Path, "no path")))
	}
	if len(ts) == 0 {
		return "none"
	}
	return strings.Join(ts, ", ")
}

func collectorNames(a *assessment.Assessment) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range a.Collectors {
		if c.Collector != "" && !seen[c.Collector] {
			seen[c.Collector] = true
			out = append(out, c.Collector)
		}
	}
	sort.Strings(out)
	return out
}

// PlanOfActionAndMilestones builds the OSCAL POA&M: one item per open risk
// (a control not satisfied), with the same finding, risk and observation
// UUIDs as the assessment results, so items carry over between runs.
//
// OSCAL requires at least one poam-item. With no open risk the document
// holds one item that says so, marked with the prop placeholder=true so that
// tools importing items can skip it.
func PlanOfActionAndMilestones(a *assessment.Assessment) *types.OscalCompleteSchema {
	m := newModel(a)
	var items []types.PoamItem
	used := map[string]bool{}
	for _, o := range m.open {
		r := o.control
		label := text(r.Label, r.ID)
		desc := text(r.Reason, label+" is not satisfied.")
		var steps []string
		for _, c := range o.failed {
			if chk := m.checks[c]; chk != nil && chk.Remediation != "" {
				steps = append(steps, "- "+c+": "+chk.Remediation)
			}
		}
		if len(steps) > 0 {
			desc += "\n\nRemediation:\n\n" + strings.Join(steps, "\n")
		}
		items = append(items, types.PoamItem{
			UUID:                uid("poam-item", r.ID),
			Title:               oneLine(label + " " + r.Title + " is not satisfied"),
			Description:         desc,
			Origins:             &[]types.PoamItemOrigin{{Actors: toolOrigin(a).Actors}},
			RelatedFindings:     &[]types.RelatedFinding{{FindingUuid: o.findingUUID}},
			RelatedObservations: relObs(o.observations),
			RelatedRisks:        &[]types.AssociatedRisk{{RiskUuid: o.riskUUID}},
			Props:               &[]types.Property{prop("control", label)},
		})
		used[o.findingUUID], used[o.riskUUID] = true, true
		for _, ob := range o.observations {
			used[ob] = true
		}
	}
	items = append(items, m.cmmcPOAM(used)...)
	if len(items) == 0 {
		items = append(items, types.PoamItem{
			UUID:        uid("poam-item", "no-open-risk"),
			Title:       "No open risk",
			Description: fmt.Sprintf("No control in scope was found not satisfied in run %s. Controls not assessed by automation are listed in the assessment results.", a.RunID),
			Props:       &[]types.Property{prop("placeholder", "true")},
		})
	}
	var obs []types.Observation
	for _, o := range m.observations {
		if used[o.UUID] {
			obs = append(obs, o)
		}
	}
	var findings []types.Finding
	for _, f := range m.findings {
		if used[f.UUID] {
			findings = append(findings, f)
		}
	}
	var risks []types.Risk
	for _, r := range m.risks {
		if used[r.UUID] {
			risks = append(risks, r)
		}
	}
	// Keep the inventory items and resources the kept observations cite.
	cited := map[string]bool{}
	for _, o := range obs {
		if o.Subjects != nil {
			for _, s := range *o.Subjects {
				cited[s.SubjectUuid] = true
			}
		}
		if o.RelevantEvidence != nil {
			for _, re := range *o.RelevantEvidence {
				if re.Links != nil {
					for _, l := range *re.Links {
						cited[strings.TrimPrefix(l.Href, "#")] = true
					}
				}
			}
		}
	}
	var inv []types.InventoryItem
	for _, it := range m.items {
		if cited[it.UUID] {
			inv = append(inv, it)
		}
	}
	var res []types.Resource
	for _, r := range m.resources {
		if cited[r.UUID] {
			res = append(res, r)
		}
	}
	comps := append([]types.SystemComponent{toolComponent(a)}, targetComponents(a)...)
	p := &types.PlanOfActionAndMilestones{
		UUID:     uid("poam", a.RunID),
		Metadata: metadata(a, text(a.Title, "pedigree assessment")+" — plan of action and milestones"),
		LocalDefinitions: &types.PlanOfActionAndMilestonesLocalDefinitions{
			Components:     &comps,
			InventoryItems: slice(inv),
			Remarks:        "Components and inventory items referenced by the observations; the assessed targets stand for the system.",
		},
		Observations: slice(obs),
		Risks:        slice(risks),
		Findings:     slice(findings),
		PoamItems:    items,
	}
	if len(res) > 0 {
		p.BackMatter = &types.BackMatter{Resources: &res}
	}
	return &types.OscalCompleteSchema{PlanOfActionAndMilestones: p}
}
