package oscal

import (
	"fmt"
	"sort"
	"strings"
	"time"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// maxListed bounds the finding messages quoted in one risk's description.
const maxListed = 10

// model is what the assessment results and the POA&M share: observations,
// findings and risks, built once with their stable UUIDs.
type model struct {
	a      *assessment.Assessment
	checks map[string]*assessment.Check
	ev     map[string]*evRef
	// tool is the UUID of the pedigree component; targetIDs those of the
	// targets, by name.
	tool        string
	targetIDs   map[string]string
	targetNames string // targetNames(a)
	// findingByID indexes the pedigree findings.
	findingByID map[string]*evidence.Finding
	// targets are the names of the assessed targets (components).
	targets map[string]bool

	observations []types.Observation
	obsOfFinding map[string]string // pedigree finding id -> observation uuid
	obsIndex     map[string]int    // observation uuid -> index
	findings     []types.Finding
	risks        []types.Risk
	items        []types.InventoryItem
	itemSeen     map[string]bool
	resources    []types.Resource
	resSeen      map[string]bool
	// notAssessed are props listing the controls in scope that no
	// automated or manual evidence could decide.
	notAssessed []types.Property
	// open holds, per open risk, the control and its finding and risk.
	open []openRisk
}

// evRef is an evidence with what the documents say of it, computed once.
type evRef struct {
	e        *evidence.Evidence
	resource string // back-matter resource UUID
	href     string // href of its source, "" without one
}

type openRisk struct {
	control      *assessment.ControlResult
	findingUUID  string
	riskUUID     string
	observations []string
	// failed are the checks that failed, sorted.
	failed []string
}

func newModel(a *assessment.Assessment) *model {
	m := &model{
		a:            a,
		checks:       checkIndex(a),
		ev:           make(map[string]*evRef, len(a.Evidence)),
		tool:         toolUUID(a),
		targetIDs:    map[string]string{},
		findingByID:  a.FindingByID(),
		obsOfFinding: make(map[string]string, len(a.Findings)),
		obsIndex:     make(map[string]int, len(a.Findings)+len(a.Controls)),
		observations: make([]types.Observation, 0, len(a.Findings)),
		findings:     make([]types.Finding, 0, len(a.Controls)),
		items:        make([]types.InventoryItem, 0, len(a.Findings)),
		itemSeen:     make(map[string]bool, len(a.Findings)),
		resources:    make([]types.Resource, 0, len(a.Evidence)),
		resSeen:      make(map[string]bool, len(a.Evidence)),
		targets:      map[string]bool{},
	}
	for _, t := range a.Targets {
		m.targets[t.Name] = true
		m.targetIDs[t.Name] = targetUUID(t.Name)
	}
	m.targetNames = targetNames(a)
	// The parts of a large document are made on every core, and joined
	// in the order of the assessment.
	refs := make([]evRef, len(a.Evidence))
	parallel(len(refs), func(i int) {
		e := &a.Evidence[i]
		refs[i] = evRef{e: e, resource: resourceUUID(e)}
		if e.Source != "" {
			refs[i].href = href(e.Source)
		}
	})
	for i := range refs {
		m.ev[refs[i].e.ID] = &refs[i]
		m.resource(&refs[i])
	}
	obs := make([]observed, len(a.Findings))
	parallel(len(obs), func(i int) { m.observe(&a.Findings[i], &obs[i]) })
	for i := range obs {
		m.add(&obs[i])
	}
	obs = nil
	ds := make([]decision, len(a.Controls))
	parallel(len(ds), func(i int) {
		if r := &a.Controls[i]; r.Manual == nil {
			m.decide(r, m.related(r), &ds[i])
		}
	})
	for i := range ds {
		if r := &a.Controls[i]; r.Manual != nil {
			m.control(r) // adds the manual observation
		} else {
			m.apply(&ds[i])
		}
	}
	return m
}

func resourceUUID(e *evidence.Evidence) string { return uid("resource", e.Target, e.Source, e.SHA256) }

// resource adds the back-matter resource of an evidence source (once per
// target, source and digest).
func (m *model) resource(r *evRef) {
	e, id := r.e, r.resource
	if m.resSeen[id] {
		return
	}
	m.resSeen[id] = true
	res := types.Resource{
		UUID:        id,
		Title:       text(e.Source, "(no source)"),
		Description: "Read by the " + text(e.Collector, "unknown") + " collector in target " + text(e.Target, "(none)") + ".",
	}
	if e.Source != "" {
		rl := types.ResourceLink{Href: r.href}
		if e.SHA256 != "" {
			rl.Hashes = &[]types.Hash{{Algorithm: "SHA-256", Value: e.SHA256}}
		}
		res.Rlinks = &[]types.ResourceLink{rl}
	}
	m.resources = append(m.resources, res)
}

func (m *model) manualResource(me *assessment.ManualEvidence) string {
	id := uid("resource", "manual", me.Source, me.SHA256)
	if m.resSeen[id] {
		return id
	}
	m.resSeen[id] = true
	r := types.Resource{
		UUID:        id,
		Title:       text(me.Source, "manual evidence"),
		Description: "Manual-evidence file recorded by an assessor.",
	}
	if me.Source != "" {
		rl := types.ResourceLink{Href: href(me.Source)}
		if me.SHA256 != "" {
			rl.Hashes = &[]types.Hash{{Algorithm: "SHA-256", Value: me.SHA256}}
		}
		r.Rlinks = &[]types.ResourceLink{rl}
	}
	m.resources = append(m.resources, r)
	return id
}

// subjectItem is the inventory item standing for a finding's subject.
func (m *model) subjectItem(s evidence.Subject, target string) types.InventoryItem {
	var props []types.Property
	if s.Digest != "" {
		props = append(props, prop("digest", s.Digest))
	}
	item := types.InventoryItem{
		UUID:        uid("inventory-item", target, s.Type, s.Ref),
		Description: text(s.Type, "subject") + " " + text(s.Ref, "(unnamed)"),
		Props:       slice(props),
	}
	if m.targets[target] {
		item.ImplementedComponents = &[]types.ImplementedComponent{{ComponentUuid: m.targetIDs[target]}}
	}
	return item
}

// observed is the observation of one check outcome, with the inventory
// items of its subjects, before it joins the model.
type observed struct {
	finding *evidence.Finding
	obs     types.Observation
	items   []types.InventoryItem
}

// add joins an observation to the model, and the items of its subjects
// that are not in yet.
func (m *model) add(o *observed) {
	for _, it := range o.items {
		if !m.itemSeen[it.UUID] {
			m.itemSeen[it.UUID] = true
			m.items = append(m.items, it)
		}
	}
	m.obsOfFinding[o.finding.ID] = o.obs.UUID
	m.obsIndex[o.obs.UUID] = len(m.observations)
	m.observations = append(m.observations, o.obs)
}

// maxFoldedEvidence bounds the evidence linked from one observation: a
// folded finding, or one finding that names every file of a large target
// ("no private key among 100,000 files").
const maxFoldedEvidence = 100

// observe turns one check outcome into an observation. It only reads the
// model, so that outcomes can be observed in parallel.
func (m *model) observe(f *evidence.Finding, o *observed) {
	chk := m.checks[f.CheckID]
	id := uid("observation", f.ID)
	o.finding = f

	var target string
	var collected time.Time
	var rel []types.RelevantEvidence
	for n, eid := range f.Evidence {
		if n == maxFoldedEvidence {
			// A folded finding stands for thousands, and a finding over
			// a whole target may name as many: the first few are linked,
			// and pedigree.json lists them all.
			more := fmt.Sprintf("and %d more evidence items, listed in pedigree.json", len(f.Evidence)-n)
			if f.Folded > 0 {
				more = fmt.Sprintf("and %d more evidence items of the %d folded findings, listed in pedigree.json", len(f.Evidence)-n, f.Folded)
			}
			rel = append(rel, types.RelevantEvidence{Description: more})
			break
		}
		ref := m.ev[eid]
		if ref == nil {
			continue
		}
		e := ref.e
		if target == "" {
			target = e.Target
		}
		if e.CollectedAt.After(collected) {
			collected = e.CollectedAt
		}
		re := types.RelevantEvidence{
			Description: text(e.Kind, "unknown") + " evidence, " + text(e.Collector, "unknown") + " collector",
			Links:       &[]types.Link{{Href: "#" + ref.resource, Rel: "reference"}},
		}
		re.Href = ref.href
		if e.SHA256 != "" {
			re.Props = &[]types.Property{prop("sha256", e.SHA256)}
		}
		rel = append(rel, re)
	}

	var subjects []types.SubjectReference
	for _, s := range f.Subjects {
		it := m.subjectItem(s, target)
		o.items = append(o.items, it)
		subjects = append(subjects, types.SubjectReference{SubjectUuid: it.UUID, Type: "inventory-item"})
	}
	if len(subjects) == 0 && m.targets[target] {
		subjects = append(subjects, types.SubjectReference{SubjectUuid: m.targetIDs[target], Type: "component", Title: target})
	}

	obsTypes := []string{"control-objective"}
	if f.Status == evidence.Fail {
		obsTypes = append(obsTypes, "finding")
	}
	props := []types.Property{
		prop("check", f.CheckID),
		prop("status", string(f.Status)),
		prop("severity", text(string(f.Severity), "info")),
	}
	if l := f.Location; l != nil && l.Path != "" {
		loc := l.Path
		if l.Line > 0 {
			loc += fmt.Sprintf(":%d", l.Line)
			if l.Column > 0 {
				loc += fmt.Sprintf(":%d", l.Column)
			}
		}
		props = append(props, prop("location", loc))
	}
	title := f.CheckID
	if chk != nil && chk.Title != "" {
		title += " " + chk.Title
	}
	if len(f.Subjects) > 0 {
		title += ": " + f.Subjects[0].Ref
		if n := len(f.Subjects) - 1; n > 0 {
			title += fmt.Sprintf(" (+%d)", n)
		}
	}
	o.obs = types.Observation{
		UUID:             id,
		Title:            oneLine(title),
		Description:      text(f.Message, "Outcome of check "+f.CheckID+": "+string(f.Status)+"."),
		Methods:          []string{method(chk)},
		Types:            &obsTypes,
		Subjects:         slice(subjects),
		RelevantEvidence: slice(rel),
		Collected:        times(collected, m.a.StartedAt, m.a.FinishedAt),
		Props:            &props,
	}
}

// manualObservation records an assessor's manual evidence for a control.
func (m *model) manualObservation(r *assessment.ControlResult) string {
	me := r.Manual
	id := uid("observation", "manual", r.ID)
	var methods []string
	for _, x := range r.Methods {
		if x == "EXAMINE" || x == "INTERVIEW" {
			methods = append(methods, x)
		}
	}
	if len(methods) == 0 {
		methods = []string{"EXAMINE"}
	}
	collected, err := time.Parse(time.DateOnly, me.Date)
	if err != nil {
		collected = times(m.a.StartedAt)
	}
	res := m.manualResource(me)
	rel := []types.RelevantEvidence{{
		Description: "Manual-evidence file " + text(me.Source, "(unnamed)"),
		Links:       &[]types.Link{{Href: "#" + res, Rel: "reference"}},
	}}
	if me.Source != "" {
		rel[0].Href = href(me.Source)
	}
	if me.SHA256 != "" {
		rel[0].Props = &[]types.Property{prop("sha256", me.SHA256)}
	}
	for _, ref := range me.References {
		if strings.TrimSpace(ref) == "" {
			continue
		}
		rel = append(rel, types.RelevantEvidence{Description: "Referenced by the assessor: " + ref, Href: href(ref)})
	}
	obsTypes := []string{"control-objective"}
	if me.Status == assessment.NotSatisfied {
		obsTypes = append(obsTypes, "finding")
	}
	actor := types.OriginActor{Type: "party", ActorUuid: partyUUID(me.Assessor), RoleId: "assessor"}
	if me.Assessor == "" {
		actor = types.OriginActor{Type: "tool", ActorUuid: m.tool}
	}
	obs := types.Observation{
		UUID:             id,
		Title:            "Manual evidence for " + text(r.Label, r.ID),
		Description:      text(me.Statement, "(no statement)"),
		Methods:          methods,
		Types:            &obsTypes,
		Origins:          &[]types.Origin{{Actors: []types.OriginActor{actor}}},
		RelevantEvidence: &rel,
		Collected:        collected.UTC(),
		Props:            &[]types.Property{prop("status", string(me.Status)), prop("control", r.ID)},
	}
	m.obsIndex[id] = len(m.observations)
	m.observations = append(m.observations, obs)
	return id
}

func findingUUID(controlID string) string { return uid("finding", controlID) }

func riskUUID(controlID string) string { return uid("risk", controlID) }

// decision is what a control verdict adds to the model: a finding (and a
// risk when the control is not satisfied), or a not-assessed prop.
type decision struct {
	notAssessed *types.Property
	finding     *types.Finding
	// parts are findings on single statement parts (SP 800-53A objectives)
	// that automation decided, beside the control's own.
	parts []types.Finding
	risk  *types.Risk
	open  *openRisk
}

// control turns one control verdict into an OSCAL finding (and a risk when
// the control is not satisfied); see decide.
func (m *model) control(r *assessment.ControlResult) {
	related := m.related(r)
	if r.Manual != nil {
		related = append(related, m.manualObservation(r))
	}
	var d decision
	m.decide(r, related, &d)
	m.apply(&d)
}

// related are the observations of a control's findings.
func (m *model) related(r *assessment.ControlResult) []string {
	related := make([]string, 0, len(r.Findings)+1)
	for _, fid := range r.Findings {
		if o, ok := m.obsOfFinding[fid]; ok {
			related = append(related, o)
		}
	}
	return related
}

func (m *model) apply(d *decision) {
	m.findings = append(m.findings, d.parts...)
	if d.notAssessed != nil {
		m.notAssessed = append(m.notAssessed, *d.notAssessed)
		return
	}
	if d.risk != nil {
		m.risks = append(m.risks, *d.risk)
		m.open = append(m.open, *d.open)
	}
	m.findings = append(m.findings, *d.finding)
}

// decide makes the finding of a control verdict, given the observations
// that decided it. A not-assessed control has no finding: OSCAL's target
// status knows only satisfied and not-satisfied, and calling an unassessed
// control not-satisfied would claim a failure nobody observed. It is
// listed instead as a "not-assessed" prop on the result. decide only reads
// the model, so that controls can be decided in parallel.
func (m *model) decide(r *assessment.ControlResult, related []string, d *decision) {
	label := text(r.Label, r.ID)
	leaves := decidedLeaves(r)
	decided := r.Status == assessment.Satisfied || r.Status == assessment.NotSatisfied
	if len(leaves) > 0 && (len(r.Parts) > 1 || !decided) {
		d.parts = m.partFindings(r, leaves)
	}
	if r.Status != assessment.Satisfied && r.Status != assessment.NotSatisfied {
		rem := r.Reason
		if len(r.Methods) > 0 && !strings.Contains(rem, strings.Join(r.Methods, ", ")) {
			rem += " (needs " + strings.Join(r.Methods, ", ") + ")"
		}
		p := prop("not-assessed", r.ID)
		p.Remarks = text(rem, "not assessed")
		d.notAssessed = &p
		return
	}
	state, reason := "satisfied", "pass"
	if r.Status == assessment.NotSatisfied {
		state, reason = "not-satisfied", "fail"
	}
	// An assessor's determination is made against the SP 800-53A
	// assessment objective; an automated check judges statement parts.
	// A statement of one part is targeted at that part (its objective when
	// the catalog has one); a statement of several at the whole, with a
	// finding per part beside it.
	target := types.FindingTarget{Type: "statement-id", TargetId: r.ID + "_smt", Status: types.ObjectiveStatus{State: state, Reason: reason}}
	if root := rootPart(r); root != nil && root.Objective != "" {
		target.Type, target.TargetId = "objective-id", root.Objective
	}
	if len(leaves) == 1 && len(r.Parts) <= 1 {
		target.Type, target.TargetId = partTarget(leaves[0])
	}
	if !r.Automated && r.Manual != nil {
		target.Type, target.TargetId = "objective-id", r.ID+"_obj"
	}
	target.Title = oneLine(label + " " + r.Title)

	var props []types.Property
	for _, c := range r.Checks {
		p := prop("check", c)
		// The class says how strongly the check evidences the control.
		p.Class = r.Strengths[c]
		props = append(props, p)
	}
	for _, s := range r.SSDF {
		props = append(props, prop("ssdf", s))
	}
	for _, s := range r.CMMC {
		props = append(props, prop("cmmc", s))
	}
	if r.CSCRM {
		props = append(props, prop("sp800-161-cscrm", "true"))
	}
	// The organisation-defined parameter values the checks judged against.
	for _, pv := range r.Parameters {
		p := prop("parameter", pv.ID)
		p.Remarks = "judged against (" + pv.Source + "): " + pv.Value
		if pv.Profile != "" {
			p.Remarks += "; the profile sets: " + pv.Profile
		}
		props = append(props, p)
	}
	var rem []string
	for _, c := range r.Checks {
		if why := r.Rationales[c]; why != "" {
			rem = append(rem, "- "+c+": "+why)
		}
	}
	f := types.Finding{
		UUID:                findingUUID(r.ID),
		Title:               oneLine(label + " " + r.Title),
		Description:         text(r.Reason, label+" is "+state+"."),
		Target:              target,
		Props:               slice(props),
		RelatedObservations: relObs(related),
	}
	if len(rem) > 0 {
		f.Remarks = "Why the checks evidence this control:\n\n" + strings.Join(rem, "\n")
	}
	if r.Status == assessment.NotSatisfied {
		rk, failed := m.risk(r, related)
		f.RelatedRisks = &[]types.AssociatedRisk{{RiskUuid: rk.UUID}}
		d.risk = rk
		d.open = &openRisk{control: r, findingUUID: f.UUID, riskUUID: rk.UUID, observations: related, failed: failed}
	}
	d.finding = &f
}

// decidedLeaves are the leaf statement parts automation decided: evidenced
// by a sufficient check, or failed.
func decidedLeaves(r *assessment.ControlResult) []assessment.PartResult {
	var out []assessment.PartResult
	for i, p := range r.Parts {
		leaf := i == len(r.Parts)-1 || !strings.HasPrefix(r.Parts[i+1].ID, p.ID+".")
		if leaf && (p.Status == assessment.PartEvidenced || p.Status == assessment.PartFailed) {
			out = append(out, p)
		}
	}
	return out
}

func rootPart(r *assessment.ControlResult) *assessment.PartResult {
	for i := range r.Parts {
		if r.Parts[i].ID == r.ID+"_smt" {
			return &r.Parts[i]
		}
	}
	return nil
}

// partTarget targets the SP 800-53A objective of a part when the catalog
// has one, else the statement part itself.
func partTarget(p assessment.PartResult) (string, string) {
	if p.Objective != "" {
		return "objective-id", p.Objective
	}
	return "statement-id", p.ID
}

// partFindings makes one finding per statement part automation decided,
// related to the observations of the checks mapped to that part.
func (m *model) partFindings(r *assessment.ControlResult, leaves []assessment.PartResult) []types.Finding {
	label := text(r.Label, r.ID)
	var out []types.Finding
	for _, p := range leaves {
		checks := map[string]bool{}
		for _, c := range p.Checks {
			id, _, _ := strings.Cut(c, " ")
			checks[id] = true
		}
		var related []string
		for _, fid := range r.Findings {
			if f := m.findingByID[fid]; f != nil && checks[f.CheckID] {
				if o, ok := m.obsOfFinding[fid]; ok {
					related = append(related, o)
				}
			}
		}
		state, reason, verdict := "satisfied", "pass", "evidenced by a sufficient check that passed"
		if p.Status == assessment.PartFailed {
			state, reason, verdict = "not-satisfied", "fail", "contradicted by a check that failed"
		}
		typ, id := partTarget(p)
		name := label + " statement part " + p.ID
		f := types.Finding{
			UUID:        uid("finding", r.ID, p.ID),
			Title:       oneLine(name),
			Description: fmt.Sprintf("Statement part %s of %s is %s: %s. The control as a whole: %s.", p.ID, label, state, verdict, text(r.Reason, string(r.Status))),
			Target: types.FindingTarget{Type: typ, TargetId: id, Title: oneLine(name + " " + r.Title),
				Status: types.ObjectiveStatus{State: state, Reason: reason}},
			Props:               &[]types.Property{prop("control", label), prop("statement-part", p.ID)},
			RelatedObservations: relObs(related),
		}
		if len(p.Checks) > 0 {
			f.Remarks = "Checks mapped to this part: " + strings.Join(p.Checks, ", ") + "."
		}
		out = append(out, f)
	}
	return out
}

func relObs(ids []string) *[]types.RelatedObservation {
	out := make([]types.RelatedObservation, 0, len(ids))
	for _, id := range ids {
		out = append(out, types.RelatedObservation{ObservationUuid: id})
	}
	return slice(out)
}

func (m *model) risk(r *assessment.ControlResult, related []string) (*types.Risk, []string) {
	id := riskUUID(r.ID)
	label := text(r.Label, r.ID)
	byID := m.findingByID
	sev := evidence.Info
	failedChecks := map[string]bool{}
	var msgs []string
	for _, fid := range r.Findings {
		f := byID[fid]
		if f == nil {
			continue
		}
		if f.Severity.Rank() > sev.Rank() {
			sev = f.Severity
		}
		if f.Status == evidence.Fail {
			failedChecks[f.CheckID] = true
		}
		msgs = append(msgs, "- "+f.CheckID+": "+oneLine(f.Message))
	}
	if r.Manual != nil && r.Manual.Status == assessment.NotSatisfied {
		msgs = append(msgs, "- manual evidence by "+r.Manual.Assessor+": "+oneLine(r.Manual.Statement))
	}
	desc := text(r.Reason, label+" is not satisfied.")
	if len(msgs) > 0 {
		shown := msgs
		if len(shown) > maxListed {
			shown = shown[:maxListed]
		}
		desc += "\n\n" + strings.Join(shown, "\n")
		if n := len(msgs) - len(shown); n > 0 {
			desc += fmt.Sprintf("\n- … and %d more (see the related observations)", n)
		}
	}
	var remediations []types.Response
	checks := make([]string, 0, len(failedChecks))
	for c := range failedChecks {
		checks = append(checks, c)
	}
	sort.Strings(checks)
	for _, c := range checks {
		chk := m.checks[c]
		if chk == nil || strings.TrimSpace(chk.Remediation) == "" {
			continue
		}
		remediations = append(remediations, types.Response{
			UUID:        uid("response", r.ID, c),
			Lifecycle:   "recommendation",
			Title:       "Remediate " + c,
			Description: chk.Remediation,
		})
	}
	rk := types.Risk{
		UUID:        id,
		Title:       oneLine(label + " " + r.Title + " is not satisfied"),
		Description: desc,
		Statement: fmt.Sprintf("%s (%s) is not in place for %s: until it is, the supply chain it protects cannot be trusted to the degree the control requires. Highest severity of the failing findings: %s.",
			label, text(r.Title, "untitled control"), m.targetNames, sev),
		Status: "open",
		Characterizations: &[]types.Characterization{{
			Origin: types.Origin{Actors: []types.OriginActor{{Type: "tool", ActorUuid: m.tool}}},
			Facets: []types.Facet{{System: NS, Name: "severity", Value: string(sev)}},
		}},
		RelatedObservations: relObs(related),
		Remediations:        slice(remediations),
		Props:               &[]types.Property{prop("control", label)},
	}
	return &rk, checks
}

// AssessmentResults builds the OSCAL assessment-results document of a run:
// one result, whose UUID is the run's.
func AssessmentResults(a *assessment.Assessment) *types.OscalCompleteSchema {
	m := newModel(a)
	return &types.OscalCompleteSchema{AssessmentResults: m.assessmentResults()}
}

func (m *model) assessmentResults() *types.AssessmentResults {
	a := m.a
	counts := a.Counts()
	props := []types.Property{
		prop("controls-satisfied", fmt.Sprint(counts[assessment.Satisfied])),
		prop("controls-not-satisfied", fmt.Sprint(counts[assessment.NotSatisfied])),
		prop("controls-not-assessed", fmt.Sprint(counts[assessment.NotAssessed])),
	}
	props = append(props, m.notAssessed...)
	props = append(props, m.cmmc()...)
	comps := append([]types.SystemComponent{toolComponent(a)}, targetComponents(a)...)
	res := types.Result{
		UUID:  runUUID(a),
		Title: text(a.Title, "pedigree assessment"),
		Description: fmt.Sprintf("Automated supply-chain integrity assessment of %s against %s by %s %s. Each check outcome is an observation; each control decided is a finding; failing controls carry open risks. Controls no evidence could decide are listed in the not-assessed props.",
			targetNames(a), scopeText(a), toolName(a), text(a.Tool.Version, "")),
		Start:            times(a.StartedAt, a.FinishedAt),
		End:              ptr(times(a.FinishedAt, a.StartedAt)),
		Props:            &props,
		LocalDefinitions: &types.LocalDefinitions{Components: &comps, InventoryItems: slice(m.items)},
		ReviewedControls: reviewedControls(a),
		Observations:     slice(m.observations),
		Findings:         slice(m.findings),
		Risks:            slice(m.risks),
	}
	if len(a.Notes) > 0 {
		res.Remarks = strings.Join(a.Notes, "\n\n")
	}
	ar := &types.AssessmentResults{
		UUID:     uid("assessment-results", a.RunID),
		Metadata: metadata(a, text(a.Title, "pedigree assessment")+" — assessment results"),
		ImportAp: types.ImportAp{
			Href:    "assessment-plan.json",
			Remarks: "The assessment plan pedigree writes beside these results (--format oscal-ap).",
		},
		Results: []types.Result{res},
	}
	if len(m.resources) > 0 {
		ar.BackMatter = &types.BackMatter{Resources: &m.resources}
	}
	return ar
}
