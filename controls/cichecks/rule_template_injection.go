package cichecks

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTemplateInjection flags ${{ }} expressions that can carry
// attacker-controlled text into code: a run: script, a script input of an
// action that evaluates it, or a GitLab script.
func NewTemplateInjection() *Rule {
	return &Rule{
		ID:    "template-injection",
		Title: "Attacker-controllable expression expanded into code",
		Rationale: "GitHub expands ${{ }} before the shell or interpreter sees the script, so a pull-request title, " +
			"branch name or comment can become commands running with the job's token and secrets.",
		Remediation: "Pass the value through an environment variable (env: TITLE: ${{ github.event.issue.title }}) and " +
			"use \"$TITLE\" in the script; never interpolate untrusted context into code.",
		Severity:  evidence.High,
		Platforms: all,
		judge:     judgeTemplateInjection,
	}
}

// codeSinks are action inputs evaluated as code (after CodeQL's actions
// models and zizmor's additions).
var codeSinks = map[string][]string{
	"actions/github-script":             {"script"},
	"azure/cli":                         {"inlinescript"},
	"azure/powershell":                  {"inlinescript"},
	"appleboy/ssh-action":               {"script"},
	"amadevus/pwsh-script":              {"script"},
	"jannekem/run-python-script-action": {"script"},
	"cardinalby/js-eval-action":         {"expression"},
	"mikefarah/yq":                      {"cmd"},
	"devorbitus/yq-action-output":       {"cmd"},
	"sergeysova/jq-action":              {"cmd"},
	"gautamkrishnar/blog-post-workflow": {"item_exec"},
	"tibdex/backport":                   {"body_template", "head_template", "labels_template", "title_template"},
	"8398a7/action-slack":               {"custom_payload"},
	"docker/build-push-action":          {"context"},
}

func judgeTemplateInjection(c *Context) {
	if c.P.Platform == ci.GitLabCI {
		judgeGitLabInjection(c)
		return
	}
	for _, sr := range c.steps() {
		var sinks []*actionlint.String
		if r := runOf(sr.step); r != nil {
			sinks = append(sinks, r.Run)
		} else if a := uses(sr.step); a != nil {
			name, _, ok := splitUses(usesValue(a))
			if !ok {
				continue
			}
			name = strings.ToLower(name)
			inputs := codeSinks[name]
			if inputs == nil {
				if i := strings.Index(name[strings.Index(name, "/")+1:], "/"); i >= 0 {
					inputs = codeSinks[name[:strings.Index(name, "/")+1+i]]
				}
			}
			for _, in := range inputs {
				if s := withString(a, in); s != nil {
					sinks = append(sinks, s)
				}
			}
		}
		for _, s := range sinks {
			if s == nil || !strings.Contains(s.Value, "${{") {
				continue
			}
			loc := newLocator(c.P.Source, s)
			for _, e := range exprFlows(s.Value) {
				at := loc.find(e.Raw)
				flows, ok := e.flows()
				if !ok {
					continue
				}
				for _, ctx := range flows {
					if sev, why := injectable(c.P, sr, ctx); sev != "" {
						c.Report(at, sev, "%s may expand attacker-controllable text into code (%s); pass it through an environment variable", ctx, why)
					}
				}
			}
		}
	}
}

// fixedGitHub are github.* contexts whose value an attacker cannot shape.
var fixedGitHub = map[string]bool{
	"action_path": true, "action": true, "action_repository": true, "action_status": true,
	"api_url": true, "graphql_url": true, "server_url": true, "event_name": true, "job": true,
	"repository": true, "repository_id": true, "repository_owner": true, "repository_owner_id": true,
	"repositoryurl": true, "retention_days": true, "run_attempt": true, "run_id": true,
	"run_number": true, "sha": true, "token": true, "workspace": true, "workflow_sha": true,
	"event_path": true, "env": true, "path": true, "output": true, "state": true, "step_summary": true,
	"ref_protected": true, "ref_type": true, "secret_source": true,
}

// fixedEventLeaf are fields of webhook payloads that hold numbers, flags,
// hashes or timestamps.
var fixedEventLeaf = map[string]bool{
	"id": true, "number": true, "fork": true, "private": true, "site_admin": true, "deleted": true,
	"locked": true, "draft": true, "merged": true, "before": true, "after": true, "sha": true,
	"head_sha": true, "base_sha": true, "comments": true, "commits": true, "additions": true, "deletions": true,
	"changed_files": true, "run_attempt": true, "run_number": true, "created_at": true,
	"updated_at": true, "closed_at": true, "merged_at": true, "pushed_at": true, "forced": true,
	"created": true, "size": true, "default": true, "is_answerable": true, "author_association": true,
	"archived": true, "disabled": true, "is_template": true, "mergeable": true, "rebaseable": true,
	"maintainer_can_modify": true, "distinct": true, "run_started_at": true, "conclusion": true,
	"status": true, "score": true, "public": true, "protected": true,
}

// injectable classifies one context flowing into a code sink. It returns
// the severity of a finding, or "" for a context an attacker cannot shape.
func injectable(p *ci.Pipeline, sr stepRef, ctx ctxPath) (evidence.Severity, string) {
	if ctx.CallLed {
		return evidence.Low, "derived from a function result"
	}
	parts := ctx.Parts
	switch ctx.root() {
	case "secrets":
		return "", ""
	case "inputs":
		return evidence.Medium, "inputs are supplied by the caller"
	case "env":
		if len(parts) < 2 {
			return evidence.Low, "the whole env context"
		}
		found, dynamic := envLookup(p, sr, parts[1])
		if found && dynamic {
			return evidence.Low, "the variable is set from an expression"
		}
		return "", ""
	case "github":
		if len(parts) == 1 {
			return evidence.High, "the whole github context"
		}
		if parts[1] == "event" {
			if len(parts) == 2 {
				return evidence.High, "the whole event payload"
			}
			leaf := parts[len(parts)-1]
			if fixedEventLeaf[leaf] || strings.HasSuffix(leaf, "_id") || strings.HasSuffix(leaf, "_count") {
				return "", ""
			}
			return evidence.High, "event payload fields are attacker-controllable"
		}
		if fixedGitHub[parts[1]] {
			return "", ""
		}
		return evidence.High, "set by whoever triggers the workflow"
	case "matrix":
		if matrixDynamic(sr.job, parts) {
			return evidence.Medium, "the matrix value comes from an expression"
		}
		return "", ""
	case "steps", "needs":
		leaf := parts[len(parts)-1]
		if leaf == "outcome" || leaf == "conclusion" || leaf == "result" {
			return "", ""
		}
		return evidence.Low, "outputs may carry untrusted data"
	case "job", "runner", "strategy":
		return "", ""
	case "vars":
		return evidence.Low, "configuration variables are not validated"
	}
	return evidence.Low, "unknown context"
}

// matrixDynamic says whether matrix.<name> may expand from an expression.
func matrixDynamic(j *actionlint.Job, parts []string) bool {
	if j == nil || j.Strategy == nil || j.Strategy.Matrix == nil {
		return false
	}
	m := j.Strategy.Matrix
	if m.Expression != nil {
		return true
	}
	if len(parts) < 2 {
		return true
	}
	name := parts[1]
	if row := m.Rows[name]; row != nil {
		if row.Expression != nil {
			return true
		}
		for _, v := range row.Values {
			if rawHasExpr(v, 0) {
				return true
			}
		}
	}
	for _, cs := range []*actionlint.MatrixCombinations{m.Include, m.Exclude} {
		if cs == nil {
			continue
		}
		if cs.Expression != nil && cs == m.Include {
			return true
		}
		for _, comb := range cs.Combinations {
			if comb.Expression != nil {
				return true
			}
			if a := comb.Assigns[name]; a != nil && rawHasExpr(a.Value, 0) {
				return true
			}
		}
	}
	return false
}

func rawHasExpr(v actionlint.RawYAMLValue, depth int) bool {
	if v == nil || depth > 50 {
		return false
	}
	switch x := v.(type) {
	case *actionlint.RawYAMLString:
		return strings.Contains(x.Value, "${{")
	case *actionlint.RawYAMLArray:
		for _, e := range x.Elems {
			if rawHasExpr(e, depth+1) {
				return true
			}
		}
	case *actionlint.RawYAMLObject:
		for _, e := range x.Props {
			if rawHasExpr(e, depth+1) {
				return true
			}
		}
	}
	return false
}

var (
	gitlabInputExpand = regexp.MustCompile(`\$\[\[[^\]]*?inputs\.([A-Za-z0-9_-]+)[^\]]*?expand_vars[^\]]*\]\]`)
	// Variables a merge-request author controls.
	gitlabUntrustedVar = regexp.MustCompile(`\$\{?(CI_MERGE_REQUEST_TITLE|CI_MERGE_REQUEST_DESCRIPTION|CI_COMMIT_MESSAGE|CI_COMMIT_TITLE|CI_COMMIT_DESCRIPTION|CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME|CI_COMMIT_REF_SLUG|CI_MERGE_REQUEST_SOURCE_BRANCH_NAME|CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME|CI_COMMIT_AUTHOR)\b`)
	// Commands that evaluate their argument as code again.
	gitlabEval = regexp.MustCompile(`(^|[;&|(]\s*|\s)(eval|sh -c|bash -c|zsh -c)\s`)
)

// judgeGitLabInjection flags inputs interpolated with expand_vars into
// scripts (CI variables then expand inside the YAML, before the shell
// quotes anything) and merge-request-controlled variables re-evaluated by
// eval or sh -c.
func judgeGitLabInjection(c *Context) {
	g := c.P.GitLab
	if g == nil {
		return
	}
	jobs := append([]*ci.GitLabJob{g.Default}, g.Jobs...)
	for _, j := range jobs {
		if j == nil {
			continue
		}
		for _, list := range [][]*actionlint.String{j.BeforeScript, j.Script, j.AfterScript} {
			for _, line := range list {
				if line == nil {
					continue
				}
				if m := gitlabInputExpand.FindStringSubmatch(line.Value); m != nil {
					c.Report(valuePos(c.P.Source, line), evidence.High, "input %q is interpolated with expand_vars into a script of job %q; CI variables it names are expanded before the shell quotes them", m[1], j.Name.Value)
					continue
				}
				if gitlabEval.MatchString(line.Value) {
					if m := gitlabUntrustedVar.FindStringSubmatch(line.Value); m != nil {
						c.Report(valuePos(c.P.Source, line), evidence.High, "%s is controlled by the merge-request author and is evaluated as code in job %q", m[1], j.Name.Value)
					}
				}
			}
		}
	}
}
