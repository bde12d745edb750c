// Package minisign verifies minisign and signify signatures, written from
// the formats' specifications (minisign: jedisct1.github.io/minisign;
// signify: OpenBSD signify(1)). Both are Ed25519 over the file (minisign's
// "ED" algorithm over its BLAKE2b-512 hash) with a key number that names
// the key; minisign adds a signed trusted comment.
package minisign

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// Errors callers branch on.
var (
	ErrMalformed    = errors.New("malformed minisign/signify data")
	ErrUnknownKey   = errors.New("signed by a key not trusted")
	ErrBadSignature = errors.New("bad signature")
)

// Format says which tool's encoding a key or signature is in.
type Format string

const (
	Minisign Format = "minisign"
	Signify  Format = "signify"
)

// PublicKey is an Ed25519 key and its 8-byte key number.
type PublicKey struct {
	Format Format
	KeyID  [8]byte
	Key    ed25519.PublicKey
}

// KeyIDHex is the key number as minisign prints it (upper-case hex,
// little-endian as stored).
func (k *PublicKey) KeyIDHex() string {
	var b strings.Builder
	for i := 7; i >= 0; i-- {
		fmt.Fprintf(&b, "%02X", k.KeyID[i])
	}
	return b.String()
}

// Signature is a parsed signature file.
type Signature struct {
	Format Format
	// Prehashed is minisign's "ED" algorithm: the signature is over the
	// BLAKE2b-512 hash of the file.
	Prehashed bool
	KeyID     [8]byte
	Sig       []byte
	// TrustedComment and GlobalSig are minisign's signed comment.
	TrustedComment string
	GlobalSig      []byte
	// Embedded is the message of a signify -e signature.
	Embedded []byte
}

const maxText = 1 << 20

// lines splits the small text formats: an untrusted comment then base64.
func lines(b []byte) ([]string, error) {
	if len(b) > maxText {
		return nil, fmt.Errorf("%w: %d bytes", ErrMalformed, len(b))
	}
	return strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), nil
}

func b64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: base64: %v", ErrMalformed, err)
	}
	return b, nil
}

// LooksLikeKey reports whether b looks like a minisign or signify public key.
func LooksLikeKey(b []byte) bool {
	_, err := ParsePublicKey(b)
	return err == nil
}

// ParsePublicKey reads a minisign (.pub) or signify public key file, or
// the bare base64 line minisign -P takes.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	ls, err := lines(bytes.TrimSpace(b))
	if err != nil {
		return nil, err
	}
	line := ls[0]
	format := Minisign
	if strings.HasPrefix(line, "untrusted comment:") {
		if strings.Contains(line, "signify") {
			format = Signify
		}
		if len(ls) < 2 {
			return nil, fmt.Errorf("%w: public key: no key line", ErrMalformed)
		}
		line = ls[1]
	}
	raw, err := b64(line)
	if err != nil {
		return nil, err
	}
	if len(raw) != 42 || string(raw[:2]) != "Ed" {
		return nil, fmt.Errorf("%w: public key: want 42 bytes starting Ed, got %d", ErrMalformed, len(raw))
	}
	k := &PublicKey{Format: format, Key: ed25519.PublicKey(append([]byte(nil), raw[10:]...))}
	copy(k.KeyID[:], raw[2:10])
	return k, nil
}

// ParseSignature reads a minisign .minisig or a signify .sig file.
func ParseSignature(b []byte) (*Signature, error) {
	ls, err := lines(b)
	if err != nil {
		return nil, err
	}
	if len(ls) < 2 || !strings.HasPrefix(ls[0], "untrusted comment:") {
		return nil, fmt.Errorf("%w: signature: no untrusted comment line", ErrMalformed)
	}
	raw, err := b64(ls[1])
	if err != nil {
		return nil, err
	}
	if len(raw) != 74 {
		return nil, fmt.Errorf("%w: signature: want 74 bytes, got %d", ErrMalformed, len(raw))
	}
	s := &Signature{Sig: raw[10:]}
	copy(s.KeyID[:], raw[2:10])
	switch string(raw[:2]) {
	case "Ed":
	case "ED":
		s.Prehashed = true
	default:
		return nil, fmt.Errorf("%w: signature algorithm %q", ErrMalformed, raw[:2])
	}
	if len(ls) >= 4 && strings.HasPrefix(ls[2], "trusted comment: ") {
		s.Format = Minisign
		s.TrustedComment = strings.TrimPrefix(ls[2], "trusted comment: ")
		if s.GlobalSig, err = b64(ls[3]); err != nil {
			return nil, err
		}
		if len(s.GlobalSig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("%w: global signature is %d bytes", ErrMalformed, len(s.GlobalSig))
		}
		return s, nil
	}
	s.Format = Signify
	if strings.Contains(ls[0], "minisign") {
		s.Format = Minisign
	}
	// signify -e: the signed message follows the two signature lines.
	if i := nthNewline(b, 2); i >= 0 && i < len(b) {
		if rest := b[i:]; len(bytes.TrimSpace(rest)) > 0 {
			s.Embedded = rest
		}
	}
	return s, nil
}

func nthNewline(b []byte, n int) int {
	off := 0
	for range n {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// Result says what verified.
type Result struct {
	Format         Format `json:"format"`
	KeyID          string `json:"keyId"`
	Prehashed      bool   `json:"prehashed,omitempty"`
	TrustedComment string `json:"trustedComment,omitempty"`
}

// Verify checks sig over the data read from r (nil r: the signature's
// embedded message) with the first key whose number matches.
func Verify(r io.Reader, sig *Signature, keys []*PublicKey) (*Result, error) {
	var k *PublicKey
	for _, c := range keys {
		if c.KeyID == sig.KeyID {
			k = c
			break
		}
	}
	if k == nil {
		id := PublicKey{KeyID: sig.KeyID}
		return nil, fmt.Errorf("%w: key %s", ErrUnknownKey, id.KeyIDHex())
	}
	var msg []byte
	if sig.Prehashed {
		h, _ := blake2b.New512(nil)
		if r == nil {
			h.Write(sig.Embedded)
		} else if _, err := io.Copy(h, r); err != nil {
			return nil, err
		}
		msg = h.Sum(nil)
	} else {
		if r == nil {
			msg = sig.Embedded
		} else {
			b, err := io.ReadAll(io.LimitReader(r, 1<<30))
			if err != nil {
				return nil, err
			}
			msg = b
		}
	}
	if !ed25519.Verify(k.Key, msg, sig.Sig) {
		return nil, ErrBadSignature
	}
	if sig.GlobalSig != nil && !ed25519.Verify(k.Key, append(append([]byte(nil), sig.Sig...), sig.TrustedComment...), sig.GlobalSig) {
		return nil, fmt.Errorf("%w: trusted comment", ErrBadSignature)
	}
	return &Result{Format: sig.Format, KeyID: k.KeyIDHex(), Prehashed: sig.Prehashed, TrustedComment: sig.TrustedComment}, nil
}
