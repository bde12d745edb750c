// Package dsse parses and verifies DSSE envelopes (Dead Simple Signing
// Envelope, the wrapper of in-toto attestations) against public keys given as
// data. It accepts ECDSA signatures in ASN.1 DER and IEEE P1363 (r||s) form,
// Ed25519, and RSA PKCS #1 v1.5 and PSS.
package dsse

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	ssldsse "github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// Limits on untrusted input.
const (
	MaxEnvelopeSize = 16 << 20
	MaxDepth        = 64
	// MaxSignatures bounds the signatures an envelope may carry: each costs
	// a public-key verification per key (an RSA-4096 or a post-quantum one
	// is milliseconds), so 10,000 of them would take minutes. Real
	// envelopes carry one or two; sigstore-go considers only one.
	MaxSignatures = 32
)

// Sentinel errors.
var (
	ErrMalformed = errors.New("malformed envelope")
	ErrSignature = errors.New("no signature verifies")
	ErrKeyID     = errors.New("no signature with the expected key id")
)

// Signature is one envelope signature.
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   string `json:"sig"`
	// Cert is the PEM certificate some producers embed (slsa-github-generator).
	Cert string `json:"cert,omitempty"`
}

// Envelope is a DSSE envelope with its payload decoded.
type Envelope struct {
	PayloadType string      `json:"payloadType"`
	PayloadB64  string      `json:"payload"`
	Signatures  []Signature `json:"signatures"`
	// Payload is the decoded payload.
	Payload []byte `json:"-"`
}

// JSONDepth returns how deeply b's JSON arrays and objects nest, scanning
// bytes without decoding (strings are skipped), so that a hostile document
// is refused before any decoder recurses into it.
func JSONDepth(b []byte) int {
	depth, max := 0, 0
	inStr, esc := false, false
	for _, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > max {
				max = depth
			}
		case '}', ']':
			depth--
		}
	}
	return max
}

// CheckJSON refuses input above the size or depth limits.
func CheckJSON(b []byte, maxSize int) error {
	if len(b) > maxSize {
		return fmt.Errorf("larger than %d bytes", maxSize)
	}
	if d := JSONDepth(b); d > MaxDepth {
		return fmt.Errorf("JSON nested %d levels deep (limit %d)", d, MaxDepth)
	}
	return nil
}

// Parse decodes an envelope. A JSON-lines file is accepted: the first
// non-empty line is taken.
func Parse(b []byte) (*Envelope, error) { return ParseLimit(b, MaxEnvelopeSize) }

// ParseLimit is Parse with the caller's size limit, for envelopes whose
// payload another collector bounds (an SBOM attestation, up to the SBOM
// size limit). The base64 text is dropped once decoded.
func ParseLimit(b []byte, limit int) (*Envelope, error) {
	if err := CheckJSON(b, limit); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var e Envelope
	if err := json.Unmarshal(FirstJSONLine(b), &e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if e.PayloadType == "" {
		return nil, fmt.Errorf("%w: payloadType is missing", ErrMalformed)
	}
	if e.PayloadB64 == "" {
		return nil, fmt.Errorf("%w: payload is missing", ErrMalformed)
	}
	if len(e.Signatures) == 0 {
		return nil, fmt.Errorf("%w: no signatures", ErrMalformed)
	}
	if len(e.Signatures) > MaxSignatures {
		return nil, fmt.Errorf("%w: %d signatures, above the limit of %d", ErrMalformed, len(e.Signatures), MaxSignatures)
	}
	p, err := DecodeB64(e.PayloadB64)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	e.Payload = p
	if len(b) > MaxEnvelopeSize {
		e.PayloadB64 = ""
	}
	return &e, nil
}

// FirstJSONLine returns b, or for a JSON-lines file its first non-empty
// line (a provenance .intoto.jsonl usually holds one envelope).
func FirstJSONLine(b []byte) []byte {
	t := bytes.TrimSpace(b)
	if i := bytes.IndexByte(t, '\n'); i >= 0 && json.Valid(t[:i]) && !json.Valid(t) {
		return t[:i]
	}
	return t
}

// LooksLikeEnvelope is a cheap content sniff for collectors.
func LooksLikeEnvelope(b []byte) bool {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	s := string(head)
	return strings.Contains(s, `"payloadType"`) && strings.Contains(s, `"signatures"`)
}

// DecodeB64 accepts standard and URL-safe base64, padded or not.
func DecodeB64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// PAE is the DSSE pre-authentication encoding that signatures cover.
func PAE(payloadType string, payload []byte) []byte { return ssldsse.PAE(payloadType, payload) }

// Key is a verification key with the key id signatures must carry (empty:
// any key id).
type Key struct {
	Public crypto.PublicKey
	KeyID  string
	// Scheme optionally pins the scheme: ecdsa-sha2-nistp256, ed25519,
	// rsassa-pss-sha256, rsa-pkcs1v15-sha256 (empty: by key type).
	Scheme string
}

// Result names the signature that verified.
type Result struct {
	KeyID     string `json:"keyid,omitempty"`
	Algorithm string `json:"algorithm"`
	// Index of the verifying signature in the envelope.
	Index int `json:"index"`
}

// Verify checks that at least one signature of the envelope verifies with
// one of the keys (and carries the key's id when one is set).
func (e *Envelope) Verify(keys ...Key) (*Result, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no key to verify with", ErrSignature)
	}
	pae := PAE(e.PayloadType, e.Payload)
	var reasons []string
	idSeen := false
	for _, k := range keys {
		for i, s := range e.Signatures {
			if k.KeyID != "" && s.KeyID != k.KeyID {
				continue
			}
			idSeen = true
			sig, err := DecodeB64(s.Sig)
			if err != nil {
				reasons = append(reasons, fmt.Sprintf("signature %d: not base64", i))
				continue
			}
			alg, err := VerifyRaw(k.Public, k.Scheme, pae, sig)
			if err != nil {
				reasons = append(reasons, fmt.Sprintf("signature %d: %v", i, err))
				continue
			}
			return &Result{KeyID: s.KeyID, Algorithm: alg, Index: i}, nil
		}
	}
	if !idSeen {
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.KeyID)
		}
		return nil, fmt.Errorf("%w %q", ErrKeyID, strings.Join(ids, ", "))
	}
	return nil, fmt.Errorf("%w: %s", ErrSignature, strings.Join(reasons, "; "))
}

// VerifyRaw verifies sig over msg with pub. It returns the algorithm name.
func VerifyRaw(pub crypto.PublicKey, scheme string, msg, sig []byte) (string, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		h, name := ecdsaHash(k, scheme)
		d := digest(h, msg)
		if ecdsa.VerifyASN1(k, d, sig) {
			return name, nil
		}
		// IEEE P1363: r||s, each the curve's byte size.
		n := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*n {
			r := new(big.Int).SetBytes(sig[:n])
			s := new(big.Int).SetBytes(sig[n:])
			if ecdsa.Verify(k, d, r, s) {
				return name, nil
			}
		}
		return "", fmt.Errorf("%s signature does not verify", name)
	case ed25519.PublicKey:
		if ed25519.Verify(k, msg, sig) {
			return "Ed25519", nil
		}
		return "", errors.New("Ed25519 signature does not verify")
	case *rsa.PublicKey:
		h := crypto.SHA256
		if strings.HasSuffix(scheme, "sha384") {
			h = crypto.SHA384
		} else if strings.HasSuffix(scheme, "sha512") {
			h = crypto.SHA512
		}
		d := digest(h, msg)
		name := fmt.Sprintf("RSA %d", k.N.BitLen())
		if !strings.Contains(scheme, "pss") {
			if rsa.VerifyPKCS1v15(k, h, d, sig) == nil {
				return name + " PKCS#1 v1.5", nil
			}
		}
		if !strings.Contains(scheme, "pkcs1") {
			if rsa.VerifyPSS(k, h, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil {
				return name + " PSS", nil
			}
		}
		return "", fmt.Errorf("%s signature does not verify", name)
	}
	return "", fmt.Errorf("unsupported key type %T", pub)
}

func ecdsaHash(k *ecdsa.PublicKey, scheme string) (crypto.Hash, string) {
	switch {
	case strings.HasSuffix(scheme, "sha384"), scheme == "" && k.Curve.Params().BitSize == 384:
		return crypto.SHA384, "ECDSA " + k.Curve.Params().Name
	case strings.HasSuffix(scheme, "sha512"), scheme == "" && k.Curve.Params().BitSize == 521:
		return crypto.SHA512, "ECDSA " + k.Curve.Params().Name
	}
	return crypto.SHA256, "ECDSA " + k.Curve.Params().Name
}

func digest(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA384:
		s := sha512.Sum384(msg)
		return s[:]
	case crypto.SHA512:
		s := sha512.Sum512(msg)
		return s[:]
	}
	s := sha256.Sum256(msg)
	return s[:]
}
