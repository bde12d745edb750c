package provenance

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"

	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

// The reusable workflows of slsa-github-generator that pedigree trusts
// without a --builder-id, as slsa-verifier does, at a release tag.
const generatorRepo = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"

// Delegator workflows sign for a builder named in the provenance (BYOB).
var delegators = map[string]bool{
	generatorRepo + "delegator_generic_slsa3.yml":          true,
	generatorRepo + "delegator_lowperms-generic_slsa3.yml": true,
}

// finishGitHub judges a Fulcio-signed provenance: the builder is who signed
// (the certificate's build signer), or for a slsa-github-generator delegator
// the builder the provenance names; source and ref come from the certificate
// and must agree with the provenance.
func finishGitHub(res *Result, sr *sigstore.Result, exp Expect) (*Result, error) {
	cert := sr.Certificate
	if cert == nil {
		return nil, errf("no certificate in the verified bundle")
	}
	signer := cert.BuildSignerURI
	if signer == "" {
		signer = cert.SubjectAlternativeName
	}
	res.Signer = signer
	signerName, signerRef := splitBuilder(signer)
	switch {
	case delegators[signerName]:
		if !strings.HasPrefix(signerRef, "refs/tags/v") {
			return nil, errf("untrusted reusable workflow: delegator %s is not at a release tag", signer)
		}
		if res.Claims.BuilderID == "" {
			return nil, errf("delegated build names no builder id")
		}
		res.BuilderID = res.Claims.BuilderID
	default:
		res.BuilderID = signer
		if b := res.Claims.BuilderID; b != "" && strings.Contains(b, "/.github/workflows/") {
			bn, _ := splitBuilder(b)
			if bn != signerName {
				return nil, errf("untrusted reusable workflow: provenance names builder %s but was signed by %s", b, signer)
			}
		}
	}
	if exp.BuilderID == "" {
		if !strings.HasPrefix(res.BuilderID, generatorRepo) || !strings.Contains(res.BuilderID, "@refs/tags/v") {
			return nil, errf("untrusted reusable workflow: %s is not a slsa-github-generator builder at a release tag (give --builder-id to trust another builder)", res.BuilderID)
		}
		if !strings.HasPrefix(signer, generatorRepo) {
			return nil, errf("untrusted reusable workflow: signed by %s", signer)
		}
	} else if err := matchBuilder(exp.BuilderID, res.BuilderID); err != nil {
		return nil, err
	}
	// Source: the certificate is authoritative; the provenance must agree.
	certRepo := firstNonEmpty(cert.SourceRepositoryURI, prefixGitHub(cert.GithubWorkflowRepository))
	if err := checkSource(certRepo, exp.SourceURI); err != nil {
		return nil, err
	}
	if res.Claims.SourceURI != "" && NormalizeRepo(res.Claims.SourceURI) != NormalizeRepo(certRepo) {
		return nil, errf("provenance source %s does not match the certificate's source repository %s", res.Claims.SourceURI, certRepo)
	}
	certRef := firstNonEmpty(cert.SourceRepositoryRef, cert.GithubWorkflowRef)
	if res.Claims.SourceRef == "" {
		res.Claims.SourceRef = certRef
	} else if certRef != "" && res.Claims.SourceRef != certRef {
		return nil, errf("provenance ref %s does not match the certificate's ref %s", res.Claims.SourceRef, certRef)
	}
	if err := checkRefs(res.Claims, exp); err != nil {
		return nil, err
	}
	if err := checkParams(res.Claims, exp); err != nil {
		return nil, err
	}
	res.LevelShown = 2
	if strings.HasPrefix(signer, generatorRepo) && strings.Contains(signer, "_slsa3.yml@refs/tags/v") {
		// Reusable workflow isolated from the calling repository, verified
		// through the certificate: SLSA Build L3 as slsa-github-generator
		// documents it.
		res.LevelShown = 3
	}
	res.LevelClaimed = claimedLevel(res.BuilderID)
	return res, nil
}

func prefixGitHub(repo string) string {
	if repo == "" {
		return ""
	}
	return "https://github.com/" + repo
}

// splitBuilder splits "https://.../x.yml@refs/tags/v1" into name and ref.
func splitBuilder(id string) (string, string) {
	if i := strings.LastIndex(id, "@"); i > 0 {
		return id[:i], id[i+1:]
	}
	return id, ""
}

// matchBuilder compares an expected builder id (name[@ref]) with the actual.
func matchBuilder(expected, actual string) error {
	en, er := splitBuilder(expected)
	an, ar := splitBuilder(actual)
	if en != an {
		return errf("untrusted builder: builder id does not match: expected %s, got %s", expected, actual)
	}
	if er != "" && er != ar {
		return errf("untrusted builder: builder version does not match: expected %s, got %s", expected, actual)
	}
	return nil
}

func checkSource(actual, expected string) error {
	if actual == "" {
		return errf("provenance names no source repository")
	}
	if NormalizeRepo(actual) != NormalizeRepo(expected) {
		return errf("source repository does not match: expected %s, got %s", expected, actual)
	}
	return nil
}

// checkRefs applies --source-branch, --source-tag and --source-versioned-tag.
func checkRefs(c Claims, exp Expect) error {
	ref := c.SourceRef
	if exp.SourceBranch != "" {
		branch := ""
		switch {
		case strings.HasPrefix(ref, "refs/heads/"):
			branch = strings.TrimPrefix(ref, "refs/heads/")
		case c.Branch != "":
			branch = c.Branch
		case strings.HasPrefix(c.BaseRef, "refs/heads/"):
			branch = strings.TrimPrefix(c.BaseRef, "refs/heads/")
		}
		if branch != exp.SourceBranch {
			return errf("branch does not match: expected %q, got %q", exp.SourceBranch, branch)
		}
	}
	tag := c.Tag
	if strings.HasPrefix(ref, "refs/tags/") {
		tag = strings.TrimPrefix(ref, "refs/tags/")
	}
	if exp.SourceTag != "" && tag != exp.SourceTag {
		return errf("tag does not match: expected %q, got %q", exp.SourceTag, tag)
	}
	if exp.SourceVersionedTag != "" {
		if tag == "" {
			return errf("versioned tag expected %q but the build was not from a tag (ref %q)", exp.SourceVersionedTag, ref)
		}
		if err := matchVersionedTag(exp.SourceVersionedTag, tag); err != nil {
			return err
		}
	}
	return nil
}

// matchVersionedTag is slsa-verifier's semver prefix match: every component
// the expected tag gives (major, minor, patch, pre-release) must be equal.
func matchVersionedTag(expected, actual string) error {
	e, err := parseSemver(expected)
	if err != nil {
		return errf("expected versioned tag %q: %v", expected, err)
	}
	a, err := parseSemver(actual)
	if err != nil {
		return errf("tag %q is not a semantic version: %v", actual, err)
	}
	names := []string{"major", "minor", "patch"}
	for i := range e.nums {
		if i >= len(a.nums) {
			return errf("tag does not match: %s version expected '%d', got none (tag %s)", names[i], e.nums[i], actual)
		}
		if e.nums[i] != a.nums[i] {
			return errf("tag does not match: %s version expected '%d', got '%d' (tag %s)", names[i], e.nums[i], a.nums[i], actual)
		}
	}
	if e.pre != "" && e.pre != a.pre {
		return errf("tag does not match: pre-release expected %q, got %q", e.pre, a.pre)
	}
	return nil
}

type semver struct {
	nums []int
	pre  string
}

func parseSemver(s string) (semver, error) {
	var v semver
	s = strings.TrimPrefix(s, "v")
	s, _, _ = strings.Cut(s, "+")
	s, v.pre, _ = strings.Cut(s, "-")
	if s == "" {
		return v, fmt.Errorf("empty version")
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return v, fmt.Errorf("too many components")
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, fmt.Errorf("component %q is not a number", p)
		}
		v.nums = append(v.nums, n)
	}
	return v, nil
}

func checkParams(c Claims, exp Expect) error {
	if exp.BuildType != "" && c.BuildType != exp.BuildType {
		return errf("build type does not match: expected %s, got %s", exp.BuildType, c.BuildType)
	}
	if len(exp.ExternalParameters) == 0 {
		return nil
	}
	var got map[string]any
	if err := json.Unmarshal(c.ExternalParameters, &got); err != nil {
		return errf("provenance has no external parameters object to compare")
	}
	for k, want := range exp.ExternalParameters {
		// Normalise through JSON so YAML ints and JSON numbers compare.
		wb, _ := json.Marshal(want)
		var w any
		_ = json.Unmarshal(wb, &w)
		if !reflect.DeepEqual(got[k], w) {
			gb, _ := json.Marshal(got[k])
			return errf("external parameter %q does not match: expected %s, got %s", k, wb, gb)
		}
	}
	return nil
}

// claimedLevel reads the level a builder claims in its name (…_slsa3.yml,
// GoogleHostedWorker): 0 when it claims none.
func claimedLevel(builder string) int {
	switch {
	case strings.Contains(builder, "slsa3"):
		return 3
	case strings.HasPrefix(builder, "https://cloudbuild.googleapis.com/GoogleHostedWorker"):
		return 3
	case strings.Contains(builder, "slsa2"):
		return 2
	}
	return 0
}

func summarizePEM(p string) (string, error) {
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return "", fmt.Errorf("not PEM")
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return "", err
	}
	s, err := certificate.SummarizeCertificate(c)
	if err != nil {
		return "", err
	}
	return s.SubjectAlternativeName, nil
}
