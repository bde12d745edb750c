package signing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	intoto "github.com/in-toto/in-toto-golang/in_toto"
	"github.com/sigstore/sigstore-go/pkg/bundle"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/layout"
	"github.com/pedigree-dev/pedigree/verify/provenance"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// MaxSignedSize bounds the signed objects read (bundles, envelopes).
const MaxSignedSize = 16 << 20

const headSize = 4096

// Collector verifies the signed objects of a target against a trust policy.
type Collector struct {
	Trust *Trust
	// batch verifies the Sigstore bundles of every target collected, doing
	// once what they share (trusted-root chains, verifiers); nil verifies
	// each bundle afresh.
	batch *sigstore.Batch
}

// NewCollector returns a collector over the loaded trust policy.
func NewCollector(t *Trust) *Collector { return &Collector{Trust: t, batch: sigstore.NewBatch()} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return CollectorName }

type kind int

const (
	kindNone kind = iota
	kindBundle
	kindNPM
	kindGCB
	kindEnvelope
	kindStatement
	kindLayout
	kindCosignBlob
	kindCosignSig
)

// sniff classifies a file by its first bytes.
func sniff(head []byte) kind {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(h) == 0 || h[0] != '{' {
		return kindNone
	}
	s := string(h)
	switch {
	case strings.Contains(s, `"provenance_summary"`):
		return kindGCB
	case strings.Contains(s, `"attestations"`) && strings.Contains(s, "application/vnd.dev.sigstore.bundle"):
		return kindNPM
	case sigstore.LooksLikeCosignBlobBundle(h):
		return kindCosignBlob
	case sigstore.LooksLikeBundle(h):
		return kindBundle
	case dsse.LooksLikeEnvelope(h), strings.Contains(s, `"payloadType"`):
		return kindEnvelope
	case strings.Contains(s, `"signed"`) && strings.Contains(s, `"_type"`) && strings.Contains(s, `"layout"`):
		return kindLayout
	case strings.Contains(s, `"_type"`) && strings.Contains(s, "in-toto.io/Statement"):
		return kindStatement
	}
	return kindNone
}

// digestIndex maps the target's artifacts by digest, computed on first use.
type digestIndex struct {
	t      *collectors.Target
	built  bool
	sha256 map[string]string // hex -> path
	sha512 map[string]string
	byPath map[string]string // path -> sha256
}

func (d *digestIndex) build() {
	if d.built {
		return
	}
	d.built = true
	d.sha256, d.sha512, d.byPath = map[string]string{}, map[string]string{}, map[string]string{}
	for _, f := range d.t.Files {
		r, err := d.t.Open(f.Path)
		if err != nil {
			continue
		}
		h256, h512 := sha256.New(), sha512.New()
		_, err = io.Copy(io.MultiWriter(h256, h512), r)
		r.Close()
		if err != nil {
			continue
		}
		s256, s512 := hex.EncodeToString(h256.Sum(nil)), hex.EncodeToString(h512.Sum(nil))
		if _, dup := d.sha256[s256]; !dup {
			d.sha256[s256] = f.Path
			d.sha512[s512] = f.Path
		}
		d.byPath[f.Path] = s256
	}
}

// lookup finds the target's artifact with one of the digests.
func (d *digestIndex) lookup(digests map[string]string) (ArtifactRef, bool) {
	d.build()
	if h := strings.ToLower(digests["sha256"]); h != "" {
		if p, ok := d.sha256[h]; ok {
			return ArtifactRef{Path: p, SHA256: h}, true
		}
	}
	if h := strings.ToLower(digests["sha512"]); h != "" {
		if p, ok := d.sha512[h]; ok {
			return ArtifactRef{Path: p, SHA256: d.byPath[p]}, true
		}
	}
	return ArtifactRef{}, false
}

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	trust := c.Trust
	if trust == nil {
		trust = &Trust{}
	}
	idx := &digestIndex{t: t}
	var out []evidence.Evidence
	found := 0
	ociBlob := t.OCIBlobFilter()
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if f.Size == 0 || f.Size > MaxSignedSize || ociBlob(f.Path) {
			continue
		}
		head, err := readHead(t, f.Path)
		if err != nil {
			continue
		}
		k := sniff(head)
		if k == kindNone && int64(len(head)) == f.Size && isCosignSignature(f.Path, head) {
			k = kindCosignSig
		}
		if k == kindNone {
			continue
		}
		tt := *t
		tt.MaxFileSize = MaxSignedSize
		raw, err := tt.ReadFile(f.Path)
		if err != nil {
			continue
		}
		found++
		w := &work{t: t, trust: trust, batch: c.batch, idx: idx, path: f.Path, raw: raw, sum: evidence.SHA256Hex(raw)}
		switch k {
		case kindBundle:
			w.bundle()
		case kindCosignBlob:
			w.cosignBlob()
		case kindCosignSig:
			w.cosignSignature()
		case kindNPM, kindGCB:
			w.provenanceOnly()
		case kindEnvelope:
			w.envelope()
		case kindStatement:
			w.statement()
		case kindLayout:
			w.layoutFile()
		}
		out = append(out, w.out...)
	}
	pol := trust.policyPayload()
	pol.Found = found
	raw, _ := json.Marshal(pol)
	out = append(out, t.Evidence(CollectorName, KindPolicy, "", raw, evidence.Subject{Type: "policy", Ref: "policy.sigstore"}, pol))
	return out, nil
}

func readHead(t *collectors.Target, rel string) ([]byte, error) {
	f, err := t.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, headSize)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

// work is the verification of one file.
type work struct {
	t     *collectors.Target
	trust *Trust
	batch *sigstore.Batch
	idx   *digestIndex
	path  string
	raw   []byte
	// sum is raw's SHA-256, hashed once: a file of many documents makes
	// an observation of each.
	sum string
	out []evidence.Evidence
}

func (w *work) emit(kind string, subject evidence.Subject, payload any) {
	w.out = append(w.out, w.t.EvidenceOfSum(CollectorName, kind, w.path, w.sum, int64(len(w.raw)), subject, payload))
}

func artifactSubjects(refs []ArtifactRef) evidence.Subject {
	if len(refs) == 0 {
		return evidence.Subject{}
	}
	return evidence.Subject{Type: "artifact", Ref: refs[0].Path, Digest: "sha256:" + refs[0].SHA256}
}

func (w *work) subject(refs []ArtifactRef, typ string) evidence.Subject {
	if s := artifactSubjects(refs); s.Ref != "" {
		return s
	}
	return evidence.Subject{Type: typ, Ref: w.path, Digest: "sha256:" + w.sum}
}

// bundle verifies a Sigstore bundle over the artifact it names.
func (w *work) bundle() {
	docs := w.documents("sigstore-bundle")
	for _, doc := range docs {
		w.bundleDoc(doc)
	}
}

// MaxDocumentsPerFile bounds the bundles or envelopes of one JSON-lines
// file that are verified: `gh attestation download` writes a handful, and
// each is a signature observation of its own.
const MaxDocumentsPerFile = 100

// documents are the file's documents (jsonDocuments), at most
// MaxDocumentsPerFile; the rest are one not-assessed observation, so a
// file of many lines cannot make as many observations.
func (w *work) documents(format string) [][]byte {
	docs := jsonDocuments(w.raw)
	if len(docs) <= MaxDocumentsPerFile {
		return docs
	}
	sig := &Signature{Path: w.path, Format: format, Status: StatusNotAssessed,
		Reason: fmt.Sprintf("%d documents, one a line: the first %d are verified, the rest are not", len(docs), MaxDocumentsPerFile)}
	w.emit(KindSignature, w.subject(nil, "signature"), sig)
	return docs[:MaxDocumentsPerFile]
}

// jsonDocuments are the documents of a file: the file, or, when it is JSON
// lines (`gh attestation download` writes one bundle a line), each line.
func jsonDocuments(raw []byte) [][]byte {
	if json.Valid(raw) {
		return [][]byte{raw}
	}
	var docs [][]byte
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			docs = append(docs, line)
		}
	}
	if len(docs) < 2 {
		return [][]byte{raw}
	}
	return docs
}

// bundleDoc verifies one Sigstore bundle of the file.
func (w *work) bundleDoc(doc []byte) {
	sig := &Signature{Path: w.path, Format: "sigstore-bundle"}
	b, err := sigstore.ParseBundle(doc)
	if err != nil {
		sig.Status, sig.Reason = StatusFailed, err.Error()
		w.emit(KindSignature, w.subject(nil, "signature"), sig)
		return
	}
	sig.Version, _ = b.Version()
	var st *statement.Statement
	var refs []ArtifactRef
	if env := sigstore.Envelope(b); env != nil {
		sig.PayloadType = env.PayloadType
		st, err = statement.FromEnvelope(env)
		if err == nil {
			sig.PredicateType = st.PredicateType
			refs = w.matchStatement(st)
		}
	} else if md := b.GetMessageSignature().GetMessageDigest(); md != nil {
		alg := map[string]string{"SHA2_256": "sha256", "SHA2_384": "sha384", "SHA2_512": "sha512"}[md.GetAlgorithm().String()]
		if ref, ok := w.idx.lookup(map[string]string{alg: hex.EncodeToString(md.GetDigest())}); ok {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		// By name: x.tar.gz.sigstore.json, x.tar.gz.bundle, x.sigstore.
		refs = w.namedAfter(".sigstore.json", ".sigstore", ".bundle", ".bundle.json")
	}
	w.verify(sig, b, refs, st)
}

// namedAfter is the artifact the signed file is named after: its path
// without the first of suffixes it ends with, when the target holds it.
func (w *work) namedAfter(suffixes ...string) []ArtifactRef {
	for _, suf := range suffixes {
		if p, ok := strings.CutSuffix(w.path, suf); ok {
			w.idx.build()
			if h, ok := w.idx.byPath[p]; ok {
				return []ArtifactRef{{Path: p, SHA256: h}}
			}
		}
	}
	return nil
}

// verify verifies a parsed bundle over refs[0] and emits what it found.
func (w *work) verify(sig *Signature, b *bundle.Bundle, refs []ArtifactRef, st *statement.Statement) {
	sig.Artifacts = refs
	if len(refs) == 0 {
		sig.Status, sig.Reason = StatusNotAssessed, "the artifact it signs is not in the target"
		w.emit(KindSignature, w.subject(nil, "signature"), sig)
		return
	}
	pol := w.trust.sigstorePolicy(refs[0].Path)
	if pol.Trusted == nil && len(pol.Keys) == 0 {
		sig.Status, sig.Reason = StatusNotAssessed, "no trusted root or key in policy.sigstore to verify against"
		w.emit(KindSignature, w.subject(refs, "signature"), sig)
		return
	}
	if vm := b.GetVerificationMaterial(); len(vm.GetTlogEntries()) == 0 && vm.GetPublicKey() != nil {
		if up, ok := w.trust.untloggedPolicy(refs[0].Path); ok {
			pol = up
		}
	}
	// The artifact's bytes (not only its digest): Ed25519 message
	// signatures are over the message itself.
	art := sigstore.Artifact{Algorithm: "sha256"}
	if data, err := w.t.ReadFile(refs[0].Path); err == nil {
		art = sigstore.ArtifactBytes(data)
	} else {
		art.Digest, _ = hex.DecodeString(refs[0].SHA256)
	}
	res, err := w.batch.VerifyBundle(b, pol, art)
	switch {
	case errors.Is(err, sigstore.ErrPolicy):
		sig.Status, sig.Reason = StatusNotAssessed, err.Error()
	case err != nil:
		sig.Status, sig.Reason = StatusFailed, err.Error()
	default:
		sig.Status = StatusVerified
		sig.SignedWith, sig.TlogEntries, sig.Timestamps = res.SignedWith, res.TlogEntries, res.Timestamps
		if res.Certificate != nil {
			sig.Signer, sig.Issuer = res.Certificate.SubjectAlternativeName, res.Certificate.Issuer
		} else {
			sig.Signer = "key " + res.KeyAlgorithm
		}
	}
	w.emit(KindSignature, w.subject(refs, "signature"), sig)
	if st != nil {
		w.attestation(st, sig.Status == StatusVerified, refs)
		if isSLSA(st.PredicateType) {
			w.provenance(refs)
		}
	}
}

// cosignBlob verifies what `cosign sign-blob --bundle` wrote before the
// Sigstore bundle (cosign 1.x and 2.x by default): the signature, the
// certificate and the Rekor entry, over the artifact the entry records
// or, without one, the artifact the file is named after.
func (w *work) cosignBlob() {
	sig := &Signature{Path: w.path, Format: "cosign-bundle"}
	cb, err := sigstore.ParseCosignBlobBundle(w.raw)
	if err != nil {
		sig.Status, sig.Reason = StatusFailed, err.Error()
		w.emit(KindSignature, w.subject(nil, "signature"), sig)
		return
	}
	var refs []ArtifactRef
	if d := cb.LoggedDigest(); d != "" {
		if ref, ok := w.idx.lookup(map[string]string{"sha256": d}); ok {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		refs = w.namedAfter(".cosign.bundle", ".bundle", ".bundle.json")
	}
	w.verifyLegacy(sig, cb.CosignLegacy, cb.Signature, refs, "the bundle's")
}

// verifyLegacy verifies a cosign signature over refs[0] as the Sigstore
// bundle it amounts to with the material cosign kept beside it. Under a
// certificate (certFrom names where it came from) with no Rekor entry it
// is not-assessed: cosign verify-blob looks such an entry up online, and
// offline the signing time inside the certificate's minutes is unproven.
func (w *work) verifyLegacy(sig *Signature, l sigstore.CosignLegacy, sigB64 string, refs []ArtifactRef, certFrom string) {
	if len(refs) == 0 {
		w.verify(sig, nil, nil, nil)
		return
	}
	sig.Artifacts = refs
	fail := func(status, reason string) {
		sig.Status, sig.Reason = status, reason
		w.emit(KindSignature, w.subject(refs, "signature"), sig)
	}
	if len(l.RekorBundle) == 0 && l.Certificates != "" {
		fail(StatusNotAssessed, "signed under "+certFrom+" certificate with no Rekor entry beside it: the entry is only online, so the signing time is unproven offline")
		return
	}
	digest, _ := hex.DecodeString(refs[0].SHA256)
	raw, err := l.Bundle(sigstore.MessageSignatureOf(digest, sigB64))
	var b *bundle.Bundle
	if err == nil {
		b, err = sigstore.ParseBundle(raw)
	}
	if err != nil {
		fail(StatusFailed, err.Error())
		return
	}
	w.verify(sig, b, refs, nil)
}

// isCosignSignature tells a bare signature `cosign sign-blob
// --output-signature` wrote (x.sig, x-keyless.sig: base64 on one line).
func isCosignSignature(p string, b []byte) bool {
	if _, _, ok := sigstore.CosignSignatureFiles(p); !ok {
		return false
	}
	_, ok := sigstore.CosignSignature(b)
	return ok
}

// cosignSignature verifies a bare cosign signature over the artifact it
// is named after, with the certificate cosign wrote beside it if any.
// Nothing beside it records a Rekor entry: under a certificate the
// signing time is unproven offline (not-assessed); under a key it
// verifies only where the policy accepts no transparency log.
func (w *work) cosignSignature() {
	sig := &Signature{Path: w.path, Format: "cosign-signature"}
	sigB64, _ := sigstore.CosignSignature(w.raw)
	artifact, certs, _ := sigstore.CosignSignatureFiles(w.path)
	w.idx.build()
	h, ok := w.idx.byPath[artifact]
	if !ok {
		w.verifyLegacy(sig, sigstore.CosignLegacy{}, sigB64, nil, "")
		return
	}
	refs := []ArtifactRef{{Path: artifact, SHA256: h}}
	var l sigstore.CosignLegacy
	certFrom := ""
	for _, cp := range certs {
		if _, ok := w.idx.byPath[cp]; !ok {
			continue
		}
		b, err := w.t.ReadFile(cp)
		if err == nil {
			l.Certificates, err = sigstore.CosignCertificate(b)
		}
		if err != nil {
			sig.Artifacts = refs
			sig.Status, sig.Reason = StatusFailed, fmt.Sprintf("certificate %s: %v", cp, err)
			w.emit(KindSignature, w.subject(refs, "signature"), sig)
			return
		}
		certFrom = cp + "'s"
		break
	}
	w.verifyLegacy(sig, l, sigB64, refs, certFrom)
}

func isSLSA(pt string) bool {
	return pt == provenance.PredicateV1 || pt == provenance.PredicateV02 || pt == provenance.PredicateV01
}

// matchStatement maps a statement's subjects to the target's artifacts.
func (w *work) matchStatement(st *statement.Statement) []ArtifactRef {
	var refs []ArtifactRef
	seen := map[string]bool{}
	for _, s := range st.Subject {
		lower := map[string]string{}
		for a, v := range s.Digest {
			lower[strings.ToLower(a)] = v
		}
		if ref, ok := w.idx.lookup(lower); ok && !seen[ref.Path] {
			seen[ref.Path] = true
			refs = append(refs, ref)
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Path < refs[j].Path })
	return refs
}

func (w *work) attestation(st *statement.Statement, signed bool, refs []ArtifactRef) {
	a := &Attestation{Path: w.path, StatementType: st.Type, PredicateType: st.PredicateType, Signed: signed, Valid: true,
		Subjects: st.SubjectDigests(), Matched: refs}
	w.emit(KindAttestation, evidence.Subject{Type: "attestation", Ref: w.path, Digest: "sha256:" + w.sum}, a)
}

// provenance verifies the file as SLSA provenance for each matched artifact.
func (w *work) provenance(refs []ArtifactRef) {
	for _, ref := range refs {
		p := &Provenance{Path: w.path, Artifacts: []ArtifactRef{ref}}
		exp := w.trust.slsa(ref.Path)
		if exp == nil {
			p.Status, p.Reason = StatusNotAssessed, "no SLSA expectation in policy.sigstore.slsa for "+ref.Path
			w.emit(KindProvenance, artifactSubjects(p.Artifacts), p)
			continue
		}
		p.MinLevel = exp.MinLevel
		w.idx.build()
		digests := map[string]string{"sha256": ref.SHA256}
		for h, path := range w.idx.sha512 {
			if path == ref.Path {
				digests["sha512"] = h
			}
		}
		res, err := provenance.Verify(w.raw, w.trust.provenanceTrust(ref.Path), expectOf(exp), provenance.Artifact{Digests: digests})
		if err != nil {
			p.Status, p.Reason = StatusFailed, err.Error()
		} else {
			p.Status = StatusVerified
			p.Format, p.BuilderID, p.PredicateType = res.Format, res.BuilderID, res.Claims.PredicateType
			p.BuildType, p.SourceURI, p.SourceRef, p.SourceDigest = res.Claims.BuildType, res.Claims.SourceURI, res.Claims.SourceRef, res.Claims.SourceDigest
			p.LevelShown, p.LevelClaimed = res.LevelShown, res.LevelClaimed
		}
		w.emit(KindProvenance, artifactSubjects(p.Artifacts), p)
	}
}

// provenanceOnly handles npm attestations and Cloud Build provenance files,
// whose subjects are matched to the target's artifacts.
func (w *work) provenanceOnly() {
	refs := w.subjectsOfContainer()
	if len(refs) == 0 {
		p := &Provenance{Path: w.path, Status: StatusNotAssessed, Reason: "no subject of the provenance is an artifact of the target"}
		w.emit(KindProvenance, w.subject(nil, "attestation"), p)
		return
	}
	w.provenance(refs)
}

// subjectsOfContainer digs the statements out of npm / Cloud Build files.
func (w *work) subjectsOfContainer() []ArtifactRef {
	var refs []ArtifactRef
	var f struct {
		Attestations []struct {
			Bundle struct {
				DSSE struct {
					PayloadType string `json:"payloadType"`
					Payload     string `json:"payload"`
				} `json:"dsseEnvelope"`
			} `json:"bundle"`
		} `json:"attestations"`
		ProvenanceSummary struct {
			Provenance []struct {
				Envelope struct {
					PayloadType string `json:"payloadType"`
					Payload     string `json:"payload"`
				} `json:"envelope"`
			} `json:"provenance"`
		} `json:"provenance_summary"`
	}
	if dsse.CheckJSON(w.raw, MaxSignedSize) != nil || json.Unmarshal(w.raw, &f) != nil {
		return nil
	}
	var payloads []string
	for _, a := range f.Attestations {
		payloads = append(payloads, a.Bundle.DSSE.Payload)
	}
	for _, p := range f.ProvenanceSummary.Provenance {
		payloads = append(payloads, p.Envelope.Payload)
	}
	seen := map[string]bool{}
	for _, p := range payloads {
		b, err := dsse.DecodeB64(p)
		if err != nil {
			continue
		}
		st, err := statement.Parse(b)
		if err != nil {
			continue
		}
		for _, r := range w.matchStatement(st) {
			if !seen[r.Path] {
				seen[r.Path] = true
				refs = append(refs, r)
			}
		}
	}
	return refs
}

// envelope verifies a bare DSSE envelope with the policy's keys.
func (w *work) envelope() {
	docs := w.documents("dsse")
	for _, doc := range docs {
		w.envelopeDoc(doc, len(docs) == 1)
	}
}

// envelopeDoc verifies one DSSE envelope of the file (an in-toto bundle,
// .intoto.jsonl, holds one a line); whole says it is the file.
func (w *work) envelopeDoc(doc []byte, whole bool) {
	sig := &Signature{Path: w.path, Format: "dsse"}
	env, err := dsse.Parse(doc)
	if err != nil {
		sig.Status, sig.Reason = StatusFailed, err.Error()
		w.emit(KindSignature, w.subject(nil, "signature"), sig)
		return
	}
	sig.PayloadType = env.PayloadType
	if env.PayloadType == intoto.PayloadType {
		// in-toto link or layout metadata.
		var probe struct {
			Type string `json:"_type"`
		}
		_ = json.Unmarshal(env.Payload, &probe)
		switch probe.Type {
		case "link":
			return // verified through its layout
		case "layout":
			if whole {
				w.layoutFile()
			}
			return
		}
	}
	st, stErr := statement.FromEnvelope(env)
	var refs []ArtifactRef
	if stErr == nil {
		sig.PredicateType = st.PredicateType
		refs = w.matchStatement(st)
	}
	sig.Artifacts = refs
	artifact := ""
	if len(refs) > 0 {
		artifact = refs[0].Path
	}
	keys := w.trust.dsseKeys(artifact)
	if st != nil && st.PredicateType == provenance.PredicateVSA {
		for i := range w.trust.cfg.VSA {
			keys = append(keys, w.trust.vsaKeys[i]...)
		}
	}
	if len(keys) == 0 {
		sig.Status, sig.Reason = StatusNotAssessed, "no key in policy.sigstore.keys to verify the envelope with"
	} else if r, err := env.Verify(keys...); err != nil {
		sig.Status, sig.Reason = StatusFailed, err.Error()
	} else {
		sig.Status, sig.SignedWith, sig.Signer = StatusVerified, "key", r.Algorithm
		if r.KeyID != "" {
			sig.Signer += " " + r.KeyID
		}
	}
	if sig.Status == StatusVerified && st != nil && st.PredicateType == provenance.PredicateVSA {
		sig.Status, sig.Reason = w.vsa(env)
	}
	w.emit(KindSignature, w.subject(refs, "signature"), sig)
	if st != nil {
		w.attestation(st, sig.Status == StatusVerified, refs)
		if isSLSA(st.PredicateType) && len(refs) > 0 {
			w.provenance(refs)
		}
	}
}

func (w *work) vsa(env *dsse.Envelope) (string, string) {
	if len(w.trust.cfg.VSA) == 0 {
		return StatusNotAssessed, "verification summary signature verified, but no policy.sigstore.vsa expectation"
	}
	var errs []string
	for _, v := range w.trust.cfg.VSA {
		_, err := provenance.CheckVSA(env, provenance.VSAExpect{SubjectDigests: v.SubjectDigests, VerifierID: v.VerifierID,
			ResourceURI: v.ResourceURI, VerifiedLevels: v.VerifiedLevels})
		if err == nil {
			return StatusVerified, ""
		}
		errs = append(errs, err.Error())
	}
	return StatusFailed, strings.Join(errs, "; ")
}

// statement records an unsigned in-toto statement.
func (w *work) statement() {
	st, err := statement.Parse(w.raw)
	if err != nil {
		a := &Attestation{Path: w.path, Valid: false, Problem: err.Error()}
		w.emit(KindAttestation, evidence.Subject{Type: "attestation", Ref: w.path, Digest: "sha256:" + w.sum}, a)
		return
	}
	w.attestation(st, false, w.matchStatement(st))
}

// layoutFile verifies a layout the policy names (by path); a layout without
// policy keys is not assessed.
func (w *work) layoutFile() {
	l := &Layout{Path: w.path}
	abs := filepath.Join(w.t.Dir, filepath.FromSlash(w.path))
	var cfg *loadedLayout
	for i, ll := range w.trust.layouts {
		if filepath.Clean(ll.cfg.Layout) == filepath.Clean(abs) {
			cfg = &w.trust.layouts[i]
		}
	}
	subj := evidence.Subject{Type: "layout", Ref: w.path, Digest: "sha256:" + w.sum}
	if cfg == nil || len(cfg.keys) == 0 {
		l.Status, l.Reason = StatusNotAssessed, "no layout key for this layout in policy.sigstore.layouts"
		w.emit(KindLayout, subj, l)
		return
	}
	dir := cfg.cfg.LinkDir
	if dir == "" {
		dir = filepath.Dir(abs)
	}
	res, err := layout.Verify(abs, cfg.keys, dir, w.t.Now)
	if res != nil {
		l.Expires, l.Steps = res.Expires, len(res.Steps)
		for _, in := range res.Inspections {
			l.Inspections = append(l.Inspections, in.Name+": "+strings.Join(in.Run, " "))
		}
	}
	switch {
	case errors.Is(err, layout.ErrNotAssessed):
		l.Status, l.Reason = StatusNotAssessed, err.Error()
	case err != nil:
		l.Status, l.Reason = StatusFailed, err.Error()
	default:
		l.Status = StatusVerified
	}
	w.emit(KindLayout, subj, l)
}
