package cichecks

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// NewDangerousTrigger flags pull_request_target and workflow_run workflows
// (they run with the base repository's token and secrets on events a fork
// can cause) and, in them, steps that check out or run the untrusted ref.
// In GitLab it flags deploy jobs and protected-variable users that
// merge-request pipelines can reach.
func NewDangerousTrigger() *Rule {
	return &Rule{
		ID:    "dangerous-trigger",
		Title: "Privileged trigger reachable from untrusted contributions",
		Rationale: "pull_request_target and workflow_run run in the base repository's context, with write tokens and " +
			"secrets, on events a fork controls; checking out or running the fork's code there hands it those privileges.",
		Remediation: "Use pull_request for untrusted code; if a privileged follow-up is needed, pass data (not code) " +
			"through artifacts and never check out github.event.pull_request.head.* in the privileged workflow.",
		Severity:  evidence.High,
		Platforms: []ci.Platform{ci.GitHubWorkflow, ci.GitLabCI},
		judge:     judgeDangerousTrigger,
	}
}

var untrustedRef = lazyre.New(`(?i)github\.event\.pull_request\.head\.(ref|sha|repo)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch|repository)|pull_request\.merge_commit_sha|refs/pull/`)

var untrustedCheckoutCmd = lazyre.New(`(?i)\bgh pr checkout\b|\bgit (fetch|checkout|switch)\b[^\n]*(\$\{\{\s*github\.(head_ref|event\.pull_request\.head|event\.workflow_run\.head)|refs/pull/|pull/)`)

func judgeDangerousTrigger(c *Context) {
	if c.P.Platform == ci.GitLabCI {
		judgeGitLabMR(c)
		return
	}
	w := c.P.Workflow
	if w == nil {
		c.NotApplicable()
		return
	}
	var trig string
	for _, e := range w.On {
		if n := e.EventName(); n == "pull_request_target" || n == "workflow_run" {
			trig = n
			break
		}
	}
	if trig == "" {
		c.NotApplicable()
		return
	}
	on := c.P.Source.TopLevelKey("on", "true")
	if on == nil {
		on = c.P.Source.FirstKey()
	}
	// The trigger alone hands the fork nothing: high when a step here
	// checks out or fetches the fork's code, medium (a privileged
	// workflow to keep that way) when none does.
	type untrusted struct {
		pos *actionlint.Pos
		msg string
	}
	var steps []untrusted
	for _, sr := range c.steps() {
		if a := uses(sr.step); a != nil && ci.ActionRepo(usesValue(a)) == "actions/checkout" {
			if ref, _ := with(a, "ref"); ref != "" && untrustedRef.MatchString(ref) {
				steps = append(steps, untrusted{sr.step.Pos, fmt.Sprintf("checks out the untrusted ref %s in a %s workflow", strings.TrimSpace(ref), trig)})
			}
			if repo, _ := with(a, "repository"); repo != "" && untrustedRef.MatchString(repo) {
				steps = append(steps, untrusted{sr.step.Pos, fmt.Sprintf("checks out the fork's repository %s in a %s workflow", strings.TrimSpace(repo), trig)})
			}
		}
		if r := runOf(sr.step); r != nil && untrustedCheckoutCmd.MatchString(r.Run.Value) {
			steps = append(steps, untrusted{sr.step.Pos, fmt.Sprintf("fetches and checks out the pull request's code in a %s workflow", trig)})
		}
	}
	if len(steps) == 0 {
		c.Report(on, evidence.Medium, "workflow runs on %s, with the base repository's token and secrets, for events a fork can cause; no step checks out or fetches the fork's code", trig)
		return
	}
	c.Errorf(on, "workflow runs on %s, with the base repository's token and secrets, for events a fork can cause, and checks out the fork's code", trig)
	for _, u := range steps {
		c.Errorf(u.pos, "%s", u.msg)
	}
}

// NewSecretsInherit flags reusable-workflow calls that pass every secret.
func NewSecretsInherit() *Rule {
	return &Rule{
		ID:          "secrets-inherit",
		Title:       "Reusable workflow called with secrets: inherit",
		Rationale:   "secrets: inherit hands every repository and organisation secret to the called workflow, whatever it needs.",
		Remediation: "Pass only the secrets the called workflow declares: secrets: { TOKEN: ${{ secrets.TOKEN }} }.",
		Severity:    evidence.Medium,
		Platforms:   ghWF,
		judge: func(c *Context) {
			for _, j := range c.P.SortedJobs() {
				if j.WorkflowCall != nil && j.WorkflowCall.InheritSecrets {
					c.Errorf(valuePos(c.P.Source, j.WorkflowCall.Uses), "job %q passes every secret to %s with secrets: inherit", j.ID.Value, strings.TrimSpace(j.WorkflowCall.Uses.Value))
				}
			}
		},
	}
}

// NewSelfHostedRunner flags jobs whose runner is not a GitHub-hosted
// image: self-hosted runners (the self-hosted label, runner groups, Actions
// Runner Controller scale sets, any custom label set) and third-party
// runner services, through the job's matrix.
func NewSelfHostedRunner() *Rule {
	return &Rule{
		ID:    "self-hosted-runner",
		Title: "Job runs on a self-hosted or third-party runner",
		Rationale: "Self-hosted runners are not ephemeral or isolated by default: a job (or a fork's pull request in a " +
			"public repository) can persist malware on the machine and reach the network it sits in. A third-party " +
			"runner service runs the job, its token and its secrets on another company's machines.",
		Remediation: "Use platform-hosted runners, or ephemeral, single-job self-hosted runners in an isolated network, " +
			"never for public repositories' pull requests; review a third-party runner service as a supplier.",
		Severity:  evidence.Medium,
		Platforms: ghWF,
		judge: func(c *Context) {
			var unresolved []string
			forkPR := onPullRequest(c)
			for _, j := range c.P.SortedJobs() {
				if j.RunsOn == nil {
					continue
				}
				// A fork's pull request runs its own code on the runner: on
				// a machine that outlives the job that is the attack the
				// rule is about. A job condition may keep forks out; it is
				// not read, so a guarded job stays medium.
				sev, exposed := evidence.Medium, ""
				if forkPR && j.If == nil {
					sev, exposed = evidence.High, "; the workflow runs for pull_request, so a pull request from a fork of a public repository runs its code there"
				}
				rs, expr := ci.Runners(j)
				if expr != "" {
					unresolved = append(unresolved, fmt.Sprintf("job %q runs on %s", j.ID.Value, expr))
				}
				seen := map[ci.RunnerKind]bool{}
				for _, r := range rs {
					if r.Kind == ci.Hosted || seen[r.Kind] && r.Via == "" {
						continue
					}
					seen[r.Kind] = true
					labels := strings.Join(r.Labels, ", ")
					via := ""
					if r.Via != "" {
						via = " (through " + r.Via + ")"
					}
					at := keyPos(c.P.Source, r.Pos, "runs-on")
					switch r.Kind {
					case ci.SelfHosted:
						what := "a self-hosted runner"
						if r.Service != "" {
							what = "a self-hosted runner (" + r.Service + ")"
						}
						c.Report(at, sev, "job %q runs on %s: %s%s%s", j.ID.Value, what, labels, via, exposed)
					case ci.ThirdParty:
						c.Report(at, evidence.Low, "job %q runs on a third-party runner service (%s): %s%s", j.ID.Value, r.Service, labels, via)
					case ci.Custom:
						c.Report(at, sev, "job %q runs on %s%s, which is no GitHub-hosted image label: a self-hosted runner, a larger runner or a third-party one%s", j.ID.Value, labels, via, exposed)
					}
				}
			}
			if len(unresolved) > 0 {
				c.Undecided("runner labels that cannot be resolved here: " + strings.Join(unresolved, "; "))
			}
		},
	}
}

// onPullRequest tells whether a workflow runs for pull_request, the event
// that runs a fork's code with no privilege but the runner itself.
func onPullRequest(c *Context) bool {
	if c.P.Workflow == nil {
		return false
	}
	for _, e := range c.P.Workflow.On {
		if we, ok := e.(*actionlint.WebhookEvent); ok && we.EventName() == "pull_request" {
			return true
		}
	}
	return false
}

var deployName = lazyre.New(`(?i)(deploy|release|publish|prod)`)

// judgeGitLabMR flags deploy jobs (an environment, a deploy/release stage,
// OIDC id_tokens or external secrets) that merge-request pipelines run.
func judgeGitLabMR(c *Context) {
	g := c.P.GitLab
	if g == nil {
		c.NotApplicable()
		return
	}
	wfMR := rulesAllowMR(g.WorkflowRules)
	judged := false
	for _, j := range g.Jobs {
		if j.Hidden {
			continue
		}
		rules := j.Rules
		only := j.Only
		for _, p := range g.ExtendsChain(j) {
			if rules == nil {
				rules = p.Rules
			}
			if only == nil {
				only = p.Only
			}
		}
		mr := false
		switch {
		case rules != nil:
			mr = rulesAllowMR(rules)
		case only != nil:
			for _, o := range only {
				if o != nil && (o.Value == "merge_requests" || o.Value == "external_pull_requests") {
					mr = true
				}
			}
		default:
			mr = wfMR
		}
		if !mr {
			continue
		}
		judged = true
		privileged := ""
		switch {
		case j.Environment != nil && j.Environment.Value != "":
			privileged = "deploys to environment " + quote(j.Environment.Value)
		case len(j.IDTokens) > 0:
			privileged = "requests OIDC id_tokens"
		case len(j.Secrets) > 0:
			privileged = "reads external secrets"
		case j.Stage != nil && deployName.MatchString(j.Stage.Value):
			privileged = "runs in stage " + quote(j.Stage.Value)
		}
		if privileged != "" {
			c.Errorf(j.Pos, "job %q %s and runs in merge-request pipelines, which run code from the merge request's source branch", j.Name.Value, privileged)
		}
	}
	if !judged {
		c.NotApplicable()
	}
}

// rulesAllowMR says whether a rules: list lets merge-request pipelines run.
func rulesAllowMR(rules []*ci.GitLabRule) bool {
	for _, r := range rules {
		if r.If == nil {
			if r.When == nil || r.When.Value != "never" {
				return false // an unconditional rule: decided by other sources
			}
			continue
		}
		if strings.Contains(r.If.Value, "merge_request_event") || strings.Contains(r.If.Value, "CI_MERGE_REQUEST_") {
			neg := strings.Contains(r.If.Value, "!= \"merge_request_event\"") || strings.Contains(r.If.Value, "!= 'merge_request_event'")
			if r.When != nil && r.When.Value == "never" {
				if !neg {
					return false
				}
				continue
			}
			if !neg {
				return true
			}
		}
	}
	return false
}
