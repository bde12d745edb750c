package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
)

// targetTree lays out a project as a clone looks: product files beside test
// fixtures (an SBOM, a signing key, a wasm binary) and vendored code with its
// own SBOM, all real files from the demo.
func targetTree(t *testing.T) string {
	t.Helper()
	demo := filepath.Dir(demoConfigPath())
	dir := filepath.Join(t.TempDir(), "project")
	copyTo := func(src, rel string) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sbomFile := filepath.Join(demo, "release", "pedigree-demo_1.0.0_linux_amd64.cdx.json")
	copyTo(sbomFile, "test/testdata/bom.cdx.json")
	copyTo(sbomFile, "vendor/example.com/lib/sbom.cdx.json")
	copyTo(filepath.Join(demo, "keys", "demo-signing.pub"), "pkg/signer/testdata/test-signing.pub")
	copyTo(filepath.Join(demo, "keys", "demo-signing.pub"), "release/release-signing.pub")
	if err := os.WriteFile(filepath.Join(dir, "test", "testdata", "test.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

type assessed struct {
	Targets []struct {
		Files, Excluded int
		Role            string
		ExcludedBy      []struct {
			Rule  string
			Files int
			First string
		}
	}
	Collectors []struct{ Collector string }
	Findings   []struct{ Check, Status, Message string }
}

func assessJSON(t *testing.T, args ...string) assessed {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	r := pedigree(t, nil, append([]string{"assess", "--out", out, "--quiet", "--fail-on", "none"}, args...)...)
	if r.code != 0 {
		t.Fatalf("assess %v: exit %d: %s", args, r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "pedigree.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a assessed
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// judged lists the product findings (SBOM, crypto, files, signing) whose
// message names a path under one of the folders.
func judged(a assessed, folders ...string) []string {
	var out []string
	for _, f := range a.Findings {
		if !strings.HasPrefix(f.Check, "SBOM-") && !strings.HasPrefix(f.Check, "CRYPTO-") && !strings.HasPrefix(f.Check, "FILES-") && !strings.HasPrefix(f.Check, "SIGN-") {
			continue
		}
		for _, d := range folders {
			if strings.Contains(f.Message, d) {
				out = append(out, f.Check+": "+f.Message)
			}
		}
	}
	return out
}

// TestAssessExcludesFixtures: test fixtures and vendored code are not the
// product. By default they are left out of every product judgement and
// counted per rule; --no-default-excludes judges them; --exclude adds rules.
func TestAssessExcludesFixtures(t *testing.T) {
	dir := targetTree(t)

	a := assessJSON(t, dir)
	if bad := judged(a, "testdata/", "vendor/"); len(bad) > 0 {
		t.Errorf("fixtures judged as the product:\n%s", strings.Join(bad, "\n"))
	}
	if len(judged(a, "release/release-signing.pub")) == 0 {
		t.Error("the release key outside the fixtures is no longer judged")
	}
	tg := a.Targets[0]
	if tg.Files != 6 || tg.Excluded != 4 || len(tg.ExcludedBy) != 2 ||
		tg.ExcludedBy[0].Rule != "default: testdata/" || tg.ExcludedBy[0].Files != 3 ||
		tg.ExcludedBy[1].Rule != "default: vendor/" || tg.ExcludedBy[1].First != "vendor/example.com/lib/sbom.cdx.json" {
		t.Errorf("target record = %+v", tg)
	}

	all := assessJSON(t, dir, "--no-default-excludes")
	if len(judged(all, "test/testdata/bom.cdx.json")) == 0 || len(judged(all, "pkg/signer/testdata/test-signing.pub")) == 0 {
		t.Error("--no-default-excludes does not judge the fixtures")
	}
	if all.Targets[0].Excluded != 0 {
		t.Errorf("--no-default-excludes excluded %d files", all.Targets[0].Excluded)
	}

	own := assessJSON(t, dir, "--exclude", "/release/")
	if len(judged(own, "release/release-signing.pub")) != 0 || own.Targets[0].ExcludedBy[0].Rule != "/release/" {
		t.Errorf("--exclude /release/ not applied: %+v", own.Targets[0])
	}
}

// TestAssessRoles: a role picks the collectors that judge the target.
func TestAssessRoles(t *testing.T) {
	dir := targetTree(t)
	a := assessJSON(t, dir, "--role", "keys")
	if len(a.Collectors) != 1 || a.Collectors[0].Collector != "keys" || a.Targets[0].Role != "keys" {
		t.Errorf("role keys ran %+v (target %+v)", a.Collectors, a.Targets[0])
	}
	for _, f := range a.Findings {
		if strings.HasPrefix(f.Check, "SBOM-") {
			t.Errorf("role keys judged an SBOM: %s %s", f.Check, f.Message)
		}
	}

	r := pedigree(t, nil, "assess", dir, "--role", "product", "--out", filepath.Join(t.TempDir(), "o"), "--quiet")
	if r.code != 2 || !strings.Contains(r.stderr, `role "product": want one of release, source, keys, distribution, detected`) {
		t.Errorf("unknown role: exit %d, %s", r.code, r.stderr)
	}

	cfg := filepath.Join(t.TempDir(), "pedigree.yaml")
	os.WriteFile(cfg, []byte("targets:\n  - path: "+dir+"\n    role: source\n    exclude: [\"[x\"]\n"), 0o644)
	r = pedigree(t, nil, "assess", "--config", cfg, "--out", filepath.Join(t.TempDir(), "o"), "--quiet")
	if r.code != 2 || !strings.Contains(r.stderr, `exclude pattern "[x"`) {
		t.Errorf("bad exclude in config: exit %d, %s", r.code, r.stderr)
	}
}

// TestRepoScanExcludesAsAssess: repo scan and assess judge one clone's HEAD
// tree alike: a fixture's binary and a fixture project without a lockfile
// are not the product unless --no-default-excludes says so.
func TestRepoScanExcludesAsAssess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "clone")
	b, err := gitrepotest.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit("init", map[string]string{
		"main.go":                        "package main\n",
		"test/testdata/test.wasm":        "\x00asm\x01\x00\x00\x00",
		"test/fixtures/app/package.json": `{"dependencies":{"left-pad":"1"}}`,
	}, nil); err != nil {
		t.Fatal(err)
	}
	verdicts := func(args ...string) string {
		t.Helper()
		r := pedigree(t, nil, append([]string{"repo", "scan", "--json", dir}, args...)...)
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var f struct{ Check, Status string }
			if err := json.Unmarshal([]byte(line), &f); err != nil {
				t.Fatalf("%q: %v (stderr %s)", line, err, r.stderr)
			}
			if f.Check == "REPO-BINARIES" || f.Check == "REPO-LOCKFILES" {
				got = append(got, f.Check+" "+f.Status)
			}
		}
		return strings.Join(got, ", ")
	}
	if got := verdicts(); got != "REPO-LOCKFILES not-applicable, REPO-BINARIES pass" {
		t.Errorf("repo scan = %s", got)
	}
	if got := verdicts("--no-default-excludes"); got != "REPO-LOCKFILES fail, REPO-BINARIES fail" {
		t.Errorf("repo scan --no-default-excludes = %s", got)
	}
	a := assessJSON(t, dir, "--role", "source")
	var got []string
	for _, f := range a.Findings {
		if f.Check == "REPO-BINARIES" || f.Check == "REPO-LOCKFILES" {
			got = append(got, f.Check+" "+f.Status)
		}
	}
	if strings.Join(got, ", ") != "REPO-LOCKFILES not-applicable, REPO-BINARIES pass" {
		t.Errorf("assess = %s", strings.Join(got, ", "))
	}
}
