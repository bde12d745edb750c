package cichecks

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
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
				written := strings.TrimSpace(e.Raw[3 : len(e.Raw)-2])
				for _, ctx := range flows {
					if sev, why := injectable(c.P, sr, ctx); sev != "" {
						c.Report(at, sev, "%s may expand attacker-controllable text into code (%s); pass it through an environment variable", asWritten(written, ctx), why)
					}
				}
			}
		}
	}
}

// asWritten names a context as the expression writes it: the expression
// itself when it is the context, else the context's own text in it.
func asWritten(written string, ctx ctxPath) string {
	path := ctx.String()
	if strings.EqualFold(bracketsToDots(written), path) {
		return written
	}
	return fmt.Sprintf("%s (in ${{ %s }})", writtenIn(written, path), written)
}

// writtenIn is a context path as text writes it (its case), or the path
// when the text spells it otherwise.
func writtenIn(text, path string) string {
	if i := indexFold(text, path); i >= 0 {
		return text[i : i+len(path)]
	}
	return path
}

// bracketsToDots rewrites a['b'] as a.b, without spaces.
func bracketsToDots(s string) string { return bracketsReplacer.Replace(s) }

var bracketsReplacer = strings.NewReplacer(" ", "", "['", ".", "']", "", `["`, ".", `"]`, "")

// indexFold is strings.Index for ASCII, ignoring case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], strings.ToLower(sub)) {
			return i
		}
	}
	return -1
}

// fixedGitHub are github.* contexts whose value an attacker cannot shape:
// set by the runner, by the platform, or by the workflow file itself.
var fixedGitHub = map[string]bool{
	"action_path": true, "action": true, "action_repository": true, "action_status": true, "action_ref": true,
	"api_url": true, "graphql_url": true, "server_url": true, "event_name": true, "job": true,
	"repository": true, "repository_id": true, "repository_owner": true, "repository_owner_id": true,
	"repositoryurl": true, "retention_days": true, "run_attempt": true, "run_id": true,
	"run_number": true, "sha": true, "token": true, "workspace": true, "workflow_sha": true,
	"event_path": true, "env": true, "path": true, "output": true, "state": true, "step_summary": true,
	"ref_protected": true, "ref_type": true, "secret_source": true, "workflow": true, "workflow_ref": true,
	"job_workflow_sha": true, "job_workflow_ref": true,
	// Login names: letters, digits and single hyphens only.
	"actor": true, "actor_id": true, "triggering_actor": true,
	// The base branch of a pull request is a branch of this repository.
	"base_ref": true,
}

// fixedEventLeaf are fields of webhook payloads that hold numbers, flags,
// hashes, timestamps, URLs or names of a restricted character set.
var fixedEventLeaf = map[string]bool{
	"id": true, "number": true, "fork": true, "private": true, "site_admin": true, "deleted": true,
	"locked": true, "draft": true, "merged": true, "before": true, "after": true, "sha": true,
	"head_sha": true, "base_sha": true, "comments": true, "commits": true, "additions": true, "deletions": true,
	"changed_files": true, "run_attempt": true, "run_number": true, "created_at": true,
	"updated_at": true, "closed_at": true, "merged_at": true, "pushed_at": true, "forced": true,
	"created": true, "size": true, "default": true, "is_answerable": true, "author_association": true,
	"archived": true, "disabled": true, "is_template": true, "mergeable": true, "rebaseable": true,
	"maintainer_can_modify": true, "distinct": true, "run_started_at": true, "conclusion": true,
	"status": true, "score": true, "public": true, "protected": true, "state": true, "action": true,
	"node_id": true, "type": true, "event": true, "path": true, "workflow_id": true, "check_suite_id": true,
	// GitHub login and repository names have a restricted character set
	// (letters, digits, -, _ and .), as do URLs GitHub builds from them.
	"login": true, "url": true,
}

// repoParent are payload objects whose name is a repository's or an
// account's.
var repoParent = map[string]bool{"repo": true, "repository": true, "head_repository": true, "owner": true, "organization": true}

// eventRoot are parts of webhook payloads an attacker cannot write: the
// base repository, the organisation, the installation, the enterprise.
var eventRoot = map[string]bool{
	"repository": true, "organization": true, "installation": true, "enterprise": true,
}

// injectable classifies one context flowing into a code sink. It returns
// the severity of a finding, or "" for a context an attacker cannot shape:
// high for text a fork, an issue author or a commenter controls, lower for
// values only people with write access (or a caller) set.
func injectable(p *ci.Pipeline, sr stepRef, ctx ctxPath) (evidence.Severity, string) {
	return injectableAt(p, sr, ctx, 0)
}

// injectableAt is injectable through depth environment variables.
func injectableAt(p *ci.Pipeline, sr stepRef, ctx ctxPath, depth int) (evidence.Severity, string) {
	if ctx.CallLed {
		return evidence.Low, "derived from a function result"
	}
	parts := ctx.Parts
	switch ctx.root() {
	case "secrets":
		return "", ""
	case "inputs":
		if len(parts) < 2 {
			return evidence.Medium, "the whole inputs context"
		}
		return inputSeverity(p, parts[1])
	case "env":
		if len(parts) < 2 {
			return evidence.Low, "the whole env context"
		}
		found, dynamic, value := envValue(p, sr, parts[1])
		if !found || !dynamic {
			return "", ""
		}
		if value == "" || depth >= 4 {
			return evidence.Low, "the variable is set from an expression"
		}
		// The variable carries what its expressions carry.
		var worst evidence.Severity
		why := ""
		for _, e := range exprFlows(value) {
			flows, ok := e.flows()
			if !ok {
				return evidence.Low, "the variable is set from an expression"
			}
			for _, f := range flows {
				if sev, w := injectableAt(p, sr, f, depth+1); sev != "" && (worst == "" || sev.Rank() > worst.Rank()) {
					worst, why = sev, w
				}
			}
		}
		if worst == "" {
			return "", ""
		}
		return worst, "the variable is set from " + strings.TrimSpace(value) + ": " + why
	case "github":
		if len(parts) == 1 {
			return evidence.High, "the whole github context"
		}
		if parts[1] == "event" {
			return eventSeverity(p, parts[2:])
		}
		switch {
		case fixedGitHub[parts[1]]:
			return "", ""
		case parts[1] == "head_ref":
			if p.Workflow != nil && !hasTrigger(p, "pull_request", "pull_request_target", "workflow_call") {
				return "", "" // empty outside pull-request events
			}
			return evidence.High, "the pull request's branch name is chosen by its author, who may work in a fork"
		case parts[1] == "ref" || parts[1] == "ref_name":
			return evidence.Low, "a branch or tag name pushed by someone with write access"
		}
		return evidence.High, "set by whoever triggers the workflow"
	case "matrix":
		if matrixDynamic(sr.job, parts) {
			return evidence.Medium, "the matrix value comes from an expression"
		}
		return "", ""
	case "steps":
		leaf := parts[len(parts)-1]
		if fixedOutput(leaf) || len(parts) >= 4 && fixedStepOutput(p, sr, parts[1], parts[3]) {
			return "", ""
		}
		return evidence.Low, "outputs may carry untrusted data"
	case "needs":
		if fixedOutput(parts[len(parts)-1]) {
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

// fixedOutput is a step or job output leaf that is a status or a flag.
func fixedOutput(leaf string) bool {
	return leaf == "outcome" || leaf == "conclusion" || leaf == "result" || leaf == "cache-hit"
}

// eventSeverity classifies github.event.<rest>.
func eventSeverity(p *ci.Pipeline, rest []string) (evidence.Severity, string) {
	if len(rest) == 0 {
		return evidence.High, "the whole event payload"
	}
	leaf := rest[len(rest)-1]
	switch {
	case fixedEventLeaf[leaf] || strings.HasSuffix(leaf, "_id") || strings.HasSuffix(leaf, "_count") ||
		strings.HasSuffix(leaf, "_url") || strings.HasSuffix(leaf, "_at"):
		return "", ""
	case eventRoot[rest[0]]:
		return "", ""
	case rest[0] == "inputs":
		if len(rest) < 2 {
			return evidence.Low, "workflow_dispatch inputs are set only by people with write access"
		}
		return inputSeverity(p, rest[1])
	case rest[0] == "client_payload":
		return evidence.Low, "repository_dispatch payloads are sent only with a token that has write access"
	case rest[0] == "release" || rest[0] == "label" || rest[0] == "milestone" || rest[0] == "deployment" ||
		rest[0] == "deployment_status" || rest[0] == "schedule" || rest[0] == "ref" || rest[0] == "ref_type" ||
		rest[0] == "master_branch" || rest[0] == "description" || rest[0] == "pusher_type":
		return evidence.Low, "set by people with write or triage access"
	case len(rest) >= 3 && rest[len(rest)-2] == "base" && (leaf == "ref" || leaf == "label"):
		return "", "" // the base branch of a pull request is a branch of this repository
	case len(rest) >= 3 && rest[len(rest)-3] == "base" && rest[len(rest)-2] == "repo":
		return "", ""
	case (leaf == "name" || leaf == "full_name") && len(rest) >= 2 && repoParent[rest[len(rest)-2]]:
		return "", "" // repository and owner names: letters, digits, -, _ and .
	}
	if !outsiderCanTrigger(p) {
		return evidence.Low, "event text, but only people with write access can trigger this workflow"
	}
	return evidence.High, "event payload text that a fork, an issue author or a commenter can write"
}

// insiderEvents are the triggers only people with write access (or the
// platform, on their behalf) can cause.
var insiderEvents = map[string]bool{
	"workflow_dispatch": true, "schedule": true, "repository_dispatch": true, "release": true,
	"create": true, "delete": true, "registry_package": true, "deployment": true, "deployment_status": true,
	"page_build": true, "label": true, "milestone": true, "project": true, "project_card": true,
	"project_column": true, "public": true, "status": true, "branch_protection_rule": true,
}

// outsiderCanTrigger says whether someone without write access can cause
// an event of the pipeline: any trigger but insiderEvents, a reusable
// workflow (its caller's event) or an action (any caller's).
func outsiderCanTrigger(p *ci.Pipeline) bool {
	if p.Workflow == nil {
		return true
	}
	for _, e := range p.Workflow.On {
		if !insiderEvents[e.EventName()] {
			return true
		}
	}
	return false
}

// inputSeverity classifies an input by its declaration: choice, boolean,
// number and environment inputs carry no free text; a workflow_dispatch
// string is set only by people with write access; a reusable workflow's or
// an action's string input is whatever its caller passes.
func inputSeverity(p *ci.Pipeline, name string) (evidence.Severity, string) {
	if p.Action != nil {
		return evidence.Medium, "inputs are supplied by the action's caller"
	}
	dispatch, call := "", ""
	if p.Workflow != nil {
		for _, ev := range p.Workflow.On {
			switch e := ev.(type) {
			case *actionlint.WorkflowDispatchEvent:
				for id, in := range e.Inputs {
					if strings.EqualFold(id, name) && in != nil {
						dispatch = "string"
						switch in.Type {
						case actionlint.WorkflowDispatchEventInputTypeBoolean, actionlint.WorkflowDispatchEventInputTypeNumber,
							actionlint.WorkflowDispatchEventInputTypeChoice, actionlint.WorkflowDispatchEventInputTypeEnvironment:
							dispatch = "fixed"
						}
					}
				}
			case *actionlint.WorkflowCallEvent:
				for _, in := range e.Inputs {
					if in != nil && in.Name != nil && strings.EqualFold(in.Name.Value, name) {
						call = "string"
						if in.Type == actionlint.WorkflowCallEventInputTypeBoolean || in.Type == actionlint.WorkflowCallEventInputTypeNumber {
							call = "fixed"
						}
					}
				}
			}
		}
	}
	switch {
	case call == "string":
		return evidence.Medium, "a string input of a reusable workflow is whatever its caller passes"
	case dispatch == "string":
		return evidence.Low, "a workflow_dispatch string input, set only by people with write access"
	case call == "fixed" || dispatch == "fixed":
		return "", "" // a choice, boolean, number or environment
	}
	return evidence.Medium, "an input this workflow does not declare"
}

// fixedOutputs are outputs of well-known actions that carry no attacker
// text: versions, paths on the runner, flags, ids and digests.
var fixedOutputs = map[string][]string{
	"actions/setup-python":                  {"python-version", "python-path", "cache-hit"},
	"actions/setup-node":                    {"node-version", "cache-hit"},
	"actions/setup-go":                      {"go-version", "cache-hit"},
	"actions/setup-java":                    {"distribution", "version", "path", "cache-hit"},
	"actions/setup-dotnet":                  {"dotnet-version", "cache-hit"},
	"actions/checkout":                      {"commit"},
	"actions/cache":                         {"cache-hit"},
	"actions/cache/restore":                 {"cache-hit", "cache-primary-key", "cache-matched-key"},
	"actions/upload-artifact":               {"artifact-id", "artifact-url", "artifact-digest"},
	"actions/download-artifact":             {"download-path"},
	"actions/create-github-app-token":       {"token", "installation-id", "app-slug"},
	"actions/attest-build-provenance":       {"bundle-path", "attestation-id", "attestation-url"},
	"actions/attest-sbom":                   {"bundle-path", "attestation-id", "attestation-url"},
	"actions/attest":                        {"bundle-path", "attestation-id", "attestation-url"},
	"actions/configure-pages":               {"base_url", "origin", "host", "base_path"},
	"actions/deploy-pages":                  {"page_url"},
	"astral-sh/setup-uv":                    {"uv-version", "uv-path", "uvx-path", "cache-hit", "python-version", "python-cache-hit", "venv"},
	"pnpm/action-setup":                     {"dest", "bin_dest"},
	"ruby/setup-ruby":                       {"ruby-prefix"},
	"dtolnay/rust-toolchain":                {"cachekey", "name"},
	"swatinem/rust-cache":                   {"cache-hit"},
	"docker/setup-buildx-action":            {"name", "driver", "platforms", "nodes", "endpoint", "status", "flags"},
	"docker/setup-qemu-action":              {"platforms"},
	"docker/build-push-action":              {"imageid", "digest"},
	"aws-actions/configure-aws-credentials": {"aws-account-id"},
	"google-github-actions/auth":            {"credentials_file_path", "project_id", "access_token", "id_token"},
	"sigstore/cosign-installer":             {},
	"anchore/sbom-action":                   {},
}

// fixedStepOutput says whether steps.<id>.outputs.<name> is a fixed output
// of a well-known action run by the step with that id in the same job.
func fixedStepOutput(p *ci.Pipeline, sr stepRef, id, name string) bool {
	var steps []*actionlint.Step
	if sr.job != nil {
		steps = sr.job.Steps
	} else if p.Action != nil {
		steps = p.Action.Steps
	}
	for _, st := range steps {
		if st == nil || st.ID == nil || !strings.EqualFold(st.ID.Value, id) {
			continue
		}
		a := uses(st)
		if a == nil {
			return false
		}
		repo, _, _ := strings.Cut(strings.ToLower(usesValue(a)), "@")
		for _, o := range fixedOutputs[repo] {
			if o == name {
				return true
			}
		}
		return false
	}
	return false
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
	gitlabInputExpand = lazyre.New(`\$\[\[[^\]]*?inputs\.([A-Za-z0-9_-]+)[^\]]*?expand_vars[^\]]*\]\]`)
	// Variables a merge-request author controls.
	gitlabUntrustedVar = lazyre.New(`\$\{?(CI_MERGE_REQUEST_TITLE|CI_MERGE_REQUEST_DESCRIPTION|CI_COMMIT_MESSAGE|CI_COMMIT_TITLE|CI_COMMIT_DESCRIPTION|CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME|CI_COMMIT_REF_SLUG|CI_MERGE_REQUEST_SOURCE_BRANCH_NAME|CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME|CI_COMMIT_AUTHOR)\b`)
	// Commands that evaluate their argument as code again.
	gitlabEval = lazyre.New(`(^|[;&|(]\s*|\s)(eval|sh -c|bash -c|zsh -c)\s`)
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
