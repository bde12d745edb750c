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
	counts := gitrepo.CountSignatures(h.Commits)
	var firstUnsigned, firstBad, firstUntrusted *gitrepo.Signature
	untrustedOnlyForWantOfKeys := true
	for i := range h.Commits {
		s := &h.Commits[i]
		switch {
		case s.Verified:
		case s.Kind == gitrepo.SigNone:
			if firstUnsigned == nil {
				firstUnsigned = s
			}
		case s.UnknownKey:
			if firstUntrusted == nil {
				firstUntrusted = s
			}
			if !trustMissing(s.Reason) {
				untrustedOnlyForWantOfKeys = false
			}
		case firstBad == nil:
			firstBad = s
		}
	}
	tally := commitTally(h, counts)
	share := float64(counts.Verified) / float64(n)
	switch {
	case firstBad != nil:
		return c.Finding(evidence.Fail, fmt.Sprintf("%s: commit %s has a %s signature that does not verify: %s; %s", h.Root, short(firstBad.Ref), firstBad.Kind, firstBad.Reason, tally))
	case share >= minShare:
		return c.Finding(evidence.Pass, fmt.Sprintf("%s: %s", h.Root, tally))
	case counts.UnknownKey > 0 && untrustedOnlyForWantOfKeys && counts.Verified+counts.UnknownKey >= int(minShare*float64(n)+0.999999):
		return c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %d of %d commits are signed but no trusted key is configured to verify them (%s); %s", h.Root, counts.Verified+counts.UnknownKey, n, firstUntrusted.Reason, tally))
	default:
		msg := fmt.Sprintf("%s: %s: %.0f%% verified, want %.0f%%", h.Root, tally, 100*share, 100*minShare)
		if firstUnsigned != nil {
			msg += "; first unsigned: " + short(firstUnsigned.Ref)
			if firstUnsigned.Author != "" {
				msg += " by " + firstUnsigned.Author
			}
		}
		if counts.UnknownKey > 0 {
			msg += "; trust a forge's key with repo.forge-keyrings, maintainers' keys with repo.openpgp-keyrings or repo.allowed-signers"
		}
		return c.Finding(evidence.Fail, msg)
	}
}

// commitTally is the three numbers an assessor needs: verified, signed by
// a key the policy does not hold (with the key ids), unsigned.
func commitTally(h *gitrepo.History, k gitrepo.SignatureCounts) string {
	s := fmt.Sprintf("of the last %d commits on %s, %d verified", len(h.Commits), h.Branch, k.Verified)
	if k.VerifiedByForge > 0 {
		s += fmt.Sprintf(" (%d by a forge's key)", k.VerifiedByForge)
	}
	s += fmt.Sprintf(", %d signed by a key not in the trust policy", k.UnknownKey)
	if len(k.UnknownKeyIDs) > 0 {
		var ids []string
		for i, kc := range k.UnknownKeyIDs {
			if i == 5 {
				ids = append(ids, fmt.Sprintf("%d more", len(k.UnknownKeyIDs)-5))
				break
			}
			id := kc.KeyID
			if id == "" {
				id = "no key id"
			}
			ids = append(ids, fmt.Sprintf("%s %s ×%d", kc.Kind, id, kc.Commits))
		}
		s += " (" + strings.Join(ids, ", ") + ")"
	}
	s += fmt.Sprintf(", %d unsigned", k.Unsigned)
	if k.Invalid > 0 {
		s += fmt.Sprintf(", %d with a signature that does not verify", k.Invalid)
	}
	return s
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
