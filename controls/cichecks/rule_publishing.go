package cichecks

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

var trustedPublishingCmd = lazyre.New(`(?m)(^|[\s;&|(])(gem(\s+\\\n\s*|\s+)push|cargo(\s+\\\n\s*|\s+)publish|twine(\s+\\\n\s*|\s+)upload|uv(\s+\\\n\s*|\s+)(\w+\s+)?publish|poetry(\s+\\\n\s*|\s+)publish|hatch(\s+\\\n\s*|\s+)publish|pdm(\s+\\\n\s*|\s+)publish|flit(\s+\\\n\s*|\s+)publish|npm(\s+\\\n\s*|\s+)publish|pnpm(\s+\\\n\s*|\s+)publish|yarn(\s+\\\n\s*|\s+)npm\s+publish)\b`)

// mayPublishWithToken holds for every script trustedPublishingCmd can
// match (each of its commands pairs a tool with a verb): a prefilter that
// keeps the expression off most scripts.
func mayPublishWithToken(script string) bool {
	if strings.Contains(script, "publish") {
		for _, tool := range []string{"cargo", "uv", "poetry", "hatch", "pdm", "flit", "npm"} {
			if strings.Contains(script, tool) {
				return true
			}
		}
	}
	return strings.Contains(script, "push") && strings.Contains(script, "gem") ||
		strings.Contains(script, "upload") && strings.Contains(script, "twine")
}

// NewUseTrustedPublishing flags publishing with a long-lived registry token
// where the registry offers OIDC trusted publishing (PyPI, RubyGems,
// crates.io).
func NewUseTrustedPublishing() *Rule {
	return &Rule{
		ID:    "use-trusted-publishing",
		Title: "Long-lived registry token where trusted publishing exists",
		Rationale: "A stored API token can be stolen and used from anywhere until revoked; trusted publishing mints a " +
			"short-lived token bound to this repository and workflow through OIDC.",
		Remediation: "Configure a trusted publisher on the registry, grant id-token: write to the job, and drop the token " +
			"(pypa/gh-action-pypi-publish without password:, rubygems/release-gem, rust-lang/crates-io-auth-action).",
		Severity:  evidence.Medium,
		Platforms: github,
		judge: func(c *Context) {
			for _, sr := range c.steps() {
				if a := uses(sr.step); a != nil {
					if ci.ActionRepo(usesValue(a)) != "pypa/gh-action-pypi-publish" {
						continue
					}
					if _, pw := with(a, "password"); !pw {
						continue
					}
					url, _ := with(a, "repository-url")
					if url == "" {
						url, _ = with(a, "repository_url")
					}
					if url == "" || strings.Contains(url, "pypi.org") {
						c.Errorf(valuePos(c.P.Source, a.Uses), "publishes to PyPI with a password token; use trusted publishing")
					}
					continue
				}
				r := runOf(sr.step)
				if r == nil || !mayPublishWithToken(r.Run.Value) {
					continue
				}
				for _, m := range trustedPublishingCmd.FindAllStringSubmatchIndex(r.Run.Value, -1) {
					cmd := r.Run.Value[m[4]:m[5]]
					first := cmd
					if i := strings.IndexAny(first, " \\\n\t"); i > 0 {
						first = first[:i]
					}
					why := publishesWithToken(c, sr, first, commandLine(r.Run.Value, m[4]))
					if why == "" {
						continue
					}
					// Anchor at the command's first word in the script.
					before := r.Run.Value[:m[4]]
					n := strings.Count(before, first)
					at := r.Run.Pos
					loc := newLocator(c.P.Source, r.Run)
					for k := 0; k <= n; k++ {
						at = loc.find(first)
					}
					c.Errorf(at, "%q %s; use the registry's trusted publishing", strings.Join(strings.Fields(strings.ReplaceAll(cmd, "\\", "")), " "), why)
				}
			}
		},
	}
}

// commandLine is the command starting at off, continuation lines joined,
// up to the end of its line or the next command separator.
func commandLine(script string, off int) string {
	var b strings.Builder
	rest := script[off:]
	for {
		line, next, more := strings.Cut(rest, "\n")
		t := strings.TrimRight(line, " \t")
		if strings.HasSuffix(t, "\\") && more {
			b.WriteString(strings.TrimSuffix(t, "\\"))
			b.WriteByte(' ')
			rest = next
			continue
		}
		b.WriteString(line)
		break
	}
	out := b.String()
	if i := strings.IndexAny(out, ";|&"); i >= 0 {
		out = out[:i]
	}
	return out
}

// oidcPublishers are actions that exchange the job's OIDC token for a
// short-lived registry credential (trusted publishing).
var oidcPublishers = map[string]bool{
	"rust-lang/crates-io-auth-action":              true,
	"rubygems/configure-rubygems-credentials":      true,
	"rubygems/release-gem":                         true,
	"pypa/gh-action-pypi-publish":                  true,
	"astral-sh/trusted-publishing-id-token-action": true,
}

// publishesWithToken says how a publish command (tool is its first word,
// cmd its text) uses a long-lived credential, or "" when it publishes
// through trusted publishing, publishes nothing (a dry run), or targets a
// registry without trusted publishing.
func publishesWithToken(c *Context, sr stepRef, tool, cmd string) string {
	f := strings.Fields(cmd)
	has := func(flags ...string) bool {
		for _, w := range f {
			for _, fl := range flags {
				if w == fl || strings.HasPrefix(w, fl+"=") {
					return true
				}
			}
		}
		return false
	}
	if has("--dry-run") || tool == "cargo" && has("-n") {
		return "" // publishes nothing
	}
	cred := credentialSource(c.P, sr, cmd)
	idToken := jobHasIDToken(c.P, sr)
	oidcStep := jobUsesAny(c.P, sr, oidcPublishers)
	switch tool {
	case "uv", "pdm", "twine":
		switch {
		case cred == "secret":
			return "publishes with a long-lived token"
		case cred == "oidc" || oidcStep:
			return ""
		case strings.Contains(cmd, "--trusted-publishing always") || strings.Contains(cmd, "--trusted-publishing=always"):
			return ""
		case strings.Contains(cmd, "--trusted-publishing never") || strings.Contains(cmd, "--trusted-publishing=never"):
			return "publishes with trusted publishing turned off"
		case idToken:
			return "" // uses the job's OIDC token when no credential is given
		}
		return "publishes without id-token: write, so with a stored credential"
	case "npm", "pnpm", "yarn":
		if cred == "secret" {
			return "publishes with a long-lived token"
		}
		return "" // trusted publishing with id-token: write, or a registry this file does not show
	case "cargo", "gem":
		if cred == "oidc" || oidcStep {
			return ""
		}
		if cred == "secret" {
			return "publishes with a long-lived token"
		}
		return "publishes with a stored credential (no OIDC exchange in this job)"
	}
	// poetry, hatch, flit: no trusted publishing of their own.
	if cred == "oidc" || oidcStep {
		return ""
	}
	return "publishes with a long-lived token"
}

// credentialSource says where the credentials a publish command can read
// come from: "secret" (a stored secret in its arguments or in a token or
// password variable of its environment), "oidc" (a step or job output: an
// OIDC exchange), or "".
func credentialSource(p *ci.Pipeline, sr stepRef, cmd string) string {
	src := ""
	judge := func(v string) {
		switch {
		case containsFold(v, "secrets."):
			src = "secret"
		case src == "" && (containsFold(v, "steps.") || containsFold(v, "needs.")):
			src = "oidc"
		}
	}
	if strings.Contains(cmd, "${{") {
		judge(cmd)
	}
	scopes := []*actionlint.Env{sr.step.Env}
	if sr.job != nil {
		scopes = append(scopes, sr.job.Env)
	}
	if p.Workflow != nil {
		scopes = append(scopes, p.Workflow.Env)
	}
	for _, env := range scopes {
		if env == nil {
			continue
		}
		for name, v := range env.Vars {
			if v == nil || v.Value == nil {
				continue
			}
			n := strings.ToLower(name)
			if strings.Contains(n, "token") || strings.Contains(n, "password") || strings.Contains(n, "api_key") || strings.Contains(n, "auth") {
				judge(v.Value.Value)
			}
		}
	}
	return src
}

// jobHasIDToken says whether the step's job (or, for an action, any
// caller) may request an OIDC token.
func jobHasIDToken(p *ci.Pipeline, sr stepRef) bool {
	if sr.job == nil {
		return true // an action: its caller's permissions decide
	}
	grants := func(perm *actionlint.Permissions) (bool, bool) {
		if perm == nil {
			return false, false
		}
		if perm.All != nil {
			return perm.All.Value == "write-all", true
		}
		for name, sc := range perm.Scopes {
			if name == "id-token" && sc != nil && sc.Value != nil {
				return sc.Value.Value == "write", true
			}
		}
		return false, true
	}
	if ok, set := grants(sr.job.Permissions); set {
		return ok
	}
	if p.Workflow != nil {
		ok, _ := grants(p.Workflow.Permissions)
		return ok
	}
	return false
}

// jobUsesAny says whether the step's job (or action) runs any of the
// actions before the step.
func jobUsesAny(p *ci.Pipeline, sr stepRef, set map[string]bool) bool {
	var steps []*actionlint.Step
	if sr.job != nil {
		steps = sr.job.Steps
	} else if p.Action != nil {
		steps = p.Action.Steps
	}
	for _, st := range steps {
		if st == sr.step {
			break
		}
		if a := uses(st); a != nil && set[ci.ActionRepo(usesValue(a))] {
			return true
		}
	}
	return false
}

// NewSyntaxError reports files that do not load as a pipeline.
func NewSyntaxError() *Rule {
	return &Rule{
		ID:    "syntax-error",
		Title: "Pipeline file does not load",
		Rationale: "A file the CI system cannot load either does not run at all (silently dropping its checks) or runs " +
			"differently from what a reviewer reads; other rules cannot judge it fully.",
		Remediation: "Fix the YAML or the misplaced key reported at the given position.",
		Severity:    evidence.Medium,
		Platforms:   all,
		judge: func(c *Context) {
			for _, e := range c.P.SyntaxErrors {
				c.Errorf(&actionlint.Pos{Line: e.Line, Col: e.Column}, "%s", e.Message)
			}
		},
	}
}

// publishingCtx returns the release facts, or marks the rule not
// applicable for a pipeline that publishes nothing.
func publishingCtx(c *Context) *ci.Release {
	r := c.P.Release
	if r == nil || len(r.Publishes) == 0 {
		c.NotApplicable()
		return nil
	}
	return r
}

// delegated says that publishing happens only through a tool configured
// outside the pipeline file (GoReleaser, JReleaser), which may produce
// provenance, SBOMs and signatures the workflow does not show.
func delegated(r *ci.Release) string {
	for _, p := range r.Publishes {
		w := strings.ToLower(p.What)
		if !strings.Contains(w, "goreleaser") && !strings.Contains(w, "jreleaser") {
			return ""
		}
	}
	return r.Publishes[0].What
}

func stepPos(s ci.Step) *actionlint.Pos { return &actionlint.Pos{Line: s.Line, Col: s.Column} }

// NewMissingProvenance flags publishing pipelines with no provenance or
// attestation step.
func NewMissingProvenance() *Rule {
	return &Rule{
		ID:    "missing-provenance",
		Title: "Published artifacts have no build provenance",
		Rationale: "Without SLSA provenance a consumer cannot verify which source, builder and workflow produced an " +
			"artifact, so a tampered or substituted build is indistinguishable from the real one.",
		Remediation: "Attest what you publish: actions/attest-build-provenance (GitHub), slsa-framework/slsa-github-generator, " +
			"npm publish --provenance, or RUNNER_GENERATE_ARTIFACTS_METADATA on GitLab.",
		Severity:  evidence.Medium,
		Platforms: all,
		judge: func(c *Context) {
			r := publishingCtx(c)
			if r == nil || len(r.Provenance) > 0 {
				return
			}
			if d := delegated(r); d != "" {
				c.Undecided(fmt.Sprintf("publishing is delegated (%s); provenance is configured outside the pipeline file", d))
				return
			}
			c.Errorf(stepPos(r.Publishes[0]), "%s but no step generates provenance or an attestation for it", r.Publishes[0].What)
		},
	}
}

// NewMissingSBOM flags publishing pipelines that generate no SBOM.
func NewMissingSBOM() *Rule {
	return &Rule{
		ID:    "missing-sbom",
		Title: "Published artifacts have no SBOM",
		Rationale: "An SBOM generated at build time records the components of what is released; without it consumers " +
			"cannot track vulnerable or unexpected components (EO 14028, SP 800-161 SR-4).",
		Remediation: "Generate an SBOM in the release job (anchore/sbom-action, syft, cyclonedx tools) and publish or attest it with the artifact.",
		Severity:    evidence.Medium,
		Platforms:   all,
		judge: func(c *Context) {
			r := publishingCtx(c)
			if r == nil || len(r.SBOM) > 0 {
				return
			}
			if d := delegated(r); d != "" {
				c.Undecided(fmt.Sprintf("publishing is delegated (%s); its SBOM is configured outside the pipeline file", d))
				return
			}
			c.Errorf(stepPos(r.Publishes[0]), "%s but no step generates an SBOM", r.Publishes[0].What)
		},
	}
}

// SLSALevel estimates the SLSA v1.0 build level a publishing pipeline
// reaches, with the reasons.
func SLSALevel(r *ci.Release) (int, []string) {
	if r == nil {
		return 0, []string{"the pipeline publishes nothing"}
	}
	var why []string
	if len(r.Provenance) == 0 {
		return 0, append(why, "no provenance is generated (L1 needs provenance)")
	}
	why = append(why, "provenance: "+r.Provenance[0].What)
	signed := false
	for _, p := range r.Provenance {
		w := strings.ToLower(p.What)
		if strings.Contains(w, "signed") || strings.Contains(w, "slsa generator") || strings.Contains(w, "attests") || strings.Contains(w, "cosign attest") || strings.Contains(w, "--provenance") || strings.Contains(w, "gh attestation") {
			signed = true
		}
	}
	if !r.HostedRunners {
		return 1, append(why, "a publishing job runs on a self-hosted runner, so the platform cannot vouch for the build (L2 needs a hosted build platform)")
	}
	if !signed {
		return 1, append(why, "the provenance is not signed by the build platform (L2 needs authentic provenance)")
	}
	if !r.IsolatedGenerator {
		return 2, append(why, "signed provenance from a hosted runner; the job that builds also holds the signing identity (L3 needs an isolated generator such as a reusable workflow)")
	}
	return 3, append(why, "provenance is generated by an isolated reusable workflow on hosted runners")
}

// NewSLSABuildLevel reports the estimated SLSA build level of each
// publishing pipeline; below the configured level it fails.
func NewSLSABuildLevel() *Rule {
	return &Rule{
		ID:    "slsa-build-level",
		Title: "Estimated SLSA build level of a publishing pipeline",
		Rationale: "SLSA build levels grade how much a consumer can trust the provenance of an artifact: L1 provenance " +
			"exists, L2 it is signed by a hosted build platform, L3 the build is isolated from the signing.",
		Remediation: "Generate signed provenance on hosted runners (actions/attest-build-provenance) for L2; use the SLSA " +
			"reusable-workflow generators for L3.",
		Severity:  evidence.Medium,
		Platforms: all,
		judge: func(c *Context) {
			r := publishingCtx(c)
			if r == nil {
				return
			}
			want := c.Opts.SLSABuildLevel
			if want <= 0 {
				want = 1
			}
			level, why := SLSALevel(r)
			if level >= want {
				c.Pass(fmt.Sprintf("%s: estimated SLSA build level %d: %s", c.P.Path, level, strings.Join(why, "; ")))
				return
			}
			if d := delegated(r); d != "" && len(r.Provenance) == 0 {
				c.Undecided(fmt.Sprintf("estimated SLSA build level 0 from the workflow alone; publishing is delegated (%s)", d))
				return
			}
			c.Errorf(stepPos(r.Publishes[0]), "estimated SLSA build level %d, below the required %d: %s", level, want, strings.Join(why, "; "))
		},
	}
}
