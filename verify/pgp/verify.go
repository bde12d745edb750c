package pgp

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Validity says at which time the signer's key must have been valid (not
// expired, not revoked, already created).
type Validity string

const (
	// AtSignatureTime judges the key at the signature's creation time, as
	// gpgv and Rekor do: a release signed in 2020 by a key that expired in
	// 2021 still verifies. A key revoked as compromised is never valid.
	AtSignatureTime Validity = "signature-time"
	// AtNow judges the key today.
	AtNow Validity = "now"
)

// ParseValidity accepts "signature-time" or "now" ("" means signature-time).
func ParseValidity(s string) (Validity, error) {
	switch Validity(s) {
	case "", AtSignatureTime:
		return AtSignatureTime, nil
	case AtNow:
		return AtNow, nil
	}
	return "", fmt.Errorf("key validity %q: want signature-time or now", s)
}

// Sentinel errors callers branch on; every error Verify returns wraps one.
var (
	ErrMalformed        = errors.New("malformed signature")
	ErrUnknownSigner    = errors.New("signer not in keyring")
	ErrBadSignature     = errors.New("bad signature")
	ErrKeyExpired       = errors.New("signing key expired")
	ErrKeyRevoked       = errors.New("signing key revoked")
	ErrSignatureExpired = errors.New("signature expired")
	ErrFutureSignature  = errors.New("signature made in the future")
)

// DefaultMaxMessageSize bounds the signed content read into memory for
// cleartext and inline messages (a detached signature's data is streamed).
const DefaultMaxMessageSize = 256 << 20

// maxSignaturePackets bounds the packets of one signature file.
const maxSignaturePackets = 64

// clockSkew tolerates a signer's clock a little ahead of ours.
const clockSkew = 24 * time.Hour

// Options is what a verification trusts and requires.
type Options struct {
	// Keyring holds the only trusted keys.
	Keyring openpgp.EntityList
	// Validity chooses when the key must have been valid.
	Validity Validity
	// Now is the verification time; zero means time.Now().
	Now time.Time
	// MaxMessageSize bounds cleartext and inline messages; zero means
	// DefaultMaxMessageSize.
	MaxMessageSize int64
}

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// Result says what was verified.
type Result struct {
	// Format is detached, cleartext or inline; Armored says whether the
	// signature was ASCII-armored.
	Format  string `json:"format"`
	Armored bool   `json:"armored"`
	// Fingerprint is the upper-case hex fingerprint of the signing (sub)key;
	// Primary that of its primary key.
	Fingerprint string   `json:"fingerprint"`
	Primary     string   `json:"primary"`
	KeyID       string   `json:"keyId"`
	UserIDs     []string `json:"userIds,omitempty"`
	// Created is the signature's creation time.
	Created time.Time `json:"created"`
	// KeyCreated and KeyExpires bound the signing key's validity (KeyExpires
	// zero: no expiry).
	KeyCreated time.Time `json:"keyCreated"`
	KeyExpires time.Time `json:"keyExpires,omitzero"`
	Hash       string    `json:"hash"`
	// Algorithm is the public-key algorithm (RSA, DSA, ECDSA, EdDSA, ...),
	// Bits its size and Curve its curve where it has one.
	Algorithm string    `json:"algorithm"`
	Bits      int       `json:"bits,omitempty"`
	Curve     string    `json:"curve,omitempty"`
	Validity  Validity  `json:"validity"`
	Weak      []string  `json:"weak,omitempty"`
	Checked   time.Time `json:"checked"`
}

// String is the one-line summary after "OK: ".
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "good %s signature by %s", r.Format, r.Primary)
	if len(r.UserIDs) > 0 {
		fmt.Fprintf(&b, " %q", r.UserIDs[0])
	}
	fmt.Fprintf(&b, ", made %s, %s", r.Created.UTC().Format(time.RFC3339), r.Algorithm)
	if r.Bits > 0 {
		fmt.Fprintf(&b, "-%d", r.Bits)
	}
	if r.Curve != "" {
		fmt.Fprintf(&b, " %s", r.Curve)
	}
	fmt.Fprintf(&b, "/%s, key valid at %s", r.Hash, r.Validity)
	if len(r.Weak) > 0 {
		fmt.Fprintf(&b, "; weak: %s", strings.Join(r.Weak, ", "))
	}
	return b.String()
}

// VerifyDetached checks a detached signature (armored or binary) over data.
func VerifyDetached(data io.Reader, sig []byte, opts Options) (*Result, error) {
	sigs, raw, armored, err := ReadSignatures(sig)
	if err != nil {
		return nil, err
	}
	res, err := verify(data, sigs, raw, nil, opts)
	if res != nil {
		res.Format, res.Armored = "detached", armored
	}
	return res, err
}

// VerifyMessage checks a cleartext-signed (-----BEGIN PGP SIGNED MESSAGE-----)
// or an inline-signed message (armored or binary), and returns the signed
// content.
func VerifyMessage(msg []byte, opts Options) (*Result, []byte, error) {
	if bytes.Contains(msg[:min(len(msg), 4096)], []byte("-----BEGIN PGP SIGNED MESSAGE-----")) {
		return VerifyCleartext(msg, opts)
	}
	return VerifyInline(msg, opts)
}

// VerifyCleartext checks a cleartext-signed message.
func VerifyCleartext(msg []byte, opts Options) (res *Result, plain []byte, err error) {
	defer recoverErr(&err)
	block, _ := clearsign.Decode(msg)
	if block == nil {
		return nil, nil, fmt.Errorf("%w: no cleartext-signed message (armor missing or broken)", ErrMalformed)
	}
	sigBytes, err := io.ReadAll(io.LimitReader(block.ArmoredSignature.Body, MaxSignatureSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: signature armor: %v", ErrMalformed, err)
	}
	sigs, raw, _, err := ReadSignatures(sigBytes)
	if err != nil {
		return nil, nil, err
	}
	var allowed []crypto.Hash
	for _, h := range block.Headers.Values("Hash") {
		for _, name := range strings.Split(h, ",") {
			if c, ok := hashByName[strings.ToUpper(strings.TrimSpace(name))]; ok {
				allowed = append(allowed, c)
			}
		}
	}
	res, err = verify(bytes.NewReader(block.Bytes), sigs, raw, allowed, opts)
	if res != nil {
		res.Format, res.Armored = "cleartext", true
	}
	return res, block.Plaintext, err
}

// VerifyInline checks a signed OpenPGP message (one-pass signature, literal
// data, signature; optionally compressed), armored or binary.
func VerifyInline(msg []byte, opts Options) (res *Result, plain []byte, err error) {
	defer recoverErr(&err)
	armored := IsArmored(msg)
	body := io.Reader(bytes.NewReader(msg))
	if armored {
		block, err := armor.Decode(bytes.NewReader(msg))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: armor: %v", ErrMalformed, err)
		}
		if block.Type != "PGP MESSAGE" {
			return nil, nil, fmt.Errorf("%w: armor type %q, want PGP MESSAGE", ErrMalformed, block.Type)
		}
		body = block.Body
	}
	limit := opts.MaxMessageSize
	if limit <= 0 {
		limit = DefaultMaxMessageSize
	}
	packets := packet.NewReader(body)
	var (
		sigs []*packet.Signature
		raw  bytes.Buffer
		lit  []byte
		seen bool
	)
	for n := 0; ; n++ {
		if n > maxSignaturePackets+3 {
			return nil, nil, fmt.Errorf("%w: too many packets", ErrMalformed)
		}
		p, err := packets.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, libMessage(err))
		}
		switch p := p.(type) {
		case *packet.OnePassSignature:
		case *packet.Compressed:
			if err := packets.Push(io.LimitReader(p.Body, limit+1)); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, libMessage(err))
			}
		case *packet.LiteralData:
			if seen {
				return nil, nil, fmt.Errorf("%w: more than one literal data packet", ErrMalformed)
			}
			seen = true
			lit, err = io.ReadAll(io.LimitReader(p.Body, limit+1))
			if err != nil {
				return nil, nil, fmt.Errorf("%w: literal data: %v", ErrMalformed, libMessage(err))
			}
			if int64(len(lit)) > limit {
				return nil, nil, fmt.Errorf("%w: signed content above the %d-byte limit", ErrMalformed, limit)
			}
		case *packet.Signature:
			if !seen {
				return nil, nil, fmt.Errorf("%w: signature before literal data (not an inline-signed message)", ErrMalformed)
			}
			sigs = append(sigs, p)
			if err := p.Serialize(&raw); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, libMessage(err))
			}
		default:
			return nil, nil, fmt.Errorf("%w: unexpected %T packet (encrypted or not a signed message)", ErrMalformed, p)
		}
	}
	if !seen {
		return nil, nil, fmt.Errorf("%w: no literal data (not an inline-signed message)", ErrMalformed)
	}
	if len(sigs) == 0 {
		return nil, nil, fmt.Errorf("%w: message is not signed", ErrMalformed)
	}
	res, err = verify(bytes.NewReader(lit), sigs, raw.Bytes(), nil, opts)
	if res != nil {
		res.Format, res.Armored = "inline", armored
	}
	return res, lit, err
}

// ReadSignatures parses a signature file (armored or binary) into its
// signature packets and their binary form. Any other packet is an error.
func ReadSignatures(b []byte) (sigs []*packet.Signature, raw []byte, armored bool, err error) {
	defer recoverErr(&err)
	if len(b) > MaxSignatureSize {
		return nil, nil, false, fmt.Errorf("%w: %d bytes, above the %d-byte limit", ErrMalformed, len(b), MaxSignatureSize)
	}
	raw = b
	if IsArmored(b) {
		armored = true
		block, err := armor.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, nil, true, fmt.Errorf("%w: armor: %v", ErrMalformed, err)
		}
		if block.Type != "PGP SIGNATURE" {
			return nil, nil, true, fmt.Errorf("%w: armor type %q, want PGP SIGNATURE", ErrMalformed, block.Type)
		}
		raw, err = io.ReadAll(io.LimitReader(block.Body, MaxSignatureSize+1))
		if err != nil {
			return nil, nil, true, fmt.Errorf("%w: armor: %v", ErrMalformed, libMessage(err))
		}
	}
	packets := packet.NewReader(bytes.NewReader(raw))
	for {
		p, err := packets.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, armored, fmt.Errorf("%w: %v", ErrMalformed, libMessage(err))
		}
		sig, ok := p.(*packet.Signature)
		if !ok {
			return nil, nil, armored, fmt.Errorf("%w: %T packet in a signature", ErrMalformed, p)
		}
		if len(sigs) == maxSignaturePackets {
			return nil, nil, armored, fmt.Errorf("%w: more than %d signatures", ErrMalformed, maxSignaturePackets)
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		return nil, nil, armored, fmt.Errorf("%w: no signature packet", ErrMalformed)
	}
	return sigs, raw, armored, nil
}

// MaxMultiSignedSize bounds the content held in memory to check it
// against several signatures; above it only the first signature by a
// held key is checked.
const MaxMultiSignedSize = 64 << 20

// verify checks the signatures whose issuer is in the keyring. As gpgv
// (and apt, which runs it) does: one good signature suffices, so a
// signature by a key that has since expired does not fail a file another
// held key signed (Debian signs each InRelease with several archive
// keys), but a signature that does not verify over the content fails it
// whatever the others say.
func verify(data io.Reader, sigs []*packet.Signature, raw []byte, allowedHashes []crypto.Hash, opts Options) (res *Result, err error) {
	defer recoverErr(&err)
	var (
		held   []*packet.Signature
		issuer []string
	)
	for _, s := range sigs {
		if s.IssuerKeyId == nil {
			issuer = append(issuer, "(no issuer)")
			continue
		}
		if len(opts.Keyring.KeysByIdUsage(*s.IssuerKeyId, packet.KeyFlagSign)) > 0 {
			held = append(held, s)
			continue
		}
		issuer = append(issuer, fmt.Sprintf("%016X", *s.IssuerKeyId))
	}
	if len(held) == 0 {
		return nil, fmt.Errorf("%w: signature by key %s, which the keyring does not hold", ErrUnknownSigner, strings.Join(issuer, ", "))
	}
	if len(held) == 1 {
		return verifyOne(data, held[0], raw, sigs, allowedHashes, opts)
	}
	content, err := io.ReadAll(io.LimitReader(data, MaxMultiSignedSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the signed content: %w", err)
	}
	if len(content) > MaxMultiSignedSize {
		return verifyOne(io.MultiReader(bytes.NewReader(content), data), held[0], raw, sigs, allowedHashes, opts)
	}
	var (
		good, firstRes *Result
		firstErr       error
	)
	for _, s := range held {
		r, err := verifyOne(bytes.NewReader(content), s, raw, sigs, allowedHashes, opts)
		switch {
		case errors.Is(err, ErrBadSignature):
			return r, err
		case err == nil && good == nil:
			good = r
		case err != nil && firstErr == nil:
			firstRes, firstErr = r, err
		}
	}
	if good != nil {
		return good, nil
	}
	return firstRes, firstErr
}

// verifyOne checks one signature, by a key the keyring holds, over data.
func verifyOne(data io.Reader, sig *packet.Signature, raw []byte, sigs []*packet.Signature, allowedHashes []crypto.Hash, opts Options) (res *Result, err error) {
	now := opts.now()
	validity := opts.Validity
	if validity == "" {
		validity = AtSignatureTime
	}
	if len(allowedHashes) > 0 && !containsHash(allowedHashes, sig.Hash) {
		return nil, fmt.Errorf("%w: signature hash %s not in the message's Hash header", ErrMalformed, hashName(sig.Hash))
	}
	if sig.SigType != packet.SigTypeBinary && sig.SigType != packet.SigTypeText {
		return nil, fmt.Errorf("%w: signature type 0x%02x is not a document signature", ErrMalformed, uint8(sig.SigType))
	}
	if sig.CreationTime.After(now.Add(clockSkew)) {
		return nil, fmt.Errorf("%w: created %s", ErrFutureSignature, sig.CreationTime.UTC().Format(time.RFC3339))
	}
	at := now
	if validity == AtSignatureTime {
		at = sig.CreationTime
	}
	cfg := &packet.Config{Time: func() time.Time { return at }}
	// The library checks the first signature whose issuer it holds: the same
	// one chosen above. Hand it only that signature.
	one, err := serializeOne(sig, raw, sigs)
	if err != nil {
		return nil, err
	}
	got, signer, verr := openpgp.VerifyDetachedSignature(opts.Keyring, data, bytes.NewReader(one), cfg)
	if got == nil {
		got = sig
	}
	if signer != nil {
		res = describe(got, signer, validity, now)
	}
	if verr != nil {
		return res, classify(verr, got, signer, at)
	}
	if got.SigExpired(now) {
		return res, fmt.Errorf("%w: signature lifetime ended %s", ErrSignatureExpired, got.CreationTime.Add(time.Duration(*got.SigLifetimeSecs)*time.Second).UTC().Format(time.RFC3339))
	}
	return res, nil
}

// serializeOne returns the binary form of sig alone. When the file held one
// signature, that is the file's own bytes (no re-encoding).
func serializeOne(sig *packet.Signature, raw []byte, all []*packet.Signature) ([]byte, error) {
	if len(all) == 1 {
		return raw, nil
	}
	var buf bytes.Buffer
	if err := sig.Serialize(&buf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, libMessage(err))
	}
	return buf.Bytes(), nil
}

func classify(err error, sig *packet.Signature, signer *openpgp.Entity, at time.Time) error {
	who := ""
	if sig != nil && sig.IssuerKeyId != nil {
		who = fmt.Sprintf("key %016X", *sig.IssuerKeyId)
	}
	if signer != nil {
		who = "key " + fingerprint(signer.PrimaryKey.Fingerprint)
	}
	var serr pgperrors.SignatureError
	switch {
	case errors.Is(err, pgperrors.ErrKeyExpired):
		exp := ""
		if signer != nil {
			if t := keyExpiry(signer); !t.IsZero() {
				exp = " on " + t.UTC().Format(time.RFC3339)
			}
		}
		return fmt.Errorf("%w: signature is good but %s expired%s (checked at %s)", ErrKeyExpired, who, exp, at.UTC().Format(time.RFC3339))
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return fmt.Errorf("%w: signature is good but %s is revoked (checked at %s)", ErrKeyRevoked, who, at.UTC().Format(time.RFC3339))
	case errors.Is(err, pgperrors.ErrSignatureExpired):
		return fmt.Errorf("%w: %s", ErrSignatureExpired, libMessage(err))
	case errors.Is(err, pgperrors.ErrUnknownIssuer):
		return fmt.Errorf("%w: %s", ErrUnknownSigner, libMessage(err))
	case errors.As(err, &serr):
		return fmt.Errorf("%w: %s does not verify over this content (%s)", ErrBadSignature, who, libMessage(err))
	}
	return fmt.Errorf("%w: %s", ErrBadSignature, libMessage(err))
}

func keyExpiry(e *openpgp.Entity) time.Time {
	self, _ := e.PrimarySelfSignature()
	if self == nil || self.KeyLifetimeSecs == nil || *self.KeyLifetimeSecs == 0 {
		return time.Time{}
	}
	return e.PrimaryKey.CreationTime.Add(time.Duration(*self.KeyLifetimeSecs) * time.Second)
}

func describe(sig *packet.Signature, e *openpgp.Entity, v Validity, now time.Time) *Result {
	r := &Result{
		Primary:    fingerprint(e.PrimaryKey.Fingerprint),
		Created:    sig.CreationTime.UTC(),
		Hash:       hashName(sig.Hash),
		Validity:   v,
		Checked:    now.UTC(),
		KeyCreated: e.PrimaryKey.CreationTime.UTC(),
		KeyExpires: keyExpiry(e).UTC(),
	}
	if r.KeyExpires.Equal(time.Time{}.UTC()) {
		r.KeyExpires = time.Time{}
	}
	key := e.PrimaryKey
	if sig.IssuerKeyId != nil {
		for _, k := range (openpgp.EntityList{e}).KeysById(*sig.IssuerKeyId) {
			key = k.PublicKey
			break
		}
	}
	r.Fingerprint = fingerprint(key.Fingerprint)
	r.KeyID = fmt.Sprintf("%016X", key.KeyId)
	for _, id := range e.Identities {
		if !id.Revoked(now) {
			r.UserIDs = append(r.UserIDs, id.Name)
		}
	}
	sortStrings(r.UserIDs)
	if p := e.PrimaryIdentity(); p != nil {
		r.UserIDs = moveFirst(r.UserIDs, p.Name)
	}
	info := KeyAlgorithm(key)
	r.Algorithm, r.Bits, r.Curve = info.Algorithm, info.Bits, info.Curve
	r.Weak = append(r.Weak, info.Weak...)
	if w := WeakHash(sig.Hash); w != "" {
		r.Weak = append(r.Weak, w)
	}
	return r
}

func containsHash(hs []crypto.Hash, h crypto.Hash) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

func fingerprint(fp []byte) string { return fmt.Sprintf("%X", fp) }

// libMessage strips the library's "openpgp: " prefix.
func libMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "openpgp: ")
}
