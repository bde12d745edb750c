package keys

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// Name is the collector name recorded in evidence.
const Name = "keys"

// Options is the trust material signatures found in a target are checked
// against (policy.keys in pedigree.yaml). Empty trust material leaves
// signatures unverifiable, never verified.
type Options struct {
	// Keyring holds the trusted OpenPGP keys; nil: none configured.
	Keyring *pgp.Keyring
	// Validity is when an OpenPGP key must have been valid.
	Validity pgp.Validity
	// PublicKeys are trusted ML-DSA and SLH-DSA keys for raw signatures.
	PublicKeys []*pqc.PublicKey
	// Roots are trusted CA certificates (classical or post-quantum) for
	// certificates with ML-DSA or SLH-DSA signatures.
	Roots []*pqc.Certificate
	// Now is the verification clock; nil means time.Now.
	Now func() time.Time
}

// Collector inventories cryptographic material and checks signatures.
type Collector struct{ opts Options }

// New returns the collector.
func New(opts Options) *Collector { return &Collector{opts: opts} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

func (c *Collector) now() time.Time {
	if c.opts.Now != nil {
		return c.opts.Now()
	}
	return time.Now()
}

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	now := c.now()
	files := make(map[string]collectors.File, len(t.Files))
	for _, f := range t.Files {
		files[f.Path] = f
	}
	var out []evidence.Evidence
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		sigLike := isSignatureName(f.Path)
		if !Candidate(f.Path, f.Size) && !sigLike {
			// A file named like key material but too large to be one is
			// exactly where a padded private key would hide.
			if limit := candidateLimit(f.Path); limit > 0 && f.Size > limit {
				out = append(out, t.SkippedEvidence(Name, f.Path, f.Size,
					fmt.Sprintf("%d bytes, above the %d-byte limit for key material: not read", f.Size, limit)))
			}
			continue
		}
		if f.Size > MaxJSONFileSize {
			out = append(out, t.SkippedEvidence(Name, f.Path, f.Size,
				fmt.Sprintf("%d bytes, above the %d-byte limit for key material: not read", f.Size, MaxJSONFileSize)))
			continue
		}
		b, err := t.ReadFile(f.Path)
		if err != nil {
			// Unreadable file in the target: record it, go on.
			out = append(out, t.Evidence(Name, KindMaterial, f.Path, nil, fileSubject(f.Path, nil),
				&Material{Path: f.Path, Format: "unknown", Problem: oneLine(err)}))
			continue
		}
		m := ScanFile(f.Path, b, now)
		if m != nil {
			out = append(out, t.Evidence(Name, KindMaterial, f.Path, b, fileSubject(f.Path, b), m))
		}
		if sc, data := c.checkSignature(t, f.Path, b, m, files, now); sc != nil {
			subj := evidence.Subject{Type: "artifact", Ref: sc.Data}
			if sc.Data == "" {
				subj.Ref = f.Path
			}
			if data != "" {
				subj.Digest = "sha256:" + data
			}
			out = append(out, t.Evidence(Name, KindSignatureCheck, f.Path, b, subj, sc))
		}
		for _, sc := range c.checkCertificates(m, b, now) {
			out = append(out, t.Evidence(Name, KindSignatureCheck, f.Path, b, fileSubject(f.Path, b), sc))
		}
	}
	return out, nil
}

func fileSubject(p string, b []byte) evidence.Subject {
	s := evidence.Subject{Type: "file", Ref: p}
	if b != nil {
		s.Digest = "sha256:" + evidence.SHA256Hex(b)
	}
	return s
}

var sigExts = []string{".asc", ".sig", ".gpg", ".sign", ".signature"}

func isSignatureName(p string) bool {
	low := strings.ToLower(p)
	for _, e := range sigExts {
		if strings.HasSuffix(low, e) {
			return true
		}
	}
	return false
}

// signedDataFor finds the file a detached signature signs: FILE.asc signs
// FILE; FILE.<alg>.sig (FILE.mldsa65.sig) signs FILE.
func signedDataFor(sig string, files map[string]collectors.File) string {
	low := strings.ToLower(sig)
	for _, e := range sigExts {
		if !strings.HasSuffix(low, e) {
			continue
		}
		base := sig[:len(sig)-len(e)]
		if _, ok := files[base]; ok && base != "" {
			return base
		}
		if ext := path.Ext(base); ext != "" {
			if _, ok := files[strings.TrimSuffix(base, ext)]; ok {
				return strings.TrimSuffix(base, ext)
			}
		}
	}
	return ""
}

// checkSignature verifies one signature file found in the target. It
// returns nil when the file is not a signature pedigree can judge, and the
// hex SHA-256 of the signed data when it read it.
func (c *Collector) checkSignature(t *collectors.Target, p string, b []byte, m *Material, files map[string]collectors.File, now time.Time) (*SignatureCheck, string) {
	data := signedDataFor(p, files)
	isPGPSig := m != nil && m.Format == "openpgp" && hasKind(m, AssetOpenPGPSignature)
	cleartext := bytes.Contains(b[:min(len(b), 4096)], []byte("-----BEGIN PGP SIGNED MESSAGE-----"))
	switch {
	case cleartext:
		sc := &SignatureCheck{Method: "openpgp", Signature: p, Data: data}
		if c.opts.Keyring == nil {
			return unverifiable(sc, "no OpenPGP keyring configured (policy.keys.openpgp-keyrings)"), ""
		}
		res, _, err := pgp.VerifyMessage(b, c.pgpOptions(now))
		return pgpResult(sc, res, err), ""
	case isPGPSig || (m != nil && m.Format == "openpgp" && m.Problem != "" && isSignatureName(p)):
		sc := &SignatureCheck{Method: "openpgp", Signature: p, Data: data}
		if data == "" {
			return unverifiable(sc, "detached signature with no signed file next to it (FILE.sig signs FILE)"), ""
		}
		if c.opts.Keyring == nil {
			sum, _ := c.digest(t, data)
			return unverifiable(sc, "no OpenPGP keyring configured (policy.keys.openpgp-keyrings)"), sum
		}
		f, err := t.Open(data)
		if err != nil {
			sc.Status, sc.Reason = StatusFailed, oneLine(err)
			return sc, ""
		}
		defer f.Close()
		h := sha256.New()
		res, err := pgp.VerifyDetached(io.TeeReader(f, h), b, c.pgpOptions(now))
		if err != nil {
			io.Copy(h, f) // digest the rest for the subject
		}
		return pgpResult(sc, res, err), hex.EncodeToString(h.Sum(nil))
	case m == nil && data != "" && strings.HasSuffix(strings.ToLower(p), ".sig"):
		return c.checkPQC(t, p, b, data)
	}
	return nil, ""
}

func (c *Collector) digest(t *collectors.Target, p string) (string, error) {
	f, err := t.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *Collector) pgpOptions(now time.Time) pgp.Options {
	return pgp.Options{Keyring: c.opts.Keyring.Entities, Validity: c.opts.Validity, Now: now}
}

func pgpResult(sc *SignatureCheck, res *pgp.Result, err error) *SignatureCheck {
	if res != nil {
		sc.Signer = res.Primary
		if len(res.UserIDs) > 0 {
			sc.Signer += " " + res.UserIDs[0]
		}
		sc.Algorithm, sc.Hash, sc.Created, sc.Weak = res.Algorithm, res.Hash, res.Created, res.Weak
		if res.Bits > 0 {
			sc.Algorithm = fmt.Sprintf("%s-%d", res.Algorithm, res.Bits)
		}
	}
	if err != nil {
		sc.Status, sc.Reason = StatusFailed, oneLine(err)
		if errors.Is(err, pgp.ErrUnknownSigner) {
			sc.Reason += " (trusted keyring does not hold the signer)"
		}
		return sc
	}
	sc.Status, sc.Reason = StatusVerified, res.String()
	return sc
}

func unverifiable(sc *SignatureCheck, why string) *SignatureCheck {
	sc.Status, sc.Reason = StatusUnverifiable, why
	return sc
}

// checkPQC verifies a raw (or base64) ML-DSA/SLH-DSA signature over the
// file it names, against every configured key of a matching size.
func (c *Collector) checkPQC(t *collectors.Target, p string, b []byte, data string) (*SignatureCheck, string) {
	var algs []*pqc.Algorithm
	for _, a := range pqc.Algorithms {
		if _, err := pqc.DecodeSignature(a, b); err == nil {
			algs = append(algs, a)
		}
	}
	if len(algs) == 0 {
		return nil, "" // not a post-quantum signature: somebody else's format
	}
	sc := &SignatureCheck{Method: strings.ToLower(algs[0].Family), Signature: p, Data: data, Algorithm: algs[0].Name}
	var keys []*pqc.PublicKey
	for _, k := range c.opts.PublicKeys {
		for _, a := range algs {
			if k.Algorithm == a {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		sum, _ := c.digest(t, data)
		names := make([]string, len(algs))
		for i, a := range algs {
			names[i] = a.Name
		}
		return unverifiable(sc, "no "+strings.Join(names, "/")+" public key configured (policy.keys.public-keys)"), sum
	}
	content, err := t.ReadFile(data)
	if err != nil {
		sc.Status, sc.Reason = StatusFailed, oneLine(err)
		return sc, ""
	}
	sum := evidence.SHA256Hex(content)
	var last error
	for _, k := range keys {
		sig, _ := pqc.DecodeSignature(k.Algorithm, b)
		if err := k.Verify(content, sig, nil); err != nil {
			last = err
			continue
		}
		fp := sha256.Sum256(k.MarshalSPKI())
		sc.Status, sc.Algorithm = StatusVerified, k.Algorithm.Name
		sc.Signer = "sha256:" + hex.EncodeToString(fp[:])
		sc.Hash = k.Algorithm.Hash
		sc.Reason = fmt.Sprintf("good %s signature by key %s", k.Algorithm.Name, sc.Signer)
		return sc, sum
	}
	sc.Status, sc.Reason = StatusFailed, fmt.Sprintf("%s: no configured key verifies it (%d tried)", oneLine(last), len(keys))
	return sc, sum
}

// checkCertificates verifies the chain of a file's first certificate when
// it is signed with ML-DSA or SLH-DSA (crypto/x509 cannot), against the
// configured CA bundles, the file's other certificates serving as
// intermediates.
func (c *Collector) checkCertificates(m *Material, b []byte, now time.Time) []*SignatureCheck {
	if m == nil || (m.Format != "pem" && m.Format != "der") {
		return nil
	}
	certs, err := pqc.ParseCertificatesPEM(b)
	if err != nil || len(certs) == 0 {
		return nil
	}
	leaf := certs[0]
	alg, ok := pqc.AlgorithmByOID(leaf.SignatureAlgorithm)
	if !ok {
		return nil
	}
	sc := &SignatureCheck{Method: "x509", Signature: m.Path, Data: m.Path, Algorithm: alg.Name, Hash: alg.Hash, Signer: leaf.X509.Issuer.String()}
	if len(c.opts.Roots) == 0 {
		return []*SignatureCheck{unverifiable(sc, "no CA bundle configured (policy.keys.ca-bundles)")}
	}
	chain, err := pqc.VerifyChain(leaf, certs[1:], c.opts.Roots, now)
	if err != nil {
		sc.Status, sc.Reason = StatusFailed, oneLine(err)
		return []*SignatureCheck{sc}
	}
	root := chain[len(chain)-1]
	sc.Status = StatusVerified
	sc.Reason = fmt.Sprintf("certificate %q chains to trusted root %q (%d certificates, %s)", leaf.X509.Subject, root.X509.Subject, len(chain), alg.Name)
	return []*SignatureCheck{sc}
}

func hasKind(m *Material, kind string) bool {
	for _, a := range m.Assets {
		if a.Kind == kind {
			return true
		}
	}
	return false
}
