package forgechecks

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

func ptr[T any](v T) *T { return &v }

// gh is a fully hardened GitHub repository; mutate it per case.
func gh(mut func(g *forge.GitHub)) *forge.Settings {
	g := &forge.GitHub{
		Owner: "acme", OwnerType: "Organization",
		Protection: &forge.Protection{
			Enabled: true, RequiredReviews: true, RequiredApprovingReviewCount: 1,
			RequiredSignatures: ptr(true), StatusChecks: &forge.StatusChecks{Strict: true, Contexts: []string{"ci"}},
			EnforceAdmins: true,
		},
		Rules: &forge.Rules{},
		Actions: &forge.Actions{
			Enabled: ptr(true), AllowedActions: "local_only",
			DefaultWorkflowPermissions: "read", CanApprovePullRequestReviews: ptr(false),
		},
		Security: &forge.Security{SecretScanning: "enabled", PushProtection: "enabled"},
	}
	if mut != nil {
		mut(g)
	}
	return &forge.Settings{Provider: "github", Repository: "acme/widget", Branch: "main", State: forge.StateCollected, GitHub: g}
}

// rulesets gives a GitHub repository every rule from one ruleset (id 7)
// with the given bypass actors.
func rulesets(g *forge.GitHub, known bool, actors ...forge.BypassActor) {
	ref := forge.RuleRef{RulesetID: 7, Source: "acme/widget", SourceType: "Repository"}
	g.Rules = &forge.Rules{
		PullRequest:          []forge.PullRequestRule{{RuleRef: ref, RequiredApprovingReviewCount: 1}},
		RequiredSignatures:   []forge.RuleRef{ref},
		NonFastForward:       []forge.RuleRef{ref},
		Deletion:             []forge.RuleRef{ref},
		RequiredStatusChecks: []forge.StatusChecksRule{{RuleRef: ref, Contexts: []string{"build"}}},
		Rulesets:             []forge.Ruleset{{ID: 7, Name: "main", Enforcement: "active", BypassKnown: known, BypassActors: actors}},
	}
}

// gl is a fully hardened GitLab project; mutate it per case.
func gl(mut func(g *forge.GitLab)) *forge.Settings {
	g := &forge.GitLab{
		ProjectID: 3, OnlyAllowMergeIfPipelineSucceeds: true, SecretPushProtection: ptr(true),
		ProtectedBranches: &forge.ProtectedBranches{Total: 1, Matching: []forge.ProtectedBranch{{
			Name: "main", PushAccess: []forge.Access{{Level: 0, Description: "No one"}},
			MergeAccess: []forge.Access{{Level: 30, Description: "Developers + Maintainers"}},
		}}},
		Approvals:     &forge.Approvals{ResetApprovalsOnPush: true},
		ApprovalRules: &forge.ApprovalRules{Rules: []forge.ApprovalRule{{ID: 1, Name: "team", RuleType: "regular", ApprovalsRequired: 1, AppliesToBranch: true}}},
		PushRules:     &forge.PushRules{Configured: true, RejectUnsignedCommits: true, MemberCheck: true, PreventSecrets: true},
	}
	if mut != nil {
		mut(g)
	}
	return &forge.Settings{Provider: "gitlab", Repository: "acme/widget", Branch: "main", State: forge.StateCollected, GitLab: g}
}

type tcase struct {
	name string
	s    *forge.Settings
	want evidence.Status
	msg  []string
}

func run(t *testing.T, c controls.Check, tests []tcase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := []evidence.Evidence{{ID: "ev-1", Kind: forge.KindSettings, Subject: evidence.Subject{Type: "repository", Ref: "https://example/acme/widget"}, Payload: tt.s}}
			fs := c.Run(ev)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.Status != tt.want {
				t.Errorf("status %s, want %s: %s", f.Status, tt.want, f.Message)
			}
			for _, m := range tt.msg {
				if !strings.Contains(f.Message, m) {
					t.Errorf("message %q lacks %q", f.Message, m)
				}
			}
			if len(f.Evidence) != 1 || f.Evidence[0] != "ev-1" || len(f.Subjects) != 1 {
				t.Errorf("finding evidence %v subjects %v", f.Evidence, f.Subjects)
			}
			if f.Status == evidence.Fail && f.Severity != c.Severity {
				t.Errorf("severity %s, want %s", f.Severity, c.Severity)
			}
		})
	}
}

func TestBranchProtection(t *testing.T) {
	run(t, NewBranchProtection(), []tcase{
		{"github hardened", gh(nil), evidence.Pass, []string{"pull request reviews by branch protection (required_approving_review_count 1)",
			"no force pushes by branch protection (allow_force_pushes false)", "required status checks by branch protection (required_status_checks ci)", "enforce_admins true"}},
		{"github admins exempt", gh(func(g *forge.GitHub) { g.Protection.EnforceAdmins = false }), evidence.Fail,
			[]string{"can be bypassed", "admins (enforce_admins false)"}},
		{"github review bypass allowance", gh(func(g *forge.GitHub) { g.Protection.ReviewBypass = []string{"user:octocat"} }), evidence.Fail,
			[]string{"user:octocat"}},
		{"github zero approvals", gh(func(g *forge.GitHub) { g.Protection.RequiredApprovingReviewCount = 0 }), evidence.Fail,
			[]string{"required_approving_review_count is 0 (want at least 1)", "no ruleset has a pull_request rule"}},
		{"github force pushes", gh(func(g *forge.GitHub) { g.Protection.AllowForcePushes = true }), evidence.Fail,
			[]string{"allow_force_pushes is true"}},
		{"github deletions", gh(func(g *forge.GitHub) { g.Protection.AllowDeletions = true }), evidence.Fail, []string{"allow_deletions is true"}},
		{"github no status checks", gh(func(g *forge.GitHub) { g.Protection.StatusChecks = nil }), evidence.Fail,
			[]string{"required_status_checks is not set"}},
		{"github empty status checks", gh(func(g *forge.GitHub) { g.Protection.StatusChecks.Contexts = nil }), evidence.Fail,
			[]string{"required_status_checks lists no checks"}},
		{"github not protected", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{} }), evidence.Fail,
			[]string{"the branch is not protected and no active ruleset applies to it"}},
		{"github not protected, one ruleset rule", gh(func(g *forge.GitHub) {
			g.Protection = &forge.Protection{}
			g.Rules = &forge.Rules{Deletion: []forge.RuleRef{{RulesetID: 7}}, Rulesets: []forge.Ruleset{{ID: 7, BypassKnown: true}}}
		}), evidence.Fail, []string{"the branch is not protected and no ruleset has a pull_request rule", "the branch is not protected and no ruleset has a non_fast_forward rule"}},
		{"github rulesets alone, no bypass", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{}; rulesets(g, true) }), evidence.Pass,
			[]string{`pull request reviews by ruleset 7 "main" (pull_request required_approving_review_count 1)`, `ruleset 7 "main" (non_fast_forward)`}},
		{"github rulesets with a bypass actor", gh(func(g *forge.GitHub) {
			g.Protection = &forge.Protection{}
			rulesets(g, true, forge.BypassActor{Type: "RepositoryRole", ID: 5, Mode: "always"})
		}), evidence.Fail, []string{"RepositoryRole 5 (always)"}},
		{"github ruleset bypass unknown", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{}; rulesets(g, false) }), evidence.NotAssessed,
			[]string{"bypass actors not returned"}},
		{"github protection unreadable, no rules", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{Error: "HTTP 403 Forbidden"} }), evidence.NotAssessed,
			[]string{"cannot decide", "HTTP 403 Forbidden"}},
		{"github protection unreadable, rules suffice", gh(func(g *forge.GitHub) {
			g.Protection = &forge.Protection{Error: "HTTP 403 Forbidden"}
			rulesets(g, true)
		}), evidence.Pass, nil},
		{"github rules unreadable but protection meets all", gh(func(g *forge.GitHub) { g.Rules = &forge.Rules{Error: "HTTP 500"} }), evidence.Pass, nil},
		{"github both unreadable", gh(func(g *forge.GitHub) { g.Protection, g.Rules = nil, nil }), evidence.NotAssessed, []string{"not recorded"}},
		{"gitlab hardened", gl(nil), evidence.Pass, []string{`approval rule "team" (1 required)`, "allow_force_push false"}},
		{"gitlab not protected", gl(func(g *forge.GitLab) { g.ProtectedBranches.Matching = nil }), evidence.Fail,
			[]string{"not protected (1 protected branch rules, none matches)"}},
		{"gitlab maintainers push", gl(func(g *forge.GitLab) {
			g.ProtectedBranches.Matching[0].PushAccess = []forge.Access{{Level: 40, Description: "Maintainers"}}
		}), evidence.Fail, []string{"push_access_levels let Maintainers (40) push directly"}},
		{"gitlab deploy key push", gl(func(g *forge.GitLab) {
			g.ProtectedBranches.Matching[0].PushAccess = []forge.Access{{Level: 40, DeployKeyID: 9}}
		}), evidence.Fail, []string{"deploy key 9"}},
		{"gitlab force push", gl(func(g *forge.GitLab) { g.ProtectedBranches.Matching[0].AllowForcePush = true }), evidence.Fail,
			[]string{"allow_force_push is true"}},
		{"gitlab author approval", gl(func(g *forge.GitLab) { g.Approvals.MergeRequestsAuthorApproval = true }), evidence.Fail,
			[]string{"merge_requests_author_approval is true"}},
		{"gitlab no approvals", gl(func(g *forge.GitLab) { g.ApprovalRules.Rules = nil }), evidence.Fail, []string{"approvals required 0"}},
		{"gitlab legacy approvals_before_merge", gl(func(g *forge.GitLab) { g.ApprovalRules.Rules = nil; g.Approvals.ApprovalsBeforeMerge = 2 }), evidence.Pass,
			[]string{"approvals_before_merge (2 required)"}},
		{"gitlab rule for another branch", gl(func(g *forge.GitLab) { g.ApprovalRules.Rules[0].AppliesToBranch = false }), evidence.Fail, nil},
		{"gitlab report approver does not count", gl(func(g *forge.GitLab) { g.ApprovalRules.Rules[0].RuleType = "report_approver" }), evidence.Fail, nil},
		{"gitlab pipelines need not succeed", gl(func(g *forge.GitLab) { g.OnlyAllowMergeIfPipelineSucceeds = false }), evidence.Fail,
			[]string{"only_allow_merge_if_pipeline_succeeds is false"}},
		{"gitlab protected branches unreadable", gl(func(g *forge.GitLab) { g.ProtectedBranches = &forge.ProtectedBranches{Error: "HTTP 403"} }), evidence.NotAssessed,
			[]string{"HTTP 403"}},
		{"gitlab approvals unreadable", gl(func(g *forge.GitLab) { g.Approvals = &forge.Approvals{Error: "HTTP 429"} }), evidence.NotAssessed,
			[]string{"merge_requests_author_approval unknown (HTTP 429)"}},
		{"gitlab approvals and rules unreadable", gl(func(g *forge.GitLab) {
			g.Approvals = &forge.Approvals{Error: "HTTP 403 a"}
			g.ApprovalRules = &forge.ApprovalRules{Error: "HTTP 403 b"}
		}), evidence.NotAssessed, []string{"HTTP 403 a", "HTTP 403 b"}},
	})
}

func TestSignedCommitsRequired(t *testing.T) {
	run(t, NewSignedCommitsRequired(), []tcase{
		{"github protection", gh(nil), evidence.Pass, []string{"branch protection required_signatures true"}},
		{"github protection, admins exempt", gh(func(g *forge.GitHub) { g.Protection.EnforceAdmins = false }), evidence.Pass, []string{"admins may bypass"}},
		{"github ruleset", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{}; rulesets(g, true) }), evidence.Pass,
			[]string{`ruleset 7 "main" required_signatures rule`}},
		{"github off", gh(func(g *forge.GitHub) { g.Protection.RequiredSignatures = ptr(false) }), evidence.Fail,
			[]string{"required_signatures is false and no active ruleset has a required_signatures rule"}},
		{"github not reported", gh(func(g *forge.GitHub) { g.Protection.RequiredSignatures = nil }), evidence.Fail, []string{"does not report"}},
		{"github protection unreadable", gh(func(g *forge.GitHub) { g.Protection = &forge.Protection{Error: "HTTP 403 x"} }), evidence.NotAssessed,
			[]string{"HTTP 403 x", "no active ruleset"}},
		{"gitlab on", gl(nil), evidence.Pass, []string{"reject_unsigned_commits true", "member_check true"}},
		{"gitlab off", gl(func(g *forge.GitLab) { g.PushRules.RejectUnsignedCommits = false }), evidence.Fail, []string{"reject_unsigned_commits is false"}},
		{"gitlab no push rule", gl(func(g *forge.GitLab) { g.PushRules = &forge.PushRules{} }), evidence.Fail, []string{"no push rule"}},
		{"gitlab unreadable", gl(func(g *forge.GitLab) { g.PushRules = &forge.PushRules{Error: "push rules: HTTP 403"} }), evidence.NotAssessed, []string{"HTTP 403"}},
	})
}

func TestActionsSettings(t *testing.T) {
	run(t, NewActionsSettings(), []tcase{
		{"hardened", gh(nil), evidence.Pass, []string{"allowed_actions local_only", "default_workflow_permissions read", "can_approve_pull_request_reviews false"}},
		{"selected", gh(func(g *forge.GitHub) {
			g.Actions.AllowedActions = "selected"
			g.Actions.Selected = &forge.SelectedActions{GitHubOwnedAllowed: true, Patterns: []string{"acme/*"}}
		}), evidence.Pass, []string{"allowed_actions selected (github_owned_allowed true, verified_allowed false, 1 patterns)"}},
		{"everything open", gh(func(g *forge.GitHub) {
			g.Actions.AllowedActions, g.Actions.DefaultWorkflowPermissions, g.Actions.CanApprovePullRequestReviews = "all", "write", ptr(true)
		}), evidence.Fail, []string{"allowed_actions is all", "default_workflow_permissions is write", "can_approve_pull_request_reviews is true"}},
		{"actions disabled", gh(func(g *forge.GitHub) { g.Actions.Enabled = ptr(false); g.Actions.AllowedActions = "all" }), evidence.Pass, []string{"enabled false"}},
		{"org disables actions", gh(func(g *forge.GitHub) {
			g.Actions = &forge.Actions{Error: "HTTP 403", WorkflowError: "HTTP 403"}
			g.OrgActions = &forge.Actions{EnabledRepositories: "none"}
		}), evidence.Pass, []string{"enabled_repositories none"}},
		{"organisation stands in", gh(func(g *forge.GitHub) {
			g.Actions = &forge.Actions{Error: "HTTP 403", WorkflowError: "HTTP 403"}
			g.OrgActions = &forge.Actions{EnabledRepositories: "all", AllowedActions: "selected", DefaultWorkflowPermissions: "read", CanApprovePullRequestReviews: ptr(false)}
		}), evidence.Pass, []string{"organisation allowed_actions selected", "organisation default_workflow_permissions read"}},
		{"unreadable, user-owned", gh(func(g *forge.GitHub) { g.Actions = &forge.Actions{Error: "HTTP 403 a", WorkflowError: "HTTP 403 b"} }), evidence.NotAssessed,
			[]string{"HTTP 403 a", "HTTP 403 b", "user-owned"}},
		{"write is known even when the rest is not", gh(func(g *forge.GitHub) {
			g.Actions = &forge.Actions{Error: "HTTP 403", DefaultWorkflowPermissions: "write", CanApprovePullRequestReviews: ptr(false)}
		}), evidence.Fail, []string{"repository default_workflow_permissions is write"}},
		{"approval setting not reported", gh(func(g *forge.GitHub) { g.Actions.CanApprovePullRequestReviews = nil }), evidence.NotAssessed, []string{"not reported"}},
		{"gitlab", gl(nil), evidence.NotApplicable, []string{"do not apply to a GitLab project"}},
	})
}

func TestSecretScanning(t *testing.T) {
	run(t, NewSecretScanning(), []tcase{
		{"github on", gh(nil), evidence.Pass, nil},
		{"github no push protection", gh(func(g *forge.GitHub) { g.Security.PushProtection = "disabled" }), evidence.Fail,
			[]string{"secret_scanning_push_protection is disabled"}},
		{"github nothing reported", gh(func(g *forge.GitHub) { g.Security = &forge.Security{} }), evidence.Fail,
			[]string{"secret_scanning is not reported"}},
		{"github unreadable", gh(func(g *forge.GitHub) { g.Security = &forge.Security{Error: "needs admin"} }), evidence.NotAssessed, []string{"needs admin"}},
		{"gitlab secret push protection", gl(nil), evidence.Pass, []string{"secret_push_protection_enabled true"}},
		{"gitlab prevent_secrets only", gl(func(g *forge.GitLab) { g.SecretPushProtection = ptr(false) }), evidence.Pass,
			[]string{"prevent_secrets true", "secret_push_protection_enabled is false"}},
		{"gitlab neither", gl(func(g *forge.GitLab) { g.SecretPushProtection = nil; g.PushRules.PreventSecrets = false }), evidence.Fail,
			[]string{"prevent_secrets is false"}},
		{"gitlab no push rule", gl(func(g *forge.GitLab) { g.SecretPushProtection = ptr(false); g.PushRules = &forge.PushRules{} }), evidence.Fail,
			[]string{"no push rule"}},
		{"gitlab unreadable", gl(func(g *forge.GitLab) { g.SecretPushProtection = nil; g.PushRules = &forge.PushRules{Error: "HTTP 403"} }), evidence.NotAssessed,
			[]string{"not reported", "HTTP 403"}},
	})
}

// Without the collector's data the checks never pass.
func TestStates(t *testing.T) {
	for _, c := range All() {
		run(t, c, []tcase{
			{"disabled", &forge.Settings{Provider: "github", Repository: "a/b", State: forge.StateDisabled, Reason: forge.ReasonDisabled},
				evidence.NotAssessed, []string{"github a/b: online collector not enabled (repo.online / --online)"}},
			{"unavailable", &forge.Settings{Provider: "github", State: forge.StateUnavailable, Reason: "no API token: environment variable GITHUB_TOKEN is empty or unset"},
				evidence.NotAssessed, []string{"GITHUB_TOKEN"}},
			{"unknown state", &forge.Settings{State: "weird"}, evidence.NotAssessed, []string{`"weird"`}},
			{"collected without provider data", &forge.Settings{State: forge.StateCollected}, evidence.NotAssessed, []string{"no provider settings"}},
		})
		if fs := c.Run(nil); fs != nil {
			t.Errorf("%s: findings without evidence: %v", c.ID, fs)
		}
		if fs := c.Run([]evidence.Evidence{{ID: "x", Payload: "not settings"}}); len(fs) != 0 {
			t.Errorf("%s: judged a foreign payload: %v", c.ID, fs)
		}
		if c.Pillar != controls.PillarBuild || c.Method != "EXAMINE" || len(c.Reads) != 1 || c.Reads[0] != forge.KindSettings {
			t.Errorf("%s: pillar %s method %s reads %v", c.ID, c.Pillar, c.Method, c.Reads)
		}
	}
}

// After pedigree.json the payload is generic JSON; the verdict is the same.
func TestRoundTrip(t *testing.T) {
	for _, s := range []*forge.Settings{gh(func(g *forge.GitHub) { g.Protection.EnforceAdmins = false }), gl(nil)} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var generic any
		if err := json.Unmarshal(b, &generic); err != nil {
			t.Fatal(err)
		}
		for _, c := range All() {
			a := c.Run([]evidence.Evidence{{ID: "e", Payload: s}})
			r := c.Run([]evidence.Evidence{{ID: "e", Payload: generic}})
			if len(a) != 1 || len(r) != 1 || a[0].Status != r[0].Status || a[0].Message != r[0].Message {
				t.Errorf("%s: %v vs %v", c.ID, a, r)
			}
		}
	}
}

// FuzzChecks feeds arbitrary JSON as the payload: the checks must not panic.
func FuzzChecks(f *testing.F) {
	for _, s := range []*forge.Settings{gh(nil), gl(nil), {State: forge.StateDisabled}} {
		b, _ := json.Marshal(s)
		f.Add(b)
	}
	f.Add([]byte(`{"state":"collected","github":{"rules":{"pullRequest":[{"rulesetID":1}]}}}`))
	f.Add([]byte(`{"state":"collected","gitlab":{"protectedBranches":{"matching":[{"pushAccess":[{"level":-5}]}]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var generic any
		if json.Unmarshal(b, &generic) != nil {
			return
		}
		for _, c := range All() {
			c.Run([]evidence.Evidence{{ID: "e", Payload: generic}})
		}
	})
}
