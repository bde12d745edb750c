package forgechecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewActionsSettings judges GitHub Actions settings: the default workflow
// token read-only, the actions allowed to run restricted, and workflows
// unable to approve pull requests. Repository settings decide; the
// organisation's stand in where the repository's could not be read.
func NewActionsSettings() controls.Check {
	return build(controls.Check{
		ID:          "REPO-ACTIONS-SETTINGS",
		Title:       "GitHub Actions: read-only default token, restricted actions, no pull request approval by workflows",
		Rationale:   "A write-scoped default token hands every job, and every action it runs, the power to push code and releases; unrestricted actions let any public repository's code run in the build; a workflow that approves pull requests defeats review.",
		Remediation: "In the repository (or organisation) settings under Actions > General: set \"Workflow permissions\" to \"Read repository contents and packages permissions\", clear \"Allow GitHub Actions to create and approve pull requests\", and allow only local or selected actions.",
		Severity:    evidence.Medium,
	}, judgeActions)
}

func judgeActions(s *forge.Settings) (evidence.Status, string) {
	if s.GitHub == nil {
		if s.GitLab != nil {
			return evidence.NotApplicable, "GitHub Actions settings do not apply to a GitLab project"
		}
		return evidence.NotAssessed, "no provider settings recorded"
	}
	repo, org := s.GitHub.Actions, s.GitHub.OrgActions
	if repo == nil {
		repo = &forge.Actions{Error: "repository Actions settings not recorded", WorkflowError: "repository Actions settings not recorded"}
	}
	if repo.Error == "" && repo.Enabled != nil && !*repo.Enabled {
		return evidence.Pass, "GitHub Actions is disabled for the repository (enabled false)"
	}
	if org != nil && org.Error == "" && org.EnabledRepositories == "none" {
		return evidence.Pass, "GitHub Actions is disabled for the organisation's repositories (enabled_repositories none)"
	}
	var unmet, met, unknown []string
	// pick returns the repository's value, else the organisation's.
	type pick struct {
		from string
		a    *forge.Actions
	}
	perms := func() *pick {
		if repo.Error == "" {
			return &pick{"repository", repo}
		}
		if org != nil && org.Error == "" {
			return &pick{"organisation", org}
		}
		return nil
	}()
	wf := func() *pick {
		if repo.WorkflowError == "" {
			return &pick{"repository", repo}
		}
		if org != nil && org.WorkflowError == "" {
			return &pick{"organisation", org}
		}
		return nil
	}()
	if perms == nil {
		unknown = append(unknown, errs(repo.Error, orgErr(org, false)))
	} else {
		v := perms.a.AllowedActions
		switch v {
		case "all":
			unmet = append(unmet, perms.from+" allowed_actions is all (any action from any repository may run)")
		case "local_only":
			met = append(met, perms.from+" allowed_actions local_only")
		case "selected":
			m := perms.from + " allowed_actions selected"
			if sel := perms.a.Selected; sel != nil && sel.Error == "" {
				m += fmt.Sprintf(" (github_owned_allowed %t, verified_allowed %t, %d patterns)", sel.GitHubOwnedAllowed, sel.VerifiedAllowed, len(sel.Patterns))
			}
			met = append(met, m)
		default:
			unknown = append(unknown, fmt.Sprintf("%s allowed_actions %q not recognised", perms.from, v))
		}
	}
	if wf == nil {
		unknown = append(unknown, errs(repo.WorkflowError, orgErr(org, true)))
	} else {
		switch v := wf.a.DefaultWorkflowPermissions; v {
		case "read":
			met = append(met, wf.from+" default_workflow_permissions read")
		case "write":
			unmet = append(unmet, wf.from+" default_workflow_permissions is write")
		default:
			unknown = append(unknown, fmt.Sprintf("%s default_workflow_permissions %q not recognised", wf.from, v))
		}
		switch c := wf.a.CanApprovePullRequestReviews; {
		case c == nil:
			unknown = append(unknown, wf.from+" can_approve_pull_request_reviews not reported")
		case *c:
			unmet = append(unmet, wf.from+" can_approve_pull_request_reviews is true")
		default:
			met = append(met, wf.from+" can_approve_pull_request_reviews false")
		}
	}
	switch {
	case len(unmet) > 0:
		return evidence.Fail, strings.Join(unmet, "; ")
	case len(unknown) > 0:
		return evidence.NotAssessed, "cannot decide: " + strings.Join(unknown, "; ") + prefixed("; met: ", met)
	}
	msg := strings.Join(met, "; ")
	if org != nil && org.Error == "" && perms != nil && perms.from == "repository" {
		msg += fmt.Sprintf("; organisation allowed_actions %s", nonEmpty(org.AllowedActions, "unknown"))
	}
	return evidence.Pass, msg
}

func orgErr(org *forge.Actions, workflow bool) string {
	switch {
	case org == nil:
		return "no organisation settings (user-owned repository)"
	case workflow:
		return org.WorkflowError
	}
	return org.Error
}
