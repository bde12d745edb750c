package cichecks

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestCheckFindings runs a rule as a controls.Check: failures carry the
// evidence id and exact location; a clean pipeline gives one pass.
func TestCheckFindings(t *testing.T) {
	bad := ci.ParseWorkflow(".github/workflows/a.yml", []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"))
	good := ci.ParseWorkflow(".github/workflows/b.yml", []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"))
	chk := NewUnpinnedUses().Check(nil)
	if chk.ID != "CI-UNPINNED-USES" || chk.Reads[0] != ci.Kind {
		t.Fatalf("check %s reads %v", chk.ID, chk.Reads)
	}
	fs := chk.Run([]evidence.Evidence{
		{ID: "e1", Kind: ci.Kind, Subject: evidence.Subject{Type: "workflow", Ref: bad.Path}, Payload: bad},
		{ID: "e2", Kind: ci.Kind, Subject: evidence.Subject{Type: "workflow", Ref: good.Path}, Payload: good},
	})
	if len(fs) != 2 {
		t.Fatalf("got %d findings: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Status != evidence.Fail || f.Evidence[0] != "e1" || f.Location == nil || f.Location.Line != 7 || f.Location.Column != 15 {
		t.Errorf("fail finding %+v %+v", f, f.Location)
	}
	if fs[1].Status != evidence.Pass || fs[1].Evidence[0] != "e2" {
		t.Errorf("pass finding %+v", fs[1])
	}
	// A rule that does not apply returns nothing (not applicable).
	if got := NewUnpinnedInclude().Check(nil).Run([]evidence.Evidence{{ID: "e1", Kind: ci.Kind, Payload: bad}}); len(got) != 0 {
		t.Errorf("GitLab rule judged a GitHub workflow: %+v", got)
	}
}

func TestRulesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || r.Title == "" || r.Rationale == "" || r.Remediation == "" || r.Severity.Rank() < 0 || len(r.Platforms) == 0 {
			t.Errorf("rule %q is incomplete or duplicated", r.ID)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{"template-injection", "unpinned-uses", "unpinned-images", "excessive-permissions",
		"dangerous-trigger", "artipacked", "cache-poisoning", "secrets-inherit", "self-hosted-runner",
		"hardcoded-credentials", "insecure-commands", "unsound-condition", "known-vulnerable-action",
		"unpinned-include", "missing-provenance", "missing-sbom", "syntax-error", "github-env",
		"bot-conditions", "unsound-contains", "overprovisioned-secrets", "unredacted-secrets", "use-trusted-publishing"} {
		if !seen[id] {
			t.Errorf("rule %s missing", id)
		}
	}
}

// A self-hosted runner that a pull_request workflow runs on takes a fork's
// code onto a machine that outlives the job: high. Another trigger, a job
// condition (which may keep forks out) or a third-party service keeps the
// rule's own severity.
func TestSelfHostedRunnerOnForkPullRequests(t *testing.T) {
	for _, tc := range []struct {
		on, job string
		want    evidence.Severity
	}{
		{"pull_request", "runs-on: [self-hosted, linux]", evidence.High},
		{"[push, pull_request]", "runs-on: gpu-box-8", evidence.High},
		{"pull_request", "runs-on: [self-hosted, linux]\n    if: github.event.pull_request.head.repo.full_name == github.repository", evidence.Medium},
		{"push", "runs-on: [self-hosted, linux]", evidence.Medium},
		{"pull_request_target", "runs-on: [self-hosted, linux]", evidence.Medium},
		{"pull_request", "runs-on: depot-ubuntu-24.04", evidence.Low},
	} {
		src := "on: " + tc.on + "\njobs:\n  a:\n    " + tc.job + "\n    steps:\n      - run: make test\n"
		ps := Run(ci.ParseWorkflow(".github/workflows/t.yml", []byte(src)), []*Rule{NewSelfHostedRunner()}, nil)
		if len(ps) != 1 || ps[0].Severity != tc.want {
			t.Errorf("on %s, %q: %+v, want one finding of severity %s", tc.on, tc.job, ps, tc.want)
			continue
		}
		if exposed := strings.Contains(ps[0].Message, "a pull request from a fork"); exposed != (tc.want == evidence.High) {
			t.Errorf("on %s, %q: message %q", tc.on, tc.job, ps[0].Message)
		}
	}
}

// A privileged trigger is high only where a step hands the fork's code the
// privileges: a checkout or fetch of the untrusted ref. On its own it is a
// workflow to keep that way: medium.
func TestDangerousTriggerSeverityFollowsCheckout(t *testing.T) {
	for _, tc := range []struct {
		on, steps string
		want      []evidence.Severity
	}{
		{"pull_request_target", "- run: echo hi", []evidence.Severity{evidence.Medium}},
		{"workflow_run:\n    workflows: [ci]", "- uses: actions/checkout@v4", []evidence.Severity{evidence.Medium}},
		{"pull_request_target", "- uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}", []evidence.Severity{evidence.High, evidence.High}},
		{"workflow_run:\n    workflows: [ci]", "- run: gh pr checkout ${{ github.event.workflow_run.pull_requests[0].number }}", []evidence.Severity{evidence.High, evidence.High}},
		{"push", "- uses: actions/checkout@v4", nil},
	} {
		src := "on:\n  " + tc.on + "\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      " + tc.steps + "\n"
		ps := Run(ci.ParseWorkflow(".github/workflows/t.yml", []byte(src)), []*Rule{NewDangerousTrigger()}, nil)
		var got []evidence.Severity
		for _, p := range ps {
			got = append(got, p.Severity)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("on %s, %q: %+v, want severities %v", tc.on, tc.steps, ps, tc.want)
		}
		if len(ps) > 0 && strings.Contains(ps[0].Message, "no step checks out") != (tc.want[0] == evidence.Medium) {
			t.Errorf("on %s: message %q", tc.on, ps[0].Message)
		}
	}
}
