package repochecks

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

func ev(p any) []evidence.Evidence {
	return []evidence.Evidence{{ID: "e1", Subject: evidence.Subject{Type: "repository", Ref: "repo"}, Payload: p}}
}

func commits(kinds ...string) *gitrepo.History {
	h := &gitrepo.History{Root: "repo", Branch: "main"}
	for i, k := range kinds {
		s := gitrepo.Signature{Ref: strings.Repeat(string(rune('a'+i)), 40), Author: "dev@example.org"}
		switch k {
		case "ok":
			s.Kind, s.Verified, s.Signer = gitrepo.SigOpenPGP, true, "ABC"
		case "none":
			s.Kind, s.Reason = gitrepo.SigNone, "not signed"
		case "bad":
			s.Kind, s.Reason = gitrepo.SigSSH, "SSH signature does not verify: bad"
		case "notrust":
			s.Kind, s.Reason, s.UnknownKey = gitrepo.SigOpenPGP, "no OpenPGP keyring configured (repo.openpgp-keyrings)", true
		case "webflow": // a web-interface merge, the forge's key not trusted
			s.Kind, s.UnknownKey, s.KeyID = gitrepo.SigOpenPGP, true, "B5690EEEBB952194"
			s.Reason = "signed by OpenPGP key B5690EEEBB952194, which is not in the trusted keyrings"
		case "sshother":
			s.Kind, s.UnknownKey, s.KeyID = gitrepo.SigSSH, true, "SHA256:abc"
			s.Reason = "signed by SSH key SHA256:abc (ssh-ed25519), which is not in allowed_signers for namespace git"
		case "forge":
			s.Kind, s.Verified, s.Forge, s.Signer = gitrepo.SigOpenPGP, true, true, "B5690EEEBB952194 (forge key, web-flow.asc)"
		}
		h.Commits = append(h.Commits, s)
	}
	h.Window = len(h.Commits)
	return h
}

func one(t *testing.T, c controls.Check, p any) evidence.Finding {
	t.Helper()
	fs := c.Run(ev(p))
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
	}
	if len(fs[0].Evidence) == 0 {
		t.Error("finding names no evidence")
	}
	return fs[0]
}

func TestCommitsSigned(t *testing.T) {
	tests := []struct {
		name  string
		h     *gitrepo.History
		share float64
		want  evidence.Status
		msg   string
	}{
		{"all verified", commits("ok", "ok"), 1, evidence.Pass, "of the last 2 commits on main, 2 verified, 0 signed by a key not in the trust policy, 0 unsigned"},
		{"one unsigned", commits("ok", "none"), 1, evidence.Fail, "first unsigned: bbbbbbbbbbbb"},
		{"one unsigned within a lower bar", commits("ok", "ok", "ok", "none"), 0.75, evidence.Pass, "of the last 4 commits on main, 3 verified"},
		// Signed by keys the policy does not hold: not verified, not bad,
		// counted apart with their key ids.
		{"three numbers", commits("ok", "webflow", "webflow", "sshother", "none"), 1, evidence.Fail,
			"of the last 5 commits on main, 1 verified, 3 signed by a key not in the trust policy (openpgp B5690EEEBB952194 ×2, ssh SHA256:abc ×1), 1 unsigned: 20% verified, want 100%"},
		{"unknown keys point at forge-keyrings", commits("ok", "webflow"), 1, evidence.Fail, "repo.forge-keyrings"},
		{"unknown key within a lower bar", commits("ok", "ok", "ok", "webflow"), 0.75, evidence.Pass, "3 verified, 1 signed by a key not in the trust policy (openpgp B5690EEEBB952194 ×1), 0 unsigned"},
		{"a forge's key trusted by policy", commits("ok", "forge"), 1, evidence.Pass, "2 verified (1 by a forge's key), 0 signed by a key not in the trust policy"},
		{"unknown key with trust configured is not want of keys", commits("webflow", "webflow"), 1, evidence.Fail, "2 signed by a key not in the trust policy"},
		{"bad signature always fails", commits("ok", "bad"), 0.5, evidence.Fail, "does not verify"},
		{"signed but no trust configured", commits("notrust", "notrust"), 1, evidence.NotAssessed, "no trusted key is configured"},
		{"empty history", commits(), 1, evidence.NotApplicable, "no commits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := one(t, NewCommitsSigned(tt.share), tt.h)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s %q, want %s …%s…", f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestTagsSigned(t *testing.T) {
	h := &gitrepo.History{Root: "repo", Tags: []gitrepo.Signature{
		{Ref: "v1.0.0", Release: true, Kind: gitrepo.SigOpenPGP, Verified: true, Signer: "ABC"},
		{Ref: "v1.0.1", Release: true, Kind: gitrepo.SigNone, Reason: "lightweight tag: it cannot carry a signature"},
		{Ref: "v1.0.2", Release: true, Kind: gitrepo.SigSSH, Reason: "no allowed_signers file configured (repo.allowed-signers)"},
		{Ref: "nightly", Kind: gitrepo.SigNone},
	}}
	fs := NewTagsSigned().Run(ev(h))
	got := map[string]evidence.Status{}
	for _, f := range fs {
		got[f.Subjects[0].Ref] = f.Status
	}
	want := map[string]evidence.Status{"repo@v1.0.0": evidence.Pass, "repo@v1.0.1": evidence.Fail, "repo@v1.0.2": evidence.NotAssessed}
	if len(got) != len(want) {
		t.Fatalf("findings %v, want %v (non-release tags are not judged)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s, want %s", k, got[k], v)
		}
	}
}

func TestTreeChecks(t *testing.T) {
	owners := []gitrepo.OwnerRule{{Pattern: "*.go", Owners: []string{"@devs"}}, {Pattern: "/.github/", Owners: []string{"@rel"}}}
	tests := []struct {
		name  string
		check controls.Check
		tree  gitrepo.Tree
		want  evidence.Status
		msg   string
	}{
		{"codeowners missing", NewCodeOwners(), gitrepo.Tree{}, evidence.Fail, "no CODEOWNERS"},
		{"codeowners covers workflows", NewCodeOwners(), gitrepo.Tree{CodeOwners: ".github/CODEOWNERS", CodeOwnerRules: owners, PipelineFiles: []string{".github/workflows/ci.yml"}}, evidence.Pass, "owns all 1"},
		{"codeowners misses gitlab ci", NewCodeOwners(), gitrepo.Tree{CodeOwners: "CODEOWNERS", CodeOwnerRules: owners, PipelineFiles: []string{".github/workflows/ci.yml", ".gitlab-ci.yml"}}, evidence.Fail, "first .gitlab-ci.yml"},
		{"security policy", NewSecurityPolicy(), gitrepo.Tree{SecurityPolicy: "SECURITY.md"}, evidence.Pass, "SECURITY.md"},
		{"no security policy", NewSecurityPolicy(), gitrepo.Tree{}, evidence.Fail, "no SECURITY.md"},
		{"no manifests, no bots", NewDependencyUpdates(), gitrepo.Tree{}, evidence.NotApplicable, "no dependency manifests"},
		{"manifests without bots", NewDependencyUpdates(), gitrepo.Tree{Manifests: []gitrepo.Manifest{{Path: "go.mod"}}}, evidence.Fail, "no Dependabot"},
		{"dependabot", NewDependencyUpdates(), gitrepo.Tree{DependencyBots: []string{".github/dependabot.yml"}}, evidence.Pass, "dependabot.yml"},
		{"lockfile problem", NewLockfiles(), gitrepo.Tree{Manifests: []gitrepo.Manifest{{Path: "go.mod", Problems: []string{"x is declared but not in go.sum"}}}}, evidence.Fail, "go.mod: x is declared"},
		{"lockfiles fine", NewLockfiles(), gitrepo.Tree{Manifests: []gitrepo.Manifest{{Path: "go.mod", Lockfile: "go.sum"}}}, evidence.Pass, "1 manifest"},
		{"only fixtures' manifests", NewLockfiles(), gitrepo.Tree{ExcludedManifests: []gitrepo.Manifest{{Path: "testdata/app/package.json", Problems: []string{"no lockfile beside it"}, ExcludedBy: "default: testdata/"}}}, evidence.NotApplicable, "no dependency manifests; 1 in excluded folders not judged as the product, first testdata/app/package.json (default: testdata/)"},
		{"binary", NewBinaries(), gitrepo.Tree{Binaries: []gitrepo.Binary{{Path: "bin/x", Format: "elf", Size: 9}}}, evidence.Fail, "bin/x (elf, 9 bytes)"},
		{"no binary", NewBinaries(), gitrepo.Tree{Files: 3}, evidence.Pass, "none of 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.tree.Root = "repo"
			f := one(t, tt.check, &tt.tree)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s %q, want %s …%s…", f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestOwnerPatterns(t *testing.T) {
	tests := []struct {
		pat, path string
		want      bool
	}{
		{"*", "a/b/c.yml", true},
		{"*.yml", ".github/workflows/ci.yml", true},
		{"/.github/", ".github/workflows/ci.yml", true},
		{"apps/", "sub/apps/x.go", true}, // a trailing slash alone does not anchor
		{"workflows/", ".github/workflows/ci.yml", true},
		{"/.github/workflows/*", ".github/workflows/ci.yml", true},
		{"docs/*", "docs/a/b.md", false},
		{"docs/*", "docs/b.md", true},
		{"**/ci.yml", ".github/workflows/ci.yml", true},
		{"/build/**", "build/x/y", true},
		{"/src", "src/main.go", true},
		{"/src", "other/src/main.go", false},
		{"apps/**/deploy.yml", "apps/a/b/deploy.yml", true},
		{"*.go", "main.go.txt", false},
	}
	for _, tt := range tests {
		rules := []gitrepo.OwnerRule{{Pattern: tt.pat, Owners: []string{"@o"}}}
		owners, _ := gitrepo.OwnersOf(rules, tt.path)
		if got := len(owners) > 0; got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pat, tt.path, got, tt.want)
		}
	}
	// The last matching rule wins, and an owner-less rule removes ownership.
	rules := []gitrepo.OwnerRule{{Pattern: "*", Owners: []string{"@all"}}, {Pattern: "/.github/", Owners: nil}}
	if owners, _ := gitrepo.OwnersOf(rules, ".github/workflows/ci.yml"); len(owners) != 0 {
		t.Errorf("owner-less last rule: owners = %v", owners)
	}
}
