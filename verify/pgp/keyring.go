package pgp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// MaxKeyringSize bounds one keyring file (a large distribution keyring is a
// few hundred kilobytes).
const MaxKeyringSize = 16 << 20

// MaxSignatureSize bounds a detached signature file.
const MaxSignatureSize = 1 << 20

// ErrNoKeys is returned for a keyring that holds no public key.
var ErrNoKeys = errors.New("no OpenPGP public key found")

// Keyring is a set of trusted OpenPGP keys and where they came from.
type Keyring struct {
	Entities openpgp.EntityList
	// Sources names the files read, in order.
	Sources []string
}

// LoadKeyring reads and merges keyring files (armored or binary).
func LoadKeyring(paths ...string) (*Keyring, error) {
	kr := &Keyring{}
	for _, p := range paths {
		b, err := readLimited(p, MaxKeyringSize)
		if err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		el, err := ParseKeyring(b)
		if err != nil {
			return nil, fmt.Errorf("keyring %s: %w", p, err)
		}
		kr.Entities = append(kr.Entities, el...)
		kr.Sources = append(kr.Sources, p)
	}
	return kr, nil
}

// ParseKeyring reads the keys of an armored or binary keyring. Several
// armored blocks in one file are all read, and text before them is
// skipped: a KEYS file lists its keys in prose before their armor.
func ParseKeyring(b []byte) (el openpgp.EntityList, err error) {
	defer recoverErr(&err)
	if len(b) > MaxKeyringSize {
		return nil, fmt.Errorf("keyring is %d bytes, above the %d-byte limit", len(b), MaxKeyringSize)
	}
	if IsArmored(b) || bytes.Contains(b, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
		rest := b
		for {
			i := bytes.Index(rest, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
			if i < 0 {
				break
			}
			block, err := armor.Decode(bytes.NewReader(rest[i:]))
			if err != nil {
				return nil, fmt.Errorf("armor: %w", err)
			}
			body, err := io.ReadAll(io.LimitReader(block.Body, MaxKeyringSize+1))
			if err != nil {
				return nil, fmt.Errorf("armor: %w", err)
			}
			got, err := openpgp.ReadKeyRing(bytes.NewReader(body))
			if err != nil {
				return nil, fmt.Errorf("read keys: %w", err)
			}
			el = append(el, got...)
			end := bytes.Index(rest[i:], []byte("-----END PGP PUBLIC KEY BLOCK-----"))
			if end < 0 {
				break
			}
			rest = rest[i+end+len("-----END PGP PUBLIC KEY BLOCK-----"):]
		}
		if len(el) == 0 {
			return nil, ErrNoKeys
		}
		return el, nil
	}
	el, err = openpgp.ReadKeyRing(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	if len(el) == 0 {
		return nil, ErrNoKeys
	}
	return el, nil
}

// IsArmored reports whether b starts (after white space) with an ASCII-armor
// header line.
func IsArmored(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("-----BEGIN PGP "))
}

func readLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: above the %d-byte limit", p, limit)
	}
	return b, nil
}

// recoverErr turns a panic inside the OpenPGP library (malformed input it
// does not guard against) into an error: untrusted input never crashes the
// run and never passes.
func recoverErr(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("malformed OpenPGP data: %v", r)
	}
}
