package pgp

import (
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// KeyRecord describes one OpenPGP primary key or subkey for an inventory.
type KeyRecord struct {
	Fingerprint string `json:"fingerprint"`
	// Primary is the fingerprint of the primary key (equal to Fingerprint
	// for a primary key).
	Primary string   `json:"primary"`
	Subkey  bool     `json:"subkey,omitempty"`
	UserIDs []string `json:"userIds,omitempty"`
	KeyInfo
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"`
	Revoked bool      `json:"revoked,omitempty"`
	// CanSign is true when the key's flags allow signing data.
	CanSign bool `json:"canSign"`
	// SelfSigHash is the digest of the binding self-signature.
	SelfSigHash string `json:"selfSigHash,omitempty"`
}

// Describe lists an entity's primary key and subkeys, judged at now.
func Describe(e *openpgp.Entity, now time.Time) (out []KeyRecord) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	primary := fingerprint(e.PrimaryKey.Fingerprint)
	self, _ := e.PrimarySelfSignature()
	rec := KeyRecord{
		Fingerprint: primary, Primary: primary, KeyInfo: KeyAlgorithm(e.PrimaryKey),
		Version: e.PrimaryKey.Version, Created: e.PrimaryKey.CreationTime.UTC(),
		Expires: keyExpiry(e), Revoked: e.Revoked(now),
	}
	if !rec.Expires.IsZero() {
		rec.Expires = rec.Expires.UTC()
	}
	if self != nil {
		rec.CanSign = !self.FlagsValid || self.FlagSign
		rec.SelfSigHash = hashName(self.Hash)
		if w := WeakHash(self.Hash); w != "" {
			rec.Weak = append(rec.Weak, "self-signature "+w)
		}
	}
	for _, id := range e.Identities {
		rec.UserIDs = append(rec.UserIDs, id.Name)
	}
	sortStrings(rec.UserIDs)
	out = append(out, rec)
	for _, sk := range e.Subkeys {
		r := KeyRecord{
			Fingerprint: fingerprint(sk.PublicKey.Fingerprint), Primary: primary, Subkey: true,
			KeyInfo: KeyAlgorithm(sk.PublicKey), Version: sk.PublicKey.Version,
			Created: sk.PublicKey.CreationTime.UTC(), Revoked: sk.Revoked(now),
		}
		if sig := sk.Sig; sig != nil {
			r.CanSign = sig.FlagsValid && sig.FlagSign
			r.SelfSigHash = hashName(sig.Hash)
			if sig.KeyLifetimeSecs != nil && *sig.KeyLifetimeSecs > 0 {
				r.Expires = sk.PublicKey.CreationTime.Add(time.Duration(*sig.KeyLifetimeSecs) * time.Second).UTC()
			}
		}
		out = append(out, r)
	}
	return out
}

// SignatureRecord describes one signature packet for an inventory.
type SignatureRecord struct {
	Issuer    string    `json:"issuer"`
	Algorithm string    `json:"algorithm"`
	Hash      string    `json:"hash"`
	Created   time.Time `json:"created"`
	Version   int       `json:"version"`
	Weak      []string  `json:"weak,omitempty"`
}

// DescribeSignature summarises a signature packet.
func DescribeSignature(s *packet.Signature) SignatureRecord {
	r := SignatureRecord{Hash: hashName(s.Hash), Created: s.CreationTime.UTC(), Version: s.Version, Algorithm: algorithmName(s.PubKeyAlgo)}
	switch {
	case s.IssuerFingerprint != nil:
		r.Issuer = fingerprint(s.IssuerFingerprint)
	case s.IssuerKeyId != nil:
		r.Issuer = fmt.Sprintf("%016X", *s.IssuerKeyId)
	}
	if w := WeakHash(s.Hash); w != "" {
		r.Weak = append(r.Weak, w)
	}
	if s.PubKeyAlgo == packet.PubKeyAlgoDSA {
		r.Weak = append(r.Weak, "DSA signature")
	}
	return r
}

func algorithmName(a packet.PublicKeyAlgorithm) string {
	switch a {
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly, packet.PubKeyAlgoRSAEncryptOnly:
		return "RSA"
	case packet.PubKeyAlgoDSA:
		return "DSA"
	case packet.PubKeyAlgoElGamal:
		return "ElGamal"
	}
	// The other algorithms need no key material to be named.
	return KeyAlgorithm(&packet.PublicKey{PubKeyAlgo: a}).Algorithm
}
