package ci

import (
	"math/bits"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
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
	publishCmd = lazyre.New(`(?m)(^|[\s;&|(])(` +
		`npm publish|yarn (npm )?publish|pnpm publish|gem push|twine upload|poetry publish|uv publish|flit publish|hatch publish|` +
		`cargo publish|docker push|podman push|buildah push|crane push|oras push|gh release (create|upload)|` +
		`goreleaser( release)?\b|mvn\b[^\n]*\bdeploy\b|\./mvnw\b[^\n]*\bdeploy\b|gradlew?\b[^\n]*\bpublish|dotnet nuget push|nuget push|` +
		`helm push|ko (publish|build|resolve)|vsce publish|ovsx publish|jreleaser (release|full-release|deploy)|release-cli create|glab release create|` +
		`curl[^\n]*(--upload-file|-T)[^\n]*(packages|registry|artifactory|nexus))`)
	provenanceCmd = lazyre.New(`(cosign attest\b|gh attestation\b|--provenance\b|witness run|slsa-verifier|in-toto-run|RUNNER_GENERATE_ARTIFACTS_METADATA)`)
	sbomCmd       = lazyre.New(`(\bsyft\b|\bcyclonedx[-\w]*|\bcdxgen\b|\bsbom-tool\b|\btrivy\b[^\n]*--format[ =](cyclonedx|spdx)|\bdocker (buildx )?sbom\b|--sbom\b|spdx-sbom-generator|\bbom generate\b|\btern report\b)`)
	signCmd       = lazyre.New(`(\bcosign sign(-blob)?\b|\bgpg\b[^\n]*(--detach-sign|-b\b|--clearsign|--sign)|\bnotation sign\b|\bminisign\b[^\n]*-S|\bsignify\b[^\n]*-S|\bjarsigner\b|\bsigntool\b[^\n]*\bsign\b|\bcodesign\b|\bsigstore sign\b|\bgitsign\b|--sign\b)`)
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

// Families of hints, as bits of hintMatcher results.
const (
	hintPublish uint8 = 1 << iota
	hintProvenance
	hintSBOM
	hintSign
	hintAll = hintPublish | hintProvenance | hintSBOM | hintSign
)

// scriptHints finds, in one pass over a script, which families have a hint
// in it: a cheap prefilter before the regular expressions.
var scriptHints = newHintMatcher(map[uint8][]string{
	hintPublish: publishHints, hintProvenance: provenanceHints, hintSBOM: sbomHints, hintSign: signHints,
})

// hintMatcher tells which families of literal hints (three bytes or more)
// occur in a text, in one pass: a table indexed by a hash of each 3-byte
// window marks the windows that may start a hint, and only those are
// compared with the hints.
type hintMatcher struct {
	table   [1 << 12]uint8 // window hash -> 1 + index in buckets; 0: no hint
	buckets [][]hintEntry
}

type hintEntry struct {
	text string
	fam  uint8
}

func hash3(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 0x9E3779B1 >> 20
}

func newHintMatcher(fams map[uint8][]string) *hintMatcher {
	m := &hintMatcher{}
	for fam, hints := range fams {
		for _, h := range hints {
			if len(h) < 3 {
				panic("hint shorter than three bytes: " + h)
			}
			k := hash3(h[0], h[1], h[2])
			if m.table[k] == 0 {
				m.buckets = append(m.buckets, nil)
				m.table[k] = uint8(len(m.buckets))
			}
			i := m.table[k] - 1
			m.buckets[i] = append(m.buckets[i], hintEntry{text: h, fam: fam})
		}
	}
	return m
}

// first returns the families with a hint in s and, for each (by bit
// number), where its first hint starts.
func (m *hintMatcher) first(s string) (found uint8, at [8]int) {
	for i := 0; i+3 <= len(s); i++ {
		k := m.table[hash3(s[i], s[i+1], s[i+2])]
		if k == 0 {
			continue
		}
		for _, e := range m.buckets[k-1] {
			if found&e.fam == 0 && strings.HasPrefix(s[i:], e.text) {
				found |= e.fam
				at[bits.TrailingZeros8(e.fam)] = i
			}
		}
	}
	return found, at
}

// match returns the families with a hint in s.
func (m *hintMatcher) match(s string) uint8 {
	var found uint8
	for i := 0; i+3 <= len(s); i++ {
		k := m.table[hash3(s[i], s[i+1], s[i+2])]
		if k == 0 {
			continue
		}
		for _, e := range m.buckets[k-1] {
			if found&e.fam == 0 && strings.HasPrefix(s[i:], e.text) {
				found |= e.fam
				if found == hintAll {
					return found
				}
			}
		}
	}
	return found
}

// lineLiterals are, per family, literals one of which every match of the
// family's expression contains: the expressions never span lines, so only
// lines holding one of them are matched.
var lineLiterals = newHintMatcher(map[uint8][]string{
	hintPublish: {"npm publish", "yarn publish", "gem push", "twine upload", "poetry publish", "uv publish",
		"flit publish", "hatch publish", "cargo publish", "docker push", "podman push", "buildah push", "crane push",
		"oras push", "gh release create", "gh release upload", "goreleaser", "mvn", "gradle", "nuget push",
		"helm push", "ko publish", "ko build", "ko resolve", "vsce publish", "ovsx publish", "jreleaser release",
		"jreleaser full-release", "jreleaser deploy", "release-cli create", "glab release create", "curl"},
	hintProvenance: {"cosign attest", "gh attestation", "--provenance", "witness run", "slsa-verifier", "in-toto-run",
		"RUNNER_GENERATE_ARTIFACTS_METADATA"},
	hintSBOM: {"syft", "cyclonedx", "cdxgen", "sbom", "trivy", "bom generate", "tern report"},
	hintSign: {"cosign sign", "gpg", "notation sign", "minisign", "signify", "jarsigner", "signtool", "codesign",
		"sigstore sign", "gitsign", "--sign"},
})

// lineMay are, per family (by bit number), further conditions every line
// its expression matches meets: a command word with what must follow it on
// the line (mvn ... deploy, gpg ... --sign). They keep the expressions off
// lines that only mention a tool.
var lineMay = [8]func(line string) bool{
	0: func(l string) bool {
		return containsAny(l, "npm publish", "yarn publish", "gem push", "twine upload", "poetry publish", "uv publish",
			"flit publish", "hatch publish", "cargo publish", "docker push", "podman push", "buildah push", "crane push",
			"oras push", "gh release create", "gh release upload", "goreleaser", "nuget push", "helm push", "ko publish",
			"ko build", "ko resolve", "vsce publish", "ovsx publish", "jreleaser release", "jreleaser full-release",
			"jreleaser deploy", "release-cli create", "glab release create") ||
			strings.Contains(l, "mvn") && strings.Contains(l, "deploy") ||
			strings.Contains(l, "gradle") && strings.Contains(l, "publish") ||
			strings.Contains(l, "curl") && containsAny(l, "--upload-file", "-T") && containsAny(l, "packages", "registry", "artifactory", "nexus")
	},
	1: func(string) bool { return true },
	2: func(l string) bool {
		return containsAny(l, "syft", "cyclonedx", "cdxgen", "sbom", "bom generate", "tern report") ||
			strings.Contains(l, "trivy") && strings.Contains(l, "--format")
	},
	3: func(l string) bool {
		return containsAny(l, "cosign sign", "notation sign", "jarsigner", "signtool", "codesign", "sigstore sign", "gitsign", "--sign") ||
			strings.Contains(l, "gpg") && containsAny(l, "--detach-sign", "-b", "--clearsign") ||
			containsAny(l, "minisign", "signify") && strings.Contains(l, "-S")
	},
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// may says whether family fam's expression can match line.
func may(line string, fam uint8) bool { return lineMay[bits.TrailingZeros8(fam)](line) }

// literalReach is, per family (by bit number), how far into a match of its
// expression its line literal can start ("dotnet nuget push" holds
// "nuget push" 7 bytes in, "docker buildx sbom" holds "sbom" 14 bytes in).
var literalReach = [8]int{0: 7, 1: 0, 2: 14, 3: 0}

// from cuts a line to where a match of family fam can start, given where
// its first line literal is: any match starts at most literalReach before
// it, and one byte more keeps the character a match looks back at (the
// separator before a command, a \b), so the match found is the same.
func from(line string, at [8]int, fam uint8) string {
	b := bits.TrailingZeros8(fam)
	if q := at[b] - literalReach[b] - 1; q > 0 {
		return line[q:]
	}
	return line
}

// scriptFacts matches the four command families against a script: a family
// counts when one of its hints is in the script and its expression matches
// (the leftmost match). The expressions never span lines, so they run line
// by line, on the lines holding one of the family's line literals and from
// just before the first of them: the same leftmost match as a run over the
// whole script, at a fraction of the cost.
func scriptFacts(script string) (publish, prov, sbom, sign string) {
	want := scriptHints.match(script)
	var pub []string
	for rest := script; rest != "" && want != 0; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		m, at := lineLiterals.first(line)
		if m &= want; m == 0 {
			continue
		}
		if m&hintPublish != 0 && may(line, hintPublish) {
			if pub = publishCmd.FindStringSubmatch(from(line, at, hintPublish)); pub != nil {
				want &^= hintPublish
			}
		}
		if m&hintProvenance != 0 && may(line, hintProvenance) {
			if prov = provenanceCmd.FindString(from(line, at, hintProvenance)); prov != "" {
				want &^= hintProvenance
			}
		}
		if m&hintSBOM != 0 && may(line, hintSBOM) {
			if sbom = sbomCmd.FindString(from(line, at, hintSBOM)); sbom != "" {
				want &^= hintSBOM
			}
		}
		if m&hintSign != 0 && may(line, hintSign) {
			if sign = signCmd.FindString(from(line, at, hintSign)); sign != "" {
				want &^= hintSign
			}
		}
	}
	if pub != nil && !strings.Contains(script, "--dry-run") && !(strings.HasPrefix(pub[2], "goreleaser") && strings.Contains(script, "--snapshot")) {
		publish = strings.TrimSpace(pub[2])
	}
	sbom = builderSBOM(script, publish, sbom)
	return
}

// sbomOff is a builder's --sbom flag turning its SBOM off (ko
// --sbom=none, docker buildx --sbom=false).
var sbomOff = lazyre.New(`--sbom[= ]["']?(none|false)\b`)

// builderSBOM settles what a script's builders say about SBOMs beyond the
// commands that make one: a --sbom flag that turns the SBOM off makes
// none, and ko publishes an SPDX SBOM with every image it pushes unless
// told not to.
func builderSBOM(script, publish, sbom string) string {
	if sbomOff.MatchString(script) {
		if sbom == "--sbom" {
			return ""
		}
		return sbom
	}
	if sbom == "" && strings.HasPrefix(publish, "ko ") {
		return publish + " (an SPDX SBOM by default)"
	}
	return sbom
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
	return repoOf(ActionName(uses))
}

// repoOf cuts a lower-cased action name to owner/repo without copying.
func repoOf(name string) string {
	i := strings.IndexByte(name, '/')
	if i < 0 {
		return name
	}
	j := strings.IndexByte(name[i+1:], '/')
	if j < 0 {
		return name
	}
	return name[:i+1+j]
}

// lookupAction finds an action by its name, then by its repository.
func lookupAction(m map[string]string, name, repo string) (string, bool) {
	if name == "" {
		return "", false
	}
	if v, ok := m[name]; ok {
		return v, true
	}
	v, ok := m[repo]
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
	r := Release{HostedRunners: true}
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
	var publishingJobs []*actionlint.Job
	publishing := func(j *actionlint.Job) {
		for _, x := range publishingJobs {
			if x == j {
				return
			}
		}
		publishingJobs = append(publishingJobs, j)
	}
	for _, j := range p.SortedJobs() {
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
				name := ActionName(u)
				repo := repoOf(name)
				if what, ok := lookupAction(publishActions, name, repo); ok {
					switch repo {
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
						publishing(j)
					}
				}
				if what, ok := lookupAction(provenanceActions, name, repo); ok {
					r.Provenance = append(r.Provenance, mk(j, st.Pos, what))
				}
				switch repo {
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
				if what, ok := lookupAction(sbomActions, name, repo); ok {
					if repo == "aquasecurity/trivy-action" {
						f := input(ex, "format")
						if f == "cyclonedx" || f == "spdx" || f == "spdx-json" {
							r.SBOM = append(r.SBOM, mk(j, st.Pos, "generates an SBOM (Trivy)"))
						}
					} else {
						r.SBOM = append(r.SBOM, mk(j, st.Pos, what))
					}
				}
				if what, ok := lookupAction(signingActions, name, repo); ok {
					r.Signing = append(r.Signing, mk(j, st.Pos, what))
				}
			case *actionlint.ExecRun:
				if ex.Run == nil {
					continue
				}
				pub, prov, sbom, sign := scriptFacts(ex.Run.Value)
				if pub != "" {
					r.Publishes = append(r.Publishes, mk(j, st.Pos, "runs "+pub))
					publishing(j)
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
	for _, j := range publishingJobs {
		if SelfHostedLabel(j) != nil {
			r.HostedRunners = false
		}
	}
	out := r
	return &out
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
