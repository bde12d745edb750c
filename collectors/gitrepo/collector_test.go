package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
	"github.com/pedigree-dev/pedigree/evidence"
)

// fixture is a repository with OpenPGP-, SSH- and un-signed commits and
// tags, plus the trust files that verify them.
type fixture struct {
	dir, keyring, allowed string
}

func makeFixture(t testing.TB) fixture {
	t.Helper()
	dir := t.TempDir()
	repoDir := filepath.Join(dir, "repo")
	b, err := gitrepotest.New(repoDir)
	if err != nil {
		t.Fatal(err)
	}
	pgp, pub, err := gitrepotest.OpenPGPKey("Release Manager")
	if err != nil {
		t.Fatal(err)
	}
	sshSign, allowed, err := gitrepotest.SSHKey(7, "dev@example.org")
	if err != nil {
		t.Fatal(err)
	}
	_, _, _ = pgp, sshSign, allowed
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Commit("init", map[string]string{
		"README.md":                "# demo\n",
		"go.mod":                   "module example.org/demo\n\ngo 1.26\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgithub.com/c/d v0.1.0\n)\n",
		"go.sum":                   "github.com/a/b v1.2.3 h1:x=\ngithub.com/a/b v1.2.3/go.mod h1:y=\n",
		".github/workflows/ci.yml": "on: push\n",
		".github/CODEOWNERS":       "*.go @devs\n/.github/ @release\n",
		"tools/helper.exe":         "MZ\x90\x00binary",
		"requirements.txt":         "requests==2.31.0 --hash=sha256:abc\nflask==3.0.0\n",
		"docs/SECURITY-NOTES.txt":  "not a policy\n",
		"vendor/ignored/go.mod":    "module x\nrequire y v1.0.0\n",
		"package.json":             `{"dependencies":{"left-pad":"1.3.0"}}`,
		"package-lock.json":        `{"lockfileVersion":3,"packages":{"node_modules/left-pad":{"version":"1.3.0"}}}`,
	}, pgp))
	must(b.Commit("ssh signed", map[string]string{"main.go": "package main\n"}, sshSign))
	must(b.Commit("unsigned", map[string]string{"SECURITY.md": "Report to security@example.org\n"}, nil))
	if err := b.Tag("v1.0.0", true, pgp); err != nil {
		t.Fatal(err)
	}
	if err := b.Tag("v1.0.1", false, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Tag("nightly", true, nil); err != nil {
		t.Fatal(err)
	}
	f := fixture{dir: dir, keyring: filepath.Join(dir, "keys.asc"), allowed: filepath.Join(dir, "allowed_signers")}
	os.WriteFile(f.keyring, pub, 0o644)
	os.WriteFile(f.allowed, []byte(allowed), 0o644)
	return f
}

func collect(t testing.TB, dir string, trust *gitrepo.Trust, window int) []evidence.Evidence {
	t.Helper()
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := gitrepo.New(trust, window).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func payloads(ev []evidence.Evidence) (*gitrepo.History, *gitrepo.Tree, *gitrepo.Problem) {
	var h *gitrepo.History
	var tr *gitrepo.Tree
	var p *gitrepo.Problem
	for _, e := range ev {
		switch x := e.Payload.(type) {
		case *gitrepo.History:
			h = x
		case *gitrepo.Tree:
			tr = x
		case *gitrepo.Problem:
			p = x
		}
	}
	return h, tr, p
}

func TestSignaturesVerified(t *testing.T) {
	f := makeFixture(t)
	trust, err := gitrepo.LoadTrust([]string{f.keyring}, f.allowed)
	if err != nil {
		t.Fatal(err)
	}
	h, _, p := payloads(collect(t, f.dir, trust, 0))
	if p != nil || h == nil {
		t.Fatalf("problem %+v", p)
	}
	if h.Root != "repo" || h.Branch != "main" || h.Window != 3 || h.Truncated {
		t.Errorf("history = %+v", h)
	}
	// Newest first: unsigned, ssh, openpgp.
	want := []struct {
		kind     string
		verified bool
		signer   string
	}{{gitrepo.SigNone, false, ""}, {gitrepo.SigSSH, true, "dev@example.org"}, {gitrepo.SigOpenPGP, true, ""}}
	for i, w := range want {
		c := h.Commits[i]
		if c.Kind != w.kind || c.Verified != w.verified || (w.signer != "" && c.Signer != w.signer) {
			t.Errorf("commit %d = %+v, want %+v", i, c, w)
		}
	}
	tags := map[string]gitrepo.Signature{}
	for _, tg := range h.Tags {
		tags[tg.Ref] = tg
	}
	if !tags["v1.0.0"].Verified || !tags["v1.0.0"].Release || tags["v1.0.1"].Annotated || tags["nightly"].Release {
		t.Errorf("tags = %+v", h.Tags)
	}
}

func TestSignaturesWithoutTrust(t *testing.T) {
	f := makeFixture(t)
	h, _, _ := payloads(collect(t, f.dir, nil, 0))
	if h.Commits[1].Verified || !strings.Contains(h.Commits[1].Reason, "allowed_signers") {
		t.Errorf("ssh commit without trust = %+v", h.Commits[1])
	}
	if h.Commits[2].Verified || !strings.Contains(h.Commits[2].Reason, "keyring") {
		t.Errorf("pgp commit without trust = %+v", h.Commits[2])
	}
}

func TestWrongKeyFails(t *testing.T) {
	f := makeFixture(t)
	_, otherPub, _ := gitrepotest.OpenPGPKey("Someone Else")
	_, otherAllowed, _ := gitrepotest.SSHKey(9, "other@example.org")
	os.WriteFile(f.keyring, otherPub, 0o644)
	os.WriteFile(f.allowed, []byte(otherAllowed), 0o644)
	trust, err := gitrepo.LoadTrust([]string{f.keyring}, f.allowed)
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := payloads(collect(t, f.dir, trust, 0))
	for _, c := range h.Commits[1:] {
		if c.Verified || c.Reason == "" {
			t.Errorf("commit verified against the wrong key: %+v", c)
		}
	}
}

func TestWindow(t *testing.T) {
	f := makeFixture(t)
	h, _, _ := payloads(collect(t, f.dir, nil, 2))
	if h.Window != 2 || !h.Truncated {
		t.Errorf("window 2: %+v", h)
	}
}

func TestTree(t *testing.T) {
	f := makeFixture(t)
	_, tr, _ := payloads(collect(t, f.dir, nil, 0))
	if tr.CodeOwners != ".github/CODEOWNERS" || tr.SecurityPolicy != "SECURITY.md" || len(tr.DependencyBots) != 0 {
		t.Errorf("tree = %+v", tr)
	}
	if len(tr.Binaries) != 1 || tr.Binaries[0].Path != "tools/helper.exe" || tr.Binaries[0].Format != "pe" {
		t.Errorf("binaries = %+v", tr.Binaries)
	}
	probs := map[string][]string{}
	for _, m := range tr.Manifests {
		probs[m.Path] = m.Problems
	}
	if len(probs) != 3 {
		t.Errorf("manifests = %+v (vendor/ must be skipped)", tr.Manifests)
	}
	if got := strings.Join(probs["go.mod"], ";"); got != "github.com/c/d v0.1.0 is declared but not in go.sum" {
		t.Errorf("go.mod problems = %q", got)
	}
	if got := strings.Join(probs["requirements.txt"], ";"); got != "flask==3.0.0 has no --hash" {
		t.Errorf("requirements problems = %q", got)
	}
	if len(probs["package.json"]) != 0 {
		t.Errorf("package.json problems = %q", probs["package.json"])
	}
}

func TestGitFilePointingElsewhereIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "wt"), 0o755)
	os.WriteFile(filepath.Join(dir, "wt", ".git"), []byte("gitdir: /somewhere/else/.git/worktrees/wt\n"), 0o644)
	_, _, p := payloads(collect(t, dir, nil, 0))
	if p == nil || !strings.Contains(p.Reason, "does not follow it") {
		t.Fatalf("problem = %+v", p)
	}
}

func TestCorruptRepositoryIsAProblemNotAPanic(t *testing.T) {
	f := makeFixture(t)
	// Truncate every loose object: the history can no longer be read.
	filepath.Walk(filepath.Join(f.dir, "repo", ".git", "objects"), func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			os.WriteFile(p, []byte("x"), 0o644)
		}
		return nil
	})
	_, _, p := payloads(collect(t, f.dir, nil, 0))
	if p == nil {
		t.Fatal("no problem recorded for a corrupt repository")
	}
}

func TestSymlinkInGitDirDoesNotEscape(t *testing.T) {
	f := makeFixture(t)
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("ref: refs/heads/evil\n"), 0o644)
	head := filepath.Join(f.dir, "repo", ".git", "HEAD")
	os.Remove(head)
	if err := os.Symlink(outside, head); err != nil {
		t.Fatal(err)
	}
	tg, err := collectors.OpenTarget("t", f.dir)
	if err == nil {
		tg.Close()
		t.Fatal("a target with a symlink leaving the tree was opened")
	}
}

func TestOversizedConfigIsAProblemNotRead(t *testing.T) {
	f := makeFixture(t)
	// A sparse 300 MB config: go-git would read and parse all of it.
	cfg := filepath.Join(f.dir, "repo", ".git", "config")
	if err := os.Truncate(cfg, 300<<20); err != nil {
		t.Fatal(err)
	}
	_, _, p := payloads(collect(t, f.dir, nil, 0))
	if p == nil || !strings.Contains(p.Reason, "repo/.git/config: 314572800 bytes, above the") {
		t.Fatalf("problem = %+v", p)
	}
}

// TestSignatureCounts: commits signed by keys the policy does not hold are
// counted apart from verified and unsigned ones, with their key ids; a
// forge's key given as a forge keyring verifies its commits and is counted
// as such.
func TestSignatureCounts(t *testing.T) {
	f := makeFixture(t)
	// Keyrings that hold neither of the fixture's keys.
	_, otherPub, _ := gitrepotest.OpenPGPKey("Someone Else")
	_, otherAllowed, _ := gitrepotest.SSHKey(9, "other@example.org")
	other := filepath.Join(f.dir, "other.asc")
	otherSigners := filepath.Join(f.dir, "other_signers")
	os.WriteFile(other, otherPub, 0o644)
	os.WriteFile(otherSigners, []byte(otherAllowed), 0o644)
	trust, err := gitrepo.LoadTrust([]string{other}, otherSigners)
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := payloads(collect(t, f.dir, trust, 0))
	k := h.Counts
	if k.Verified != 0 || k.UnknownKey != 2 || k.Unsigned != 1 || k.Invalid != 0 || len(k.UnknownKeyIDs) != 2 {
		t.Fatalf("counts = %+v, want 0 verified, 2 unknown key (2 ids), 1 unsigned", k)
	}
	for _, kc := range k.UnknownKeyIDs {
		switch kc.Kind {
		case gitrepo.SigOpenPGP:
			if len(kc.KeyID) != 40 && len(kc.KeyID) != 16 {
				t.Errorf("OpenPGP key id %q is not a fingerprint or long key id", kc.KeyID)
			}
		case gitrepo.SigSSH:
			if !strings.HasPrefix(kc.KeyID, "SHA256:") {
				t.Errorf("SSH key id %q is not a SHA256 fingerprint", kc.KeyID)
			}
		default:
			t.Errorf("unexpected key kind %+v", kc)
		}
	}
	pgpCommit := h.Commits[2]
	if !pgpCommit.UnknownKey || !strings.Contains(pgpCommit.Reason, pgpCommit.KeyID) || !strings.Contains(pgpCommit.Reason, "not in the trusted keyrings") {
		t.Errorf("OpenPGP commit by an unknown key = %+v", pgpCommit)
	}

	// The release key given as a forge's key: verified, counted as forge.
	if err := trust.AddForgeKeys([]string{f.keyring}); err != nil {
		t.Fatal(err)
	}
	h, _, _ = payloads(collect(t, f.dir, trust, 0))
	k = h.Counts
	if k.Verified != 1 || k.VerifiedByForge != 1 || k.UnknownKey != 1 || k.Unsigned != 1 {
		t.Fatalf("counts with the forge key = %+v, want 1 verified by the forge, 1 unknown, 1 unsigned", k)
	}
	if c := h.Commits[2]; !c.Forge || !strings.Contains(c.Signer, "forge key, keys.asc") {
		t.Errorf("forge-signed commit = %+v", c)
	}

	// A forge keyring that does not parse is an error naming the file.
	bad := filepath.Join(f.dir, "bad.asc")
	os.WriteFile(bad, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n"), 0o644)
	if err := trust.AddForgeKeys([]string{bad}); err == nil || !strings.Contains(err.Error(), "forge keyring "+bad) {
		t.Errorf("bad forge keyring: %v", err)
	}
}

// TestConcatenatedKeyring: a keyring file of several armored blocks (keys
// exported one by one and concatenated, a KEYS file with text before
// them) trusts every key in it, as the other pillars' keyrings do.
func TestConcatenatedKeyring(t *testing.T) {
	f := makeFixture(t)
	_, otherPub, _ := gitrepotest.OpenPGPKey("Someone Else")
	pub, err := os.ReadFile(f.keyring)
	if err != nil {
		t.Fatal(err)
	}
	both := filepath.Join(f.dir, "KEYS")
	keys := append([]byte("The keys of this project's release managers.\n\n"), otherPub...)
	os.WriteFile(both, append(append(keys, '\n'), pub...), 0o644)
	trust, err := gitrepo.LoadTrust([]string{both}, "")
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := payloads(collect(t, f.dir, trust, 0))
	if c := h.Commits[2]; c.Kind != gitrepo.SigOpenPGP || !c.Verified {
		t.Errorf("commit signed by the keyring's second key = %+v", c)
	}
	forge := &gitrepo.Trust{}
	if err := forge.AddForgeKeys([]string{both}); err != nil {
		t.Fatal(err)
	}
	h, _, _ = payloads(collect(t, f.dir, forge, 0))
	if c := h.Commits[2]; !c.Verified || !c.Forge {
		t.Errorf("commit signed by the forge keyring's second key = %+v", c)
	}
}

// A fixture project's manifest under a folder the target excludes is kept
// on record with its rule but not judged, as a fixture's binary is; one
// outside still is.
func TestExcludedManifestsAreNotJudged(t *testing.T) {
	dir := t.TempDir()
	b, err := gitrepotest.New(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit("init", map[string]string{
		"__fixtures__/no-lock/package.json": `{"dependencies":{"left-pad":"1"}}`,
		"tests/fixtures/app/Cargo.toml":     "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\n",
		"tools/web/package.json":            `{"dependencies":{"left-pad":"1"}}`,
	}, nil); err != nil {
		t.Fatal(err)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if err := tg.Exclude(nil, false); err != nil {
		t.Fatal(err)
	}
	ev, err := gitrepo.New(nil, 0).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	_, tr, _ := payloads(ev)
	if len(tr.Manifests) != 1 || tr.Manifests[0].Path != "tools/web/package.json" {
		t.Errorf("judged manifests = %+v", tr.Manifests)
	}
	var excluded []string
	for _, m := range tr.ExcludedManifests {
		excluded = append(excluded, m.Path+" ("+m.ExcludedBy+")")
	}
	if got := strings.Join(excluded, ", "); got != "__fixtures__/no-lock/package.json (default: __fixtures__/), tests/fixtures/app/Cargo.toml (default: tests/fixtures/)" {
		t.Errorf("excluded manifests = %s", got)
	}
}
