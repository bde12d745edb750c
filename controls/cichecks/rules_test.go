package cichecks

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestKnownVulnerableMatching: OSV ranges by tag (a partial tag follows
// its line's newest release), versions lists, GIT commits by the pinned
// SHA and version comments beside a pin; the hand-written list and OSV
// files configured as advisories match the same way.
func TestKnownVulnerableMatching(t *testing.T) {
	db := DefaultActionDB()
	if db.Source == "" || db.Date == "" {
		t.Error("shipped snapshot lacks its source or date")
	}
	if db.index() == nil || db.ixErr != nil || len(db.index().Advisories) < 8 {
		t.Fatalf("shipped snapshot does not index: %v", db.ixErr)
	}
	for _, tc := range []struct {
		name, ref, ver string
		want           []string
	}{
		{"actions/download-artifact", "v4.1.2", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "4.0.0", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "v4.1.3", "", nil},
		{"actions/download-artifact", "v3.0.2", "", nil}, // before introduced
		{"actions/download-artifact", "v4", "", nil},     // the v4 line has the fix
		{"actions/download-artifact", "v4.0", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "main", "", nil},
		{"tj-actions/changed-files", "v45", "", []string{"GHSA-mcph-m25j-8j63", "GHSA-mrrh-fwg8-r2c3"}[1:]},
		{"tj-actions/changed-files", "v40.1.0", "", []string{"GHSA-mcph-m25j-8j63", "GHSA-mrrh-fwg8-r2c3"}},
		{"tj-actions/changed-files", "0e58ed8671d6b60d0890c21b07f8835ace038e67", "", []string{"GHSA-mrrh-fwg8-r2c3"}},
		{"tj-actions/changed-files", "ed68ef82c095e0d48ec87eccea555d944a631a4c", "v46.0.5", nil},
		{"tj-actions/changed-files", "ed68ef82c095e0d48ec87eccea555d944a631a4c", "v45.0.7", []string{"GHSA-mrrh-fwg8-r2c3"}},
		{"atlassian/gajira-create", "2cd32e0738e2b31717e7119717fed83e482d2a36", "", []string{"GHSA-4xqx-pqpj-9fqw"}},
		{"atlassian/gajira-create", "v1.0.1", "", []string{"GHSA-4xqx-pqpj-9fqw"}},
		{"atlassian/gajira-create", "v1.0.2", "", nil},
		{"rlespinasse/github-slug-action/sub", "4.0.1", "", []string{"GHSA-6q4m-7476-932w"}},
	} {
		var got []string
		for _, h := range db.lookup(tc.name, tc.ref, tc.ver) {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s@%s (%s): %v, want %v", tc.name, tc.ref, tc.ver, got, tc.want)
		}
	}
	hand := []byte("source: test\ndate: \"2026-01-01\"\nadvisories:\n  - id: X-1\n    action: o/a\n    introduced: \"4.0.0\"\n    fixed: \"4.4.1\"\n    summary: s\n  - id: X-2\n    action: o/b\n    versions: [\"1.0.1\"]\n    commits: [\"2cd32e0738e2b31717e7119717fed83e482d2a36\"]\n")
	hdb, err := ParseAdvisories("hand.yaml", hand)
	if err != nil {
		t.Fatal(err)
	}
	osv := []byte(`[{"id": "X-3", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "o/c"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}]`)
	odb, err := ParseAdvisories("osv.json", osv)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		db        *ActionDB
		name, ref string
		want      int
	}{
		{hdb, "o/a", "v4.3.0", 1}, {hdb, "o/a", "v4.4.1", 0}, {hdb, "o/a", "v3.9.0", 0}, {hdb, "o/a", "v4.3", 1}, {hdb, "o/a", "v4", 0},
		{hdb, "o/b", "2cd32e0738e2b31717e7119717fed83e482d2a36", 1}, {hdb, "o/b", "v1.0.1", 1}, {hdb, "o/b", "v1.0.2", 0},
		{odb, "o/c", "v1.9.9", 1}, {odb, "o/c", "v2.0.0", 0}, {odb, "o/c", "v1", 1},
	} {
		if got := len(tc.db.lookup(tc.name, tc.ref, "")); got != tc.want {
			t.Errorf("%s %s@%s: %d hits, want %d", tc.db.Source, tc.name, tc.ref, got, tc.want)
		}
	}
	if _, err := ParseAdvisories("bad.yaml", []byte("advisories:\n  - id: X\n    action: o/a\n")); err == nil {
		t.Error("an advisory without fixed, versions or commits was accepted")
	}
}

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
