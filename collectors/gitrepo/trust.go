package gitrepo

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/sshsign"
)

// Trust is the key material commit and tag signatures are verified
// against: OpenPGP keyrings and an ssh-keygen allowed_signers file. It is
// passed in, never ambient: git's own configuration is not read.
type Trust struct {
	OpenPGP openpgp.EntityList
	SSH     []sshsign.AllowedSigner
	// Forge are OpenPGP keys of a forge (GitHub's web-flow key, GitLab's):
	// the forge signs commits made in its web interface. Trusting them is
	// a policy decision, so they come from their own files and the
	// commits they verify are counted apart.
	Forge openpgp.EntityList
	// Sources names the files the keys came from.
	Sources []string

	forgeFingerprints map[string]string // upper-case hex → file
}

// LoadTrust reads OpenPGP keyrings (armored or binary) and an
// allowed_signers file. Missing files are errors; no file at all is an
// empty Trust, under which signatures are recorded but not verified.
func LoadTrust(keyrings []string, allowedSigners string) (*Trust, error) {
	t := &Trust{}
	for _, p := range keyrings {
		el, err := readKeyring("openpgp keyring", p)
		if err != nil {
			return nil, err
		}
		t.OpenPGP = append(t.OpenPGP, el...)
		t.Sources = append(t.Sources, p)
	}
	if allowedSigners != "" {
		b, err := readlimit.File(allowedSigners, readlimit.Trust)
		if err != nil {
			return nil, fmt.Errorf("allowed signers: %w", err)
		}
		signers, err := sshsign.ParseAllowedSigners(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", allowedSigners, err)
		}
		t.SSH = signers
		t.Sources = append(t.Sources, allowedSigners)
	}
	return t, nil
}

// AddForgeKeys trusts the OpenPGP keys in files as a forge's signing keys
// (repo.forge-keyrings).
func (t *Trust) AddForgeKeys(files []string) error {
	for _, p := range files {
		el, err := readKeyring("forge keyring", p)
		if err != nil {
			return err
		}
		if t.forgeFingerprints == nil {
			t.forgeFingerprints = map[string]string{}
		}
		for _, e := range el {
			if e.PrimaryKey != nil {
				t.forgeFingerprints[strings.ToUpper(hex.EncodeToString(e.PrimaryKey.Fingerprint))] = filepath.Base(p)
			}
		}
		t.Forge = append(t.Forge, el...)
		t.Sources = append(t.Sources, p)
	}
	return nil
}

// readKeyring parses through verify/pgp, as the other pillars do, so that
// a file of several armored blocks trusts every key in it.
func readKeyring(what, p string) (openpgp.EntityList, error) {
	b, err := readlimit.File(p, readlimit.Trust)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	el, err := pgp.ParseKeyring(b)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, p, err)
	}
	return el, nil
}

// openpgpKeys is every OpenPGP key a signature may verify against.
func (t *Trust) openpgpKeys() openpgp.EntityList {
	if len(t.Forge) == 0 {
		return t.OpenPGP
	}
	return append(append(openpgp.EntityList{}, t.OpenPGP...), t.Forge...)
}

func (t *Trust) kinds() []string {
	var k []string
	if len(t.OpenPGP) > 0 || len(t.Forge) > 0 {
		k = append(k, SigOpenPGP)
	}
	if len(t.SSH) > 0 {
		k = append(k, SigSSH)
	}
	return k
}
