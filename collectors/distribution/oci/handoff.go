package oci

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/provenance"
)

// The SBOM and SLSA provenance an image carries are handed to the SBOM and
// signing pillars' checks: an SBOM predicate (or an unsigned cosign .sbom
// layer) becomes "sbom.document" evidence parsed by the SBOM collector's
// own parser, a SLSA provenance predicate becomes "signing.provenance"
// evidence verified against policy.sigstore.slsa. Both name the image
// digest as their subject; their SHA-256 is that of the attestation's
// statement (or of the SBOM layer).

// blobSource is the file a blob was read from, relative to the target.
func (w *work) blobSource(b *blob) string {
	if w.s.archive {
		return w.s.path
	}
	return b.name
}

// handoff emits the SBOM and provenance evidence of one image.
func (w *work) handoff(im *image, obs []*sigObs) {
	seen := map[string]bool{}
	for _, o := range obs {
		if o.unread != nil {
			w.unreadEvidence(im, o)
			continue
		}
		if o.document == nil {
			continue
		}
		key := o.digest + "\x00" + evidence.SHA256Hex(o.document)
		switch {
		case o.kind == "sbom":
			if !seen[key+"sbom"] {
				seen[key+"sbom"] = true
				w.sbomEvidence(im, o, o.document)
			}
		case o.kind != "attestation" || o.st == nil:
		case isSBOMPredicate(o.predicateType):
			if !seen[key+"sbom"] {
				seen[key+"sbom"] = true
				w.sbomEvidence(im, o, o.st.Predicate)
			}
		case isSLSAPredicate(o.predicateType):
			if !seen[key+"prov"] {
				seen[key+"prov"] = true
				w.provenanceEvidence(im, o)
			}
		}
	}
}

func isSLSAPredicate(pt string) bool {
	return pt == provenance.PredicateV1 || pt == provenance.PredicateV02 || pt == provenance.PredicateV01
}

// subjectOf names the image digest the attestation was matched to.
func subjectOf(im *image, o *sigObs) evidence.Subject {
	ref := o.digest
	if im.ref != "" {
		ref = im.ref + "@" + o.digest
	}
	return evidence.Subject{Type: "oci-image", Ref: ref, Digest: o.digest}
}

// sbomEvidence parses an SBOM with the SBOM collector's parser, as if the
// document had been found in the target.
func (w *work) sbomEvidence(im *image, o *sigObs, doc []byte) {
	// The file is the blob (or archive) it was read from, a path readers of
	// the reports can open; the evidence's subject and Attached name the image.
	file := o.source
	d, err := sbom.ParseWith(file, doc, w.c.SBOM)
	if err != nil {
		d = &sbom.Document{File: file, Format: sbomFormat(o.predicateType + " " + o.format),
			Error: fmt.Sprintf("the attached SBOM (%s) is not a document pedigree reads: %s", strings.TrimSpace(o.predicateType+" "+o.format), err)}
		if !errors.Is(err, sbom.ErrNotSBOM) {
			d.Error = err.Error()
		}
	}
	subj := subjectOf(im, o)
	d.Attached = &sbom.Attachment{Digest: o.digest, Ref: subj.Ref, Subject: o.kind == "attestation" && !o.unsigned,
		Signature: attachedSignature(o.outcome), Message: o.message}
	w.out = append(w.out, w.s.t.Evidence(Name, sbom.EvidenceKind, o.source, o.document, subj, d))
}

// unreadEvidence hands an attachment above the size limit to the checks
// it would have reached, as not-assessed: an SBOM document refused for its
// size (SBOM-SCHEMA-VALID says not-assessed, naming the blob and the
// limit), a provenance that could not be verified. Its SHA-256 is the
// blob's, which the integrity walk computed while streaming it.
func (w *work) unreadEvidence(im *image, o *sigObs) {
	subj := subjectOf(im, o)
	var ev evidence.Evidence
	switch {
	case o.kind == "sbom" || isSBOMPredicate(o.predicateType):
		d := &sbom.Document{File: o.source, Format: sbomFormat(o.predicateType + " " + o.format), Error: o.unread.Error(), TooLarge: true,
			Attached: &sbom.Attachment{Digest: o.digest, Ref: subj.Ref, Subject: o.kind == "attestation", Signature: "not-verified", Message: o.message}}
		ev = w.s.t.Evidence(Name, sbom.EvidenceKind, o.source, nil, subj, d)
	case isSLSAPredicate(o.predicateType):
		p := &signing.Provenance{Path: o.source, PredicateType: o.predicateType, Status: signing.StatusNotAssessed, Reason: o.unread.Error(),
			Artifacts: []signing.ArtifactRef{{Path: subj.Ref, SHA256: strings.TrimPrefix(o.digest, "sha256:")}}}
		ev = w.s.t.Evidence(Name, signing.KindProvenance, o.source, nil, subj, p)
	default:
		return
	}
	ev.SHA256, ev.Size = o.blobSHA256, o.blobSize
	w.out = append(w.out, ev)
}

// attachedSignature names an attestation's verification outcome in the
// SBOM collector's words.
func attachedSignature(outcome string) string {
	switch outcome {
	case distribution.Verified:
		return "verified"
	case distribution.Failed:
		return "failed"
	}
	return "not-verified"
}

func sbomFormat(s string) string {
	if strings.Contains(strings.ToLower(s), "cyclonedx") {
		return sbom.FormatCycloneDX
	}
	return sbom.FormatSPDX
}

// provenanceEvidence verifies a SLSA provenance attestation against the
// expectation that names the image, over the image digest.
func (w *work) provenanceEvidence(im *image, o *sigObs) {
	subj := subjectOf(im, o)
	p := &signing.Provenance{Path: o.source, PredicateType: o.predicateType,
		Artifacts: []signing.ArtifactRef{{Path: subj.Ref, SHA256: strings.TrimPrefix(o.digest, "sha256:")}}}
	emit := func() {
		w.out = append(w.out, w.s.t.Evidence(Name, signing.KindProvenance, o.source, o.document, subj, p))
	}
	exp := slsaFor(w.trust.SLSA, im.ref, o.digest)
	if exp == nil {
		p.Status, p.Reason = signing.StatusNotAssessed, "no SLSA expectation in policy.sigstore.slsa names the image "+subj.Ref
		emit()
		return
	}
	if o.unsigned {
		p.MinLevel = exp.MinLevel
		p.Status, p.Reason = signing.StatusFailed, "the provenance is "+o.message+": who made it cannot be verified"
		emit()
		return
	}
	p.MinLevel = exp.MinLevel
	tr := provenance.Trust{Keys: w.trust.Keys}
	if len(w.trust.Roots) > 0 {
		tr.Sigstore = w.trust.Roots
	}
	res, err := provenance.Verify(o.envelope, tr, provenance.Expect{SourceURI: exp.SourceURI, BuilderID: exp.BuilderID,
		SourceBranch: exp.SourceBranch, SourceTag: exp.SourceTag, SourceVersionedTag: exp.SourceVersionedTag,
		PackageName: exp.PackageName, PackageVersion: exp.PackageVersion, BuildType: exp.BuildType,
		ExternalParameters: exp.ExternalParameters},
		provenance.Artifact{Digests: map[string]string{"sha256": strings.TrimPrefix(o.digest, "sha256:")}, Image: subj.Ref})
	if err != nil {
		p.Status, p.Reason = signing.StatusFailed, err.Error()
	} else {
		p.Status = signing.StatusVerified
		p.Format, p.BuilderID, p.PredicateType = res.Format, res.BuilderID, res.Claims.PredicateType
		p.BuildType, p.SourceURI, p.SourceRef, p.SourceDigest = res.Claims.BuildType, res.Claims.SourceURI, res.Claims.SourceRef, res.Claims.SourceDigest
		p.LevelShown, p.LevelClaimed = res.LevelShown, res.LevelClaimed
	}
	emit()
}

// slsaFor is the first expectation whose artifacts patterns match the
// image's reference name (with or without its tag) or its digest; an
// expectation without patterns matches every image.
func slsaFor(exps []config.SLSAExpectation, ref, digest string) *config.SLSAExpectation {
	names := imageNames(ref, digest)
	for i, e := range exps {
		if len(e.Artifacts) == 0 || matchesAny(e.Artifacts, names) {
			return &exps[i]
		}
	}
	return nil
}

// imageNames are the names a policy's artifacts patterns may give an
// image: its digest, its reference (name:tag), name:tag@digest, and its
// name without the tag.
func imageNames(ref, digest string) []string {
	names := []string{digest}
	if ref != "" {
		names = append(names, ref, ref+"@"+digest)
		if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
			names = append(names, ref[:i])
		}
	}
	return names
}

func matchesAny(patterns, names []string) bool {
	for _, pat := range patterns {
		for _, n := range names {
			if ok, _ := path.Match(pat, n); ok || pat == n {
				return true
			}
		}
	}
	return false
}
