package pgp_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/pedigree-dev/pedigree/verify/pgp"
)

// VerifyDetached checks a release's detached signature against a pinned
// public keyring and says who signed and with what; changed data or a
// signer outside the keyring are errors callers can branch on.
func ExampleVerifyDetached() {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA}
	signer, err := openpgp.NewEntity("Release Manager", "", "release@example.org", cfg)
	if err != nil {
		log.Fatal(err)
	}
	release := []byte("app 1.0 release archive")
	var sig bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, signer, bytes.NewReader(release), cfg); err != nil {
		log.Fatal(err)
	}

	// The verifier holds only the exported public key.
	var pub bytes.Buffer
	w, _ := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err := signer.Serialize(w); err != nil {
		log.Fatal(err)
	}
	w.Close()
	keyring, err := pgp.ParseKeyring(pub.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	opts := pgp.Options{Keyring: keyring, Validity: pgp.AtSignatureTime}

	res, err := pgp.VerifyDetached(bytes.NewReader(release), sig.Bytes(), opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Format, res.Armored, res.Algorithm, res.Curve, res.Hash, res.UserIDs, res.Weak)

	_, err = pgp.VerifyDetached(strings.NewReader("app 1.0 release archive, patched"), sig.Bytes(), opts)
	fmt.Println("changed data:", errors.Is(err, pgp.ErrBadSignature))

	other, _ := openpgp.NewEntity("Someone Else", "", "else@example.org", cfg)
	opts.Keyring = openpgp.EntityList{other}
	_, err = pgp.VerifyDetached(bytes.NewReader(release), sig.Bytes(), opts)
	fmt.Println("signer not pinned:", errors.Is(err, pgp.ErrUnknownSigner))
	// Output:
	// detached true EdDSA Curve25519 SHA-256 [Release Manager <release@example.org>] []
	// changed data: true
	// signer not pinned: true
}
