package ci

import (
	"strings"
	"testing"
)

// scriptFactsRef is the plain form of scriptFacts: each family's hints
// searched one by one, its expression run over the whole script. The fast
// form must agree with it on every input.
func scriptFactsRef(script string) (publish, prov, sbom, sign string) {
	hinted := func(hints []string) bool {
		for _, h := range hints {
			if strings.Contains(script, h) {
				return true
			}
		}
		return false
	}
	if hinted(publishHints) {
		if m := publishCmd.FindStringSubmatch(script); m != nil && !strings.Contains(script, "--dry-run") && !(strings.HasPrefix(m[2], "goreleaser") && strings.Contains(script, "--snapshot")) {
			publish = strings.TrimSpace(m[2])
		}
	}
	if hinted(provenanceHints) {
		prov = provenanceCmd.FindString(script)
	}
	if hinted(sbomHints) {
		sbom = sbomCmd.FindString(script)
	}
	if hinted(signHints) {
		sign = signCmd.FindString(script)
	}
	sbom = builderSBOM(script, publish, sbom)
	return
}

// scriptSamples hold one command of every alternative of the four
// expressions, with near misses around them.
var scriptSamples = []string{
	"npm publish", "yarn publish", "yarn npm publish --tag x", "pnpm publish -r", "gem push pkg.gem", "twine upload dist/*",
	"poetry publish --build", "uv publish", "flit publish", "hatch publish", "cargo publish --token $T", "docker push img:1",
	"podman push x", "buildah push x", "crane push x y", "oras push r/x:1 f", "gh release create v1", "gh release upload v1 f",
	"goreleaser release --clean", "goreleaser --snapshot", "mvn -B deploy", "./mvnw -B deploy -P release", "gradle publish",
	"./gradlew publishToMavenCentral", "dotnet nuget push x.nupkg", "nuget push x", "helm push chart oci://r", "ko publish ./cmd",
	"ko build .", "ko resolve -f x", "ko build --sbom=none .", "ko publish --sbom none ./cmd", "buildx build --sbom=false --push", "vsce publish", "ovsx publish", "jreleaser release", "jreleaser full-release",
	"jreleaser deploy", "release-cli create --name x", "glab release create v1", "curl -T f https://x/packages/y",
	"curl --upload-file f https://nexus/x", "curl -Tf https://registry/x",
	"cosign attest --predicate p img", "gh attestation verify", "npm publish --provenance", "witness run -s build",
	"slsa-verifier verify-artifact", "in-toto-run -n x", "echo RUNNER_GENERATE_ARTIFACTS_METADATA=true",
	"syft . -o spdx", "cyclonedx-py env", "cdxgen -o bom.json", "sbom-tool generate", "trivy fs --format cyclonedx .",
	"trivy image --format=spdx x", "docker sbom img", "docker buildx sbom img", "buildx build --sbom=true", "spdx-sbom-generator",
	"bom generate -o x", "tern report -i img",
	"cosign sign img", "cosign sign-blob f", "gpg --detach-sign f", "gpg -b f", "gpg --clearsign f", "gpg --sign f",
	"notation sign img", "minisign -S -m f", "signify -S -s k", "jarsigner a.jar k", "signtool sign /f x", "codesign -s id x",
	"sigstore sign x", "gitsign", "x --sign",
	"echo npm publisher", "mvn test", "gradle build", "gh release view", "curl -T x", "echo pattern ", "gpg --verify",
	"make attestations", "provenance", "slsa", "xnpm publish", "a;npm publish", "(npm publish)", "a|docker push x",
	"\tnpm publish", "\r\nnpm publish\r", "goreleaser", "--dry-run npm publish", "minisign -V", "tern ", "bom ",
	"run dotnet nuget push x", "xdotnet nuget push", "build docker buildx sbom img", "xdocker buildx sbom img --sbom",
	"yarn npm publish && npm publish", "wordsyft", "x./mvnw deploy", "./mvnw deploy", "spdx-sbom-generator -p .",
}

func FuzzScriptFacts(f *testing.F) {
	for i, a := range scriptSamples {
		f.Add(a)
		f.Add("set -e\n" + a + "\necho done\n")
		f.Add(scriptSamples[(i*7+3)%len(scriptSamples)] + "\n" + a + " && " + scriptSamples[(i*5+1)%len(scriptSamples)])
	}
	f.Fuzz(func(t *testing.T, script string) {
		p, v, s, g := scriptFacts(script)
		rp, rv, rs, rg := scriptFactsRef(script)
		if p != rp || v != rv || s != rs || g != rg {
			t.Fatalf("scriptFacts(%q) = %q %q %q %q, want %q %q %q %q", script, p, v, s, g, rp, rv, rs, rg)
		}
	})
}

func TestScriptFactsAgreeOnMixes(t *testing.T) {
	for i, a := range scriptSamples {
		for j, b := range scriptSamples {
			if (i*31+j)%13 != 0 {
				continue
			}
			for _, script := range []string{a + "\n" + b, a + " && " + b, b + "\n\n" + a + "\n", "x " + a + "; " + b} {
				p, v, s, g := scriptFacts(script)
				rp, rv, rs, rg := scriptFactsRef(script)
				if p != rp || v != rv || s != rs || g != rg {
					t.Fatalf("scriptFacts(%q) = %q %q %q %q, want %q %q %q %q", script, p, v, s, g, rp, rv, rs, rg)
				}
			}
		}
	}
}

// Matches found after long prefixes: the expressions start from just
// before the first line literal, and what precedes a match (a separator, a
// word character breaking \b) must be seen as before.
func TestScriptFactsAfterPrefixes(t *testing.T) {
	step := 1
	if testing.Short() {
		step = 4
	}
	for _, a := range scriptSamples {
		for k := 0; k <= 24; k += step {
			for _, pad := range []string{"x", " ", ";", "é"} {
				script := strings.Repeat(pad, k) + a
				p, v, s, g := scriptFacts(script)
				rp, rv, rs, rg := scriptFactsRef(script)
				if p != rp || v != rv || s != rs || g != rg {
					t.Fatalf("scriptFacts(%q) = %q %q %q %q, want %q %q %q %q", script, p, v, s, g, rp, rv, rs, rg)
				}
			}
		}
	}
}

// Every sample that an expression matches must contain one of the
// family's line literals: the line-by-line search relies on it.
func TestLineLiteralsCoverMatches(t *testing.T) {
	n := 0
	for _, s := range scriptSamples {
		for fam, re := range map[uint8]interface{ MatchString(string) bool }{
			hintPublish: publishCmd, hintProvenance: provenanceCmd, hintSBOM: sbomCmd, hintSign: signCmd,
		} {
			if re.MatchString(s) {
				n++
				if lineLiterals.match(s)&fam == 0 {
					t.Errorf("%q matches family %d but holds none of its line literals", s, fam)
				}
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d samples match an expression", n)
	}
}

func FuzzHintMatcher(f *testing.F) {
	for _, s := range scriptSamples {
		f.Add(s)
	}
	fams := map[uint8][]string{hintPublish: publishHints, hintProvenance: provenanceHints, hintSBOM: sbomHints, hintSign: signHints}
	f.Fuzz(func(t *testing.T, s string) {
		var want uint8
		for fam, hints := range fams {
			for _, h := range hints {
				if strings.Contains(s, h) {
					want |= fam
				}
			}
		}
		if got := scriptHints.match(s); got != want {
			t.Fatalf("match(%q) = %b, want %b", s, got, want)
		}
	})
}

// ko attaches an SPDX SBOM to every image it publishes unless --sbom=none;
// a --sbom flag that turns the SBOM off generates none.
func TestBuilderSBOMDefaults(t *testing.T) {
	for script, want := range map[string]string{
		"ko publish ./cmd": "ko publish (an SPDX SBOM by default)",
		"demo=$(ko publish --insecure-registry -B x)":        "ko publish (an SPDX SBOM by default)",
		"ko build --sbom=none .":                             "",
		"ko build --sbom none .":                             "",
		"ko build --sbom=spdx .":                             "--sbom",
		"docker buildx build --sbom=false --push .":          "",
		"docker buildx build --sbom=true --push .":           "--sbom",
		"syft . -o spdx > sbom.json\nko build --sbom=none .": "syft",
		"docker push img:1":                                  "",
	} {
		if _, _, sbom, _ := scriptFacts(script); sbom != want {
			t.Errorf("scriptFacts(%q) sbom = %q, want %q", script, sbom, want)
		}
	}
}
