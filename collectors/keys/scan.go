package keys

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"golang.org/x/crypto/ssh"

	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// Size limits: key files are small; Sigstore JSON can be larger.
const (
	MaxKeyFileSize  = 8 << 20
	MaxJSONFileSize = 32 << 20
	maxAssetsInFile = 10000
)

// keyExts are file name endings that may hold key material.
var keyExts = []string{".pem", ".crt", ".cer", ".der", ".key", ".pub", ".asc", ".gpg", ".pgp", ".sig", ".kbx", ".p7b", ".cert"}

// candidateLimit is the size limit of a file whose name makes it a
// candidate (0 when the name does not).
func candidateLimit(name string) int64 {
	base := strings.ToLower(path.Base(name))
	switch {
	case strings.HasSuffix(base, ".sigstore.json"), strings.HasSuffix(base, ".sigstore"), strings.HasSuffix(base, ".bundle"):
		return MaxJSONFileSize
	case strings.HasSuffix(base, ".json"):
		return 0 // any JSON file: most are not trust material
	case Candidate(name, 0):
		return MaxKeyFileSize
	}
	return 0
}

// Candidate reports whether a file of this name and size is worth reading.
func Candidate(name string, size int64) bool {
	base := strings.ToLower(path.Base(name))
	if strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".sigstore") || strings.HasSuffix(base, ".bundle") {
		return size <= MaxJSONFileSize
	}
	if size > MaxKeyFileSize {
		return false
	}
	for _, e := range keyExts {
		if strings.HasSuffix(base, e) {
			return true
		}
	}
	switch base {
	case "authorized_keys", "allowed_signers", "known_hosts", "keyring", "trustedkeys", "sha256sums.asc":
		return true
	}
	return strings.HasPrefix(base, "id_") || strings.Contains(base, "pubring") || strings.Contains(base, "keyring")
}

// ScanFile finds the cryptographic material in one file's bytes. It returns
// nil when the file holds none. It never panics on malformed input: what
// cannot be read is a Problem or an asset's Error.
func ScanFile(name string, b []byte, now time.Time) (m *Material) {
	defer func() {
		if r := recover(); r != nil {
			m = &Material{Path: name, Format: "unknown", Problem: fmt.Sprintf("unreadable: %v", r)}
		}
	}()
	trimmed := bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf")
	head := trimmed[:min(len(trimmed), 4096)]
	low := strings.ToLower(name)
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		return scanJSON(name, b)
	case bytes.Contains(head, []byte("-----BEGIN PGP ")):
		return scanArmoredOpenPGP(name, b, now)
	case bytes.Contains(b, []byte("-----BEGIN ")):
		return scanPEM(name, b, now)
	case looksSSH(trimmed):
		return scanSSH(name, b)
	case len(trimmed) > 0 && trimmed[0]&0x80 != 0 && !strings.HasSuffix(low, ".der") && !strings.HasSuffix(low, ".cer"):
		return scanBinaryOpenPGP(name, b, now)
	case len(b) > 0 && b[0] == 0x30:
		return scanDER(name, b)
	}
	return nil
}

func looksSSH(b []byte) bool {
	for _, p := range []string{"ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"} {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	// allowed_signers / authorized_keys lines with principals or options.
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return bytes.Contains(line, []byte(" ssh-")) || bytes.Contains(line, []byte(" ecdsa-sha2-"))
}

func lineAt(b []byte, off int) int { return bytes.Count(b[:off], []byte("\n")) + 1 }

// scanPEM reads every PEM block: certificates, public and private keys.
func scanPEM(name string, b []byte, now time.Time) *Material {
	m := &Material{Path: name, Format: "pem"}
	rest := b
	for len(m.Assets) < maxAssetsInFile {
		i := bytes.Index(rest, []byte("-----BEGIN "))
		if i < 0 {
			break
		}
		off := len(b) - len(rest) + i
		block, after := pem.Decode(rest[i:])
		if block == nil {
			m.Problem = fmt.Sprintf("line %d: malformed PEM block", lineAt(b, off))
			rest = rest[i+len("-----BEGIN "):]
			continue
		}
		rest = after
		line := lineAt(b, off)
		for _, a := range pemAssets(name, block) {
			a.Line = line
			classify(&a)
			m.Assets = append(m.Assets, a)
		}
	}
	if len(m.Assets) == 0 && m.Problem == "" {
		return nil
	}
	return m
}

func pemAssets(name string, block *pem.Block) []Asset {
	switch block.Type {
	case "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE":
		return []Asset{certAsset(name, block.Bytes, AssetCertificate, "")}
	case "PUBLIC KEY":
		return []Asset{spkiAsset(name, block.Bytes, AssetKey, "")}
	case "RSA PUBLIC KEY":
		a := Asset{Kind: AssetKey, Path: name, Algorithm: "RSA"}
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			a.Error = oneLine(err)
			return []Asset{a}
		}
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(k)
		return []Asset{a}
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return []Asset{privateAsset(name, block)}
	}
	return nil
}

// spkiAsset describes a DER SubjectPublicKeyInfo: classical keys through
// crypto/x509, ML-DSA/SLH-DSA through verify/pqc, anything else by OID.
func spkiAsset(name string, der []byte, kind, role string) Asset {
	a := Asset{Kind: kind, Role: role, Path: name}
	sum := sha256.Sum256(der)
	a.Fingerprint = "sha256:" + hex.EncodeToString(sum[:])
	k0, xerr := x509.ParsePKIXPublicKey(der)
	if xerr == nil {
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(k0)
		return a
	}
	if rk, err := x509.ParsePKCS1PublicKey(der); err == nil {
		// Sigstore trusted roots carry some RSA log keys as PKCS #1.
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(rk)
		return a
	}
	k, err := pqc.ParseSPKI(der)
	if err == nil {
		a.Algorithm, a.OID = k.Algorithm.Name, k.Algorithm.OID.String()
		return a
	}
	if errors.Is(err, pqc.ErrUnknownAlgorithm) {
		if o, _, err2 := pqc.ParseAlgorithmIdentifier(der); err2 == nil {
			a.Algorithm, a.OID = "OID "+o.String(), o.String()
			if name, ok := classicalOIDs[o.String()]; ok {
				// A known algorithm crypto/x509 refused: a broken key.
				a.Algorithm, a.Error = name, oneLine(xerr)
			}
			return a
		}
	}
	a.Error = oneLine(err)
	return a
}

func certAsset(name string, der []byte, kind, role string) Asset {
	a := Asset{Kind: kind, Role: role, Path: name}
	sum := sha256.Sum256(der)
	a.Fingerprint = "sha256:" + hex.EncodeToString(sum[:])
	c, err := pqc.ParseCertificate(der)
	if err != nil {
		a.Error = oneLine(err)
		return a
	}
	x := c.X509
	if c.PublicKey != nil {
		a.Algorithm, a.OID = c.PublicKey.Algorithm.Name, c.PublicKey.Algorithm.OID.String()
	} else if x.PublicKey != nil {
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(x.PublicKey)
	} else {
		o, _, _ := pqc.ParseAlgorithmIdentifier(x.RawSubjectPublicKeyInfo)
		a.Algorithm, a.OID = "OID "+o.String(), o.String()
	}
	a.SignatureAlgorithm = c.SignatureAlgorithmName()
	a.Hash = sigHash(a.SignatureAlgorithm)
	if w := weakHash(a.Hash); w != "" {
		a.Weak = append(a.Weak, "certificate signed with "+w)
	}
	a.NotBefore, a.NotAfter = x.NotBefore.UTC(), x.NotAfter.UTC()
	a.Subject, a.Issuer = x.Subject.String(), x.Issuer.String()
	a.Serial = x.SerialNumber.Text(16)
	a.IsCA = x.IsCA
	var ids []string
	for _, u := range x.URIs {
		ids = append(ids, u.String())
	}
	ids = append(ids, x.EmailAddresses...)
	ids = append(ids, x.DNSNames...)
	a.Identity = strings.Join(ids, ", ")
	return a
}

var classicalOIDs = map[string]string{
	"1.2.840.113549.1.1.1": "RSA", "1.2.840.10045.2.1": "ECDSA", "1.3.101.112": "Ed25519",
	"1.3.101.113": "Ed448", "1.2.840.10040.4.1": "DSA", "1.3.101.110": "X25519",
}

// sigHash extracts the hash from a signature algorithm name (ECDSA-SHA384,
// SHA256-RSA, ...).
func sigHash(s string) string {
	u := strings.ToUpper(s)
	for _, h := range []struct{ in, out string }{{"SHA512", "SHA-512"}, {"SHA384", "SHA-384"}, {"SHA256", "SHA-256"}, {"SHA1", "SHA-1"}, {"MD5", "MD5"}, {"MD2", "MD2"}} {
		if strings.Contains(u, h.in) {
			return h.out
		}
	}
	if strings.HasPrefix(u, "ML-DSA") || strings.HasPrefix(u, "SLH-DSA-SHAKE") {
		return "SHAKE256"
	}
	if strings.HasPrefix(u, "SLH-DSA-SHA2") {
		return "SHA2"
	}
	return ""
}

func privateAsset(name string, block *pem.Block) Asset {
	a := Asset{Kind: AssetPrivateKey, Path: name}
	var pub any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		var k any
		if k, err = x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			pub = publicOf(k)
		} else if o := pkcs8OID(block.Bytes); o != "" {
			if alg, ok := algByOIDString(o); ok {
				a.Algorithm, a.OID = alg.Name, o
				return a
			}
			a.Algorithm, a.OID = "OID "+o, o
			return a
		}
	case "RSA PRIVATE KEY":
		var k any
		if k, err = x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			pub = publicOf(k)
		}
	case "EC PRIVATE KEY":
		var k any
		if k, err = x509.ParseECPrivateKey(block.Bytes); err == nil {
			pub = publicOf(k)
		}
	case "OPENSSH PRIVATE KEY":
		var k any
		k, err = ssh.ParseRawPrivateKey(pem.EncodeToMemory(block))
		var pm *ssh.PassphraseMissingError
		switch {
		case err == nil:
			pub = publicOf(k)
		case errors.As(err, &pm) && pm.PublicKey != nil:
			err = nil
			a.Algorithm, a.Bits, a.Curve, a.Weak = describeSSH(pm.PublicKey)
			return a
		}
	case "DSA PRIVATE KEY":
		a.Algorithm, a.Weak = "DSA", []string{"DSA key (DSA is withdrawn for signing by FIPS 186-5)"}
		return a
	case "ENCRYPTED PRIVATE KEY":
		a.Algorithm = "unknown (encrypted)"
		return a
	}
	if err != nil {
		a.Error = oneLine(err)
		return a
	}
	if pub != nil {
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(pub)
	}
	return a
}

func publicOf(k any) any {
	if s, ok := k.(crypto.Signer); ok {
		return s.Public()
	}
	if s, ok := k.(interface{ Public() crypto.PublicKey }); ok {
		return s.Public()
	}
	return nil
}

// pkcs8OID reads the algorithm OID of a PKCS #8 PrivateKeyInfo.
func pkcs8OID(der []byte) string {
	in := cryptobyte.String(der)
	var seq, alg cryptobyte.String
	var v int64
	var o = new(cryptobyteOID)
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Integer(&v) || !seq.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&o.oid) {
		return ""
	}
	return o.oid.String()
}

func algByOIDString(s string) (*pqc.Algorithm, bool) {
	for _, a := range pqc.Algorithms {
		if a.OID.String() == s {
			return a, true
		}
	}
	return nil, false
}

// scanDER reads a DER certificate or SubjectPublicKeyInfo.
func scanDER(name string, b []byte) *Material {
	m := &Material{Path: name, Format: "der"}
	if c := certAsset(name, b, AssetCertificate, ""); c.Error == "" {
		classify(&c)
		m.Assets = append(m.Assets, c)
		return m
	}
	a := spkiAsset(name, b, AssetKey, "")
	if a.Error != "" {
		low := strings.ToLower(name)
		if !strings.HasSuffix(low, ".der") && !strings.HasSuffix(low, ".cer") && !strings.HasSuffix(low, ".crt") {
			return nil // a binary file that merely starts with 0x30
		}
		m.Problem = "neither a DER certificate nor a public key: " + a.Error
		return m
	}
	classify(&a)
	m.Assets = append(m.Assets, a)
	return m
}

// scanSSH reads SSH public keys, one a line (authorized_keys,
// allowed_signers and *.pub formats).
func scanSSH(name string, b []byte) *Material {
	m := &Material{Path: name, Format: "ssh"}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(m.Assets) == maxAssetsInFile {
			break
		}
		pk, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			// allowed_signers: "principals [options] keytype key"
			if j := strings.Index(line, " ssh-"); j > 0 {
				pk, comment, _, _, err = ssh.ParseAuthorizedKey([]byte(line[j+1:]))
				if err == nil && comment == "" {
					comment = line[:j]
				}
			}
		}
		if err != nil {
			if m.Problem == "" {
				m.Problem = fmt.Sprintf("line %d: %s", i+1, oneLine(err))
			}
			continue
		}
		a := Asset{Kind: AssetSSHKey, Path: name, Line: i + 1, Identity: comment, Fingerprint: ssh.FingerprintSHA256(pk)}
		a.Algorithm, a.Bits, a.Curve, a.Weak = describeSSH(pk)
		classify(&a)
		m.Assets = append(m.Assets, a)
	}
	if len(m.Assets) == 0 && m.Problem == "" {
		return nil
	}
	return m
}

func describeSSH(pk ssh.PublicKey) (alg string, bits int, curve string, weak []string) {
	if ck, ok := pk.(ssh.CryptoPublicKey); ok {
		return describePublic(ck.CryptoPublicKey())
	}
	switch t := pk.Type(); {
	case strings.HasPrefix(t, "sk-ssh-ed25519"):
		return "Ed25519", 256, "Ed25519", nil
	case strings.HasPrefix(t, "sk-ecdsa-sha2-nistp256"):
		return "ECDSA", 256, "P-256", nil
	default:
		return t, 0, "", nil
	}
}

// scanArmoredOpenPGP reads armored keys, signatures and signed messages.
func scanArmoredOpenPGP(name string, b []byte, now time.Time) *Material {
	m := &Material{Path: name, Format: "openpgp"}
	if bytes.Contains(b, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
		el, err := pgp.ParseKeyring(b)
		if err != nil {
			m.Problem = oneLine(err)
		}
		for _, e := range el {
			for _, r := range pgp.Describe(e, now) {
				m.Assets = append(m.Assets, openpgpKeyAsset(name, r))
			}
		}
	}
	if bytes.Contains(b, []byte("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
		a := Asset{Kind: AssetPrivateKey, Path: name, Algorithm: "OpenPGP"}
		a.Line = lineAt(b, bytes.Index(b, []byte("-----BEGIN PGP PRIVATE KEY BLOCK-----")))
		classify(&a)
		m.Assets = append(m.Assets, a)
	}
	var sigBytes []byte
	sigLine := 0
	if i := bytes.Index(b, []byte("-----BEGIN PGP SIGNED MESSAGE-----")); i >= 0 {
		if block, _ := clearsign.Decode(b); block != nil {
			raw, err := readAll(block.ArmoredSignature.Body)
			if err != nil {
				m.Problem = "cleartext signature armor: " + oneLine(err)
			}
			sigBytes = raw
			sigLine = lineAt(b, i)
		} else {
			m.Problem = "malformed cleartext-signed message"
		}
	} else if i := bytes.Index(b, []byte("-----BEGIN PGP SIGNATURE-----")); i >= 0 {
		block, err := armor.Decode(bytes.NewReader(b[i:]))
		if err != nil {
			m.Problem = "signature armor: " + oneLine(err)
		} else if raw, err := readAll(block.Body); err != nil {
			m.Problem = "signature armor: " + oneLine(err)
		} else {
			sigBytes, sigLine = raw, lineAt(b, i)
		}
	}
	if sigBytes != nil {
		m.Assets = append(m.Assets, openpgpSigAssets(name, sigBytes, sigLine, m)...)
	}
	if len(m.Assets) == 0 && m.Problem == "" {
		return nil
	}
	return m
}

func scanBinaryOpenPGP(name string, b []byte, now time.Time) *Material {
	m := &Material{Path: name, Format: "openpgp"}
	if el, err := pgp.ParseKeyring(b); err == nil {
		for _, e := range el {
			for _, r := range pgp.Describe(e, now) {
				m.Assets = append(m.Assets, openpgpKeyAsset(name, r))
			}
		}
		return m
	}
	if _, _, _, err := pgp.ReadSignatures(b); err == nil {
		m.Assets = openpgpSigAssets(name, b, 0, m)
		return m
	}
	low := strings.ToLower(name)
	if isPQCSignatureSize(len(b)) {
		return nil // a raw ML-DSA/SLH-DSA signature, judged by the collector
	}
	for _, e := range []string{".gpg", ".pgp", ".sig", ".asc", ".kbx"} {
		if strings.HasSuffix(low, e) {
			m.Problem = "neither an OpenPGP keyring nor a signature"
			return m
		}
	}
	return nil
}

func openpgpKeyAsset(name string, r pgp.KeyRecord) Asset {
	a := Asset{
		Kind: AssetOpenPGPKey, Path: name, Algorithm: r.Algorithm, Bits: r.Bits, Curve: r.Curve,
		Hash: r.SelfSigHash, NotBefore: r.Created, NotAfter: r.Expires, Fingerprint: r.Fingerprint,
		Identity: strings.Join(r.UserIDs, ", "), Revoked: r.Revoked, Weak: append([]string(nil), r.Weak...),
	}
	if r.Subkey {
		a.Role = "subkey of " + r.Primary
	}
	if !r.CanSign {
		a.Role = strings.TrimPrefix(a.Role+"; not for signing", "; ")
	}
	classify(&a)
	return a
}

func openpgpSigAssets(name string, raw []byte, line int, m *Material) []Asset {
	sigs, _, _, err := pgp.ReadSignatures(raw)
	if err != nil {
		m.Problem = oneLine(err)
		return nil
	}
	var out []Asset
	for _, s := range sigs {
		r := pgp.DescribeSignature(s)
		a := Asset{Kind: AssetOpenPGPSignature, Path: name, Line: line, Algorithm: r.Algorithm, Hash: r.Hash,
			NotBefore: r.Created, Fingerprint: r.Issuer, Weak: r.Weak}
		classify(&a)
		out = append(out, a)
	}
	return out
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// isPQCSignatureSize reports whether n is the size of a raw ML-DSA or
// SLH-DSA signature.
func isPQCSignatureSize(n int) bool {
	for _, a := range pqc.Algorithms {
		if a.SignatureSize == n {
			return true
		}
	}
	return false
}
