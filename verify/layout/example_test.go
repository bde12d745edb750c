package layout_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	intoto "github.com/in-toto/in-toto-golang/in_toto"

	"github.com/pedigree-dev/pedigree/verify/layout"
)

// newKey makes an Ed25519 in-toto signing key and the public key a verifier
// would be given.
func newKey() (signer, public intoto.Key) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	privDER, _ := x509.MarshalPKCS8PrivateKey(priv)
	if err := signer.LoadKeyReaderDefaults(bytes.NewReader(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}))); err != nil {
		log.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(pub)
	public, err = layout.LoadKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	if err != nil {
		log.Fatal(err)
	}
	return signer, public
}

// Verify checks the layout's signature by the project owner's key, then each
// step's signed link against the step's functionaries and artifact rules.
// A layout with inspections is reported as not fully assessed: pedigree does
// not run the commands they name.
func ExampleVerify() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	owner, ownerPub := newKey()
	builder, builderPub := newKey()

	// The build step's link, signed by the builder.
	link := intoto.Metablock{Signed: intoto.Link{
		Type:       "link",
		Name:       "build",
		Materials:  map[string]intoto.HashObj{"main.go": {"sha256": "2b1a1c1e3b5f4b4ed1e0a3f9d9c7c2f0a3c4b5d6e7f8091a2b3c4d5e6f708192"}},
		Products:   map[string]intoto.HashObj{"app.tar.gz": {"sha256": "7d9a2c5e3f1b4a6c8e0d2f4a6b8c0e2d4f6a8b0c2e4d6f8a0b2c4e6d8f0a2b4c"}},
		ByProducts: map[string]any{}, Environment: map[string]any{}, Command: []string{"make", "dist"},
	}}
	if err := link.Sign(builder); err != nil {
		log.Fatal(err)
	}
	if err := link.Dump(filepath.Join(dir, fmt.Sprintf(intoto.LinkNameFormat, "build", builder.KeyID))); err != nil {
		log.Fatal(err)
	}

	writeLayout := func(inspect []intoto.Inspection) string {
		l := intoto.Metablock{Signed: intoto.Layout{
			Type:    "layout",
			Expires: "2030-01-01T00:00:00Z",
			Keys:    map[string]intoto.Key{builderPub.KeyID: builderPub},
			Steps: []intoto.Step{{
				Type:      "step",
				PubKeys:   []string{builderPub.KeyID},
				Threshold: 1,
				SupplyChainItem: intoto.SupplyChainItem{
					Name:              "build",
					ExpectedMaterials: [][]string{{"ALLOW", "*"}},
					ExpectedProducts:  [][]string{{"CREATE", "app.tar.gz"}, {"DISALLOW", "*"}},
				},
			}},
			Inspect: inspect,
		}}
		if err := l.Sign(owner); err != nil {
			log.Fatal(err)
		}
		p := filepath.Join(dir, "root.layout")
		if err := l.Dump(p); err != nil {
			log.Fatal(err)
		}
		return p
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

	res, err := layout.Verify(writeLayout(nil), []intoto.Key{ownerPub}, dir, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("verified: expires %s, step %s with %d of %d link(s), complete %v\n",
		res.Expires, res.Steps[0].Name, res.Steps[0].Links, res.Steps[0].Threshold, res.Complete())

	_, err = layout.Verify(writeLayout(nil), []intoto.Key{builderPub}, dir, now)
	fmt.Println("layout key is not the owner's:", errors.Is(err, layout.ErrFailed))

	inspect := []intoto.Inspection{{
		Type: "inspection", Run: []string{"tar", "xzf", "app.tar.gz"},
		SupplyChainItem: intoto.SupplyChainItem{Name: "untar", ExpectedMaterials: [][]string{{"ALLOW", "*"}}, ExpectedProducts: [][]string{{"ALLOW", "*"}}},
	}}
	res, err = layout.Verify(writeLayout(inspect), []intoto.Key{ownerPub}, dir, now)
	fmt.Println("with an inspection:", errors.Is(err, layout.ErrNotAssessed))
	if res != nil {
		fmt.Println("not run:", res.Inspections[0].Name, res.Inspections[0].Run)
	}
	// Output:
	// verified: expires 2030-01-01T00:00:00Z, step build with 1 of 1 link(s), complete true
	// layout key is not the owner's: true
	// with an inspection: true
	// not run: untar [tar xzf app.tar.gz]
}
