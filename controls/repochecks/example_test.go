package repochecks_test

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/controls/repochecks"
	"github.com/pedigree-dev/pedigree/evidence"
)

// The signature checks read the history the gitrepo collector records: here
// three of four commits verify against a trusted key, and the release tag
// is a lightweight tag, which cannot carry a signature.
func ExampleNewCommitsSigned() {
	h := &gitrepo.History{
		Root: ".", Branch: "main", Head: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Window: 4,
		Commits: []gitrepo.Signature{
			{Ref: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Kind: gitrepo.SigSSH, Verified: true, Signer: "dev@example.org"},
			{Ref: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Author: "intern@example.org", Kind: gitrepo.SigNone, Reason: "not signed"},
			{Ref: "cccccccccccccccccccccccccccccccccccccccc", Kind: gitrepo.SigSSH, Verified: true, Signer: "dev@example.org"},
			{Ref: "dddddddddddddddddddddddddddddddddddddddd", Kind: gitrepo.SigSSH, Verified: true, Signer: "dev@example.org"},
		},
		Tags: []gitrepo.Signature{
			{Ref: "v1.0.0", Commit: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Kind: gitrepo.SigNone, Release: true, Reason: "lightweight tag"},
		},
		Trust: []string{"ssh"},
	}
	ev := []evidence.Evidence{{
		ID: "ev-history", Kind: gitrepo.KindHistory, Payload: h,
		Subject: evidence.Subject{Type: "repository", Ref: "source"},
	}}
	for _, c := range []struct {
		name  string
		share float64
	}{{"every commit", 1}, {"three in four", 0.75}} {
		for _, f := range repochecks.NewCommitsSigned(c.share).Run(ev) {
			fmt.Printf("%s: %s %s: %s\n", c.name, f.CheckID, f.Status, f.Message)
		}
	}
	for _, f := range repochecks.NewTagsSigned().Run(ev) {
		fmt.Printf("%s %s: %s\n", f.CheckID, f.Status, f.Message)
	}
	// Output:
	// every commit: REPO-COMMITS-SIGNED fail: .: of the last 4 commits on main, 3 verified, 0 signed by a key not in the trust policy, 1 unsigned: 75% verified, want 100%; first unsigned: bbbbbbbbbbbb by intern@example.org
	// three in four: REPO-COMMITS-SIGNED pass: .: of the last 4 commits on main, 3 verified, 0 signed by a key not in the trust policy, 1 unsigned
	// REPO-TAGS-SIGNED fail: .: release tag v1.0.0: lightweight tag
}
