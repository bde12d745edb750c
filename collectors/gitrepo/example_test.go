package gitrepo_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
	"github.com/pedigree-dev/pedigree/evidence"
)

// The collector finds the repository in a target and records, offline, which
// commits and tags carry a signature that verifies against the trusted keys,
// and what the HEAD tree holds.
func ExampleCollector_Collect() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// A repository with one SSH-signed commit, one unsigned commit and a
	// signed release tag.
	b, err := gitrepotest.New(filepath.Join(dir, "repo"))
	if err != nil {
		log.Fatal(err)
	}
	sign, allowed, err := gitrepotest.SSHKey(7, "dev@example.org")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := b.Commit("init", map[string]string{"main.go": "package main\n", "SECURITY.md": "Mail security@example.org\n"}, sign); err != nil {
		log.Fatal(err)
	}
	if _, err := b.Commit("fix", map[string]string{"main.go": "package main // fixed\n"}, nil); err != nil {
		log.Fatal(err)
	}
	if err := b.Tag("v1.0.0", true, sign); err != nil {
		log.Fatal(err)
	}
	signers := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(signers, []byte(allowed), 0o644); err != nil {
		log.Fatal(err)
	}

	trust, err := gitrepo.LoadTrust(nil, signers)
	if err != nil {
		log.Fatal(err)
	}
	t, err := collectors.OpenTarget("source", filepath.Join(dir, "repo"))
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	ev, err := gitrepo.New(trust, gitrepo.DefaultWindow).Collect(context.Background(), t)
	if err != nil {
		log.Fatal(err)
	}
	for i := range ev {
		switch ev[i].Kind {
		case gitrepo.KindHistory:
			h, _ := evidence.PayloadAs[gitrepo.History](&ev[i])
			fmt.Printf("branch %s, %d commits examined, trust %v\n", h.Branch, h.Window, h.Trust)
			for _, c := range h.Commits {
				fmt.Printf("  commit signed=%s verified=%v signer=%q\n", c.Kind, c.Verified, c.Signer)
			}
			for _, tag := range h.Tags {
				fmt.Printf("  tag %s signed=%s verified=%v release=%v\n", tag.Ref, tag.Kind, tag.Verified, tag.Release)
			}
		case gitrepo.KindTree:
			tr, _ := evidence.PayloadAs[gitrepo.Tree](&ev[i])
			fmt.Printf("tree: %d files, security policy %q\n", tr.Files, tr.SecurityPolicy)
		}
	}
	// Output:
	// branch main, 2 commits examined, trust [ssh]
	//   commit signed=none verified=false signer=""
	//   commit signed=ssh verified=true signer="dev@example.org"
	//   tag v1.0.0 signed=ssh verified=true release=true
	// tree: 2 files, security policy "SECURITY.md"
}

// OwnersOf applies CODEOWNERS rules as GitHub does: the last matching rule
// wins.
func ExampleOwnersOf() {
	rules := gitrepo.ParseCodeOwners([]byte(`# owners
*             @org/devs
/.github/     @org/release
*.md          @org/docs
`))
	for _, p := range []string{"main.go", ".github/workflows/release.yml", "README.md"} {
		owners, rule := gitrepo.OwnersOf(rules, p)
		fmt.Printf("%s: %v (line %d)\n", p, owners, rule.Line)
	}
	// Output:
	// main.go: [@org/devs] (line 2)
	// .github/workflows/release.yml: [@org/release] (line 3)
	// README.md: [@org/docs] (line 4)
}
