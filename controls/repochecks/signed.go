package repochecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewCommitsSigned judges the share of commits in the window that carry a
// signature verified against the trusted keys.
func NewCommitsSigned(minShare float64) controls.Check {
	c := controls.Check{
		ID:          "REPO-COMMITS-SIGNED",
		Title:       "Commits on the default branch are signed by trusted keys",
		Rationale:   "A verified signature ties each change to a known key holder; unsigned commits can be forged under any name.",
		Remediation: "Require signed commits (branch protection), have maintainers sign with OpenPGP or SSH keys, and list those keys in repo.openpgp-keyrings or repo.allowed-signers.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarBuild,
		Method:      "TEST",
		Reads:       []string{gitrepo.KindHistory},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			h, ok := ev[i].Payload.(*gitrepo.History)
			if !ok {
				continue
			}
			f := judgeCommits(c, h, minShare)
			f.Subjects = []evidence.Subject{ev[i].Subject}
			f.Evidence = []string{ev[i].ID}
			out = append(out, f)
		}
		return out
	}
	return c
}

func judgeCommits(c controls.Check, h *gitrepo.History, minShare float64) evidence.Finding {
	n := len(h.Commits)
	if n == 0 {
		return c.Finding(evidence.NotApplicable, h.Root+": no commits")
	}
	var signed, verified, unverifiable int
	var firstUnsigned, firstBad *gitrepo.Signature
	for i := range h.Commits {
		s := &h.Commits[i]
		if s.Kind == gitrepo.SigNone {
			if firstUnsigned == nil {
				firstUnsigned = s
			}
			continue
		}
		signed++
		switch {
		case s.Verified:
			verified++
		case trustMissing(s.Reason):
			unverifiable++
		case firstBad == nil:
			firstBad = s
		}
	}
	window := fmt.Sprintf("%d of the last %d commits on %s", verified, n, h.Branch)
	share := float64(verified) / float64(n)
	switch {
	case firstBad != nil:
		return c.Finding(evidence.Fail, fmt.Sprintf("%s: commit %s has a %s signature that does not verify: %s", h.Root, short(firstBad.Ref), firstBad.Kind, firstBad.Reason))
	case share >= minShare:
		return c.Finding(evidence.Pass, fmt.Sprintf("%s: %s carry verified signatures", h.Root, window))
	case unverifiable > 0 && verified+unverifiable >= int(minShare*float64(n)+0.999999):
		return c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %d of %d commits are signed but no trusted key is configured to verify them (%s)", h.Root, signed, n, h.Commits[0].Reason))
	default:
		msg := fmt.Sprintf("%s: only %s carry verified signatures (%.0f%%, want %.0f%%)", h.Root, window, 100*share, 100*minShare)
		if firstUnsigned != nil {
			msg += "; first unsigned: " + short(firstUnsigned.Ref)
			if firstUnsigned.Author != "" {
				msg += " by " + firstUnsigned.Author
			}
		}
		return c.Finding(evidence.Fail, msg)
	}
}

func trustMissing(reason string) bool {
	return strings.HasPrefix(reason, "no OpenPGP keyring configured") || strings.HasPrefix(reason, "no allowed_signers file configured") || strings.HasPrefix(reason, "X.509")
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// NewTagsSigned flags release tags that are lightweight or unsigned, or
// whose signature does not verify.
func NewTagsSigned() controls.Check {
	c := controls.Check{
		ID:          "REPO-TAGS-SIGNED",
		Title:       "Release tags are signed by trusted keys",
		Rationale:   "A release tag names the source a release was built from; if it is not signed, anyone who can push can move it.",
		Remediation: "Create release tags with `git tag -s` (or -u KEY) and protect tags from being moved or deleted.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarBuild,
		Method:      "TEST",
		Reads:       []string{gitrepo.KindHistory},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			h, ok := ev[i].Payload.(*gitrepo.History)
			if !ok {
				continue
			}
			for _, tg := range h.Tags {
				if !tg.Release {
					continue
				}
				subj := evidence.Subject{Type: "tag", Ref: h.Root + "@" + tg.Ref, Digest: "sha1:" + tg.Commit}
				var f evidence.Finding
				switch {
				case tg.Verified:
					f = c.Finding(evidence.Pass, fmt.Sprintf("%s: tag %s is signed by %s", h.Root, tg.Ref, tg.Signer), subj)
				case tg.Kind != gitrepo.SigNone && trustMissing(tg.Reason):
					f = c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: tag %s is %s-signed but cannot be verified: %s", h.Root, tg.Ref, tg.Kind, tg.Reason), subj)
				default:
					f = c.Finding(evidence.Fail, fmt.Sprintf("%s: release tag %s: %s", h.Root, tg.Ref, tg.Reason), subj)
				}
				f.Evidence = []string{ev[i].ID}
				out = append(out, f)
			}
		}
		return out
	}
	return c
}
