// Package provenance verifies SLSA provenance offline, covering what
// slsa-verifier covers: GitHub Actions builders (slsa-github-generator
// builders, delegated/BYOB builders, any GitHub workflow attestation such as
// the Bazel Central Registry's), npm packages (registry publish attestation
// plus provenance), Google Cloud Build (KMS keys from files) and verification
// summary attestations (VSA). Trust material is passed in; nothing is fetched.
package provenance

import (
	"crypto"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// ErrFailed is every verification failure; the message says why.
var ErrFailed = errors.New("provenance verification failed")

func errf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFailed, fmt.Sprintf(format, args...))
}

// GitHubIssuer is the OIDC issuer of GitHub Actions tokens.
const GitHubIssuer = "https://token.actions.githubusercontent.com"

// Expect is what the policy requires of the provenance.
type Expect struct {
	// SourceURI is the repository, e.g. github.com/o/r (required).
	SourceURI string `json:"sourceUri"`
	// BuilderID is name[@ref]; without @ref any version matches. Empty
	// means: only slsa-framework/slsa-github-generator reusable workflows at
	// a release tag.
	BuilderID string `json:"builderId,omitempty"`
	// SourceBranch, SourceTag (exact) and SourceVersionedTag (semver prefix).
	SourceBranch       string `json:"sourceBranch,omitempty"`
	SourceTag          string `json:"sourceTag,omitempty"`
	SourceVersionedTag string `json:"sourceVersionedTag,omitempty"`
	// PackageName and PackageVersion for npm packages.
	PackageName    string `json:"packageName,omitempty"`
	PackageVersion string `json:"packageVersion,omitempty"`
	// BuildType, when set, must equal the provenance's build type.
	BuildType string `json:"buildType,omitempty"`
	// ExternalParameters, when set, must each equal the provenance's
	// top-level externalParameters value of the same key (JSON-compared).
	ExternalParameters map[string]any `json:"externalParameters,omitempty"`
}

// Trust is the trust material.
type Trust struct {
	// Sigstore is the trusted root for Fulcio-signed provenance.
	Sigstore root.TrustedMaterial
	// Keys verify key-signed provenance (DSSE envelope or key bundle).
	Keys []crypto.PublicKey
	// NPMKeys are the npm registry attestation keys.
	NPMKeys []NPMKey
	// GCBKeys are Cloud Build KMS public keys by name (region, or
	// global-pae...).
	GCBKeys map[string]crypto.PublicKey
}

// Artifact names what was built by digest(s).
type Artifact struct {
	// Digests by algorithm (sha256, sha512), lower-case hex.
	Digests map[string]string
	// Image is the image name for container images (name@sha256:...).
	Image string
}

// Result says what was verified.
type Result struct {
	// Format: github-actions, github-dsse, npm, gcb, key.
	Format    string `json:"format"`
	Signer    string `json:"signer,omitempty"`
	BuilderID string `json:"builderId"`
	Claims    Claims `json:"claims"`
	// Subjects are the statement's subject digests (alg:hex).
	Subjects []string `json:"subjects"`
	// LevelShown is the SLSA build level the verification shows (0-3);
	// LevelClaimed what the builder claims (0: no claim).
	LevelShown   int         `json:"levelShown"`
	LevelClaimed int         `json:"levelClaimed"`
	Timestamps   []time.Time `json:"timestamps,omitempty"`
}

// Summary is the one-line verdict text.
func (r *Result) Summary() string {
	s := fmt.Sprintf("%s provenance from builder %s", r.Format, r.BuilderID)
	if r.Claims.SourceURI != "" {
		s += " for " + NormalizeRepo(r.Claims.SourceURI)
	}
	if r.Claims.SourceRef != "" {
		s += "@" + r.Claims.SourceRef
	}
	return s + fmt.Sprintf(" (SLSA build level %d shown)", r.LevelShown)
}

// Verify detects the provenance format and verifies it against the trust,
// the expectations and the artifact.
func Verify(raw []byte, tr Trust, exp Expect, art Artifact) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, errf("internal error on malformed input: %v", r)
		}
	}()
	if err := dsse.CheckJSON(raw, dsse.MaxEnvelopeSize); err != nil {
		return nil, errf("provenance: %v", err)
	}
	if exp.SourceURI == "" && !isVSAOnly(exp) {
		return nil, errf("no expected source repository (--source-uri) given")
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(dsse.FirstJSONLine(raw), &probe); err != nil {
		return nil, errf("provenance is not JSON: %v", err)
	}
	switch {
	case probe["provenance_summary"] != nil:
		return verifyGCB(raw, tr, exp, art)
	case probe["attestations"] != nil:
		return verifyNPM(raw, tr, exp, art)
	case probe["mediaType"] != nil:
		return verifyBundle(dsse.FirstJSONLine(raw), tr, exp, art)
	case probe["payloadType"] != nil:
		return verifyEnvelope(raw, tr, exp, art)
	}
	return nil, errf("unrecognised provenance format (not a Sigstore bundle, DSSE envelope, npm attestations or Cloud Build provenance)")
}

func isVSAOnly(Expect) bool { return false }

// artifactOption turns the artifact into the sigstore-go artifact.
func sigstoreArtifact(art Artifact) (sigstore.Artifact, error) {
	for _, alg := range []string{"sha256", "sha512", "sha384"} {
		if h := art.Digests[alg]; h != "" {
			b, err := hex.DecodeString(h)
			if err != nil {
				return sigstore.Artifact{}, errf("artifact %s digest is not hex", alg)
			}
			return sigstore.Artifact{Algorithm: alg, Digest: b}, nil
		}
	}
	return sigstore.Artifact{}, errf("no artifact digest to verify against")
}

// verifyBundle handles a Sigstore bundle holding a DSSE SLSA statement,
// signed by a Fulcio certificate (GitHub Actions) or a key.
func verifyBundle(raw []byte, tr Trust, exp Expect, art Artifact) (*Result, error) {
	sa, err := sigstoreArtifact(art)
	if err != nil {
		return nil, err
	}
	pol := sigstore.Policy{Trusted: tr.Sigstore, Keys: tr.Keys,
		// The identity is judged below from the certificate's extensions
		// against the builder policy; here only the issuer is pinned.
		Identities: []sigstore.Identity{{SANRegex: "^https://github.com/", Issuer: GitHubIssuer}}}
	if tr.Sigstore == nil && len(tr.Keys) == 0 {
		return nil, errf("no trusted root or key to verify the provenance signature with")
	}
	sr, err := sigstore.Verify(raw, pol, sa)
	if err != nil {
		return nil, errf("signature: %v", err)
	}
	if sr.Content != "dsse" {
		return nil, errf("bundle holds a message signature, not an attestation")
	}
	st, err := statement.FromEnvelope(&dsse.Envelope{PayloadType: sr.PayloadType, Payload: sr.Payload})
	if err != nil {
		return nil, errf("%v", err)
	}
	res := &Result{Timestamps: sr.Timestamps, Subjects: st.SubjectDigests()}
	if err := matchSubject(st, art); err != nil {
		return nil, err
	}
	claims, err := ParseClaims(st)
	if err != nil {
		return nil, err
	}
	res.Claims = *claims
	if sr.SignedWith == "key" {
		res.Format = "key"
		return finishKeySigned(res, exp)
	}
	res.Format = "github-actions"
	return finishGitHub(res, sr, exp)
}

func matchSubject(st *statement.Statement, art Artifact) error {
	if len(st.Match(art.Digests)) == 0 {
		var want []string
		for a, d := range art.Digests {
			want = append(want, a+":"+d)
		}
		return errf("no subject of the provenance matches the artifact digest %s (subjects: %s)",
			strings.Join(want, ", "), strings.Join(st.SubjectDigests(), ", "))
	}
	return nil
}

// verifyEnvelope handles a bare DSSE envelope: signed by a key the policy
// names, or (old slsa-github-generator output) by a Fulcio certificate with
// no transparency-log entry, which cannot be verified offline.
func verifyEnvelope(raw []byte, tr Trust, exp Expect, art Artifact) (*Result, error) {
	env, err := dsse.Parse(raw)
	if err != nil {
		return nil, errf("%v", err)
	}
	if len(tr.Keys) == 0 {
		signer := ""
		for _, s := range env.Signatures {
			if s.Cert != "" {
				if cs, err := summarizePEM(s.Cert); err == nil {
					signer = cs
				}
			}
		}
		if signer != "" {
			return nil, errf("envelope is signed by a certificate for %s but carries no transparency-log entry or timestamp: "+
				"offline, nothing proves the signature was made within the certificate's validity (a Sigstore bundle is needed)", signer)
		}
		return nil, errf("envelope is signed by a key and no key was given (--key)")
	}
	var keys []dsse.Key
	for _, k := range tr.Keys {
		keys = append(keys, dsse.Key{Public: k})
	}
	if _, err := env.Verify(keys...); err != nil {
		return nil, errf("signature: %v", err)
	}
	st, err := statement.FromEnvelope(env)
	if err != nil {
		return nil, errf("%v", err)
	}
	if err := matchSubject(st, art); err != nil {
		return nil, err
	}
	claims, err := ParseClaims(st)
	if err != nil {
		return nil, err
	}
	res := &Result{Format: "key", Claims: *claims, Subjects: st.SubjectDigests()}
	return finishKeySigned(res, exp)
}

// finishKeySigned judges key-signed provenance: the key is the trust, so the
// builder must be named by the policy.
func finishKeySigned(res *Result, exp Expect) (*Result, error) {
	res.BuilderID = res.Claims.BuilderID
	if exp.BuilderID == "" {
		return nil, errf("key-signed provenance needs an expected builder id (--builder-id)")
	}
	if err := matchBuilder(exp.BuilderID, res.BuilderID); err != nil {
		return nil, err
	}
	if err := checkSource(res.Claims.SourceURI, exp.SourceURI); err != nil {
		return nil, err
	}
	if err := checkRefs(res.Claims, exp); err != nil {
		return nil, err
	}
	if err := checkParams(res.Claims, exp); err != nil {
		return nil, err
	}
	res.LevelShown = 2
	res.LevelClaimed = claimedLevel(res.BuilderID)
	return res, nil
}
