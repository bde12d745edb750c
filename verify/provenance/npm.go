package provenance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// NPMKey is one npm registry attestation key (registry.npmjs.org/keys.json,
// supplied as a file).
type NPMKey = sigstore.TimedKey

// ParseNPMKeys reads the npm registry keys.json (the Sigstore TUF target
// registry.npmjs.org/keys.json) and keeps the keys for attestations.
func ParseNPMKeys(b []byte) ([]NPMKey, error) {
	if err := dsse.CheckJSON(b, 1<<20); err != nil {
		return nil, fmt.Errorf("npm keys: %v", err)
	}
	var f struct {
		Keys []struct {
			KeyID     string `json:"keyId"`
			KeyUsage  string `json:"keyUsage"`
			PublicKey struct {
				RawBytes string `json:"rawBytes"`
				ValidFor struct {
					Start string `json:"start"`
					End   string `json:"end"`
				} `json:"validFor"`
			} `json:"publicKey"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("npm keys: %v", err)
	}
	var out []NPMKey
	for i, k := range f.Keys {
		if k.KeyUsage != "" && k.KeyUsage != "npm:attestations" {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(k.PublicKey.RawBytes)
		if err != nil {
			return nil, fmt.Errorf("npm keys: key %d: rawBytes is not base64", i)
		}
		pub, err := sigstore.ParsePublicKey(der)
		if err != nil {
			return nil, fmt.Errorf("npm keys: key %d (%s): %v", i, k.KeyID, err)
		}
		nk := NPMKey{Public: pub, KeyID: k.KeyID}
		if k.PublicKey.ValidFor.Start != "" {
			if nk.NotBefore, err = time.Parse(time.RFC3339, k.PublicKey.ValidFor.Start); err != nil {
				return nil, fmt.Errorf("npm keys: key %d: validFor.start: %v", i, err)
			}
		}
		if k.PublicKey.ValidFor.End != "" {
			if nk.NotAfter, err = time.Parse(time.RFC3339, k.PublicKey.ValidFor.End); err != nil {
				return nil, fmt.Errorf("npm keys: key %d: validFor.end: %v", i, err)
			}
		}
		out = append(out, nk)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("npm keys: no npm:attestations key")
	}
	return out, nil
}

// verifyNPM checks an npm package's attestations: the registry's publish
// attestation (signed by an npm registry key) and the SLSA provenance
// (signed by a GitHub Actions certificate), both over the package tarball's
// SHA-512, for the expected name and version.
func verifyNPM(raw []byte, tr Trust, exp Expect, art Artifact) (*Result, error) {
	var f struct {
		Attestations []struct {
			PredicateType string          `json:"predicateType"`
			Bundle        json.RawMessage `json:"bundle"`
		} `json:"attestations"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errf("npm attestations: %v", err)
	}
	if tr.Sigstore == nil {
		return nil, errf("npm provenance needs a Sigstore trusted root")
	}
	if len(tr.NPMKeys) == 0 {
		return nil, errf("npm provenance needs the npm registry attestation keys (--npm-keys)")
	}
	sa, err := sigstoreArtifact(art)
	if err != nil {
		return nil, err
	}
	var pub, prov json.RawMessage
	for _, a := range f.Attestations {
		switch a.PredicateType {
		case PredicateNPMPublish:
			pub = a.Bundle
		case PredicateV1, PredicateV02:
			prov = a.Bundle
		}
	}
	if pub == nil {
		return nil, errf("npm attestations hold no publish attestation")
	}
	if prov == nil {
		return nil, errf("npm attestations hold no SLSA provenance")
	}
	// Publish attestation: registry key.
	pr, err := sigstore.Verify(pub, sigstore.Policy{Trusted: tr.Sigstore, TimedKeys: tr.NPMKeys}, sa)
	if err != nil {
		return nil, errf("publish attestation: %v", err)
	}
	pst, err := statement.FromEnvelope(&dsse.Envelope{PayloadType: pr.PayloadType, Payload: pr.Payload})
	if err != nil {
		return nil, errf("publish attestation: %v", err)
	}
	var pp struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	_ = json.Unmarshal(pst.Predicate, &pp)
	if exp.PackageName != "" && pp.Name != exp.PackageName {
		return nil, errf("package name does not match: got %q, expected %q", pp.Name, exp.PackageName)
	}
	if exp.PackageVersion != "" && pp.Version != exp.PackageVersion {
		return nil, errf("package version does not match: got %q, expected %q", pp.Version, exp.PackageVersion)
	}
	if err := matchSubject(pst, art); err != nil {
		return nil, err
	}
	// Provenance: GitHub Actions certificate.
	sr, err := sigstore.Verify(prov, sigstore.Policy{Trusted: tr.Sigstore,
		Identities: []sigstore.Identity{{SANRegex: "^https://github.com/", Issuer: GitHubIssuer}}}, sa)
	if err != nil {
		return nil, errf("provenance attestation: %v", err)
	}
	st, err := statement.FromEnvelope(&dsse.Envelope{PayloadType: sr.PayloadType, Payload: sr.Payload})
	if err != nil {
		return nil, errf("provenance attestation: %v", err)
	}
	if err := matchSubject(st, art); err != nil {
		return nil, err
	}
	wantName := "pkg:npm/" + pp.Name + "@" + pp.Version
	for _, s := range append(append([]statement.Subject{}, st.Subject...), pst.Subject...) {
		if s.Name != "" && s.Name != wantName && !strings.EqualFold(s.Name, strings.ReplaceAll(wantName, "@", "%40")) {
			if !strings.HasSuffix(s.Name, "@"+pp.Version) {
				return nil, errf("attestation subject %q does not name package %s", s.Name, wantName)
			}
		}
	}
	claims, err := ParseClaims(st)
	if err != nil {
		return nil, err
	}
	res := &Result{Format: "npm", Claims: *claims, Subjects: st.SubjectDigests(), Timestamps: sr.Timestamps}
	cert := sr.Certificate
	res.Signer = cert.BuildSignerURI
	res.BuilderID = claims.BuilderID
	if exp.BuilderID == "" {
		return nil, errf("npm provenance needs an expected builder id (--builder-id)")
	}
	if err := matchRunnerBuilder(exp.BuilderID, res.BuilderID); err != nil {
		return nil, err
	}
	if env := cert.RunnerEnvironment; env != "" && !strings.HasSuffix(hostedRunnerID(res.BuilderID), "/"+env) {
		return nil, errf("builder %s does not match the certificate's runner environment %q", res.BuilderID, env)
	}
	certRepo := firstNonEmpty(cert.SourceRepositoryURI, prefixGitHub(cert.GithubWorkflowRepository))
	if err := checkSource(certRepo, exp.SourceURI); err != nil {
		return nil, err
	}
	if claims.SourceURI != "" && NormalizeRepo(claims.SourceURI) != NormalizeRepo(certRepo) {
		return nil, errf("provenance source %s does not match the certificate's source repository %s", claims.SourceURI, certRepo)
	}
	if certRef := cert.SourceRepositoryRef; certRef != "" {
		if res.Claims.SourceRef != "" && res.Claims.SourceRef != certRef {
			return nil, errf("provenance ref %s does not match the certificate's ref %s", res.Claims.SourceRef, certRef)
		}
		res.Claims.SourceRef = certRef
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

// The npm CLI names its builder by where the job ran
// (https://github.com/actions/runner/github-hosted); provenance with the older
// SLSA v0.2 predicate names the runner alone, which means a GitHub-hosted
// runner. slsa-verifier treats the two as one builder in either direction, and
// so does this: a policy written for either form accepts both.
const (
	runnerBuilder = "https://github.com/actions/runner"
	hostedSuffix  = "/github-hosted"
)

// hostedRunnerID gives the builder id with the runner's hosting named: the
// bare runner id is the GitHub-hosted runner.
func hostedRunnerID(id string) string {
	if name, ref := splitBuilder(id); name == runnerBuilder {
		if ref != "" {
			return name + hostedSuffix + "@" + ref
		}
		return name + hostedSuffix
	}
	return id
}

// matchRunnerBuilder is matchBuilder with the GitHub runner's equivalence: an
// expected id with or without the /github-hosted status matches a provenance
// that names the other form. Any other status (self-hosted) stays distinct.
func matchRunnerBuilder(expected, actual string) error {
	err := matchBuilder(expected, actual)
	if err == nil {
		return nil
	}
	if matchBuilder(hostedRunnerID(expected), hostedRunnerID(actual)) == nil {
		return nil
	}
	return err
}
