package forge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v81/github"
)

// collectGitHub reads the repository, then each group of settings; a group
// the token cannot read records its own error and the rest go on.
func (c *Collector) collectGitHub(ctx context.Context, hc *http.Client, rec *recorder, s *Settings) {
	gh := github.NewClient(hc).WithAuthToken(c.token)
	if c.cfg.BaseURL != "" {
		var err error
		if gh, err = gh.WithEnterpriseURLs(c.cfg.BaseURL, c.cfg.BaseURL); err != nil {
			s.State, s.Reason = StateUnavailable, fmt.Sprintf("repo.online.base-url %q: %v", c.cfg.BaseURL, err)
			return
		}
	}
	owner, name, _ := strings.Cut(c.cfg.Repository, "/")
	var repo *github.Repository
	err := c.ghCall(ctx, func(ctx context.Context) error {
		r, _, err := gh.Repositories.Get(ctx, owner, name)
		repo = r
		return err
	})
	if err != nil || repo == nil {
		s.State, s.Reason = StateUnavailable, "repository "+c.cfg.Repository+": "+describeGitHub(err)
		return
	}
	s.State = StateCollected
	s.DefaultBranch = repo.GetDefaultBranch()
	if s.Branch == "" {
		s.Branch = s.DefaultBranch
	}
	g := &GitHub{Owner: owner, OwnerType: repo.GetOwner().GetType(), Visibility: repo.GetVisibility(), Archived: repo.GetArchived()}
	s.GitHub = g
	g.Security = ghSecurity(repo.SecurityAndAnalysis)
	if s.Branch == "" {
		g.Protection = &Protection{Error: "the repository has no default branch"}
		g.Rules = &Rules{Error: "the repository has no default branch"}
	} else {
		g.Protection = c.ghProtection(ctx, gh, owner, name, s.Branch)
		g.Rules = c.ghRules(ctx, gh, owner, name, s.Branch)
	}
	g.Actions = c.ghRepoActions(ctx, gh, owner, name)
	if g.OwnerType == "Organization" {
		g.OrgActions = c.ghOrgActions(ctx, gh, owner)
	}
}

func ghSecurity(sa *github.SecurityAndAnalysis) *Security {
	if sa == nil {
		return &Security{Error: "the repository response has no security_and_analysis (GitHub returns it only to tokens with admin access to the repository)"}
	}
	out := &Security{}
	if sa.SecretScanning != nil {
		out.SecretScanning = sa.SecretScanning.GetStatus()
	}
	if sa.SecretScanningPushProtection != nil {
		out.PushProtection = sa.SecretScanningPushProtection.GetStatus()
	}
	if sa.AdvancedSecurity != nil {
		out.AdvancedSecurity = sa.AdvancedSecurity.GetStatus()
	}
	return out
}

func (c *Collector) ghProtection(ctx context.Context, gh *github.Client, owner, name, branch string) *Protection {
	var p *github.Protection
	err := c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Repositories.GetBranchProtection(ctx, owner, name, branch)
		p = x
		return err
	})
	switch {
	case errors.Is(err, github.ErrBranchNotProtected):
		return &Protection{Enabled: false}
	case err != nil:
		return &Protection{Error: "branch protection of " + branch + ": " + describeGitHub(err)}
	case p == nil:
		return &Protection{Error: "branch protection of " + branch + ": empty response"}
	}
	out := &Protection{Enabled: true}
	if r := p.RequiredPullRequestReviews; r != nil {
		out.RequiredReviews = true
		out.RequiredApprovingReviewCount = r.RequiredApprovingReviewCount
		out.DismissStaleReviews = r.DismissStaleReviews
		out.RequireCodeOwnerReviews = r.RequireCodeOwnerReviews
		out.RequireLastPushApproval = r.RequireLastPushApproval
		if b := r.BypassPullRequestAllowances; b != nil {
			for _, u := range b.Users {
				out.ReviewBypass = append(out.ReviewBypass, "user:"+u.GetLogin())
			}
			for _, t := range b.Teams {
				out.ReviewBypass = append(out.ReviewBypass, "team:"+t.GetSlug())
			}
			for _, a := range b.Apps {
				out.ReviewBypass = append(out.ReviewBypass, "app:"+a.GetSlug())
			}
		}
	}
	if rs := p.RequiredSignatures; rs != nil && rs.Enabled != nil {
		v := *rs.Enabled
		out.RequiredSignatures = &v
	}
	if p.AllowForcePushes != nil {
		out.AllowForcePushes = p.AllowForcePushes.Enabled
	}
	if p.AllowDeletions != nil {
		out.AllowDeletions = p.AllowDeletions.Enabled
	}
	if sc := p.RequiredStatusChecks; sc != nil {
		st := &StatusChecks{Strict: sc.Strict, Contexts: []string{}}
		if sc.Checks != nil {
			for _, ch := range *sc.Checks {
				if ch != nil {
					st.Contexts = append(st.Contexts, ch.Context)
				}
			}
		} else if sc.Contexts != nil {
			st.Contexts = append(st.Contexts, *sc.Contexts...)
		}
		out.StatusChecks = st
	}
	if p.EnforceAdmins != nil {
		out.EnforceAdmins = p.EnforceAdmins.Enabled
	}
	return out
}

func ruleRef(m github.BranchRuleMetadata) RuleRef {
	return RuleRef{RulesetID: m.RulesetID, Source: m.RulesetSource, SourceType: string(m.RulesetSourceType)}
}

// ghRules reads every page of the rules applying to the branch, then the
// rulesets they come from (for their bypass actors).
func (c *Collector) ghRules(ctx context.Context, gh *github.Client, owner, name, branch string) *Rules {
	out := &Rules{}
	ids := map[int64]bool{}
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		var br *github.BranchRules
		var resp *github.Response
		err := c.ghCall(ctx, func(ctx context.Context) error {
			b, r, err := gh.Repositories.GetRulesForBranch(ctx, owner, name, branch, opts)
			br, resp = b, r
			return err
		})
		if err != nil {
			return &Rules{Error: "rules for branch " + branch + ": " + describeGitHub(err)}
		}
		if br != nil {
			for _, r := range br.PullRequest {
				if r == nil {
					continue
				}
				ids[r.RulesetID] = true
				out.PullRequest = append(out.PullRequest, PullRequestRule{
					RuleRef:                      ruleRef(r.BranchRuleMetadata),
					RequiredApprovingReviewCount: r.Parameters.RequiredApprovingReviewCount,
					DismissStaleReviewsOnPush:    r.Parameters.DismissStaleReviewsOnPush,
					RequireCodeOwnerReview:       r.Parameters.RequireCodeOwnerReview,
					RequireLastPushApproval:      r.Parameters.RequireLastPushApproval,
				})
			}
			for _, r := range br.RequiredStatusChecks {
				if r == nil {
					continue
				}
				ids[r.RulesetID] = true
				sr := StatusChecksRule{RuleRef: ruleRef(r.BranchRuleMetadata), Strict: r.Parameters.StrictRequiredStatusChecksPolicy, Contexts: []string{}}
				for _, ch := range r.Parameters.RequiredStatusChecks {
					if ch != nil {
						sr.Contexts = append(sr.Contexts, ch.Context)
					}
				}
				out.RequiredStatusChecks = append(out.RequiredStatusChecks, sr)
			}
			for _, set := range []struct {
				from []*github.BranchRuleMetadata
				to   *[]RuleRef
			}{
				{br.RequiredSignatures, &out.RequiredSignatures},
				{br.NonFastForward, &out.NonFastForward},
				{br.Deletion, &out.Deletion},
			} {
				for _, m := range set.from {
					if m != nil {
						ids[m.RulesetID] = true
						*set.to = append(*set.to, ruleRef(*m))
					}
				}
			}
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	sorted := make([]int64, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for _, id := range sorted {
		out.Rulesets = append(out.Rulesets, c.ghRuleset(ctx, gh, owner, name, id))
	}
	return out
}

func (c *Collector) ghRuleset(ctx context.Context, gh *github.Client, owner, name string, id int64) Ruleset {
	var rs *github.RepositoryRuleset
	err := c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Repositories.GetRuleset(ctx, owner, name, id, true)
		rs = x
		return err
	})
	if err != nil || rs == nil {
		return Ruleset{ID: id, Error: fmt.Sprintf("ruleset %d: %s", id, describeGitHub(err))}
	}
	out := Ruleset{ID: id, Name: rs.Name, Source: rs.Source, Enforcement: string(rs.Enforcement)}
	if rs.SourceType != nil {
		out.SourceType = string(*rs.SourceType)
	}
	if rs.BypassActors != nil {
		out.BypassKnown = true
		for _, a := range rs.BypassActors {
			if a == nil {
				continue
			}
			ba := BypassActor{ID: a.GetActorID()}
			if a.ActorType != nil {
				ba.Type = string(*a.ActorType)
			}
			if a.BypassMode != nil {
				ba.Mode = string(*a.BypassMode)
			}
			out.BypassActors = append(out.BypassActors, ba)
		}
	}
	return out
}

func (c *Collector) ghRepoActions(ctx context.Context, gh *github.Client, owner, name string) *Actions {
	out := &Actions{}
	var perm *github.ActionsPermissionsRepository
	err := c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Repositories.GetActionsPermissions(ctx, owner, name)
		perm = x
		return err
	})
	if err != nil || perm == nil {
		out.Error = "repository Actions permissions: " + describeGitHub(err)
	} else {
		out.Enabled = perm.Enabled
		out.AllowedActions = perm.GetAllowedActions()
		out.SHAPinningRequired = perm.SHAPinningRequired
		if out.AllowedActions == "selected" {
			var sel *github.ActionsAllowed
			err := c.ghCall(ctx, func(ctx context.Context) error {
				x, _, err := gh.Repositories.GetActionsAllowed(ctx, owner, name)
				sel = x
				return err
			})
			out.Selected = selected(sel, err, "repository selected actions")
		}
	}
	var wf *github.DefaultWorkflowPermissionRepository
	err = c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Repositories.GetDefaultWorkflowPermissions(ctx, owner, name)
		wf = x
		return err
	})
	if err != nil || wf == nil {
		out.WorkflowError = "repository default workflow permissions: " + describeGitHub(err)
	} else {
		out.DefaultWorkflowPermissions = wf.GetDefaultWorkflowPermissions()
		out.CanApprovePullRequestReviews = wf.CanApprovePullRequestReviews
	}
	return out
}

func (c *Collector) ghOrgActions(ctx context.Context, gh *github.Client, org string) *Actions {
	out := &Actions{}
	var perm *github.ActionsPermissions
	err := c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Actions.GetActionsPermissions(ctx, org)
		perm = x
		return err
	})
	if err != nil || perm == nil {
		out.Error = "organisation " + org + " Actions permissions: " + describeGitHub(err)
	} else {
		out.EnabledRepositories = perm.GetEnabledRepositories()
		out.AllowedActions = perm.GetAllowedActions()
		out.SHAPinningRequired = perm.SHAPinningRequired
		if out.AllowedActions == "selected" {
			var sel *github.ActionsAllowed
			err := c.ghCall(ctx, func(ctx context.Context) error {
				x, _, err := gh.Actions.GetActionsAllowed(ctx, org)
				sel = x
				return err
			})
			out.Selected = selected(sel, err, "organisation selected actions")
		}
	}
	var wf *github.DefaultWorkflowPermissionOrganization
	err = c.ghCall(ctx, func(ctx context.Context) error {
		x, _, err := gh.Actions.GetDefaultWorkflowPermissionsInOrganization(ctx, org)
		wf = x
		return err
	})
	if err != nil || wf == nil {
		out.WorkflowError = "organisation " + org + " default workflow permissions: " + describeGitHub(err)
	} else {
		out.DefaultWorkflowPermissions = wf.GetDefaultWorkflowPermissions()
		out.CanApprovePullRequestReviews = wf.CanApprovePullRequestReviews
	}
	return out
}

func selected(sel *github.ActionsAllowed, err error, what string) *SelectedActions {
	if err != nil || sel == nil {
		return &SelectedActions{Error: what + ": " + describeGitHub(err)}
	}
	return &SelectedActions{GitHubOwnedAllowed: sel.GetGithubOwnedAllowed(), VerifiedAllowed: sel.GetVerifiedAllowed(), Patterns: sel.PatternsAllowed}
}

// ghCall runs one request, waiting out a rate limit when the reset is
// within maxWait, at most maxAttempts times. The wait honours ctx.
func (c *Collector) ghCall(ctx context.Context, do func(ctx context.Context) error) error {
	cctx := ctx
	for attempt := 1; ; attempt++ {
		err := do(cctx)
		if err == nil || ctx.Err() != nil {
			return err
		}
		wait, limited := ghWait(err)
		if !limited || attempt >= maxAttempts || wait > c.maxWait {
			return err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return serr
		}
		// The client remembers the limit it saw and would refuse the retry
		// locally; the wait asked for has passed, so ask the server.
		cctx = context.WithValue(ctx, github.BypassRateLimitCheck, true)
	}
}

// ghWait says how long a rate-limit error asks to wait.
func ghWait(err error) (time.Duration, bool) {
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &rl):
		d := time.Until(rl.Rate.Reset.Time) + time.Second
		if d < time.Second {
			d = time.Second
		}
		return d, true
	case errors.As(err, &ab):
		if ab.RetryAfter != nil {
			return *ab.RetryAfter, true
		}
		return time.Minute, true
	case errors.As(err, &er) && status(er.Response) == http.StatusTooManyRequests:
		// GitHub also answers 429 with Retry-After or X-RateLimit-Reset.
		if d := headerWait(er.Response, "X-RateLimit-Reset", time.Now()); d > 0 {
			return d, true
		}
		return time.Minute, true
	}
	return 0, false
}

// describeGitHub turns an API error into one line naming the cause: the
// HTTP status and GitHub's message, or the rate limit and when it resets.
func describeGitHub(err error) string {
	if err == nil {
		return "empty response"
	}
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &rl):
		return fmt.Sprintf("GitHub API rate limit exceeded (HTTP %d, limit %d, remaining %d, resets at %s)",
			status(rl.Response), rl.Rate.Limit, rl.Rate.Remaining, rl.Rate.Reset.UTC().Format(time.RFC3339))
	case errors.As(err, &ab):
		msg := fmt.Sprintf("GitHub secondary rate limit (HTTP %d: %s", status(ab.Response), ab.Message)
		if ab.RetryAfter != nil {
			msg += fmt.Sprintf("; Retry-After %s", *ab.RetryAfter)
		}
		return msg + ")"
	case errors.As(err, &er):
		code := status(er.Response)
		msg := fmt.Sprintf("HTTP %d %s", code, er.Message)
		switch code {
		case http.StatusUnauthorized:
			msg += " (the token was refused)"
		case http.StatusForbidden:
			msg += " (the token lacks the permission this endpoint needs)"
		case http.StatusNotFound:
			msg += " (not found, or not visible to the token)"
		case http.StatusTooManyRequests:
			msg = "GitHub API rate limit exceeded (" + msg + ")"
		}
		return msg
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err.Error()
	}
	return "request failed: " + err.Error()
}

func status(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}
