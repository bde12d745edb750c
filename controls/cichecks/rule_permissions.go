package cichecks

import (
	"sort"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/evidence"
)

// NewExcessivePermissions flags workflows and jobs that run with the
// default GITHUB_TOKEN permissions, read-all/write-all, or write scopes
// granted at workflow level to jobs that do not narrow them.
func NewExcessivePermissions() *Rule {
	return &Rule{
		ID:    "excessive-permissions",
		Title: "GITHUB_TOKEN permissions broader than the jobs need",
		Rationale: "Without a permissions block the token gets the repository's default, often read/write on most " +
			"scopes; a compromised step then can push code, create releases or approve pull requests.",
		Remediation: "Set permissions: {} (or contents: read) at workflow level and grant each job only the write scopes it uses.",
		Severity:    evidence.Medium,
		Platforms:   ghWF,
		judge:       judgeExcessivePermissions,
	}
}

func judgeExcessivePermissions(c *Context) {
	w := c.P.Workflow
	if w == nil {
		c.NotApplicable()
		return
	}
	jobs := c.P.SortedJobs()
	allJobsHave := true
	for _, j := range jobs {
		if j.Permissions == nil {
			allJobsHave = false
		}
	}
	_, isCall := w.FindWorkflowCallEvent()
	reusableOnly := isCall && len(w.On) == 1
	// A workflow-level grant matters when it reaches a job that does not set
	// its own permissions. With several jobs the workflow block is the
	// policy for all of them; with one job only write-all is judged there
	// (the job-level finding covers the default token).
	multi := len(jobs) > 1 && !allJobsHave && !reusableOnly
	single := len(jobs) == 1 && !allJobsHave && !reusableOnly
	wp := w.Permissions
	switch {
	case wp == nil:
		if multi {
			c.Errorf(c.P.Source.FirstKey(), "workflow has no permissions: block, so jobs without their own get the default token permissions")
		}
	case wp.All != nil:
		switch wp.All.Value {
		case "write-all":
			if multi || single {
				c.Report(wp.Pos, evidence.High, "workflow grants write-all permissions to every job")
			}
		case "read-all":
			if multi {
				c.Errorf(wp.Pos, "workflow grants read-all permissions; grant only the scopes the jobs use")
			}
		}
	default:
		// Explicit write scopes are judged at workflow level only when they
		// reach several jobs; for one job they are that job's grant, which
		// no static reading can call too wide.
		if multi {
			for _, s := range sortedScopes(wp) {
				if s.Value != nil && s.Value.Value == "write" {
					c.Report(s.Name.Pos, scopeSeverity(s.Name.Value), "%s: write is granted at workflow level, to every job", s.Name.Value)
				}
			}
		}
	}
	for _, j := range jobs {
		jp := j.Permissions
		switch {
		case jp == nil:
			if wp == nil && !(reusableOnly && j.WorkflowCall == nil) {
				c.Errorf(j.ID.Pos, "job %q runs with the default token permissions (no permissions: block here or at workflow level)", j.ID.Value)
			}
		case jp.All != nil && jp.All.Value == "write-all":
			c.Report(jp.Pos, evidence.High, "job %q grants write-all permissions", j.ID.Value)
		case jp.All != nil && jp.All.Value == "read-all":
			c.Errorf(jp.Pos, "job %q grants read-all permissions; grant only the scopes it uses", j.ID.Value)
		}
	}
}

func sortedScopes(p *actionlint.Permissions) []*actionlint.PermissionScope {
	out := make([]*actionlint.PermissionScope, 0, len(p.Scopes))
	for _, s := range p.Scopes {
		if s != nil && s.Name != nil {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return posLess(out[i].Name.Pos, out[j].Name.Pos) })
	return out
}

func posLess(a, b *actionlint.Pos) bool {
	if a == nil || b == nil {
		return a == nil && b != nil
	}
	return a.IsBefore(b)
}

func scopeSeverity(scope string) evidence.Severity {
	switch scope {
	case "checks", "discussions", "repository-projects", "security-events":
		return evidence.Medium
	case "statuses":
		return evidence.Low
	}
	return evidence.High
}
