package forge_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls/forgechecks"
	"github.com/pedigree-dev/pedigree/evidence"
)

const ghRepo = "/api/v3/repos/acme/widget"

func ok(file string) []reply { return []reply{{status: 200, file: file}} }

// hardenedGitHub is a repository with every setting the checks want; its
// rules come in two pages.
func hardenedGitHub() map[string][]reply {
	next := `<{{base}}/api/v3/repos/acme/widget/rules/branches/main?page=2&per_page=100>; rel="next", <{{base}}/api/v3/repos/acme/widget/rules/branches/main?page=2&per_page=100>; rel="last"`
	prev := `<{{base}}/api/v3/repos/acme/widget/rules/branches/main?page=1&per_page=100>; rel="prev", <{{base}}/api/v3/repos/acme/widget/rules/branches/main?page=1&per_page=100>; rel="first"`
	return map[string][]reply{
		ghRepo:                                                   ok("github/repo.json"),
		ghRepo + "/branches/main/protection":                     ok("github/protection.json"),
		ghRepo + "/rules/branches/main":                          {{status: 200, file: "github/rules_page1.json", header: map[string]string{"Link": next}}},
		ghRepo + "/rules/branches/main?page=2":                   {{status: 200, file: "github/rules_page2.json", header: map[string]string{"Link": prev}}},
		ghRepo + "/rulesets/42":                                  ok("github/ruleset_42.json"),
		ghRepo + "/rulesets/73":                                  ok("github/ruleset_73.json"),
		ghRepo + "/actions/permissions":                          ok("github/actions_permissions.json"),
		ghRepo + "/actions/permissions/selected-actions":         ok("github/selected_actions.json"),
		ghRepo + "/actions/permissions/workflow":                 ok("github/workflow_permissions.json"),
		"/api/v3/orgs/acme/actions/permissions":                  ok("github/org_actions_permissions.json"),
		"/api/v3/orgs/acme/actions/permissions/selected-actions": ok("github/selected_actions.json"),
		"/api/v3/orgs/acme/actions/permissions/workflow":         ok("github/org_workflow_permissions.json"),
	}
}

func ghConfig(base string) config.RepoOnline {
	return config.RepoOnline{Enabled: true, Provider: "github", Repository: "acme/widget", BaseURL: base, TokenEnv: "PEDIGREE_TEST_TOKEN"}
}

// target opens a temporary directory holding the given files.
func target(t *testing.T, files ...string) *collectors.Target {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tg, err := collectors.OpenTarget("demo", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

func collect(t *testing.T, c *forge.Collector, tg *collectors.Target) (evidence.Evidence, *forge.Settings) {
	t.Helper()
	ev, err := c.Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 {
		t.Fatalf("%d evidence, want 1", len(ev))
	}
	s, ok := ev[0].Payload.(*forge.Settings)
	if !ok {
		t.Fatalf("payload %T", ev[0].Payload)
	}
	return ev[0], s
}

// judge runs every forge check over the evidence: id -> finding.
func judge(t *testing.T, ev ...evidence.Evidence) map[string]evidence.Finding {
	t.Helper()
	out := map[string]evidence.Finding{}
	for _, c := range forgechecks.All() {
		fs := c.Run(ev)
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings, want 1", c.ID, len(fs))
		}
		if len(fs[0].Evidence) != 1 || fs[0].Evidence[0] != ev[0].ID {
			t.Errorf("%s: finding names evidence %v, want %s", c.ID, fs[0].Evidence, ev[0].ID)
		}
		out[c.ID] = fs[0]
	}
	return out
}

func want(t *testing.T, got map[string]evidence.Finding, check string, st evidence.Status, substr ...string) {
	t.Helper()
	f := got[check]
	if f.Status != st {
		t.Errorf("%s: status %s, want %s: %s", check, f.Status, st, f.Message)
	}
	for _, s := range substr {
		if !strings.Contains(f.Message, s) {
			t.Errorf("%s: message %q lacks %q", check, f.Message, s)
		}
	}
}

func TestGitHubHardened(t *testing.T) {
	rp := newReplay(t, githubAuth, hardenedGitHub())
	c, err := forge.New(ghConfig(rp.URL), testToken, rp.Client())
	if err != nil {
		t.Fatal(err)
	}
	tg := target(t, "README.md")
	e, s := collect(t, c, tg)
	if s.State != forge.StateCollected || s.Branch != "main" || s.DefaultBranch != "main" {
		t.Fatalf("state %s branch %s: %s", s.State, s.Branch, s.Reason)
	}
	g := s.GitHub
	if g.OwnerType != "Organization" || g.Protection == nil || !g.Protection.Enabled || g.Protection.RequiredApprovingReviewCount != 2 {
		t.Errorf("protection: %+v", g.Protection)
	}
	if p := g.Protection; p.StatusChecks == nil || strings.Join(p.StatusChecks.Contexts, ",") != "ci/test,ci/lint" || !p.EnforceAdmins || p.RequiredSignatures == nil || !*p.RequiredSignatures {
		t.Errorf("protection details: %+v", p)
	}
	// Both pages of rules were read.
	r := g.Rules
	if len(r.PullRequest) != 1 || len(r.NonFastForward) != 1 || len(r.Deletion) != 1 || len(r.RequiredSignatures) != 1 || len(r.RequiredStatusChecks) != 1 {
		t.Errorf("rules: %+v", r)
	}
	if len(r.Rulesets) != 2 || !r.Rulesets[0].BypassKnown || len(r.Rulesets[1].BypassActors) != 1 || r.Rulesets[1].BypassActors[0].Mode != "pull_request" {
		t.Errorf("rulesets: %+v", r.Rulesets)
	}
	if rp.count(ghRepo+"/rules/branches/main?page=2") != 1 {
		t.Error("second page of rules not read")
	}
	if a := g.Actions; a.AllowedActions != "selected" || a.DefaultWorkflowPermissions != "read" || a.Selected == nil || len(a.Selected.Patterns) != 2 {
		t.Errorf("actions: %+v", a)
	}
	if g.OrgActions == nil || g.OrgActions.Error != "" || g.OrgActions.EnabledRepositories != "all" {
		t.Errorf("org actions: %+v", g.OrgActions)
	}
	if g.Security.SecretScanning != "enabled" || g.Security.PushProtection != "enabled" {
		t.Errorf("security: %+v", g.Security)
	}
	// The evidence covers exactly the recorded bodies, in URL order.
	if len(s.Responses) != 12 || e.Source != rp.URL+"/api/v3/repos/acme/widget" {
		t.Errorf("%d responses, source %s", len(s.Responses), e.Source)
	}
	for i := 1; i < len(s.Responses); i++ {
		if s.Responses[i-1].URL >= s.Responses[i].URL {
			t.Errorf("responses not in URL order: %s, %s", s.Responses[i-1].URL, s.Responses[i].URL)
		}
	}
	body, _ := os.ReadFile("testdata/github/protection.json")
	found := false
	for _, r := range s.Responses {
		if strings.HasSuffix(r.URL, "/branches/main/protection") {
			found = r.SHA256 == evidence.SHA256Hex(body) && r.Size == int64(len(body))
		}
	}
	if !found {
		t.Error("protection response digest does not match the recorded body")
	}
	if e.Target != "" || e.Subject.Type != "repository" || !strings.HasSuffix(e.Subject.Ref, "/acme/widget") {
		t.Errorf("evidence %+v", e)
	}
	got := judge(t, e)
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.Pass, "pull request reviews by branch protection (required_approving_review_count 2) and ruleset 42", "enforce_admins true")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Pass, "required_signatures true", `ruleset 73 "org baseline"`)
	want(t, got, "REPO-ACTIONS-SETTINGS", evidence.Pass, "allowed_actions selected", "default_workflow_permissions read", "can_approve_pull_request_reviews false")
	want(t, got, "REPO-SECRET-SCANNING", evidence.Pass, "secret_scanning_push_protection enabled")

	// A second run over the same answers gives the same evidence; a second
	// target in the same run does not ask again.
	before := rp.total()
	tg2 := target(t, "other.txt")
	tg2.Now = tg.Now
	e2, _ := collect(t, c, tg2)
	if rp.total() != before || e2.ID != e.ID {
		t.Errorf("second target: %d new requests, id %s vs %s", rp.total()-before, e2.ID, e.ID)
	}
	// A later run (another collection time) asks again and, over the same
	// answers, yields the same evidence.
	tg3 := target(t)
	tg3.Now = tg.Now.Add(time.Hour)
	e3, _ := collect(t, c, tg3)
	if rp.total() != 2*before {
		t.Errorf("later run: %d requests, want %d", rp.total(), 2*before)
	}
	if e3.ID != e.ID || e3.SHA256 != e.SHA256 {
		t.Errorf("rerun: evidence %s/%s, want %s/%s", e3.ID, e3.SHA256, e.ID, e.SHA256)
	}
	// The payload survives a JSON round trip and judges the same.
	b, _ := json.Marshal(e)
	var back evidence.Evidence
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got2 := judge(t, back)
	for id, f := range got {
		if got2[id].Status != f.Status || got2[id].Message != f.Message {
			t.Errorf("%s after round trip: %s %q, want %s %q", id, got2[id].Status, got2[id].Message, f.Status, f.Message)
		}
	}
	if strings.Contains(string(b), testToken) {
		t.Error("the token leaked into the evidence")
	}
}

// A user-owned repository without protection, rulesets or restrictions,
// read with a token that cannot see security_and_analysis.
func TestGitHubWeak(t *testing.T) {
	const p = "/api/v3/repos/octocat/hello"
	rp := newReplay(t, githubAuth, map[string][]reply{
		p:                                   ok("github/repo_user.json"),
		p + "/branches/trunk/protection":    {{status: 404, file: "github/not_protected.json"}},
		p + "/rules/branches/trunk":         ok("github/rules_empty.json"),
		p + "/actions/permissions":          ok("github/actions_permissions_all.json"),
		p + "/actions/permissions/workflow": ok("github/workflow_permissions_write.json"),
	})
	cfg := ghConfig(rp.URL)
	cfg.Repository = "octocat/hello"
	c, _ := forge.New(cfg, testToken, rp.Client())
	e, s := collect(t, c, target(t))
	g := s.GitHub
	if s.Branch != "trunk" || g.Protection.Enabled || g.Protection.Error != "" || g.OrgActions != nil {
		t.Fatalf("settings: %+v %+v", s, g.Protection)
	}
	got := judge(t, e)
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.Fail, "the branch is not protected and no active ruleset applies to it")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Fail, "the branch is not protected", "no active ruleset has a required_signatures rule")
	want(t, got, "REPO-ACTIONS-SETTINGS", evidence.Fail, "allowed_actions is all", "default_workflow_permissions is write", "can_approve_pull_request_reviews is true")
	want(t, got, "REPO-SECRET-SCANNING", evidence.NotAssessed, "security_and_analysis")
}

// A token without admin rights: branch protection answers 403, so the
// rulesets alone decide.
func TestGitHubForbiddenProtection(t *testing.T) {
	routes := hardenedGitHub()
	routes[ghRepo+"/branches/main/protection"] = []reply{{status: 403, file: "github/forbidden.json"}}
	rp := newReplay(t, githubAuth, routes)
	c, _ := forge.New(ghConfig(rp.URL), testToken, rp.Client())
	e, s := collect(t, c, target(t))
	if !strings.Contains(s.GitHub.Protection.Error, "HTTP 403 Resource not accessible by personal access token") {
		t.Errorf("protection error %q", s.GitHub.Protection.Error)
	}
	got := judge(t, e)
	// Ruleset 73 (status checks, deletion) has a bypass actor and nothing
	// else enforces them now.
	want(t, got, "REPO-BRANCH-PROTECTION", evidence.Fail, "can be bypassed", "Team 234 (pull_request)")
	want(t, got, "REPO-SIGNED-COMMITS-REQUIRED", evidence.Pass, "ruleset 73")
}

func TestGitHubBadCredentials(t *testing.T) {
	rp := newReplay(t, func(*http.Request) bool { return true }, map[string][]reply{
		ghRepo: {{status: 401, file: "github/bad_credentials.json"}},
	})
	c, _ := forge.New(ghConfig(rp.URL), "wrong", rp.Client())
	e, s := collect(t, c, target(t))
	if s.State != forge.StateUnavailable || !strings.Contains(s.Reason, "HTTP 401 Bad credentials") {
		t.Fatalf("state %s reason %q", s.State, s.Reason)
	}
	if rp.total() != 1 {
		t.Errorf("%d requests after a 401, want 1", rp.total())
	}
	for id, f := range judge(t, e) {
		if f.Status != evidence.NotAssessed || !strings.Contains(f.Message, "HTTP 401") {
			t.Errorf("%s: %s %q", id, f.Status, f.Message)
		}
	}
}

func TestGitHubRateLimited(t *testing.T) {
	reset := time.Now().Add(time.Hour).Unix()
	rp := newReplay(t, githubAuth, map[string][]reply{
		ghRepo: {{status: 403, file: "github/rate_limited.json", header: map[string]string{
			"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Used": "5000",
			"X-RateLimit-Reset": strconv.FormatInt(reset, 10), "X-RateLimit-Resource": "core",
		}}},
	})
	var slept []time.Duration
	c, _ := forge.New(ghConfig(rp.URL), testToken, rp.Client(), forge.WithSleep(func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}))
	e, s := collect(t, c, target(t))
	if s.State != forge.StateUnavailable || !strings.Contains(s.Reason, "rate limit exceeded") || !strings.Contains(s.Reason, time.Unix(reset, 0).UTC().Format(time.RFC3339)) {
		t.Fatalf("state %s reason %q", s.State, s.Reason)
	}
	if len(slept) != 0 {
		t.Errorf("waited %v for a reset an hour away (max wait %s)", slept, forge.DefaultMaxWait)
	}
	want(t, judge(t, e), "REPO-BRANCH-PROTECTION", evidence.NotAssessed, "rate limit exceeded (HTTP 403, limit 5000, remaining 0")
}

// A secondary rate limit with Retry-After inside the bound is waited out
// and the request asked again; only the final answer is evidence.
func TestGitHubRetryAfter(t *testing.T) {
	routes := hardenedGitHub()
	routes[ghRepo+"/branches/main/protection"] = []reply{
		{status: 403, file: "github/secondary_rate_limit.json", header: map[string]string{"Retry-After": "1"}},
		{status: 200, file: "github/protection.json"},
	}
	rp := newReplay(t, githubAuth, routes)
	// The client also remembers the limit and holds back other requests
	// until it passes, so the wait is real (one second).
	var slept []time.Duration
	c, _ := forge.New(ghConfig(rp.URL), testToken, rp.Client(), forge.WithSleep(func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		time.Sleep(d)
		return ctx.Err()
	}))
	e, s := collect(t, c, target(t))
	if len(slept) != 1 || slept[0] != time.Second {
		t.Errorf("waits %v, want [1s]", slept)
	}
	if s.GitHub.Protection.Error != "" || !s.GitHub.Protection.Enabled || rp.count(ghRepo+"/branches/main/protection") != 2 {
		t.Errorf("protection %+v after %d requests", s.GitHub.Protection, rp.count(ghRepo+"/branches/main/protection"))
	}
	for _, r := range s.Responses {
		if strings.HasSuffix(r.URL, "/protection") && r.Status != 200 {
			t.Errorf("recorded the rate-limited answer: %+v", r)
		}
	}
	want(t, judge(t, e), "REPO-BRANCH-PROTECTION", evidence.Pass)
}

// The wait honours cancellation: a cancelled run is an error, not evidence.
func TestGitHubCancelled(t *testing.T) {
	routes := hardenedGitHub()
	routes[ghRepo] = []reply{{status: 403, file: "github/secondary_rate_limit.json", header: map[string]string{"Retry-After": "30"}}}
	rp := newReplay(t, githubAuth, routes)
	c, _ := forge.New(ghConfig(rp.URL), testToken, rp.Client())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	ev, err := c.Collect(ctx, target(t))
	if err == nil || len(ev) != 0 {
		t.Fatalf("cancelled collection returned %d evidence, err %v", len(ev), err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("cancellation took %s", time.Since(start))
	}
}

// The engine collects targets concurrently; they share one read.
func TestConcurrentTargetsShareOneRead(t *testing.T) {
	rp := newReplay(t, githubAuth, hardenedGitHub())
	c, _ := forge.New(ghConfig(rp.URL), testToken, rp.Client())
	tgs := []*collectors.Target{target(t, "a"), target(t, "b"), target(t, "c"), target(t, "d")}
	ids := make([]string, len(tgs))
	var wg sync.WaitGroup
	for i, tg := range tgs {
		tg.Now = tgs[0].Now
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev, err := c.Collect(context.Background(), tg)
			if err != nil || len(ev) != 1 {
				t.Errorf("target %d: %d evidence, err %v", i, len(ev), err)
				return
			}
			ids[i] = ev[0].ID
		}()
	}
	wg.Wait()
	if rp.total() != 12 {
		t.Errorf("%d requests for 4 targets, want 12 (one read)", rp.total())
	}
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Errorf("evidence ids differ: %v", ids)
		}
	}
}
