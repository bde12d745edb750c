// Command repodemo rebuilds the demo's source repository,
// examples/demo/source/pedigree-demo.git, byte for byte: a bare repository
// (so it can ship as plain files) whose commits and tags are signed with a
// fixed-seed SSH key listed in examples/demo/source/allowed_signers, except
// one unsigned commit, and whose tree holds a committed binary, so the demo
// shows repository checks passing and failing.
//
//	go run ./examples/demo/scripts/repodemo
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
)

func main() {
	out := flag.String("out", "examples/demo/source", "folder to write the repository and allowed_signers into")
	flag.Parse()
	repoDir := filepath.Join(*out, "pedigree-demo.git")
	if err := os.RemoveAll(repoDir); err != nil {
		log.Fatal(err)
	}
	b, err := gitrepotest.NewBare(repoDir)
	if err != nil {
		log.Fatal(err)
	}
	sign, allowed, err := gitrepotest.SSHKey(42, "release@pedigree-demo.example")
	if err != nil {
		log.Fatal(err)
	}
	steps := []struct {
		msg    string
		files  map[string]string
		signed bool
	}{
		{"Start pedigree-demo", map[string]string{
			"README.md": "# pedigree-demo\n\nAn example payload for pedigree.\n",
			"go.mod":    "module example.org/pedigree-demo\n\ngo 1.26\n\nrequire golang.org/x/text v0.21.0\n",
			"go.sum":    "golang.org/x/text v0.21.0 h1:4fGWRpyh641NLlecmyl4LOe6yDdfaYNrGb2zdfo4JV4=\ngolang.org/x/text v0.21.0/go.mod h1:4IBbMaMZOPCJ8SecivzSH54+73PCFmPWxNTLm+vZkEQ=\n",
			"main.go":   "package main\n\nfunc main() { println(\"pedigree-demo 1.0.0\") }\n",
		}, true},
		{"Add release workflow, owners and policy", map[string]string{
			".github/workflows/release.yml": "name: release\non:\n  push:\n    tags: ['v*']\npermissions: {}\njobs:\n  release:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: write\n      id-token: write\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n      - run: make release\n",
			".github/CODEOWNERS":            "* @pedigree-demo/maintainers\n/.github/ @pedigree-demo/release-engineering\n",
			".github/dependabot.yml":        "version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    schedule: {interval: weekly}\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n",
			"SECURITY.md":                   "# Security policy\n\nReport vulnerabilities to security@pedigree-demo.example; we answer within 3 working days.\n",
		}, true},
		{"Vendor a prebuilt code generator (quick fix)", map[string]string{
			"tools/gen": "\x7fELF\x02\x01\x01\x00prebuilt generator, not built from source\n",
		}, false},
		{"Release 1.0.0", map[string]string{"VERSION": "1.0.0\n"}, true},
	}
	for _, s := range steps {
		var sg gitrepotest.Signer
		if s.signed {
			sg = sign
		}
		if _, err := b.Commit(s.msg, s.files, sg); err != nil {
			log.Fatal(err)
		}
	}
	if err := b.Tag("v1.0.0", true, sign); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "allowed_signers"), []byte(allowed), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", repoDir)
}
