package forge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"
)

// collectGitLab reads the project, then its protected branches, approval
// settings and push rule; a part the token cannot read records its own
// error and the rest go on.
func (c *Collector) collectGitLab(ctx context.Context, hc *http.Client, rec *recorder, s *Settings) {
	opts := []gitlab.ClientOptionFunc{
		gitlab.WithHTTPClient(hc),
		gitlab.WithCustomRetryMax(maxAttempts - 1),
		gitlab.WithCustomRetry(c.glCheckRetry),
		gitlab.WithCustomBackoff(c.glBackoff),
	}
	if c.cfg.BaseURL != "" {
		opts = append(opts, gitlab.WithBaseURL(c.cfg.BaseURL))
	}
	gl, err := gitlab.NewClient(c.token, opts...)
	if err != nil {
		s.State, s.Reason = StateUnavailable, "GitLab client: "+err.Error()
		return
	}
	pid := c.cfg.Repository
	ro := gitlab.WithContext(ctx)
	project, resp, err := gl.Projects.GetProject(pid, nil, ro)
	if err != nil || project == nil {
		s.State, s.Reason = StateUnavailable, "project "+pid+": "+describeGitLab(err)
		return
	}
	s.State = StateCollected
	s.DefaultBranch = project.DefaultBranch
	if s.Branch == "" {
		s.Branch = s.DefaultBranch
	}
	g := &GitLab{
		ProjectID: project.ID, Visibility: string(project.Visibility), Archived: project.Archived,
		OnlyAllowMergeIfPipelineSucceeds: project.OnlyAllowMergeIfPipelineSucceeds,
	}
	if resp != nil && resp.Request != nil {
		g.SecretPushProtection = secretPushProtection(rec.body(resp.Request.URL.Redacted()))
	}
	s.GitLab = g
	g.ProtectedBranches = c.glProtected(ctx, gl, pid, s.Branch)
	g.Approvals = glApprovals(ctx, gl, pid)
	g.ApprovalRules = c.glApprovalRules(ctx, gl, pid, s.Branch)
	g.PushRules = glPushRules(ctx, gl, pid)
}

// secretPushProtection reads secret_push_protection_enabled (GitLab 17.x
// renamed pre_receive_secret_detection_enabled to it) from the raw project.
func secretPushProtection(body []byte) *bool {
	var p struct {
		New *bool `json:"secret_push_protection_enabled"`
		Old *bool `json:"pre_receive_secret_detection_enabled"`
	}
	if json.Unmarshal(body, &p) != nil {
		return nil
	}
	if p.New != nil {
		return p.New
	}
	return p.Old
}

func (c *Collector) glProtected(ctx context.Context, gl *gitlab.Client, pid, branch string) *ProtectedBranches {
	out := &ProtectedBranches{}
	opt := &gitlab.ListProtectedBranchesOptions{ListOptions: gitlab.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		list, resp, err := gl.ProtectedBranches.ListProtectedBranches(pid, opt, gitlab.WithContext(ctx))
		if err != nil {
			return &ProtectedBranches{Error: "protected branches: " + describeGitLab(err)}
		}
		for _, pb := range list {
			if pb == nil {
				continue
			}
			out.Total++
			if branch != "" && wildcardMatch(pb.Name, branch) {
				out.Matching = append(out.Matching, ProtectedBranch{
					Name: pb.Name, PushAccess: accesses(pb.PushAccessLevels), MergeAccess: accesses(pb.MergeAccessLevels),
					AllowForcePush: pb.AllowForcePush, CodeOwnerApprovalRequired: pb.CodeOwnerApprovalRequired,
				})
			}
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out
}

func accesses(in []*gitlab.BranchAccessDescription) []Access {
	var out []Access
	for _, a := range in {
		if a == nil {
			continue
		}
		out = append(out, Access{Level: int(a.AccessLevel), Description: a.AccessLevelDescription, UserID: a.UserID, GroupID: a.GroupID, DeployKeyID: a.DeployKeyID})
	}
	return out
}

// wildcardMatch matches a GitLab protected branch name, where * stands for
// any run of characters (slashes included).
func wildcardMatch(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	rest := name[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(rest, parts[i])
		if j < 0 {
			return false
		}
		rest = rest[j+len(parts[i]):]
	}
	return strings.HasSuffix(rest, parts[len(parts)-1])
}

func glApprovals(ctx context.Context, gl *gitlab.Client, pid string) *Approvals {
	a, _, err := gl.Projects.GetApprovalConfiguration(pid, gitlab.WithContext(ctx))
	if err != nil || a == nil {
		return &Approvals{Error: "merge request approval configuration: " + describeGitLab(err)}
	}
	return &Approvals{
		//lint:ignore SA1019 the legacy project-wide approval count still applies where no approval rule is set
		ApprovalsBeforeMerge:                      a.ApprovalsBeforeMerge,
		ResetApprovalsOnPush:                      a.ResetApprovalsOnPush,
		MergeRequestsAuthorApproval:               a.MergeRequestsAuthorApproval,
		MergeRequestsDisableCommittersApproval:    a.MergeRequestsDisableCommittersApproval,
		DisableOverridingApproversPerMergeRequest: a.DisableOverridingApproversPerMergeRequest,
		RequirePasswordToApprove:                  a.RequirePasswordToApprove,
	}
}

func (c *Collector) glApprovalRules(ctx context.Context, gl *gitlab.Client, pid, branch string) *ApprovalRules {
	out := &ApprovalRules{}
	opt := &gitlab.GetProjectApprovalRulesListsOptions{ListOptions: gitlab.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		list, resp, err := gl.Projects.GetProjectApprovalRules(pid, opt, gitlab.WithContext(ctx))
		if err != nil {
			return &ApprovalRules{Error: "approval rules: " + describeGitLab(err)}
		}
		for _, r := range list {
			if r == nil {
				continue
			}
			out.Rules = append(out.Rules, ApprovalRule{
				ID: r.ID, Name: r.Name, RuleType: r.RuleType, ApprovalsRequired: r.ApprovalsRequired,
				AppliesToBranch: ruleApplies(r, branch),
			})
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out
}

// ruleApplies: a rule scoped to no branch applies to all; a rule for all
// protected branches or naming one that matches applies to the branch.
func ruleApplies(r *gitlab.ProjectApprovalRule, branch string) bool {
	if r.AppliesToAllProtectedBranches || len(r.ProtectedBranches) == 0 {
		return true
	}
	for _, pb := range r.ProtectedBranches {
		if pb != nil && wildcardMatch(pb.Name, branch) {
			return true
		}
	}
	return false
}

func glPushRules(ctx context.Context, gl *gitlab.Client, pid string) *PushRules {
	p, _, err := gl.Projects.GetProjectPushRules(pid, gitlab.WithContext(ctx))
	switch {
	case errors.Is(err, gitlab.ErrNotFound):
		return &PushRules{Configured: false}
	case err != nil:
		return &PushRules{Error: "push rules: " + describeGitLab(err)}
	case p == nil:
		return &PushRules{Configured: false}
	}
	return &PushRules{
		Configured: true, RejectUnsignedCommits: p.RejectUnsignedCommits, MemberCheck: p.MemberCheck,
		PreventSecrets: p.PreventSecrets, CommitCommitterCheck: p.CommitCommitterCheck,
		DenyDeleteTag: p.DenyDeleteTag, RejectNonDCOCommits: p.RejectNonDCOCommits,
	}
}

// glCheckRetry retries 429 and 5xx answers while the wait they ask for is
// within maxWait; a longer wait returns the answer, whose status becomes
// the recorded reason.
func (c *Collector) glCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil || resp == nil {
		return false, nil
	}
	if resp.StatusCode == http.StatusTooManyRequests || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented) {
		return headerWait(resp, "RateLimit-Reset", time.Now()) <= c.maxWait, nil
	}
	return false, nil
}

func (c *Collector) glBackoff(_, _ time.Duration, attempt int, resp *http.Response) time.Duration {
	d := headerWait(resp, "RateLimit-Reset", time.Now())
	if d < 100*time.Millisecond {
		d = time.Duration(100*(attempt+1)) * time.Millisecond
	}
	return min(d, c.maxWait)
}

// headerWait is the wait an answer asks for: Retry-After seconds, or until
// the Unix time in the reset header.
func headerWait(resp *http.Response, reset string, now time.Time) time.Duration {
	if resp == nil {
		return 0
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && n < math.MaxInt32 {
			return time.Duration(n) * time.Second
		}
	}
	if v := resp.Header.Get(reset); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<40 {
			if d := time.Unix(n, 0).Sub(now); d > 0 {
				return d
			}
		}
	}
	return 0
}

// describeGitLab turns an API error into one line naming the cause.
func describeGitLab(err error) string {
	if err == nil {
		return "empty response"
	}
	var er *gitlab.ErrorResponse
	switch {
	case errors.Is(err, gitlab.ErrNotFound):
		return "HTTP 404 Not Found (not found, or not visible to the token)"
	case errors.As(err, &er):
		code := status(er.Response)
		msg := fmt.Sprintf("HTTP %d %s", code, strings.TrimSpace(er.Message))
		switch code {
		case http.StatusUnauthorized:
			msg += " (the token was refused)"
		case http.StatusForbidden:
			msg += " (the token lacks the permission this endpoint needs)"
		case http.StatusTooManyRequests:
			msg = "GitLab API rate limit exceeded (" + msg
			if er.Response != nil {
				if v := er.Response.Header.Get("RateLimit-Reset"); v != "" {
					if n, err := strconv.ParseInt(v, 10, 64); err == nil {
						msg += ", resets at " + time.Unix(n, 0).UTC().Format(time.RFC3339)
					}
				}
			}
			msg += ")"
		}
		return msg
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err.Error()
	}
	return "request failed: " + err.Error()
}
