package forgechecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewSignedCommitsRequired judges whether the forge refuses unsigned
// commits on the branch: GitHub's required_signatures (branch protection
// or a ruleset), GitLab's reject_unsigned_commits push rule.
func NewSignedCommitsRequired() controls.Check {
	return build(controls.Check{
		ID:          "REPO-SIGNED-COMMITS-REQUIRED",
		Title:       "The forge requires signed commits on the default branch",
		Rationale:   "Signing only helps if unsigned changes are refused; otherwise a stolen password or token pushes changes under any name.",
		Remediation: "GitHub: enable \"Require signed commits\" in the branch protection or add a required_signatures rule to a ruleset for the branch. GitLab: enable the push rule \"Reject unsigned commits\" (and \"Check whether the commit author is a GitLab user\").",
		Severity:    evidence.Medium,
	}, judgeSigned)
}

func judgeSigned(s *forge.Settings) (evidence.Status, string) {
	switch {
	case s.GitHub != nil:
		return githubSigned(s.GitHub)
	case s.GitLab != nil:
		return gitlabSigned(s.GitLab)
	}
	return evidence.NotAssessed, "no provider settings recorded"
}

func githubSigned(g *forge.GitHub) (evidence.Status, string) {
	p, rules := g.Protection, g.Rules
	if p == nil {
		p = &forge.Protection{Error: "branch protection not recorded"}
	}
	if rules == nil {
		rules = &forge.Rules{Error: "rules not recorded"}
	}
	var by, why []string
	switch {
	case p.Error != "":
	case !p.Enabled:
		why = append(why, "the branch is not protected")
	case p.RequiredSignatures == nil:
		why = append(why, "branch protection does not report required_signatures")
	case *p.RequiredSignatures:
		s := "branch protection required_signatures true"
		if !p.EnforceAdmins {
			s += " (admins may bypass: enforce_admins false)"
		}
		by = append(by, s)
	default:
		why = append(why, "required_signatures is false")
	}
	for _, r := range rules.RequiredSignatures {
		by = append(by, rulesetName(g, r.RulesetID)+" required_signatures rule")
	}
	if rules.Error == "" && len(rules.RequiredSignatures) == 0 {
		why = append(why, "no active ruleset has a required_signatures rule")
	}
	switch {
	case len(by) > 0:
		return evidence.Pass, "signed commits required by " + strings.Join(by, " and ")
	case p.Error != "" || rules.Error != "":
		return evidence.NotAssessed, "cannot decide, some settings could not be read (" + errs(p.Error, rules.Error) + ")" + prefixed("; from what was read: ", why)
	}
	return evidence.Fail, "unsigned commits are accepted: " + strings.Join(why, " and ")
}

func gitlabSigned(g *forge.GitLab) (evidence.Status, string) {
	pr := g.PushRules
	switch {
	case pr == nil:
		return evidence.NotAssessed, "push rules not recorded"
	case pr.Error != "":
		return evidence.NotAssessed, "cannot decide: " + pr.Error
	case !pr.Configured:
		return evidence.Fail, "unsigned commits are accepted: the project has no push rule (reject_unsigned_commits unset; push rules need GitLab Premium)"
	case !pr.RejectUnsignedCommits:
		return evidence.Fail, fmt.Sprintf("unsigned commits are accepted: push rule reject_unsigned_commits is false (member_check %t)", pr.MemberCheck)
	}
	return evidence.Pass, fmt.Sprintf("push rule reject_unsigned_commits true (member_check %t, commit_committer_check %t)", pr.MemberCheck, pr.CommitCommitterCheck)
}

func prefixed(p string, s []string) string {
	if len(s) == 0 {
		return ""
	}
	return p + strings.Join(s, " and ")
}
