package cichecks

import (
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

func TestAffected(t *testing.T) {
	adv := Advisory{ID: "X", Action: "o/a", Introduced: "4.0.0", Fixed: "4.4.1"}
	for _, tc := range []struct {
		ref, ver string
		want     bool
	}{
		{"4.0.1", "4.0.1", true},
		{"v4.4.0", "v4.4.0", true},
		{"v4.4.1", "v4.4.1", false},
		{"v3.9.0", "v3.9.0", false}, // before introduced
		{"v4", "v4", false},         // the v4 line has the fix
		{"v4.3", "v4.3", true},      // the whole v4.3 line predates it
		{"main", "", false},
	} {
		if got := affected(adv, tc.ref, tc.ver); got != tc.want {
			t.Errorf("affected(%s) = %v, want %v", tc.ref, got, tc.want)
		}
	}
	sha := Advisory{ID: "Y", Action: "o/b", Versions: []string{"1.0.1"}, Commits: []string{"2cd32e0738e2b31717e7119717fed83e482d2a36"}}
	if !affected(sha, "2cd32e0738e2b31717e7119717fed83e482d2a36", "") || !affected(sha, "v1.0.1", "v1.0.1") || affected(sha, "v1.0.2", "v1.0.2") {
		t.Error("commit or version list not honoured")
	}
	if len(DefaultAdvisories().Advisories) == 0 || DefaultAdvisories().Date == "" || DefaultAdvisories().Source == "" {
		t.Error("shipped advisory list lacks entries, source or date")
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
