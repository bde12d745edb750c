package ci

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
)

// Publishing, provenance, SBOM and signing are recognised from the actions
// and commands that do them. The lists are facts about public tools; a
// step doing the same through an unknown tool is not recognised.

var publishActions = map[string]string{
	"pypa/gh-action-pypi-publish":           "uploads to PyPI",
	"rubygems/release-gem":                  "pushes a gem to RubyGems",
	"softprops/action-gh-release":           "creates a GitHub release",
	"ncipollo/release-action":               "creates a GitHub release",
	"actions/create-release":                "creates a GitHub release",
	"actions/upload-release-asset":          "uploads a release asset",
	"svenstaro/upload-release-action":       "uploads a release asset",
	"marvinpinto/action-automatic-releases": "creates a GitHub release",
	"goreleaser/goreleaser-action":          "runs GoReleaser",
	"jreleaser/release-action":              "runs JReleaser",
	"js-devtools/npm-publish":               "publishes to npm",
	"redhat-actions/push-to-registry":       "pushes an image",
	"docker/build-push-action":              "pushes an image",
	"cargo-bins/release-pr":                 "publishes crates",
	"katyo/publish-crates":                  "publishes crates",
}

var provenanceActions = map[string]string{
	"actions/attest-build-provenance":      "attests build provenance (Sigstore-signed)",
	"actions/attest":                       "attests an artifact (Sigstore-signed)",
	"slsa-framework/slsa-github-generator": "generates SLSA provenance",
	"philips-labs/slsa-provenance-action":  "generates SLSA provenance",
}

var sbomActions = map[string]string{
	"anchore/sbom-action":                     "generates an SBOM (Syft)",
	"anchore/syft":                            "generates an SBOM (Syft)",
	"actions/attest-sbom":                     "attests an SBOM",
	"microsoft/sbom-tool":                     "generates an SBOM (sbom-tool)",
	"advanced-security/sbom-generator-action": "generates an SBOM",
	"cyclonedx/gh-node-module-generatebom":    "generates a CycloneDX SBOM",
	"cyclonedx/gh-python-generate-sbom":       "generates a CycloneDX SBOM",
	"cyclonedx/gh-gomod-generate-sbom":        "generates a CycloneDX SBOM",
	"cyclonedx/gh-dotnet-generate-sbom":       "generates a CycloneDX SBOM",
	"cyclonedx/cdxgen-action":                 "generates a CycloneDX SBOM",
	"aquasecurity/trivy-action":               "", // only with an SBOM format
}

var signingActions = map[string]string{
	"sigstore/gh-action-sigstore-python": "signs with Sigstore",
	"actions/attest-build-provenance":    "signs an attestation with Sigstore",
	"actions/attest":                     "signs an attestation with Sigstore",
	"actions/attest-sbom":                "signs an SBOM attestation with Sigstore",
	"crazy-max/ghaction-import-gpg":      "imports a GPG signing key",
}

var (
	publishCmd = regexp.MustCompile(`(?m)(^|[\s;&|(])(` +
		`npm publish|yarn (npm )?publish|pnpm publish|gem push|twine upload|poetry publish|uv publish|flit publish|hatch publish|` +
		`cargo publish|docker push|podman push|buildah push|crane push|oras push|gh release (create|upload)|` +
		`goreleaser( release)?\b|mvn\b[^\n]*\bdeploy\b|\./mvnw\b[^\n]*\bdeploy\b|gradlew?\b[^\n]*\bpublish|dotnet nuget push|nuget push|` +
		`helm push|ko (publish|build|resolve)|vsce publish|ovsx publish|jreleaser (release|full-release|deploy)|release-cli create|glab release create|` +
		`curl[^\n]*(--upload-file|-T)[^\n]*(packages|registry|artifactory|nexus))`)
	provenanceCmd = regexp.MustCompile(`(cosign attest\b|gh attestation\b|--provenance\b|witness run|slsa-verifier|in-toto-run|RUNNER_GENERATE_ARTIFACTS_METADATA)`)
	sbomCmd       = regexp.MustCompile(`(\bsyft\b|\bcyclonedx[-\w]*|\bcdxgen\b|\bsbom-tool\b|\btrivy\b[^\n]*--format[ =](cyclonedx|spdx)|\bdocker (buildx )?sbom\b|--sbom\b|spdx-sbom-generator|\bbom generate\b|\btern report\b)`)
	signCmd       = regexp.MustCompile(`(\bcosign sign(-blob)?\b|\bgpg\b[^\n]*(--detach-sign|-b\b|--clearsign|--sign)|\bnotation sign\b|\bminisign\b[^\n]*-S|\bsignify\b[^\n]*-S|\bjarsigner\b|\bsigntool\b[^\n]*\bsign\b|\bcodesign\b|\bsigstore sign\b|\bgitsign\b|--sign\b)`)
)

var (
	publishHints = []string{"npm publish", "yarn publish", "yarn npm publish", "pnpm publish", "gem push", "twine upload",
		"poetry publish", "uv publish", "flit publish", "hatch publish", "cargo publish", "docker push", "podman push",
		"buildah push", "crane push", "oras push", "gh release", "goreleaser", "mvn", "gradle", "nuget push", "helm push",
		"ko publish", "ko build", "ko resolve", "vsce publish", "ovsx publish", "jreleaser", "release-cli", "glab release",
		"--upload-file", "-T "}
	provenanceHints = []string{"attest", "provenance", "witness", "slsa", "in-toto", "RUNNER_GENERATE"}
	sbomHints       = []string{"syft", "cyclonedx", "cdxgen", "sbom", "trivy", "bom ", "tern "}
	signHints       = []string{"cosign sign", "gpg", "notation sign", "minisign", "signify", "jarsigner", "signtool", "codesign", "sigstore sign", "gitsign", "--sign"}
)

// hinted is a cheap prefilter before a regular expression.
func hinted(s string, hints []string) bool {
	for _, h := range hints {
		if strings.Contains(s, h) {
			return true
		}
	}
	return false
}

// scriptFacts matches the four command families against a script.
func scriptFacts(script string) (publish, prov, sbom, sign string) {
	if hinted(script, publishHints) {
		if m := publishCmd.FindStringSubmatch(script); m != nil && !strings.Contains(script, "--dry-run") && !(strings.HasPrefix(m[2], "goreleaser") && strings.Contains(script, "--snapshot")) {
			publish = strings.TrimSpace(m[2])
		}
	}
	if hinted(script, provenanceHints) {
		prov = provenanceCmd.FindString(script)
	}
	if hinted(script, sbomHints) {
		sbom = sbomCmd.FindString(script)
	}
	if hinted(script, signHints) {
		sign = signCmd.FindString(script)
	}
	return
}

// ActionName returns owner/repo[/path] of a `uses:` value, lower-cased,
// without the ref; "" for local and docker references.
func ActionName(uses string) string {
	if strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "docker://") {
		return ""
	}
	name, _, _ := strings.Cut(uses, "@")
	return strings.ToLower(name)
}

// ActionRepo is the owner/repo part of ActionName.
func ActionRepo(uses string) string {
	n := ActionName(uses)
	parts := strings.SplitN(n, "/", 3)
	if len(parts) < 2 {
		return n
	}
	return parts[0] + "/" + parts[1]
}

func lookupAction(m map[string]string, uses string) (string, bool) {
	name := ActionName(uses)
	if name == "" {
		return "", false
	}
	if v, ok := m[name]; ok {
		return v, true
	}
	v, ok := m[ActionRepo(uses)]
	return v, ok
}

func input(a *actionlint.ExecAction, name string) string {
	if a == nil || a.Inputs == nil {
		return ""
	}
	if in := a.Inputs[name]; in != nil && in.Value != nil {
		return in.Value.Value
	}
	return ""
}

// githubRelease collects release-hygiene facts of a workflow; nil when
// nothing in it publishes.
func githubRelease(p *Pipeline) *Release {
	w := p.Workflow
	r := &Release{HostedRunners: true}
	mk := func(j *actionlint.Job, at *actionlint.Pos, what string) Step {
		s := Step{What: what}
		if at != nil {
			s.Line, s.Column = at.Line, at.Col
		}
		if j != nil && j.ID != nil {
			s.Job = j.ID.Value
		}
		return s
	}
	publishingJobs := map[*actionlint.Job]bool{}
	for _, j := range SortedJobs(w) {
		if j.WorkflowCall != nil && j.WorkflowCall.Uses != nil {
			u := j.WorkflowCall.Uses.Value
			if strings.HasPrefix(strings.ToLower(u), "slsa-framework/slsa-github-generator/") {
				r.Provenance = append(r.Provenance, mk(j, j.WorkflowCall.Uses.Pos, "calls the SLSA generator "+ActionName(u)))
				r.IsolatedGenerator = true
				r.Signing = append(r.Signing, mk(j, j.WorkflowCall.Uses.Pos, "SLSA generator signs its provenance"))
			}
			continue
		}
		for _, st := range j.Steps {
			switch ex := st.Exec.(type) {
			case *actionlint.ExecAction:
				if ex.Uses == nil {
					continue
				}
				u := ex.Uses.Value
				if what, ok := lookupAction(publishActions, u); ok {
					switch ActionRepo(u) {
					case "docker/build-push-action":
						if push := input(ex, "push"); push == "" || push == "false" {
							what = ""
						}
					case "goreleaser/goreleaser-action":
						if args := input(ex, "args"); strings.Contains(args, "--snapshot") || strings.Contains(args, "build") || strings.Contains(args, "check") {
							what = ""
						}
					}
					if what != "" {
						r.Publishes = append(r.Publishes, mk(j, st.Pos, what))
						publishingJobs[j] = true
					}
				}
				if what, ok := lookupAction(provenanceActions, u); ok {
					r.Provenance = append(r.Provenance, mk(j, st.Pos, what))
				}
				switch ActionRepo(u) {
				case "docker/build-push-action":
					if input(ex, "push") != "" && input(ex, "push") != "false" {
						if pv := input(ex, "provenance"); pv != "false" {
							r.Provenance = append(r.Provenance, mk(j, st.Pos, "BuildKit provenance attestation (unsigned)"))
						}
						if sb := input(ex, "sbom"); sb == "true" {
							r.SBOM = append(r.SBOM, mk(j, st.Pos, "BuildKit SBOM attestation"))
						}
					}
				case "pypa/gh-action-pypi-publish":
					if input(ex, "attestations") != "false" && input(ex, "password") == "" {
						r.Provenance = append(r.Provenance, mk(j, st.Pos, "PEP 740 attestations (Sigstore-signed, trusted publishing)"))
						r.Signing = append(r.Signing, mk(j, st.Pos, "PEP 740 attestations are Sigstore-signed"))
					}
				}
				if what, ok := lookupAction(sbomActions, u); ok {
					if ActionRepo(u) == "aquasecurity/trivy-action" {
						f := input(ex, "format")
						if f == "cyclonedx" || f == "spdx" || f == "spdx-json" {
							r.SBOM = append(r.SBOM, mk(j, st.Pos, "generates an SBOM (Trivy)"))
						}
					} else {
						r.SBOM = append(r.SBOM, mk(j, st.Pos, what))
					}
				}
				if what, ok := lookupAction(signingActions, u); ok {
					r.Signing = append(r.Signing, mk(j, st.Pos, what))
				}
			case *actionlint.ExecRun:
				if ex.Run == nil {
					continue
				}
				pub, prov, sbom, sign := scriptFacts(ex.Run.Value)
				if pub != "" {
					r.Publishes = append(r.Publishes, mk(j, st.Pos, "runs "+pub))
					publishingJobs[j] = true
				}
				if prov != "" {
					r.Provenance = append(r.Provenance, mk(j, st.Pos, "runs "+prov))
				}
				if sbom != "" {
					r.SBOM = append(r.SBOM, mk(j, st.Pos, "runs "+sbom))
				}
				if sign != "" {
					r.Signing = append(r.Signing, mk(j, st.Pos, "runs "+sign))
				}
			}
		}
	}
	if len(r.Publishes) == 0 {
		return nil
	}
	for j := range publishingJobs {
		if SelfHostedLabel(j) != nil {
			r.HostedRunners = false
		}
	}
	return r
}

// SelfHostedLabel returns the runs-on label that selects a self-hosted
// runner (the "self-hosted" label or a runner group), or nil.
func SelfHostedLabel(j *actionlint.Job) *actionlint.String {
	if j == nil || j.RunsOn == nil {
		return nil
	}
	for _, l := range j.RunsOn.Labels {
		if l != nil && strings.EqualFold(l.Value, "self-hosted") {
			return l
		}
	}
	if j.RunsOn.Group != nil {
		return j.RunsOn.Group
	}
	return nil
}

// gitlabRelease collects release-hygiene facts of a GitLab file.
func gitlabRelease(p *Pipeline) *Release {
	g := p.GitLab
	r := &Release{HostedRunners: true}
	for _, j := range g.Jobs {
		if j.Hidden {
			continue
		}
		mk := func(at *actionlint.Pos, what string) Step {
			s := Step{What: what, Job: j.Name.Value}
			if at != nil {
				s.Line, s.Column = at.Line, at.Col
			}
			return s
		}
		if j.Release != nil {
			r.Publishes = append(r.Publishes, mk(j.Pos, "creates a GitLab release"))
		}
		for _, v := range j.Variables {
			if v.Name != nil && v.Name.Value == "RUNNER_GENERATE_ARTIFACTS_METADATA" && v.Value != nil && strings.EqualFold(v.Value.Value, "true") {
				r.Provenance = append(r.Provenance, mk(v.Name.Pos, "runner-generated SLSA provenance (artifacts metadata)"))
			}
		}
		if j.Artifacts != nil {
			for _, rep := range j.Artifacts.Reports {
				if rep == "cyclonedx" {
					r.SBOM = append(r.SBOM, mk(j.Artifacts.Pos, "CycloneDX report artifact"))
				}
			}
		}
		for _, line := range j.Script {
			if line == nil {
				continue
			}
			pub, prov, sbom, sign := scriptFacts(line.Value)
			if pub != "" {
				r.Publishes = append(r.Publishes, mk(line.Pos, "runs "+pub))
			}
			if prov != "" {
				r.Provenance = append(r.Provenance, mk(line.Pos, "runs "+prov))
			}
			if sbom != "" {
				r.SBOM = append(r.SBOM, mk(line.Pos, "runs "+sbom))
			}
			if sign != "" {
				r.Signing = append(r.Signing, mk(line.Pos, "runs "+sign))
			}
		}
	}
	for _, v := range g.Variables {
		if v.Name != nil && v.Name.Value == "RUNNER_GENERATE_ARTIFACTS_METADATA" && v.Value != nil && strings.EqualFold(v.Value.Value, "true") {
			r.Provenance = append(r.Provenance, Step{Line: v.Name.Pos.Line, Column: v.Name.Pos.Col, What: "runner-generated SLSA provenance (artifacts metadata)"})
		}
	}
	if len(r.Publishes) == 0 {
		return nil
	}
	return r
}
