// Command sbomdemo writes examples/demo/sbom/: a CycloneDX 1.6 SBOM of the
// demo's Linux tarball, bound to it by its SHA-256 and SHA-512, listing the
// components the demo's vulnerability data names, with a few deliberate
// gaps (a component without supplier, one hashed with SHA-1 only, one with
// pedigree) so that the report shows composition and provenance findings.
// It is signed with an embedded JSF Ed25519 signature by a key derived from
// a fixed seed (example only), canonicalised per RFC 8785; Ed25519 is
// deterministic, so re-running it gives the same bytes.
//
//	go run ./examples/demo/scripts/sbomdemo
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

type obj = map[string]any

func component(ref, typ, name, version, purl, supplier string, hashes []obj, license string) obj {
	c := obj{"bom-ref": ref, "type": typ, "name": name, "version": version, "purl": purl}
	if supplier != "" {
		c["supplier"] = obj{"name": supplier}
	}
	if len(hashes) > 0 {
		c["hashes"] = hashes
	}
	if license != "" {
		c["licenses"] = []obj{{"license": obj{"id": license}}}
	}
	return c
}

func hash(alg, data string) obj {
	var v string
	switch alg {
	case "SHA-256":
		s := sha256.Sum256([]byte(data))
		v = hex.EncodeToString(s[:])
	case "SHA-1":
		// A placeholder digest: the demo only needs its algorithm.
		s := sha256.Sum256([]byte(data))
		v = hex.EncodeToString(s[:20])
	}
	return obj{"alg": alg, "content": v}
}

func main() {
	demo := flag.String("demo", "examples/demo", "the demo folder")
	flag.Parse()
	artifact := filepath.Join(*demo, "release", "pedigree-demo_1.0.0_linux_amd64.tar.gz")
	raw, err := os.ReadFile(artifact)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sbomdemo:", err)
		os.Exit(2)
	}
	s256 := sha256.Sum256(raw)
	s512 := sha512.Sum512(raw)

	comps := []any{
		component("log4j-core", "library", "log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "The Apache Software Foundation",
			[]obj{hash("SHA-256", "log4j-core-2.14.1.jar")}, "Apache-2.0"),
		component("x-net", "library", "golang.org/x/net", "v0.15.0", "pkg:golang/golang.org/x/net@v0.15.0", "The Go Authors",
			[]obj{hash("SHA-256", "golang.org/x/net@v0.15.0")}, "BSD-3-Clause"),
		component("x-crypto", "library", "golang.org/x/crypto", "v0.16.0", "pkg:golang/golang.org/x/crypto@v0.16.0", "The Go Authors",
			[]obj{hash("SHA-256", "golang.org/x/crypto@v0.16.0")}, "BSD-3-Clause"),
		// No supplier: SBOM-SUPPLIER and the NTIA check name it.
		component("lodash", "library", "lodash", "4.17.20", "pkg:npm/lodash@4.17.20", "",
			[]obj{hash("SHA-256", "lodash-4.17.20.tgz")}, "MIT"),
		// SHA-1 only: SBOM-HASH-STRENGTH flags it.
		component("requests", "library", "requests", "2.31.0", "pkg:pypi/requests@2.31.0", "Python Software Foundation",
			[]obj{hash("SHA-1", "requests-2.31.0.tar.gz")}, "Apache-2.0"),
	}
	// A patched fork with its pedigree recorded (SBOM-PROVENANCE).
	xtext := component("x-text", "library", "golang.org/x/text", "v0.14.0-demo.1", "pkg:golang/golang.org/x/text@v0.14.0", "pedigree-demo maintainers",
		[]obj{hash("SHA-256", "golang.org/x/text@v0.14.0-demo.1")}, "BSD-3-Clause")
	xtext["pedigree"] = obj{
		"ancestors": []obj{{"type": "library", "name": "golang.org/x/text", "version": "v0.14.0", "purl": "pkg:golang/golang.org/x/text@v0.14.0"}},
		"commits":   []obj{{"uid": "4e4a3210bb54bb31f6ab2cdca2edcc0b50c420c1", "url": "https://example.com/pedigree-demo/text/commit/4e4a3210"}},
		"patches":   []obj{{"type": "backport", "diff": obj{"url": "https://example.com/pedigree-demo/text/patches/0001.diff"}}},
		"notes":     "Backported a fix for CVE-2023-XXXX-demo before upstream released it.",
	}
	xtext["externalReferences"] = []obj{{"type": "vcs", "url": "https://example.com/pedigree-demo/text.git"}}
	comps = append(comps, xtext)
	for _, c := range comps[:5] {
		m := c.(obj)
		m["externalReferences"] = []obj{{"type": "distribution", "url": "https://example.com/mirror/" + m["bom-ref"].(string)}}
	}
	var deps []any
	var refs []any
	for _, c := range comps {
		r := c.(obj)["bom-ref"].(string)
		refs = append(refs, r)
		deps = append(deps, obj{"ref": r, "dependsOn": []any{}})
	}
	deps = append([]any{obj{"ref": "pedigree-demo", "dependsOn": refs}}, deps...)

	doc := obj{
		"$schema":      "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"bomFormat":    "CycloneDX",
		"specVersion":  "1.6",
		"serialNumber": "urn:uuid:6f1d6a52-54b4-4c1e-9a0c-70656469676f",
		"version":      1,
		"metadata": obj{
			"timestamp":  "2026-01-15T00:00:00Z",
			"lifecycles": []obj{{"phase": "build"}},
			"tools":      obj{"components": []obj{{"type": "application", "name": "sbomdemo", "version": "1.0.0"}}},
			"authors":    []obj{{"name": "pedigree-demo maintainers", "email": "security@example.com"}},
			"supplier":   obj{"name": "pedigree-demo maintainers", "url": []string{"https://example.com/pedigree-demo"}},
			"component": obj{
				"bom-ref": "pedigree-demo", "type": "application", "name": "pedigree-demo", "version": "1.0.0",
				"purl":     "pkg:generic/pedigree-demo@1.0.0",
				"supplier": obj{"name": "pedigree-demo maintainers"},
				"hashes": []obj{
					{"alg": "SHA-256", "content": hex.EncodeToString(s256[:])},
					{"alg": "SHA-512", "content": hex.EncodeToString(s512[:])},
				},
				"licenses": []obj{{"license": obj{"id": "Apache-2.0"}}},
			},
		},
		"components":   comps,
		"dependencies": deps,
	}

	// JSF: sign the RFC 8785 canonical form of the document whose
	// signature object has everything but "value".
	seed := sha256.Sum256([]byte("pedigree-demo example SBOM signing key (not secret)"))
	key := ed25519.NewKeyFromSeed(seed[:])
	pub := key.Public().(ed25519.PublicKey)
	sig := obj{
		"algorithm": "Ed25519",
		"keyId":     "pedigree-demo-sbom",
		"publicKey": obj{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(pub)},
	}
	doc["signature"] = sig
	plain, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	canon, err := jsoncanonicalizer.Transform(plain)
	if err != nil {
		panic(err)
	}
	sig["value"] = base64.RawURLEncoding.EncodeToString(ed25519.Sign(key, canon))

	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	// The SBOM ships beside the artifact it describes.
	dst := filepath.Join(*demo, "release", "pedigree-demo_1.0.0_linux_amd64.cdx.json")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(dst, append(out, '\n'), 0o644); err != nil {
		panic(err)
	}
	fmt.Println("wrote", dst)
}
