package cichecks

import (
	"bytes"
	"fmt"
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

// shared memoises what several rules compute from one pipeline.
type shared struct {
	fileExprs []expr
	parsed    bool
}

// fileExprs parses every ${{ }} of the file once per pipeline.
func (c *Context) fileExprs() []expr {
	if !c.shared.parsed {
		c.shared.parsed = true
		if c.P.Source != nil && bytes.Contains(c.P.Source.Raw, []byte("secrets")) {
			c.shared.fileExprs = exprsInWith(string(c.P.Source.Raw), "secrets")
		}
	}
	return c.shared.fileExprs
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
	c.problems = append(c.problems, Problem{Rule: c.rule, Line: line, Column: col, Severity: sev, Message: fmt.Sprintf(format, args...)})
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

// Run judges one pipeline with every rule and returns its problems in
// position order. It is the entry point of `ci scan`.
func Run(p *ci.Pipeline, rules []*Rule, opts *Options) []Problem {
	var out []Problem
	sh := &shared{}
	for _, r := range rules {
		if c := r.judgeCtx(p, opts, sh); c != nil {
			out = append(out, c.problems...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		if out[i].Column != out[j].Column {
			return out[i].Column < out[j].Column
		}
		return out[i].Rule.ID < out[j].Rule.ID
	})
	return out
}

func (r *Rule) judgeCtx(p *ci.Pipeline, opts *Options, sh *shared) *Context {
	if p == nil || !r.appliesTo(p.Platform) {
		return nil
	}
	if opts == nil {
		opts = &Options{}
	}
	for _, d := range opts.Disabled {
		if d == r.ID {
			return nil
		}
	}
	c := &Context{P: p, Opts: opts, applicable: true, rule: r, shared: sh}
	func() {
		defer func() {
			if x := recover(); x != nil {
				c.undecided = fmt.Sprintf("rule %s failed on this file: %v", r.ID, x)
				c.problems = nil
			}
		}()
		r.judge(c)
	}()
	return c
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
			switch {
			case len(ps) > 0:
			case undecided != "":
				f := chk.Finding(evidence.NotAssessed, undecided, e.Subject)
				f.Evidence = []string{e.ID}
				out = append(out, f)
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
