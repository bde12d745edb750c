package repochecks

import (
	"fmt"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewCodeOwners requires a CODEOWNERS file that gives every pipeline file
// an owner, so changes to how software is built need their review.
func NewCodeOwners() controls.Check {
	return treeCheck(controls.Check{
		ID:          "REPO-CODEOWNERS",
		Title:       "CODEOWNERS covers the pipeline definitions",
		Rationale:   "Whoever can change a workflow can change what is built and released; code owners make such changes need a named reviewer.",
		Remediation: "Add .github/CODEOWNERS with a rule such as `/.github/ @org/release-engineering` and require code-owner review on the default branch.",
		Severity:    evidence.Medium,
	}, func(t *gitrepo.Tree) (evidence.Status, string) {
		if t.CodeOwners == "" {
			for _, p := range t.SkippedTooLarge {
				if path.Base(p) == "CODEOWNERS" {
					return evidence.NotAssessed, p + " is too large to read: its rules are unknown"
				}
			}
			return evidence.Fail, "no CODEOWNERS file (looked in .github/, the root, docs/ and .gitlab/)"
		}
		var unowned []string
		for _, p := range t.PipelineFiles {
			if owners, _ := gitrepo.OwnersOf(t.CodeOwnerRules, p); len(owners) == 0 {
				unowned = append(unowned, p)
			}
		}
		switch {
		case len(unowned) > 0:
			return evidence.Fail, fmt.Sprintf("%s gives no owner to %d pipeline file(s), first %s", t.CodeOwners, len(unowned), unowned[0])
		case len(t.PipelineFiles) == 0:
			return evidence.Pass, fmt.Sprintf("%s present (%d rules); no pipeline files to cover", t.CodeOwners, len(t.CodeOwnerRules))
		}
		return evidence.Pass, fmt.Sprintf("%s owns all %d pipeline file(s)", t.CodeOwners, len(t.PipelineFiles))
	})
}

// NewSecurityPolicy requires a published way to report vulnerabilities.
func NewSecurityPolicy() controls.Check {
	return treeCheck(controls.Check{
		ID:          "REPO-SECURITY-POLICY",
		Title:       "The repository publishes a security policy",
		Rationale:   "Without a stated way to report vulnerabilities, reports go nowhere or go public first.",
		Remediation: "Add SECURITY.md saying how to report a vulnerability and what response to expect.",
		Severity:    evidence.Low,
	}, func(t *gitrepo.Tree) (evidence.Status, string) {
		if t.SecurityPolicy == "" {
			return evidence.Fail, "no SECURITY.md or security.txt"
		}
		return evidence.Pass, "security policy in " + t.SecurityPolicy
	})
}

// NewDependencyUpdates requires automated dependency updates.
func NewDependencyUpdates() controls.Check {
	return treeCheck(controls.Check{
		ID:          "REPO-DEPENDENCY-UPDATES",
		Title:       "Dependency updates are automated",
		Rationale:   "Flaws in dependencies are fixed upstream; without automated update proposals, fixes arrive late or never.",
		Remediation: "Add .github/dependabot.yml or a Renovate configuration covering every ecosystem the repository uses.",
		Severity:    evidence.Low,
	}, func(t *gitrepo.Tree) (evidence.Status, string) {
		if len(t.Manifests) == 0 && len(t.DependencyBots) == 0 {
			return evidence.NotApplicable, "no dependency manifests"
		}
		if len(t.DependencyBots) == 0 {
			return evidence.Fail, "no Dependabot or Renovate configuration"
		}
		return evidence.Pass, "dependency updates configured in " + strings.Join(t.DependencyBots, ", ")
	})
}

// NewLockfiles requires every manifest to be pinned by a lockfile that
// names each declared dependency (or, for pip, hashes).
func NewLockfiles() controls.Check {
	return treeCheck(controls.Check{
		ID:          "REPO-LOCKFILES",
		Title:       "Dependencies are pinned by consistent lockfiles",
		Rationale:   "Without a lockfile each build resolves dependencies anew, so what is built can change without any change to the source.",
		Remediation: "Commit the ecosystem's lockfile (go.sum, package-lock.json, Cargo.lock, poetry.lock/uv.lock) and regenerate it when manifests change; use pip --require-hashes.",
		Severity:    evidence.Medium,
	}, func(t *gitrepo.Tree) (evidence.Status, string) {
		excluded := ""
		if n := len(t.ExcludedManifests); n > 0 {
			m := t.ExcludedManifests[0]
			excluded = fmt.Sprintf("; %d in excluded folders not judged as the product, first %s (%s)", n, m.Path, m.ExcludedBy)
		}
		if len(t.Manifests) == 0 {
			return evidence.NotApplicable, "no dependency manifests" + excluded
		}
		var bad []string
		for _, m := range t.Manifests {
			for _, p := range m.Problems {
				bad = append(bad, m.Path+": "+p)
			}
		}
		if len(bad) > 0 {
			return evidence.Fail, fmt.Sprintf("%d problem(s), first: %s", len(bad), bad[0]) + excluded
		}
		return evidence.Pass, fmt.Sprintf("%d manifest(s), each pinned by a consistent lockfile", len(t.Manifests)) + excluded
	})
}

// NewBinaries flags executables committed to the source tree: they cannot
// be reviewed and are not rebuilt from source.
func NewBinaries() controls.Check {
	return treeCheck(controls.Check{
		ID:          "REPO-BINARIES",
		Title:       "No binaries are committed to the source",
		Rationale:   "A committed executable is not built from reviewed source and can carry anything.",
		Remediation: "Remove committed binaries; build them in the pipeline or fetch them pinned by digest.",
		Severity:    evidence.Medium,
	}, func(t *gitrepo.Tree) (evidence.Status, string) {
		if len(t.Binaries) > 0 {
			b := t.Binaries[0]
			return evidence.Fail, fmt.Sprintf("%d committed binar(ies), first %s (%s, %d bytes)", len(t.Binaries), b.Path, b.Format, b.Size)
		}
		msg := fmt.Sprintf("none of %d files is an executable", t.Files)
		if n := len(t.ExcludedBinaries); n > 0 {
			b := t.ExcludedBinaries[0]
			msg += fmt.Sprintf(" outside excluded folders; %d excluded as not the product, first %s (%s)", n, b.Path, b.ExcludedBy)
		}
		return evidence.Pass, msg
	})
}

// NewRepositoryReadable reports repositories that could not be read
// safely: a .git file pointing elsewhere, corrupt objects.
func NewRepositoryReadable() controls.Check {
	c := controls.Check{
		ID:          "REPO-READABLE",
		Title:       "Repositories in the targets can be read as they are",
		Rationale:   "A repository pedigree cannot read was not assessed; a .git that points outside the target or a corrupt object store is itself a warning sign.",
		Remediation: "Assess a full clone (not a worktree or submodule pointer) and run `git fsck` on it.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarBuild,
		Method:      "TEST",
		Reads:       []string{gitrepo.KindProblem, gitrepo.KindTree},
	}
	problems := controls.EachPayload(func(e *evidence.Evidence, p *gitrepo.Problem) evidence.Finding {
		return c.Finding(evidence.NotAssessed, p.Root+": "+p.Reason, e.Subject)
	})
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		out := problems(ev)
		// Files of HEAD too large to read were not assessed: each is said.
		for i := range ev {
			t, ok := evidence.PayloadAs[gitrepo.Tree](&ev[i])
			if !ok || ev[i].Kind != gitrepo.KindTree {
				continue
			}
			for _, p := range t.SkippedTooLarge {
				f := c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %s in HEAD is above the file size limit: not read", t.Root, p), ev[i].Subject)
				f.Evidence = []string{ev[i].ID}
				out = append(out, f)
			}
		}
		return out
	}
	return c
}
