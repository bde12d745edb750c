// Package sigstore verifies Sigstore bundles (v0.1 to v0.3) offline with
// sigstore-go: Fulcio certificate chains, signed certificate timestamps,
// transparency-log inclusion proofs and checkpoints (Rekor v1 and v2), RFC 3161
// timestamps, key-based bundles, DSSE envelopes and message signatures.
//
// Trust is data passed in: trusted roots are read from files the user pins
// and nothing is ever fetched (no TUF, no Rekor lookup).
package sigstore

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// MaxBundleSize bounds a bundle or trusted root read into memory. Real
// bundles are a few kilobytes; npm attestation files some tens.
const MaxBundleSize = 8 << 20

// Sentinel errors callers branch on.
var (
	// ErrBundle is a bundle that does not parse or is not a valid bundle.
	ErrBundle = errors.New("invalid bundle")
	// ErrTrustedRoot is a trusted root that does not parse.
	ErrTrustedRoot = errors.New("invalid trusted root")
	// ErrKey is a public key that does not parse.
	ErrKey = errors.New("invalid public key")
	// ErrVerify is a bundle that parsed but did not verify.
	ErrVerify = errors.New("verification failed")
	// ErrPolicy is a policy that cannot be used (no identity and no key).
	ErrPolicy = errors.New("invalid policy")
)

// Identity is an expected Fulcio certificate identity: the SAN (exact or a
// regular expression) and the OIDC issuer (exact or regex).
type Identity struct {
	SAN         string `json:"san,omitempty"`
	SANRegex    string `json:"sanRegex,omitempty"`
	Issuer      string `json:"issuer,omitempty"`
	IssuerRegex string `json:"issuerRegex,omitempty"`
}

func (i Identity) String() string {
	san := i.SAN
	if san == "" {
		san = "~" + i.SANRegex
	}
	iss := i.Issuer
	if iss == "" {
		iss = "~" + i.IssuerRegex
	}
	return san + " (" + iss + ")"
}

// Policy states what a verification requires. A policy needs at least one
// identity or one key; a bundle signed with a certificate is checked against
// the identities, one signed with a key against the keys.
type Policy struct {
	// Trusted is the trusted material (usually one trusted_root.json). It
	// may be nil for key-based bundles verified without a transparency log.
	Trusted root.TrustedMaterial
	// Identities accepted for certificate-signed bundles (any one matches).
	Identities []Identity
	// Keys accepted for key-signed bundles (any one verifies).
	Keys []crypto.PublicKey
	// TimedKeys are keys valid only in a window (npm registry keys); the
	// bundle's verified time must fall inside it. A set KeyID must equal
	// the bundle's key hint.
	TimedKeys []TimedKey
	// WithoutTransparencyLogUnsafe accepts a key-signed bundle with no
	// transparency-log entry (the signature time is then unproven). It never
	// applies to certificate-signed bundles.
	WithoutTransparencyLogUnsafe bool
}

// TimedKey is a key with a validity window (zero times: unbounded).
type TimedKey struct {
	Public    crypto.PublicKey
	KeyID     string
	NotBefore time.Time
	NotAfter  time.Time
}

// Artifact is what the bundle must be over: the bytes, or a digest.
type Artifact struct {
	Data      []byte
	Algorithm string // "sha256", "sha384", "sha512" when Digest is set
	Digest    []byte
}

// ArtifactBytes is an artifact given by its content.
func ArtifactBytes(b []byte) Artifact { return Artifact{Data: b} }

// ParseArtifactDigest reads "sha256:<hex>" (also sha384, sha512).
func ParseArtifactDigest(s string) (Artifact, bool) {
	alg, hx, ok := strings.Cut(s, ":")
	if !ok {
		return Artifact{}, false
	}
	want := map[string]int{"sha256": 32, "sha384": 48, "sha512": 64}[alg]
	d, err := hex.DecodeString(hx)
	if want == 0 || err != nil || len(d) != want {
		return Artifact{}, false
	}
	return Artifact{Algorithm: alg, Digest: d}, true
}

// Result says what was verified.
type Result struct {
	MediaType string `json:"mediaType"`
	// Version is the bundle version: v0.1, v0.2, v0.3.
	Version string `json:"version"`
	// Content is "message-signature" or "dsse".
	Content string `json:"content"`
	// SignedWith is "certificate" or "key".
	SignedWith string `json:"signedWith"`
	// Certificate describes the Fulcio leaf when SignedWith is certificate.
	Certificate *certificate.Summary `json:"certificate,omitempty"`
	// Identity is the policy identity that matched.
	Identity string `json:"identity,omitempty"`
	// KeyAlgorithm names the key when SignedWith is key.
	KeyAlgorithm string `json:"keyAlgorithm,omitempty"`
	// PayloadType and Payload are the DSSE envelope's, when Content is dsse.
	PayloadType string `json:"payloadType,omitempty"`
	Payload     []byte `json:"-"`
	// Timestamps are the verified times (log integration or RFC 3161).
	Timestamps []time.Time `json:"timestamps,omitempty"`
	// TlogEntries is the number of transparency-log entries in the bundle.
	TlogEntries int `json:"tlogEntries"`
	// TlogKinds are the entries' kind@version (hashedrekord@0.0.2 ...).
	TlogKinds []string `json:"tlogKinds,omitempty"`
}

// LoadTrustedRoot reads a trusted_root.json file. It never fetches.
func LoadTrustedRoot(path string) (*root.TrustedRoot, error) {
	b, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return ParseTrustedRoot(b)
}

// ParseTrustedRoot parses trusted_root.json bytes.
func ParseTrustedRoot(b []byte) (tr *root.TrustedRoot, err error) {
	if len(b) > MaxBundleSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrTrustedRoot, MaxBundleSize)
	}
	defer func() {
		if r := recover(); r != nil {
			tr, err = nil, fmt.Errorf("%w: %v", ErrTrustedRoot, r)
		}
	}()
	tr, err = root.NewTrustedRootFromJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTrustedRoot, err)
	}
	return tr, nil
}

// ParsePublicKey reads a PEM (or DER) SubjectPublicKeyInfo: ECDSA, Ed25519,
// RSA. A point not on its curve is an error here, not at verification.
func ParsePublicKey(b []byte) (crypto.PublicKey, error) {
	der := b
	if blk, _ := pem.Decode(b); blk != nil {
		der = blk.Bytes
		if blk.Type == "RSA PUBLIC KEY" {
			k, err := x509.ParsePKCS1PublicKey(der)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrKey, err)
			}
			return k, nil
		}
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	return k, nil
}

// Envelope is a bundle's DSSE envelope in verify/dsse's form, whose
// payload statement.FromEnvelope reads, or nil for a bundle over a message
// signature.
func Envelope(b *bundle.Bundle) *dsse.Envelope {
	env := b.GetDsseEnvelope()
	if env == nil {
		return nil
	}
	return &dsse.Envelope{PayloadType: env.GetPayloadType(), Payload: env.GetPayload()}
}

// ParseBundle decodes a bundle (any of v0.1 to v0.3) and checks its
// structure; it does not verify anything.
func ParseBundle(b []byte) (bun *bundle.Bundle, err error) { return ParseBundleLimit(b, MaxBundleSize) }

// ParseBundleLimit is ParseBundle with the caller's size limit, for a
// bundle whose DSSE payload another collector bounds (an SBOM attestation
// attached to an image, up to the SBOM size limit).
func ParseBundleLimit(b []byte, limit int) (bun *bundle.Bundle, err error) {
	if len(b) > limit {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBundle, limit)
	}
	if depth := jsonDepth(b); depth > 64 {
		return nil, fmt.Errorf("%w: JSON nested %d levels deep", ErrBundle, depth)
	}
	defer func() {
		if r := recover(); r != nil {
			bun, err = nil, fmt.Errorf("%w: %v", ErrBundle, r)
		}
	}()
	bun = &bundle.Bundle{}
	if err := bun.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	if err := checkCounts(bun); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	return bun, nil
}

// Bounds on the lists of a bundle whose verification cost grows with their
// length: a real bundle has one certificate chain of a few certificates,
// one or two log entries and timestamps.
const (
	MaxChainCertificates = 10
	MaxTlogEntries       = 8
	MaxTimestamps        = 8
)

func checkCounts(bun *bundle.Bundle) error {
	vm := bun.GetVerificationMaterial()
	if n := len(vm.GetX509CertificateChain().GetCertificates()); n > MaxChainCertificates {
		return fmt.Errorf("certificate chain of %d certificates, above the limit of %d", n, MaxChainCertificates)
	}
	if n := len(vm.GetTlogEntries()); n > MaxTlogEntries {
		return fmt.Errorf("%d transparency-log entries, above the limit of %d", n, MaxTlogEntries)
	}
	if n := len(vm.GetTimestampVerificationData().GetRfc3161Timestamps()); n > MaxTimestamps {
		return fmt.Errorf("%d timestamps, above the limit of %d", n, MaxTimestamps)
	}
	return nil
}

// LooksLikeBundle is a cheap content sniff used by collectors.
func LooksLikeBundle(b []byte) bool {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	return bytes.Contains(head, []byte(`application/vnd.dev.sigstore.bundle`))
}

// Verify verifies bundle bytes against the policy and the artifact.
func Verify(bundleJSON []byte, p Policy, a Artifact) (*Result, error) {
	b, err := ParseBundle(bundleJSON)
	if err != nil {
		return nil, err
	}
	return VerifyBundle(b, p, a)
}

// VerifyBundle verifies a parsed bundle.
func VerifyBundle(b *bundle.Bundle, p Policy, a Artifact) (*Result, error) {
	return verifyBundle(nil, b, p, a)
}

// verifyBundle verifies with the caches of bt (nil: none, every piece of
// work done afresh).
func verifyBundle(bt *Batch, b *bundle.Bundle, p Policy, a Artifact) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%w: %v", ErrVerify, r)
		}
	}()
	res, err = describe(b)
	if err != nil {
		return nil, err
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	if _, err := artifactOption(a); err != nil {
		return nil, err
	}
	if vc.Certificate() != nil {
		res.SignedWith = "certificate"
		return verifyCert(bt, b, vc, p, a, res)
	}
	res.SignedWith = "key"
	return verifyKey(bt, b, p, a, res)
}

func artifactOption(a Artifact) (verify.ArtifactPolicyOption, error) {
	switch {
	case a.Digest != nil:
		return verify.WithArtifactDigest(a.Algorithm, a.Digest), nil
	case a.Data != nil:
		return verify.WithArtifact(bytes.NewReader(a.Data)), nil
	}
	return nil, fmt.Errorf("%w: no artifact or digest to verify against", ErrPolicy)
}

func verifyCert(bt *Batch, b *bundle.Bundle, vc verify.VerificationContent, p Policy, a Artifact, res *Result) (*Result, error) {
	if p.Trusted == nil {
		return nil, fmt.Errorf("%w: a certificate-signed bundle needs a trusted root", ErrPolicy)
	}
	if len(p.Identities) == 0 {
		return nil, fmt.Errorf("%w: a certificate-signed bundle needs an expected identity (SAN and OIDC issuer)", ErrPolicy)
	}
	opts := make([]verify.PolicyOption, 0, len(p.Identities))
	for _, id := range p.Identities {
		o, err := bt.identity(id)
		if err != nil {
			return nil, err
		}
		opts = append(opts, o)
	}
	// A bundle that carries its own intermediates (v0.1/v0.2 certificate
	// chains) is verified against the trusted root as loaded: sigstore-go
	// adds those intermediates only to its own certificate authority type.
	v, err := bt.certVerifier(p.Trusted, len(vc.Intermediates()) > 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPolicy, err)
	}
	artOpt, err := artifactOption(a)
	if err != nil {
		return nil, err
	}
	vr, err := v.Verify(b, verify.NewPolicy(artOpt, opts...))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrVerify, err)
	}
	fill(res, vr)
	if vr.VerifiedIdentity != nil {
		res.Identity = identityString(vr.VerifiedIdentity)
	}
	return res, nil
}

// newIdentity turns a policy identity into a sigstore-go policy option.
func newIdentity(id Identity) (verify.PolicyOption, error) {
	ci, err := verify.NewShortCertificateIdentity(id.Issuer, id.IssuerRegex, id.SAN, id.SANRegex)
	if err != nil {
		return nil, fmt.Errorf("%w: identity %s: %v", ErrPolicy, id, err)
	}
	return verify.WithCertificateIdentity(ci), nil
}

// newCertVerifier is the verifier for certificate-signed bundles: one SCT,
// one transparency-log entry and one observer timestamp required.
func newCertVerifier(tm root.TrustedMaterial) (*verify.Verifier, error) {
	return verify.NewVerifier(tm,
		verify.WithSignedCertificateTimestamps(1),
		verify.WithTransparencyLog(1),
		verify.WithObserverTimestamps(1),
		verify.WithoutStatementPredicate())
}

func identityString(ci *verify.CertificateIdentity) string {
	san := ci.SubjectAlternativeName.SubjectAlternativeName
	if san == "" && ci.SubjectAlternativeName.Regexp.String() != "" {
		san = "~" + ci.SubjectAlternativeName.Regexp.String()
	}
	iss := ci.Issuer.Issuer
	if iss == "" && ci.Issuer.Regexp.String() != "" {
		iss = "~" + ci.Issuer.Regexp.String()
	}
	return san + " (" + iss + ")"
}

func verifyKey(bt *Batch, b *bundle.Bundle, p Policy, a Artifact, res *Result) (*Result, error) {
	keys := append([]TimedKey(nil), p.TimedKeys...)
	for _, k := range p.Keys {
		keys = append(keys, TimedKey{Public: k})
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: a key-signed bundle needs a public key", ErrPolicy)
	}
	hint := b.GetVerificationMaterial().GetPublicKey().GetHint()
	withTlog := res.TlogEntries > 0 || !p.WithoutTransparencyLogUnsafe
	var errs []string
	for _, tk := range keys {
		k := tk.Public
		if tk.KeyID != "" && tk.KeyID != hint {
			errs = append(errs, fmt.Sprintf("key %s: bundle key hint %q differs", tk.KeyID, hint))
			continue
		}
		if withTlog && p.Trusted == nil {
			if _, err := signature.LoadDefaultVerifier(k); err != nil {
				errs = append(errs, fmt.Sprintf("key %s: %v", keyAlgorithm(k), err))
				continue
			}
			return nil, fmt.Errorf("%w: verifying a transparency-log entry needs a trusted root", ErrPolicy)
		}
		v, err := bt.keyVerifier(p.Trusted, tk, withTlog)
		var lerr *keyLoadError
		switch {
		case errors.As(err, &lerr):
			errs = append(errs, fmt.Sprintf("key %s: %v", keyAlgorithm(k), lerr.err))
			continue
		case err != nil:
			return nil, fmt.Errorf("%w: %v", ErrPolicy, err)
		}
		// A fresh artifact option per key: WithArtifact reads the artifact
		// once, so a reader shared between attempts would be empty for the
		// second key.
		artOpt, err := artifactOption(a)
		if err != nil {
			return nil, err
		}
		vr, err := v.Verify(b, verify.NewPolicy(artOpt, verify.WithKey()))
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		fill(res, vr)
		res.KeyAlgorithm = keyAlgorithm(k)
		return res, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrVerify, strings.Join(errs, "; "))
}

// keyLoadError is a policy key sigstore cannot use (the bundle then fails
// against that key; other keys are still tried).
type keyLoadError struct{ err error }

func (e *keyLoadError) Error() string { return e.err.Error() }

// newKeyVerifier is the verifier for bundles signed by tk: with a
// transparency log (and a time from it or a TSA) unless withTlog is false.
func newKeyVerifier(tm root.TrustedMaterial, tk TimedKey, withTlog bool) (*verify.Verifier, error) {
	sv, err := signature.LoadDefaultVerifier(tk.Public)
	if err != nil {
		return nil, &keyLoadError{err}
	}
	keyMat := root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
		return root.NewExpiringKey(sv, tk.NotBefore, tk.NotAfter), nil
	})
	all := root.TrustedMaterialCollection{keyMat}
	if tm != nil {
		all = append(all, tm)
	}
	// No result reads the statement's predicate (callers read it from the
	// verified payload): decoding it into protobuf values would cost many
	// times an SBOM predicate's size.
	vopts := []verify.VerifierOption{verify.WithoutStatementPredicate()}
	if withTlog {
		vopts = append(vopts, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1))
	} else {
		vopts = append(vopts, verify.WithNoObserverTimestamps())
	}
	return verify.NewVerifier(all, vopts...)
}

func fill(res *Result, vr *verify.VerificationResult) {
	if vr.Signature != nil && vr.Signature.Certificate != nil {
		res.Certificate = vr.Signature.Certificate
	}
	for _, t := range vr.VerifiedTimestamps {
		res.Timestamps = append(res.Timestamps, t.Timestamp.UTC())
	}
}

func describe(b *bundle.Bundle) (*Result, error) {
	res := &Result{MediaType: b.GetMediaType()}
	res.Version, _ = b.Version()
	entries, err := b.TlogEntries()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	res.TlogEntries = len(entries)
	for _, e := range b.GetVerificationMaterial().GetTlogEntries() {
		res.TlogKinds = append(res.TlogKinds, e.GetKindVersion().GetKind()+"@"+e.GetKindVersion().GetVersion())
	}
	if env := b.GetDsseEnvelope(); env != nil {
		res.Content = "dsse"
		res.PayloadType = env.GetPayloadType()
		res.Payload = env.GetPayload()
	} else {
		res.Content = "message-signature"
	}
	return res, nil
}

// KeyAlgorithm names a public key for reports: "ECDSA P-256", "Ed25519",
// "RSA 3072".
func KeyAlgorithm(k crypto.PublicKey) string { return keyAlgorithm(k) }

// readLimited reads path whole; a pipe or device (/dev/zero) is cut off at
// the limit like a regular file above it.
func readLimited(path string) ([]byte, error) {
	return readlimit.File(path, MaxBundleSize)
}

// ReadFile reads a file of trust material or a bundle with the size limit.
func ReadFile(path string) ([]byte, error) { return readLimited(path) }

// CompileRegex checks a policy regular expression up front.
func CompileRegex(s string) error {
	_, err := regexp.Compile(s)
	return err
}
