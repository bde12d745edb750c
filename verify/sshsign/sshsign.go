// Package sshsign verifies SSH signatures (ssh-keygen -Y sign, the
// SSHSIG format) against an allowed-signers policy: who may sign, with
// which key, for which namespace. Git commits are signed for namespace
// "git", files such as a release's checksum list for "file"; a signature
// made for one never counts for the other.
package sshsign

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Namespaces callers verify for.
const (
	NamespaceGit  = "git"
	NamespaceFile = "file"
)

// Errors callers branch on; every error Verify returns wraps one.
var (
	ErrMalformed     = errors.New("SSH signature is malformed")
	ErrUnknownSigner = errors.New("SSH signature by a key the allowed signers do not hold")
	ErrNamespace     = errors.New("SSH signature made for another namespace")
	ErrBadSignature  = errors.New("SSH signature does not verify")
)

// AllowedSigner is one line of an allowed_signers file.
type AllowedSigner struct {
	Principals []string
	Key        ssh.PublicKey
	// Namespaces limits what the key may sign ("git"); empty means any.
	Namespaces []string
	Line       int
}

// Allows tells whether the signer may sign for namespace ns.
func (s AllowedSigner) Allows(ns string) bool {
	return len(s.Namespaces) == 0 || slices.Contains(s.Namespaces, ns)
}

// ParseAllowedSigners reads the ssh-keygen(1) ALLOWED SIGNERS format:
// "principals [options] keytype base64-key [comment]" per line.
func ParseAllowedSigners(b []byte) ([]AllowedSigner, error) {
	var out []AllowedSigner
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		principals, rest, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("line %d: want principals, options and a key", n)
		}
		key, _, opts, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(rest)))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		s := AllowedSigner{Principals: strings.Split(principals, ","), Key: key, Line: n}
		for _, o := range opts {
			if v, ok := strings.CutPrefix(strings.ToLower(o), "namespaces="); ok {
				s.Namespaces = strings.Split(strings.Trim(v, `"`), ",")
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return out, nil
}

// ParsePublicKeys reads OpenSSH public keys, one per line as in
// authorized_keys or a .pub file, as signers allowed for any namespace
// under their comment.
func ParsePublicKeys(b []byte) ([]AllowedSigner, error) {
	var out []AllowedSigner
	rest := b
	for n := 1; len(bytes.TrimSpace(rest)) > 0; n++ {
		key, comment, _, next, err := ssh.ParseAuthorizedKey(rest)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", n, err)
		}
		out = append(out, AllowedSigner{Principals: []string{comment}, Key: key, Line: n})
		rest = next
	}
	if len(out) == 0 {
		return nil, errors.New("no OpenSSH public key")
	}
	return out, nil
}

// LooksLikeSignature tells an armored SSH signature by its first bytes.
func LooksLikeSignature(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN SSH SIGNATURE-----"))
}

// Result is who signed.
type Result struct {
	// KeyID is the key's SHA256 fingerprint, KeyType its algorithm.
	KeyID      string
	KeyType    string
	Principals []string
	Namespace  string
	Hash       string
}

// Signer reads the key id and type of an armored signature.
func Signer(armored []byte) (keyID, keyType string, err error) {
	s, err := sshsig.Unarmor(armored)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return ssh.FingerprintSHA256(s.PublicKey), s.PublicKey.Type(), nil
}

// Verify checks an armored signature over data for namespace ns: its key
// must be an allowed signer's, allowed for ns.
func Verify(data io.Reader, armored []byte, signers []AllowedSigner, ns string) (*Result, error) {
	s, err := sshsig.Unarmor(armored)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	res := &Result{KeyID: ssh.FingerprintSHA256(s.PublicKey), KeyType: s.PublicKey.Type(), Namespace: s.Namespace, Hash: string(s.HashAlgorithm)}
	want := s.PublicKey.Marshal()
	var signer *AllowedSigner
	for i, as := range signers {
		if bytes.Equal(as.Key.Marshal(), want) && as.Allows(ns) {
			signer = &signers[i]
			break
		}
	}
	if signer == nil {
		return res, fmt.Errorf("%w: key %s (%s), for namespace %s", ErrUnknownSigner, res.KeyID, res.KeyType, ns)
	}
	if s.Namespace != ns {
		return res, fmt.Errorf("%w: signed for namespace %q, not %q", ErrNamespace, s.Namespace, ns)
	}
	if err := sshsig.Verify(data, s, signer.Key, s.HashAlgorithm, ns); err != nil {
		return res, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	res.Principals = signer.Principals
	return res, nil
}
