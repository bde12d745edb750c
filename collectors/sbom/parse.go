package sbom

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotSBOM is returned by Parse for content that is no SBOM it reads.
var ErrNotSBOM = errors.New("not a recognised SBOM (CycloneDX JSON/XML, SPDX 2 JSON/tag-value/YAML, SPDX 3 JSON-LD)")

// Options tune parsing.
type Options struct {
	// SkipSchema leaves out schema validation (SchemaValid stays false and
	// SchemaErrors says so).
	SkipSchema bool
	// SchemaMaxSize is the largest JSON document validated against its
	// schema: zero means DefaultSchemaMaxSize, negative means no limit.
	SchemaMaxSize int64
}

// Parse reads an SBOM of any supported format from its bytes. It never
// panics and never fails: a document that cannot be read comes back with
// Error set (and SchemaValid false). It returns ErrNotSBOM, with a nil
// document, when the content is no SBOM at all.
func Parse(file string, raw []byte) (*Document, error) {
	return ParseWith(file, raw, Options{})
}

// ParseWith is Parse with options.
func ParseWith(file string, raw []byte, o Options) (doc *Document, err error) {
	k, ok := Detect(raw)
	if !ok {
		return nil, ErrNotSBOM
	}
	doc = &Document{File: file, Format: k.Format, Encoding: k.Encoding, SpecVersion: k.SpecVersion}
	defer func() {
		// A decoder bug must not take the run down: report it on the document.
		if r := recover(); r != nil {
			doc.Error = fmt.Sprintf("decode %s: internal error: %v", k.Encoding, r)
			doc.SchemaValid = false
			err = nil
		}
		if doc.Error != "" {
			doc.Error = oneLine(doc.Error)
			doc.SchemaValid = false
		}
		doc.ComponentCount = len(doc.Components)
	}()
	switch {
	case k.Format == FormatCycloneDX && k.Encoding == EncodingJSON:
		parseCycloneDXJSON(doc, raw, o)
	case k.Format == FormatCycloneDX && k.Encoding == EncodingXML:
		parseCycloneDXXML(doc, raw, o)
	case k.Format == FormatSPDX && k.Encoding == EncodingJSONLD:
		parseSPDX3(doc, raw, o)
	case k.Format == FormatSPDX:
		parseSPDX2(doc, raw, o)
	}
	finishDocument(doc)
	return doc, nil
}

// finishDocument derives what every format shares: duplicate refs and the
// HasDependencies flag from the graph.
func finishDocument(d *Document) {
	seen := make(map[string]int, len(d.Components)+1)
	count := func(ref string) {
		if ref != "" {
			seen[ref]++
		}
	}
	if d.Primary != nil && d.Format == FormatCycloneDX {
		// SPDX's described package is one of its packages already.
		count(d.Primary.Ref)
	}
	for i := range d.Components {
		count(d.Components[i].Ref)
	}
	dups := map[string]bool{}
	for _, r := range d.DuplicateRefs {
		dups[r] = true
	}
	for ref, n := range seen {
		if n > 1 {
			dups[ref] = true
		}
	}
	d.DuplicateRefs = d.DuplicateRefs[:0]
	for r := range dups {
		d.DuplicateRefs = append(d.DuplicateRefs, r)
	}
	if len(d.DuplicateRefs) == 0 {
		d.DuplicateRefs = nil
	}
	sortStrings(d.DuplicateRefs)
}

// noAssertion reports SPDX's "nothing said" values.
func noAssertion(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.EqualFold(s, "NOASSERTION") || strings.EqualFold(s, "NONE")
}

// normHashAlg normalises algorithm names across formats (SHA256, sha256,
// SHA-256 all become SHA-256).
func normHashAlg(a string) string {
	u := strings.ToUpper(strings.TrimSpace(a))
	u = strings.ReplaceAll(u, "_", "-")
	switch u {
	case "SHA1", "SHA-1":
		return "SHA-1"
	case "SHA224", "SHA-224":
		return "SHA-224"
	case "SHA256", "SHA-256":
		return "SHA-256"
	case "SHA384", "SHA-384":
		return "SHA-384"
	case "SHA512", "SHA-512":
		return "SHA-512"
	case "SHA3-256", "SHA3256":
		return "SHA3-256"
	case "SHA3-384", "SHA3384":
		return "SHA3-384"
	case "SHA3-512", "SHA3512":
		return "SHA3-512"
	case "MD5", "MD-5":
		return "MD5"
	case "MD2", "MD4", "MD6":
		return u
	case "BLAKE2B-256":
		return "BLAKE2b-256"
	case "BLAKE2B-384":
		return "BLAKE2b-384"
	case "BLAKE2B-512":
		return "BLAKE2b-512"
	case "BLAKE3":
		return "BLAKE3"
	}
	return strings.TrimSpace(a)
}

// WeakHash reports algorithms too weak to protect integrity.
func WeakHash(alg string) bool {
	switch normHashAlg(alg) {
	case "MD5", "SHA-1", "MD2", "MD4", "MD6", "ADLER32":
		return true
	}
	return strings.EqualFold(alg, "ADLER32")
}

// StrongHash reports SHA-256 or better.
func StrongHash(alg string) bool {
	switch normHashAlg(alg) {
	case "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3":
		return true
	}
	return false
}
