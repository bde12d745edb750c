package gitrepo

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/pedigree-dev/pedigree/verify/sshsign"
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
// that expires later does not void old signatures). A signature by a key
// the policy does not hold is marked UnknownKey with its key id: it proves
// nothing against the policy, but it is not a forgery either.
func (t *Trust) verify(sig string, signed []byte, when time.Time) Signature {
	out := Signature{Kind: signatureKind(sig)}
	switch out.Kind {
	case SigNone:
		out.Reason = "not signed"
	case SigOpenPGP:
		out.KeyID = openpgpIssuer(sig)
		keys := t.openpgpKeys()
		if len(keys) == 0 {
			out.UnknownKey = true
			out.Reason = "no OpenPGP keyring configured (repo.openpgp-keyrings)"
			return out
		}
		cfg := &packet.Config{Time: func() time.Time { return when }}
		ent, err := openpgp.CheckArmoredDetachedSignature(keys, bytes.NewReader(signed), strings.NewReader(sig), cfg)
		if errors.Is(err, pgperrors.ErrUnknownIssuer) {
			out.UnknownKey = true
			out.Reason = "signed by OpenPGP key " + orUnknown(out.KeyID) + ", which is not in the trusted keyrings"
			return out
		}
		if err != nil {
			out.Reason = "OpenPGP signature does not verify: " + err.Error()
			return out
		}
		out.Verified = true
		if ent != nil && ent.PrimaryKey != nil {
			out.Signer = strings.ToUpper(hex.EncodeToString(ent.PrimaryKey.Fingerprint))
			if src, ok := t.forgeFingerprints[out.Signer]; ok {
				out.Forge = true
				out.Signer += " (forge key, " + src + ")"
			}
		}
	case SigSSH:
		keyID, keyType, err := sshsign.Signer([]byte(sig))
		if err != nil {
			out.Reason = err.Error()
			return out
		}
		out.KeyID = keyID
		if len(t.SSH) == 0 {
			out.UnknownKey = true
			out.Reason = "no allowed_signers file configured (repo.allowed-signers)"
			return out
		}
		res, err := sshsign.Verify(bytes.NewReader(signed), []byte(sig), t.SSH, sshsign.NamespaceGit)
		switch {
		case errors.Is(err, sshsign.ErrUnknownSigner):
			out.UnknownKey = true
			out.Reason = fmt.Sprintf("signed by SSH key %s (%s), which is not in allowed_signers for namespace git", keyID, keyType)
		case err != nil:
			out.Reason = err.Error()
		default:
			out.Verified = true
			out.Signer = strings.Join(res.Principals, ",")
		}
	case SigX509:
		out.UnknownKey = true
		out.Reason = "X.509 (gitsign/smimesign) signature recorded; verifying it needs the signer's CA, which the repository trust policy does not take yet"
	default:
		out.Reason = "signature in an unknown format"
	}
	return out
}

// openpgpIssuer reads the key a detached OpenPGP signature names: the
// issuer fingerprint when present, else the 64-bit issuer key id.
func openpgpIssuer(sig string) string {
	blk, err := armor.Decode(strings.NewReader(sig))
	if err != nil {
		return ""
	}
	p, err := packet.Read(blk.Body)
	if err != nil {
		return ""
	}
	ps, ok := p.(*packet.Signature)
	if !ok {
		return ""
	}
	switch {
	case len(ps.IssuerFingerprint) > 0:
		return strings.ToUpper(hex.EncodeToString(ps.IssuerFingerprint))
	case ps.IssuerKeyId != nil:
		return fmt.Sprintf("%016X", *ps.IssuerKeyId)
	}
	return ""
}

func orUnknown(id string) string {
	if id == "" {
		return "(no issuer recorded)"
	}
	return id
}

// CountSignatures sums commits by what their signature proves.
func CountSignatures(commits []Signature) SignatureCounts {
	var c SignatureCounts
	keys := map[[2]string]int{}
	for i := range commits {
		s := &commits[i]
		switch {
		case s.Verified:
			c.Verified++
			if s.Forge {
				c.VerifiedByForge++
			}
		case s.Kind == SigNone:
			c.Unsigned++
		case s.UnknownKey:
			c.UnknownKey++
			keys[[2]string{s.Kind, s.KeyID}]++
		default:
			c.Invalid++
		}
	}
	for k, n := range keys {
		c.UnknownKeyIDs = append(c.UnknownKeyIDs, KeyCount{Kind: k[0], KeyID: k[1], Commits: n})
	}
	sort.Slice(c.UnknownKeyIDs, func(i, j int) bool {
		a, b := c.UnknownKeyIDs[i], c.UnknownKeyIDs[j]
		if a.Commits != b.Commits {
			return a.Commits > b.Commits
		}
		return a.Kind+a.KeyID < b.Kind+b.KeyID
	})
	return c
}
