package sbom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// Kind is what content detection found: a format and an encoding, with the
// spec version as written when the head of the file names it.
type Kind struct {
	Format      string
	Encoding    string
	SpecVersion string
}

// sniffWindow bounds how much of a file detection reads.
const sniffWindow = 1 << 20

var (
	reJSONBomFormat  = lazyre.New(`"bomFormat"\s*:\s*"CycloneDX"`)
	reJSONAnyFormat  = lazyre.New(`"bomFormat"\s*:`)
	reJSONCdxSchema  = lazyre.New(`"\$schema"\s*:\s*"https?://cyclonedx\.org/schema/bom-\d+\.\d+(?:\.\d+)?\.schema\.json"`)
	reJSONCdxVersion = lazyre.New(`"specVersion"\s*:\s*"([^"]{0,32})"`)
	reJSONSPDX       = lazyre.New(`"spdxVersion"\s*:\s*"([^"]{0,32})"`)
	reJSONLDContext  = lazyre.New(`"@context"\s*:\s*(?:\[[^\]]{0,512}?)?"(https?://spdx\.org/rdf/(3[^/"]*)/spdx-context\.jsonld)"`)
	reTagValue       = lazyre.New(`(?m)^[ \t]*SPDXVersion:[ \t]*(\S+)`)
	reYAML           = lazyre.New(`(?m)^["']?spdxVersion["']?[ \t]*:[ \t]*["']?([A-Za-z0-9.\-]+)`)
	reCdxNS          = lazyre.New(`^https?://cyclonedx\.org/schema/bom/(\d+\.\d+)$`)
)

// Detect recognises an SBOM from its content (never its name). ok is false
// for anything that is not an SBOM pedigree reads.
func Detect(b []byte) (Kind, bool) {
	head := b
	if len(head) > sniffWindow {
		head = head[:sniffWindow]
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return Kind{}, false
	}
	switch trimmed[0] {
	case '{':
		// A document that names CycloneDX's schema, or has a bomFormat
		// beside a specVersion, is CycloneDX even when bomFormat is wrong:
		// it is one that fails its schema, not something else.
		if reJSONBomFormat.Match(trimmed) || reJSONCdxSchema.Match(trimmed) ||
			(reJSONAnyFormat.Match(trimmed) && reJSONCdxVersion.Match(trimmed)) {
			k := Kind{Format: FormatCycloneDX, Encoding: EncodingJSON}
			if m := reJSONCdxVersion.FindSubmatch(trimmed); m != nil {
				k.SpecVersion = string(m[1])
			}
			return k, true
		}
		if m := reJSONSPDX.FindSubmatch(trimmed); m != nil {
			return Kind{Format: FormatSPDX, Encoding: EncodingJSON, SpecVersion: string(m[1])}, true
		}
		if m := reJSONLDContext.FindSubmatch(trimmed); m != nil {
			return Kind{Format: FormatSPDX, Encoding: EncodingJSONLD, SpecVersion: strings.TrimPrefix(string(m[2]), "")}, true
		}
		return Kind{}, false
	case '<':
		if v, ok := cdxXMLRoot(trimmed); ok {
			return Kind{Format: FormatCycloneDX, Encoding: EncodingXML, SpecVersion: v}, true
		}
		return Kind{}, false
	}
	if !looksText(trimmed) {
		return Kind{}, false
	}
	// The literal each pattern needs is looked for first: the patterns
	// backtrack over every line, and most text files (certificates,
	// sources) are no SBOM.
	if !bytes.Contains(trimmed, []byte("SPDXVersion")) && !bytes.Contains(trimmed, []byte("spdxVersion")) {
		return Kind{}, false
	}
	if m := reTagValue.FindSubmatch(trimmed); m != nil {
		return Kind{Format: FormatSPDX, Encoding: EncodingTagValue, SpecVersion: string(m[1])}, true
	}
	if m := reYAML.FindSubmatch(trimmed); m != nil && bytes.HasPrefix(m[1], []byte("SPDX-")) {
		return Kind{Format: FormatSPDX, Encoding: EncodingYAML, SpecVersion: string(m[1])}, true
	}
	return Kind{}, false
}

// looksText rejects binaries early: a NUL byte in the head is never text.
func looksText(b []byte) bool {
	n := len(b)
	if n > 4096 {
		n = 4096
	}
	return bytes.IndexByte(b[:n], 0) < 0
}

// errXMLEntities refuses XML that declares a DTD: pedigree never expands
// entities, internal or external.
var errXMLEntities = errors.New("XML document type declaration (DOCTYPE/ENTITY) refused: entities are never expanded or resolved")

// cdxXMLRoot reads tokens up to the root element and reports the CycloneDX
// version its namespace names.
func cdxXMLRoot(b []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = map[string]string{}
	for i := 0; i < 64; i++ {
		tok, err := d.RawToken()
		if err != nil {
			return "", false
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "bom" {
			return "", false
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "xmlns" && a.Name.Space == "") || a.Name.Space == "xmlns" {
				if m := reCdxNS.FindStringSubmatch(strings.TrimSpace(a.Value)); m != nil {
					return m[1], true
				}
			}
		}
		if m := reCdxNS.FindStringSubmatch(se.Name.Space); m != nil {
			return m[1], true
		}
		return "", false
	}
	return "", false
}

// checkXMLProlog refuses a DOCTYPE anywhere before the root element.
func checkXMLProlog(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = map[string]string{}
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return nil // the real decoder reports syntax errors with context
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) || bytes.Contains(t, []byte("ENTITY")) {
				return errXMLEntities
			}
		case xml.StartElement:
			return nil
		}
	}
}
