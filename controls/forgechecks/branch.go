package forgechecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewBranchProtection judges whether the default (or configured) branch
// takes changes only through review: at least one approval, no force
// pushes, no deletion, required status checks, and nobody (admins
// included) exempt.
func NewBranchProtection() controls.Check {
	return build(controls.Check{
		ID:          "REPO-BRANCH-PROTECTION",
		Title:       "The default branch is protected: reviews, status checks, no force push or deletion, no admin bypass",
		Rationale:   "Whoever can push to the branch a release is built from decides what ships; protection makes every change pass review and the pipeline first, and keeps history from being rewritten.",
		Remediation: "GitHub: protect the branch (or add a ruleset) requiring pull requests with at least one approval and status checks, block force pushes and deletions, and enable \"Do not allow bypassing the above settings\" (enforce_admins) or remove bypass actors. GitLab: protect the branch with push \"No one\", allow_force_push off, an approval rule requiring at least one approval, author approval off, and \"Pipelines must succeed\".",
		Severity:    evidence.High,
	}, judgeBranch)
}

func judgeBranch(s *forge.Settings) (evidence.Status, string) {
	switch {
	case s.GitHub != nil:
		return githubBranch(s.GitHub)
	case s.GitLab != nil:
		return gitlabBranch(s.GitLab)
	}
	return evidence.NotAssessed, "no provider settings recorded"
}

// source is one thing that enforces a requirement: classic branch
// protection or a ruleset, with who may bypass it.
type source struct {
	name    string
	bypass  []string
	unknown string // why the bypass list is unknown
}

// requirement is one setting the check wants, with what enforces it and
// what was met when nothing does.
type requirement struct {
	name    string
	sources []source
	unmet   []string
}

func (r *requirement) add(s source) { r.sources = append(r.sources, s) }

// verdict decides a set of requirements. readErr names sections that could
// not be read; with those, an unmet requirement is undecided, not failed.
func verdict(reqs []*requirement, readErr string) (evidence.Status, string) {
	var unmet, bypassed, unknown, met []string
	for _, r := range reqs {
		if len(r.sources) == 0 {
			unmet = append(unmet, strings.Join(r.unmet, " and "))
			continue
		}
		free, why := false, ""
		var by []string
		for _, s := range r.sources {
			switch {
			case s.unknown != "":
				why = s.unknown
			case len(s.bypass) == 0:
				free = true
			default:
				by = append(by, s.name+" (bypass: "+strings.Join(s.bypass, ", ")+")")
			}
		}
		names := make([]string, len(r.sources))
		for i, s := range r.sources {
			names[i] = s.name
		}
		switch {
		case free:
			met = append(met, r.name+" by "+strings.Join(names, " and "))
		case why != "":
			unknown = append(unknown, r.name+": "+why)
		default:
			bypassed = append(bypassed, r.name+" only by "+strings.Join(by, " and "))
		}
	}
	switch {
	case len(unmet) > 0 && readErr != "":
		return evidence.NotAssessed, "cannot decide, some settings could not be read (" + readErr + "); from what was read: " + strings.Join(unmet, "; ")
	case len(unmet) > 0:
		return evidence.Fail, strings.Join(unmet, "; ")
	case len(bypassed) > 0:
		return evidence.Fail, "enforced but can be bypassed: " + strings.Join(bypassed, "; ")
	case len(unknown) > 0:
		return evidence.NotAssessed, "cannot decide whether anyone is exempt: " + strings.Join(unknown, "; ")
	}
	return evidence.Pass, strings.Join(met, "; ")
}

func githubBranch(g *forge.GitHub) (evidence.Status, string) {
	p, rules := g.Protection, g.Rules
	if p == nil {
		p = &forge.Protection{Error: "branch protection not recorded"}
	}
	if rules == nil {
		rules = &forge.Rules{Error: "rules not recorded"}
	}
	readErr := errs(p.Error, rules.Error)
	prot := p.Error == "" && p.Enabled
	adminBypass := func(detail string, extra ...string) source {
		s := source{name: "branch protection (" + detail + ")"}
		if !p.EnforceAdmins {
			s.bypass = append(s.bypass, "admins (enforce_admins false)")
		}
		s.bypass = append(s.bypass, extra...)
		return s
	}
	rs := func(id int64, detail string) source {
		s := source{name: rulesetName(g, id) + " (" + detail + ")"}
		for _, x := range rules.Rulesets {
			if x.ID != id {
				continue
			}
			switch {
			case x.Error != "":
				s.unknown = x.Error
			case !x.BypassKnown:
				s.unknown = rulesetName(g, id) + " bypass actors not returned (the token cannot edit the ruleset)"
			}
			for _, a := range x.BypassActors {
				s.bypass = append(s.bypass, fmt.Sprintf("%s %d (%s)", a.Type, a.ID, a.Mode))
			}
			return s
		}
		s.unknown = rulesetName(g, id) + " not read"
		return s
	}
	notProt := "the branch is not protected"
	if p.Error != "" {
		notProt = "branch protection unknown"
	}

	reviews := &requirement{name: "pull request reviews"}
	switch {
	case prot && p.RequiredReviews && p.RequiredApprovingReviewCount >= 1:
		reviews.add(adminBypass(fmt.Sprintf("required_approving_review_count %d", p.RequiredApprovingReviewCount), p.ReviewBypass...))
	case prot && p.RequiredReviews:
		reviews.unmet = append(reviews.unmet, fmt.Sprintf("required_approving_review_count is %d (want at least 1)", p.RequiredApprovingReviewCount))
	case prot:
		reviews.unmet = append(reviews.unmet, "required_pull_request_reviews is not set")
	default:
		reviews.unmet = append(reviews.unmet, notProt)
	}
	force := &requirement{name: "no force pushes"}
	if prot && !p.AllowForcePushes {
		force.add(source{name: "branch protection (allow_force_pushes false)"})
	} else if prot {
		force.unmet = append(force.unmet, "allow_force_pushes is true")
	} else {
		force.unmet = append(force.unmet, notProt)
	}
	del := &requirement{name: "no deletion"}
	if prot && !p.AllowDeletions {
		del.add(source{name: "branch protection (allow_deletions false)"})
	} else if prot {
		del.unmet = append(del.unmet, "allow_deletions is true")
	} else {
		del.unmet = append(del.unmet, notProt)
	}
	checks := &requirement{name: "required status checks"}
	switch {
	case prot && p.StatusChecks != nil && len(p.StatusChecks.Contexts) > 0:
		checks.add(adminBypass("required_status_checks " + strings.Join(p.StatusChecks.Contexts, ", ")))
	case prot && p.StatusChecks != nil:
		checks.unmet = append(checks.unmet, "required_status_checks lists no checks")
	case prot:
		checks.unmet = append(checks.unmet, "required_status_checks is not set")
	default:
		checks.unmet = append(checks.unmet, notProt)
	}

	maxCount := -1
	for _, r := range rules.PullRequest {
		if r.RequiredApprovingReviewCount >= 1 {
			reviews.add(rs(r.RulesetID, fmt.Sprintf("pull_request required_approving_review_count %d", r.RequiredApprovingReviewCount)))
		}
		maxCount = max(maxCount, r.RequiredApprovingReviewCount)
	}
	for _, r := range rules.NonFastForward {
		force.add(rs(r.RulesetID, "non_fast_forward"))
	}
	for _, r := range rules.Deletion {
		del.add(rs(r.RulesetID, "deletion"))
	}
	for _, r := range rules.RequiredStatusChecks {
		if len(r.Contexts) > 0 {
			checks.add(rs(r.RulesetID, "required_status_checks "+strings.Join(r.Contexts, ", ")))
		}
	}
	if rules.Error == "" {
		if maxCount >= 0 {
			reviews.unmet = append(reviews.unmet, fmt.Sprintf("no ruleset pull_request rule requires an approval (required_approving_review_count %d)", maxCount))
		} else {
			reviews.unmet = append(reviews.unmet, "no ruleset has a pull_request rule")
		}
		force.unmet = append(force.unmet, "no ruleset has a non_fast_forward rule")
		del.unmet = append(del.unmet, "no ruleset has a deletion rule")
		checks.unmet = append(checks.unmet, "no ruleset has a required_status_checks rule")
	}
	if !prot && p.Error == "" && rules.Error == "" && len(reviews.sources)+len(force.sources)+len(del.sources)+len(checks.sources) == 0 {
		return evidence.Fail, "the branch is not protected and no active ruleset applies to it (no pull_request, non_fast_forward, deletion or required_status_checks rule)"
	}
	st, msg := verdict([]*requirement{reviews, force, del, checks}, readErr)
	if st == evidence.Pass && prot && p.EnforceAdmins {
		msg += "; enforce_admins true"
	}
	return st, msg
}

func gitlabBranch(g *forge.GitLab) (evidence.Status, string) {
	pb := g.ProtectedBranches
	if pb == nil || pb.Error != "" {
		why := "protected branches not recorded"
		if pb != nil {
			why = pb.Error
		}
		return evidence.NotAssessed, "cannot decide: " + why
	}
	if len(pb.Matching) == 0 {
		return evidence.Fail, fmt.Sprintf("the branch is not protected (%d protected branch rules, none matches)", pb.Total)
	}
	// Where several rules match, GitLab applies the most permissive one.
	var names, pushers []string
	force, codeOwner := false, false
	for _, m := range pb.Matching {
		names = append(names, m.Name)
		force = force || m.AllowForcePush
		codeOwner = codeOwner || m.CodeOwnerApprovalRequired
		for _, a := range m.PushAccess {
			if who := pusher(a); who != "" {
				pushers = append(pushers, who)
			}
		}
	}
	prot := "protected branch " + strings.Join(quoteAll(names), ", ")

	var readErr []string
	reviews := &requirement{name: "merge request approvals"}
	required, by := int64(0), ""
	if a := g.Approvals; a != nil && a.Error == "" {
		if a.ApprovalsBeforeMerge > required {
			required, by = a.ApprovalsBeforeMerge, "approvals_before_merge"
		}
	} else if a != nil {
		readErr = append(readErr, a.Error)
	}
	if r := g.ApprovalRules; r != nil && r.Error == "" {
		for _, x := range r.Rules {
			if !x.AppliesToBranch || (x.RuleType != "" && x.RuleType != "regular" && x.RuleType != "any_approver") {
				continue
			}
			if x.ApprovalsRequired > required {
				required, by = x.ApprovalsRequired, fmt.Sprintf("approval rule %q", x.Name)
			}
		}
	} else if r != nil {
		readErr = append(readErr, r.Error)
	}
	authorApproves := g.Approvals != nil && g.Approvals.Error == "" && g.Approvals.MergeRequestsAuthorApproval
	authorUnknown := ""
	if g.Approvals == nil || g.Approvals.Error != "" {
		authorUnknown = "merge_requests_author_approval unknown"
		if g.Approvals != nil {
			authorUnknown += " (" + g.Approvals.Error + ")"
		}
	}
	switch {
	case required < 1:
		reviews.unmet = append(reviews.unmet, "no approval rule for the branch requires an approval (approvals required 0)")
	case authorApproves:
		reviews.unmet = append(reviews.unmet, "merge_requests_author_approval is true (authors may approve their own merge requests)")
	default:
		s := source{name: fmt.Sprintf("%s (%d required)", by, required)}
		if len(pushers) > 0 {
			s.bypass = []string{"push_access_levels let " + strings.Join(pushers, ", ") + " push directly"}
		} else {
			s.unknown = authorUnknown
		}
		reviews.add(s)
	}
	forceReq := &requirement{name: "no force pushes"}
	if force {
		forceReq.unmet = append(forceReq.unmet, "allow_force_push is true")
	} else {
		forceReq.add(source{name: prot + " (allow_force_push false)"})
	}
	// A protected branch cannot be deleted by a push; only a maintainer
	// can, through the UI or API.
	del := &requirement{name: "no deletion", sources: []source{{name: prot}}}
	checks := &requirement{name: "pipelines must succeed"}
	if g.OnlyAllowMergeIfPipelineSucceeds {
		checks.add(source{name: "only_allow_merge_if_pipeline_succeeds true"})
	} else {
		checks.unmet = append(checks.unmet, "only_allow_merge_if_pipeline_succeeds is false")
	}
	st, msg := verdict([]*requirement{reviews, forceReq, del, checks}, errs(readErr...))
	if st == evidence.Pass && codeOwner {
		msg += "; code_owner_approval_required true"
	}
	return st, msg
}

// pusher names who a push access entry lets push directly; "" for no one.
func pusher(a forge.Access) string {
	switch {
	case a.DeployKeyID != 0:
		return fmt.Sprintf("deploy key %d", a.DeployKeyID)
	case a.UserID != 0:
		return fmt.Sprintf("user %d", a.UserID)
	case a.GroupID != 0:
		return fmt.Sprintf("group %d", a.GroupID)
	case a.Level > 0:
		return fmt.Sprintf("%s (%d)", nonEmpty(a.Description, "access level"), a.Level)
	}
	return ""
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
