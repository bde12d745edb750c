package forge_test

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// The project path is URL-encoded into one path segment.
const glProject = "/api/v4/projects/acme%2Fplatform%2Fwidget"

func glConfig(base string) config.RepoOnline {
	return config.RepoOnline{Enabled: true, Provider: "gitlab", Repository: "acme/platform/widget", BaseURL: base}
}

func hardenedGitLab() map[string][]reply {
	return map[string][]reply{
		glProject: ok("gitlab/project.json"),
		glProject + "/protected_branches": {{status: 200, file: "gitlab/protected_branches_p1.json", header: map[string]string{
			"X-Page": "1", "X-Per-Page": "100", "X-Next-Page": "2", "X-Total": "2", "X-Total-Pages": "2",
			"Link": `<{{base}}/api/v4/projects/acme%2Fplatform%2Fwidget/protected_branches?page=2&per_page=100>; rel="next", <{{base}}/api/v4/projects/acme%2Fplatform%2Fwidget/protected_branches?page=2&per_page=100>; rel="last"`,
		}}},
		glProject + "/protected_branches?page=2": {{status: 200, file: "gitlab/protected_branches_p2.json", header: map[string]string{
			"X-Page": "2", "X-Per-Page": "100", "X-Prev-Page": "1", "X-Total": "2", "X-Total-Pages": "2",
		}}},
		glProject + "/approvals":      ok("gitlab/approvals.json"),
		glProject + "/approval_rules": ok("gitlab/approval_rules.json"),
		glProject + "/push_rule":      ok("gitlab/push_rule.json"),
	}
}

func TestGitLabHardened(t *testing.T) {
	rp := newReplay(t, gitlabAuth, hardenedGitLab())
	c, err := forge.New(glConfig(rp.URL), testToken, rp.Client())
	if err != nil {
		t.Fatal(err)
	}
	e, s := collect(t, c, target(t, ".gitlab-ci.yml"))
	if s.State != forge.StateCollected || s.Branch != "main" {
		t.Fatalf("state %s branch %s: %s", s.State, s.Branch, s.Reason)
	}
	g := s.GitLab
	if pb := g.ProtectedBranches; pb.Total != 2 || len(pb.Matching) != 1 || pb.Matching[0].Name != "main" || pb.Matching[0].PushAccess[0].Level != 0 {
		t.Errorf("protected branches (both pages): %+v", pb)
	}
	if g.SecretPushProtection == nil || !*g.SecretPushProtection || !g.OnlyAllowMergeIfPipelineSucceeds {
		t.Errorf("project settings: %+v", g)
	}
	if r := g.ApprovalRules.Rules; len(r) != 2 || !r[0].AppliesToBranch || r[0].ApprovalsRequired != 2 {
		t.Errorf("approval rules: %+v", r)
	}
	if p := g.PushRules; !p.Configured || !p.RejectUnsignedCommits || !p.MemberCheck || !p.PreventSecrets {
		t.Errorf("push rules: %+v", p)
	}
	if len(s.Responses) != 6 || e.Source != rp.URL+"/api/v4/projects/acme%2Fplatform%2Fwidget" || e.Subject.Ref != rp.URL+"/acme/platform/widget" {
		t.Errorf("%d responses, source %s, subject %s", len(s.Responses), e.Source, e.Subject.Ref)
	}
	got := judge(t, e)
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.Pass, `approval rule "security" (2 required)`, "allow_force_push false", "only_allow_merge_if_pipeline_succeeds true")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Pass, "reject_unsigned_commits true", "member_check true")
	want(t, got, "REPO-ACTIONS-SETTINGS", evidence.NotApplicable)
	want(t, got, "REPO-SECRET-SCANNING", evidence.Pass, "secret_push_protection_enabled true")
}

// No push rule (404), a branch developers push to directly with force
// pushes allowed, authors approving their own merge requests.
func TestGitLabWeak(t *testing.T) {
	const p = "/api/v4/projects/acme%2Fgadget"
	rp := newReplay(t, gitlabAuth, map[string][]reply{
		p:                         ok("gitlab/project_weak.json"),
		p + "/protected_branches": ok("gitlab/protected_branches_weak.json"),
		p + "/approvals":          ok("gitlab/approvals_weak.json"),
		p + "/approval_rules":     ok("gitlab/empty_list.json"),
		p + "/push_rule":          {{status: 404, file: "gitlab/not_found.json"}},
	})
	cfg := glConfig(rp.URL)
	cfg.Repository = "acme/gadget"
	c, _ := forge.New(cfg, testToken, rp.Client())
	e, s := collect(t, c, target(t))
	if s.GitLab.PushRules.Configured || s.GitLab.PushRules.Error != "" {
		t.Errorf("push rules %+v", s.GitLab.PushRules)
	}
	got := judge(t, e)
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.Fail, "approvals required 0", "allow_force_push is true", "only_allow_merge_if_pipeline_succeeds is false")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Fail, "no push rule")
	want(t, got, "REPO-SECRET-SCANNING", evidence.Fail, "secret_push_protection_enabled is false", "no push rule")
}

func TestGitLabUnauthorized(t *testing.T) {
	rp := newReplay(t, gitlabAuth, map[string][]reply{
		glProject: {{status: 401, file: "gitlab/unauthorized.json"}},
	})
	c, _ := forge.New(glConfig(rp.URL), testToken, rp.Client())
	e, s := collect(t, c, target(t))
	if s.State != forge.StateUnavailable || !strings.Contains(s.Reason, "HTTP 401") || !strings.Contains(s.Reason, "401 Unauthorized") {
		t.Fatalf("state %s reason %q", s.State, s.Reason)
	}
	want(t, judge(t, e), "REPO-SIGNED-COMMITS-REQUIRED", evidence.NotAssessed, "token was refused")
}

// 429 with Retry-After inside the bound is retried; a 429 whose reset is
// beyond it is recorded as the reason.
func TestGitLabTooManyRequests(t *testing.T) {
	routes := hardenedGitLab()
	routes[glProject+"/push_rule"] = []reply{
		{status: 429, file: "gitlab/too_many_requests.json", header: map[string]string{"Retry-After": "0"}},
		{status: 200, file: "gitlab/push_rule.json"},
	}
	routes[glProject+"/approvals"] = []reply{
		{status: 429, file: "gitlab/too_many_requests.json", header: map[string]string{"Retry-After": "3600", "RateLimit-Reset": "4102444800"}},
	}
	rp := newReplay(t, gitlabAuth, routes)
	c, _ := forge.New(glConfig(rp.URL), testToken, rp.Client())
	e, s := collect(t, c, target(t))
	if !s.GitLab.PushRules.Configured || rp.count(glProject+"/push_rule") != 2 {
		t.Errorf("push rule after %d requests: %+v", rp.count(glProject+"/push_rule"), s.GitLab.PushRules)
	}
	if a := s.GitLab.Approvals; !strings.Contains(a.Error, "rate limit exceeded (HTTP 429") || !strings.Contains(a.Error, "2100-01-01T00:00:00Z") || rp.count(glProject+"/approvals") != 1 {
		t.Errorf("approvals after %d requests: %+v", rp.count(glProject+"/approvals"), a)
	}
	// The approval rule still asks for two approvals, but whether authors
	// may approve their own merge requests is unknown: not-assessed.
	got := judge(t, e)
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.NotAssessed, "merge_requests_author_approval unknown", "HTTP 429")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Pass)
}
