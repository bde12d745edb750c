// Package signingchecks judges the signing evidence: do signatures and
// attestations verify against the trust policy, is every release artifact
// signed, does provenance show the SLSA level the policy asks for, and do
// in-toto layouts verify. Checks are pure functions over evidence.
package signingchecks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// All returns every signing check.
func All() []controls.Check {
	return []controls.Check{
		NewBundleVerified(), NewArtifactSigned(), NewProvenanceVerified(), NewSLSALevel(),
		NewAttestationSubjectMatch(), NewLayoutVerified(), NewTrustPolicyMissing(),
	}
}

// payload is evidence.PayloadAs, short for the many uses here.
func payload[T any](e *evidence.Evidence) (*T, bool) { return evidence.PayloadAs[T](e) }

func statusOf(s string) evidence.Status {
	switch s {
	case signing.StatusVerified:
		return evidence.Pass
	case signing.StatusFailed:
		return evidence.Fail
	}
	return evidence.NotAssessed
}

func loc(path string) *evidence.Location { return &evidence.Location{Path: path} }

// located anchors a finding at the file it judges.
func located(f evidence.Finding, path string) evidence.Finding {
	f.Location = loc(path)
	return f
}

func done(f evidence.Finding, ids ...string) evidence.Finding {
	f.Evidence = ids
	f.Identify()
	return f
}

// NewBundleVerified is SIGN-SIGSTORE-BUNDLE-VERIFIED: every signed object
// found (Sigstore bundle, DSSE envelope) verifies against the trust policy.
func NewBundleVerified() controls.Check {
	c := controls.Check{
		ID:          "SIGN-SIGSTORE-BUNDLE-VERIFIED",
		Title:       "Signatures and Sigstore bundles verify against the trust policy",
		Rationale:   "A signature only protects integrity when it verifies against trust anchors and signer identities the organisation chose; one that fails to verify is evidence of tampering or of an untrusted signer.",
		Remediation: "Re-sign the artifact with a trusted identity or key, or pin the signer's identity and trusted root in policy.sigstore; investigate any signature that fails.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{signing.KindSignature},
	}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, s *signing.Signature) evidence.Finding {
		msg := fmt.Sprintf("%s %s verified", s.Format, s.Path)
		switch s.Status {
		case signing.StatusVerified:
			if s.Signer != "" {
				msg += " (signed by " + s.Signer + ")"
			}
		case signing.StatusFailed:
			msg = fmt.Sprintf("%s %s does not verify: %s", s.Format, s.Path, s.Reason)
		default:
			msg = fmt.Sprintf("%s %s not verified: %s", s.Format, s.Path, s.Reason)
		}
		return located(c.Finding(statusOf(s.Status), msg, e.Subject), s.Path)
	})
	return c
}

// NewArtifactSigned is SIGN-ARTIFACT-SIGNED: every release artifact has a
// verified signature or verified provenance.
func NewArtifactSigned() controls.Check {
	c := controls.Check{
		ID:          "SIGN-ARTIFACT-SIGNED",
		Title:       "Every release artifact carries a verified signature",
		Rationale:   "Integrity of released software can be checked by recipients only when each artifact is signed and the signature verifies; an unsigned artifact can be replaced without detection.",
		Remediation: "Sign each release artifact (for example with a Sigstore bundle or a DSSE-signed provenance) and ship the signature beside it.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{files.KindArtifact, signing.KindSignature, signing.KindProvenance, signing.KindPolicy, keys.KindSignatureCheck},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		type cover struct{ ids []string }
		signed := map[string]*cover{} // target \x00 sha256
		policyEmpty := map[string]string{}
		var arts []int
		for i := range ev {
			e := &ev[i]
			switch e.Kind {
			case files.KindArtifact:
				arts = append(arts, i)
			case signing.KindSignature:
				if s, ok := payload[signing.Signature](e); ok && s.Status == signing.StatusVerified {
					for _, a := range s.Artifacts {
						k := e.Target + "\x00" + a.SHA256
						if signed[k] == nil {
							signed[k] = &cover{}
						}
						signed[k].ids = append(signed[k].ids, e.ID)
					}
				}
			case signing.KindProvenance:
				if p, ok := payload[signing.Provenance](e); ok && p.Status == signing.StatusVerified {
					for _, a := range p.Artifacts {
						k := e.Target + "\x00" + a.SHA256
						if signed[k] == nil {
							signed[k] = &cover{}
						}
						signed[k].ids = append(signed[k].ids, e.ID)
					}
				}
			case signing.KindPolicy:
				if p, ok := payload[signing.Policy](e); ok && p.Empty() {
					policyEmpty[e.Target] = e.ID
				}
			case keys.KindSignatureCheck:
				// OpenPGP and ML-DSA/SLH-DSA detached signatures name the
				// file they cover by path.
				if s, ok := payload[keys.SignatureCheck](e); ok && s.Status == keys.StatusVerified && s.Data != "" {
					k := e.Target + "\x00path:" + s.Data
					if signed[k] == nil {
						signed[k] = &cover{}
					}
					signed[k].ids = append(signed[k].ids, e.ID)
				}
			}
		}
		var out []evidence.Finding
		for _, i := range arts {
			e := &ev[i]
			a, ok := payload[files.Artifact](e)
			if !ok || !a.Release {
				continue // sources, metadata and repository objects are not release artifacts
			}
			subj := evidence.Subject{Type: "artifact", Ref: a.Path, Digest: "sha256:" + a.SHA256}
			cv := signed[e.Target+"\x00"+a.SHA256]
			if cv == nil {
				cv = signed[e.Target+"\x00path:"+a.Path]
			}
			if cv != nil {
				f := c.Finding(evidence.Pass, fmt.Sprintf("%s has a verified signature", a.Path), subj)
				out = append(out, done(f, append([]string{e.ID}, cv.ids...)...))
				continue
			}
			if pid, empty := policyEmpty[e.Target]; empty {
				f := c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: no trust policy (policy.sigstore) to verify signatures against", a.Path), subj)
				out = append(out, done(f, e.ID, pid))
				continue
			}
			f := c.Finding(evidence.Fail, fmt.Sprintf("%s has no signature that verifies against the trust policy", a.Path), subj)
			out = append(out, done(f, e.ID))
		}
		return out
	}
	return c
}

// NewProvenanceVerified is SIGN-PROVENANCE-VERIFIED: SLSA provenance
// verifies and meets the policy's builder, source and ref expectations.
func NewProvenanceVerified() controls.Check {
	c := controls.Check{
		ID:          "SIGN-PROVENANCE-VERIFIED",
		Title:       "SLSA provenance verifies and matches the expected builder and source",
		Rationale:   "Provenance ties an artifact to the builder, source repository and ref that produced it; checked against expectations it detects artifacts built from the wrong source or by an untrusted builder.",
		Remediation: "Publish signed SLSA provenance from a trusted builder, and state the expected builder id, source repository and ref in policy.sigstore.slsa.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{signing.KindProvenance},
	}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, p *signing.Provenance) evidence.Finding {
		var msg string
		switch p.Status {
		case signing.StatusVerified:
			msg = fmt.Sprintf("provenance %s verified: builder %s, source %s@%s", p.Path, p.BuilderID, p.SourceURI, p.SourceRef)
		case signing.StatusFailed:
			msg = fmt.Sprintf("provenance %s does not verify: %s", p.Path, p.Reason)
		default:
			msg = fmt.Sprintf("provenance %s not verified: %s", p.Path, p.Reason)
		}
		return located(c.Finding(statusOf(p.Status), msg, e.Subject), p.Path)
	})
	return c
}

// NewSLSALevel is SIGN-SLSA-LEVEL: the build level the verification shows
// meets the policy's minimum and what the builder claims.
func NewSLSALevel() controls.Check {
	c := controls.Check{
		ID:          "SIGN-SLSA-LEVEL",
		Title:       "SLSA build level shown meets the level required and claimed",
		Rationale:   "A build level is a claim about how hard the build is to tamper with; only the level the verification shows (signed provenance from a hosted, isolated builder) should be relied on.",
		Remediation: "Build with a builder that provides the required SLSA level (for example a slsa-github-generator builder) or lower the expectation in policy.sigstore.slsa.min-level with a documented risk acceptance.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{signing.KindProvenance},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			p, ok := payload[signing.Provenance](&ev[i])
			if !ok || p.Status == signing.StatusNotAssessed && p.MinLevel == 0 {
				continue
			}
			var f evidence.Finding
			switch {
			case p.Status != signing.StatusVerified:
				f = c.Finding(evidence.NotAssessed, fmt.Sprintf("provenance %s did not verify: no SLSA build level is shown", p.Path), ev[i].Subject)
				if p.MinLevel > 0 {
					f = c.Finding(evidence.Fail, fmt.Sprintf("provenance %s did not verify: SLSA build level %d required, none shown", p.Path, p.MinLevel), ev[i].Subject)
				}
			case p.LevelShown < p.MinLevel:
				f = c.Finding(evidence.Fail, fmt.Sprintf("provenance %s shows SLSA build level %d, policy requires %d", p.Path, p.LevelShown, p.MinLevel), ev[i].Subject)
			case p.LevelClaimed > p.LevelShown:
				f = c.Finding(evidence.Fail, fmt.Sprintf("builder %s claims SLSA build level %d but verification shows only %d", p.BuilderID, p.LevelClaimed, p.LevelShown), ev[i].Subject)
			default:
				f = c.Finding(evidence.Pass, fmt.Sprintf("provenance %s shows SLSA build level %d (required %d, claimed %d)", p.Path, p.LevelShown, p.MinLevel, p.LevelClaimed), ev[i].Subject)
			}
			f.Location = loc(p.Path)
			out = append(out, done(f, ev[i].ID))
		}
		return out
	}
	return c
}

// NewAttestationSubjectMatch is SIGN-ATTESTATION-SUBJECT-MATCH: every
// in-toto statement is valid and names an artifact of the target.
func NewAttestationSubjectMatch() controls.Check {
	c := controls.Check{
		ID:          "SIGN-ATTESTATION-SUBJECT-MATCH",
		Title:       "Attestations are valid in-toto statements about the assessed artifacts",
		Rationale:   "An attestation says something only about the subjects whose digests it names; one whose subjects match none of the shipped artifacts, or that is malformed, attests nothing about them.",
		Remediation: "Regenerate the attestation over the released artifacts' digests; ship attestations beside the artifacts they describe.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{signing.KindAttestation},
	}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, a *signing.Attestation) evidence.Finding {
		switch {
		case !a.Valid:
			return located(c.Finding(evidence.Fail, fmt.Sprintf("%s is not a valid in-toto statement: %s", a.Path, a.Problem), e.Subject), a.Path)
		case len(a.Matched) == 0:
			return located(c.Finding(evidence.Fail, fmt.Sprintf("%s: no subject (%s) matches an artifact of the target", a.Path, strings.Join(a.Subjects, ", ")), e.Subject), a.Path)
		}
		var ps []string
		for _, m := range a.Matched {
			ps = append(ps, m.Path)
		}
		sort.Strings(ps)
		return located(c.Finding(evidence.Pass, fmt.Sprintf("%s attests %s", a.Path, strings.Join(ps, ", ")), e.Subject), a.Path)
	})
	return c
}

// NewLayoutVerified is SIGN-LAYOUT-VERIFIED: in-toto layouts verify.
func NewLayoutVerified() controls.Check {
	c := controls.Check{
		ID:          "SIGN-LAYOUT-VERIFIED",
		Title:       "in-toto layouts and their link metadata verify",
		Rationale:   "An in-toto layout states which functionaries perform which supply-chain steps and what each may change; verified links show the steps happened as laid out. Inspections are never run by pedigree and stay not assessed.",
		Remediation: "Sign the layout with the project owner's key, collect signed link metadata for every step, and renew the layout before it expires.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{signing.KindLayout},
	}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, l *signing.Layout) evidence.Finding {
		msg := fmt.Sprintf("layout %s verified: %d step(s), expires %s", l.Path, l.Steps, l.Expires)
		if l.Status != signing.StatusVerified {
			msg = fmt.Sprintf("layout %s: %s", l.Path, l.Reason)
		}
		return located(c.Finding(statusOf(l.Status), msg, e.Subject), l.Path)
	})
	return c
}

// NewTrustPolicyMissing is SIGN-TRUST-POLICY-MISSING: a trust policy exists
// and its files load. With none it is not assessed, never a pass.
func NewTrustPolicyMissing() controls.Check {
	c := controls.Check{
		ID:          "SIGN-TRUST-POLICY-MISSING",
		Title:       "A trust policy pins the roots, keys and identities signatures verify against",
		Rationale:   "Signature verification is only as good as the trust anchors it uses; without pinned roots, keys and identities nothing can be verified, and trust material that fails to load silently weakens verification.",
		Remediation: "Add policy.sigstore to pedigree.yaml: trusted_root.json files, expected identities per artifact, public keys, SLSA expectations and in-toto layouts.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{signing.KindPolicy},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			p, ok := payload[signing.Policy](&ev[i])
			if !ok {
				continue
			}
			subj := evidence.Subject{Type: "policy", Ref: "policy.sigstore@" + ev[i].Target}
			var f evidence.Finding
			switch {
			case len(p.Problems) > 0:
				f = c.Finding(evidence.Fail, "trust material could not be loaded: "+strings.Join(p.Problems, "; "), subj)
			case p.Empty():
				f = c.Finding(evidence.NotAssessed, fmt.Sprintf("no trust policy (policy.sigstore): %d signed object(s) found cannot be verified", p.Found), subj)
			default:
				f = c.Finding(evidence.Pass, fmt.Sprintf("trust policy loaded: %d trusted root(s), %d identity rule(s), %d key(s), %d SLSA expectation(s), %d layout(s)",
					p.TrustedRoots, p.Identities, p.Keys, p.SLSA, p.Layouts), subj)
			}
			out = append(out, done(f, ev[i].ID))
		}
		return out
	}
	return c
}
