package oscal

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
)

// objectiveToken writes a CMMC objective id (AC.L2-3.1.1[a]) as an OSCAL
// token (AC.L2-3.1.1_obj.a), the form NIST's catalogs give objectives; the
// id as the guide writes it travels in the cmmc-objective prop.
func objectiveToken(id string) string {
	practice, letter, ok := strings.Cut(id, "[")
	if !ok {
		return id
	}
	return practice + "_obj." + strings.TrimSuffix(letter, "]")
}

// cmmc adds a finding per CMMC assessment objective decided (met, not met
// or not applicable), targeting the objective, with the observations of
// the checks and the manual evidence that decided it. Objectives not
// assessed get no finding, for the reason controls do not; the result's
// props count them and carry the SPRS score.
func (m *model) cmmc() []types.Property {
	c := m.a.CMMC
	if c == nil {
		return nil
	}
	s := c.Score
	props := []types.Property{
		prop("cmmc-level", strconv.Itoa(c.Level)),
		prop("cmmc-status", s.Status),
		prop("sprs-score-complete", strconv.FormatBool(s.Complete)),
	}
	if s.Score != nil {
		props = append(props, prop("sprs-score", strconv.Itoa(*s.Score)))
	} else if c.Level == 2 {
		p := prop("sprs-score-range", fmt.Sprintf("%d..%d", s.IfUnassessedNotMet, s.IfUnassessedMet))
		p.Remarks = strings.Join(s.Reasons, "\n")
		props = append(props, p)
	}
	notAssessed := 0
	for i := range c.Practices {
		p := &c.Practices[i]
		for j := range p.Objectives {
			o := &p.Objectives[j]
			if o.Status == assessment.PracticeNotAssessed {
				notAssessed++
				continue
			}
			m.objective(p, o)
		}
	}
	props = append(props, prop("cmmc-objectives-not-assessed", strconv.Itoa(notAssessed)))
	return props
}

func (m *model) objective(p *assessment.PracticeResult, o *assessment.ObjectiveResult) {
	var related []string
	for _, fid := range o.Findings {
		if id, ok := m.obsOfFinding[fid]; ok {
			related = append(related, id)
		}
	}
	if o.Manual != nil {
		related = append(related, m.practiceManualObservation(o.Manual))
	}
	state, reason := "satisfied", "pass"
	switch o.Status {
	case assessment.NotMet:
		state, reason = "not-satisfied", "fail"
	case assessment.NotApplicable:
		reason = "other"
	}
	target := types.FindingTarget{
		Type: "objective-id", TargetId: objectiveToken(o.ID), Title: oneLine(o.ID + " " + o.Text),
		Status: types.ObjectiveStatus{State: state, Reason: reason},
	}
	if o.Status == assessment.NotApplicable {
		target.Status.Remarks = "not applicable (scored as met by the DoD Assessment Methodology)"
	}
	props := []types.Property{prop("cmmc-objective", o.ID), prop("cmmc-practice", p.ID), prop("cmmc-status", string(o.Status))}
	for _, ctl := range o.Controls {
		props = append(props, prop("control", ctl))
	}
	for _, chk := range o.Checks {
		props = append(props, prop("check", chk))
	}
	f := types.Finding{
		UUID:                uid("finding", "cmmc", o.ID),
		Title:               oneLine(o.ID + " " + p.Title),
		Description:         text(o.Reason, o.ID+" is "+string(o.Status)+"."),
		Target:              target,
		Props:               slice(props),
		RelatedObservations: relObs(related),
	}
	if len(o.Rationales) > 0 {
		f.Remarks = "Why the evidence bears on this objective:\n\n- " + strings.Join(o.Rationales, "\n- ")
	}
	m.findings = append(m.findings, f)
}

// practiceManualObservation records what an assessor wrote for a practice
// or objective, once per entry of the manual-evidence file.
func (m *model) practiceManualObservation(pm *assessment.PracticeManual) string {
	id := uid("observation", "cmmc-manual", pm.Source, strconv.Itoa(pm.Line))
	if _, ok := m.obsIndex[id]; ok {
		return id
	}
	res := m.manualResource(&assessment.ManualEvidence{Source: pm.Source, SHA256: pm.SHA256})
	rel := []types.RelevantEvidence{{
		Description: fmt.Sprintf("Manual-evidence file %s, line %d", text(pm.Source, "(unnamed)"), pm.Line),
		Links:       &[]types.Link{{Href: "#" + res, Rel: "reference"}},
	}}
	if pm.Source != "" {
		rel[0].Href = href(pm.Source)
	}
	if pm.SHA256 != "" {
		rel[0].Props = &[]types.Property{prop("sha256", pm.SHA256)}
	}
	for _, ref := range pm.References {
		if strings.TrimSpace(ref) != "" {
			rel = append(rel, types.RelevantEvidence{Description: "Referenced by the assessor: " + ref, Href: href(ref)})
		}
	}
	obsTypes := []string{"control-objective"}
	if pm.Status == assessment.NotMet {
		obsTypes = append(obsTypes, "finding")
	}
	collected, err := time.Parse(time.DateOnly, pm.Date)
	if err != nil {
		collected = times(m.a.StartedAt)
	}
	actor := types.OriginActor{Type: "party", ActorUuid: partyUUID(pm.Assessor), RoleId: "assessor"}
	obs := types.Observation{
		UUID:             id,
		Title:            fmt.Sprintf("CMMC manual evidence (%s:%d)", text(pm.Source, "manual"), pm.Line),
		Description:      text(pm.Statement, "(no statement)"),
		Methods:          []string{"EXAMINE", "INTERVIEW"},
		Types:            &obsTypes,
		Origins:          &[]types.Origin{{Actors: []types.OriginActor{actor}}},
		RelevantEvidence: &rel,
		Collected:        collected.UTC(),
		Props:            &[]types.Property{prop("status", string(pm.Status))},
	}
	m.obsIndex[id] = len(m.observations)
	m.observations = append(m.observations, obs)
	return id
}

// cmmcAssessors are the people who recorded CMMC manual evidence and are
// not in seen yet.
func cmmcAssessors(a *assessment.Assessment, seen map[string]bool) []string {
	if a.CMMC == nil {
		return nil
	}
	var out []string
	add := func(pm *assessment.PracticeManual) {
		if pm != nil && pm.Assessor != "" && !seen[pm.Assessor] {
			seen[pm.Assessor] = true
			out = append(out, pm.Assessor)
		}
	}
	for i := range a.CMMC.Practices {
		p := &a.CMMC.Practices[i]
		add(p.Manual)
		for j := range p.Objectives {
			add(p.Objectives[j].Manual)
		}
	}
	return out
}

// cmmcPOAM is one POA&M item per CMMC practice the assessor put on the
// plan of action (poam: {planned: DATE}), related to the findings of its
// objectives not met and their observations, which it marks used.
func (m *model) cmmcPOAM(used map[string]bool) []types.PoamItem {
	c := m.a.CMMC
	if c == nil {
		return nil
	}
	m.cmmc()
	byUUID := map[string]*types.Finding{}
	for i := range m.findings {
		byUUID[m.findings[i].UUID] = &m.findings[i]
	}
	var items []types.PoamItem
	for i := range c.Practices {
		p := &c.Practices[i]
		if !p.POAM || p.Status != assessment.NotMet {
			continue
		}
		var rel []types.RelatedFinding
		var obs []string
		for _, o := range p.Objectives {
			if o.Status != assessment.NotMet {
				continue
			}
			f := byUUID[uid("finding", "cmmc", o.ID)]
			if f == nil {
				continue
			}
			rel = append(rel, types.RelatedFinding{FindingUuid: f.UUID})
			used[f.UUID] = true
			if f.RelatedObservations != nil {
				for _, ro := range *f.RelatedObservations {
					obs = append(obs, ro.ObservationUuid)
					used[ro.ObservationUuid] = true
				}
			}
		}
		desc := text(p.Reason, p.ID+" is not met.")
		if p.Planned != "" {
			desc += "\n\nPlanned completion: " + p.Planned + "."
		}
		if c.Score.POAMDeadline != "" {
			desc += " A conditional CMMC status requires the POA&M closed out by " + c.Score.POAMDeadline + "."
		}
		props := []types.Property{prop("cmmc-practice", p.ID), prop("sprs-deducted", strconv.Itoa(p.Deducted))}
		if p.Planned != "" {
			props = append(props, prop("planned-completion", p.Planned))
		}
		item := types.PoamItem{
			UUID:        uid("poam-item", "cmmc", p.ID),
			Title:       oneLine(p.ID + " " + p.Title + " is not met"),
			Description: desc,
			Props:       &props,
		}
		if len(rel) > 0 {
			item.RelatedFindings = &rel
		}
		item.RelatedObservations = relObs(obs)
		items = append(items, item)
	}
	return items
}
