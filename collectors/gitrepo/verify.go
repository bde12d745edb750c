package gitrepo

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/hiddeco/sshsig"
)

// signatureKind tells the signature format from its armor, as git does.
func signatureKind(sig string) string {
	s := strings.TrimSpace(sig)
	switch {
	case s == "":
		return SigNone
	case strings.HasPrefix(s, "-----BEGIN PGP SIGNATURE-----"):
		return SigOpenPGP
	case strings.HasPrefix(s, "-----BEGIN SSH SIGNATURE-----"):
		return SigSSH
	case strings.HasPrefix(s, "-----BEGIN SIGNED MESSAGE-----"), strings.HasPrefix(s, "-----BEGIN PKCS7-----"):
		return SigX509
	}
	return "unknown"
}

// verify checks a commit's or tag's signature over the signed bytes. The
// key must have been valid when the object was signed (git's view: a key
// that expires later does not void old signatures).
func (t *Trust) verify(sig string, signed []byte, when time.Time) Signature {
	out := Signature{Kind: signatureKind(sig)}
	switch out.Kind {
	case SigNone:
		out.Reason = "not signed"
	case SigOpenPGP:
		if len(t.OpenPGP) == 0 {
			out.Reason = "no OpenPGP keyring configured (repo.openpgp-keyrings)"
			return out
		}
		cfg := &packet.Config{Time: func() time.Time { return when }}
		ent, err := openpgp.CheckArmoredDetachedSignature(t.OpenPGP, bytes.NewReader(signed), strings.NewReader(sig), cfg)
		if err != nil {
			out.Reason = "OpenPGP signature does not verify: " + err.Error()
			return out
		}
		out.Verified = true
		if ent != nil && ent.PrimaryKey != nil {
			out.Signer = strings.ToUpper(hex.EncodeToString(ent.PrimaryKey.Fingerprint))
		}
	case SigSSH:
		if len(t.SSH) == 0 {
			out.Reason = "no allowed_signers file configured (repo.allowed-signers)"
			return out
		}
		s, err := sshsig.Unarmor([]byte(sig))
		if err != nil {
			out.Reason = "SSH signature is malformed: " + err.Error()
			return out
		}
		want := s.PublicKey.Marshal()
		for _, as := range t.SSH {
			if !bytes.Equal(as.Key.Marshal(), want) || !allows(as.Namespaces, "git") {
				continue
			}
			if err := sshsig.Verify(bytes.NewReader(signed), s, as.Key, s.HashAlgorithm, "git"); err != nil {
				out.Reason = "SSH signature does not verify: " + err.Error()
				return out
			}
			out.Verified = true
			out.Signer = strings.Join(as.Principals, ",")
			return out
		}
		out.Reason = fmt.Sprintf("SSH key %s is not in allowed_signers for namespace git", s.PublicKey.Type())
	case SigX509:
		out.Reason = "X.509 (gitsign/smimesign) signature recorded; verifying it needs the signer's CA, which the repository trust policy does not take yet"
	default:
		out.Reason = "signature in an unknown format"
	}
	return out
}

func allows(namespaces []string, ns string) bool {
	if len(namespaces) == 0 {
		return true
	}
	for _, n := range namespaces {
		if n == ns {
			return true
		}
	}
	return false
}
