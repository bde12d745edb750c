package cichecks

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Rule is one CI/CD pipeline rule.
type Rule struct {
	// ID is the stable lower-case rule id printed by `ci scan`
	// (template-injection); the check id is "CI-" + upper-case ID.
	ID          string
	Title       string
	Rationale   string
	Remediation string
	Severity    evidence.Severity
	// Platforms the rule judges; others are not applicable.
	Platforms []ci.Platform
	judge     func(c *Context)
}

// CheckID is the id of the rule's check in assessments and the mapping.
func (r *Rule) CheckID() string { return "CI-" + strings.ToUpper(r.ID) }

// Problem is one finding of a rule at an exact position.
type Problem struct {
	Rule     *Rule
	Line     int
	Column   int
	Severity evidence.Severity
	Message  string
}

// Context is what a rule sees of one pipeline, and where it reports.
type Context struct {
	P        *ci.Pipeline
	Opts     *Options
	problems []Problem
	// applicable is cleared by a rule that finds nothing to judge.
	applicable bool
	// undecided, when set, makes the rule's verdict not-assessed.
	undecided string
	passMsg   string
	rule      *Rule
	shared    *shared
}

// shared memoises what several rules read of one pipeline, so that its
// syntax tree is walked once whatever the number of rules: the steps in
// source order, the if: conditions, the ${{ }} expressions naming secrets.
type shared struct {
	steps     []stepRef
	stepsDone bool
	conds     []*actionlint.String
	condsDone bool
	fileExprs []expr
	exprsDone bool
}

// steps lists the pipeline's steps in source order (computed once).
func (c *Context) steps() []stepRef {
	if !c.shared.stepsDone {
		c.shared.stepsDone = true
		c.shared.steps = steps(c.P)
	}
	return c.shared.steps
}

// conditions lists the pipeline's job and step if: values (computed once).
func (c *Context) conditions() []*actionlint.String {
	if !c.shared.condsDone {
		c.shared.condsDone = true
		c.shared.conds = conditions(c.P)
	}
	return c.shared.conds
}

// fileExprs parses every ${{ }} of the file that names secrets, once per
// pipeline. A plain reference to one secret (secrets.NAME), the common case,
// is left out unparsed: no rule reading these expressions flags it.
func (c *Context) fileExprs() []expr {
	if !c.shared.exprsDone {
		c.shared.exprsDone = true
		if c.P.Source != nil {
			text := c.P.Source.Text()
			es := exprsWhere(text, func(body string) bool {
				return containsFold(body, "secrets") && !plainSecretRef(body)
			})
			// Only files naming "secrets" in that case are read (checked
			// last: most files have no expression left to read).
			if len(es) > 0 && strings.Contains(text, "secrets") {
				c.shared.fileExprs = es
			}
		}
	}
	return c.shared.fileExprs
}

// plainSecretRef says whether an expression's text is secrets.NAME alone.
func plainSecretRef(body string) bool {
	t := strings.TrimSpace(body)
	if !hasPrefixFold(t, "secrets.") || len(t) == len("secrets.") {
		return false
	}
	for i := len("secrets."); i < len(t); i++ {
		c := t[i]
		if !(c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Pass sets the message of the pass finding when the rule reports nothing.
func (c *Context) Pass(msg string) { c.passMsg = msg }

// Errorf reports a problem at pos with the rule's severity.
func (c *Context) Errorf(pos *actionlint.Pos, format string, args ...any) {
	c.Report(pos, c.rule.Severity, format, args...)
}

// Report reports a problem at pos with a given severity.
func (c *Context) Report(pos *actionlint.Pos, sev evidence.Severity, format string, args ...any) {
	line, col := 1, 1
	if pos != nil {
		line, col = max(pos.Line, 1), max(pos.Col, 1)
	}
	msg := format
	if len(args) > 0 || strings.IndexByte(format, '%') >= 0 {
		msg = fmt.Sprintf(format, args...)
	}
	c.problems = append(c.problems, Problem{Rule: c.rule, Line: line, Column: col, Severity: sev, Message: msg})
}

// NotApplicable says the rule had nothing to judge in this pipeline.
func (c *Context) NotApplicable() { c.applicable = false }

// Undecided says the rule could not decide, and why.
func (c *Context) Undecided(why string) { c.undecided = why }

// Options tune rules; the zero value is the default policy.
type Options struct {
	// AllowUnpinned lists action or image name prefixes exempt from the
	// pinning rules (e.g. "actions/" to accept tag pins of GitHub's own).
	AllowUnpinned []string
	// SLSABuildLevel is the level a publishing pipeline must reach (0-3);
	// zero means 1.
	SLSABuildLevel int
	// Disabled lists rule ids not to run.
	Disabled []string
}

// noOptions is the default policy, shared read-only.
var noOptions = &Options{}

// Run judges one pipeline with every rule and returns its problems in
// position order. It is the entry point of `ci scan`.
func Run(p *ci.Pipeline, rules []*Rule, opts *Options) []Problem {
	if p == nil {
		return nil
	}
	var out []Problem
	sh := &shared{}
	c := &Context{}
	for _, r := range rules {
		if r.judgeInto(c, p, opts, sh) {
			out = append(out, c.problems...)
		}
	}
	if len(out) > 1 {
		slices.SortStableFunc(out, func(a, b Problem) int {
			if a.Line != b.Line {
				return cmp.Compare(a.Line, b.Line)
			}
			if a.Column != b.Column {
				return cmp.Compare(a.Column, b.Column)
			}
			return strings.Compare(a.Rule.ID, b.Rule.ID)
		})
	}
	return out
}

func (r *Rule) judgeCtx(p *ci.Pipeline, opts *Options, sh *shared) *Context {
	c := &Context{}
	if !r.judgeInto(c, p, opts, sh) {
		return nil
	}
	return c
}

// judgeInto runs the rule on p with c (reset first, its problems buffer
// reused); false when the rule does not run on p.
func (r *Rule) judgeInto(c *Context, p *ci.Pipeline, opts *Options, sh *shared) bool {
	if p == nil || !r.appliesTo(p.Platform) {
		return false
	}
	if opts == nil {
		opts = noOptions
	}
	for _, d := range opts.Disabled {
		if d == r.ID {
			return false
		}
	}
	*c = Context{P: p, Opts: opts, applicable: true, rule: r, shared: sh, problems: c.problems[:0]}
	func() {
		defer func() {
			if x := recover(); x != nil {
				c.undecided = fmt.Sprintf("rule %s failed on this file: %v", r.ID, x)
				c.problems = c.problems[:0]
			}
		}()
		r.judge(c)
	}()
	return true
}

func (r *Rule) appliesTo(p ci.Platform) bool {
	for _, x := range r.Platforms {
		if x == p {
			return true
		}
	}
	return false
}

// Check turns the rule into a controls.Check over ci.workflow evidence: a
// fail finding per problem, a pass finding per pipeline judged clean.
func (r *Rule) Check(opts *Options) controls.Check {
	chk := controls.Check{
		ID: r.CheckID(), Title: r.Title, Rationale: r.Rationale, Remediation: r.Remediation,
		Severity: r.Severity, Pillar: controls.PillarBuild, Method: "EXAMINE",
		Reads: []string{ci.Kind},
	}
	chk.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, e := range ev {
			p, ok := e.Payload.(*ci.Pipeline)
			if !ok {
				continue // a pipeline read back from pedigree.json has no model to judge
			}
			jc := r.judgeCtx(p, opts, &shared{})
			if jc == nil {
				continue
			}
			ps, applicable, undecided := jc.problems, jc.applicable || len(jc.problems) > 0, jc.undecided
			for _, pr := range ps {
				f := chk.Finding(evidence.Fail, pr.Message, e.Subject)
				f.Severity = pr.Severity
				f.Evidence = []string{e.ID}
				f.Location = &evidence.Location{Path: p.Path, Line: pr.Line, Column: pr.Column}
				out = append(out, f)
			}
			// What the rule could not decide is reported beside its failures
			// (another reference of the same file may be the undecided one).
			if undecided != "" {
				f := chk.Finding(evidence.NotAssessed, undecided, e.Subject)
				f.Evidence = []string{e.ID}
				out = append(out, f)
			}
			switch {
			case len(ps) > 0, undecided != "":
			case applicable:
				msg := jc.passMsg
				if msg == "" {
					msg = fmt.Sprintf("%s: no %s problem", p.Path, r.ID)
				}
				f := chk.Finding(evidence.Pass, msg, e.Subject)
				f.Evidence = []string{e.ID}
				out = append(out, f)
			}
		}
		return out
	}
	return chk
}

var (
	github = []ci.Platform{ci.GitHubWorkflow, ci.GitHubAction}
	ghWF   = []ci.Platform{ci.GitHubWorkflow}
	gitlab = []ci.Platform{ci.GitLabCI}
	all    = []ci.Platform{ci.GitHubWorkflow, ci.GitHubAction, ci.GitLabCI}
)

// Rules returns every rule, in id order.
func Rules() []*Rule {
	rs := []*Rule{
		NewTemplateInjection(), NewUnpinnedUses(), NewUnpinnedImages(), NewExcessivePermissions(),
		NewDangerousTrigger(), NewArtipacked(), NewCachePoisoning(), NewSecretsInherit(),
		NewSelfHostedRunner(), NewHardcodedCredentials(), NewInsecureCommands(), NewUnsoundCondition(),
		NewKnownVulnerableAction(), NewUnpinnedInclude(), NewMissingProvenance(), NewMissingSBOM(),
		NewSyntaxError(), NewGitHubEnv(), NewBotConditions(), NewUnsoundContains(),
		NewOverprovisionedSecrets(), NewUnredactedSecrets(), NewUseTrustedPublishing(),
		NewSLSABuildLevel(),
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}

// Checks returns every rule as a check.
func Checks(opts *Options) []controls.Check {
	rs := Rules()
	out := make([]controls.Check, len(rs))
	for i, r := range rs {
		out[i] = r.Check(opts)
	}
	return out
}

// RuleByCheckID finds a rule from its check id.
func RuleByCheckID(id string) *Rule {
	for _, r := range Rules() {
		if r.CheckID() == id {
			return r
		}
	}
	return nil
}
