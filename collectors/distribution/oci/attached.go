package oci

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// Media types of what cosign and the Sigstore tools attach to images.
const (
	mtSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
	mtDSSE          = "application/vnd.dsse.envelope.v1+json"
	mtBundlePrefix  = "application/vnd.dev.sigstore.bundle"
	// mtNotarySignature is the artifact type of a Notary Project
	// (notation) signature referrer: a JWS or COSE envelope.
	mtNotarySignature = "application/vnd.cncf.notary.signature"
	annSignature      = "dev.cosignproject.cosign/signature"
	annCertificate    = "dev.sigstore.cosign/certificate"
	annChain          = "dev.sigstore.cosign/chain"
	annRekorBundle    = "dev.sigstore.cosign/bundle"
	annPredicate      = "predicateType"
	// annBundlePredicate names the predicate type of a bundle referrer
	// (cosign --new-bundle-format).
	annBundlePredicate = "dev.sigstore.bundle.predicateType"
	// cosignSignPredicate is the predicate type of an image signature
	// made as a bundle (cosign --new-bundle-format): a signature, not an
	// attestation.
	cosignSignPredicate = "https://sigstore.dev/cosign/sign/v1"
)

// artifact is a signature, attestation or SBOM manifest.
type artifact struct {
	desc   v1.Descriptor
	m      *manifest
	orphan bool
}

// sigObs is one verified (or not) signature or attestation about a digest.
type sigObs struct {
	digest string
	// kind is signature, attestation or sbom.
	kind          string
	format        string
	predicateType string
	outcome       string
	message       string
	where         string
	// What is handed to the SBOM and provenance checks: the statement
	// (attestations matched to the digest), the bytes the evidence is
	// about (the statement, or an unsigned SBOM), the DSSE envelope, and
	// the file they were read from.
	st       *statement.Statement
	document []byte
	envelope []byte
	source   string
	// unread is set when the blob was not read (above the size limit):
	// the checks it would have reached say not-assessed and why.
	unread *tooLargeError
	// blobSHA256 and blobSize are the digest and size of the blob read.
	blobSHA256 string
	blobSize   int64
	// unsigned is set for an in-toto statement no signature covers.
	unsigned bool
}

func (w *work) note(o *sigObs) { w.sigs[o.digest] = append(w.sigs[o.digest], o) }

// layerRef is one layer of an artifact manifest to verify.
type layerRef struct {
	to, kind, where string
	l               v1.Descriptor
	b               *blob
	// ann are the artifact manifest's annotations.
	ann map[string]string
}

// Kinds of artifact layers.
const (
	layerSimpleSigning = "simple-signing"
	layerDSSE          = "dsse"
	layerBundle        = "bundle"
	layerSBOM          = "sbom"
	layerInToto        = "in-toto"
)

// attached verifies every layer of one artifact manifest; archive entries
// the first pass did not keep wait for readPending.
func (w *work) attached(a *artifact) {
	if a.m.image == nil {
		return
	}
	to, scheme := attachedTo(a.desc, a.m)
	if a.m.artifactType() == mtNotarySignature {
		// A signature in another ecosystem's format is recorded as one, so
		// the image is not called unsigned, but never passed unread.
		var formats []string
		for _, l := range a.m.image.Layers {
			formats = append(formats, string(l.MediaType))
		}
		w.note(&sigObs{kind: "signature", format: "notation", digest: to, where: fmt.Sprintf("%s manifest %s", w.s.path, a.m.digest), outcome: distribution.NotVerified,
			message: fmt.Sprintf("a Notary Project signature (%s), which pedigree does not verify: check it with notation verify and record the result as manual evidence", strings.Join(formats, ", "))})
		return
	}
	for i, l := range a.m.image.Layers {
		b, ok := w.s.blobs[l.Digest.String()]
		if !ok {
			continue // the integrity walk reported it
		}
		lr := &layerRef{to: to, l: l, b: b, ann: a.m.image.Annotations, where: fmt.Sprintf("%s layer %d of %s", w.s.path, i, a.m.digest)}
		mt := string(l.MediaType)
		switch {
		case mt == mtSimpleSigning:
			lr.kind = layerSimpleSigning
		case mt == mtDSSE:
			lr.kind = layerDSSE
		case mt == mtInToto && scheme == "buildkit":
			lr.kind = layerInToto
		case strings.HasPrefix(mt, mtBundlePrefix) || strings.HasPrefix(a.m.artifactType(), mtBundlePrefix):
			lr.kind = layerBundle
		case isSBOMMediaType(mt) || scheme == "sbom":
			lr.kind = layerSBOM
		default:
			continue
		}
		raw, err := w.s.attachment(b, w.limit(lr))
		if errors.Is(err, errDeferred) {
			w.pending = append(w.pending, lr)
			continue
		}
		w.layer(lr, raw, err)
	}
}

// limit bounds what one layer may make pedigree read: a simple-signing
// payload is a small JSON document; an attestation or SBOM may hold an
// SBOM, which the SBOM collector's own limit bounds.
func (w *work) limit(lr *layerRef) int64 {
	if lr.kind == layerSimpleSigning {
		return MaxJSONBlob
	}
	return max(MaxJSONBlob, w.c.sbomLimit())
}

// readPending reads the layers an archive's first pass did not keep, in
// one more pass over the archive.
func (w *work) readPending() {
	if len(w.pending) == 0 {
		return
	}
	want := map[string]*blob{}
	byBlob := map[*blob][]*layerRef{}
	var limit int64
	for _, lr := range w.pending {
		want[lr.b.name] = lr.b
		byBlob[lr.b] = append(byBlob[lr.b], lr)
		limit = max(limit, w.limit(lr))
	}
	done := map[*blob]bool{}
	err := w.s.readEntries(want, limit, func(b *blob, data []byte, err error) {
		done[b] = true
		for _, lr := range byBlob[b] {
			if err == nil && int64(len(data)) > w.limit(lr) {
				w.layer(lr, nil, &tooLargeError{where: w.s.where(b), size: int64(len(data)), limit: w.limit(lr)})
				continue
			}
			w.layer(lr, data, err)
		}
	})
	if err != nil {
		for _, lr := range w.pending {
			if !done[lr.b] {
				w.layer(lr, nil, err)
			}
		}
	}
	w.pending = nil
}

// layer verifies one artifact layer from its bytes (or the error reading
// them).
func (w *work) layer(lr *layerRef, raw []byte, err error) {
	switch lr.kind {
	case layerSimpleSigning:
		w.simpleSigning(lr.to, lr.l, raw, err, lr.where)
	case layerDSSE:
		w.dsseLayer(lr, raw, err)
	case layerBundle:
		w.bundleLayer(lr, raw, err)
	case layerInToto:
		w.inTotoLayer(lr, raw, err)
	case layerSBOM:
		if lr.to == "" {
			return
		}
		mt := string(lr.l.MediaType)
		o := &sigObs{digest: lr.to, kind: "sbom", format: mt, outcome: distribution.NotVerified, where: lr.where,
			message: "an SBOM is attached unsigned (" + mt + ")", source: w.blobSource(lr.b), blobSHA256: lr.b.sha256, blobSize: lr.b.size}
		var tl *tooLargeError
		switch {
		case errors.As(err, &tl):
			o.unread, o.message = tl, "an SBOM is attached unsigned ("+mt+") and was not read: "+tl.Error()
		case err != nil:
			o.message = "an SBOM is attached unsigned (" + mt + ") and could not be read: " + distribution.OneLine(err)
		default:
			o.document = raw
		}
		w.note(o)
	}
}

func isSBOMMediaType(mt string) bool {
	return strings.Contains(mt, "spdx") || strings.Contains(mt, "cyclonedx")
}

// policy is the Sigstore policy a signature about digest is verified
// against, or a reason it cannot be used. The identities of
// policy.sigstore.identities that name the image replace "any identity the
// trusted root certifies".
func (w *work) policy(digest string) (sigstore.Policy, string) {
	p := w.trust.SigstorePolicy()
	if p.Trusted == nil && len(p.Keys) == 0 {
		return p, "no key or trusted root to verify against (--key, --trusted-root, distribution.keys)"
	}
	if ids := identitiesFor(w.trust.Identities, w.refs[digest], digest); len(ids) > 0 && p.Trusted != nil {
		p.Identities = ids
	}
	return p, ""
}

// identitiesFor are the expected identities whose artifacts patterns name
// the image (or that name no artifacts at all).
func identitiesFor(ids []config.SigstoreIdentity, ref, digest string) []sigstore.Identity {
	var out []sigstore.Identity
	names := imageNames(ref, digest)
	for _, id := range ids {
		if len(id.Artifacts) == 0 || matchesAny(id.Artifacts, names) {
			out = append(out, sigstore.Identity{SAN: id.SAN, SANRegex: id.SANRegex, Issuer: id.Issuer, IssuerRegex: id.IssuerRegex})
		}
	}
	return out
}

// simpleSigning verifies a cosign signature layer: the payload names the
// image digest; the signature, certificate and Rekor entry are
// annotations. They are assembled into the Sigstore bundle they amount to
// and verified by the same verifier as every other bundle.
func (w *work) simpleSigning(to string, l v1.Descriptor, payload []byte, err error, where string) {
	o := &sigObs{kind: "signature", format: "cosign", where: where, digest: to}
	if err == nil {
		var p struct {
			Critical struct {
				Image struct {
					Digest string `json:"docker-manifest-digest"`
				} `json:"image"`
				Type string `json:"type"`
			} `json:"critical"`
		}
		if err = json.Unmarshal(payload, &p); err == nil {
			if to != "" && p.Critical.Image.Digest != to {
				err = fmt.Errorf("the signed payload names %s, not the image %s it is attached to", p.Critical.Image.Digest, to)
			}
			o.digest = p.Critical.Image.Digest
		}
	}
	if o.digest == "" {
		return
	}
	defer w.note(o)
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	bundle, err := legacyBundle(l.Annotations, sigstore.MessageSignature(payload, l.Annotations[annSignature]))
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	if w.noTlog(o, l.Annotations) {
		return
	}
	w.verifyJSON(o, bundle, sigstore.ArtifactBytes(payload), sigstore.MaxBundleSize)
}

// noTlog fails a signature that carries no transparency-log entry, unless
// the user accepted that (--without-tlog-unsafe), as cosign verify does
// without --insecure-ignore-tlog.
func (w *work) noTlog(o *sigObs, ann map[string]string) bool {
	if ann[annRekorBundle] != "" || w.trust.TlogOptional() {
		return false
	}
	if _, why := w.policy(o.digest); why != "" {
		o.outcome, o.message = distribution.NotVerified, why
		return true
	}
	o.outcome = distribution.Failed
	o.message = "no transparency-log entry (Rekor bundle) is attached, so the signing time is unproven; --without-tlog-unsafe accepts key signatures without one"
	return true
}

// verifyJSON parses a bundle up to limit bytes and verifies it.
func (w *work) verifyJSON(o *sigObs, bundle []byte, art sigstore.Artifact, limit int) {
	bun, err := sigstore.ParseBundleLimit(bundle, limit)
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	w.verifyBundle(o, bun, art)
}

func (w *work) verifyBundle(o *sigObs, bun *bundle.Bundle, art sigstore.Artifact) {
	pol, why := w.policy(o.digest)
	if why != "" {
		o.outcome, o.message = distribution.NotVerified, why
		return
	}
	pol = w.trust.PolicyFor(pol, bun)
	res, err := w.c.batch.VerifyBundle(bun, pol, art)
	switch {
	case errors.Is(err, sigstore.ErrPolicy):
		o.outcome, o.message = distribution.NotVerified, distribution.OneLine(err)
	case err != nil:
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
	default:
		o.outcome = distribution.Verified
		who := "key " + res.KeyAlgorithm
		if res.Certificate != nil {
			who = res.Certificate.SubjectAlternativeName + " (" + res.Certificate.Issuer + ")"
		}
		o.message = fmt.Sprintf("signed by %s, %d transparency-log entr(y/ies)", who, res.TlogEntries)
	}
}

// dsseLayer verifies a cosign attestation layer (a DSSE envelope).
func (w *work) dsseLayer(lr *layerRef, raw []byte, err error) {
	to, l, b := lr.to, lr.l, lr.b
	o := &sigObs{kind: "attestation", format: "dsse", where: lr.where, digest: to, predicateType: l.Annotations[annPredicate],
		source: w.blobSource(b), blobSHA256: b.sha256, blobSize: b.size}
	if w.unread(o, err) {
		return
	}
	limit := int(w.limit(lr))
	var env *dsse.Envelope
	if err == nil {
		env, err = dsse.ParseLimit(raw, limit)
	}
	var st *statement.Statement
	if err == nil {
		st, err = statement.FromEnvelopeLimit(env, limit)
	}
	if err == nil {
		o.predicateType = st.PredicateType
		matched := false
		for _, s := range st.Subject {
			if "sha256:"+strings.ToLower(s.Digest["sha256"]) == to || to == "" {
				matched, o.digest = true, "sha256:"+strings.ToLower(s.Digest["sha256"])
				break
			}
		}
		if !matched {
			err = fmt.Errorf("the attestation's subjects do not name the image %s it is attached to", to)
		} else {
			o.st, o.document, o.envelope, o.source = st, env.Payload, raw, w.blobSource(b)
		}
	}
	if o.digest == "" {
		return
	}
	defer w.note(o)
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	bundle, err := legacyBundle(l.Annotations, dsseContent(env))
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	if w.noTlog(o, l.Annotations) {
		return
	}
	hx, _ := hex.DecodeString(strings.TrimPrefix(o.digest, "sha256:"))
	w.verifyJSON(o, bundle, sigstore.Artifact{Algorithm: "sha256", Digest: hx}, limit+64<<10)
	if !isSLSAPredicate(o.predicateType) {
		// Only provenance is verified again from the envelope; an SBOM
		// attestation's may be large and is not held until the hand-off.
		o.envelope = nil
	}
}

// inTotoLayer reads an unsigned in-toto statement (a BuildKit attestation
// manifest's layer). Nothing signs it: it is handed on, but never counts
// as a signed attestation, and its subject binds it to the image no better
// than the registry's naming does.
func (w *work) inTotoLayer(lr *layerRef, raw []byte, err error) {
	o := &sigObs{kind: "attestation", format: "in-toto", where: lr.where, digest: lr.to, predicateType: lr.l.Annotations[annInTotoPredicate],
		source: w.blobSource(lr.b), blobSHA256: lr.b.sha256, blobSize: lr.b.size, unsigned: true, outcome: distribution.NotVerified}
	if o.digest == "" || w.unread(o, err) {
		return
	}
	defer w.note(o)
	var st *statement.Statement
	if err == nil {
		st, err = statement.ParseLimit(raw, int(w.limit(lr)))
	}
	if err != nil {
		o.message = "an unsigned in-toto statement (BuildKit attestation manifest) that does not parse: " + distribution.OneLine(err)
		return
	}
	o.predicateType = st.PredicateType
	o.message = "an unsigned in-toto statement (BuildKit attestation manifest): nothing signs it"
	for _, s := range st.Subject {
		if "sha256:"+strings.ToLower(s.Digest["sha256"]) == lr.to {
			o.st, o.document = st, raw
			return
		}
	}
	o.message = fmt.Sprintf("an unsigned in-toto statement (BuildKit attestation manifest) whose subjects do not name the image %s it is attached to", lr.to)
}

// unread records an attestation whose blob was above the size limit: it
// is not verified, and the checks it would reach say so.
func (w *work) unread(o *sigObs, err error) bool {
	var tl *tooLargeError
	if !errors.As(err, &tl) || o.digest == "" {
		return false
	}
	o.unread, o.outcome, o.message = tl, distribution.NotVerified, tl.Error()
	w.note(o)
	return true
}

// bundleLayer verifies a Sigstore bundle attached as a referrer (cosign
// --new-bundle-format, GitHub artifact attestations).
func (w *work) bundleLayer(lr *layerRef, raw []byte, err error) {
	to, b := lr.to, lr.b
	o := &sigObs{kind: "signature", format: "sigstore-bundle", where: lr.where, digest: to,
		source: w.blobSource(b), blobSHA256: b.sha256, blobSize: b.size}
	if to == "" {
		return
	}
	if pt := cmp.Or(lr.l.Annotations[annBundlePredicate], lr.ann[annBundlePredicate]); pt != "" && pt != cosignSignPredicate {
		o.kind, o.predicateType = "attestation", pt
	}
	if w.unread(o, err) {
		return
	}
	defer w.note(o)
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	limit := int(w.limit(lr))
	bun, err := sigstore.ParseBundleLimit(raw, limit)
	if err != nil {
		o.outcome, o.message = distribution.Failed, distribution.OneLine(err)
		return
	}
	if env := sigstore.Envelope(bun); env != nil {
		o.kind = "attestation"
		if st, err := statement.FromEnvelopeLimit(env, limit); err == nil {
			o.predicateType = st.PredicateType
			if st.PredicateType == cosignSignPredicate {
				// cosign 3 signs an image as a statement of this type.
				o.kind = "signature"
			}
			for _, s := range st.Subject {
				if "sha256:"+strings.ToLower(s.Digest["sha256"]) == to {
					o.st, o.document, o.envelope, o.source = st, env.Payload, raw, w.blobSource(b)
				}
			}
		}
	}
	if len(bun.GetVerificationMaterial().GetTlogEntries()) == 0 && w.noTlog(o, nil) {
		return
	}
	hx, _ := hex.DecodeString(strings.TrimPrefix(to, "sha256:"))
	w.verifyBundle(o, bun, sigstore.Artifact{Algorithm: "sha256", Digest: hx})
}

// content is the signed part of a bundle in protobuf-JSON form.
type content map[string]any

func dsseContent(env *dsse.Envelope) content {
	var sigs []map[string]any
	for _, s := range env.Signatures {
		sig := s.Sig
		// The bundle form wants standard base64.
		if b, err := dsse.DecodeB64(s.Sig); err == nil {
			sig = base64.StdEncoding.EncodeToString(b)
		}
		sigs = append(sigs, map[string]any{"keyid": s.KeyID, "sig": sig})
	}
	return content{"dsseEnvelope": map[string]any{
		"payload": base64.StdEncoding.EncodeToString(env.Payload), "payloadType": env.PayloadType, "signatures": sigs,
	}}
}

// legacyBundle is the Sigstore bundle cosign's annotations amount to.
func legacyBundle(ann map[string]string, c content) ([]byte, error) {
	l := sigstore.CosignLegacy{Certificates: ann[annCertificate] + "\n" + ann[annChain], RekorBundle: []byte(ann[annRekorBundle])}
	return l.Bundle(c)
}
