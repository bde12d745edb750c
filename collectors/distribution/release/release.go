// Package release judges release pages exported as folders (what a GitHub
// or GitLab release or a download site holds): is the checksum list itself
// signed (OpenPGP, Sigstore bundle, minisign or signify) and does it cover
// every artifact, and does each artifact come with provenance and an SBOM.
package release

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/minisign"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/sshsign"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// Name is the collector name.
const Name = "distribution-release"

// Check ids this collector observes for.
const (
	CheckChecksumsSigned = "DIST-RELEASE-CHECKSUMS-SIGNED"
	CheckAttestations    = "DIST-RELEASE-ATTESTATIONS"
)

// maxList bounds a checksum list or signature read whole.
const maxList = 16 << 20

// Collector finds release folders in a target.
type Collector struct {
	Trust *distribution.Trust
	batch *sigstore.Batch
}

// New returns the collector over loaded trust.
func New(t *distribution.Trust) *Collector { return &Collector{Trust: t, batch: sigstore.NewBatch()} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// signatureSuffixes are the detached signatures looked for beside a list.
// -keyless.sig is cosign's own releases' name for a keyless signature.
var signatureSuffixes = []string{".asc", ".sig", ".gpg", ".minisig", ".sigstore.json", ".sigstore", ".bundle", ".cosign.bundle", "-keyless.sig"}

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	trust := distribution.OrDefault(c.Trust)
	if c.batch == nil {
		c.batch = sigstore.NewBatch()
	}
	present := map[string]collectors.File{}
	byDir := map[string][]string{}
	for _, f := range t.Files {
		present[f.Path] = f
		byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], f.Path)
	}
	var out []evidence.Evidence
	attested := map[string]bool{} // folders whose artifacts were judged
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if f.Size == 0 || f.Size > maxList || collectors.InGitDir(f.Path) {
			continue
		}
		raw, list, cleartext := c.checksumList(t, f)
		if list == nil || sidecar(f.Path, list) {
			continue
		}
		dir := path.Dir(f.Path)
		w := &work{c: c, t: t, trust: trust, present: present, path: f.Path, raw: raw,
			Recorder: &distribution.Recorder{T: t, Trust: trust, Collector: Name, Channel: distribution.ChannelRelease, Path: f.Path, Raw: raw}}
		w.judge(list, cleartext, byDir[dir], !attested[dir])
		attested[dir] = true
		out = append(out, w.Out...)
	}
	return out, nil
}

// checksumList reads a file that is a checksum list by its content (every
// line a checksum entry), cleartext-signed or not.
func (c *Collector) checksumList(t *collectors.Target, f collectors.File) ([]byte, *files.ChecksumFile, bool) {
	head, err := distribution.Head(t, f.Path)
	if err != nil {
		return nil, nil, false
	}
	cleartext := bytes.HasPrefix(head, []byte("-----BEGIN PGP SIGNED MESSAGE-----"))
	if !cleartext && !files.IsChecksumFile(f.Path) && !looksLikeSums(head) {
		return nil, nil, false
	}
	tt := *t
	tt.MaxFileSize = maxList
	raw, err := tt.ReadFile(f.Path)
	if err != nil {
		return nil, nil, false
	}
	body := raw
	if cleartext {
		body = cleartextBody(raw)
	}
	cf := files.ParseChecksumFile(f.Path, body)
	if len(cf.Entries) == 0 || len(cf.Problems) > len(cf.Entries) {
		return nil, nil, false
	}
	return raw, cf, cleartext
}

// looksLikeSums: the first line is "<hex>  name" or "SHA256 (name) = <hex>".
func looksLikeSums(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) == 2 && len(f[0]) >= 32 && strings.Trim(strings.ToLower(f[0]), "0123456789abcdef") == "" {
		return true
	}
	return len(f) == 4 && strings.HasPrefix(f[0], "SHA") && f[2] == "="
}

func cleartextBody(raw []byte) []byte {
	i := bytes.Index(raw, []byte("\n\n"))
	if i < 0 {
		return nil
	}
	b := raw[i+2:]
	if j := bytes.Index(b, []byte("-----BEGIN PGP SIGNATURE-----")); j >= 0 {
		b = b[:j]
	}
	return b
}

type work struct {
	c       *Collector
	t       *collectors.Target
	trust   *distribution.Trust
	present map[string]collectors.File
	path    string
	raw     []byte
	*distribution.Recorder
}

// judge verifies the list's signature and its coverage of the folder's
// artifacts, then looks for each artifact's provenance and SBOM.
func (w *work) judge(list *files.ChecksumFile, cleartext bool, siblings []string, attestations bool) {
	fd := &distribution.Finding{Check: CheckChecksumsSigned, Subject: path.Base(w.path), SHA256: evidence.SHA256Hex(w.raw)}
	sigOutcome, sigMsg, related := w.signature(cleartext, siblings)
	fd.Related = related
	// Coverage: every release artifact of the folder is listed, and
	// matches.
	listed := map[string]files.ChecksumEntry{}
	for _, e := range list.Entries {
		if e.Path != "" {
			listed[e.Path] = e
		}
	}
	var artifacts, uncovered, mismatched []string
	hashed := map[string]*distribution.Sums{} // the coverage pass's sums, sha256 among them, for the attestations
	for _, p := range siblings {
		if p == w.path || files.IsMetadata(p) || !files.IsReleaseArtifact(p) {
			continue
		}
		if !files.ReleaseContent(p, nil) {
			// Named like a package whose format has a signature: a test
			// snapshot beside the list is not an artifact it must cover.
			if head, err := distribution.Head(w.t, p); err == nil && !files.ReleaseContent(p, head) {
				continue
			}
		}
		artifacts = append(artifacts, p)
		e, ok := listed[p]
		if !ok {
			uncovered = append(uncovered, path.Base(p))
			continue
		}
		sums, err := distribution.HashFile(w.t, p, e.Algorithm)
		if err != nil || sums.Hex[e.Algorithm] != e.Digest {
			mismatched = append(mismatched, path.Base(p))
		}
		if err == nil {
			hashed[p] = sums
		}
	}
	sort.Strings(uncovered)
	var cover []string
	if len(uncovered) > 0 {
		cover = append(cover, fmt.Sprintf("%d artifact(s) not in the list: %s", len(uncovered), strings.Join(uncovered, ", ")))
	}
	if len(mismatched) > 0 {
		cover = append(cover, fmt.Sprintf("%d artifact(s) differ from their checksum: %s", len(mismatched), strings.Join(mismatched, ", ")))
	}
	switch {
	case sigOutcome == distribution.Failed || len(cover) > 0:
		fd.Outcome = distribution.Failed
	default:
		fd.Outcome = sigOutcome
	}
	msg := []string{sigMsg}
	if len(cover) == 0 {
		msg = append(msg, fmt.Sprintf("it covers all %d artifact(s) beside it", len(artifacts)))
	}
	fd.Message = w.path + ": " + strings.Join(append(msg, cover...), "; ")
	w.Record(fd)
	if attestations {
		w.attestations(artifacts, siblings, hashed)
	}
}

// sidecar tells a one-artifact checksum file (app.tar.gz.sha256) from a
// release's checksum list: it vouches for its artifact only, not for the
// folder, and the files pillar already compares it.
func sidecar(p string, list *files.ChecksumFile) bool {
	if len(list.Entries) != 1 {
		return false
	}
	e := list.Entries[0]
	base := path.Base(p)
	return e.Style == "bare" || strings.HasPrefix(base, path.Base(e.Name)+".")
}

// signature finds and verifies the list's signature.
func (w *work) signature(cleartext bool, siblings []string) (string, string, []string) {
	if cleartext {
		if len(w.trust.Keyring) == 0 {
			return distribution.NotVerified, "cleartext OpenPGP signature not verified: no keyring given (--keyring)", nil
		}
		res, _, err := pgp.VerifyCleartext(w.raw, pgp.Options{Keyring: w.trust.Keyring, Now: w.trust.At})
		if err != nil {
			return distribution.Failed, "cleartext OpenPGP signature does not verify: " + distribution.OneLine(err), nil
		}
		return distribution.Verified, res.String(), nil
	}
	var tried []string
	outcome, msg := distribution.Failed, "the checksum list is not signed (no .asc, .sig, .minisig or Sigstore bundle beside it)"
	for _, sp := range w.signatureFiles(siblings) {
		tried = append(tried, sp)
		o, m := w.verifyOne(sp)
		switch {
		case o == distribution.Verified:
			return o, fmt.Sprintf("%s: %s", path.Base(sp), m), tried
		case o == distribution.Failed || outcome != distribution.Failed || len(tried) == 1:
			outcome, msg = o, fmt.Sprintf("%s: %s", path.Base(sp), m)
		}
	}
	return outcome, msg, tried
}

// signatureFiles are the list's detached signatures present: by the
// known suffixes, in their order, then any named list.<x>.<suffix>, as
// HashiCorp names one per signing key (SHA256SUMS.72D7468F.sig), among
// the list's siblings.
func (w *work) signatureFiles(siblings []string) []string {
	var out []string
	for _, suf := range signatureSuffixes {
		if _, ok := w.present[w.path+suf]; ok {
			out = append(out, w.path+suf)
		}
	}
	var keyed []string
	for _, p := range siblings {
		rest, ok := strings.CutPrefix(p, w.path+".")
		if !ok || slices.Contains(out, p) {
			continue
		}
		for _, suf := range signatureSuffixes {
			if mid, ok := strings.CutSuffix(rest, suf); ok && mid != "" && !strings.HasSuffix(mid, ".") {
				keyed = append(keyed, p)
				break
			}
		}
	}
	sort.Strings(keyed)
	return append(out, keyed...)
}

func (w *work) verifyOne(sp string) (string, string) {
	sig, err := w.t.ReadFile(sp)
	if err != nil {
		return distribution.Failed, distribution.OneLine(err)
	}
	trimmed := bytes.TrimSpace(sig)
	switch {
	case sigstore.LooksLikeCosignBlobBundle(trimmed):
		cb, err := sigstore.ParseCosignBlobBundle(sig)
		if err != nil {
			return distribution.Failed, distribution.OneLine(err)
		}
		return w.verifyCosign(cb.Signature, cb.CosignLegacy, "")
	case bytes.HasPrefix(trimmed, []byte("{")):
		pol := w.trust.SigstorePolicy()
		if pol.Trusted == nil && len(pol.Keys) == 0 {
			return distribution.NotVerified, "Sigstore bundle not verified: no trusted root or key (--trusted-root, --key)"
		}
		bun, err := sigstore.ParseBundle(sig)
		if err != nil {
			return distribution.Failed, "Sigstore bundle does not verify: " + distribution.OneLine(err)
		}
		pol = w.trust.PolicyFor(pol, bun)
		res, err := w.c.batch.VerifyBundle(bun, pol, sigstore.ArtifactBytes(w.raw))
		return verdict("Sigstore bundle", res, err)
	case sshsign.LooksLikeSignature(trimmed):
		if len(w.trust.SSH) == 0 {
			return distribution.NotVerified, "SSH signature not verified: no OpenSSH public key or allowed_signers file given (--key)"
		}
		res, err := sshsign.Verify(bytes.NewReader(w.raw), sig, w.trust.SSH, sshsign.NamespaceFile)
		if err != nil {
			return distribution.Failed, distribution.OneLine(err)
		}
		return distribution.Verified, fmt.Sprintf("SSH signature by %s key %s (%s) verified for namespace file", res.KeyType, res.KeyID, strings.Join(res.Principals, ","))
	case bytes.HasPrefix(trimmed, []byte("untrusted comment:")):
		s, err := minisign.ParseSignature(sig)
		if err != nil {
			return distribution.Failed, distribution.OneLine(err)
		}
		if len(w.trust.Minisign) == 0 {
			return distribution.NotVerified, fmt.Sprintf("%s signature not verified: no minisign/signify public key given (--key)", s.Format)
		}
		res, err := minisign.Verify(bytes.NewReader(w.raw), s, w.trust.Minisign)
		if err != nil {
			return distribution.Failed, fmt.Sprintf("%s signature does not verify: %s", s.Format, distribution.OneLine(err))
		}
		return distribution.Verified, fmt.Sprintf("%s signature by key %s verified", res.Format, res.KeyID)
	default:
		if s, ok := sigstore.CosignSignature(sig); ok {
			cert, certPath, err := w.cosignCertificate(sp)
			if err != nil {
				return distribution.Failed, distribution.OneLine(err)
			}
			return w.verifyCosign(s, sigstore.CosignLegacy{Certificates: cert}, certPath)
		}
		if len(w.trust.Keyring) == 0 {
			return distribution.NotVerified, "OpenPGP signature not verified: no keyring given (--keyring)"
		}
		res, err := pgp.VerifyDetached(bytes.NewReader(w.raw), sig, pgp.Options{Keyring: w.trust.Keyring, Now: w.trust.At})
		if err != nil {
			return distribution.Failed, "OpenPGP signature does not verify: " + distribution.OneLine(err)
		}
		return distribution.Verified, res.String()
	}
}

// cosignCertificate reads the certificate cosign wrote beside signature
// sp, if any: its text (PEM) and its path.
func (w *work) cosignCertificate(sp string) (string, string, error) {
	_, certs, _ := sigstore.CosignSignatureFiles(sp)
	for _, cp := range certs {
		if _, ok := w.present[cp]; !ok {
			continue
		}
		b, err := w.t.ReadFile(cp)
		if err != nil {
			return "", cp, err
		}
		pemText, err := sigstore.CosignCertificate(b)
		if err != nil {
			return "", cp, fmt.Errorf("%s: %w", cp, err)
		}
		return pemText, cp, nil
	}
	return "", "", nil
}

// verifyCosign verifies a cosign blob signature over the list with the
// material cosign kept beside it, as the Sigstore bundle it amounts to.
func (w *work) verifyCosign(sigB64 string, l sigstore.CosignLegacy, certPath string) (string, string) {
	pol := w.trust.SigstorePolicy()
	if pol.Trusted == nil && len(pol.Keys) == 0 {
		return distribution.NotVerified, "cosign signature not verified: no trusted root or key (--trusted-root, --key)"
	}
	if len(l.RekorBundle) == 0 {
		switch {
		case l.Certificates != "":
			// cosign verify-blob looks such an entry up in Rekor; offline,
			// the signing time inside the certificate's minutes of
			// validity is unproven either way.
			return distribution.NotVerified, fmt.Sprintf("cosign signature with certificate %s but no Rekor entry beside it: the entry is only online, so the signing time is unproven offline (a --bundle file carries it)", path.Base(certPath))
		case !w.trust.TlogOptional():
			return distribution.Failed, "cosign signature has no transparency-log entry (Rekor bundle), so the signing time is unproven; --without-tlog-unsafe accepts key signatures without one"
		}
		pol = w.trust.UntloggedPolicy()
	}
	bun, err := l.Bundle(sigstore.MessageSignature(w.raw, sigB64))
	if err != nil {
		return distribution.Failed, "cosign signature: " + distribution.OneLine(err)
	}
	res, err := w.c.batch.Verify(bun, pol, sigstore.ArtifactBytes(w.raw))
	return verdict("cosign signature", res, err)
}

// verdict is the outcome and message of a Sigstore verification of what.
func verdict(what string, res *sigstore.Result, err error) (string, string) {
	switch {
	case errors.Is(err, sigstore.ErrPolicy):
		return distribution.NotVerified, distribution.OneLine(err)
	case err != nil:
		return distribution.Failed, what + " does not verify: " + distribution.OneLine(err)
	}
	who := "key " + res.KeyAlgorithm
	if res.Certificate != nil {
		who = res.Certificate.SubjectAlternativeName
	}
	return distribution.Verified, what + " verified, signed by " + who
}

// attestations looks, for each artifact, for provenance (an in-toto
// statement with a SLSA predicate whose subject digest is the artifact's)
// and for an SBOM (an SBOM file named after it, or an SBOM attestation).
func (w *work) attestations(artifacts, siblings []string, hashed map[string]*distribution.Sums) {
	type seen struct{ prov, sbom []string }
	byDigest := map[string]*seen{}
	sbomFiles := map[string]bool{}
	for _, p := range siblings {
		base := strings.ToLower(path.Base(p))
		if isSBOMName(base) {
			sbomFiles[p] = true
		}
		if f := w.present[p]; f.Size > maxList || !w.mayAttest(p, base) {
			continue
		}
		raw, err := w.t.ReadFile(p)
		if err != nil {
			continue
		}
		for _, st := range statements(raw) {
			for _, s := range st.Subject {
				d := strings.ToLower(s.Digest["sha256"])
				if d == "" {
					continue
				}
				if byDigest[d] == nil {
					byDigest[d] = &seen{}
				}
				switch {
				case strings.HasPrefix(st.PredicateType, "https://slsa.dev/provenance/"):
					byDigest[d].prov = append(byDigest[d].prov, p)
				case strings.HasPrefix(st.PredicateType, "https://spdx.dev/Document") || strings.HasPrefix(st.PredicateType, "https://cyclonedx.org/"):
					byDigest[d].sbom = append(byDigest[d].sbom, p)
				}
			}
		}
	}
	for _, a := range artifacts {
		fd := &distribution.Finding{Check: CheckAttestations, Path: a, Subject: path.Base(a)}
		sums := hashed[a]
		if sums == nil {
			var err error
			if sums, err = distribution.HashFile(w.t, a); err != nil {
				continue
			}
		}
		fd.SHA256 = sums.SHA256
		s := byDigest[sums.SHA256]
		if s == nil {
			s = &seen{}
		}
		stem := stemOf(path.Base(a))
		for p := range sbomFiles {
			if strings.HasPrefix(strings.ToLower(path.Base(p)), strings.ToLower(stem)) {
				s.sbom = append(s.sbom, p)
			}
		}
		sort.Strings(s.sbom)
		var missing []string
		if len(s.prov) == 0 {
			missing = append(missing, "provenance")
		}
		if len(s.sbom) == 0 {
			missing = append(missing, "SBOM")
		}
		fd.Related = append(append([]string{}, s.prov...), s.sbom...)
		if len(missing) == 0 {
			fd.Outcome = distribution.Verified
			fd.Message = fmt.Sprintf("%s has provenance (%s) and an SBOM (%s)", a, strings.Join(s.prov, ", "), strings.Join(s.sbom, ", "))
		} else {
			fd.Outcome = distribution.Failed
			fd.Message = fmt.Sprintf("%s has no %s beside it", a, strings.Join(missing, " and no "))
		}
		w.Record(fd)
	}
}

func isSBOMName(base string) bool {
	for _, s := range []string{".spdx.json", ".spdx", ".cdx.json", ".cdx.xml", ".bom.json", ".sbom", ".sbom.json", ".spdx.yaml"} {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

// stemOf drops an artifact's archive suffixes: app-1.0.tar.gz -> app-1.0.
func stemOf(b string) string {
	for _, s := range []string{".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".zip", ".deb", ".rpm", ".exe", ".msi", ".dmg", ".apk", ".whl", ".jar"} {
		if strings.HasSuffix(strings.ToLower(b), s) {
			return b[:len(b)-len(s)]
		}
	}
	return b
}

// statements reads the in-toto statements of a JSON-lines file of DSSE
// envelopes or Sigstore bundles, a single envelope or a bundle.
func statements(raw []byte) []*statement.Statement {
	var out []*statement.Statement
	for _, line := range bytes.Split(raw, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if bytes.Contains(line, []byte("vnd.dev.sigstore.bundle")) {
			if b, err := sigstore.ParseBundle(line); err == nil {
				if env := sigstore.Envelope(b); env != nil {
					if st, err := statement.FromEnvelope(env); err == nil {
						out = append(out, st)
					}
				}
			}
			continue
		}
		if env, err := dsse.Parse(line); err == nil {
			if st, err := statement.FromEnvelope(env); err == nil {
				out = append(out, st)
			}
		}
	}
	// One document over several lines: a DSSE envelope or a Sigstore
	// bundle written indented.
	if len(out) == 0 && json.Valid(raw) {
		env, err := dsse.Parse(raw)
		if err != nil {
			if b, berr := sigstore.ParseBundle(raw); berr == nil {
				env, err = sigstore.Envelope(b), nil
			}
		}
		if err == nil && env != nil {
			if st, err := statement.FromEnvelope(env); err == nil {
				out = append(out, st)
			}
		}
	}
	return out
}

// attestationSuffixes name the files releases carry attestations in.
var attestationSuffixes = []string{".intoto.jsonl", ".intoto.json", ".sigstore.json", ".sigstore", ".dsse", ".dsse.json", ".att", ".provenance"}

// mayAttest tells whether a file beside the artifacts may hold
// attestations: by its name, or by its first bytes, since releases name
// them freely (`gh attestation download` writes sha256:<hex>.jsonl).
func (w *work) mayAttest(p, base string) bool {
	for _, s := range attestationSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	head, err := distribution.Head(w.t, p)
	if err != nil {
		return false
	}
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(head) > 0 && head[0] == '{' &&
		(bytes.Contains(head, []byte(`"payloadType"`)) || bytes.Contains(head, []byte("vnd.dev.sigstore.bundle")) || bytes.Contains(head, []byte(`"dsseEnvelope"`)))
}
